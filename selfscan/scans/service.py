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

    Remembered per application for a few seconds: every page and every API call needs it,
    and tenants change rarely. Deactivating a tenant takes effect within that time."""
    cache: dict[str, tuple[float, dict[str, Any] | None]] = app.state.setdefault(_TENANT_CACHE, {})
    now = time.monotonic()
    hit = cache.get(slug)
    if hit is None or hit[0] < now:
        found = await repository.active_tenant(slug) if len(slug) <= 40 else None
        if len(cache) > 1000:
            cache.clear()
        hit = (now + TENANT_CACHE_S, found)
        cache[slug] = hit
    if hit[1] is None:
        raise TenantNotFound()
    return hit[1]


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


async def peers(scan: StoredScan) -> PeerComparison | None:
    """The comparison for a completed scan, or None when its size class is not known.

    A theme's mean is shown only over at least :data:`PEER_MINIMUM` other scans and as a
    whole number, so no single scan can be read from it."""
    size = scan.profile.size_class
    if size is None or scan.result is None:
        return None
    stats = await repository.peer_averages(size, scan.id)
    own = [t.id for t in scan.result.themes]
    counts = [stats[theme][1] for theme in own if theme in stats]
    count = min(counts) if len(counts) == len(own) else 0
    means = {
        theme: int(scoring_round(stats[theme][0]))
        for theme in own
        if theme in stats and stats[theme][1] >= PEER_MINIMUM
    }
    return PeerComparison(size_class=size, count=count, means=means)


def scoring_round(value: float) -> int:
    """Half up, as the scores are rounded (62.5 -> 63)."""
    return int(value + 0.5)
