"""The WSP's back office for leads and its dashboard.

URLs (every one for one tenant; a WSP user only its own, an admin any)::

    GET  /wsp/{slug}/leads                 the leads, newest first, filtered by status
    GET  /wsp/{slug}/leads.csv             every lead as CSV
    GET  /wsp/{slug}/leads/{id}            one lead with its scan's outcome and the PDF
    POST /wsp/{slug}/leads/{id}            status and note
    GET  /wsp/{slug}/dashboard             scans per month, themes, levels, leads by status
    GET  /wsp/{slug}/scans.csv             the tenant's anonymous completed scans as CSV

The host registers this controller behind its login guard (admins and WSP users) with a
``tenant_user`` dependency (:class:`selfscan.tenants.access.TenantUser`); session and CSRF
are the host's. Another tenant's slug, or a lead of another tenant, answers 404.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Stream, Template

from selfscan import questionnaires, scoring
from selfscan.errors import TenantNotFound
from selfscan.scans import charts, language
from selfscan.scans import texts as scan_texts
from selfscan.tenants.access import TenantUser, managed_slug
from selfscan.tenants.leads import dashboard_charts, repository, rules, texts
from selfscan.tenants.leads.repository import LeadTenant

HTML = MediaType.HTML
NO_STORE = CacheControlHeader(no_store=True)
PAGE_SIZE = 50
MAX_FORM_BYTES = 32 * 1024
STATUS_FILTERS = (*rules.STATUSES, repository.WITHDRAWN)
TenantUserDep = NamedDependency[TenantUser]


async def tenant_of(user: TenantUser, slug: str) -> LeadTenant:
    """The tenant ``user`` may manage under ``slug``; TenantNotFound (404) otherwise."""
    found = await repository.tenant(managed_slug(user, slug), active_only=False)
    if found is None:
        raise TenantNotFound()
    return found


def _link(path: str, lang: str, **query: object) -> str:
    params = {k: v for k, v in query.items() if v not in (None, "")}
    if lang != language.DEFAULT:
        params["lang"] = lang
    return f"{path}?{urlencode(params)}" if params else path


def _page(template: str, context: dict[str, Any], status_code: int = 200) -> Template:
    return Template(
        template_name=template, context=context, status_code=status_code, media_type=HTML
    )


def _level_name(level: str | None, lang: str) -> str:
    if not level:
        return ""
    try:
        return scoring.level_by_id(level).name.get(lang)
    except LookupError:
        return level


def _lead_view(row: dict[str, Any], slug: str, lang: str) -> dict[str, Any]:
    token = row["scan_token"]
    withdrawn = row["withdrawn_at"] is not None
    return {
        **row,
        "withdrawn": withdrawn,
        "status_label": texts.WITHDRAWN.get(lang)
        if withdrawn
        else rules.status_label(row["status"], lang),
        "level_name": _level_name(row["level"], lang),
        "score": charts.score_text(row["overall"], lang) if row["overall"] is not None else "",
        "result_url": f"/scan/{slug}/{token}/resultaat" if token else None,
        "report_url": f"/scan/{slug}/{token}/rapport.pdf" if token else None,
        "detail_url": _link(f"/wsp/{slug}/leads/{row['id']}", lang),
    }


def _csv(header: list[str], rows: AsyncIterator[list[object]]) -> AsyncIterator[str]:
    async def lines() -> AsyncIterator[str]:
        # Excel in the Netherlands opens a semicolon-separated UTF-8 file with a BOM
        # straight into columns.
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        yield "\ufeff" + buffer.getvalue()
        async for row in rows:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([rules.csv_cell(value) for value in row])
            yield buffer.getvalue()

    return lines()


def _download(lines: AsyncIterator[str], name: str) -> Stream:
    return Stream(
        lines,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


def _stamp() -> str:
    return datetime.now(rules.TIME_ZONE).strftime("%Y%m%d-%H%M")


def _local(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(rules.TIME_ZONE).isoformat("T", "seconds")


class WspLeadsController(Controller):
    path = "/wsp/{slug:str}"
    include_in_schema = False
    cache_control = NO_STORE

    @get("/leads", name="wsp.leads", media_type=HTML)
    async def leads(
        self, request: Request[Any, Any, Any], tenant_user: TenantUserDep, slug: FromPath[str]
    ) -> Template:
        tenant = await tenant_of(tenant_user, slug)
        lang = language.of_page(request)
        status = request.query_params.get("status") or None
        if status not in STATUS_FILTERS:
            status = None
        try:
            page = max(1, int(request.query_params.get("pagina") or 1))
        except ValueError:
            page = 1
        page = min(page, 100_000)
        rows, total = await repository.list_leads(
            tenant.id, status=status, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        pages = max(1, -(-total // PAGE_SIZE))
        base = f"/wsp/{slug}/leads"
        return _page(
            "wsp/leads.html",
            {
                "tenant": tenant,
                "leads": [_lead_view(row, slug, lang) for row in rows],
                "total": total,
                "status": status,
                "status_options": [
                    (
                        s,
                        texts.WITHDRAWN.get(lang)
                        if s == repository.WITHDRAWN
                        else rules.status_label(s, lang),
                    )
                    for s in STATUS_FILTERS
                ],
                "page": page,
                "pages": pages,
                "previous_url": _link(base, lang, status=status, pagina=page - 1)
                if page > 1
                else None,
                "next_url": _link(base, lang, status=status, pagina=page + 1)
                if page < pages
                else None,
                "csv_url": _link(f"/wsp/{slug}/leads.csv", lang),
                "dashboard_url": _link(f"/wsp/{slug}/dashboard", lang),
                "lang_value": lang,
            },
        )

    @get("/leads.csv", name="wsp.leads.csv")
    async def leads_csv(
        self, request: Request[Any, Any, Any], tenant_user: TenantUserDep, slug: FromPath[str]
    ) -> Stream:
        tenant = await tenant_of(tenant_user, slug)
        lang = language.of_page(request)
        header = [
            "id",
            "datum",
            "status",
            "organisatie",
            "naam",
            "e-mail",
            "telefoon",
            "vraag",
            "notitie",
            "totaalscore",
            "niveau",
            "medewerkers",
            "toestemming_versie",
            "toestemming_op",
            "ingetrokken_op",
        ]

        async def rows() -> AsyncIterator[list[object]]:
            async for row in repository.iter_leads(tenant.id):
                view = _lead_view(row, slug, lang)
                yield [
                    row["id"],
                    _local(row["created_at"]),
                    view["status_label"],
                    row["organisation"],
                    row["contact_name"],
                    row["email"],
                    row["phone"],
                    row["question"],
                    row["note"],
                    view["score"],
                    view["level_name"],
                    row["employees"] if row["employees"] is not None else "",
                    row["consent_version"],
                    _local(row["consented_at"]),
                    _local(row["withdrawn_at"]),
                ]

        return _download(_csv(header, rows()), f"leads-{slug}-{_stamp()}.csv")

    @get("/leads/{lead_id:int}", name="wsp.lead", media_type=HTML)
    async def lead(
        self,
        request: Request[Any, Any, Any],
        tenant_user: TenantUserDep,
        slug: FromPath[str],
        lead_id: FromPath[int],
    ) -> Template:
        tenant = await tenant_of(tenant_user, slug)
        lang = language.of_page(request)
        row = await repository.lead(tenant.id, lead_id)
        if row is None:
            raise NotFoundException()
        view = _lead_view(row, slug, lang)
        return self._detail(
            tenant,
            view,
            lang,
            {"status": row["status"], "note": row["note"]},
            {},
            saved=bool(request.query_params.get("opgeslagen")),
        )

    @post(
        "/leads/{lead_id:int}",
        name="wsp.lead.update",
        media_type=HTML,
        request_max_body_size=MAX_FORM_BYTES,
    )
    async def update(
        self,
        request: Request[Any, Any, Any],
        tenant_user: TenantUserDep,
        slug: FromPath[str],
        lead_id: FromPath[int],
    ) -> Response[Any]:
        tenant = await tenant_of(tenant_user, slug)
        lang = language.of_page(request)
        row = await repository.lead(tenant.id, lead_id)
        if row is None:
            raise NotFoundException()
        form = await request.form()
        values = {
            "status": str(form.get("status") or "")[:20],
            "note": str(form.get("note") or "")[: rules.MAX_NOTE + 1000],
        }
        change, errors = rules.check_update(values["status"], values["note"], lang)
        if change is None:
            view = _lead_view(row, slug, lang)
            return self._detail(tenant, view, lang, values, errors, status_code=422)
        await repository.update(tenant.id, lead_id, change)
        return Redirect(_link(f"/wsp/{slug}/leads/{lead_id}", lang, opgeslagen=1), status_code=303)

    @staticmethod
    def _detail(
        tenant: LeadTenant,
        lead: dict[str, Any],
        lang: str,
        values: dict[str, str],
        errors: dict[str, str],
        *,
        saved: bool = False,
        status_code: int = 200,
    ) -> Template:
        return _page(
            "wsp/lead.html",
            {
                "tenant": tenant,
                "lead": lead,
                "values": values,
                "errors": errors,
                "saved": saved,
                "status_options": [(s, rules.status_label(s, lang)) for s in rules.STATUSES],
                "action": _link(f"/wsp/{tenant.slug}/leads/{lead['id']}", lang),
                "list_url": _link(f"/wsp/{tenant.slug}/leads", lang),
            },
            status_code,
        )

    # --- the dashboard ---------------------------------------------------------------------

    @get("/dashboard", name="wsp.dashboard", media_type=HTML)
    async def dashboard(
        self, request: Request[Any, Any, Any], tenant_user: TenantUserDep, slug: FromPath[str]
    ) -> Template:
        tenant = await tenant_of(tenant_user, slug)
        lang = language.of_page(request)
        questionnaire = questionnaires.current()
        now = datetime.now(UTC)
        figures = rules.dashboard(
            [row async for row in repository.completed_scans(tenant.id)],
            await repository.count_by_status(tenant.id),
            theme_ids=[t.id for t in questionnaire.themes],
            level_ids=[level.id for level in scoring.LEVELS],
            now=now,
        )
        titles = {t.id: t.title.get(lang) for t in questionnaire.themes}
        themes = [
            {
                "id": t.theme_id,
                "title": titles[t.theme_id],
                "average": charts.score_text(t.average, lang) if t.average is not None else None,
                "band": scan_texts.BANDS[scoring.band(t.average)].get(lang)
                if t.average is not None
                else None,
                "bar": dashboard_charts.bar(t.average or 0.0, 100.0)
                if t.average is not None
                else "",
            }
            for t in figures.themes
        ]
        most_per_month = max((m.count for m in figures.months), default=0)
        most_per_level = max((n for _, n in figures.levels), default=0)
        most_per_status = max((n for _, n in figures.lead_statuses), default=0)
        return _page(
            "wsp/dashboard.html",
            {
                "tenant": tenant,
                "figures": figures,
                "themes": themes,
                "months": [
                    {
                        "month": m.month,
                        "count": m.count,
                        "bar": dashboard_charts.bar(m.count, most_per_month),
                    }
                    for m in figures.months
                ],
                "month_chart": dashboard_charts.columns(
                    [(m.month, m.count) for m in figures.months], lang
                ),
                "levels": [
                    {
                        "name": _level_name(level, lang),
                        "count": n,
                        "bar": dashboard_charts.bar(n, most_per_level),
                    }
                    for level, n in figures.levels
                ],
                "statuses": [
                    {
                        "status": s,
                        "label": texts.WITHDRAWN.get(lang)
                        if s == repository.WITHDRAWN
                        else rules.status_label(s, lang),
                        "count": n,
                        "bar": dashboard_charts.bar(n, most_per_status),
                        "url": _link(f"/wsp/{slug}/leads", lang, status=s),
                    }
                    for s, n in figures.lead_statuses
                ],
                "scans_csv_url": _link(f"/wsp/{slug}/scans.csv", lang),
                "leads_url": _link(f"/wsp/{slug}/leads", lang),
                "first_month": figures.months[0].month,
            },
        )

    @get("/scans.csv", name="wsp.scans.csv")
    async def scans_csv(
        self, request: Request[Any, Any, Any], tenant_user: TenantUserDep, slug: FromPath[str]
    ) -> Stream:
        tenant = await tenant_of(tenant_user, slug)
        theme_ids = [t.id for t in questionnaires.current().themes]
        header = [
            "scan",
            "ingevuld_op",
            "vragenlijst",
            "taal",
            "medewerkers",
            "sector",
            "grootte",
            "totaalscore",
            "niveau",
            *(f"thema_{t}" for t in theme_ids),
        ]

        async def rows() -> AsyncIterator[list[object]]:
            async for row in repository.completed_scans(tenant.id):
                scores = {t["id"]: t["score"] for t in row["themes"] or ()}
                yield [
                    row["id"],
                    _local(row["completed_at"]),
                    row["version"],
                    row["lang"],
                    row["employees"] if row["employees"] is not None else "",
                    row["sector"] or "",
                    row["size_class"] or "",
                    _number(row["overall"]),
                    row["level"] or "",
                    *(_number(scores.get(t)) for t in theme_ids),
                ]

        return _download(_csv(header, rows()), f"scans-{slug}-{_stamp()}.csv")


def _number(value: float | None) -> str:
    """One decimal with a comma, as Dutch Excel reads it."""
    return "" if value is None else f"{value:.1f}".replace(".", ",")
