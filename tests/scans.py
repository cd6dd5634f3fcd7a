"""Helpers for the self-scan tests: answers, the default tenant, stored scans."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from selfscan import questionnaires, scoring
from selfscan.model import OrganisationProfile, ScanResult
from selfscan.scans import repository
from selfscan.scans.tables import Scan

DEFAULT_TENANT = "coop"
QUESTIONNAIRE = questionnaires.current()
THEMES = QUESTIONNAIRE.themes
QUESTIONS = [q for t in THEMES for q in t.questions]
STEPS = len(THEMES) + 1  # one per theme, then the organisation


def answers(pick: str | int = "middle") -> dict[str, str]:
    """An answer to every question: "worst", "best", "middle", or the n-th option
    (clipped to the last)."""
    chosen = {}
    for question in QUESTIONS:
        options = question.options
        if pick == "worst":
            option = options[0]
        elif pick == "best":
            option = options[-1]
        elif pick == "middle":
            option = options[len(options) // 2]
        else:
            option = options[min(int(pick), len(options) - 1)]
        chosen[question.id] = option.id
    return chosen


def theme_answers(all_answers: dict[str, str], step: int) -> dict[str, str]:
    return {q.id: all_answers[q.id] for q in THEMES[step - 1].questions}


async def default_tenant() -> int:
    return await repository.ensure_tenant(DEFAULT_TENANT, "Coöperatie Inclusief Werk")


async def completed_scan(
    pick: str | int = "middle",
    *,
    employees: int | None = 30,
    tenant_id: int | None = None,
    lang: str = "nl",
    when: datetime | None = None,
) -> tuple[str, ScanResult]:
    """A completed scan stored as the API stores one; returns its token and result."""
    result = scoring.score(QUESTIONNAIRE, answers(pick))
    token, _ = await repository.create_completed(
        tenant_id=tenant_id or await default_tenant(),
        result=result,
        profile=OrganisationProfile(employees=employees),
        lang=lang,
        source="test",
        link_days=30,
        when=when,
    )
    return token, result


async def expire_all() -> None:
    past = datetime.now(UTC) - timedelta(seconds=1)
    await Scan.update({Scan.expires_at: past}, force=True)


async def stored() -> list[dict]:
    return await Scan.select().order_by(Scan.id).output(load_json=True)
