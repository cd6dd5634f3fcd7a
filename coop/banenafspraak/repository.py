"""Queries of the banenafspraak count: the one place that reads placements for it.

What counts is decided in ``counting`` (pure); this module only turns placements into
:class:`counting.Work`, by the rules of domain.md:

* Only placements that actually ran: ``actief`` or ``beeindigd`` (a ``gepland`` one has
  not started, a ``geannuleerd`` one never did).
* The hirer counts. Every placement at a member has ``placement_member`` rows, written
  when it was made: one for model a (the member employs) and b (the cooperative seconds
  to the place's member), one per member's share for model c (a pooled job). Each row is
  a line of work at that member for its own weekly minutes. A placement without members
  at a place of the cooperative (organisation NULL) is the cooperative's own (member
  None); it no longer counts there once it is seconded, because then it has members.
* Paid only: the placement's ``paid`` flag and its model (d never counts; sheltered work,
  e, is paid employment).
* Work runs from the start to the end date, cut at ``as_of`` (by default the earlier of
  today and 31 December of the year): the future is never counted.
* The register periods come from the participant's register facts (audited there); a
  person not in the register, or without a register start date, counts nothing.

Every function runs a fixed number of queries, however many members and placements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from typing import Any

import msgspec

import regulations
from coop.accounts.principal import Principal
from coop.accounts.scoping import get_visible
from coop.allocation.rules import Status
from coop.allocation.tables import Placement, PlacementMember
from coop.banenafspraak import counting
from coop.banenafspraak.schemas import MemberFigures, MemberTotal, Overview, PlacementLine
from coop.errors import NotFound
from coop.members.rules import Status as MemberStatus
from coop.members.tables import Organisation
from coop.participants import repository as participants
from coop.reference import regions
from coop.work.rules import EmploymentModel

# The placements that actually ran; a planned one has not started, a cancelled one never did.
COUNTED_STATUSES = (Status.ACTIEF.value, Status.BEEINDIGD.value)
UNPAID_MODEL = EmploymentModel.ONBETAALD.value
MINUTES_PER_HOUR = Decimal(60)


def default_as_of(year: int, today: dt.date | None = None) -> dt.date:
    """The earlier of today and 31 December of the year: the future is never counted."""
    return min(today or dt.date.today(), dt.date(year, 12, 31))


def _cut(year: int, as_of: dt.date | None) -> dt.date:
    """The last day counted: ``as_of``, but never in the future or after the year."""
    latest = default_as_of(year)
    return latest if as_of is None else min(as_of, latest)


class _Placement(msgspec.Struct, frozen=True, kw_only=True):
    """What a line shows besides the counted figures."""

    participant_code: str
    place_title: str
    employment_model: str


class _Found(msgspec.Struct, frozen=True, kw_only=True):
    work: list[counting.Work]
    placements: dict[int, _Placement]


def _periods(facts: Any) -> tuple[counting.RegisterPeriod, ...]:
    if facts is None or not facts.register_in or facts.register_start is None:
        return ()
    return (
        counting.RegisterPeriod(
            facts.register_start, facts.register_end, provision=facts.register_provision
        ),
    )


def _region_of(municipality_code: str | None) -> str | None:
    municipality = regions.municipality(municipality_code)
    return municipality.region.code if municipality else None


async def _find(
    year: int,
    *,
    as_of: dt.date | None,
    member_ids: Collection[int] | None,
    region: str | None,
    cooperative: bool,
    actor: Principal | None,
    client_ip: str = "",
) -> _Found:
    """The year's work, restricted to ``member_ids`` (and the cooperative's own when
    ``cooperative``), and to a region: a member's by its municipality, the cooperative's
    own by the place's region. Two queries (placements, their members) plus the
    register's read and its audit event."""
    first = dt.date(year, 1, 1)
    cut = _cut(year, as_of)
    last = min(cut, dt.date(year, 12, 31))
    if last < first:
        return _Found(work=[], placements={})
    ran = (
        Placement.status.is_in(list(COUNTED_STATUSES))
        & (Placement.start_date <= last)
        & (Placement.end_date.is_null() | (Placement.end_date >= first))
    )
    ids = sorted(set(member_ids)) if member_ids is not None else None
    if ids is not None:
        # A member's placements: its own place, or a share of a pooled job. Without the
        # cooperative, an empty list means nothing at all.
        mine = (
            Placement.place.organisation.is_in(ids)
            | Placement.id.is_in(
                PlacementMember.select(PlacementMember.placement).where(
                    PlacementMember.organisation.is_in(ids)
                )
            )
            if ids
            else None
        )
        own = Placement.place.organisation.is_null() if cooperative else None
        if mine is None and own is None:
            return _Found(work=[], placements={})
        if mine is not None and own is not None:
            ran = ran & (mine | own)
        else:
            ran = ran & (mine if mine is not None else own)
    rows = await Placement.select(
        Placement.id,
        Placement.participant,
        Placement.employment_model,
        Placement.paid,
        Placement.minutes_per_week,
        Placement.start_date,
        Placement.end_date,
        Placement.place.organisation.as_alias("place_organisation"),
        Placement.place.organisation.municipality_code.as_alias("place_municipality"),
        Placement.place.title.as_alias("place_title"),
        Placement.place.region_code.as_alias("place_region"),
        Placement.participant.code.as_alias("participant_code"),
    ).where(ran)
    if not rows:
        return _Found(work=[], placements={})
    members = await PlacementMember.select(
        PlacementMember.placement,
        PlacementMember.organisation,
        PlacementMember.minutes_per_week,
        PlacementMember.organisation.municipality_code.as_alias("municipality"),
    ).where(PlacementMember.placement.is_in(Placement.select(Placement.id).where(ran)))
    shares: dict[int, list[dict[str, Any]]] = {}
    for m in members:
        shares.setdefault(m["placement"], []).append(m)
    facts = await participants.register_facts(
        {r["participant"] for r in rows}, actor=actor, client_ip=client_ip
    )
    wanted = set(ids) if ids is not None else None

    work: list[counting.Work] = []
    shown: dict[int, _Placement] = {}
    for r in sorted(rows, key=lambda r: (r["start_date"], r["id"])):
        paid = bool(r["paid"]) and r["employment_model"] != UNPAID_MODEL
        end = r["end_date"] if r["end_date"] is not None and r["end_date"] <= cut else cut
        register = _periods(facts.get(r["participant"]))
        # Who counts this placement, for how many minutes, and in which region.
        if shares.get(r["id"]):
            at = [
                (m["organisation"], m["minutes_per_week"], _region_of(m["municipality"]))
                for m in sorted(shares[r["id"]], key=lambda m: m["organisation"])
            ]
        elif r["place_organisation"] is not None:
            # Made before placement_member rows existed: the place's member counts it all.
            at = [
                (
                    r["place_organisation"],
                    r["minutes_per_week"],
                    _region_of(r["place_municipality"]),
                )
            ]
        else:
            at = [(None, r["minutes_per_week"], r["place_region"])]
        for member, minutes, member_region in at:
            if member is None and not (cooperative or wanted is None):
                continue
            if member is not None and wanted is not None and member not in wanted:
                continue
            if region is not None and member_region != region:
                continue
            work.append(
                counting.Work(
                    placement_id=r["id"],
                    participant_id=r["participant"],
                    member_id=member,
                    weekly_hours=Decimal(minutes) / MINUTES_PER_HOUR,
                    start=r["start_date"],
                    end=end,
                    paid=paid,
                    register=register,
                )
            )
            shown[r["id"]] = _Placement(
                participant_code=r["participant_code"] or "",
                place_title=r["place_title"] or "",
                employment_model=r["employment_model"],
            )
    return _Found(work=work, placements=shown)


async def work_of_year(
    year: int,
    *,
    as_of: dt.date | None = None,
    member_ids: Collection[int] | None = None,
    region: str | None = None,
    actor: Principal | None = None,
    client_ip: str = "",
) -> list[counting.Work]:
    """The lines of work of a year, one per placement and counting member (a pooled job
    gives one per member's share), cut at ``as_of``. ``member_ids`` limits them to those
    members (the cooperative's own left out); ``region`` (AMxx) to members in that
    labour-market region and the cooperative's own places there. ``actor`` is who the
    register read is audited for. A constant number of queries."""
    found = await _find(
        year,
        as_of=as_of,
        member_ids=member_ids,
        region=region,
        cooperative=member_ids is None,
        actor=actor,
        client_ip=client_ip,
    )
    return found.work


async def counts(
    year: int,
    *,
    as_of: dt.date | None = None,
    region: str | None = None,
    actor: Principal | None = None,
) -> dict[int | None, counting.Count]:
    """The count of every member with work in the year, and None for the cooperative's
    own. Raises :class:`regulations.UnknownYear` for a year without a rule table."""
    rules = regulations.for_year(year)
    work = await work_of_year(year, as_of=as_of, region=region, actor=actor)
    result = counting.count(work, rules)
    result.setdefault(None, _nothing(year, None))
    return result


def _nothing(year: int, member_id: int | None) -> counting.Count:
    zero = Decimal(0)
    return counting.Count(
        year=year, member_id=member_id, banen=zero, quota_banen=zero, paid_hours=zero, lines=()
    )


def _quota_applies(rules: regulations.YearRules, public_employer: bool) -> bool:
    # Before 2026 the quota applied to government employers only (quota.sector).
    return rules.quota.sector == "alle" or bool(public_employer)


def _quota(
    count: counting.Count, organisation: dict[str, Any] | None, rules: regulations.YearRules
) -> counting.Quota | None:
    if organisation is None or not _quota_applies(rules, organisation["public_employer"]):
        return None
    hours = organisation["yearly_paid_hours"]
    return counting.quota_of(count, None if hours is None else Decimal(hours), rules)


def _line(work: counting.Work, line: counting.Line, placement: _Placement) -> PlacementLine:
    return PlacementLine(
        placement_id=work.placement_id,
        participant_code=placement.participant_code,
        place_title=placement.place_title,
        employment_model=placement.employment_model,
        weekly_hours=counting.shown(work.weekly_hours),
        start=work.start,
        end=work.end,
        paid=work.paid,
        banen=counting.shown(line.banen),
        quota_banen=counting.shown(line.quota_banen),
        counted_hours=counting.shown(line.counted_hours),
    )


def _figures(
    year: int,
    member_id: int | None,
    as_of: dt.date,
    found: _Found,
    organisation: dict[str, Any] | None,
    rules: regulations.YearRules,
) -> MemberFigures:
    work = [w for w in found.work if w.member_id == member_id]
    count = counting.count(work, rules).get(member_id) or _nothing(year, member_id)
    quota = _quota(count, organisation, rules)
    return MemberFigures(
        year=year,
        member_id=member_id,
        as_of=as_of,
        paid_hours=counting.shown(count.paid_hours),
        banen=counting.shown(count.banen),
        quota_banen=counting.shown(count.quota_banen),
        required_banen=counting.shown(quota.required_banen) if quota else None,
        difference=counting.shown(quota.difference) if quota else None,
        placements=[
            _line(w, line, found.placements[w.placement_id])
            for w, line in zip(work, count.lines, strict=True)
        ],
    )


ORGANISATION_COLUMNS = (
    Organisation.id,
    Organisation.name,
    Organisation.yearly_paid_hours,
    Organisation.public_employer,
    Organisation.municipality_code,
)


async def member_figures(
    member_id: int,
    year: int,
    *,
    as_of: dt.date | None = None,
    principal: Principal | None = None,
) -> MemberFigures:
    """One member's figures of a year with a line per placement.

    With ``principal``, the member must be one it may see (else :class:`NotFound`, as for
    a member that does not exist); the register read is audited for it. Raises
    :class:`regulations.UnknownYear` for a year without a rule table."""
    rules = regulations.for_year(year)
    if principal is not None:
        organisation = await get_visible(
            Organisation.select(*ORGANISATION_COLUMNS),
            principal,
            member_id,
            organisation=Organisation.id,
            what="member",
        )
    else:
        organisation = (
            await Organisation.select(*ORGANISATION_COLUMNS)
            .where(Organisation.id == member_id)
            .first()
            if 0 < member_id < 2**31
            else None
        )
        if organisation is None:
            raise NotFound(code="member_not_found")
    cut = _cut(year, as_of)
    found = await _find(
        year, as_of=cut, member_ids=[member_id], region=None, cooperative=False, actor=principal
    )
    return _figures(year, member_id, cut, found, organisation, rules)


async def cooperative_figures(
    year: int, *, as_of: dt.date | None = None, principal: Principal | None = None
) -> MemberFigures:
    """The cooperative's own count: whom it employs and does not second (member None).
    It has no quota figures here (no yearly paid hours of its own are recorded)."""
    rules = regulations.for_year(year)
    cut = _cut(year, as_of)
    found = await _find(
        year, as_of=cut, member_ids=[], region=None, cooperative=True, actor=principal
    )
    return _figures(year, None, cut, found, None, rules)


async def totals(
    year: int,
    *,
    as_of: dt.date | None = None,
    region: str | None = None,
    principal: Principal | None = None,
) -> Overview:
    """Every active member and every member with work in the year, with the cooperative's
    own first (``member_id`` None, name empty), without the lines; members by name, zeros
    where nothing counted; and the sums over them all.
    Staff only: the caller checks. A constant number of queries."""
    rules = regulations.for_year(year)
    cut = _cut(year, as_of)
    found = await _find(
        year, as_of=cut, member_ids=None, region=region, cooperative=True, actor=principal
    )
    by_member = counting.count(found.work, rules)
    by_member.setdefault(None, _nothing(year, None))
    ids = [m for m in by_member if m is not None]
    # Every active member is listed, with zeros when nothing counted ("every member's
    # count"), besides those with work; one query for both, whatever their number.
    active = Organisation.status == MemberStatus.ACTIEF.value
    if region is not None:
        active = active & Organisation.municipality_code.is_in(
            list(regions.municipality_codes_in(region)) or [""]
        )
    listed = active | Organisation.id.is_in(ids) if ids else active
    organisations = {
        r["id"]: r for r in await Organisation.select(*ORGANISATION_COLUMNS).where(listed)
    }
    for member_id in organisations:
        by_member.setdefault(member_id, _nothing(year, member_id))
    result = []
    for member_id, count in by_member.items():
        organisation = organisations.get(member_id) if member_id is not None else None
        quota = _quota(count, organisation, rules)
        result.append(
            MemberTotal(
                year=year,
                member_id=member_id,
                name=organisation["name"] if organisation else "",
                as_of=cut,
                paid_hours=counting.shown(count.paid_hours),
                banen=counting.shown(count.banen),
                quota_banen=counting.shown(count.quota_banen),
                required_banen=counting.shown(quota.required_banen) if quota else None,
                difference=counting.shown(quota.difference) if quota else None,
                placements=len({line.placement_id for line in count.lines}),
            )
        )
    result.sort(key=lambda t: (t.member_id is not None, t.name.casefold(), t.member_id or 0))
    banen = sum((c.banen for c in by_member.values()), Decimal(0))
    return Overview(
        year=year,
        as_of=cut,
        paid_hours=counting.shown(rules.counted_hours(banen)),
        banen=counting.shown(banen),
        quota_banen=counting.shown(sum((c.quota_banen for c in by_member.values()), Decimal(0))),
        items=result,
    )
