"""The employer's side of leads: the contact form after the result, and withdrawing consent.

URLs::

    GET  /scan/{wsp}/{token}/contact                 the form (a completed scan only)
    POST /scan/{wsp}/{token}/contact                 store the lead and its two mails, 303
    GET  /scan/{wsp}/{token}/contact/verstuurd       thank you
    GET  /scan/{wsp}/toestemming-intrekken/{code}    asks to confirm (a mail scanner that
                                                     follows the link changes nothing)
    POST /scan/{wsp}/toestemming-intrekken/{code}    erase the contact details at once

Like every scan page: no cookie and no session, so no session CSRF. The scan's token in the
path is the capability, a POST must come from our own pages (the scan pages' own check,
:func:`selfscan.tenants.embedding.check_post_origin`), a hidden honeypot field catches
simple robots, and a client may leave only a few leads an hour. ``?lang=`` and
``?parent=`` (the embedding page's origin, when it is one of the tenant's) are carried
through every link and form, so the form works inside the iframe.
"""

from __future__ import annotations

import math
import time
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import CacheControlHeader, ResponseHeader
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from selfscan import scoring
from selfscan.errors import ScanNotFound, TenantNotFound, TooManyScans
from selfscan.scans import charts, language, service
from selfscan.scans.config import config_of
from selfscan.scans.controllers import Nav, link_invalid
from selfscan.tenants import embedding
from selfscan.tenants.leads import mails, repository, rules
from selfscan.tenants.leads.mails import MailWriter
from selfscan.tenants.leads.repository import LeadTenant

HTML = MediaType.HTML
MAX_FORM_BYTES = 32 * 1024
#: Leads one client may leave per hour (every tenant together).
LEADS_PER_HOUR = 10
WINDOW_S = 3600
HONEYPOT = "website"
FIELDS = tuple(rules.MAX_LENGTHS)


def _query(lang: str, parent: str | None, **more: object) -> str:
    params: dict[str, object] = {k: v for k, v in more.items() if v is not None}
    if lang != language.DEFAULT:
        params["lang"] = lang
    if parent:
        params["parent"] = parent
    return f"?{urlencode(params)}" if params else ""


class _Context:
    """The tenant as the scan pages' layout needs it (brand, frame, ``?parent=``), and as
    leads need it."""

    def __init__(
        self, request: Request[Any, Any, Any], shown: dict[str, Any], lead_tenant: LeadTenant
    ) -> None:
        self.lang = language.of_page(request)
        self.parent = embedding.parent_of(request, shown)
        self.lead_tenant = lead_tenant
        self.layout = {
            "tenant": shown,
            "nav": Nav(lang=self.lang, parent=self.parent),
            "embedded": self.parent is not None,
            "brand_version": embedding.brand_version(shown),
            "own_tenant": shown["slug"] == config_of(request.app).default_tenant,
            "honeypot": HONEYPOT,
            "lang": self.lang,
        }

    def query(self, **more: object) -> str:
        return _query(self.lang, self.parent, **more)


async def count_lead(request: Request[Any, Any, Any]) -> None:
    """Count one lead for the client; TooManyScans (429) when over the hour's limit."""
    config = config_of(request.app)
    if config.new_scans_per_minute <= 0:  # limits are off (benchmarks)
        return
    store = request.app.stores.get(config.rate_limit_store)
    client = request.client.host if request.client else "unknown"
    key = f"selfscan:lead:{client}"
    now = time.time()
    start, count = now, 0
    raw = await store.get(key)
    if raw:
        try:
            stored_start, stored_count = raw.decode().split(":")
            if now - float(stored_start) < WINDOW_S:
                start, count = float(stored_start), int(stored_count)
        except ValueError:
            pass
    left = max(1, math.ceil(start + WINDOW_S - now))
    if count >= LEADS_PER_HOUR:
        raise TooManyScans(retry_after=left)
    await store.set(key, f"{start}:{count + 1}", expires_in=left)


async def _context(request: Request[Any, Any, Any], wsp: str) -> _Context:
    shown = await service.tenant(request.app, wsp)  # the scan pages' own check and cache
    found = await repository.tenant(wsp)
    if found is None:
        raise TenantNotFound()
    return _Context(request, shown, found)


def _page(template: str, context: dict[str, Any], status_code: int = 200) -> Template:
    return Template(
        template_name=template, context=context, status_code=status_code, media_type=HTML
    )


class LeadPages(Controller):
    """Registered by the host with a ``mail_writer`` dependency (see :mod:`.mails`)."""

    path = "/scan"
    include_in_schema = False
    response_headers = [ResponseHeader(name="X-Robots-Tag", value="noindex, nofollow")]
    cache_control = CacheControlHeader(no_store=True)
    exception_handlers = {ScanNotFound: link_invalid, TenantNotFound: link_invalid}

    @get("/{wsp:str}/{token:str}/contact", name="leads.form", media_type=HTML)
    async def form(
        self, request: Request[Any, Any, Any], wsp: FromPath[str], token: FromPath[str]
    ) -> Response[Any]:
        ctx = await _context(request, wsp)
        scan = await service.find(token, wsp)
        if not scan.completed:
            return Redirect(f"/scan/{wsp}/{token}/resultaat{ctx.query()}", status_code=303)
        return self._form(ctx, wsp, token, {}, {}, consent=False)

    @post(
        "/{wsp:str}/{token:str}/contact",
        name="leads.submit",
        media_type=HTML,
        request_max_body_size=MAX_FORM_BYTES,
    )
    async def submit(
        self,
        request: Request[Any, Any, Any],
        wsp: FromPath[str],
        token: FromPath[str],
        mail_writer: NamedDependency[MailWriter],
    ) -> Response[Any]:
        embedding.check_post_origin(request)
        ctx = await _context(request, wsp)
        tenant, lang = ctx.lead_tenant, ctx.lang
        scan = await service.find(token, wsp)
        done = f"/scan/{wsp}/{token}/contact/verstuurd{ctx.query()}"
        if not scan.completed or scan.result is None:
            return Redirect(f"/scan/{wsp}/{token}/resultaat{ctx.query()}", status_code=303)
        form = await request.form()
        values = {name: str(form.get(name) or "")[:5000] for name in FIELDS}
        consent = form.get("consent") == "ja"
        if str(form.get(HONEYPOT) or "").strip():
            # Software, not a person: answer as if it worked, store nothing.
            return Redirect(done, status_code=303)
        contact, errors = rules.check_contact(values, consent, lang)
        if contact is None:
            return self._form(ctx, wsp, token, values, errors, consent, 422)
        await count_lead(request)

        base = config_of(request.app).base_url.rstrip("/")
        result = scan.result
        level = scoring.level_by_id(result.level)

        async def write_mails(created: repository.Created) -> None:
            if tenant.notify_address:
                await mail_writer(
                    mails.notification(
                        to=tenant.notify_address,
                        tenant_name=tenant.name,
                        request=contact,
                        score=charts.score_text(result.overall, "nl"),
                        level=level.name.get("nl"),
                        lead_url=f"{base}/wsp/{wsp}/leads/{created.lead_id}",
                    )
                )
            await mail_writer(
                mails.confirmation(
                    tenant_name=tenant.name,
                    request=contact,
                    lang=lang,
                    result_url=f"{base}/scan/{wsp}/{token}/resultaat{_query(lang, None)}",
                    withdraw_url=(
                        f"{base}/scan/{wsp}/toestemming-intrekken/{created.withdraw_token}"
                        f"{_query(lang, None)}"
                    ),
                )
            )

        await repository.create(
            tenant=tenant,
            scan_id=scan.id,
            scan_token=token,
            request=contact,
            lang=lang,
            then=write_mails,
        )
        # A second click finds the first lead and stores nothing: the same thank-you.
        return Redirect(done, status_code=303)

    @get("/{wsp:str}/{token:str}/contact/verstuurd", name="leads.sent", media_type=HTML)
    async def sent(
        self, request: Request[Any, Any, Any], wsp: FromPath[str], token: FromPath[str]
    ) -> Template:
        ctx = await _context(request, wsp)
        await service.find(token, wsp)
        return _page(
            "selfscan/leads/sent.html",
            {
                **ctx.layout,
                "lead_tenant": ctx.lead_tenant,
                "result_path": f"/scan/{wsp}/{token}/resultaat{ctx.query()}",
            },
        )

    @get("/{wsp:str}/toestemming-intrekken/{code:str}", name="leads.withdraw", media_type=HTML)
    async def withdraw_form(
        self, request: Request[Any, Any, Any], wsp: FromPath[str], code: FromPath[str]
    ) -> Template:
        tenant = await _withdraw_tenant(wsp)
        found = await repository.withdrawable(code)
        if found is None or found["tenant_slug"] != wsp:
            raise NotFoundException()
        lang = language.of_page(request)
        return _page(
            "selfscan/leads/withdraw.html",
            {
                "lang": lang,
                "tenant": tenant,
                "done": found["withdrawn_at"] is not None,
                "action": f"/scan/{wsp}/toestemming-intrekken/{code}{_query(lang, None)}",
            },
        )

    @post(
        "/{wsp:str}/toestemming-intrekken/{code:str}",
        name="leads.withdraw.submit",
        media_type=HTML,
        request_max_body_size=MAX_FORM_BYTES,
    )
    async def withdraw(
        self, request: Request[Any, Any, Any], wsp: FromPath[str], code: FromPath[str]
    ) -> Template:
        embedding.check_post_origin(request)
        tenant = await _withdraw_tenant(wsp)
        found = await repository.withdrawable(code)
        if found is None or found["tenant_slug"] != wsp:
            raise NotFoundException()
        await repository.withdraw(code)
        return _page(
            "selfscan/leads/withdraw.html",
            {"lang": language.of_page(request), "tenant": tenant, "done": True, "action": ""},
        )

    @staticmethod
    def _form(
        ctx: _Context,
        wsp: str,
        token: str,
        values: dict[str, str],
        errors: dict[str, str],
        consent: bool,
        status_code: int = 200,
    ) -> Template:
        return _page(
            "selfscan/leads/form.html",
            {
                **ctx.layout,
                "lead_tenant": ctx.lead_tenant,
                "values": values,
                "errors": errors,
                "consent": consent,
                "consent_text": ctx.lead_tenant.consent(ctx.lang),
                "action": f"/scan/{wsp}/{token}/contact{ctx.query()}",
                "result_path": f"/scan/{wsp}/{token}/resultaat{ctx.query()}",
            },
            status_code,
        )


async def _withdraw_tenant(wsp: str) -> LeadTenant:
    # An inactive tenant's employers can still withdraw their consent.
    found = await repository.tenant(wsp, active_only=False)
    if found is None:
        raise NotFoundException()
    return found
