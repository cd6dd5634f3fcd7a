"""The member's banenafspraak pages.

- ``/bijdrage``: a member user's dashboard: its contribution this year (as of today) and
  last year, the placements that count, its places and work packages.
- ``/bijdrage/{year}/verklaring.pdf``: the yearly contribution statement (PDF).
- ``/beheer/leden/{id}/bijdrage`` (and ``.../{year}/verklaring.pdf``): the same for
  coordinators and admins, for any member, linked from the member's detail page.

Another organisation's member answers 404 (as an unknown one); WSP users have no access.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Controller, MediaType, Request, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from coop.accounts.auth import provide_principal, requires
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.banenafspraak import dashboard, statement
from coop.documents.service import RenderError, pdf_response, unavailable
from coop.errors import NotFound
from coop.members import repository as members
from coop.web import i18n
from coop.web.templating import url
from coop.work import rules as work_rules

__all__ = ["CONTRIBUTION_PAGES", "MemberContributionController", "StaffContributionController"]

OWN_BASE = "/bijdrage"
STAFF_BASE = "/beheer/leden/{organisation_id:int}/bijdrage"
TIME_ZONE = ZoneInfo("Europe/Amsterdam")

HELPERS = {
    "model_label": work_rules.model_label,
    "place_type_label": work_rules.place_type_label,
    "place_status_label": work_rules.place_status_label,
    "package_status_label": work_rules.package_status_label,
    "hours_text": work_rules.hours_text,
}


def today() -> dt.date:
    """The day in the Netherlands: a count "as of today" ends on the members' today."""
    return dt.datetime.now(TIME_ZONE).date()


def _base(principal: Principal, member_id: int) -> str:
    if principal.role == Role.MEMBER:
        return OWN_BASE
    return f"/beheer/leden/{member_id}/bijdrage"


async def _dashboard(principal: Principal, member_id: int) -> Template:
    member = await members.member(principal, member_id)  # NotFound when not its to see
    day = today()
    years = [
        await dashboard.year_contribution(principal, member_id, year, day)
        for year in (day.year, day.year - 1)
    ]
    places, places_total, packages, packages_total = await dashboard.places_and_packages(
        principal, member_id
    )
    return Template(
        "banenafspraak/dashboard.html",
        context={
            **HELPERS,
            "member": member,
            "years": years,
            "convention": next((y.convention for y in years if y.convention), None),
            "today": day,
            "places": places,
            "places_total": places_total,
            "packages": packages,
            "packages_total": packages_total,
            "base": _base(principal, member_id),
            "is_staff": principal.role.staff,
        },
        media_type=MediaType.HTML,
    )


async def _statement(
    request: Request[Any, Any, Any], principal: Principal, member_id: int, year: int
) -> Response[Any]:
    member = await members.member(principal, member_id)
    try:
        pdf, name = await statement.statement_pdf(
            request.app, principal, member, year, today(), i18n.current_language.get()
        )
    except RenderError as exc:
        return unavailable(request, exc)
    return pdf_response(pdf, name)


def _own_member(principal: Principal) -> int:
    if principal.organisation_id is None:
        raise NotFound(code="member_not_found")
    return principal.organisation_id


class MemberContributionController(Controller):
    path = OWN_BASE
    include_in_schema = False
    guards = [requires(Role.MEMBER)]
    dependencies = {"principal": Provide(provide_principal)}

    @get("/", name="banenafspraak.dashboard", media_type=MediaType.HTML)
    async def own(self, principal: NamedDependency[Principal]) -> Template:
        return await _dashboard(principal, _own_member(principal))

    @get("/{year:int}/verklaring.pdf", name="banenafspraak.statement")
    async def own_statement(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        year: FromPath[int],
    ) -> Response[Any]:
        return await _statement(request, principal, _own_member(principal), year)


class StaffContributionController(Controller):
    """Any logged-in user may ask; a member reaches only its own (and is sent to
    ``/bijdrage``), another organisation's id is a 404 like an unknown one."""

    path = STAFF_BASE
    include_in_schema = False
    guards = [requires(Role.COORDINATOR, Role.ADMIN, Role.MEMBER)]
    dependencies = {"principal": Provide(provide_principal)}

    @get("/", name="banenafspraak.member_dashboard", media_type=MediaType.HTML)
    async def for_member(
        self, principal: NamedDependency[Principal], organisation_id: FromPath[int]
    ) -> Template | Redirect:
        if principal.role == Role.MEMBER:
            await members.member(principal, organisation_id)  # another's: 404
            return Redirect(url(OWN_BASE), status_code=303)
        return await _dashboard(principal, organisation_id)

    @get("/{year:int}/verklaring.pdf", name="banenafspraak.member_statement")
    async def member_statement(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        organisation_id: FromPath[int],
        year: FromPath[int],
    ) -> Response[Any]:
        return await _statement(request, principal, organisation_id, year)


CONTRIBUTION_PAGES = [MemberContributionController, StaffContributionController]
