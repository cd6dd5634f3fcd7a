"""The monitor's rules: the period asked for, the figures from plain rows, and the rule for
small counts. Pure: no I/O, no clock (``today`` is an argument), no HTTP.

Definitions (domain.md, "Outcomes worth reporting"), for a period [start, end]:

* **started**: placements that really ran (``actief`` or ``beeindigd``) with their start
  date in the period; **ended**: ``beeindigd`` with their end date in the period.
* **retention after 6 and 12 months**: of the placements whose 6 (12) month anniversary
  falls in the period and has passed (so each started at least that long before the
  period's end), the share still in place on that anniversary, with the counts behind it.
* **wage-value growth**: per participant, the change between the last measurement before
  the period (or the first in it) and the last one in it, in percentage points of WML per
  year; the figure is the median over the participants with two measurements or more.
* **outflow to regular work**: ended placements whose exit reason is regular work
  (:attr:`coop.allocation.rules.ExitReason.regular_work`).
* **places offered versus filled**: the slots (capacity) of places open during the period,
  and how many of those slots a placement that ran in the period used (at most the
  capacity per place, so a place used twice in a row is not "filled" twice).

**Small counts.** A figure that rests on fewer than :data:`SMALL_COUNT` people identifies
them: only coordinators see it; for everyone else (members, WSPs, and admins, who see no
participant data) it is suppressed. A member always sees the figures of its own
organisation alone, and one member's banen are shown (its contribution, on its
statement). When one cell of a table is hidden, :func:`complementary` hides a second one
(or the total) so that it cannot be worked out by subtraction.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

import msgspec

from coop.allocation.rules import ExitReason, Status, add_months, retained

#: Figures resting on fewer people than this are suppressed for non-coordinators.
SMALL_COUNT = 5
#: The longest period the monitor computes at once.
MAX_YEARS = 10
ONE_DECIMAL = Decimal("0.1")
#: Wage-value growth buckets, in percentage points of WML per year (lower bounds).
GROWTH_BUCKETS: tuple[tuple[Decimal | None, Decimal | None], ...] = (
    (None, Decimal(0)),
    (Decimal(0), Decimal(5)),
    (Decimal(5), Decimal(10)),
    (Decimal(10), None),
)


# --- who sees what ------------------------------------------------------------------------


class Viewer(msgspec.Struct, frozen=True):
    role: str  # coop.accounts.roles.Role value
    organisation_id: int | None = None


def suppressed(
    *,
    people: int,
    organisations: Iterable[int | None],
    viewer: Viewer,
    member_banen: bool = False,
) -> bool:
    """Whether a figure must be hidden from ``viewer``.

    ``people``: the number of distinct people the figure rests on; ``organisations``: the
    members whose participants it combines (None for the cooperative's own employees).
    Zero people identify nobody, so a zero is always shown. ``member_banen``: the figure
    is one member's banen, its contribution to the agreement, which admins see on the
    member's statement anyway.

    One organisation alone does not make a small count harmless: "regular work elsewhere:
    1" at one member names a person's outcome to anyone who knows the member. So only a
    member looking at its own figures, and a member's banen, are exempt.
    """
    if viewer.role == "coordinator":
        return False
    involved = set(organisations)
    if viewer.role == "member" and involved and involved <= {viewer.organisation_id}:
        return False  # its own figures
    if member_banen and len(involved) == 1:
        return False
    return 0 < people < SMALL_COUNT


def complementary(
    values: Sequence[int | Decimal], hidden: Sequence[bool], total_hidden: bool = False
) -> tuple[tuple[bool, ...], bool]:
    """Which cells of one column, and whether its total, to hide so that no hidden cell
    can be worked out by subtraction (complementary suppression).

    ``values``: the column's cells; ``hidden``: which of them the small-count rule hides
    for this viewer; ``total_hidden``: whether it hides the total. With the total shown,
    one hidden cell is the total minus the others: then a second cell is hidden too (the
    smallest shown non-zero one, so the two cannot be told apart), or, without such a
    cell, the total. Two or more hidden cells already cover each other. Returns the
    hidden flags of the cells and of the total."""
    flags = list(hidden)
    if total_hidden or sum(flags) != 1:
        return tuple(flags), total_hidden
    others = [i for i, (v, h) in enumerate(zip(values, flags, strict=True)) if not h and v > 0]
    if others:
        flags[min(others, key=lambda i: (values[i], i))] = True
        return tuple(flags), False
    return tuple(flags), True


class Shown(msgspec.Struct, frozen=True):
    """A figure as one viewer may see it: the value, or None when suppressed."""

    value: object | None
    suppressed: bool


def shown(
    value: object, *, people: int, organisations: Iterable[int | None], viewer: Viewer
) -> Shown:
    if suppressed(people=people, organisations=organisations, viewer=viewer):
        return Shown(None, True)
    return Shown(value, False)


# --- the period asked for -----------------------------------------------------------------


class Period(msgspec.Struct, frozen=True):
    start: dt.date
    end: dt.date

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


class MonitorQuery(msgspec.Struct, frozen=True):
    period: Period
    region: str | None = None

    def params(self) -> dict[str, str | None]:
        """The query string that asks for the same figures."""
        return {
            "van": self.period.start.isoformat(),
            "tot": self.period.end.isoformat(),
            "regio": self.region,
        }


def calendar_year(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))


def part_in_year(period: Period, year: int) -> Period:
    """The part of ``period`` in calendar ``year`` (a year the period touches)."""
    whole = calendar_year(year)
    return Period(max(period.start, whole.start), min(period.end, whole.end))


_DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


def parse_date(text: str) -> dt.date | None:
    """2026-03-01 (what a date field sends) or 1-3-2026 (what people type); else None."""
    text = text.strip()
    match = _DUTCH_DATE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        return None
    return None


class Messages(msgspec.Struct, frozen=True):
    """The Dutch texts of the errors, passed in so this module stays free of i18n state."""

    bad_date: str  # for ``van``; its example matches the field's hint
    end_before_start: str
    too_long: str
    unknown_region: str
    out_of_range: str
    bad_end_date: str | None = None  # for ``tot`` (its own example); else ``bad_date``


def parse_query(
    params: Mapping[str, str],
    *,
    today: dt.date,
    regions: Collection[str],
    messages: Messages,
) -> tuple[MonitorQuery | None, dict[str, str], dict[str, str]]:
    """The query, the errors by field, and the values as typed (kept for the form).

    Without ``van`` and ``tot`` the period is the current calendar year; without ``regio``
    all regions.
    """
    default = calendar_year(today.year)
    values = {
        "van": (params.get("van") or "").strip()[:40],
        "tot": (params.get("tot") or "").strip()[:40],
        "regio": (params.get("regio") or "").strip()[:10],
    }
    errors: dict[str, str] = {}
    start = parse_date(values["van"]) if values["van"] else default.start
    end = parse_date(values["tot"]) if values["tot"] else default.end
    for name, day in (("van", start), ("tot", end)):
        if day is None:
            errors[name] = (
                messages.bad_end_date
                if name == "tot" and messages.bad_end_date
                else messages.bad_date
            )
        elif not 2000 <= day.year <= 2100:
            errors[name] = messages.out_of_range
    if start and end and not errors:
        if end < start:
            errors["tot"] = messages.end_before_start
        elif end.year - start.year >= MAX_YEARS:
            errors["tot"] = messages.too_long
    region = values["regio"] or None
    if region is not None and region not in regions:
        errors["regio"] = messages.unknown_region
    if errors or start is None or end is None:
        # A field left empty stands for the default: show it, as a page without errors does.
        for name, day in (("van", default.start), ("tot", default.end)):
            if not values[name]:
                values[name] = day.isoformat()
        return None, errors, values
    values["van"], values["tot"] = start.isoformat(), end.isoformat()
    return MonitorQuery(Period(start, end), region), {}, values


# --- rows in, figures out -----------------------------------------------------------------


class PlacementRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    participant_id: int
    place_id: int
    place_type: str
    status: str
    start: dt.date
    end: dt.date | None
    exit_reason: str | None = None
    organisations: tuple[int | None, ...] = ()


class Group(msgspec.Struct, frozen=True, kw_only=True):
    """A count with the people and organisations behind it (for the small-count rule)."""

    count: int
    people: int
    organisations: frozenset[int | None]


def _group(rows: Iterable[PlacementRow]) -> Group:
    rows = list(rows)
    return Group(
        count=len(rows),
        people=len({r.participant_id for r in rows}),
        organisations=frozenset(o for r in rows for o in r.organisations),
    )


#: Statuses of placements that really ran (plain strings: this is checked per row).
RAN = frozenset({Status.ACTIEF.value, Status.BEEINDIGD.value})
ENDED = Status.BEEINDIGD.value


def ran(row: PlacementRow) -> bool:
    return row.status in RAN


def started_in(rows: Iterable[PlacementRow], period: Period) -> list[PlacementRow]:
    return [r for r in rows if ran(r) and r.start in period]


def ended_in(rows: Iterable[PlacementRow], period: Period) -> list[PlacementRow]:
    return [r for r in rows if r.status == ENDED and r.end is not None and r.end in period]


REGULAR_WORK = frozenset(r.value for r in ExitReason if r.regular_work)


def regular_work(reason: str | None) -> bool:
    return reason in REGULAR_WORK


class TypeLine(msgspec.Struct, frozen=True, kw_only=True):
    place_type: str
    started: Group
    ended: Group
    outflow: Group  # ended to regular work


def by_place_type(
    rows: Iterable[PlacementRow], period: Period, place_types: Iterable[str]
) -> list[TypeLine]:
    """Started, ended and outflow to regular work per place type, in ``place_types`` order."""
    rows = list(rows)
    started, ended = started_in(rows, period), ended_in(rows, period)
    return [
        TypeLine(
            place_type=kind,
            started=_group(r for r in started if r.place_type == kind),
            ended=_group(r for r in ended if r.place_type == kind),
            outflow=_group(
                r for r in ended if r.place_type == kind and regular_work(r.exit_reason)
            ),
        )
        for kind in place_types
    ]


def total_by_type(
    lines: Iterable[TypeLine], rows: Iterable[PlacementRow], period: Period
) -> TypeLine:
    del lines  # the total is counted from the rows, so a person in two lines counts once
    rows = list(rows)
    started, ended = started_in(rows, period), ended_in(rows, period)
    return TypeLine(
        place_type="",
        started=_group(started),
        ended=_group(ended),
        outflow=_group(r for r in ended if regular_work(r.exit_reason)),
    )


def by_exit_reason(rows: Iterable[PlacementRow], period: Period) -> list[tuple[str, Group]]:
    """Ended placements per exit reason (every reason, in the order of ExitReason)."""
    ended = ended_in(rows, period)
    return [
        (reason.value, _group(r for r in ended if r.exit_reason == reason.value))
        for reason in ExitReason
    ]


class Retention(msgspec.Struct, frozen=True, kw_only=True):
    months: int
    eligible: Group  # anniversary in the period and passed
    retained: Group  # still in place on it
    share: Decimal | None  # percent, one decimal; None without eligible placements


def retention(
    rows: Iterable[PlacementRow], months: int, period: Period, today: dt.date
) -> Retention:
    until = min(period.end, today)
    # Only starts within a month of the window can have their anniversary in the period;
    # the exact test (with month ends) follows.
    earliest = period.start - dt.timedelta(days=31 * months + 31)
    latest = period.end - dt.timedelta(days=28 * months - 31)
    eligible, kept = [], []
    for row in rows:
        if not (earliest <= row.start <= latest and row.status in RAN):
            continue
        mark = add_months(row.start, months)
        if not period.start <= mark <= until:
            continue
        outcome = retained(row.start, row.end, months, until)
        if outcome is None:
            continue
        eligible.append(row)
        if outcome:
            kept.append(row)
    share = (
        (Decimal(100) * len(kept) / len(eligible)).quantize(ONE_DECIMAL, ROUND_HALF_UP)
        if eligible
        else None
    )
    return Retention(months=months, eligible=_group(eligible), retained=_group(kept), share=share)


def retention_window(months: int, period: Period, today: dt.date) -> Period | None:
    """The start dates whose anniversary falls in the period and has passed by ``today``:
    exactly the placements :func:`retention` counts (for the list behind the figure), or
    None when no anniversary can have passed yet.

    Month ends make :func:`add_months` many-to-one (31 August and 30 August + 6 months are
    both 28 February), so the bounds are moved to the first and last start date that maps
    into the period rather than taken as the period shifted back."""
    until = min(period.end, today)
    if until < period.start:
        return None
    first = add_months(period.start, -months)
    while add_months(first, months) < period.start:
        first += dt.timedelta(days=1)
    while add_months(first - dt.timedelta(days=1), months) >= period.start:
        first -= dt.timedelta(days=1)
    last = add_months(until, -months)
    while add_months(last + dt.timedelta(days=1), months) <= until:
        last += dt.timedelta(days=1)
    while add_months(last, months) > until:
        last -= dt.timedelta(days=1)
    if last < first:
        return None
    return Period(first, last)


class Measurement(msgspec.Struct, frozen=True, kw_only=True):
    participant_id: int
    measured_on: dt.date
    percent: Decimal
    organisations: tuple[int | None, ...] = ()


class WageGrowth(msgspec.Struct, frozen=True, kw_only=True):
    participants: int
    median: Decimal | None  # percentage points of WML per year, one decimal
    buckets: tuple[int, ...]  # participants per GROWTH_BUCKETS entry
    organisations: frozenset[int | None]


def growth_per_year(measurements: Iterable[Measurement], period: Period) -> Decimal | None:
    """One participant's change in percentage points per year (see the module's docstring),
    or None with fewer than two measurements to compare."""
    ordered = sorted(measurements, key=lambda m: m.measured_on)
    inside = [m for m in ordered if m.measured_on in period]
    if not inside:
        return None
    before = [m for m in ordered if m.measured_on < period.start]
    first = before[-1] if before else inside[0]
    last = inside[-1]
    days = (last.measured_on - first.measured_on).days
    if days <= 0:
        return None
    return (last.percent - first.percent) * Decimal(365) / Decimal(days)


def wage_growth(measurements: Iterable[Measurement], period: Period) -> WageGrowth:
    per_person: dict[int, list[Measurement]] = defaultdict(list)
    for m in measurements:
        if m.measured_on <= period.end:
            per_person[m.participant_id].append(m)
    growth: list[Decimal] = []
    organisations: set[int | None] = set()
    for found in per_person.values():
        change = growth_per_year(found, period)
        if change is None:
            continue
        growth.append(change)
        organisations.update(o for m in found for o in m.organisations)
    buckets = tuple(
        sum(1 for g in growth if (low is None or g >= low) and (high is None or g < high))
        for low, high in GROWTH_BUCKETS
    )
    median = (
        Decimal(statistics.median(growth)).quantize(ONE_DECIMAL, ROUND_HALF_UP) if growth else None
    )
    return WageGrowth(
        participants=len(growth),
        median=median,
        buckets=buckets,
        organisations=frozenset(organisations),
    )


class PlaceRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    place_type: str
    capacity: int
    organisation: int | None = None


class PlacesLine(msgspec.Struct, frozen=True, kw_only=True):
    place_type: str
    places: int
    offered: int  # slots
    filled: Group  # count: slots used


def running_in(rows: Iterable[PlacementRow], period: Period) -> list[PlacementRow]:
    """Placements that ran at some time in the period."""
    return [
        r
        for r in rows
        if ran(r) and r.start <= period.end and (r.end is None or r.end >= period.start)
    ]


def places_offered(
    places: Iterable[PlaceRow],
    rows: Iterable[PlacementRow],
    period: Period,
    place_types: Iterable[str],
) -> list[PlacesLine]:
    places = list(places)
    by_place: dict[int, list[PlacementRow]] = defaultdict(list)
    for r in running_in(rows, period):
        by_place[r.place_id].append(r)
    result = []
    for kind in place_types:
        chosen = [p for p in places if p.place_type == kind]
        used: list[PlacementRow] = []
        slots = 0
        for place in chosen:
            ran_here = sorted(by_place.get(place.id, []), key=lambda r: (r.start, r.id))
            taken = ran_here[: max(0, place.capacity)]
            slots += len(taken)
            used.extend(taken)
        group = _group(used)
        result.append(
            PlacesLine(
                place_type=kind,
                places=len(chosen),
                offered=sum(max(0, p.capacity) for p in chosen),
                filled=Group(count=slots, people=group.people, organisations=group.organisations),
            )
        )
    return result


def fill_rate(offered: int, filled: int) -> Decimal | None:
    if offered <= 0:
        return None
    return (Decimal(100) * filled / offered).quantize(ONE_DECIMAL, ROUND_HALF_UP)


class TenantLine(msgspec.Struct, frozen=True, kw_only=True):
    tenant_id: int
    slug: str
    name: str
    scans: int
    leads: int


def tenant_lines(
    tenants: Iterable[Mapping[str, object]],
    scans: Mapping[int, int],
    leads: Mapping[int, int],
) -> list[TenantLine]:
    """Every tenant with scans or leads in the period, or active; most scans first."""
    tenants = list(tenants)
    lines = [
        TenantLine(
            tenant_id=int(t["id"]),  # type: ignore[call-overload]
            slug=str(t["slug"]),
            name=str(t["name"]),
            scans=scans.get(int(t["id"]), 0),  # type: ignore[call-overload]
            leads=leads.get(int(t["id"]), 0),  # type: ignore[call-overload]
        )
        for t in tenants
    ]
    lines = [
        line
        for line, t in zip(lines, tenants, strict=True)
        if line.scans or line.leads or t.get("active", True)
    ]
    return sorted(lines, key=lambda line: (-line.scans, -line.leads, line.name.casefold()))


# --- banen per member ---------------------------------------------------------------------


class BanenLine(msgspec.Struct, frozen=True, kw_only=True):
    member_id: int | None  # None: the cooperative's own employees
    banen: dict[int, Decimal]  # year -> banen (unrounded)
    people: dict[int, int]  # year -> people counted


def banen_lines(
    counts_by_year: Mapping[int, Mapping[int | None, object] | None],
) -> list[BanenLine]:
    """One line per member that counts in any year; the cooperative's own line last.

    ``counts_by_year``: year -> {member id: coop.banenafspraak.counting.Count}, or None for
    a year without a rule table. A member without work in a year has zero that year.
    """
    members: set[int | None] = set()
    for counts in counts_by_year.values():
        members.update(counts or {})
    lines = []
    for member in members:
        banen: dict[int, Decimal] = {}
        people: dict[int, int] = {}
        for year, counts in counts_by_year.items():
            if counts is None:
                continue
            count = counts.get(member)
            found = getattr(count, "lines", ()) if count is not None else ()
            banen[year] = getattr(count, "banen", Decimal(0)) if count is not None else Decimal(0)
            people[year] = len({line.participant_id for line in found if line.banen > 0})
        lines.append(BanenLine(member_id=member, banen=banen, people=people))
    return lines


def people_in_year(counts: Mapping[int | None, object] | None) -> int:
    """Distinct people counted in a year, over all members (a pooled job counts once)."""
    if not counts:
        return 0
    return len(
        {
            line.participant_id
            for count in counts.values()
            for line in getattr(count, "lines", ())
            if line.banen > 0
        }
    )
