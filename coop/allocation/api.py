"""Placements (and proposals) in the API.

Coordinators create placements; the database decides who gets the last slot (409 for
the others). Members read the placements at their own organisation, with only the name,
hours, tasks and guidance contact; admins read placements without special-category data;
WSP users have no business here (403). Another member's placement answers 404.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from coop.accounts.api import BEARER_SCHEME, UNAUTHORISED
from coop.accounts.auth import provide_principal, requires
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.allocation import batch, repository, schemas, texts
from coop.allocation.rules import Status
from coop.members.api import DEFAULT_LIMIT, PROBLEM, Limit, Offset

READERS = (Role.COORDINATOR, Role.ADMIN, Role.MEMBER)
OptionalId = Annotated[int | None, QueryParameter(ge=1, le=2**31 - 1)]


def _ip(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else ""


def _hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def placement_out(row: dict[str, Any], principal: Principal) -> schemas.Placement:
    name = f"{row['first_name']} {row['last_name']}".strip()
    common = schemas.Placement(
        id=row["id"],
        participant_name=name,
        place_title=row["place_title"],
        tasks=row["tasks"] or "",
        status=Status(row["status"]),
        hours_per_week=_hours(row["minutes_per_week"]),
        start_date=row["start_date"],
        planned_end=row["planned_end"],
        guidance_contact=row["guidance_contact"],
        guidance_contact_phone=row["guidance_contact_phone"],
    )
    if principal.role == Role.MEMBER:
        return common
    return msgspec.structs.replace(
        common,
        participant_id=row["participant"],
        participant_code=row["participant_code"],
        place_id=row["place"],
        place_type=row["place_type"],
        employment_model=row["employment_model"],
        paid=row["paid"],
        end_date=row["end_date"],
        exit_reason=row["exit_reason"],
        guidance=row["guidance"],
        job_coach=row["job_coach"],
        job_coach_name=row["job_coach_name"],
        members=[
            schemas.PlacementMember(
                organisation_id=m["organisation"],
                organisation_name=m["organisation_name"],
                hours_per_week=_hours(m["minutes_per_week"]),
            )
            for m in row["members"]
        ],
        created_at=row["created_at"],
    )


class PlacementApi(Controller):
    path = "/api/v1/placements"
    tags = ["placements"]
    security = [{BEARER_SCHEME: []}]
    guards = [requires(*READERS)]
    dependencies = {"principal": Provide(provide_principal)}

    @get(
        "/",
        name="api.placements",
        summary="The placements you may see",
        description="Coordinators and admins see every placement, a member only the "
        "placements at its own organisation (name, hours, tasks, guidance contact). "
        "Filters: `status`, `participant_id`, `place_id`.",
        responses={401: UNAUTHORISED, 403: PROBLEM},
        operation_id="listPlacements",
    )
    async def list_placements(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        status: FromQuery[Status | None] = None,
        participant_id: OptionalId = None,
        place_id: OptionalId = None,
    ) -> schemas.PlacementList:
        rows, total = await repository.list_placements(
            principal,
            status=status.value if status else None,
            participant_id=participant_id,
            place_id=place_id,
            limit=limit,
            offset=offset,
            client_ip=_ip(request),
        )
        return schemas.PlacementList(
            items=[placement_out(r, principal) for r in rows],
            total=total,
            limit=limit,
            offset=offset,
        )

    @post(
        "/",
        name="api.placements.create",
        summary="Place a participant on a place",
        description="Coordinators only. Takes a free slot of the place, checked by the "
        "database: 409 when the place is full or the participant already has a planned or "
        "active paid placement; 422 naming each bad field (a start outside the place's "
        "period, more hours than the participant is available, a model that does not suit "
        "the place).",
        responses={401: UNAUTHORISED, 403: PROBLEM, 409: PROBLEM, 422: PROBLEM},
        operation_id="createPlacement",
    )
    async def create_placement(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[schemas.PlacementCreate],
    ) -> Response[schemas.Placement]:
        values = msgspec.structs.asdict(data)
        values["employment_model"] = data.employment_model.value
        values["guidance"] = data.guidance.value if data.guidance else None
        values["job_coach"] = data.job_coach.value if data.job_coach else None
        placement_id = await repository.create_placement(principal, values, client_ip=_ip(request))
        row = await repository.placement(principal, placement_id, client_ip=_ip(request))
        return Response(placement_out(row, principal), status_code=201)

    @get(
        "/{placement_id:int}",
        name="api.placement",
        summary="One placement",
        responses={401: UNAUTHORISED, 404: PROBLEM},
        operation_id="getPlacement",
    )
    async def get_placement(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        placement_id: FromPath[int],
    ) -> schemas.Placement:
        row = await repository.placement(principal, placement_id, client_ip=_ip(request))
        return placement_out(row, principal)


def _name(who: dict[str, Any]) -> str:
    return f"{who.get('first_name', '')} {who.get('last_name', '')}".strip()


def proposal_out(row: dict[str, Any]) -> schemas.Proposal:
    return schemas.Proposal(
        id=row["id"],
        created_at=row["created_at"],
        region_code=row["region_code"],
        participants=row["participants"],
        places=row["places"],
        candidates=row["candidates"],
        milliseconds=row["milliseconds"],
        total_score=sum(p["score"] for p in row["pairs"]),
        pairs=[
            schemas.ProposalPair(
                id=p["id"],
                participant_id=p["participant"],
                participant_name=_name(p["who"]),
                place_id=p["place"],
                place_title=p["where"].get("title", ""),
                score=p["score"],
                reasons=[
                    schemas.ReasonLine(code=r.code, points=r.points, text=texts.reason_text(r))
                    for r in p["reasons"]
                ],
                state=p["state"],
                placement_id=p["placement"],
            )
            for p in row["pairs"]
        ],
        unmatched=[
            schemas.UnmatchedParticipant(
                participant_id=u["seeker_id"],
                participant_name=_name(u["who"]),
                reason=u["reason"],
                text=texts.unmatched_text(u["reason"]),
                blockers=u.get("blockers") or {},
            )
            for u in row["unmatched"]
        ],
    )


class ProposalApi(Controller):
    path = "/api/v1/proposals"
    tags = ["proposals"]
    security = [{BEARER_SCHEME: []}]
    guards = [requires(Role.COORDINATOR)]
    dependencies = {"principal": Provide(provide_principal)}

    @post(
        "/",
        name="api.proposals.create",
        summary="Ask for an optimal proposal",
        description="Coordinators only. Places as many waiting participants as possible and, "
        "among those assignments, takes the one with the highest total score. Each pair "
        "comes with its explanation; each unmatched participant with the reason.",
        responses={401: UNAUTHORISED, 403: PROBLEM, 422: PROBLEM},
        operation_id="createProposal",
    )
    async def create_proposal(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[schemas.ProposalCreate],
    ) -> Response[schemas.Proposal]:
        proposal_id = await batch.create_proposal(
            principal,
            region=data.region_code,
            place_ids=data.place_ids,
            participant_ids=data.participant_ids,
            today=repository.now().date(),
            client_ip=_ip(request),
        )
        row = await batch.proposal(principal, proposal_id, client_ip=_ip(request))
        return Response(proposal_out(row), status_code=201)

    @get(
        "/{proposal_id:int}",
        name="api.proposal",
        summary="One proposal",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: PROBLEM},
        operation_id="getProposal",
    )
    async def get_proposal(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        proposal_id: FromPath[int],
    ) -> schemas.Proposal:
        return proposal_out(await batch.proposal(principal, proposal_id, client_ip=_ip(request)))

    @post(
        "/{proposal_id:int}/pairs/{pair_id:int}/accept",
        name="api.proposal.accept_pair",
        summary="Accept one pair: it becomes a placement",
        description="409 when the place was filled or the participant placed meanwhile; the "
        "other pairs stay acceptable.",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: PROBLEM, 409: PROBLEM},
        operation_id="acceptProposalPair",
    )
    async def accept_pair(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        proposal_id: FromPath[int],
        pair_id: FromPath[int],
    ) -> Response[schemas.Placement]:
        placement_id = await batch.accept_pair(
            principal, proposal_id, pair_id, today=repository.now().date(), client_ip=_ip(request)
        )
        row = await repository.placement(principal, placement_id, client_ip=_ip(request))
        return Response(placement_out(row, principal), status_code=201)

    @post(
        "/{proposal_id:int}/accept",
        name="api.proposal.accept_all",
        summary="Accept every open pair",
        description="Each pair's outcome: 201 with its placement, or 409/422 with the reason.",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: PROBLEM},
        operation_id="acceptProposal",
    )
    async def accept_all(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        proposal_id: FromPath[int],
    ) -> schemas.AcceptAll:
        results = await batch.accept_all(
            principal, proposal_id, today=repository.now().date(), client_ip=_ip(request)
        )
        outcomes = [
            schemas.PairOutcome(pair_id=pair, status=201, placement_id=result)
            if isinstance(result, int)
            else schemas.PairOutcome(
                pair_id=pair, status=result.status_code, code=result.code, detail=result.detail
            )
            for pair, result in results.items()
        ]
        accepted = sum(1 for o in outcomes if o.status == 201)
        return schemas.AcceptAll(
            accepted=accepted, refused=len(outcomes) - accepted, pairs=outcomes
        )


class PlacementFollowUpApi(Controller):
    path = "/api/v1/placements/{placement_id:int}"
    tags = ["placements"]
    security = [{BEARER_SCHEME: []}]
    guards = [requires(Role.COORDINATOR)]
    dependencies = {"principal": Provide(provide_principal)}

    @post(
        "/status",
        status_code=200,
        name="api.placement.status",
        summary="Start, end or cancel a placement",
        description="Coordinators only. Ending needs an exit reason, and before 12 months "
        "`returns_to_pool`; an end before the start is 422; a change the life cycle does not "
        "allow is 409.",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
        operation_id="changePlacementStatus",
    )
    async def change_status(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        placement_id: FromPath[int],
        data: JSONBody[schemas.StatusChange],
    ) -> schemas.Placement:
        await repository.change_status(
            principal,
            placement_id,
            data.status,
            on=data.on,
            exit_reason=data.exit_reason,
            exit_note=data.exit_note,
            returns_to_pool=data.returns_to_pool,
            client_ip=_ip(request),
        )
        row = await repository.placement(principal, placement_id, client_ip=_ip(request))
        return placement_out(row, principal)

    @post(
        "/wage-values",
        name="api.placement.wage_values.create",
        summary="Record a wage-value measurement",
        description="Coordinators only. A percentage outside 0–100 or a date before the start "
        "is 422. Answers with the measurement and when the next one is due.",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: PROBLEM, 422: PROBLEM},
        operation_id="createWageValue",
    )
    async def add_wage_value(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        placement_id: FromPath[int],
        data: JSONBody[schemas.WageValueCreate],
    ) -> Response[schemas.WageValue]:
        next_due = await repository.add_wage_value(
            principal,
            placement_id,
            measured_on=data.measured_on,
            percent=data.percent,
            measured_by=data.measured_by,
            note=data.note,
            client_ip=_ip(request),
        )
        return Response(
            schemas.WageValue(
                measured_on=data.measured_on,
                percent=round(data.percent, 1),
                next_due=next_due,
                measured_by=data.measured_by,
            ),
            status_code=201,
        )

    @post(
        "/check-ins",
        name="api.placement.check_ins.create",
        summary="Record a check-in",
        description="Coordinators only. `visibility`: `coordinatoren` or `gedeeld` (the "
        "member reads it too).",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: PROBLEM, 422: PROBLEM},
        operation_id="createCheckIn",
    )
    async def add_check_in(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        placement_id: FromPath[int],
        data: JSONBody[schemas.CheckInCreate],
    ) -> Response[None]:
        await repository.add_check_in(
            principal,
            placement_id,
            held_on=data.held_on,
            notes=data.notes,
            visibility=data.visibility,
            client_ip=_ip(request),
        )
        return Response(None, status_code=201)
