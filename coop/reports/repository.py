"""The monitor's queries: a fixed handful per page, however many members or placements.

Every query reads rows for the whole period at once (placements, the members behind them,
wage values, places, scans and leads grouped per tenant); the figures are made from them
by :mod:`coop.reports.rules`. No participant's name or special-category value leaves this
module: only ids, dates, statuses and wage-value percentages, which become aggregates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from piccolo.query.functions.aggregate import Count

import regulations
from coop.accounts.principal import Principal
from coop.allocation.rules import Status, add_months
from coop.allocation.tables import Placement, PlacementMember, WageValue
from coop.banenafspraak import counting
from coop.banenafspraak import repository as banenafspraak
from coop.members.tables import Organisation
from coop.reports import rules
from coop.reports.rules import Measurement, MonitorQuery, PlacementRow, PlaceRow
from coop.work.tables import Place
from selfscan.scans.tables import Scan
from selfscan.tenants.leads.tables import Lead
from selfscan.tenants.tables import Tenant

LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")
RAN = [Status.ACTIEF.value, Status.BEEINDIGD.value]


def _placement_conditions(query: MonitorQuery, via: Any = None) -> list[Any]:
    """The placements any figure of the period needs: they ran, started by the period's
    end, and either started at most 12 months before it (retention), still run, or ended
    in or after it."""
    p = via if via is not None else Placement
    period = query.period
    conditions = [
        p.status.is_in(RAN),
        p.start_date <= period.end,
        (p.start_date >= add_months(period.start, -12))
        | p.end_date.is_null()
        | (p.end_date >= period.start),
    ]
    if query.region:
        conditions.append(p.place.region_code == query.region)
    return conditions


async def placements(query: MonitorQuery, *, with_members: bool = True) -> list[PlacementRow]:
    """The placements, and (``with_members``) in a second query the members behind them,
    which only the small-count rule needs: coordinators see every figure, so their
    monitor leaves that query out."""
    select = Placement.select(
        Placement.id,
        Placement.participant,
        Placement.place,
        Placement.place.place_type.as_alias("place_type"),
        Placement.status,
        Placement.start_date,
        Placement.end_date,
        Placement.exit_reason,
    )
    for condition in _placement_conditions(query):
        select = select.where(condition)
    rows = await select
    members: dict[int, list[int]] = {}
    if with_members:
        members_select = PlacementMember.select(
            PlacementMember.placement.id.as_alias("placement_id"), PlacementMember.organisation
        )
        for condition in _placement_conditions(query, via=PlacementMember.placement):
            members_select = members_select.where(condition)
        for m in await members_select:
            members.setdefault(m["placement_id"], []).append(m["organisation"])
    return [
        PlacementRow(
            id=r["id"],
            participant_id=r["participant"],
            place_id=r["place"],
            place_type=r["place_type"] or "",
            status=r["status"],
            start=r["start_date"],
            end=r["end_date"],
            exit_reason=r["exit_reason"],
            organisations=tuple(members.get(r["id"], ())),
        )
        for r in rows
    ]


#: How far before the period a wage value can be the baseline of the growth: the rules
#: ask for a new measurement at least every three years.
BASELINE_YEARS = 3


async def measurements(
    query: MonitorQuery, organisations: dict[int, tuple[int | None, ...]] | None = None
) -> list[Measurement]:
    """The wage-value measurements up to the period's end that the growth can use (the
    baseline before the period too). ``organisations``: placement id -> its members, from
    :func:`placements` (a measurement in the period belongs to a placement that ran then)."""
    floor = add_months(query.period.start, -12 * BASELINE_YEARS)
    select = (
        WageValue.select(
            WageValue.placement,
            WageValue.placement.participant.as_alias("participant"),
            WageValue.measured_on,
            WageValue.percent,
        )
        .where(WageValue.measured_on <= query.period.end)
        .where(WageValue.measured_on >= floor)
    )
    if query.region:
        select = select.where(WageValue.placement.place.region_code == query.region)
    found = organisations or {}
    return [
        Measurement(
            participant_id=r["participant"],
            measured_on=r["measured_on"],
            percent=Decimal(str(r["percent"])),
            organisations=found.get(r["placement"], ()),
        )
        for r in await select
    ]


async def places(query: MonitorQuery) -> list[PlaceRow]:
    """Places open at some time in the period."""
    period = query.period
    select = (
        Place.select(Place.id, Place.place_type, Place.capacity, Place.organisation)
        .where(Place.start_date <= period.end)
        .where(Place.end_date.is_null() | (Place.end_date >= period.start))
    )
    if query.region:
        select = select.where(Place.region_code == query.region)
    return [
        PlaceRow(
            id=r["id"],
            place_type=r["place_type"],
            capacity=r["capacity"] or 0,
            organisation=r["organisation"],
        )
        for r in await select
    ]


def _moments(query: MonitorQuery) -> tuple[dt.datetime, dt.datetime]:
    """The period in local days, as UTC-aware bounds [from, until)."""
    start = dt.datetime.combine(query.period.start, dt.time(), LOCAL_ZONE)
    until = dt.datetime.combine(query.period.end + dt.timedelta(days=1), dt.time(), LOCAL_ZONE)
    return start.astimezone(dt.UTC), until.astimezone(dt.UTC)


async def tenants(query: MonitorQuery) -> list[dict[str, Any]]:
    select = Tenant.select(Tenant.id, Tenant.slug, Tenant.name, Tenant.active).order_by(Tenant.name)
    if query.region:
        select = select.where(Tenant.region_code == query.region)
    return await select


async def scans_per_tenant(query: MonitorQuery) -> dict[int, int]:
    start, until = _moments(query)
    rows = (
        await Scan.select(Scan.tenant, Count(alias="n"))
        .where(Scan.status == "completed")
        .where(Scan.completed_at >= start)
        .where(Scan.completed_at < until)
        .group_by(Scan.tenant)
    )
    return {r["tenant"]: r["n"] for r in rows}


async def leads_per_tenant(query: MonitorQuery) -> dict[int, int]:
    start, until = _moments(query)
    rows = (
        await Lead.select(Lead.tenant, Count(alias="n"))
        .where(Lead.created_at >= start)
        .where(Lead.created_at < until)
        .group_by(Lead.tenant)
    )
    return {r["tenant"]: r["n"] for r in rows}


async def organisation_names(ids: Collection[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = await Organisation.select(Organisation.id, Organisation.name).where(
        Organisation.id.is_in(wanted)
    )
    return {r["id"]: r["name"] for r in rows}


async def banen_counts(
    query: MonitorQuery, today: dt.date, actor: Principal | None = None, client_ip: str = ""
) -> dict[int, dict[int | None, counting.Count] | None]:
    """Per year the period touches, the count of every member (None: no rule table).
    ``actor`` is whom the count's read of the register is audited for."""
    as_of = min(query.period.end, today)
    result: dict[int, dict[int | None, counting.Count] | None] = {}
    for year in query.period.years:
        if year > today.year:
            result[year] = {}  # nothing is counted in a year that has not begun
            continue
        try:
            year_rules = regulations.for_year(year)
        except regulations.UnknownYear:
            result[year] = None
            continue
        work = await banenafspraak.work_of_year(
            year, as_of=as_of, region=query.region, actor=actor, client_ip=client_ip
        )
        # Only the part of the period in this year counts (a period from June to May
        # counts June to December of its first year, not the whole year).
        since = rules.part_in_year(query.period, year).start
        cut = [
            msgspec.structs.replace(w, start=max(w.start, since))
            for w in work
            if w.end is None or w.end >= since
        ]
        counts = counting.count(cut, year_rules)
        counts.setdefault(None, _nothing(year))
        result[year] = counts
    return result


def _nothing(year: int) -> counting.Count:
    """The cooperative's own line in a year it employs nobody itself (always shown)."""
    zero = Decimal(0)
    return counting.Count(
        year=year, member_id=None, banen=zero, quota_banen=zero, paid_hours=zero, lines=()
    )
