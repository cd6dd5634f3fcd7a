"""The bridge from the cooperative's accounts to the self-scan's tenant back office.

``selfscan`` knows nothing of ``coop``'s users: its WSP controllers take a
:class:`selfscan.tenants.access.TenantUser`. The host registers them in a router guarded by
``requires(Role.ADMIN, Role.WSP)`` with ``dependencies={"tenant_user":
Provide(provide_tenant_user)}``.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Request, Router, get
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Template

from coop.accounts.auth import require_principal, requires
from coop.accounts.login import client_ip
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.audit.log import record
from coop.errors import NotFound, PermissionDenied
from coop.web.i18n import gettext as _
from selfscan.tenants.access import TenantUser
from selfscan.tenants.audit import TenantAuditWriter, TenantChange, detail_of
from selfscan.tenants.controllers import TenantAdminController, TenantSettingsController
from selfscan.tenants.tables import Tenant


def tenant_user_of(principal: Principal) -> TenantUser:
    """The principal as the self-scan sees it; only admins and WSP users map."""
    if principal.role == Role.ADMIN:
        return TenantUser(user_id=principal.user_id, role="admin", tenant_slug=None)
    if principal.role == Role.WSP:
        return TenantUser(user_id=principal.user_id, role="wsp", tenant_slug=principal.tenant_slug)
    raise PermissionDenied(_("Uw rol geeft geen toegang tot deze pagina."))


async def provide_tenant_user(request: Request[Any, Any, Any]) -> TenantUser:
    """Dependency for the self-scan's back-office controllers (behind the host's guard)."""
    return tenant_user_of(require_principal(request))


async def provide_tenant_audit(request: Request[Any, Any, Any]) -> TenantAuditWriter:
    """Dependency for the same controllers: their changes go to our audit log, written in
    the transaction the controller has open, with the acting user and client address."""
    principal = require_principal(request)
    ip = client_ip(request)

    async def write(change: TenantChange) -> None:
        await record(
            change.action,
            actor=principal,
            object_type="tenant",
            object_id=change.tenant_id,
            client_ip=ip,
            detail=detail_of(change),
        )

    return write


class TenantInviteController(Controller):
    """``/beheer/wsp/{slug}/gebruiker-uitnodigen`` (admins): the ordinary invitation form,
    with the role ``wsp`` and this tenant already chosen; it posts to
    ``/beheer/gebruikers/uitnodigen`` like any invitation."""

    path = "/beheer/wsp/{slug:str}/gebruiker-uitnodigen"
    include_in_schema = False
    guards = [requires(Role.ADMIN)]

    @get("/", name="tenants.invite", media_type=MediaType.HTML)
    async def invite_form(self, slug: FromPath[str]) -> Template:
        from coop.accounts.admin import _choices

        tenant = await Tenant.select(Tenant.id).where(Tenant.slug == slug).first()
        if tenant is None:
            raise NotFound(_("Dit werkgeversservicepunt bestaat niet."), code="tenant_not_found")
        return Template(
            "accounts/admin/invite.html",
            context={
                "errors": {},
                "values": {"role": Role.WSP.value, "tenant": str(tenant["id"])},
                **await _choices(),
            },
        )


def tenant_router() -> Router:
    """The self-scan's tenant back office, behind the host's guard and user mapping."""
    return Router(
        path="/",
        route_handlers=[TenantAdminController, TenantSettingsController],
        guards=[requires(Role.ADMIN, Role.WSP)],
        dependencies={
            "tenant_user": Provide(provide_tenant_user),
            "tenant_audit": Provide(provide_tenant_audit),
        },
        include_in_schema=False,
    )
