"""What the banenafspraak count shows: a member's (or the cooperative's) figures of a
year, with a line per placement. Shared by the API, the member dashboard and the PDF
statement, so they all show the same numbers.

Banen and hours are shown with two decimals (the counting convention, domain.md); the
sums behind them are taken unrounded in ``counting``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from msgspec import Struct


class PlacementLine(Struct, frozen=True, kw_only=True):
    """One placement as it counts at this member (or at the cooperative)."""

    placement_id: int
    participant_code: str
    place_title: str
    employment_model: str  # a–e, domain.md "Employment models"
    weekly_hours: Decimal  # the hours that count here: this member's share of a pooled job
    start: dt.date
    end: dt.date | None
    paid: bool
    banen: Decimal  # for the agreement, two decimals
    quota_banen: Decimal  # for the quota (provision periods included), two decimals
    counted_hours: Decimal  # banen × hours per baan per year, two decimals


class MemberFigures(Struct, frozen=True, kw_only=True):
    """A member's count of a year; ``member_id`` None is the cooperative's own count."""

    year: int
    member_id: int | None
    as_of: dt.date  # work after this day is not counted (never the future)
    paid_hours: Decimal
    banen: Decimal
    quota_banen: Decimal
    required_banen: Decimal | None  # indicative; None below the quota threshold
    difference: Decimal | None  # quota banen minus required; negative is a shortfall
    placements: list[PlacementLine]


class MemberTotal(Struct, frozen=True, kw_only=True):
    """One row of the overview of all members: a member's figures without the lines.
    ``member_id`` None (name empty) is the cooperative's own count."""

    year: int
    member_id: int | None
    name: str
    as_of: dt.date
    paid_hours: Decimal
    banen: Decimal
    quota_banen: Decimal
    required_banen: Decimal | None
    difference: Decimal | None
    placements: int  # how many placements count here (zero-counting ones included)


class Overview(Struct, frozen=True, kw_only=True):
    """Every member's total and the cooperative's own (first), with the sums over all of
    them, taken unrounded and shown with two decimals."""

    year: int
    as_of: dt.date
    paid_hours: Decimal
    banen: Decimal
    quota_banen: Decimal
    items: list[MemberTotal]
