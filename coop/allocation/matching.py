"""Can this participant take this place, and how well does it fit? Pure rules, no I/O.

Two steps, as the coordinators asked for them:

* **Hard constraints** decide whether a pair can match at all. A pair that fails one is
  never proposed; :func:`blockers` says which ones failed, so that an unmatched
  participant gets a reason.
* **Soft criteria** give a score from 0 to 100, built from lines a coordinator can read
  one by one ("+25 voorkeur sector klopt", "−10 reistijd aan de hoge kant"). A line is a
  :class:`Reason` with a stable code and its points; :mod:`coop.allocation.texts` turns it
  into a sentence in the reader's language.

The repository maps participants and places (pooled jobs are places of capacity 1) onto
:class:`Seeker` and :class:`Opening`, so these rules know nothing of tables.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Literal

import msgspec

Travel = Literal["gemeente", "regio", "verder"]

#: How far ahead a place may start and still count as "available now".
SOON = dt.timedelta(days=31)


class Guidance(enum.IntEnum):
    """UWV's grades of guidance intensity; a place offering a grade offers the ones below."""

    LICHT = 1
    GEMIDDELD = 2
    INTENSIEF = 3

    @classmethod
    def of(cls, slug: str) -> Guidance:
        return cls[slug.upper()]


class Seeker(msgspec.Struct, frozen=True, kw_only=True):
    """A participant as the matching sees them: availability, reach, needs and wishes."""

    id: int
    municipality: str  # CBS code, GMxxxx
    region: str  # CBS code, AMxx
    travel: Travel
    hours_per_week: float  # at most
    available_from: dt.date
    place_types: frozenset[str]
    guidance: Guidance
    support_needs: frozenset[str] = frozenset()
    days: frozenset[str] = frozenset()  # empty: any day
    sectors: frozenset[str] = frozenset()  # empty: no preference
    task_kinds: frozenset[str] = frozenset()


class Opening(msgspec.Struct, frozen=True, kw_only=True):
    """A place with at least one free slot (a pooled job is a place of capacity 1)."""

    id: int
    place_type: str
    municipality: str
    region: str
    hours_per_week: float
    start: dt.date
    end: dt.date | None  # open-ended when None
    guidance: Guidance  # the most intensive guidance on offer
    supports: frozenset[str] = frozenset()
    slots_free: int = 1
    days: frozenset[str] = frozenset()  # empty: days to be agreed
    sector: str | None = None
    task_kinds: frozenset[str] = frozenset()


class Reason(msgspec.Struct, frozen=True):
    """One line of an explanation: a stable code, its points and the values it names."""

    code: str
    points: int = 0
    values: dict[str, str] = msgspec.field(default_factory=dict)


class Match(msgspec.Struct, frozen=True):
    seeker_id: int
    opening_id: int
    score: int
    reasons: tuple[Reason, ...]


# --- hard constraints -------------------------------------------------------------------

#: Every hard constraint, in the order a coordinator would check them.
BLOCKERS = (
    "place_type",
    "hours",
    "period",
    "travel",
    "guidance",
    "support",
    "capacity",
)


def within_reach(seeker: Seeker, opening: Opening) -> bool:
    if seeker.travel == "gemeente":
        return opening.municipality == seeker.municipality
    if seeker.travel == "regio":
        return opening.region == seeker.region
    return True


def blockers(seeker: Seeker, opening: Opening) -> tuple[str, ...]:
    """The hard constraints this pair fails, as codes from :data:`BLOCKERS`; empty if none."""
    failed = []
    if opening.place_type not in seeker.place_types:
        failed.append("place_type")
    if opening.hours_per_week > seeker.hours_per_week:
        failed.append("hours")
    if opening.end is not None and opening.end < seeker.available_from:
        failed.append("period")
    if not within_reach(seeker, opening):
        failed.append("travel")
    if opening.guidance < seeker.guidance:
        failed.append("guidance")
    if not seeker.support_needs <= opening.supports:
        failed.append("support")
    if opening.slots_free < 1:
        failed.append("capacity")
    return tuple(failed)


def can_match(seeker: Seeker, opening: Opening) -> bool:
    return not blockers(seeker, opening)


# --- soft criteria ----------------------------------------------------------------------

#: The most each criterion adds; together exactly 100.
WEIGHTS = {"sector": 25, "tasks": 20, "hours": 20, "travel": 15, "days": 10, "start": 10}
TRAVEL_FAR_PENALTY = -10


def _sector(seeker: Seeker, opening: Opening) -> Reason:
    if not seeker.sectors:
        return Reason("sector_open", WEIGHTS["sector"] // 2)
    if opening.sector is not None and opening.sector in seeker.sectors:
        return Reason("sector_match", WEIGHTS["sector"])
    return Reason("sector_other", 0)


def _tasks(seeker: Seeker, opening: Opening) -> Reason:
    if not seeker.task_kinds or not opening.task_kinds:
        return Reason("tasks_unknown", WEIGHTS["tasks"] // 2)
    shared = len(seeker.task_kinds & opening.task_kinds)
    points = round(WEIGHTS["tasks"] * shared / len(seeker.task_kinds))
    return Reason(
        "tasks_match" if shared else "tasks_other",
        points,
        {"shared": str(shared), "wanted": str(len(seeker.task_kinds))},
    )


def _hours(seeker: Seeker, opening: Opening) -> Reason:
    # Hard constraints already keep the place within the participant's hours; the closer
    # it comes to them, the more of what the person can offer is used.
    share = opening.hours_per_week / seeker.hours_per_week if seeker.hours_per_week else 0
    if share >= 0.8:
        return Reason("hours_full", WEIGHTS["hours"])
    if share >= 0.5:
        return Reason("hours_part", WEIGHTS["hours"] // 2)
    return Reason("hours_few", 0)


def _travel(seeker: Seeker, opening: Opening) -> Reason:
    if opening.municipality == seeker.municipality:
        return Reason("travel_local", WEIGHTS["travel"])
    if opening.region == seeker.region:
        return Reason("travel_region", WEIGHTS["travel"] // 2)
    return Reason("travel_far", TRAVEL_FAR_PENALTY)


def _days(seeker: Seeker, opening: Opening) -> Reason:
    if not opening.days or not seeker.days or opening.days <= seeker.days:
        return Reason("days_fit", WEIGHTS["days"])
    if opening.days & seeker.days:
        return Reason("days_partly", WEIGHTS["days"] // 2)
    return Reason("days_other", 0)


def _start(seeker: Seeker, opening: Opening, today: dt.date) -> Reason:
    begins = max(opening.start, seeker.available_from, today)
    if begins - today <= SOON:
        return Reason("start_soon", WEIGHTS["start"])
    return Reason("start_later", 0, {"date": begins.isoformat()})


def explain(seeker: Seeker, opening: Opening, today: dt.date) -> tuple[Reason, ...]:
    """The soft criteria of a pair, one line each (hard constraints are not checked)."""
    return (
        _sector(seeker, opening),
        _tasks(seeker, opening),
        _hours(seeker, opening),
        _travel(seeker, opening),
        _days(seeker, opening),
        _start(seeker, opening, today),
    )


def score_of(reasons: tuple[Reason, ...]) -> int:
    return max(0, min(100, sum(reason.points for reason in reasons)))


def match(seeker: Seeker, opening: Opening, today: dt.date) -> Match | None:
    """The scored pair, or None when a hard constraint rules it out."""
    if not can_match(seeker, opening):
        return None
    reasons = explain(seeker, opening, today)
    return Match(seeker.id, opening.id, score_of(reasons), reasons)
