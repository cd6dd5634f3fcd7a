"""Participants in the API.

``/api/v1/participants``: coordinators only (admins, members and WSP users get 403);
``/api/v1/profiles``: anonymous candidate profiles for members (and coordinators), with
the identity only where the participant consented for the member's organisation. A
profile a member may not see answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from coop.accounts.api import BEARER_SCHEME, PROBLEM_JSON, UNAUTHORISED, ProblemDetails
from coop.accounts.auth import provide_principal, requires
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.errors import ValidationFailed
from coop.participants import repository, rules, schemas
from coop.participants.repository import Filters

MAX_LIMIT = 100
DEFAULT_LIMIT = 50

Limit = Annotated[
    int, QueryParameter(ge=1, le=MAX_LIMIT, description="How many items, 1 to 100 (default 50).")
]
Offset = Annotated[
    int, QueryParameter(ge=0, le=2**31 - 1, description="How many items to skip (default 0).")
]

PROBLEM = ResponseSpec(
    data_container=ProblemDetails,
    description="Problem details; for 422 `errors` names each field.",
    media_type=PROBLEM_JSON,
    generate_examples=False,
)
NOT_FOUND = ResponseSpec(
    data_container=ProblemDetails,
    description="No such participant (or profile) that you may see.",
    media_type=PROBLEM_JSON,
    generate_examples=False,
)


def _ip(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else ""


def participant_of(row: dict[str, Any]) -> schemas.Participant:
    return msgspec.convert(
        {f: row.get(f) for f in schemas.Participant.__struct_fields__}, schemas.Participant
    )


def summary_of(row: dict[str, Any]) -> schemas.ParticipantSummary:
    return msgspec.convert(
        {f: row.get(f) for f in schemas.ParticipantSummary.__struct_fields__},
        schemas.ParticipantSummary,
    )


def consent_of(row: dict[str, Any]) -> schemas.Consent:
    return schemas.Consent(
        id=row["id"],
        kind=row["kind"],
        organisation_id=row["organisation"],
        organisation_name=row.get("organisation_name") or "",
        text=row["text"],
        version=row["version"],
        given_at=row["given_at"],
        recorded_by_name=row["recorded_by_name"],
        withdrawn_at=row["withdrawn_at"],
    )


def _checked(values: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    clean, errors = rules.check_participant(values, today=repository.today(), partial=partial)
    if errors:
        raise ValidationFailed(errors)
    return clean


class ParticipantApiController(Controller):
    path = "/api/v1/participants"
    tags = ["participants"]
    security = [{BEARER_SCHEME: []}]
    guards = [requires(Role.COORDINATOR)]
    dependencies = {"principal": Provide(provide_principal)}

    @get(
        "/",
        name="api.participants",
        summary="Participants (coordinators)",
        description=(
            "Filters: `q` (name, code or city), `status`, `region` (AMxx), `guidance`, "
            "`day` (can work that day), `min_hours`, `available_by` (date). Every call is "
            "written to the audit log with the ids returned."
        ),
        responses={401: UNAUTHORISED, 403: PROBLEM},
        operation_id="listParticipants",
    )
    async def list_participants(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        q: Annotated[str | None, QueryParameter(max_length=100)] = None,
        status: FromQuery[rules.Status | None] = None,
        region: Annotated[str | None, QueryParameter(pattern="^AM[0-9]{2}$")] = None,
        guidance: FromQuery[rules.Guidance | None] = None,
        day: FromQuery[rules.Day | None] = None,
        min_hours: Annotated[int | None, QueryParameter(ge=0, le=40)] = None,
        available_by: FromQuery[date | None] = None,
    ) -> schemas.ParticipantList:
        filters = Filters(
            search=(q or "").strip(),
            status=status.value if status else None,
            region=region,
            guidance=guidance.value if guidance else None,
            day=day.value if day else None,
            min_hours=min_hours,
            available_by=available_by,
        )
        rows, total = await repository.list_participants(
            principal, filters, limit=limit, offset=offset, client_ip=_ip(request)
        )
        return schemas.ParticipantList(
            items=[summary_of(r) for r in rows], total=total, limit=limit, offset=offset
        )

    @post(
        "/",
        name="api.participants.create",
        summary="Register a participant",
        description="Status `aangemeld`. Support notes with medical terms are refused "
        "(422): describe needs, never diagnoses.",
        responses={401: UNAUTHORISED, 403: PROBLEM, 422: PROBLEM},
        operation_id="createParticipant",
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[schemas.ParticipantCreate],
    ) -> Response[schemas.Participant]:
        clean = _checked(msgspec.structs.asdict(data), partial=False)
        participant_id = await repository.create(principal, clean, client_ip=_ip(request))
        row = await repository.participant(
            principal, participant_id, client_ip=_ip(request), purpose="created"
        )
        return Response(participant_of(row), status_code=201)

    @get(
        "/{participant_id:int}",
        name="api.participant",
        summary="One participant, every field (audited)",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: NOT_FOUND},
        operation_id="getParticipant",
    )
    async def get_participant(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        participant_id: FromPath[int],
    ) -> schemas.Participant:
        return participant_of(
            await repository.participant(principal, participant_id, client_ip=_ip(request))
        )

    @patch(
        "/{participant_id:int}",
        name="api.participant.update",
        summary="Change a participant's fields",
        description="Only the fields sent change; `status` changes by `POST .../status`.",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: NOT_FOUND, 409: PROBLEM, 422: PROBLEM},
        operation_id="updateParticipant",
    )
    async def update(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        participant_id: FromPath[int],
        data: JSONBody[schemas.ParticipantUpdate],
    ) -> schemas.Participant:
        sent = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        clean = _checked(sent, partial=True)
        await repository.update(principal, participant_id, clean, client_ip=_ip(request))
        return participant_of(
            await repository.participant(
                principal, participant_id, client_ip=_ip(request), purpose="updated"
            )
        )

    @post(
        "/{participant_id:int}/status",
        name="api.participant.status",
        summary="Move a participant along the life cycle",
        description="`aangemeld → beschikbaar → geplaatst → uitgestroomd` (and back to "
        "`beschikbaar`); a step that is not allowed is 409.",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: NOT_FOUND, 409: PROBLEM},
        operation_id="changeParticipantStatus",
        status_code=200,
    )
    async def change_status(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        participant_id: FromPath[int],
        data: JSONBody[schemas.StatusChange],
    ) -> schemas.Participant:
        await repository.change_status(
            principal, participant_id, data.status.value, data.reason, client_ip=_ip(request)
        )
        return participant_of(
            await repository.participant(
                principal, participant_id, client_ip=_ip(request), purpose="status"
            )
        )

    @get(
        "/{participant_id:int}/consents",
        name="api.participant.consents",
        summary="A participant's consents, withdrawn ones included",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: NOT_FOUND},
        operation_id="listParticipantConsents",
    )
    async def consents(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        participant_id: FromPath[int],
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> schemas.ConsentList:
        rows = await repository.consents(principal, participant_id, client_ip=_ip(request))
        return schemas.ConsentList(
            items=[consent_of(r) for r in rows[offset : offset + limit]],
            total=len(rows),
            limit=limit,
            offset=offset,
        )

    @post(
        "/{participant_id:int}/consents",
        name="api.participant.consents.create",
        summary="Record a consent",
        description="`identiteit` needs the `organisation_id` of an existing member (422 "
        "otherwise); `profiel` shares the anonymous profile with every member.",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: NOT_FOUND, 409: PROBLEM, 422: PROBLEM},
        operation_id="createParticipantConsent",
    )
    async def add_consent(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        participant_id: FromPath[int],
        data: JSONBody[schemas.ConsentCreate],
    ) -> Response[schemas.Consent]:
        consent_id = await repository.add_consent(
            principal,
            participant_id,
            data.kind.value,
            organisation_id=data.organisation_id,
            given_at=data.given_at,
            text=data.text,
            version=data.version,
            client_ip=_ip(request),
        )
        rows = await repository.consents(principal, participant_id, client_ip=_ip(request))
        return Response(consent_of(next(r for r in rows if r["id"] == consent_id)), status_code=201)

    @post(
        "/{participant_id:int}/consents/{consent_id:int}/withdraw",
        name="api.participant.consents.withdraw",
        summary="Withdraw a consent",
        description="From now on the consent no longer applies; 409 when already withdrawn.",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: NOT_FOUND, 409: PROBLEM},
        operation_id="withdrawParticipantConsent",
        status_code=200,
    )
    async def withdraw_consent(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        participant_id: FromPath[int],
        consent_id: FromPath[int],
    ) -> schemas.Consent:
        await repository.withdraw_consent(
            principal, participant_id, consent_id, client_ip=_ip(request)
        )
        rows = await repository.consents(principal, participant_id, client_ip=_ip(request))
        return consent_of(next(r for r in rows if r["id"] == consent_id))

    @post(
        "/{participant_id:int}/erase",
        name="api.participant.erase",
        summary="Erase a participant's personal data at their request",
        description="Identity, contact, support needs and notes are erased at once; the "
        "anonymous facts the monitor counts stay. 409 when already anonymised.",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: NOT_FOUND, 409: PROBLEM},
        operation_id="eraseParticipant",
        status_code=200,
    )
    async def erase(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        participant_id: FromPath[int],
    ) -> schemas.Participant:
        await repository.erase(principal, participant_id, client_ip=_ip(request))
        return participant_of(
            await repository.participant(
                principal, participant_id, client_ip=_ip(request), purpose="erased"
            )
        )

    @get(
        "/{participant_id:int}/export",
        name="api.participant.export",
        summary="Everything stored about one participant (right of access)",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: NOT_FOUND},
        operation_id="exportParticipant",
    )
    async def export(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        participant_id: FromPath[int],
    ) -> dict[str, Any]:
        return await repository.export(principal, participant_id, client_ip=_ip(request))


class ProfileApiController(Controller):
    path = "/api/v1/profiles"
    tags = ["profiles"]
    security = [{BEARER_SCHEME: []}]
    guards = [requires(Role.MEMBER, Role.COORDINATOR)]
    dependencies = {"principal": Provide(provide_principal)}

    @get(
        "/",
        name="api.profiles",
        summary="Anonymous candidate profiles",
        description="Participants in the pool who consented to share an anonymous profile, "
        "and (for a member) those who consented to share their identity with it. No name, "
        "contact, exact age, register data or specific needs.",
        responses={401: UNAUTHORISED, 403: PROBLEM},
        operation_id="listProfiles",
    )
    async def list_profiles(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> schemas.ProfileList:
        items, total = await repository.profiles(
            principal, limit=limit, offset=offset, client_ip=_ip(request)
        )
        return schemas.ProfileList(items=items, total=total, limit=limit, offset=offset)

    @get(
        "/{code:str}",
        name="api.profile",
        summary="One candidate profile",
        description="`identity` holds name and contact only while the participant's "
        "consent for your organisation stands; otherwise null. 404 for a profile you may "
        "not see.",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: NOT_FOUND},
        operation_id="getProfile",
    )
    async def get_profile(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        code: FromPath[str],
    ) -> schemas.Profile:
        found = await repository.profile(principal, code, client_ip=_ip(request))
        identity = schemas.Identity(**found["identity"]) if found["identity"] else None
        return schemas.Profile(profile=found["profile"], identity=identity)
