"""Batch proposals from the database: who waits, which places are open, the optimum, and
accepting its pairs one by one or all.

The mapping of participants and places onto the matching's :class:`Seeker` and
:class:`Opening` lives in :func:`seeker_of` and :func:`opening_of` only: participants and
work still spell some values differently (``betaald``/``betaalde_baan``), and when the
slugs are unified this is the one place to simplify.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import msgspec

from coop import db
from coop.accounts.principal import Principal
from coop.allocation import repository
from coop.allocation.matching import Guidance, Opening, Reason, Seeker
from coop.allocation.proposal import propose
from coop.allocation.rules import Status
from coop.allocation.tables import Placement, Proposal, ProposalPair
from coop.audit.log import record
from coop.errors import Conflict, DomainError, FieldError, NotFound, ValidationFailed
from coop.participants import repository as participants
from coop.participants.schemas import MatchProfile
from coop.reference import regions
from coop.web.i18n import gettext as _
from coop.work.tables import Place

# Participants' slugs -> the matching's (work's) slugs. See the module's docstring.
PLACE_TYPES = {"betaald": "betaalde_baan", "beschut": "beschut_werk"}
TRAVEL = {"eigen-gemeente": "gemeente", "eigen-regio": "regio", "verder": "verder"}


def seeker_of(profile: MatchProfile, today: date) -> Seeker:
    """A participant as the matching sees them (participants' hours are whole hours)."""
    return Seeker(
        id=profile.participant_id,
        municipality=profile.municipality_code,
        region=profile.region_code or "",
        travel=TRAVEL.get(str(profile.travel_range), "gemeente"),  # type: ignore[arg-type]
        hours_per_week=float(profile.hours_max),
        available_from=max(profile.available_from or today, today),
        place_types=frozenset(PLACE_TYPES.get(str(t), str(t)) for t in profile.place_types),
        guidance=Guidance.of(str(profile.guidance)),
        support_needs=frozenset(profile.support_needs),
        days=frozenset(str(d) for d in profile.days),
        sectors=frozenset(profile.sectors),
        task_kinds=frozenset(profile.task_kinds),
    )


def opening_of(place: Mapping[str, Any], free: int) -> Opening:
    """A place with ``free`` slots as the matching sees it."""
    return Opening(
        id=place["id"],
        place_type=place["place_type"],
        municipality=place["municipality_code"],
        region=place["region_code"],
        hours_per_week=place["minutes_per_week"] / 60,
        start=place["start_date"],
        end=place["end_date"],
        guidance=Guidance.of(place["guidance"]),
        supports=frozenset(place.get("supports") or ()),
        slots_free=free,
        sector=place.get("sector"),
    )


async def open_places(
    *, region: str | None = None, place_ids: Iterable[int] | None = None, today: date
) -> list[dict[str, Any]]:
    """Open places (still available on or after ``today``) with their free slots."""
    query = Place.select(*Place.all_columns(), Place.organisation.sector.as_alias("sector")).where(
        Place.status == "open"
    )
    if place_ids is not None:
        query = query.where(Place.id.is_in([i for i in place_ids if 0 < i < 2**31] or [0]))
    if region:
        query = query.where(Place.region_code == region)
    rows = await query.output(load_json=True).order_by(Place.id)
    rows = [r for r in rows if r["end_date"] is None or r["end_date"] >= today]
    held = await held_slots([r["id"] for r in rows])
    for r in rows:
        r["free"] = max(0, r["capacity"] - held.get(r["id"], 0))
    return rows


async def held_slots(place_ids: list[int]) -> dict[int, int]:
    """How many slots of each place a planned or active placement holds."""
    if not place_ids:
        return {}
    rows = await Placement.select(Placement.place).where(
        Placement.place.is_in(place_ids) & Placement.slot.is_not_null()
    )
    counts: dict[int, int] = {}
    for r in rows:
        counts[r["place"]] = counts.get(r["place"], 0) + 1
    return counts


async def _already_placed(participant_ids: list[int]) -> set[int]:
    if not participant_ids:
        return set()
    rows = await Placement.select(Placement.participant).where(
        Placement.participant.is_in(participant_ids)
        & Placement.status.is_in([Status.GEPLAND.value, Status.ACTIEF.value])
    )
    return {r["participant"] for r in rows}


def _reasons_json(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    return [msgspec.to_builtins(r) for r in reasons]


async def create_proposal(
    actor: Principal,
    *,
    region: str | None = None,
    place_ids: Iterable[int] | None = None,
    participant_ids: Iterable[int] | None = None,
    today: date,
    client_ip: str = "",
) -> int:
    """Propose the optimum for the waiting participants (status ``beschikbaar``, or the
    ids given) and the open places (or the ids given), optionally within one region, and
    store it as the coordinator will see it."""
    repository.coordinator(actor)
    if region is not None and regions.region(region) is None:
        raise ValidationFailed([FieldError("region_code", _("Kies een arbeidsmarktregio."))])
    profiles = await participants.match_profiles(
        actor,
        participant_ids=list(participant_ids) if participant_ids is not None else None,
        region=region,
        client_ip=client_ip,
    )
    placed = await _already_placed([p.participant_id for p in profiles])
    seekers = [seeker_of(p, today) for p in profiles if p.participant_id not in placed]
    places = await open_places(
        region=region, place_ids=list(place_ids) if place_ids is not None else None, today=today
    )
    openings = [opening_of(p, p["free"]) for p in places if p["free"] > 0]
    started = time.perf_counter()
    result = propose(seekers, openings, today)
    elapsed = round((time.perf_counter() - started) * 1000)
    async with db.write_transaction():
        proposal_id = (
            await Proposal.insert(
                Proposal(
                    created_at=repository.now(),
                    created_by=actor.user_id,
                    created_by_name=actor.name or actor.email,
                    region_code=region,
                    participants=len(seekers),
                    places=len(openings),
                    candidates=result.candidates,
                    milliseconds=elapsed,
                    unmatched=[msgspec.to_builtins(u) for u in result.unmatched],
                )
            ).returning(Proposal.id)
        )[0]["id"]
        if result.matches:
            await ProposalPair.insert(
                *[
                    ProposalPair(
                        proposal=proposal_id,
                        participant=m.seeker_id,
                        place=m.opening_id,
                        score=m.score,
                        reasons=_reasons_json(m.reasons),
                    )
                    for m in result.matches
                ]
            )
        await record(
            "proposal_created",
            actor=actor,
            object_type="proposal",
            object_id=proposal_id,
            client_ip=client_ip,
            detail=f"{len(result.matches)} pairs, {len(result.unmatched)} unmatched",
        )
    return proposal_id


async def proposal(actor: Principal, proposal_id: int, *, client_ip: str = "") -> dict[str, Any]:
    """A stored proposal with its pairs (names, place, score, reasons) and the unmatched."""
    repository.coordinator(actor)
    if not 0 < proposal_id < 2**31:
        raise NotFound(code="proposal_not_found")
    row = await Proposal.select().where(Proposal.id == proposal_id).output(load_json=True).first()
    if row is None:
        raise NotFound(code="proposal_not_found")
    pairs = await (
        ProposalPair.select()
        .where(ProposalPair.proposal == proposal_id)
        .output(load_json=True)
        .order_by(ProposalPair.score, ascending=False)
        .order_by(ProposalPair.id)
    )
    unmatched = row["unmatched"] or []
    names = await participants.names(
        actor,
        {p["participant"] for p in pairs} | {u["seeker_id"] for u in unmatched},
        client_ip=client_ip,
        purpose=f"proposal {proposal_id}",
    )
    place_rows = await Place.select(
        Place.id,
        Place.title,
        Place.place_type,
        Place.municipality_code,
        Place.organisation.name.as_alias("organisation_name"),
    ).where(Place.id.is_in([p["place"] for p in pairs] or [0]))
    places = {p["id"]: p for p in place_rows}
    for p in pairs:
        p["reasons"] = [Reason(r["code"], r["points"], r.get("values") or {}) for r in p["reasons"]]
        p["who"] = names.get(p["participant"], {})
        p["where"] = places.get(p["place"], {})
    for u in unmatched:
        u["who"] = names.get(u["seeker_id"], {})
    row["pairs"] = pairs
    row["unmatched"] = unmatched
    return row


async def accept_pair(
    actor: Principal, proposal_id: int, pair_id: int, *, today: date, client_ip: str = ""
) -> int:
    """Make the pair's placement; a place filled (or a participant placed) meanwhile
    answers 409 for this pair and marks it lapsed, the rest stays acceptable."""
    repository.coordinator(actor)
    pair = None
    if 0 < pair_id < 2**31 and 0 < proposal_id < 2**31:
        pair = (
            await ProposalPair.select()
            .where((ProposalPair.id == pair_id) & (ProposalPair.proposal == proposal_id))
            .first()
        )
    if pair is None:
        raise NotFound(code="proposal_pair_not_found")
    if pair["state"] != "open":
        raise Conflict(_("Dit paar is al afgehandeld."), code="pair_done")
    place = await Place.select().where(Place.id == pair["place"]).first()
    profiles = await participants.match_profiles(
        actor, participant_ids=[pair["participant"]], client_ip=client_ip
    )
    if place is None or not profiles:
        raise Conflict(_("De plaats of de deelnemer bestaat niet meer."), code="pair_gone")
    profile = profiles[0]
    hours = place["minutes_per_week"] / 60
    if profile.hours_max:
        hours = min(hours, float(profile.hours_max))
    values = {
        "participant_id": pair["participant"],
        "place_id": pair["place"],
        "start_date": max(place["start_date"], profile.available_from or today, today),
        "hours_per_week": hours,
        "employment_model": place["employment_model"],
    }
    try:
        placement_id = await repository.create_placement(
            actor, values, client_ip=client_ip, proposal_pair=pair_id
        )
    except (Conflict, ValidationFailed):
        await ProposalPair.update({ProposalPair.state: "vervallen"}).where(
            ProposalPair.id == pair_id
        )
        raise
    await ProposalPair.update(
        {ProposalPair.state: "aanvaard", ProposalPair.placement: placement_id}
    ).where(ProposalPair.id == pair_id)
    return placement_id


async def accept_all(
    actor: Principal, proposal_id: int, *, today: date, client_ip: str = ""
) -> dict[int, int | DomainError]:
    """Accept every open pair; per pair its placement id or the error that refused it."""
    repository.coordinator(actor)
    pairs = (
        await ProposalPair.select(ProposalPair.id)
        .where((ProposalPair.proposal == proposal_id) & (ProposalPair.state == "open"))
        .order_by(ProposalPair.id)
    )
    if not pairs and not await Proposal.exists().where(Proposal.id == proposal_id):
        raise NotFound(code="proposal_not_found")
    results: dict[int, int | DomainError] = {}
    for p in pairs:
        try:
            results[p["id"]] = await accept_pair(
                actor, proposal_id, p["id"], today=today, client_ip=client_ip
            )
        except (Conflict, ValidationFailed) as exc:
            results[p["id"]] = exc
    return results


async def recent_proposals(actor: Principal, limit: int = 10) -> list[dict[str, Any]]:
    """The latest proposals, newest first, with how many pairs are still open."""
    repository.coordinator(actor)
    rows = await (
        Proposal.select(
            Proposal.id,
            Proposal.created_at,
            Proposal.created_by_name,
            Proposal.region_code,
            Proposal.participants,
            Proposal.places,
        )
        .order_by(Proposal.id, ascending=False)
        .limit(limit)
    )
    states = await ProposalPair.select(ProposalPair.proposal, ProposalPair.state).where(
        ProposalPair.proposal.is_in([r["id"] for r in rows] or [0])
    )
    for r in rows:
        mine = [s["state"] for s in states if s["proposal"] == r["id"]]
        r["pairs"] = len(mine)
        r["open"] = mine.count("open")
        region = regions.region(r["region_code"]) if r["region_code"] else None
        r["region_name"] = region.name if region else None
    return rows
