"""A WSP's leads in the JSON API: ``/api/v1/tenants/{slug}/leads``.

Bearer tokens only (the host's rule for ``/api``); a ``read`` token lists and reads, a
``write`` token also changes status and note. A WSP user sees only its own tenant, an
admin any: another tenant's slug or lead answers 404 like one that does not exist. The
host registers this controller like the back-office pages, with a ``tenant_user``
dependency behind its guard.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, get, patch
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from selfscan.errors import InvalidInput
from selfscan.model import AnswerProblem, Text
from selfscan.scans import language
from selfscan.tenants.access import TenantUser
from selfscan.tenants.leads import repository, rules
from selfscan.tenants.leads.controllers import tenant_of

TenantUserDep = NamedDependency[TenantUser]
Status = Literal["nieuw", "benaderd", "afgerond"]
StatusFilter = Literal["nieuw", "benaderd", "afgerond", "ingetrokken"]
Limit = Annotated[int, QueryParameter(ge=1, le=100, description="1 to 100 (default 50).")]
Offset = Annotated[int, QueryParameter(ge=0, le=2**31 - 1, description="Items to skip.")]


class LeadScan(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of the lead's scan."""

    overall: float | None
    level: str | None
    employees: int | None
    completed_at: datetime | None
    result_url: str | None
    report_url: str | None


class LeadOut(msgspec.Struct, frozen=True, kw_only=True):
    """A lead. Contact fields are empty once the employer has withdrawn consent."""

    id: int
    status: str
    withdrawn: bool
    organisation: str
    contact_name: str
    email: str
    phone: str
    question: str
    note: str
    lang: str
    consent_text: str
    consent_version: int
    consented_at: datetime
    withdrawn_at: datetime | None
    created_at: datetime
    updated_at: datetime
    scan: LeadScan


class LeadList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[LeadOut]
    total: int
    limit: int
    offset: int


class LeadPatch(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A change to a lead; fields left out stay as they are."""

    status: Status | msgspec.UnsetType = msgspec.UNSET
    note: Annotated[str, msgspec.Meta(max_length=rules.MAX_NOTE)] | msgspec.UnsetType = (
        msgspec.UNSET
    )


def _out(row: dict[str, Any], slug: str, base_url: str) -> LeadOut:
    token = row["scan_token"]
    base = f"{base_url.rstrip('/')}/scan/{slug}/{token}"
    return LeadOut(
        id=row["id"],
        status=row["status"],
        withdrawn=row["withdrawn_at"] is not None,
        organisation=row["organisation"],
        contact_name=row["contact_name"],
        email=row["email"],
        phone=row["phone"],
        question=row["question"],
        note=row["note"],
        lang=row["lang"],
        consent_text=row["consent_text"],
        consent_version=row["consent_version"],
        consented_at=row["consented_at"],
        withdrawn_at=row["withdrawn_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        scan=LeadScan(
            overall=None if row["overall"] is None else round(row["overall"], 1),
            level=row["level"],
            employees=row["employees"],
            completed_at=row["scan_completed_at"],
            result_url=f"{base}/resultaat" if token else None,
            report_url=f"{base}/rapport.pdf" if token else None,
        ),
    )


def _base_url(request: Request[Any, Any, Any]) -> str:
    from selfscan.scans.config import config_of

    return config_of(request.app).base_url


class LeadApiController(Controller):
    path = "/api/v1/tenants/{slug:str}/leads"
    tags = ["leads"]
    security = [{"BearerToken": []}]

    @get("/", name="api.leads", summary="A WSP's leads, newest first", operation_id="listLeads")
    async def list_leads(
        self,
        request: Request[Any, Any, Any],
        tenant_user: TenantUserDep,
        slug: FromPath[str],
        status: FromQuery[StatusFilter | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> LeadList:
        tenant = await tenant_of(tenant_user, slug)
        rows, total = await repository.list_leads(
            tenant.id, status=status, limit=limit, offset=offset
        )
        base = _base_url(request)
        return LeadList(
            items=[_out(row, slug, base) for row in rows], total=total, limit=limit, offset=offset
        )

    @get("/{lead_id:int}", name="api.lead", summary="One lead", operation_id="getLead")
    async def get_lead(
        self,
        request: Request[Any, Any, Any],
        tenant_user: TenantUserDep,
        slug: FromPath[str],
        lead_id: FromPath[int],
    ) -> LeadOut:
        tenant = await tenant_of(tenant_user, slug)
        row = await repository.lead(tenant.id, lead_id)
        if row is None:
            raise NotFoundException(detail="Deze lead bestaat niet.")
        return _out(row, slug, _base_url(request))

    @patch(
        "/{lead_id:int}",
        name="api.lead.update",
        summary="Set a lead's status or note",
        operation_id="updateLead",
    )
    async def update_lead(
        self,
        request: Request[Any, Any, Any],
        tenant_user: TenantUserDep,
        slug: FromPath[str],
        lead_id: FromPath[int],
        data: JSONBody[LeadPatch],
    ) -> LeadOut:
        tenant = await tenant_of(tenant_user, slug)
        row = await repository.lead(tenant.id, lead_id)
        if row is None:
            raise NotFoundException(detail="Deze lead bestaat niet.")
        status = row["status"] if data.status is msgspec.UNSET else data.status
        note = row["note"] if data.note is msgspec.UNSET else data.note
        lang = language.of_api(request)
        change, errors = rules.check_update(status, note, lang)
        if change is None:
            raise InvalidInput(
                [
                    AnswerProblem(field=name, code="invalid", message=Text(nl=text, en=text))
                    for name, text in errors.items()
                ]
            )
        await repository.update(tenant.id, lead_id, change)
        found = await repository.lead(tenant.id, lead_id)
        assert found is not None
        return _out(found, slug, _base_url(request))
