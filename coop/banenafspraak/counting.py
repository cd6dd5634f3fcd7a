"""Counting the banenafspraak per member and year. Pure: no I/O, the year's figures from
``regulations`` passed in (domain.md, "Counting" and "Counting convention").

* Only paid work counts: an employment at the member, or a secondment to it (the hirer
  counts, not the cooperative that lends). A pooled job counts at each member for the
  hours of that member's share. Unpaid places (trial placement, participatieplaats,
  werkervaringsplaats) never count.
* Only hours while the person was in the doelgroepregister count: each paid period is cut
  to the year and to the register periods, pro rata by days.
* People who reach the minimum wage only with a provision count for the quota, not for
  the agreement.
* Convention: banen = weekly hours ÷ hours per baan × days of the period in the year ÷
  days in the year, summed; counted hours = banen × hours per baan per year. Figures are
  rounded to two decimals only for showing; sums are taken unrounded.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import msgspec

from regulations import YearRules

TWO_PLACES = Decimal("0.01")


class RegisterPeriod(msgspec.Struct, frozen=True):
    start: dt.date
    end: dt.date | None  # still registered when None
    provision: bool = False  # minimum wage only with a provision: quota yes, agreement no


class Work(msgspec.Struct, frozen=True, kw_only=True):
    """Paid hours of one person at one member for a period: one placement's line.

    ``member_id`` is the organisation that counts them (the employer, or the hirer of a
    secondment); None means the cooperative itself employs and does not second.
    """

    placement_id: int
    participant_id: int
    member_id: int | None
    weekly_hours: Decimal
    start: dt.date
    end: dt.date | None
    paid: bool
    register: tuple[RegisterPeriod, ...] = ()


class Line(msgspec.Struct, frozen=True, kw_only=True):
    placement_id: int
    participant_id: int
    banen: Decimal  # for the agreement, unrounded
    quota_banen: Decimal  # for the quota (provision periods included), unrounded
    counted_hours: Decimal


class Count(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    member_id: int | None
    banen: Decimal
    quota_banen: Decimal
    paid_hours: Decimal  # counted hours of the agreement's banen
    lines: tuple[Line, ...]


def _overlap(
    a_start: dt.date, a_end: dt.date, b_start: dt.date, b_end: dt.date | None
) -> tuple[dt.date, dt.date] | None:
    start = max(a_start, b_start)
    end = a_end if b_end is None else min(a_end, b_end)
    return (start, end) if start <= end else None


def line_of(work: Work, rules: YearRules) -> Line:
    """What one line of work counts for in the rules' year."""
    year_start, year_end = dt.date(rules.year, 1, 1), dt.date(rules.year, 12, 31)
    banen = quota = Decimal(0)
    in_year = _overlap(year_start, year_end, work.start, work.end) if work.paid else None
    if in_year is not None:
        for period in work.register:
            part = _overlap(in_year[0], in_year[1], period.start, period.end)
            if part is None:
                continue
            counted = rules.banen(work.weekly_hours, part[0], part[1])
            quota += counted
            if not period.provision:
                banen += counted
    return Line(
        placement_id=work.placement_id,
        participant_id=work.participant_id,
        banen=banen,
        quota_banen=quota,
        counted_hours=rules.counted_hours(banen),
    )


def count(work: Iterable[Work], rules: YearRules) -> dict[int | None, Count]:
    """Per member (None: the cooperative's own employees), what the year's work counts for."""
    lines: dict[int | None, list[Line]] = defaultdict(list)
    for item in work:
        lines[item.member_id].append(line_of(item, rules))
    result = {}
    for member, found in lines.items():
        banen = sum((line.banen for line in found), Decimal(0))
        result[member] = Count(
            year=rules.year,
            member_id=member,
            banen=banen,
            quota_banen=sum((line.quota_banen for line in found), Decimal(0)),
            paid_hours=rules.counted_hours(banen),
            lines=tuple(found),
        )
    return result


class Quota(msgspec.Struct, frozen=True):
    required_banen: Decimal
    difference: Decimal  # quota banen minus required; negative is a shortfall


def quota_of(count: Count, yearly_paid_hours: Decimal | None, rules: YearRules) -> Quota | None:
    """The indicative quota position, or None below the threshold or without paid hours."""
    if yearly_paid_hours is None:
        return None
    required = rules.quota_required_banen(yearly_paid_hours)
    if required is None:
        return None
    return Quota(required, count.quota_banen - required)


def shown(value: Decimal) -> Decimal:
    """Two decimals, as the counting convention shows them."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
