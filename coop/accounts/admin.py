"""User administration for admins, under ``/beheer/gebruikers``: the list (filters, 50 a
page), inviting a user, and per user: change the role, deactivate or activate, reset the
second factor, send the invitation again.

The rules (nobody changes their own role or deactivates themselves, the last active admin
stays) and the audit records live in :mod:`coop.accounts.user_admin_repository`; this
module parses the forms, calls it and renders the Dutch answer next to the field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from babel.dates import format_date, format_time
from litestar import Controller, MediaType, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from coop.accounts import invitations, links
from coop.accounts import user_admin_repository as repo
from coop.accounts.auth import provide_principal, requires, session_of
from coop.accounts.login import client_ip
from coop.accounts.principal import Principal
from coop.accounts.roles import Role, role_label
from coop.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from coop.mail.outbox import valid_address
from coop.web import i18n
from coop.web.i18n import gettext as _
from coop.web.templating import url

BASE = "/beheer/gebruikers"
MAX_NAME_LENGTH = 200
STATUS_FILTERS = {"actief": True, "gedeactiveerd": False}


def local_datetime(value: datetime) -> str:
    """A moment in Dutch local time, e.g. "3 mrt 2026 14:05"."""
    local = value.astimezone(invitations.LOCAL_TIME)
    locale = i18n.babel_locale()
    return (
        format_date(local.date(), format="medium", locale=locale)
        + " "
        + format_time(local.time(), format="HH:mm", locale=locale)
    )


def _int_or_none(value: Any) -> int | None:
    try:
        return int(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


def _role_or_none(value: Any) -> Role | None:
    try:
        return Role(str(value)) if value else None
    except ValueError:
        return None


def role_descriptions() -> dict[str, str]:
    return {
        Role.ADMIN: _("Beheert gebruikers, werkgeversservicepunten en instellingen."),
        Role.COORDINATOR: _("Koppelt kandidaten aan werkplekken en volgt hen."),
        Role.MEMBER: _("Werkt bij een lid van de coöperatie; ziet alleen de eigen organisatie."),
        Role.WSP: _("Werkt bij een werkgeversservicepunt; ziet alleen de eigen scans en leads."),
    }


async def _choices() -> dict[str, Any]:
    organisations = await repo.organisation_choices()
    tenants = await repo.tenant_choices()
    return {
        "roles": list(Role),
        "role_descriptions": role_descriptions(),
        "organisation_options": [(str(o["id"]), o["name"]) for o in organisations],
        "tenant_options": [(str(t["id"]), f"{t['name']} ({t['slug']})") for t in tenants],
        "invite_hours": _invite_hours(),
    }


def _placement_errors(
    role: Role | None, organisation_id: int | None, tenant_id: int | None
) -> dict[str, str]:
    if role is None:
        return {}
    return {e.field: e.detail for e in repo.placement_problems(role, organisation_id, tenant_id)}


async def _placement_existence(
    role: Role | None, organisation_id: int | None, tenant_id: int | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if (
        role == Role.MEMBER
        and organisation_id is not None
        and not await repo.organisation_exists(organisation_id)
    ):
        errors["organisation"] = _("Deze organisatie bestaat niet (meer).")
    if role == Role.WSP and tenant_id is not None and not await repo.tenant_exists(tenant_id):
        errors["tenant"] = _("Dit werkgeversservicepunt bestaat niet (meer).")
    return errors


class UserAdminController(Controller):
    path = BASE
    include_in_schema = False
    guards = [requires(Role.ADMIN)]
    dependencies = {"principal": Provide(provide_principal)}

    # --- the list ------------------------------------------------------------------------

    @get("/", name="users.list", media_type=MediaType.HTML)
    async def list_users(
        self,
        rol: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
        zoek: FromQuery[str | None] = None,
        pagina: FromQuery[str | None] = None,
    ) -> Template:
        role = _role_or_none(rol)
        active = STATUS_FILTERS.get(status or "")
        search = (zoek or "").strip()[:100]
        page = await repo.list_users(
            role=role, active=active, search=search, page=_int_or_none(pagina) or 1
        )
        filters = {
            "rol": role.value if role else None,
            "status": status if active is not None else None,
            "zoek": search or None,
        }

        def page_url(number: int) -> str:
            return url(BASE, **filters, pagina=number if number > 1 else None)

        return Template(
            "accounts/admin/users.html",
            context={
                "page": page,
                "filters": filters,
                "filtered": any(filters.values()),
                "roles": list(Role),
                "page_url": page_url,
                "local_datetime": local_datetime,
            },
        )

    # --- inviting ------------------------------------------------------------------------

    @get("/uitnodigen", name="users.invite", media_type=MediaType.HTML)
    async def invite_form(self) -> Template:
        return Template(
            "accounts/admin/invite.html",
            context={"errors": {}, "values": {}, **await _choices()},
        )

    @post("/uitnodigen", name="users.invite.submit", media_type=MediaType.HTML)
    async def invite(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> Any:
        form = await request.form()
        values = {
            key: str(form.get(key) or "").strip()
            for key in ("email", "name", "role", "organisation", "tenant")
        }
        email = values["email"].lower()
        role = _role_or_none(values["role"])
        organisation_id = _int_or_none(values["organisation"])
        tenant_id = _int_or_none(values["tenant"])
        errors: dict[str, str] = {}
        if not email:
            errors["email"] = _("Vul het e-mailadres in.")
        elif not valid_address(email):
            errors["email"] = _("Dit is geen geldig e-mailadres. Bijvoorbeeld: naam@voorbeeld.nl.")
        elif await repo.email_taken(email):
            errors["email"] = _("Er is al een gebruiker met dit e-mailadres.")
        if not values["name"]:
            errors["name"] = _("Vul de naam in. Die gebruiken we in de uitnodiging.")
        elif len(values["name"]) > MAX_NAME_LENGTH:
            errors["name"] = _("Een naam heeft hoogstens %(max)s tekens.", max=MAX_NAME_LENGTH)
        if role is None:
            errors["role"] = _("Kies een rol.")
        errors.update(_placement_errors(role, organisation_id, tenant_id))
        errors.update(await _placement_existence(role, organisation_id, tenant_id))

        if not errors and role is not None:
            try:
                user_id, _expires = await invitations.invite_user(
                    actor=principal,
                    email=email,
                    name=values["name"],
                    role=role,
                    organisation_id=organisation_id,
                    tenant_id=tenant_id,
                    base_url=request.app.state["settings"].base_url,
                    client_ip=client_ip(request),
                )
            except ValidationFailed as exc:
                errors.update({e.field: e.detail for e in exc.errors})
            else:
                session_of(request).flash(
                    "success",
                    _(
                        "De uitnodiging is verstuurd naar %(email)s. De link is %(hours)s uur "
                        "geldig.",
                        email=email,
                        hours=_invite_hours(),
                    ),
                )
                return Redirect(url(f"{BASE}/{user_id}"), status_code=303)
        return Template(
            "accounts/admin/invite.html",
            context={"errors": errors, "values": values, **await _choices()},
            status_code=400,
        )

    # --- one user ------------------------------------------------------------------------

    @get("/{user_id:int}", name="users.detail", media_type=MediaType.HTML)
    async def detail(
        self, user_id: FromPath[int], principal: NamedDependency[Principal]
    ) -> Template:
        return await self._detail_page(principal, user_id)

    @post("/{user_id:int}/rol", name="users.role", media_type=MediaType.HTML)
    async def change_role(
        self,
        request: Request[Any, Any, Any],
        user_id: FromPath[int],
        principal: NamedDependency[Principal],
    ) -> Any:
        form = await request.form()
        values = {
            key: str(form.get(key) or "").strip() for key in ("role", "organisation", "tenant")
        }
        role = _role_or_none(values["role"])
        if role is None:
            return await self._detail_page(
                principal,
                user_id,
                role_errors={"role": _("Kies een rol.")},
                role_values=values,
                status=400,
            )
        try:
            changed = await repo.change_role(
                principal,
                user_id,
                role,
                organisation_id=_int_or_none(values["organisation"]),
                tenant_id=_int_or_none(values["tenant"]),
                client_ip=client_ip(request),
            )
        except ValidationFailed as exc:
            return await self._detail_page(
                principal,
                user_id,
                role_errors={e.field: e.detail for e in exc.errors},
                role_values=values,
                status=400,
            )
        except (PermissionDenied, Conflict) as exc:
            return await self._refused(principal, user_id, exc)
        if changed:
            message = _(
                "De rol is gewijzigd in %(role)s. De gebruiker is overal uitgelogd en logt "
                "opnieuw in met de nieuwe rol.",
                role=role_label(role),
            )
        else:
            message = _("Er is niets gewijzigd: de gebruiker had deze rol al.")
        return self._back(request, user_id, message, "success" if changed else "info")

    @post("/{user_id:int}/deactiveren", name="users.deactivate", media_type=MediaType.HTML)
    async def deactivate(
        self,
        request: Request[Any, Any, Any],
        user_id: FromPath[int],
        principal: NamedDependency[Principal],
    ) -> Any:
        try:
            await repo.set_active(principal, user_id, False, client_ip=client_ip(request))
        except (PermissionDenied, Conflict) as exc:
            return await self._refused(principal, user_id, exc)
        return self._back(
            request,
            user_id,
            _(
                "De gebruiker is gedeactiveerd. Alle sessies zijn beëindigd en API-tokens "
                "werken niet meer."
            ),
        )

    @post("/{user_id:int}/activeren", name="users.activate", media_type=MediaType.HTML)
    async def activate(
        self,
        request: Request[Any, Any, Any],
        user_id: FromPath[int],
        principal: NamedDependency[Principal],
    ) -> Any:
        try:
            await repo.set_active(principal, user_id, True, client_ip=client_ip(request))
        except (PermissionDenied, Conflict) as exc:
            return await self._refused(principal, user_id, exc)
        return self._back(request, user_id, _("De gebruiker is weer actief en kan inloggen."))

    @post(
        "/{user_id:int}/tweede-factor-resetten",
        name="users.second_factor_reset",
        media_type=MediaType.HTML,
    )
    async def reset_second_factor(
        self,
        request: Request[Any, Any, Any],
        user_id: FromPath[int],
        principal: NamedDependency[Principal],
    ) -> Any:
        try:
            await repo.reset_second_factor(principal, user_id, client_ip=client_ip(request))
        except (PermissionDenied, Conflict) as exc:
            return await self._refused(principal, user_id, exc)
        return self._back(
            request,
            user_id,
            _(
                "De tweede factor is verwijderd. De gebruiker is overal uitgelogd en stelt "
                "bij de volgende keer inloggen een nieuwe tweede factor in."
            ),
        )

    @post("/{user_id:int}/uitnodiging-versturen", name="users.reinvite", media_type=MediaType.HTML)
    async def resend_invitation(
        self,
        request: Request[Any, Any, Any],
        user_id: FromPath[int],
        principal: NamedDependency[Principal],
    ) -> Any:
        try:
            await invitations.resend_invitation(
                principal,
                user_id,
                base_url=request.app.state["settings"].base_url,
                client_ip=client_ip(request),
            )
        except (PermissionDenied, Conflict) as exc:
            return await self._refused(principal, user_id, exc)
        return self._back(
            request,
            user_id,
            _(
                "Er is een nieuwe uitnodiging verstuurd. De link is %(hours)s uur geldig; "
                "eerdere links werken niet meer.",
                hours=_invite_hours(),
            ),
        )

    # --- helpers -------------------------------------------------------------------------

    @staticmethod
    def _back(
        request: Request[Any, Any, Any], user_id: int, message: str, kind: str = "success"
    ) -> Redirect:
        session_of(request).flash(kind, message)
        return Redirect(url(f"{BASE}/{user_id}"), status_code=303)

    async def _refused(
        self, principal: Principal, user_id: int, exc: PermissionDenied | Conflict
    ) -> Template:
        return await self._detail_page(
            principal, user_id, notice=exc.detail, status=exc.status_code
        )

    async def _detail_page(
        self,
        principal: Principal,
        user_id: int,
        *,
        notice: str | None = None,
        role_errors: dict[str, str] | None = None,
        role_values: dict[str, str] | None = None,
        status: int = 200,
    ) -> Template:
        user = await repo.user_row(user_id)
        if user is None:
            raise NotFound(_("Deze gebruiker bestaat niet."), code="user_not_found")
        values = role_values or {
            "role": user.role,
            "organisation": str(user.organisation or ""),
            "tenant": str(user.tenant or ""),
        }
        return Template(
            "accounts/admin/user.html",
            context={
                "user": user,
                "is_self": user.id == principal.user_id,
                "notice": notice,
                "errors": role_errors or {},
                "values": values,
                "local_datetime": local_datetime,
                **await _choices(),
            },
            status_code=status,
        )


def _invite_hours() -> int:
    return int(links.LIFETIMES[links.INVITE].total_seconds() // 3600)
