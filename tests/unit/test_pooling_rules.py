"""The supply side's pure rules: schedules, which packages fit, shares, statuses, place
types and their maximum durations (from regulations)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import regulations
from coop.work import rules, validation
from coop.work.rules import Package


def pkg(
    id: int,
    org: int,
    slots: list[tuple[str, str, str]],
    *,
    minutes: int | None = None,
    municipality: str = "GM0106",
    region: str = "AM01",
    start: date = date(2026, 1, 1),
    end: date | None = None,
) -> Package:
    parsed, errors = rules.check_slots(slots)
    assert not errors
    return Package(
        id=id,
        organisation_id=org,
        minutes_per_week=minutes if minutes is not None else rules.schedule_minutes(parsed),
        slots=tuple(parsed),
        municipality_code=municipality,
        region_code=region,
        start_date=start,
        end_date=end,
    )


# --- times and slots ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("9:00", 540), ("09:30", 570), ("9.15", 555), ("24:00", 1440), ("0:00", 0)],
)
def test_times_as_people_type_them(text, minutes):
    assert rules.parse_time(text) == minutes


@pytest.mark.parametrize("text", ["", "9", "9:5", "25:00", "24:30", "12:60", "ab:cd", "-1:00"])
def test_not_a_time(text):
    assert rules.parse_time(text) is None


def test_overlapping_times_in_one_package_are_named_by_day():
    _slots, errors = rules.check_slots([("ma", "09:00", "13:00"), ("ma", "12:30", "15:00")])
    assert [e.field for e in errors] == ["schedule"]
    assert "maandag" in errors[0].detail and "09:00–13:00" in errors[0].detail


def test_touching_times_do_not_overlap():
    slots, errors = rules.check_slots([("ma", "09:00", "12:00"), ("ma", "12:00", "15:00")])
    assert errors == [] and rules.schedule_minutes(slots) == 360


def test_end_before_start_is_an_error_on_that_slot():
    _, errors = rules.check_slots([("di", "09:00", "10:00"), ("wo", "14:00", "13:00")])
    assert [e.field for e in errors] == ["schedule[1].end"]


def test_unknown_day_and_empty_schedule():
    _, errors = rules.check_slots([("maandag", "09:00", "10:00")])
    assert errors[0].field == "schedule[0].day"
    _, errors = rules.check_slots([])
    assert errors[0].field == "schedule"


def test_more_hours_than_the_schedule_holds():
    slots, _ = rules.check_slots([("ma", "09:00", "13:00"), ("do", "09:00", "11:00")])
    assert rules.check_hours(360, slots) == []
    errors = rules.check_hours(390, slots)
    assert errors and errors[0].field == "hours_per_week"
    assert "6,5" in errors[0].detail and "6 uur" in errors[0].detail
    assert rules.check_hours(0, slots)[0].field == "hours_per_week"


@pytest.mark.parametrize(
    ("typed", "minutes"), [("12", 720), ("12,5", 750), ("7.25", 435), (8, 480)]
)
def test_hours_per_week_as_typed(typed, minutes):
    assert rules.parse_hours(typed) == minutes


@pytest.mark.parametrize("typed", ["twaalf", "1,0001", "nan", "inf", True])
def test_hours_that_are_not_hours(typed):
    assert rules.parse_hours(typed) is None


# --- pooling -----------------------------------------------------------------------------------


def test_three_small_packages_of_three_members_make_a_job():
    a = pkg(1, 10, [("ma", "09:00", "13:00"), ("di", "09:00", "13:00")])  # 8 h
    b = pkg(2, 20, [("wo", "09:00", "12:00")])  # 3 h
    c = pkg(3, 30, [("do", "13:00", "17:00"), ("vr", "09:00", "10:00")])  # 5 h
    fit = rules.fit([a, b, c], min_minutes=rules.MIN_JOB_MINUTES)
    assert fit.fits and fit.problems == ()
    assert fit.minutes_per_week == 16 * 60
    # The week in order of day and time, each stretch with its member.
    assert [(e.day, rules.format_time(e.start), e.organisation_id) for e in fit.schedule] == [
        ("ma", "09:00", 10),
        ("di", "09:00", 10),
        ("wo", "09:00", 20),
        ("do", "13:00", 30),
        ("vr", "09:00", 30),
    ]
    # 8/16, 5/16, 3/16 of the hours.
    assert [(s.organisation_id, s.minutes_per_week, s.share) for s in fit.shares] == [
        (10, 480, Decimal("0.5000")),
        (30, 300, Decimal("0.3125")),
        (20, 180, Decimal("0.1875")),
    ]


def test_shares_always_add_up_to_one():
    packages = [pkg(i, i, [(rules.DAYS[i % 5], "09:00", "10:00")]) for i in range(1, 4)]
    shares = rules.shares(packages)
    # Three equal thirds round to 0.3333 each; the remainder goes to one of them.
    assert sum(s.share for s in shares) == 1
    assert sorted(s.share for s in shares) == [Decimal("0.3333")] * 2 + [Decimal("0.3334")]


def test_overlapping_packages_do_not_fit():
    a = pkg(1, 10, [("ma", "09:00", "15:00")])
    b = pkg(2, 20, [("ma", "14:00", "18:00"), ("di", "09:00", "12:00")])
    fit = rules.fit([a, b], min_minutes=60)
    assert not fit.fits
    assert any("overlappen" in p for p in fit.problems)
    assert not rules.pair_fits(a, b, accept_region=True)


def test_not_enough_hours_for_a_job():
    a = pkg(1, 10, [("ma", "09:00", "12:00")])
    b = pkg(2, 20, [("di", "09:00", "12:00")])
    fit = rules.fit([a, b], min_minutes=rules.MIN_JOB_MINUTES)
    assert not fit.fits and fit.problems == (
        "Samen is het 6 uur per week; een baan vraagt ten minste 12 uur.",
    )


def test_one_member_alone_is_not_a_pooled_job():
    a = pkg(1, 10, [("ma", "09:00", "17:00")])
    b = pkg(2, 10, [("di", "09:00", "17:00")])
    fit = rules.fit([a, b], min_minutes=60)
    assert not fit.fits and any("twee leden" in p for p in fit.problems)


def test_the_same_package_twice_is_refused():
    a = pkg(1, 10, [("ma", "09:00", "17:00")])
    b = pkg(2, 20, [("di", "09:00", "17:00")])
    fit = rules.fit([a, b, a], min_minutes=60)
    assert not fit.fits and any("twee keer" in p for p in fit.problems)
    assert fit.minutes_per_week == 960  # counted once


def test_travel_same_municipality_or_region_when_accepted():
    assen = pkg(1, 10, [("ma", "09:00", "17:00")], municipality="GM0106", region="AM01")
    tynaarlo = pkg(2, 20, [("di", "09:00", "17:00")], municipality="GM1730", region="AM01")
    emmen = pkg(3, 30, [("wo", "09:00", "17:00")], municipality="GM0114", region="AM02")
    assert not rules.fit([assen, tynaarlo], min_minutes=60).fits
    assert rules.fit([assen, tynaarlo], min_minutes=60, accept_region=True).fits
    far = rules.fit([assen, emmen], min_minutes=60, accept_region=True)
    assert not far.fits and any("regio" in p for p in far.problems)


def test_periods_must_overlap_and_the_job_runs_in_their_common_part():
    a = pkg(1, 10, [("ma", "09:00", "17:00")], start=date(2026, 1, 1), end=date(2026, 6, 30))
    b = pkg(2, 20, [("di", "09:00", "17:00")], start=date(2026, 3, 1))
    c = pkg(3, 30, [("wo", "09:00", "17:00")], start=date(2026, 7, 1))
    fit = rules.fit([a, b], min_minutes=60)
    assert fit.fits and (fit.start_date, fit.end_date) == (date(2026, 3, 1), date(2026, 6, 30))
    assert not rules.fit([a, c], min_minutes=60).fits


def test_candidates_are_the_fitting_packages_of_other_members_most_hours_first():
    base = pkg(1, 10, [("ma", "09:00", "13:00")])
    others = [
        pkg(2, 20, [("di", "09:00", "11:00")]),  # fits, 2 h
        pkg(3, 30, [("ma", "12:00", "14:00")]),  # overlaps
        pkg(4, 10, [("wo", "09:00", "17:00")]),  # same member
        pkg(5, 40, [("do", "09:00", "15:00")]),  # fits, 6 h
        pkg(6, 50, [("vr", "09:00", "15:00")], municipality="GM1730"),  # elsewhere
        base,
    ]
    assert [p.id for p in rules.candidates(base, others)] == [5, 2]
    assert [p.id for p in rules.candidates(base, others, accept_region=True)] == [5, 6, 2]


# --- statuses ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "staff", "allowed"),
    [
        ("concept", "aangeboden", False, True),
        ("aangeboden", "ingetrokken", False, True),
        ("in_pool", "ingetrokken", False, True),
        ("aangeboden", "vervuld", False, False),  # filling is the coordinators' work
        ("aangeboden", "vervuld", True, True),
        ("in_pool", "aangeboden", False, False),
        ("ingetrokken", "aangeboden", True, False),  # withdrawn is final
        ("concept", "in_pool", True, False),
        ("concept", "nonsense", True, False),
    ],
)
def test_package_transitions(old, new, staff, allowed):
    refusal = rules.package_transition_refusal(old, new, staff=staff)
    assert (refusal is None) is allowed, refusal


def test_the_buttons_never_offer_pooling():
    assert rules.PackageStatus.IN_POOL not in rules.next_package_statuses("aangeboden", staff=True)


# --- leaving members ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "months", "deadline"),
    [
        (date(2026, 1, 15), 3, date(2026, 4, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),  # no 30 February: the month's last day
        (date(2024, 11, 29), 3, date(2025, 2, 28)),
        (date(2026, 5, 1), 0, date(2026, 5, 1)),
    ],
)
def test_repool_deadline_is_the_notice_period(since, months, deadline):
    assert rules.repool_deadline(since, months) == deadline


def test_who_is_leaving():
    assert not rules.member_is_leaving("actief", False)
    assert rules.member_is_leaving("actief", True)  # notice given
    assert rules.member_is_leaving("beeindigd", False)
    assert rules.member_is_leaving("geschorst", False)
    assert not rules.member_is_leaving("goedgekeurd", False)  # approved, not yet active


def test_slots_are_in_the_order_of_the_week():
    slots, _errors = rules.check_slots(
        [
            ("vr", "08:00", "09:00"),
            ("di", "13:00", "14:00"),
            ("di", "08:00", "09:00"),
            ("zo", "10:00", "11:00"),
        ]
    )
    assert [(s.day, s.start) for s in slots] == [("di", 480), ("di", 780), ("vr", 480), ("zo", 600)]


# --- place types -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place_type", "model", "counts"),
    [
        ("betaalde_baan", "a", True),
        ("betaalde_baan", "b", True),
        ("betaalde_baan", "c", True),
        ("betaalde_baan", "d", False),
        ("proefplaatsing", "d", False),
        ("proefplaatsing", "a", False),  # never, whatever the model
        ("participatieplaats", "b", False),
        ("werkervaringsplaats", None, False),
        ("betaalde_baan", None, True),
        ("beschut_werk", "e", True),
    ],
)
def test_what_may_count_as_paid_work(place_type, model, counts):
    assert rules.counts_as_paid_work(place_type, model) is counts


@pytest.mark.parametrize("year", regulations.available_years())
def test_maximum_durations_come_from_regulations(year):
    table = regulations.for_year(year)
    proef = rules.max_duration("proefplaatsing", year)
    assert proef is not None
    assert (proef.max_months, proef.max_months_extended) == (
        table.place("proefplaatsing").max_months,
        table.place("proefplaatsing").max_months_extended,
    )
    participatie = rules.max_duration("participatieplaats", year)
    assert participatie is not None and participatie.max_months == 24
    assert rules.max_duration("betaalde_baan", year) is None
    assert rules.max_duration("beschut_werk", year) is None


def test_latest_end_of_a_trial_placement():
    # Two months from 1 March: the last day is 30 April; with the extension to 6 months,
    # 31 August.
    assert rules.latest_end("proefplaatsing", date(2026, 3, 1)) == date(2026, 4, 30)
    assert rules.latest_end("proefplaatsing", date(2026, 3, 1), extended=True) == date(2026, 8, 31)
    assert rules.latest_end("participatieplaats", date(2026, 1, 1)) == date(2027, 12, 31)
    assert rules.latest_end("betaalde_baan", date(2026, 1, 1)) is None


def test_a_year_without_rules_is_an_error_not_a_fallback():
    with pytest.raises(regulations.UnknownYear):
        rules.max_duration("proefplaatsing", 1999)


@pytest.mark.parametrize(
    ("capacity", "ok"), [(1, True), (100, True), (0, False), (-3, False), (101, False)]
)
def test_capacity(capacity, ok):
    assert (rules.check_capacity(capacity) == []) is ok


def test_model_must_suit_the_place_type():
    assert rules.check_model("proefplaatsing", "d") == []
    assert rules.check_model("proefplaatsing", "a")[0].field == "employment_model"


# --- whole records -----------------------------------------------------------------------------

PACKAGE = {
    "title": "Bloemen verzorgen",
    "tasks": "Water geven, snoeien",
    "hours_per_week": "6",
    "municipality_code": "GM0106",
    "start_date": "2026-02-01",
    "physical_demands": "licht",
    "cognitive_demands": "gemiddeld",
}


def test_a_package_checked_whole():
    clean, errors = validation.check_package(
        PACKAGE, [("ma", "09:00", "12:00"), ("do", "09:00", "12:00")]
    )
    assert errors == []
    assert clean["minutes_per_week"] == 360 and clean["region_code"] == "AM01"
    assert clean["start_date"] == date(2026, 2, 1) and len(clean["schedule"]) == 2


def test_every_problem_of_a_package_at_once():
    bad = {
        **PACKAGE,
        "title": "",
        "hours_per_week": "9",
        "end_date": "2026-01-01",
        "municipality_code": "GM9999",
    }
    _, errors = validation.check_package(bad, [("ma", "09:00", "12:00")])
    fields = {e.field for e in errors}
    assert {"title", "hours_per_week", "municipality_code", "end_date"} <= fields


def test_a_place_checked_whole():
    values = {
        "place_type": "proefplaatsing",
        "title": "Proefplaats bakkerij",
        "tasks": "Deeg",
        "capacity": "2",
        "hours_per_week": "20",
        "municipality_code": "GM0106",
        "start_date": "1-3-2026",
        "guidance": "intensief",
        "physical_demands": "licht",
    }
    clean, errors = validation.check_place(values)
    assert errors == []
    assert clean["employment_model"] == "d" and clean["capacity"] == 2
    _, errors = validation.check_place({**values, "capacity": "0"})
    assert [e.field for e in errors] == ["capacity"]
    _, errors = validation.check_place({**values, "capacity": "-1", "place_type": "baan"})
    assert {e.field for e in errors} == {"capacity", "place_type"}
