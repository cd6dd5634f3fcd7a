"""The tenant back office: admins create and edit tenants (``/beheer/wsp``); a WSP user
manages its own tenant's branding, contact, embedding origins and lead settings
(``/wsp/{slug}/instellingen``), an admin any tenant's.

``selfscan`` does not know the host's users: the host registers these controllers behind
its own guard (admins and WSP users only, CSRF on every form) and hands each handler a
:class:`~selfscan.tenants.access.TenantUser` as the ``tenant_user`` dependency. Another
tenant's pages simply do not exist for a WSP user (404), and so do the admin pages.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import msgspec
from litestar import Controller, MediaType, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from selfscan.errors import TenantNotFound
from selfscan.scans import language, service
from selfscan.scans.config import config_of
from selfscan.tenants import audit, embedding, forms, logos, repository, rules
from selfscan.tenants.access import TenantUser, managed_slug
from selfscan.tenants.audit import TenantAuditWriter, TenantChange
from selfscan.tenants.schemas import TenantSettings

HTML = MediaType.HTML
ADMIN_BASE = "/beheer/wsp"
MAX_LOGO_FORM_BYTES = logos.MAX_BYTES + 16 * 1024

DEFAULT_CONSENT = {
    "nl": "Ja, {name} mag contact met mij opnemen over de uitkomst van deze scan. Daarvoor "
    "bewaart {name} mijn gegevens en de scan, tot ik mijn toestemming intrek of uiterlijk "
    "12 maanden.",
}


def _lang(request: Request[Any, Any, Any]) -> str:
    return language.of_page(request)


def _link(request: Request[Any, Any, Any], path: str, **query: object) -> str:
    params = {k: v for k, v in query.items() if v is not None}
    if _lang(request) != language.DEFAULT:
        params["lang"] = _lang(request)
    return f"{path}?{urlencode(params)}" if params else path


def _settings_path(slug: str) -> str:
    return f"/wsp/{slug}/instellingen"


def _require_admin(user: TenantUser) -> None:
    if not user.is_admin:
        raise TenantNotFound()


async def _tenant_for(user: TenantUser, slug: str) -> dict[str, Any]:
    """The tenant ``slug`` when ``user`` may manage it (inactive ones too, for admins)."""
    found = await repository.by_slug(managed_slug(user, slug))
    if found is None or (not user.is_admin and not found["active"]):
        raise TenantNotFound()
    return found


def _change(action: str, tenant: dict[str, Any], fields: tuple[str, ...] = ()) -> TenantChange:
    return TenantChange(
        action=action, tenant_id=tenant["id"], tenant_slug=tenant["slug"], fields=fields
    )


def _regions(request: Request[Any, Any, Any]) -> dict[str, str]:
    return dict(config_of(request.app).regions)


def _settings_values(tenant: dict[str, Any]) -> dict[str, str]:
    return {
        "contact_name": tenant["contact_name"],
        "contact_email": tenant["contact_email"],
        "contact_phone": tenant["contact_phone"],
        "lead_email": tenant["lead_email"],
        "privacy_url": tenant["privacy_url"],
        "consent_text": tenant["consent_text"],
        "primary_colour": tenant["primary_colour"],
        "secondary_colour": tenant["secondary_colour"],
        "allowed_origins": "\n".join(tenant["allowed_origins"]),
    }


class TenantSettingsController(Controller):
    """``/wsp/{slug}/instellingen``: a WSP user's own tenant; an admin's any tenant."""

    path = "/wsp"
    include_in_schema = False

    @get("/", name="wsp.home", media_type=HTML)
    async def home(
        self, request: Request[Any, Any, Any], tenant_user: NamedDependency[TenantUser]
    ) -> Redirect:
        if tenant_user.is_admin:
            return Redirect(_link(request, ADMIN_BASE), status_code=303)
        return Redirect(_link(request, _settings_path(managed_slug(tenant_user))), status_code=303)

    @get("/{slug:str}/instellingen", name="wsp.settings", media_type=HTML)
    async def settings(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        tenant_user: NamedDependency[TenantUser],
    ) -> Template:
        tenant = await _tenant_for(tenant_user, slug)
        return await self._page(request, tenant, _settings_values(tenant), {})

    @post("/{slug:str}/instellingen", name="wsp.settings.save", media_type=HTML)
    async def save(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        tenant_user: NamedDependency[TenantUser],
        tenant_audit: NamedDependency[TenantAuditWriter],
    ) -> Any:
        tenant = await _tenant_for(tenant_user, slug)
        form = await request.form()
        settings, values, errors = forms.parse_settings(
            form, production=config_of(request.app).production, lang=_lang(request)
        )
        if settings is None:
            return await self._page(request, tenant, values, errors, status_code=400)
        async with repository.write_transaction():
            await repository.update_settings(tenant["slug"], settings)
            fields = audit.changed_fields(tenant, msgspec.structs.asdict(settings))
            await tenant_audit(_change(audit.TENANT_SETTINGS_CHANGED, tenant, fields))
        service.forget(request.app)
        return Redirect(
            _link(request, _settings_path(tenant["slug"]), opgeslagen=1), status_code=303
        )

    @post(
        "/{slug:str}/logo",
        name="wsp.logo.upload",
        media_type=HTML,
        request_max_body_size=MAX_LOGO_FORM_BYTES,
    )
    async def upload_logo(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        tenant_user: NamedDependency[TenantUser],
        tenant_audit: NamedDependency[TenantAuditWriter],
    ) -> Any:
        tenant = await _tenant_for(tenant_user, slug)
        form = await request.form()
        upload = form.get("logo")
        data = b""
        if upload is not None and hasattr(upload, "read"):
            data = await upload.read(logos.MAX_BYTES + 1)
        try:
            clean, content_type = logos.check(data)
        except logos.LogoProblem as problem:
            return await self._page(
                request,
                tenant,
                _settings_values(tenant),
                {},
                logo_error=problem.message.get(_lang(request)),
                status_code=400,
            )
        async with repository.write_transaction():
            await repository.set_logo(tenant["slug"], clean, content_type)
            await tenant_audit(_change(audit.TENANT_LOGO_SET, tenant))
        service.forget(request.app)
        return Redirect(
            _link(request, _settings_path(tenant["slug"]), logo="opgeslagen"), status_code=303
        )

    @post("/{slug:str}/logo/verwijderen", name="wsp.logo.remove", media_type=HTML)
    async def remove_logo(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        tenant_user: NamedDependency[TenantUser],
        tenant_audit: NamedDependency[TenantAuditWriter],
    ) -> Redirect:
        tenant = await _tenant_for(tenant_user, slug)
        async with repository.write_transaction():
            await repository.set_logo(tenant["slug"], None, "")
            await tenant_audit(_change(audit.TENANT_LOGO_REMOVED, tenant))
        service.forget(request.app)
        return Redirect(
            _link(request, _settings_path(tenant["slug"]), logo="verwijderd"), status_code=303
        )

    async def _page(
        self,
        request: Request[Any, Any, Any],
        tenant: dict[str, Any],
        values: dict[str, str],
        errors: dict[str, str],
        *,
        logo_error: str | None = None,
        status_code: int = 200,
    ) -> Template:
        config = config_of(request.app)
        return Template(
            template_name="tenants/settings.html",
            context={
                "tenant": tenant,
                "values": values,
                "errors": errors,
                "logo_error": logo_error,
                "snippet": rules.embed_snippet(config.base_url, tenant["slug"], tenant["name"]),
                "scan_url": f"{config.base_url.rstrip('/')}/scan/{tenant['slug']}",
                "preview_url": _link(
                    request,
                    f"/scan/{tenant['slug']}",
                    parent=config.base_url.rstrip("/"),
                    v=embedding.brand_version(tenant),
                ),
                "brand_version": embedding.brand_version(tenant),
                "consent_versions": await repository.consent_versions(tenant["id"]),
                "production": config.production,
                "saved": request.query_params.get("opgeslagen") == "1",
                "logo_notice": request.query_params.get("logo"),
                "logo_max_kb": logos.MAX_BYTES // 1024,
                "min_contrast": rules.MIN_CONTRAST,
            },
            status_code=status_code,
            media_type=HTML,
        )


class TenantAdminController(Controller):
    """``/beheer/wsp``: the list of tenants, a new tenant, and one tenant's basics."""

    path = ADMIN_BASE
    include_in_schema = False

    @get("/", name="tenants.list", media_type=HTML)
    async def list_tenants(
        self, request: Request[Any, Any, Any], tenant_user: NamedDependency[TenantUser]
    ) -> Template:
        _require_admin(tenant_user)
        return Template(
            template_name="tenants/list.html",
            context={
                "tenants": await repository.list_tenants(),
                "regions": _regions(request),
                "default_tenant": config_of(request.app).default_tenant,
            },
            media_type=HTML,
        )

    @get("/nieuw", name="tenants.new", media_type=HTML)
    async def new(
        self, request: Request[Any, Any, Any], tenant_user: NamedDependency[TenantUser]
    ) -> Template:
        _require_admin(tenant_user)
        return self._form(request, None, {"active": "1"}, {})

    @post("/nieuw", name="tenants.create", media_type=HTML)
    async def create(
        self,
        request: Request[Any, Any, Any],
        tenant_user: NamedDependency[TenantUser],
        tenant_audit: NamedDependency[TenantAuditWriter],
    ) -> Any:
        _require_admin(tenant_user)
        form = await request.form()
        basics, values, errors = forms.parse_basics(
            form, regions=_regions(request), lang=_lang(request)
        )
        if basics is not None:
            consent = DEFAULT_CONSENT["nl"].format(name=basics.name)
            try:
                async with repository.write_transaction():
                    tenant_id = await repository.create(basics, consent)
                    await tenant_audit(
                        TenantChange(
                            action=audit.TENANT_CREATED,
                            tenant_id=tenant_id,
                            tenant_slug=basics.slug,
                        )
                    )
            except repository.SlugTaken:
                errors = {"slug": _taken(_lang(request))}
            else:
                return Redirect(
                    _link(request, f"{ADMIN_BASE}/{basics.slug}", nieuw=1), status_code=303
                )
        return self._form(request, None, values, errors, status_code=400)

    @get("/{slug:str}", name="tenants.detail", media_type=HTML)
    async def detail(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        tenant_user: NamedDependency[TenantUser],
    ) -> Template:
        _require_admin(tenant_user)
        tenant = await _tenant_for(tenant_user, slug)
        values = {
            "slug": tenant["slug"],
            "name": tenant["name"],
            "region_code": tenant["region_code"],
            "active": "1" if tenant["active"] else "",
        }
        return self._form(request, tenant, values, {})

    @post("/{slug:str}", name="tenants.update", media_type=HTML)
    async def update(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        tenant_user: NamedDependency[TenantUser],
        tenant_audit: NamedDependency[TenantAuditWriter],
    ) -> Any:
        _require_admin(tenant_user)
        tenant = await _tenant_for(tenant_user, slug)
        form = await request.form()
        basics, values, errors = forms.parse_basics(
            form, regions=_regions(request), lang=_lang(request), slug_fixed=tenant["slug"]
        )
        if (
            basics is not None
            and not basics.active
            and tenant["slug"] == config_of(request.app).default_tenant
        ):
            basics, errors = None, {"active": _default_stays(_lang(request))}
        if basics is None:
            return self._form(request, tenant, values, errors, status_code=400)
        async with repository.write_transaction():
            await repository.update_basics(tenant["slug"], basics)
            fields = audit.changed_fields(tenant, msgspec.structs.asdict(basics))
            await tenant_audit(_change(audit.TENANT_UPDATED, tenant, fields))
        service.forget(request.app)
        return Redirect(
            _link(request, f"{ADMIN_BASE}/{tenant['slug']}", opgeslagen=1), status_code=303
        )

    def _form(
        self,
        request: Request[Any, Any, Any],
        tenant: dict[str, Any] | None,
        values: dict[str, str],
        errors: dict[str, str],
        *,
        status_code: int = 200,
    ) -> Template:
        regions = sorted(_regions(request).items(), key=lambda item: item[1].casefold())
        return Template(
            template_name="tenants/form.html",
            context={
                "tenant": tenant,
                "values": values,
                "errors": errors,
                "regions": regions,
                "saved": request.query_params.get("opgeslagen") == "1",
                "created": request.query_params.get("nieuw") == "1",
                "default_tenant": config_of(request.app).default_tenant,
            },
            status_code=status_code,
            media_type=HTML,
        )


def _taken(lang: str) -> str:
    return (
        "This address is already in use. Choose another."
        if lang == "en"
        else "Dit adres is al in gebruik. Kies een ander."
    )


def _default_stays(lang: str) -> str:
    return (
        "The cooperative's own scan stays active: /scan leads to it."
        if lang == "en"
        else "De eigen scan van de coöperatie blijft actief: /scan verwijst ernaar."
    )


__all__ = ["TenantAdminController", "TenantSettings", "TenantSettingsController"]
