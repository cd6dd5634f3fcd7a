"""Placements: their life cycle, and what falls due when. Pure, no I/O.

A placement is ``gepland`` (agreed, not started), ``actief``, ``beëindigd`` (it ran and
ended, with an exit reason) or ``geannuleerd`` (it never started). ``gepland`` and
``actief`` hold a slot of the place.

What a coordinator follows (domain.md): milestones at 6 and 12 months, regular
check-ins, and the wage value, re-measured at least every 3 years (the year's rules say
how often). :func:`due_items` turns a placement into the lines of the coordinator's work
list; the page sorts every placement's lines together, oldest first.
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

from coop.errors import Conflict, FieldError, ValidationFailed
from coop.web.i18n import gettext as _


class Status(enum.StrEnum):
    GEPLAND = "gepland"
    ACTIEF = "actief"
    BEEINDIGD = "beeindigd"
    GEANNULEERD = "geannuleerd"

    @property
    def holds_slot(self) -> bool:
        return self in (Status.GEPLAND, Status.ACTIEF)


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.GEPLAND: frozenset({Status.ACTIEF, Status.GEANNULEERD}),
    Status.ACTIEF: frozenset({Status.BEEINDIGD}),
    Status.BEEINDIGD: frozenset(),
    Status.GEANNULEERD: frozenset(),
}


class ExitReason(enum.StrEnum):
    VAST_CONTRACT = "vast_contract_bij_lid"
    REGULIER_ELDERS = "regulier_werk_elders"
    TERUG_GEMEENTE = "terug_naar_gemeente"
    UITGEVALLEN = "uitgevallen"
    ANDERS = "anders"

    @property
    def regular_work(self) -> bool:
        """Outflow to regular work: the outcome the monitor counts."""
        return self in (ExitReason.VAST_CONTRACT, ExitReason.REGULIER_ELDERS)


class EmploymentModel(enum.StrEnum):
    """domain.md: (a) the member employs; (b) the cooperative employs and seconds to one
    member; (c) a pooled job seconded to several members; (d) an unpaid participation place
    or trial placement; (e) sheltered work."""

    A = "a"
    B = "b"
    C = "c"
    D = "d"
    E = "e"

    @property
    def paid(self) -> bool:
        return self != EmploymentModel.D


class JobCoach(enum.StrEnum):
    GEEN = "geen"
    INTERN = "intern"
    EXTERN = "extern"


class Visibility(enum.StrEnum):
    """Who reads a check-in's notes: coordinators only, or also the member."""

    COORDINATOREN = "coordinatoren"
    GEDEELD = "gedeeld"


#: A check-in is due this long after the previous one (or the start).
CHECK_IN_EVERY = dt.timedelta(weeks=6)
MILESTONES_MONTHS = (6, 12)


def check_transition(current: Status, target: Status) -> None:
    if target not in TRANSITIONS[current]:
        raise Conflict(
            _(
                "Een plaatsing met status %(current)s kan niet naar %(target)s.",
                current=current.value,
                target=target.value,
            ),
            code="invalid_transition",
        )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def milestone(start: dt.date, months: int) -> dt.date:
    return add_months(start, months)


def validate_period(start: dt.date, planned_end: dt.date | None) -> None:
    if planned_end is not None and planned_end < start:
        raise ValidationFailed(
            [FieldError("planned_end", _("De einddatum ligt voor de begindatum."))]
        )


def validate_wage_value(percent: float) -> None:
    if not 0 <= percent <= 100:
        raise ValidationFailed(
            [FieldError("percent", _("Vul een loonwaarde in van 0 tot en met 100 procent."))]
        )


def next_measurement_due(measured_on: dt.date, max_years: int) -> dt.date:
    """The latest date for the next wage-value measurement (the rules' maximum interval)."""
    return add_months(measured_on, 12 * max_years)


class DueItem(msgspec.Struct, frozen=True):
    """One line of the coordinator's work list."""

    placement_id: int
    kind: str  # "milestone_6", "milestone_12", "check_in", "wage_value"
    due: dt.date


class FollowUp(msgspec.Struct, frozen=True, kw_only=True):
    """What the work list needs to know about one active placement."""

    placement_id: int
    start: dt.date
    last_check_in: dt.date | None
    next_wage_value_due: dt.date | None
    milestones_done: frozenset[int] = frozenset()  # months already reviewed


def due_items(placement: FollowUp, today: dt.date, horizon: dt.timedelta) -> list[DueItem]:
    """Everything due on or before ``today + horizon`` for an active placement."""
    limit = today + horizon
    items = []
    for months in MILESTONES_MONTHS:
        day = milestone(placement.start, months)
        if months not in placement.milestones_done and day <= limit:
            items.append(DueItem(placement.placement_id, f"milestone_{months}", day))
    check_in = (placement.last_check_in or placement.start) + CHECK_IN_EVERY
    if check_in <= limit:
        items.append(DueItem(placement.placement_id, "check_in", check_in))
    if placement.next_wage_value_due is not None and placement.next_wage_value_due <= limit:
        items.append(DueItem(placement.placement_id, "wage_value", placement.next_wage_value_due))
    return items


def work_list(
    placements: list[FollowUp], today: dt.date, horizon: dt.timedelta = dt.timedelta(days=14)
) -> list[DueItem]:
    """Every due line of every placement, oldest first (then by placement, then kind)."""
    items = [item for p in placements for item in due_items(p, today, horizon)]
    return sorted(items, key=lambda i: (i.due, i.placement_id, i.kind))


def ended_early(start: dt.date, end: dt.date) -> bool:
    """Ending before 12 months asks for the reason and whether the person returns to the
    pool."""
    return end < milestone(start, 12)


def retained(start: dt.date, end: dt.date | None, months: int, today: dt.date) -> bool | None:
    """Still in place ``months`` after the start: True or False, or None while it is too
    early to say."""
    mark = milestone(start, months)
    if mark > today:
        return None
    return end is None or end >= mark
