"""Placement life cycle and follow-up (coop.allocation.rules)."""

from __future__ import annotations

import datetime as dt

import pytest

from coop.allocation.rules import (
    ExitReason,
    FollowUp,
    Status,
    add_months,
    check_transition,
    ended_early,
    next_measurement_due,
    retained,
    validate_period,
    validate_wage_value,
    work_list,
)
from coop.errors import Conflict, ValidationFailed

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Status.GEPLAND, Status.ACTIEF),
        (Status.GEPLAND, Status.GEANNULEERD),
        (Status.ACTIEF, Status.BEEINDIGD),
    ],
)
def test_allowed_transitions(current, target):
    check_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Status.GEPLAND, Status.BEEINDIGD),  # never started: cancel instead
        (Status.ACTIEF, Status.GEANNULEERD),
        (Status.BEEINDIGD, Status.ACTIEF),
        (Status.GEANNULEERD, Status.GEPLAND),
    ],
)
def test_refused_transitions(current, target):
    with pytest.raises(Conflict):
        check_transition(current, target)


def test_only_planned_and_active_hold_a_slot():
    assert [s for s in Status if s.holds_slot] == [Status.GEPLAND, Status.ACTIEF]


def test_outflow_to_regular_work():
    assert {r for r in ExitReason if r.regular_work} == {
        ExitReason.VAST_CONTRACT,
        ExitReason.REGULIER_ELDERS,
    }


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 8, 31), 6, dt.date(2025, 2, 28)),
        (dt.date(2023, 8, 31), 6, dt.date(2024, 2, 29)),
        (dt.date(2026, 5, 15), 12, dt.date(2027, 5, 15)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_bad_periods_and_wage_values_are_refused_by_field():
    with pytest.raises(ValidationFailed) as caught:
        validate_period(dt.date(2026, 5, 1), dt.date(2026, 4, 30))
    assert [e.field for e in caught.value.errors] == ["planned_end"]
    validate_period(dt.date(2026, 5, 1), dt.date(2026, 5, 1))
    validate_period(dt.date(2026, 5, 1), None)
    for bad in (-1, 100.5, 250):
        with pytest.raises(ValidationFailed):
            validate_wage_value(bad)
    for good in (0, 55.5, 100):
        validate_wage_value(good)


def test_the_next_wage_value_measurement_is_due_within_the_rules_years():
    assert next_measurement_due(dt.date(2026, 3, 10), 3) == dt.date(2029, 3, 10)


def test_work_list_is_everything_due_oldest_first():
    items = work_list(
        [
            # Started 7 months ago, never checked in: the 6-month milestone and a
            # check-in six weeks after the start are both overdue.
            FollowUp(
                placement_id=1,
                start=dt.date(2026, 4, 20),
                last_check_in=None,
                next_wage_value_due=None,
            ),
            # Checked in last week; wage value due in ten days (within the horizon).
            FollowUp(
                placement_id=2,
                start=dt.date(2026, 10, 1),
                last_check_in=dt.date(2026, 11, 16),
                next_wage_value_due=dt.date(2026, 12, 3),
            ),
            # The 6-month review was done; nothing else is due yet.
            FollowUp(
                placement_id=3,
                start=dt.date(2026, 5, 1),
                last_check_in=dt.date(2026, 11, 1),
                next_wage_value_due=dt.date(2029, 5, 1),
                milestones_done=frozenset({6}),
            ),
        ],
        TODAY,
    )
    assert [(i.placement_id, i.kind, i.due) for i in items] == [
        (1, "check_in", dt.date(2026, 6, 1)),
        (1, "milestone_6", dt.date(2026, 10, 20)),
        (2, "wage_value", dt.date(2026, 12, 3)),
    ]


def test_ended_early_and_retention():
    start = dt.date(2025, 3, 1)
    assert ended_early(start, dt.date(2026, 2, 28))
    assert not ended_early(start, dt.date(2026, 3, 1))
    assert retained(start, None, 12, TODAY) is True
    assert retained(start, dt.date(2025, 8, 31), 6, TODAY) is False
    assert retained(start, dt.date(2025, 9, 1), 6, TODAY) is True
    assert retained(dt.date(2026, 8, 1), None, 6, TODAY) is None
