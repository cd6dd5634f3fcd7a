"""The member registry in the API: organisations, scoped by the token's user.

A member sees its own organisation, a WSP user none, the cooperative's staff all. An
organisation outside that scope answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from coop.accounts.api import BEARER_SCHEME, PROBLEM_JSON, UNAUTHORISED, ProblemDetails
from coop.accounts.auth import provide_principal, requires
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.errors import FieldError, ValidationFailed
from coop.members import repository, rules
from coop.members.repository import Filters
from coop.web.i18n import gettext as _

MAX_LIMIT = 100
DEFAULT_LIMIT = 50
MAX_OFFSET = 2**31 - 1


class Organisation(msgspec.Struct, frozen=True, kw_only=True):
    """A member organisation of the cooperative."""

    id: int
    name: str


class OrganisationList(msgspec.Struct, frozen=True, kw_only=True):
    """One page of organisations: ``items``, and ``total`` over every page."""

    items: list[Organisation]
    total: int
    limit: int
    offset: int


Limit = Annotated[
    int, QueryParameter(ge=1, le=MAX_LIMIT, description="How many items, 1 to 100 (default 50).")
]
Offset = Annotated[
    int, QueryParameter(ge=0, le=MAX_OFFSET, description="How many items to skip (default 0).")
]

NOT_FOUND = ResponseSpec(
    data_container=ProblemDetails,
    description="No organisation with this id that you may see.",
    media_type=PROBLEM_JSON,
    generate_examples=False,
)


class OrganisationApiController(Controller):
    path = "/api/v1/organisations"
    tags = ["organisations"]
    security = [{BEARER_SCHEME: []}]
    guards = [requires()]
    dependencies = {"principal": Provide(provide_principal)}

    @get(
        "/",
        name="api.organisations",
        summary="The organisations you may see",
        description=(
            "A member sees its own organisation, a WSP user none, the cooperative's staff "
            "all; ordered by name. Page with `limit` and `offset`."
        ),
        responses={401: UNAUTHORISED},
        operation_id="listOrganisations",
    )
    async def list_organisations(
        self,
        principal: NamedDependency[Principal],
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> OrganisationList:
        rows, total = await repository.organisations(principal, limit=limit, offset=offset)
        return OrganisationList(
            items=[Organisation(id=r["id"], name=r["name"]) for r in rows],
            total=total,
            limit=limit,
            offset=offset,
        )

    @get(
        "/{organisation_id:int}",
        name="api.organisation",
        summary="One organisation",
        description="404 for an unknown organisation and for one you may not see alike.",
        responses={401: UNAUTHORISED, 404: NOT_FOUND},
        operation_id="getOrganisation",
    )
    async def get_organisation(
        self, principal: NamedDependency[Principal], organisation_id: FromPath[int]
    ) -> Organisation:
        row = await repository.organisation(principal, organisation_id)
        return Organisation(id=row["id"], name=row["name"])


# --- the member registry: /api/v1/members ------------------------------------------------


class Member(msgspec.Struct, frozen=True, kw_only=True):
    """A member organisation with everything the caller may see of it."""

    id: int
    name: str
    kvk_number: str | None
    establishment_number: str | None
    street_address: str
    postcode: str
    city: str
    municipality_code: str | None
    municipality_name: str
    region_code: str | None
    region_name: str
    sector: str | None
    employees: int | None
    yearly_paid_hours: int | None
    public_employer: bool
    website: str | None
    status: rules.Status
    notice_months: int
    pledge_year: int | None
    pledge_jobs: int
    pledge_places: int
    ambassador: bool
    award: str
    created_at: datetime
    updated_at: datetime | None


class MemberList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[Member]
    total: int
    limit: int
    offset: int


class MemberCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A new member (staff only); it starts as ``actief``. Unknown fields are refused."""

    name: Annotated[str, msgspec.Meta(max_length=200)]
    kvk_number: Annotated[str, msgspec.Meta(max_length=20)]
    establishment_number: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    street_address: Annotated[str, msgspec.Meta(max_length=200)]
    postcode: Annotated[str, msgspec.Meta(max_length=10)]
    city: Annotated[str, msgspec.Meta(max_length=100)]
    municipality_code: Annotated[str, msgspec.Meta(max_length=6, examples=["GM0106"])]
    sector: Annotated[str, msgspec.Meta(max_length=1, examples=["c"])]
    employees: Annotated[int, msgspec.Meta(ge=0)]
    yearly_paid_hours: Annotated[int, msgspec.Meta(ge=0)] | None = None
    public_employer: bool = False
    website: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    notice_months: Annotated[int, msgspec.Meta(ge=0, le=24)] = rules.DEFAULT_NOTICE_MONTHS
    pledge_jobs: Annotated[int, msgspec.Meta(ge=0)] = 0
    pledge_places: Annotated[int, msgspec.Meta(ge=0)] = 0


class MemberUpdate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Only the fields sent change (PATCH). ``status`` is not a field here: it changes by a
    transition (``POST /api/v1/members/{id}/status``). ``notice_months``, ``ambassador``
    and ``award`` are the cooperative's: a member sending them gets 422 naming them.
    Unknown fields are refused with 422."""

    name: Annotated[str, msgspec.Meta(max_length=200)] | msgspec.UnsetType = msgspec.UNSET
    kvk_number: Annotated[str, msgspec.Meta(max_length=20)] | msgspec.UnsetType = msgspec.UNSET
    establishment_number: Annotated[str, msgspec.Meta(max_length=20)] | msgspec.UnsetType | None = (
        msgspec.UNSET
    )
    street_address: Annotated[str, msgspec.Meta(max_length=200)] | msgspec.UnsetType = msgspec.UNSET
    postcode: Annotated[str, msgspec.Meta(max_length=10)] | msgspec.UnsetType = msgspec.UNSET
    city: Annotated[str, msgspec.Meta(max_length=100)] | msgspec.UnsetType = msgspec.UNSET
    municipality_code: Annotated[str, msgspec.Meta(max_length=6)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    sector: Annotated[str, msgspec.Meta(max_length=1)] | msgspec.UnsetType = msgspec.UNSET
    employees: Annotated[int, msgspec.Meta(ge=0)] | msgspec.UnsetType = msgspec.UNSET
    yearly_paid_hours: Annotated[int, msgspec.Meta(ge=0)] | msgspec.UnsetType | None = msgspec.UNSET
    public_employer: bool | msgspec.UnsetType = msgspec.UNSET
    website: Annotated[str, msgspec.Meta(max_length=200)] | msgspec.UnsetType | None = msgspec.UNSET
    pledge_jobs: Annotated[int, msgspec.Meta(ge=0)] | msgspec.UnsetType = msgspec.UNSET
    pledge_places: Annotated[int, msgspec.Meta(ge=0)] | msgspec.UnsetType = msgspec.UNSET
    notice_months: Annotated[int, msgspec.Meta(ge=0, le=24)] | msgspec.UnsetType = msgspec.UNSET
    ambassador: bool | msgspec.UnsetType = msgspec.UNSET
    award: Annotated[str, msgspec.Meta(max_length=500)] | msgspec.UnsetType = msgspec.UNSET


class StatusChange(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A transition of the membership lifecycle, with its reason (staff only)."""

    status: rules.Status
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]


class MemberContact(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    function: str
    email: str
    phone: str | None
    is_primary: bool
    mail_newsletter: bool
    mail_invoices: bool
    mail_placements: bool


class MemberContactUpdate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Only the fields sent change. ``is_primary: true`` makes this the primary contact
    (the former one no longer is); ``false`` is ignored, there is always one."""

    name: Annotated[str, msgspec.Meta(max_length=200)] | msgspec.UnsetType = msgspec.UNSET
    email: Annotated[str, msgspec.Meta(max_length=254)] | msgspec.UnsetType = msgspec.UNSET
    function: Annotated[str, msgspec.Meta(max_length=100)] | msgspec.UnsetType = msgspec.UNSET
    phone: Annotated[str, msgspec.Meta(max_length=30)] | msgspec.UnsetType | None = msgspec.UNSET
    is_primary: bool | msgspec.UnsetType = msgspec.UNSET
    mail_newsletter: bool | msgspec.UnsetType = msgspec.UNSET
    mail_invoices: bool | msgspec.UnsetType = msgspec.UNSET
    mail_placements: bool | msgspec.UnsetType = msgspec.UNSET


class MemberContactList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[MemberContact]
    total: int
    limit: int
    offset: int


class MemberContactCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(max_length=200)]
    email: Annotated[str, msgspec.Meta(max_length=254)]
    function: Annotated[str, msgspec.Meta(max_length=100)] = ""
    phone: Annotated[str, msgspec.Meta(max_length=30)] | None = None
    is_primary: bool = False
    mail_newsletter: bool = True
    mail_invoices: bool = False
    mail_placements: bool = False


class MembershipStep(msgspec.Struct, frozen=True, kw_only=True):
    """One step of the membership lifecycle: when, by whom, why."""

    from_status: rules.Status | None
    to_status: rules.Status
    at: datetime
    actor_name: str
    reason: str


class MembershipHistory(msgspec.Struct, frozen=True, kw_only=True):
    items: list[MembershipStep]
    total: int
    limit: int
    offset: int


class MemberContribution(msgspec.Struct, frozen=True, kw_only=True):
    """The contribution of one year, in cents; the dates it was invoiced and paid."""

    year: int
    amount_cents: int
    invoiced_on: date | None
    paid_on: date | None


class MemberContributionList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[MemberContribution]
    total: int
    limit: int
    offset: int


MEMBER_NOT_FOUND = ResponseSpec(
    data_container=ProblemDetails,
    description="No member with this id that you may see.",
    media_type=PROBLEM_JSON,
    generate_examples=False,
)
PROBLEM = ResponseSpec(
    data_container=ProblemDetails,
    description="Problem details; for 422 `errors` names each field.",
    media_type=PROBLEM_JSON,
    generate_examples=False,
)


def member_of(row: dict[str, Any]) -> Member:
    # The repository's rows carry every field of Member (and a few more, ignored).
    return msgspec.convert(row, Member)


def contact_of(row: dict[str, Any]) -> MemberContact:
    return msgspec.convert({f: row.get(f) for f in MemberContact.__struct_fields__}, MemberContact)


def _checked(values: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    clean, errors = rules.check_organisation(values, partial=partial)
    recognition, more = rules.check_recognition(values)
    if errors or more:
        raise ValidationFailed([*errors, *more])
    return {**clean, **recognition}


def _ip(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else ""


class MemberApiController(Controller):
    path = "/api/v1/members"
    tags = ["members"]
    security = [{BEARER_SCHEME: []}]
    guards = [requires()]
    dependencies = {"principal": Provide(provide_principal)}

    @get(
        "/",
        name="api.members",
        summary="The members you may see",
        description=(
            "A member sees its own organisation, a WSP user none, the cooperative's staff "
            "all. Filters: `q` (name, KvK number or city), `status`, `sector` (SBI letter), "
            "`region` (CBS code, AMxx), `size` (`klein` < 25, `middel` 25–99, `groot` "
            "100–499, `zeer-groot` 500+), `public`. `sort`: `naam`, `-naam`, `medewerkers`, "
            "`-medewerkers`, `lid-sinds`, `-lid-sinds`, `status`."
        ),
        responses={401: UNAUTHORISED, 422: PROBLEM},
        operation_id="listMembers",
    )
    async def list_members(
        self,
        principal: NamedDependency[Principal],
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        q: Annotated[str | None, QueryParameter(max_length=100)] = None,
        status: FromQuery[rules.Status | None] = None,
        sector: Annotated[str | None, QueryParameter(pattern="^[a-uA-U]$")] = None,
        region: Annotated[str | None, QueryParameter(pattern="^AM[0-9]{2}$")] = None,
        size: FromQuery[Literal["klein", "middel", "groot", "zeer-groot"] | None] = None,
        public: FromQuery[bool | None] = None,
        sort: FromQuery[
            Literal[
                "naam", "-naam", "medewerkers", "-medewerkers", "lid-sinds", "-lid-sinds", "status"
            ]
        ] = "naam",
    ) -> MemberList:
        filters = Filters(
            search=(q or "").strip(),
            status=status.value if status else None,
            sector=sector.lower() if sector else None,
            region=region,
            size=size,
            public=public,
            sort=sort,
        )
        rows, total = await repository.list_members(
            principal, filters, limit=limit, offset=offset, columns=repository.DETAIL_COLUMNS
        )
        return MemberList(
            # One conversion for the page, not one call per row (as member_of would).
            items=msgspec.convert(rows, list[Member]),
            total=total,
            limit=limit,
            offset=offset,
        )

    @post(
        "/",
        name="api.members.create",
        summary="Add a member (staff)",
        description="Coordinators and admins add a member, status `actief`. A KvK number "
        "that is taken is a 422 on `kvk_number`.",
        responses={401: UNAUTHORISED, 403: PROBLEM, 422: PROBLEM},
        operation_id="createMember",
        guards=[requires(Role.COORDINATOR, Role.ADMIN)],
    )
    async def create_member(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[MemberCreate],
    ) -> Response[Member]:
        clean = _checked(msgspec.structs.asdict(data), partial=False)
        organisation_id = await repository.create_member(principal, clean, client_ip=_ip(request))
        row = await repository.member(principal, organisation_id)
        return Response(member_of(row), status_code=201)

    @get(
        "/{member_id:int}",
        name="api.member",
        summary="One member",
        responses={401: UNAUTHORISED, 404: MEMBER_NOT_FOUND},
        operation_id="getMember",
    )
    async def get_member(
        self, principal: NamedDependency[Principal], member_id: FromPath[int]
    ) -> Member:
        return member_of(await repository.member(principal, member_id))

    @patch(
        "/{member_id:int}",
        name="api.member.update",
        summary="Change a member's details",
        description=(
            "Only the fields sent change. A member changes its own organisation; "
            "`notice_months`, `ambassador` and `award` only staff (a member sending them "
            "gets 422 naming each); `status` changes by `POST .../status`; unknown fields "
            "are 422."
        ),
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: MEMBER_NOT_FOUND, 422: PROBLEM},
        operation_id="updateMember",
    )
    async def update_member(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        member_id: FromPath[int],
        data: JSONBody[MemberUpdate],
    ) -> Member:
        sent = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        await repository.member(principal, member_id)  # 404 before anything else
        if not principal.role.staff:
            refused = [f for f in ("notice_months", "ambassador", "award") if f in sent]
            if refused:
                raise ValidationFailed(
                    [FieldError(f, _("Dit veld wijzigt alleen de coöperatie.")) for f in refused],
                    code="staff_only_field",
                )
        clean = _checked(sent, partial=True)
        await repository.update_member(principal, member_id, clean, client_ip=_ip(request))
        return member_of(await repository.member(principal, member_id))

    @post(
        "/{member_id:int}/status",
        name="api.member.status",
        summary="Move a member along its lifecycle (staff)",
        description="`aangemeld → goedgekeurd → actief → geschorst → beeindigd`, and "
        "`afgewezen`; a step that is not allowed is 409.",
        responses={
            401: UNAUTHORISED,
            403: PROBLEM,
            404: MEMBER_NOT_FOUND,
            409: PROBLEM,
            422: PROBLEM,
        },
        operation_id="changeMemberStatus",
        status_code=200,
        guards=[requires(Role.COORDINATOR, Role.ADMIN)],
    )
    async def change_status(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        member_id: FromPath[int],
        data: JSONBody[StatusChange],
    ) -> Member:
        await repository.change_status(
            principal, member_id, data.status.value, data.reason, client_ip=_ip(request)
        )
        return member_of(await repository.member(principal, member_id))

    @get(
        "/{member_id:int}/contacts",
        name="api.member.contacts",
        summary="A member's contacts",
        description="The primary contact first, then by name; with which mail each receives.",
        responses={401: UNAUTHORISED, 404: MEMBER_NOT_FOUND},
        operation_id="listMemberContacts",
    )
    async def contacts(
        self,
        principal: NamedDependency[Principal],
        member_id: FromPath[int],
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> MemberContactList:
        rows = await repository.contacts(principal, member_id)
        return MemberContactList(
            items=[contact_of(r) for r in rows[offset : offset + limit]],
            total=len(rows),
            limit=limit,
            offset=offset,
        )

    @post(
        "/{member_id:int}/contacts",
        name="api.member.contacts.create",
        summary="Add a contact",
        description="The first contact, or one sent with `is_primary`, becomes the primary "
        "contact (there is one).",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: MEMBER_NOT_FOUND, 422: PROBLEM},
        operation_id="createMemberContact",
    )
    async def add_contact(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        member_id: FromPath[int],
        data: JSONBody[MemberContactCreate],
    ) -> Response[MemberContact]:
        await repository.member(principal, member_id)
        clean, errors = rules.check_contact(msgspec.structs.asdict(data))
        if errors:
            raise ValidationFailed(errors)
        contact_id = await repository.add_contact(
            principal, member_id, clean, client_ip=_ip(request)
        )
        rows = await repository.contacts(principal, member_id)
        return Response(contact_of(next(r for r in rows if r["id"] == contact_id)), status_code=201)

    @patch(
        "/{member_id:int}/contacts/{contact_id:int}",
        name="api.member.contacts.update",
        summary="Change a contact",
        description=(
            "Only the fields sent change. `is_primary: true` makes this the primary contact "
            "(the former one no longer is); `false` is ignored, since a member always has one. "
            "A contact of another member is 404."
        ),
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: MEMBER_NOT_FOUND, 422: PROBLEM},
        operation_id="updateMemberContact",
    )
    async def update_contact(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        member_id: FromPath[int],
        contact_id: FromPath[int],
        data: JSONBody[MemberContactUpdate],
    ) -> MemberContact:
        sent = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        clean, errors = rules.check_contact(sent, partial=True)
        if errors:
            raise ValidationFailed(errors)
        await repository.update_contact(
            principal, member_id, contact_id, clean, client_ip=_ip(request)
        )
        rows = await repository.contacts(principal, member_id)
        return contact_of(next(r for r in rows if r["id"] == contact_id))

    @delete(
        "/{member_id:int}/contacts/{contact_id:int}",
        name="api.member.contacts.delete",
        summary="Remove a contact",
        description=(
            "Removes a contact of a member you may see (a member: only its own). The primary "
            "contact cannot be removed (409 `primary_contact`): make another contact primary "
            "first (`PATCH` with `is_primary: true`). An unknown contact, or one of another "
            "member, is 404. Needs a token with scope `write`."
        ),
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: MEMBER_NOT_FOUND, 409: PROBLEM},
        operation_id="deleteMemberContact",
    )
    async def remove_contact(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        member_id: FromPath[int],
        contact_id: FromPath[int],
    ) -> None:
        await repository.remove_contact(principal, member_id, contact_id, client_ip=_ip(request))

    @get(
        "/{member_id:int}/history",
        name="api.member.history",
        summary="A member's membership history",
        description="Every step of the lifecycle, newest first; read-only.",
        responses={401: UNAUTHORISED, 404: MEMBER_NOT_FOUND},
        operation_id="listMemberHistory",
    )
    async def history(
        self,
        principal: NamedDependency[Principal],
        member_id: FromPath[int],
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> MembershipHistory:
        await repository.organisation(principal, member_id)  # 404 outside the scope
        rows = await repository.history(principal, member_id)
        return MembershipHistory(
            items=[msgspec.convert(r, MembershipStep) for r in rows[offset : offset + limit]],
            total=len(rows),
            limit=limit,
            offset=offset,
        )

    @get(
        "/{member_id:int}/contributions",
        name="api.member.contributions",
        summary="A member's contributions",
        description="The contribution per year, newest first, in cents; read-only (staff "
        "record them on the member's page).",
        responses={401: UNAUTHORISED, 404: MEMBER_NOT_FOUND},
        operation_id="listMemberContributions",
    )
    async def contributions(
        self,
        principal: NamedDependency[Principal],
        member_id: FromPath[int],
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> MemberContributionList:
        await repository.organisation(principal, member_id)  # 404 outside the scope
        rows = await repository.contributions(principal, member_id)
        return MemberContributionList(
            items=[msgspec.convert(r, MemberContribution) for r in rows[offset : offset + limit]],
            total=len(rows),
            limit=limit,
            offset=offset,
        )
