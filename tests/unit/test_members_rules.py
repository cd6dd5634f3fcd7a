"""The member registry's pure rules and its reference lists."""

from __future__ import annotations

import itertools

import pytest

from coop.accounts.roles import Role
from coop.members import rules
from coop.members.rules import Invalid, Status
from coop.reference import regions, sbi


def test_the_2026_regions_and_municipalities_ship_with_the_package():
    ref = regions.load()
    assert len(ref.regions) == 35
    assert len(ref.municipalities) == 342
    amsterdam = regions.municipality("GM0363")
    assert amsterdam is not None and amsterdam.region.code == "AM18"
    assert amsterdam.region.name == "Groot Amsterdam"
    assert regions.municipality("GM9999") is None
    assert "GM0363" in regions.municipality_codes_in("AM18")
    names = [m.name for m in regions.municipalities()]
    assert names == sorted(names, key=str.casefold)


def test_sbi_sections_a_to_u_in_dutch_and_english():
    assert [s.letter for s in sbi.SECTIONS] == list("ABCDEFGHIJKLMNOPQRSTU")
    assert sbi.section("Q").nl == "Gezondheids- en welzijnszorg"
    assert sbi.section("q").name("en") == "Human health and social work activities"
    assert sbi.section("v") is None and sbi.section("") is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("12345678", "12345678"), (" 1234 5678 ", "12345678"), ("12.34.56.78", "12345678")],
)
def test_kvk_number(typed, stored):
    assert rules.kvk_number(typed) == stored


@pytest.mark.parametrize("typed", ["", "1234567", "123456789", "1234567a", "١٢٣٤٥٦٧٨"])
def test_kvk_number_refused(typed):
    with pytest.raises(Invalid):
        rules.kvk_number(typed)


def test_establishment_number_is_optional_and_12_digits():
    assert rules.establishment_number("") is None
    assert rules.establishment_number("0000 1234 5678") == "000012345678"
    with pytest.raises(Invalid):
        rules.establishment_number("12345678")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1234ab", "1234 AB"),
        ("1234 AB", "1234 AB"),
        (" 9999  zz ", "9999 ZZ"),
        ("1011AC", "1011 AC"),
    ],
)
def test_postcode_normalised(typed, stored):
    assert rules.postcode(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["", "0123 AB", "1234 SA", "1234sd", "1234 SS", "123 AB", "1234 A", "12345 AB", "1234-AB"],
)
def test_postcode_refused(typed):
    with pytest.raises(Invalid):
        rules.postcode(typed)


@pytest.mark.parametrize(
    "typed",
    [
        "020 123 4567",
        "06-12345678",
        "+31 6 1234 5678",
        "0031 20 1234567",
        "(020) 123 45 67",
        "0800 1234",
        "0900-1234567",
    ],
)
def test_dutch_phone_numbers_accepted_as_typed(typed):
    assert rules.phone(typed) == " ".join(typed.split())


@pytest.mark.parametrize(
    "typed", ["12345", "06 1234", "+32 2 123 45 67", "0049 30 1234567", "bel mij", "06123456789"]
)
def test_phone_refused(typed):
    with pytest.raises(Invalid):
        rules.phone(typed)


def test_phone_is_optional():
    assert rules.phone("  ") is None


def test_website_http_or_https_only():
    assert rules.website("https://www.voorbeeld.nl/over") == "https://www.voorbeeld.nl/over"
    assert rules.website("www.voorbeeld.nl") == "https://www.voorbeeld.nl"
    assert rules.website("") is None
    for bad in (
        "javascript:alert(1)",
        "ftp://voorbeeld.nl",
        "https://localhost",
        "http://a b.nl",
        "mailto:x@y.nl",
    ):
        with pytest.raises(Invalid):
            rules.website(bad)


def test_text_length_and_control_characters():
    assert rules.text(" <b>Bakker</b> ", "name") == "<b>Bakker</b>"  # escaped where shown
    with pytest.raises(Invalid):
        rules.text("x" * 201, "name")
    with pytest.raises(Invalid):
        rules.text("a\x00b", "name")


def test_lifecycle_transitions():
    coordinator = Role.COORDINATOR
    path = ["aangemeld", "goedgekeurd", "actief", "geschorst", "actief", "beeindigd"]
    for old, new in itertools.pairwise(path):
        assert rules.transition_allowed(old, new, coordinator), (old, new)
    assert rules.transition_allowed("aangemeld", "afgewezen", Role.ADMIN)
    assert not rules.transition_allowed("aangemeld", "actief", coordinator)
    assert not rules.transition_allowed("beeindigd", "actief", coordinator)
    assert not rules.transition_allowed("afgewezen", "goedgekeurd", coordinator)
    assert not rules.transition_allowed("actief", "onzin", coordinator)
    for role in (Role.MEMBER, Role.WSP):
        assert not rules.transition_allowed("actief", "beeindigd", role)
    assert rules.next_statuses("actief") == [Status.GESCHORST, Status.BEEINDIGD]
    assert rules.status_label("beeindigd") == "Beëindigd"
    assert all(s.value.isascii() and s.value.islower() for s in Status)


def test_notice_period_defaults_to_three_months():
    assert rules.notice_months(None) == rules.DEFAULT_NOTICE_MONTHS == 3
    assert rules.notice_months("6") == 6
    with pytest.raises(Invalid):
        rules.notice_months("25")


VALID = {
    "name": "Bakkerij De Korenaar",
    "kvk_number": "12345678",
    "street_address": "Dorpsstraat 1",
    "postcode": "1234ab",
    "city": "Assen",
    "municipality_code": "GM0106",
    "sector": "C",
    "employees": "12",
}


def test_a_whole_organisation_resolves_its_region():
    clean, errors = rules.check_organisation(VALID)
    assert errors == []
    assert clean["postcode"] == "1234 AB"
    assert regions.municipality(clean["municipality_code"]).region.code == "AM01"
    assert clean["sector"] == "c"
    assert clean["notice_months"] == 3
    assert clean["public_employer"] is False


def test_every_bad_field_is_named_at_once():
    bad = {
        **VALID,
        "kvk_number": "1",
        "postcode": "0000 AA",
        "municipality_code": "Assen",
        "sector": "Z",
        "employees": "veel",
    }
    _, errors = rules.check_organisation(bad)
    assert {e.field for e in errors} == {
        "kvk_number",
        "postcode",
        "municipality_code",
        "sector",
        "employees",
    }
    assert all(e.detail for e in errors)


def test_partial_checks_only_what_was_sent():
    clean, errors = rules.check_organisation({"city": "Emmen"}, partial=True)
    assert clean == {"city": "Emmen"} and errors == []


def test_contact():
    clean, errors = rules.check_contact(
        {"name": "An", "email": "AN@Voorbeeld.nl", "phone": "06 12345678", "is_primary": "on"}
    )
    assert errors == [] and clean["email"] == "an@voorbeeld.nl" and clean["is_primary"] is True
    _, errors = rules.check_contact({"name": "", "email": "geen", "phone": "1"})
    assert {e.field for e in errors} == {"name", "email", "phone"}


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("1250", 125000), ("1.250,50", 125050), ("1250.5", 125050), ("€ 75,00", 7500), ("0", 0)],
)
def test_euros_to_cents(typed, cents):
    assert rules.euros_to_cents(typed) == cents


@pytest.mark.parametrize("typed", ["", "veel", "1,2,3", "-5", "12,345"])
def test_euros_refused(typed):
    with pytest.raises(Invalid):
        rules.euros_to_cents(typed)


def test_dates_as_sent_or_typed():
    assert str(rules.optional_date("2026-03-01")) == "2026-03-01"
    assert str(rules.optional_date("1-3-2026")) == "2026-03-01"
    assert rules.optional_date("") is None
    for bad in ("31-2-2026", "morgen", "2026/03/01"):
        with pytest.raises(Invalid):
            rules.optional_date(bad)


def test_a_decimal_is_not_silently_read_as_a_bigger_whole_number():
    from coop.members.rules import Invalid, whole_number

    assert whole_number("40.575", high=10**9) == 40575
    with pytest.raises(Invalid):
        whole_number("12.5", high=1000)
