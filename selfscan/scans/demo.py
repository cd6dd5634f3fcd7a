"""Demo data: about two hundred completed scans, so the peer benchmark has something to show.

Deterministic (a fixed seed) and idempotent: it adds scans only while fewer than
:data:`DEMO_SCANS` demo scans exist. The scans are spread over the four size classes (each
well above the benchmark's minimum of ten) and over common SBI sections; how ready an
organisation is varies per scan and per theme, and larger organisations are a little
further on average, as in practice. Nobody holds their links: they exist only to be
compared with.
"""

from __future__ import annotations

import random
from datetime import timedelta

from selfscan import questionnaires, scoring
from selfscan.model import OrganisationProfile, Question
from selfscan.scans import repository

DEMO_SCANS = 200
SEED = 20260101
SOURCE = "demo"
# (size class, share of the demo scans, employees from, to, readiness bias)
_SIZES = (
    ("micro", 0.30, 2, 9, -0.08),
    ("small", 0.30, 10, 49, -0.02),
    ("medium", 0.25, 50, 249, 0.04),
    ("large", 0.15, 250, 4000, 0.10),
)
_SECTORS = ("C", "F", "G", "H", "I", "J", "M", "N", "O", "P", "Q", "S")


def _pick(question: Question, readiness: float, rng: random.Random) -> str:
    """An option near the readiness (0..1), with some noise."""
    last = len(question.options) - 1
    index = round(readiness * last + rng.gauss(0, 0.8))
    return question.options[min(last, max(0, index))].id


async def load(tenant_slug: str, tenant_name: str, count: int = DEMO_SCANS) -> list[str]:
    """Add demo scans for tenant ``tenant_slug`` (made when missing) up to ``count``."""
    tenant_id = await repository.ensure_tenant(tenant_slug, tenant_name)
    existing = await repository.count_by_source(SOURCE)
    if existing >= count:
        return [f"Self-scan: {existing} demo scans were already there."]
    rng = random.Random(SEED + existing)  # noqa: S311 - demo data, not secrets
    questionnaire = questionnaires.current()
    todo = count - existing
    sizes: list[tuple[str, int, int, float]] = []
    for name, share, low, high, bias in _SIZES:
        sizes += [(name, low, high, bias)] * round(share * todo)
    while len(sizes) < todo:
        sizes.append(sizes[len(sizes) % len(_SIZES)])
    rng.shuffle(sizes)
    now = repository.now()
    rows = []
    for _name, low, high, bias in sizes[:todo]:
        readiness = min(1.0, max(0.0, rng.betavariate(2.2, 2.4) + bias))
        answers = {}
        for theme in questionnaire.themes:
            theme_readiness = min(1.0, max(0.0, readiness + rng.gauss(0, 0.15)))
            for question in theme.questions:
                answers[question.id] = _pick(question, theme_readiness, rng)
        result = scoring.score(questionnaire, answers)
        profile = OrganisationProfile(employees=rng.randint(low, high), sector=rng.choice(_SECTORS))
        when = now - timedelta(minutes=rng.randint(60, 60 * 24 * 28))
        lang = "en" if rng.random() < 0.1 else "nl"
        rows.append((tenant_id, result, profile, lang, when))
    made = await repository.insert_completed(rows, source=SOURCE, link_days=30)
    per_size = {name: sum(1 for s in sizes[:todo] if s[0] == name) for name, *_ in _SIZES}
    spread = ", ".join(f"{name} {n}" for name, n in per_size.items())
    return [f"Self-scan: {made} demo scans added ({spread}); {existing + made} in all."]
