"""Render one of the cooperative's documents to PDF, on the scan report's worker pool.

The public function for every coop app::

    pdf = await render_document(
        request.app, "statement.html", {"figures": ...}, lang="nl", title="Bijdrageverklaring 2026"
    )

It raises :class:`~selfscan.report.pool.RenderError` (time limit, memory limit, a broken
worker) when the document cannot be made now; a controller answers that with
:func:`unavailable` (503 with ``Retry-After``: a problem document under ``/api``, an error
page elsewhere), as the scan report does. There is no second pool: one set of workers with
one time and memory limit serves every PDF of the service.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from litestar import Request, Response

from coop.documents.jobs import DocumentJob, render_document_job
from coop.web.i18n import gettext as _
from coop.web.problems import error_page, is_api, problem
from selfscan.report.pool import RenderError
from selfscan.report.service import runtime_of

__all__ = [
    "COOPERATIVE_NAME",
    "PDF",
    "RenderError",
    "check_plain",
    "pdf_response",
    "render_document",
    "unavailable",
]

log = logging.getLogger(__name__)

PDF = "application/pdf"
#: The issuer of the cooperative's documents (the name the site shows in base.html).
COOPERATIVE_NAME = "Coöperatie Inclusief Werk"
RETRY_AFTER_S = 30


async def render_document(
    app: Any, template: str, context: dict[str, Any], *, lang: str, title: str
) -> bytes:
    """The PDF of ``templates/pdf/coop/<template>`` filled with ``context`` (plain picklable
    data; the template escapes every string), in ``lang`` ("nl" or "en"), with ``title`` as
    its title. Tagged PDF/UA-1, A4, fonts embedded. Raises RenderError when it cannot be
    rendered now, TypeError when ``context`` holds anything but plain data."""
    check_plain(context)
    job = DocumentJob(template=template, context=context, lang=lang, title=title)
    return await runtime_of(app).pool.run(render_document_job, job)


PLAIN_TYPES = (str, int, float, bool, Decimal, dt.date, type(None))


def check_plain(value: Any, where: str = "context") -> None:
    """Refuse anything but plain data in a document's context, here, with a message that
    names the field. The worker unpickles the context: a struct or row of an app module
    would make the worker import that module (and the database layer behind it) inside the
    render's time and memory limit, and a failure there reaches the caller only as "the
    render worker died"."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: keys must be strings, got {key!r}")
            check_plain(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_plain(item, f"{where}[{index}]")
    elif not isinstance(value, PLAIN_TYPES):
        raise TypeError(
            f"{where}: a document's context holds plain data only (dict, list, str, int, "
            f"Decimal, date, bool, None), got {type(value).__name__}"
        )


def unavailable(request: Request[Any, Any, Any], exc: RenderError) -> Response[Any]:
    """503 for a document that cannot be rendered now, with ``Retry-After``."""
    log.warning("document unavailable: %s: %s", type(exc).__name__, exc)
    detail = _("Het document kan nu niet worden gemaakt. Probeer het over een minuut opnieuw.")
    headers = {"Retry-After": str(RETRY_AFTER_S)}
    if is_api(request):
        return problem(request, 503, code="document_unavailable", detail=detail, headers=headers)
    return error_page(request, 503, detail=detail, headers=headers)


def pdf_response(pdf: bytes, filename: str) -> Response[bytes]:
    """A PDF download. ``filename`` must be ASCII without quotes (our callers build it
    from slugs and numbers)."""
    return Response(
        content=pdf,
        media_type=PDF,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            # A member's figures: keep them out of shared caches.
            "Cache-Control": "private, no-store",
            "X-Robots-Tag": "noindex",
        },
    )
