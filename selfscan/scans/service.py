"""The self-scan's use cases, shared by the pages and the API.

Start a draft, save answers per step, complete (score and store the outcome), read a
result back, create a completed scan in one call (the API), and compare with peers. The
outcome is scored once, at completion, and stored; reading a result never scores again,
so a new questionnaire version never changes an old result. Texts are taken from the
questionnaire version the scan was answered on.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import msgspec

import regulations
from regulations import YearRules
from selfscan import questionnaires, scoring
from selfscan.errors import InvalidAnswers, InvalidInput, ScanNotFound, TenantNotFound
from selfscan.model import AnswerProblem, OrganisationProfile, Questionnaire, ScanResult, Text
from selfscan.scans import repository, schemas
from selfscan.scans.config import SelfscanConfig
from selfscan.scans.repository import StoredScan

#: The peer benchmark shows a theme's mean only over at least this many other scans.
PEER_MINIMUM = 10
#: How long a worker trusts what it looked up about a tenant.
TENANT_CACHE_S = 30.0
_TENANT_CACHE = "selfscan_tenant_cache"


# --- tenants -------------------------------------------------------------------------------


async def tenant(app: Any, slug: str) -> dict[str, Any]:
    """The active tenant ``slug`` (``id``, ``slug``, ``name``); TenantNotFound otherwise.

    Remembered per application for :data:`TENANT_CACHE_S`: every page and every API call
    needs it, and tenants change rarely, so deactivating or renaming one takes effect
    within that time. A tenant that was not found is not remembered."""
    cache: dict[str, tuple[float, dict[str, Any]]] = app.state.setdefault(_TENANT_CACHE, {})
    now = time.monotonic()
    hit = cache.get(slug)
    if hit is not None and hit[0] >= now:
        return hit[1]
    found = await repository.active_tenant(slug) if len(slug) <= 40 else None
    if found is None:
        cache.pop(slug, None)
        raise TenantNotFound()
    if len(cache) > 1000:
        cache.clear()
    cache[slug] = (now + TENANT_CACHE_S, found)
    return found


def forget(app: Any) -> None:
    """Drop what this application remembers about tenants and peers (for tests, and for
    the tenant management of the WSP issue after a change)."""
    app.state.pop(_TENANT_CACHE, None)
    app.state.pop(_PEER_CACHE, None)


# --- the year's rules ----------------------------------------------------------------------


def rules_for(when: datetime) -> YearRules:
    """The rules in force when a scan was completed: that year's, or, before its file has
    been published, the newest year before it."""
    years = regulations.available_years()
    earlier = [year for year in years if year <= when.year]
    return regulations.for_year(max(earlier) if earlier else min(years))


# --- the questionnaire in the API ----------------------------------------------------------


@functools.cache
def questionnaire_out(version: str, lang: str) -> schemas.QuestionnaireOut:
    questionnaire = questionnaires.load(version)
    return schemas.QuestionnaireOut(
        version=questionnaire.version,
        themes=[
            schemas.ThemeOut(
                id=theme.id,
                title=theme.title.get(lang),
                weight=theme.weight,
                questions=[
                    schemas.QuestionOut(
                        id=question.id,
                        text=question.text.get(lang),
                        options=[
                            schemas.OptionOut(
                                id=option.id, label=option.label.get(lang), score=option.score
                            )
                            for option in question.options
                        ],
                    )
                    for question in theme.questions
                ],
            )
            for theme in questionnaire.themes
        ],
    )


# --- results -------------------------------------------------------------------------------


def report_url(config: SelfscanConfig, tenant_slug: str, token: str) -> str:
    return f"{config.base_url.rstrip('/')}/scan/{tenant_slug}/{token}/rapport.pdf"


def result_out(
    result: ScanResult,
    questionnaire: Questionnaire,
    *,
    token: str,
    lang: str,
    report: str,
) -> schemas.ScanResultOut:
    level = scoring.level_by_id(result.level)
    titles = {theme.id: theme.title.get(lang) for theme in questionnaire.themes}
    return schemas.ScanResultOut(
        token=token,
        version=result.version,
        lang=lang,  # type: ignore[arg-type]
        overall=result.overall,
        level=level.id,
        level_label=level.name.get(lang),
        themes=[
            schemas.ThemeScoreOut(id=t.id, title=titles[t.id], score=t.score, band=t.band)
            for t in result.themes
        ],
        priorities=list(result.priorities),
        report_url=report,
    )


_UNKNOWN_TENANT = Text(
    nl="Dit werkgeversservicepunt bestaat niet (meer).",
    en="There is no such employer service point (any more).",
)


async def create_completed(
    app: Any, data: schemas.ScanCreate, config: SelfscanConfig, *, source: str = "api"
) -> schemas.ScanResultOut:
    """Validate, score and store a scan answered in one go; InvalidAnswers or InvalidInput
    naming every wrong field, in ``data.lang``. Nothing is stored unless all is right."""
    questionnaire = questionnaires.current()
    problems = scoring.validate_answers(questionnaire, data.answers)
    slug = data.tenant or config.default_tenant
    try:
        found = await tenant(app, slug)
    except TenantNotFound:
        problems = [AnswerProblem("tenant", "unknown_tenant", _UNKNOWN_TENANT), *problems]
        found = None
    if problems:
        only_answers = found is not None
        error = InvalidAnswers(problems) if only_answers else InvalidInput(problems)
        error.lang = data.lang
        raise error
    assert found is not None
    result = scoring.score(questionnaire, data.answers)
    organisation = data.organisation
    profile = OrganisationProfile(
        employees=organisation.employees,
        yearly_paid_hours=organisation.yearly_paid_hours,
        sector=organisation.sector,
    )
    token, _expires = await repository.create_completed(
        tenant_id=found["id"],
        result=result,
        profile=profile,
        lang=data.lang,
        source=source,
        link_days=config.link_days,
    )
    return result_out(
        result,
        questionnaire,
        token=token,
        lang=data.lang,
        report=report_url(config, found["slug"], token),
    )


# --- drafts --------------------------------------------------------------------------------


async def find(token: str, tenant_slug: str | None = None) -> StoredScan:
    """The scan of a link; ScanNotFound when unknown, malformed, expired, or (with
    ``tenant_slug``) of another tenant."""
    scan = await repository.find(token)
    if scan is None or (tenant_slug is not None and scan.tenant_slug != tenant_slug):
        raise ScanNotFound(tenant_slug)
    return scan


def missing(questionnaire: Questionnaire, answers: Mapping[str, str]) -> list[str]:
    """The question ids not (validly) answered, in questionnaire order."""
    return [
        question.id
        for theme in questionnaire.themes
        for question in theme.questions
        if question.option(answers.get(question.id, "")) is None
    ]


async def complete(scan: StoredScan, *, lang: str) -> StoredScan:
    """Score a scan whose every question is answered and store the outcome."""
    questionnaire = questionnaires.load(scan.version)
    answers = {q: scan.answers[q] for q in questionnaire.question_ids}
    result = scoring.score(questionnaire, answers)
    when = repository.now()
    await repository.complete(scan.id, result, scan.profile, lang=lang, when=when)
    return msgspec.structs.replace(
        scan,
        status=repository.COMPLETED,
        result=result,
        lang=lang,
        completed_at=scan.completed_at or when,
        updated_at=when,
    )


# --- peers ---------------------------------------------------------------------------------


class PeerComparison(msgspec.Struct, frozen=True, kw_only=True):
    """The peers' mean per theme, rounded to whole points, over ``count`` other completed
    scans of ``size_class``; ``means`` is empty when there are too few to show."""

    size_class: str
    count: int
    means: dict[str, int]

    @property
    def shown(self) -> bool:
        return bool(self.means)


#: How long a worker reuses the peers' figures of a size class. They move slowly, the
#: query over every completed scan grows with them, and a snapshot makes it harder to read
#: one new scan from the difference of two means. 0 turns the cache off.
PEER_CACHE_S = 300.0
_PEER_CACHE = "selfscan_peer_cache"


class _PeerTotals(msgspec.Struct, frozen=True):
    expires: float  # time.monotonic()
    taken_at: datetime  # the database's view: scans changed later are not in it
    totals: dict[str, tuple[float, int]]  # theme id -> (sum of scores, scans)


async def _others(app: Any, scan: StoredScan, size: str) -> dict[str, tuple[float, int]]:
    """Sum and count per theme over the other completed scans of ``size``: from the
    worker's cache, less the scan's own figures when they are in it."""
    if PEER_CACHE_S <= 0:
        return await repository.peer_totals(size, scan.id)
    cache: dict[str, _PeerTotals] = app.state.setdefault(_PEER_CACHE, {})
    hit = cache.get(size)
    if hit is None or hit.expires < time.monotonic():
        taken_at = repository.now()
        hit = _PeerTotals(
            time.monotonic() + PEER_CACHE_S, taken_at, await repository.peer_totals(size)
        )
        cache[size] = hit
    assert scan.result is not None and scan.completed_at is not None
    if scan.completed_at > hit.taken_at:
        return hit.totals  # completed later: not among them
    if scan.updated_at > hit.taken_at:
        return await repository.peer_totals(size, scan.id)  # changed since: ask afresh
    others = dict(hit.totals)
    for theme in scan.result.themes:
        total, count = others.get(theme.id, (0.0, 0))
        others[theme.id] = (total - theme.score, count - 1)
    return others


async def peers(app: Any, scan: StoredScan) -> PeerComparison | None:
    """The comparison for a completed scan, or None when its size class is not known.

    The peers are the other completed scans of the same size class. A theme's mean is
    shown only over at least :data:`PEER_MINIMUM` of them and as a whole number, so no
    single scan can be read from it."""
    size = scan.profile.size_class
    if size is None or scan.result is None:
        return None
    stats = await _others(app, scan, size)
    own = [t.id for t in scan.result.themes]
    counts = [stats[theme][1] for theme in own if theme in stats]
    count = min(counts) if len(counts) == len(own) else 0
    means = {
        theme: scoring_round(stats[theme][0] / stats[theme][1])
        for theme in own
        if theme in stats and stats[theme][1] >= PEER_MINIMUM
    }
    return PeerComparison(size_class=size, count=count, means=means)


def scoring_round(value: float) -> int:
    """Half up, as the scores are rounded (62.5 -> 63); a hair under a half (a sum less
    a score in floating point) still rounds as the decimal it stands for."""
    return int(round(value, 6) + 0.5)
