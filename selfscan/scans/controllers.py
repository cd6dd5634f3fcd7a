"""The scan pages: introduction, one step per theme, the organisation, and the result.

URLs (the public contract of the architecture page)::

    GET  /scan                               -> 302 to the host's default tenant
    GET  /scan/{wsp}                         introduction
    POST /scan/{wsp}                         start: a new draft, 303 to step 1
    GET  /scan/{wsp}/{token}/stap/{n}        step n of len(themes) + 1 (the last: organisation)
    POST /scan/{wsp}/{token}/stap/{n}        save, then 303 to the previous or next step
    GET  /scan/{wsp}/{token}/resultaat       the result of a completed scan

No cookies and no session: the token in the path is the credential. Every answer carries
``Referrer-Policy: same-origin`` (the token never leaves our origin by a link) and
``Cache-Control: no-store``. Forms post to the same URL and work without JavaScript; the
language is ``?lang=`` on every link and form (Dutch by default), and inside a WSP's frame
so is ``?parent=`` (:mod:`selfscan.tenants.embedding`): every link, form and redirect
carries it, so the frame keeps posting its height to that origin.

Anti-automation: every POST must come from our own pages (Origin/Referer), a hidden field
must stay empty, new scans and posted steps are counted per client and per tenant, and a
scan completed faster than a person can read it is sent back once to be checked.

A step posts ``ga=vorige|volgende|opslaan``; every button saves what was chosen first.
Questions may stay open on the way; the last step's "volgende" completes the scan only when
all are answered, and otherwise sends the user to the first open question. A link that
does not work (unknown, malformed, expired, or of another tenant) answers 404 with a page
that says so and offers a new scan.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import msgspec
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import CacheControlHeader, ResponseHeader
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from selfscan import questionnaires, scoring
from selfscan.advice import advise
from selfscan.errors import FormRefused, ScanNotFound, TenantNotFound
from selfscan.model import OrganisationProfile, Questionnaire, Theme
from selfscan.report import service as report_service
from selfscan.scans import charts, language, limits, repository, schemas, service, texts
from selfscan.scans.config import config_of
from selfscan.scans.repository import StoredScan
from selfscan.tenants import embedding

MAX_FORM_BYTES = 64 * 1024
HTML = MediaType.HTML
NO_STORE = CacheControlHeader(no_store=True)
HEADERS = [
    ResponseHeader(name="Referrer-Policy", value="same-origin"),
    ResponseHeader(name="X-Robots-Tag", value="noindex, nofollow"),
]

GO_BACK, GO_NEXT, GO_SAVE = "vorige", "volgende", "opslaan"
#: The field a person never sees and a form-filling robot fills in.
HONEYPOT = "website"


def _url(path: str, lang: str, **query: object) -> str:
    """A link that keeps the page's language, like the host's ``url()``."""
    params = {k: v for k, v in query.items() if v is not None}
    if lang != language.DEFAULT:
        params["lang"] = lang
    return f"{path}?{urlencode(params)}" if params else path


class Nav(msgspec.Struct, frozen=True):
    """What every link, form and redirect of a page keeps: the language and, inside a
    WSP's frame, the accepted ``parent`` origin."""

    lang: str
    parent: str | None = None

    def url(self, path: str, **query: object) -> str:
        return _url(path, self.lang, parent=self.parent, **query)


def _nav(request: Request[Any, Any, Any], tenant: dict[str, Any]) -> Nav:
    return Nav(lang=language.of_page(request), parent=embedding.parent_of(request, tenant))


def _brand(tenant: dict[str, Any], nav: Nav, default_tenant: str) -> dict[str, Any]:
    """What the layout needs to show the tenant: brand.css, logo, contact, the frame."""
    return {
        "tenant": tenant,
        "nav": nav,
        "embedded": nav.parent is not None,
        "brand_version": embedding.brand_version(tenant),
        "own_tenant": tenant["slug"] == default_tenant,
        "honeypot": HONEYPOT,
    }


async def _find(request: Request[Any, Any, Any], tenant: dict[str, Any], token: str) -> StoredScan:
    """The tenant's scan of this link; the 404 it raises otherwise keeps the frame's look."""
    try:
        return await service.find(token, tenant["slug"])
    except ScanNotFound as exc:
        exc.brand = _brand(tenant, _nav(request, tenant), config_of(request.app).default_tenant)
        raise


async def _check_form(request: Request[Any, Any, Any]) -> Any:
    """The posted form, when a person on our own pages sent it; FormRefused otherwise."""
    embedding.check_post_origin(request)
    form = await request.form()
    if str(form.get(HONEYPOT) or "").strip():
        raise FormRefused()
    return form


def _scan_path(wsp: str, token: str, tail: str) -> str:
    return f"/scan/{wsp}/{token}/{tail}"


def _redirect(path: str) -> Redirect:
    return Redirect(path, status_code=303)


def _page(template: str, context: dict[str, Any], status_code: int = 200) -> Template:
    return Template(
        template_name=template, context=context, status_code=status_code, media_type=HTML
    )


def link_invalid(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """404 for a link that does not work, with a way to a new scan. Inside a WSP's frame
    (the handler noted the tenant and its accepted parent) the page keeps the frame's
    layout and goes on posting its height."""
    tenant = getattr(exc, "tenant", None) or config_of(request.app).default_tenant
    brand: dict[str, Any] = getattr(exc, "brand", None) or {}
    nav: Nav | None = brand.get("nav")
    return Template(
        template_name="selfscan/link_invalid.html",
        context={
            **brand,
            "new_scan": nav.url(f"/scan/{tenant}") if nav else f"/scan/{tenant}",
            "no_tenant": isinstance(exc, TenantNotFound),
            "link_days": config_of(request.app).link_days,
        },
        status_code=404,
        media_type=HTML,
        headers={h.name: str(h.value) for h in HEADERS} | {"Cache-Control": "no-store"},
    )


class ScanPages(Controller):
    path = "/scan"
    include_in_schema = False
    response_headers = HEADERS
    cache_control = NO_STORE
    exception_handlers = {ScanNotFound: link_invalid, TenantNotFound: link_invalid}

    # --- introduction and start ------------------------------------------------------------

    @get("/", name="selfscan.start", media_type=HTML)
    async def default_tenant(self, request: Request[Any, Any, Any]) -> Redirect:
        wsp = config_of(request.app).default_tenant
        return Redirect(_url(f"/scan/{wsp}", language.of_page(request)), status_code=302)

    @get("/{wsp:str}", name="selfscan.intro", media_type=HTML)
    async def intro(self, request: Request[Any, Any, Any], wsp: FromPath[str]) -> Template:
        tenant = await service.tenant(request.app, wsp)
        questionnaire = questionnaires.current()
        nav = _nav(request, tenant)
        return _page(
            "selfscan/intro.html",
            {
                **_brand(tenant, nav, config_of(request.app).default_tenant),
                "lang": nav.lang,
                "questionnaire": questionnaire,
                "question_count": len(questionnaire.question_ids),
                "link_days": config_of(request.app).link_days,
                "show_tenant": wsp != config_of(request.app).default_tenant,
            },
        )

    @post("/{wsp:str}", name="selfscan.begin", request_max_body_size=MAX_FORM_BYTES)
    async def begin(self, request: Request[Any, Any, Any], wsp: FromPath[str]) -> Redirect:
        tenant = await service.tenant(request.app, wsp)
        await _check_form(request)
        await limits.count_new_scan(request, wsp)
        nav = _nav(request, tenant)
        token = await repository.create_draft(
            tenant_id=tenant["id"],
            version=questionnaires.current().version,
            lang=nav.lang,
            link_days=config_of(request.app).link_days,
        )
        return _redirect(nav.url(_scan_path(wsp, token, "stap/1")))

    # --- steps -----------------------------------------------------------------------------

    @get("/{wsp:str}/{token:str}/stap/{n:int}", name="selfscan.step", media_type=HTML)
    async def step(
        self,
        request: Request[Any, Any, Any],
        wsp: FromPath[str],
        token: FromPath[str],
        n: FromPath[int],
    ) -> Template:
        tenant = await service.tenant(request.app, wsp)
        scan = await _find(request, tenant, token)
        questionnaire = questionnaires.load(scan.version)
        _check_step(questionnaire, n)
        nav = _nav(request, tenant)
        lang = nav.lang
        flags = request.query_params
        view = _StepView(request, scan, questionnaire, tenant, token, n, nav)
        if n > len(questionnaire.themes):
            return view.profile(
                values=_profile_values(scan.profile), errors={}, too_fast=bool(flags.get("te_snel"))
            )
        errors: dict[str, str] = {}
        if flags.get("ontbreekt"):
            theme = questionnaire.themes[n - 1]
            errors = {
                q.id: texts.ANSWER_MISSING.get(lang)
                for q in theme.questions
                if q.option(scan.answers.get(q.id, "")) is None
            }
        return view.theme(
            answers=scan.answers,
            errors=errors,
            saved=bool(flags.get("opgeslagen")),
            missing_mode=bool(flags.get("ontbreekt")),
        )

    @post(
        "/{wsp:str}/{token:str}/stap/{n:int}",
        name="selfscan.save",
        media_type=HTML,
        request_max_body_size=MAX_FORM_BYTES,
    )
    async def save(
        self,
        request: Request[Any, Any, Any],
        wsp: FromPath[str],
        token: FromPath[str],
        n: FromPath[int],
    ) -> Response[Any]:
        tenant = await service.tenant(request.app, wsp)
        form = await _check_form(request)
        scan = await _find(request, tenant, token)
        await limits.count_submit(request, wsp)
        questionnaire = questionnaires.load(scan.version)
        _check_step(questionnaire, n)
        nav = _nav(request, tenant)
        lang = nav.lang
        go = form.get("ga")
        go = go if go in (GO_BACK, GO_NEXT, GO_SAVE) else GO_NEXT
        missing_mode = bool(form.get("ontbreekt"))
        view = _StepView(request, scan, questionnaire, tenant, token, n, nav)
        themes = len(questionnaire.themes)

        if n <= themes:
            theme = questionnaire.themes[n - 1]
            chosen, errors = _parse_answers(theme, form, lang)
            if errors:
                # Nothing is stored; what was chosen stays chosen on the page.
                return view.theme(
                    answers={**scan.answers, **chosen},
                    errors=errors,
                    missing_mode=missing_mode,
                    status_code=422,
                )
            changed = any(scan.answers.get(q) != o for q, o in chosen.items())
            if chosen or lang != scan.lang:
                scan = await repository.save_answers(scan.id, chosen, lang=lang)
            if scan.completed and changed and not service.missing(questionnaire, scan.answers):
                scan = await service.complete(scan, lang=lang)
        else:
            profile, values, errors = _parse_profile(form, lang)
            if errors:
                return view.profile(values=values, errors=errors, status_code=422)
            await repository.save_profile(scan.id, profile, lang=lang)
            scan = msgspec.structs.replace(scan, profile=profile, lang=lang)
            if scan.completed and not service.missing(questionnaire, scan.answers):
                scan = await service.complete(scan, lang=lang)

        if go == GO_SAVE:
            return _redirect(nav.url(_scan_path(wsp, token, f"stap/{n}"), opgeslagen=1))
        if go == GO_BACK:
            return _redirect(nav.url(_scan_path(wsp, token, f"stap/{max(1, n - 1)}")))
        open_questions = service.missing(questionnaire, scan.answers)
        if n <= themes:
            target = n + 1
            if missing_mode:
                later = [_step_of(questionnaire, q) for q in open_questions]
                target = min([s for s in later if s > n], default=themes + 1)
            flag = 1 if missing_mode and target <= themes else None
            return _redirect(nav.url(_scan_path(wsp, token, f"stap/{target}"), ontbreekt=flag))
        if open_questions:
            first = _step_of(questionnaire, open_questions[0])
            return _redirect(nav.url(_scan_path(wsp, token, f"stap/{first}"), ontbreekt=1))
        if not scan.completed:
            if _too_fast(request, scan):
                return _redirect(nav.url(_scan_path(wsp, token, f"stap/{n}"), te_snel=1))
            await service.complete(scan, lang=lang)
            if config_of(request.app).render_ahead:
                report_service.render_ahead(request.app, wsp, token)
        return _redirect(nav.url(_scan_path(wsp, token, "resultaat")))

    # --- result ----------------------------------------------------------------------------

    @get("/{wsp:str}/{token:str}/resultaat", name="selfscan.result", media_type=HTML)
    async def result(
        self, request: Request[Any, Any, Any], wsp: FromPath[str], token: FromPath[str]
    ) -> Response[Any]:
        tenant = await service.tenant(request.app, wsp)
        scan = await _find(request, tenant, token)
        questionnaire = questionnaires.load(scan.version)
        nav = _nav(request, tenant)
        lang = nav.lang
        if scan.result is None:
            open_questions = service.missing(questionnaire, scan.answers)
            if open_questions:
                first = _step_of(questionnaire, open_questions[0])
                return _redirect(nav.url(_scan_path(wsp, token, f"stap/{first}"), ontbreekt=1))
            last = len(questionnaire.themes) + 1
            return _redirect(nav.url(_scan_path(wsp, token, f"stap/{last}")))
        context = await _result_context(request, scan, questionnaire, tenant, token, lang)
        context.update(_brand(tenant, nav, config_of(request.app).default_tenant))
        context["report_path"] = _scan_path(wsp, token, "rapport.pdf")
        return _page("selfscan/result.html", context)


# --- helpers -------------------------------------------------------------------------------


def _too_fast(request: Request[Any, Any, Any], scan: StoredScan) -> bool:
    """Whether a scan is being completed sooner after its start than a person can."""
    minimum = config_of(request.app).min_fill_seconds
    if minimum <= 0:
        return False
    return (repository.now() - scan.created_at).total_seconds() < minimum


def _check_step(questionnaire: Questionnaire, n: int) -> None:
    if not 1 <= n <= len(questionnaire.themes) + 1:
        raise NotFoundException()


def _step_of(questionnaire: Questionnaire, question_id: str) -> int:
    for number, theme in enumerate(questionnaire.themes, start=1):
        if any(q.id == question_id for q in theme.questions):
            return number
    return 1


def _parse_answers(theme: Theme, form: Any, lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """The step's chosen options; fields of other questions are ignored. An option id
    that does not belong to its question is an error, and then nothing is stored."""
    chosen: dict[str, str] = {}
    errors: dict[str, str] = {}
    for question in theme.questions:
        values = form.getall(question.id) if question.id in form else []
        if not values:
            continue
        if len(values) == 1 and isinstance(values[0], str) and question.option(values[0]):
            chosen[question.id] = values[0]
        else:
            errors[question.id] = texts.ANSWER_INVALID.get(lang)
    return chosen, errors


def _profile_values(profile: OrganisationProfile) -> dict[str, str]:
    return {
        "employees": "" if profile.employees is None else str(profile.employees),
        "yearly_paid_hours": (
            "" if profile.yearly_paid_hours is None else str(profile.yearly_paid_hours)
        ),
        "sector": profile.sector or "",
    }


def _whole_number(raw: str, maximum: int, lang: str) -> tuple[int | None, str | None]:
    text = raw.strip().replace(" ", "")
    if not text:
        return None, None
    negative = text.startswith("-")
    digits = text.lstrip("-+")
    if not digits.isascii() or not digits.isdigit():
        return None, texts.WHOLE_NUMBER.get(lang)
    if negative and int(digits) != 0:
        return None, texts.NOT_NEGATIVE.get(lang)
    if len(digits) > 15 or int(digits) > maximum:
        return None, texts.TOO_LARGE.get(lang)
    return int(digits), None


def _parse_profile(
    form: Any, lang: str
) -> tuple[OrganisationProfile, dict[str, str], dict[str, str]]:
    fields = ("employees", "yearly_paid_hours", "sector")
    values = {name: str(form.get(name) or "")[:100] for name in fields}
    errors: dict[str, str] = {}
    employees, error = _whole_number(values["employees"], schemas.MAX_EMPLOYEES, lang)
    if error:
        errors["employees"] = error
    hours, error = _whole_number(values["yearly_paid_hours"], schemas.MAX_YEARLY_HOURS, lang)
    if error:
        errors["yearly_paid_hours"] = error
    sector = values["sector"].strip() or None
    if sector is not None and sector not in texts.SECTORS:
        errors["sector"] = texts.SECTOR_INVALID.get(lang)
        sector = None
    profile = OrganisationProfile(employees=employees, yearly_paid_hours=hours, sector=sector)
    return profile, values, errors


class _StepView:
    """What every step page shows: progress, the resume link, and the form."""

    def __init__(
        self,
        request: Request[Any, Any, Any],
        scan: StoredScan,
        questionnaire: Questionnaire,
        tenant: dict[str, Any],
        token: str,
        n: int,
        nav: Nav,
    ) -> None:
        config = config_of(request.app)
        wsp = tenant["slug"]
        lang = nav.lang
        self.questionnaire = questionnaire
        self.lang = lang
        total = len(questionnaire.themes) + 1
        step_path = _scan_path(wsp, token, f"stap/{n}")
        self.context: dict[str, Any] = {
            **_brand(tenant, nav, config.default_tenant),
            "lang": lang,
            "wsp": wsp,
            "n": n,
            "total": total,
            "scan": scan,
            "steps": [t.title.get(lang) for t in questionnaire.themes],
            "action": step_path,
            "resume_url": config.base_url.rstrip("/") + _url(step_path, lang),
            "expires_at": scan.expires_at,
            "result_path": _scan_path(wsp, token, "resultaat") if scan.completed else None,
        }

    def theme(
        self,
        *,
        answers: dict[str, str],
        errors: dict[str, str],
        saved: bool = False,
        missing_mode: bool = False,
        status_code: int = 200,
    ) -> Template:
        theme = self.questionnaire.themes[self.context["n"] - 1]
        return _page(
            "selfscan/step.html",
            {
                **self.context,
                "theme": theme,
                "answers": answers,
                "errors": errors,
                "saved": saved,
                "missing_mode": missing_mode,
            },
            status_code,
        )

    def profile(
        self,
        *,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
        too_fast: bool = False,
    ) -> Template:
        sectors = sorted(
            ((code, text.get(self.lang)) for code, text in texts.SECTORS.items()),
            key=lambda item: item[1],
        )
        return _page(
            "selfscan/profile.html",
            {
                **self.context,
                "values": values,
                "errors": errors,
                "sectors": sectors,
                "too_fast": too_fast,
            },
            status_code,
        )


async def _result_context(
    request: Request[Any, Any, Any],
    scan: StoredScan,
    questionnaire: Questionnaire,
    tenant: dict[str, Any],
    token: str,
    lang: str,
) -> dict[str, Any]:
    config = config_of(request.app)
    result = scan.result
    assert result is not None
    completed: datetime = scan.completed_at or scan.updated_at
    advice = advise(questionnaire, result, scan.profile, service.rules_for(completed), lang)
    comparison = await service.peers(request.app, scan)
    means = comparison.means if comparison else {}
    legend = charts.Legend(
        own=texts.CHART_OWN.get(lang),
        peers=texts.CHART_PEERS.get(lang),
        bands=tuple(texts.BANDS[b].get(lang) for b in ("low", "middle", "high")),  # type: ignore[arg-type]
    )
    chart_themes = [
        charts.ChartTheme(
            label=theme.title,
            score=theme.score,
            band=theme.band,
            band_label=texts.BANDS[theme.band].get(lang),
            peer=means.get(theme.id),
        )
        for theme in advice.themes
    ]
    bars = {
        theme.id: charts.bar(
            chart_theme,
            title=texts.CHART_BAR_TITLE.get(lang).format(theme=theme.title),
            legend=legend,
            lang=lang,
            id_prefix=f"bar-{theme.id}",
            decorative=True,
        )
        for theme, chart_theme in zip(advice.themes, chart_themes, strict=True)
    }
    by_id = {theme.id: theme for theme in advice.themes}
    result_path = _scan_path(tenant["slug"], token, "resultaat")
    return {
        "lang": lang,
        "score": functools.partial(charts.score_text, lang=lang),
        "tenant": tenant,
        "scan": scan,
        "advice": advice,
        "levels": [(level.id, level.name.get(lang)) for level in scoring.LEVELS],
        "bands": {band: text.get(lang) for band, text in texts.BANDS.items()},
        "priorities": [by_id[theme_id] for theme_id in advice.priorities],
        "radar": charts.radar(
            chart_themes,
            title=texts.CHART_RADAR_TITLE.get(lang),
            legend=legend,
            lang=lang,
            id_prefix="radar",
        ),
        "radar_numbered": charts.radar(
            chart_themes,
            title=texts.CHART_RADAR_TITLE.get(lang),
            legend=legend,
            lang=lang,
            id_prefix="radar-n",
            numbered=True,
        ),
        "bars": bars,
        "peers": comparison,
        "peer_minimum": service.PEER_MINIMUM,
        "peer_means": means,
        "size_label": (texts.SIZE_CLASSES[comparison.size_class].get(lang) if comparison else None),
        "instruments": list(
            {i.id: i for theme in advice.themes for i in theme.instruments}.values()
        ),
        "quota": advice.quota,
        "result_url": config.base_url.rstrip("/") + _url(result_path, lang),
        "edit_path": _scan_path(tenant["slug"], token, "stap/1"),
        "new_scan_path": f"/scan/{tenant['slug']}",
        "expires_at": scan.expires_at,
        "completed_at": completed,
    }
