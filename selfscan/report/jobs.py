"""What a render worker does: a :class:`ReportJob` (plain data of one completed scan) in,
PDF bytes out. Preloaded by the pool's fork server, so workers start with WeasyPrint,
the questionnaires and the templates' code already imported.

The whole chain runs in the worker (advice, view model, HTML, PDF), so the event loop only
looks up the scan and the cache; :func:`job_html` gives the same HTML in-process, for tests
and ``coop report render --html``.
"""

from __future__ import annotations

import datetime as dt

import msgspec

import regulations
from selfscan import questionnaires
from selfscan.advice import advise
from selfscan.model import OrganisationProfile, ScanResult
from selfscan.report import render
from selfscan.report.view import Brand, ReportView, build_view

__all__ = ["ReportJob", "job_html", "job_view", "render_job"]


class ReportJob(msgspec.Struct, frozen=True, kw_only=True):
    """One report to render: the stored outcome, never scored again."""

    result: ScanResult
    profile: OrganisationProfile
    lang: str
    year: int  # the year whose rules and figures the report uses
    brand: Brand
    organisation: str | None
    day: dt.date


def job_view(job: ReportJob) -> ReportView:
    questionnaire = questionnaires.load(job.result.version)
    rules = regulations.for_year(job.year)
    advice = advise(questionnaire, job.result, job.profile, rules, job.lang)
    return build_view(
        advice,
        texts=questionnaires.load_advice(questionnaire.version),
        intros={theme.id: theme.intro.get(job.lang) for theme in questionnaire.themes},
        rules=rules,
        brand=job.brand,
        organisation=job.organisation,
        day=job.day,
    )


def job_html(job: ReportJob) -> str:
    return render.render_html(job_view(job))


def render_job(job: ReportJob) -> bytes:
    return render.html_to_pdf(job_html(job))


def sleep_job(seconds: float, *_ignored: object) -> str:
    """A deliberately slow job (tests of the time limit): sleeps, whatever else it is given."""
    import time

    time.sleep(seconds)
    return "slept"


def allocate_job(megabytes: int) -> int:
    """A job that asks for ``megabytes`` of memory (tests of the memory limit)."""
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)
