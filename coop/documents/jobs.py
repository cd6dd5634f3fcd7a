"""What a render worker does for the cooperative's documents: a :class:`DocumentJob`
(a template name and plain, picklable data) in, PDF bytes out.

The whole chain (Jinja, then WeasyPrint) runs in the worker, so the event loop only
gathers the data. :func:`document_html` gives the same HTML in-process, for tests.
"""

from __future__ import annotations

from typing import Any

import msgspec

from coop.documents import render

__all__ = ["DocumentJob", "document_html", "render_document_job"]


class DocumentJob(msgspec.Struct, frozen=True, kw_only=True):
    """One document: ``template`` is a name under ``templates/pdf/coop/``; ``context`` holds
    plain data only (dict, list, str, int, Decimal, date, bool, None; see
    :func:`coop.documents.service.check_plain`)."""

    template: str
    context: dict[str, Any]
    lang: str  # "nl" or "en": the texts, number and date formats, and the PDF's /Lang
    title: str  # the PDF's title (metadata and the <title> of its HTML)


def document_html(job: DocumentJob) -> str:
    return render.render_html(job.template, job.context, lang=job.lang, title=job.title)


def render_document_job(job: DocumentJob) -> bytes:
    """The worker's function (importable, so the pool can send it by name)."""
    return render.html_to_pdf(document_html(job))
