"""A report from made-up answers, for the benchmark, the tests and `coop report render
--sample`: no database needed."""

from __future__ import annotations

import base64
import datetime as dt

import regulations
from selfscan import questionnaires, scoring
from selfscan.advice import advise
from selfscan.model import OrganisationProfile
from selfscan.report.view import Brand, Contact, ReportView, build_view

#: A made-up WSP logo (an SVG as a tenant would upload it), as the service passes it: a
#: ``data:`` URL.
SAMPLE_LOGO_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 220 56" width="220" height="56">'
    b'<rect x="0" y="4" width="48" height="48" rx="10" fill="#0b6e4f"/>'
    b'<path d="M12 38 L22 18 L28 30 L34 22 L40 38 Z" fill="#ffffff"/>'
    b'<text x="60" y="26" font-family="Source Sans Pro, sans-serif" font-size="19" '
    b'font-weight="700" fill="#0b3d2c">WSP Regio</text>'
    b'<text x="60" y="47" font-family="Source Sans Pro, sans-serif" font-size="16" '
    b'fill="#0b6e4f">Voorbeeld</text></svg>'
)

SAMPLE_BRAND = Brand(
    name="Werkgeversservicepunt Regio Voorbeeld",
    slug="voorbeeld",
    colour="#0b6e4f",
    secondary="#e8a317",
    logo="data:image/svg+xml;base64," + base64.b64encode(SAMPLE_LOGO_SVG).decode("ascii"),
    contact=Contact(
        person="Sanne de Vries, accountmanager",
        phone="010 123 45 67",
        email="werkgevers@wsp-voorbeeld.nl",
        website="www.wsp-voorbeeld.nl",
        privacy_url="https://www.wsp-voorbeeld.nl/privacy",
    ),
)


def sample_answers(pattern: tuple[int, ...] = (0, 1, 2, 3, 1, 2, 0, 3)) -> dict[str, str]:
    """One answer per question, walking the options by ``pattern`` so that every band shows."""
    questionnaire = questionnaires.current()
    answers = {}
    n = 0
    for theme in questionnaire.themes:
        for question in theme.questions:
            index = pattern[n % len(pattern)] % len(question.options)
            answers[question.id] = question.options[index].id
            n += 1
    return answers


def sample_view(
    lang: str = "nl",
    *,
    organisation: str | None = "Bakkerij Van der Berg B.V.",
    brand: Brand = SAMPLE_BRAND,
    answers: dict[str, str] | None = None,
    profile: OrganisationProfile | None = None,
    year: int = 2026,
    day: dt.date = dt.date(2026, 3, 12),
) -> ReportView:
    questionnaire = questionnaires.current()
    result = scoring.score(questionnaire, answers or sample_answers())
    rules = regulations.for_year(year)
    advice = advise(
        questionnaire,
        result,
        profile or OrganisationProfile(employees=85, sector="C"),
        rules,
        lang,
    )
    return build_view(
        advice,
        texts=questionnaires.load_advice(questionnaire.version),
        intros={t.id: t.intro.get(lang) for t in questionnaire.themes},
        rules=rules,
        brand=brand,
        organisation=organisation,
        day=day,
    )
