"""The pure rules of leads: the contact form, status changes, retention dates, the
dashboard's figures, CSV cells and the two mails."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from selfscan.tenants.leads import mails, rules

FORM = {
    "organisation": "  Bakkerij De Korenaar ",
    "contact_name": "Anna",
    "email": "anna@korenaar.example",
    "phone": "",
    "question": "Regel 1\r\nRegel 2",
}


def test_a_complete_form_is_cleaned():
    contact, errors = rules.check_contact(FORM, True, "nl")
    assert errors == {}
    assert contact.organisation == "Bakkerij De Korenaar"
    assert contact.question == "Regel 1\nRegel 2"


def test_every_problem_is_named_in_the_chosen_language():
    _, errors = rules.check_contact(
        {"email": "anna@", "phone": "12", "question": "x" * 2001}, False, "en"
    )
    assert errors == {
        "organisation": "Enter the name of your organisation.",
        "contact_name": "Enter your name.",
        "email": "Enter a valid email address, such as name@example.com.",
        "phone": "Enter a phone number of 10 to 15 digits, such as +31 6 12345678.",
        "question": "This is too long: at most 2000 characters.",
        "consent": "Give your consent; without it we cannot contact you.",
    }


@pytest.mark.parametrize("phone", ["06 12345678", "+31 (0)6-1234 5678", "0031612345678"])
def test_phone_numbers_people_write_are_accepted(phone):
    assert rules.valid_phone(phone)


@pytest.mark.parametrize(
    "address", ["anna", "anna@example", "a b@example.org", "Anna <a@b.nl>", "a@b.nl\nBcc: x"]
)
def test_addresses_that_cannot_be_one_are_refused(address):
    assert not rules.valid_email(address)


def test_a_header_break_in_the_organisation_cannot_reach_a_subject():
    contact, _ = rules.check_contact({**FORM, "organisation": "A\r\nBcc: x@y.nl"}, True, "nl")
    mail = mails.notification(
        to="leads@wsp.example",
        tenant_name="WSP",
        request=contact,
        score="50",
        level="Starten",
        lead_url="http://x/",
    )
    assert "\n" not in mail.subject and "\r" not in mail.subject


def test_status_changes():
    assert rules.check_update("benaderd", " gebeld ", "nl")[0] == rules.LeadUpdate(
        status="benaderd", note="gebeld"
    )
    assert rules.check_update("gewonnen", "", "nl")[1] == {
        "status": "Kies nieuw, benaderd of afgerond."
    }
    assert "note" in rules.check_update("nieuw", "x" * 4001, "nl")[1]


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 1, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2024, 3, 31, tzinfo=UTC), -1, datetime(2024, 2, 29, tzinfo=UTC)),
        (datetime(2026, 11, 15, tzinfo=UTC), 12, datetime(2027, 11, 15, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), -13, datetime(2024, 12, 15, tzinfo=UTC)),
    ],
)
def test_months_are_calendar_months(moment, months, expected):
    assert rules.add_months(moment, months) == expected


def test_a_lead_and_its_cutoff_agree():
    made = datetime(2026, 5, 31, 10, tzinfo=UTC)
    expires = rules.lead_expires_at(made, 12)
    assert expires == datetime(2027, 5, 31, 10, tzinfo=UTC)
    assert made <= rules.lead_cutoff(expires, 12)  # erased exactly when it expires
    assert rules.lead_cutoff(expires, 12) < rules.lead_expires_at(made, 13)


def test_csv_cells_never_become_formulas():
    assert rules.csv_cell("=1+1") == "'=1+1"
    assert rules.csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert rules.csv_cell("Bakkerij") == "Bakkerij"
    assert rules.csv_cell(None) == ""


def test_the_dashboard_counts_per_month_theme_level_and_status():
    now = datetime(2026, 11, 23, tzinfo=UTC)
    scans = [
        {
            "completed_at": datetime(2026, 11, 1, tzinfo=UTC),
            "level": "starten",
            "themes": [{"id": "a", "score": 80.0}, {"id": "b", "score": 20.0}],
        },
        {
            # 23:30 UTC on 31 October is 1 November in Amsterdam.
            "completed_at": datetime(2026, 10, 31, 23, 30, tzinfo=UTC),
            "level": "starten",
            "themes": [{"id": "a", "score": 40.0}, {"id": "b", "score": 30.0}],
        },
        {
            "completed_at": datetime(2026, 9, 5, tzinfo=UTC),
            "level": "orienteren",
            "themes": [{"id": "a", "score": 0.0}],
        },
    ]
    figures = rules.dashboard(
        scans,
        {"nieuw": 2, "afgerond": 1, "ingetrokken": 1},
        theme_ids=["a", "b", "c"],
        level_ids=["orienteren", "voorbereiden", "starten"],
        now=now,
        months=3,
    )
    assert [(m.month, m.count) for m in figures.months] == [
        (date(2026, 9, 1), 1),
        (date(2026, 10, 1), 0),
        (date(2026, 11, 1), 2),
    ]
    assert [(t.theme_id, t.average, t.count) for t in figures.themes] == [
        ("a", 40.0, 3),
        ("b", 25.0, 2),
        ("c", None, 0),
    ]
    assert figures.levels == [("orienteren", 1), ("voorbereiden", 0), ("starten", 2)]
    assert figures.lead_statuses == [
        ("nieuw", 2),
        ("benaderd", 0),
        ("afgerond", 1),
        ("ingetrokken", 1),
    ]
    assert (figures.scans, figures.leads) == (3, 4)


def test_the_confirmation_is_in_the_employers_language_with_the_withdrawal_link():
    contact, _ = rules.check_contact(FORM, True, "en")
    mail = mails.confirmation(
        tenant_name="WSP Noord",
        request=contact,
        lang="en",
        result_url="https://coop.example/scan/r",
        withdraw_url="https://coop.example/scan/w",
    )
    assert mail.recipient == "anna@korenaar.example"
    assert mail.subject == "WSP Noord has received your request"
    assert "https://coop.example/scan/w" in mail.body_text
    assert mail.kind == "lead_confirmation"
