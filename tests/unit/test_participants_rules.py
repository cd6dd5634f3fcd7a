"""The participants' pure rules: checks, life cycle, anonymous profiles, retention."""

from __future__ import annotations

import re
from datetime import date

import msgspec
import pytest

from coop.participants import rules
from coop.participants.rules import Status

TODAY = date(2026, 11, 23)

VALID = {
    "first_name": "Sanne",
    "last_name": "de Boer",
    "municipality_code": "GM0106",
    "hours_max": "24",
    "days": ["ma", "wo"],
}


def check(**changes):
    clean, errors = rules.check_participant({**VALID, **changes}, today=TODAY)
    return clean, {e.field: e.detail for e in errors}


def test_a_minimal_participant_passes_with_defaults():
    clean, errors = check()
    assert errors == {}
    assert clean["hours_max"] == 24 and clean["hours_min"] == 0
    assert clean["guidance"] == "gemiddeld" and clean["travel_range"] == "eigen-gemeente"
    assert clean["days"] == ["ma", "wo"]
    assert rules.check_consistency(clean, today=TODAY) == []


@pytest.mark.parametrize("hours", ["41", "168", "-1", "12,5", "veel"])
def test_hours_beyond_a_working_week_are_refused(hours):
    _, errors = check(hours_max=hours)
    assert "hours_max" in errors and "40" in errors["hours_max"]


def test_an_unknown_municipality_is_refused():
    _, errors = check(municipality_code="GM9999")
    assert errors == {"municipality_code": "Kies een gemeente uit de lijst."}


def test_over_long_free_text_is_refused():
    _, errors = check(notes="x" * 4001, certificates="y" * 1001, first_name="z" * 101)
    assert set(errors) == {"notes", "certificates", "first_name"}


def test_choices_outside_the_controlled_lists_are_refused():
    _, errors = check(
        days=["ma", "feestdag"],
        support_needs=["autisme"],
        guidance="heel-veel",
        place_types=["stage"],
        sectors=["zz"],
    )
    assert set(errors) == {"days", "support_needs", "guidance", "place_types", "sectors"}


def test_lists_are_stored_in_the_lists_order_without_repeats():
    clean, _ = check(days=["vr", "ma", "vr"], support_needs=["jobcoach", "vaste-structuur"])
    assert clean["days"] == ["ma", "vr"]
    assert clean["support_needs"] == ["vaste-structuur", "jobcoach"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Heeft autisme en ADHD", ["autisme", "adhd"]),
        ("Na een burn-out nog beperkt belastbaar", ["burn-out"]),
        ("diagnose: depressie", ["diagnose", "depressie"]),
        ("Gebruikt medicatie, let op", ["medicatie"]),
    ],
)
def test_medical_terms_are_found(text, words):
    assert rules.medical_terms(text) == words
    _, errors = check(support_notes=text)
    assert "support_notes" in errors and "diagnose" in errors["support_notes"]


@pytest.mark.parametrize(
    "text",
    [
        "Werkt het best met korte, schriftelijke instructies",
        "Heeft een vaste collega nodig in de buurt",
        "Kan niet lang achter elkaar staan",
        "Massage-salon als interesse",  # 'ms' only as a word of its own
        "Administratie, adres en passen",  # 'add' and 'ass' only as whole words
    ],
)
def test_needs_in_plain_words_pass(text):
    assert rules.medical_terms(text) == []
    _, errors = check(support_notes=text)
    assert errors == {}


def test_notes_are_checked_for_medical_terms_too():
    _, errors = check(notes="Diagnose schizofrenie in 2019")
    assert "notes" in errors


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hours_min": 30, "hours_max": 20}, "hours_min"),
        (
            {
                "register_in": True,
                "register_ground": "wajong",
                "register_start": date(2026, 5, 1),
                "register_end": date(2026, 1, 1),
            },
            "register_end",
        ),
        ({"register_in": True, "register_start": date(2025, 1, 1)}, "register_ground"),
        ({"register_in": True, "register_ground": "wsw"}, "register_start"),
        ({"register_ground": "wsw"}, "register_in"),
        ({"register_verified_on": date(2027, 1, 1)}, "register_verified_on"),
        ({"date_of_birth": date(2000, 1, 1), "available_from": date(1999, 1, 1)}, "available_from"),
        ({"days": []}, "days"),
    ],
)
def test_fields_out_of_order_are_refused(changes, field):
    clean, _ = check()
    record = {**clean, **changes}
    problems = {e.field for e in rules.check_consistency(record, today=TODAY)}
    assert field in problems


def test_an_implausible_date_of_birth_is_refused():
    _, errors = check(date_of_birth="2020-01-01")
    assert "date_of_birth" in errors
    _, errors = check(date_of_birth="31-02-1990")
    assert "date_of_birth" in errors


# --- life cycle --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    [
        ("aangemeld", "beschikbaar", True),
        ("beschikbaar", "geplaatst", True),
        ("geplaatst", "uitgestroomd", True),
        ("geplaatst", "beschikbaar", True),
        ("uitgestroomd", "beschikbaar", True),
        ("aangemeld", "geplaatst", False),
        ("uitgestroomd", "geplaatst", False),
        ("beschikbaar", "beschikbaar", False),
        ("beschikbaar", "weg", False),
    ],
)
def test_transitions(old, new, allowed):
    assert (rules.transition_refusal(old, new) is None) is allowed


def test_an_anonymised_participant_stays_where_it_is():
    assert rules.transition_refusal("uitgestroomd", "beschikbaar", anonymised=True)


# --- what members see --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (date(2008, 11, 24), "< 18"),  # 17, one day short of 18
        (date(2008, 11, 23), "18–26"),
        (date(1999, 11, 24), "18–26"),  # 26
        (date(1999, 11, 23), "27–34"),
        (date(1970, 6, 1), "55–64"),
        (date(1950, 1, 1), "65+"),
        (None, None),
    ],
)
def test_age_band(born, band):
    assert rules.age_band(born, TODAY) == band


RECORD = {
    "id": 7,
    "code": "DR-BC23",
    "status": "beschikbaar",
    "first_name": "Sanne",
    "last_name": "de Boer",
    "email": "sanne@example.nl",
    "phone": "0612345678",
    "date_of_birth": date(1995, 4, 12),
    "municipality_code": "GM0114",  # Emmen, region Drenthe
    "register_ground": "wajong",
    "benefit": "wajong",
    "education_level": "mbo-2",
    "sectors": ["a"],
    "task_kinds": ["groen"],
    "hours_min": 16,
    "hours_max": 24,
    "days": ["ma", "di"],
    "available_from": date(2026, 12, 15),
    "travel_range": "eigen-regio",
    "guidance": "intensief",
    "place_types": ["betaald"],
    "support_needs": ["niet-zwaar-tillen", "schriftelijke-instructies", "vaste-structuur"],
    "support_notes": "Vaste collega nodig",
}


def test_the_anonymous_profile_holds_no_identity_and_needs_only_in_general_terms():
    profile = rules.anonymous_profile(RECORD, today=TODAY)
    data = msgspec.to_builtins(profile)
    text = msgspec.json.encode(profile).decode()
    for secret in ("Sanne", "de Boer", "sanne@", "0612345678", "1995", "wajong", "Vaste collega"):
        assert secret not in text, secret
    for specific in RECORD["support_needs"]:
        assert specific not in text
    assert data["need_areas"] == ["werkwijze", "lichamelijk"]
    assert data["age_band"] == "27–34"
    assert data["region_name"] == "Drenthe"
    # The month, not the day.
    assert data["available_from"] == "2026-12-01"
    assert "id" not in data and "municipality_code" not in data


def test_identity_only_with_a_standing_consent_for_exactly_that_member():
    consent = {"kind": "identiteit", "organisation": 5, "withdrawn_at": None}
    assert rules.identity_visible(5, [consent], anonymised=False)
    assert not rules.identity_visible(6, [consent], anonymised=False)
    assert not rules.identity_visible(None, [consent], anonymised=False)
    assert not rules.identity_visible(5, [consent], anonymised=True)
    withdrawn = {**consent, "withdrawn_at": "2026-01-01"}
    assert not rules.identity_visible(5, [withdrawn], anonymised=False)
    profile_only = {"kind": "profiel", "organisation": None, "withdrawn_at": None}
    assert not rules.identity_visible(5, [profile_only], anonymised=False)


def test_a_profile_is_shown_only_with_consent_in_the_pool():
    assert rules.profile_visible("beschikbaar", anonymised=False, shares_profile=True)
    assert rules.profile_visible("geplaatst", anonymised=False, shares_profile=True)
    assert not rules.profile_visible("aangemeld", anonymised=False, shares_profile=True)
    assert not rules.profile_visible("uitgestroomd", anonymised=False, shares_profile=True)
    assert not rules.profile_visible("beschikbaar", anonymised=False, shares_profile=False)
    assert not rules.profile_visible("beschikbaar", anonymised=True, shares_profile=True)


# --- retention ---------------------------------------------------------------------------


def test_retention_cutoff_and_due():
    assert rules.retention_cutoff(date(2026, 11, 23)) == date(2024, 11, 23)
    assert rules.retention_cutoff(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert rules.erase_date(date(2024, 2, 29), 24) == date(2026, 2, 28)
    due = rules.due_for_anonymisation
    assert due(Status.UITGESTROOMD, date(2024, 11, 23), False, TODAY)
    assert not due(Status.UITGESTROOMD, date(2024, 11, 24), False, TODAY)
    assert not due(Status.UITGESTROOMD, date(2020, 1, 1), True, TODAY)
    assert not due(Status.BESCHIKBAAR, date(2020, 1, 1), False, TODAY)
    assert due(Status.UITGESTROOMD, date(2026, 5, 1), False, TODAY, months=6)
    with pytest.raises(ValueError):
        rules.retention_cutoff(TODAY, 0)


def test_erasure_keeps_what_the_monitor_counts():
    kept = {
        "code",
        "status",
        "municipality_code",
        "register_in",
        "register_start",
        "register_end",
        "register_provision",
        "education_level",
        "guidance",
        "left_on",
    }
    assert not kept & set(rules.ERASED_VALUES)
    assert {
        "first_name",
        "last_name",
        "email",
        "phone",
        "date_of_birth",
        "support_needs",
        "support_notes",
        "notes",
        "register_ground",
    } <= set(rules.ERASED_VALUES)


def test_codes_are_short_and_say_nothing():
    codes = {rules.new_code("AM03") for _ in range(200)}
    assert all(re.fullmatch(r"DR-[B-Z][2-9][B-Z][2-9][B-Z]", c) for c in codes)
    assert len(codes) > 190
    assert all(not set(c[3:]) & set("AEIOUWY01") for c in codes)
    assert rules.new_code(None).startswith("CW-")
