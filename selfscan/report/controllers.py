"""``GET /scan/{wsp}/{token}/rapport.pdf``: the report of a completed scan.

No cookie, no session: the token in the path is the only key. A report that cannot be
rendered now (time or memory limit, a broken worker) is answered with a 503 problem
(RFC 9457) and ``Retry-After``; an unknown, expired or other tenant's scan with the
self-scan's own 404, a draft with 409 (:mod:`selfscan.errors`, handled by the host).
"""

from __future__ import annotations

import logging

from litestar import Controller, Request, Response, get
from litestar.params import Parameter

from selfscan.report import service
from selfscan.report.pool import RenderError

__all__ = ["ReportController"]

log = logging.getLogger(__name__)

PDF = "application/pdf"
_UNAVAILABLE = {
    "nl": "Het rapport kan nu niet worden gemaakt. Probeer het over een minuut opnieuw.",
    "en": "The report cannot be made right now. Please try again in a minute.",
}


class ReportController(Controller):
    path = "/scan/{wsp:str}/{token:str}/rapport.pdf"
    tags = ["selfscan"]

    @get(
        "",
        name="selfscan-report",
        media_type=PDF,
        summary="The PDF advice report of a completed scan",
        description="The scan's `report_url`. `application/pdf`, or a 503 problem when the "
        "report cannot be rendered now (try again after `Retry-After`).",
    )
    async def download(
        self,
        request: Request,
        wsp: str = Parameter(description="The WSP tenant's slug"),
        token: str = Parameter(description="The scan's secret link token"),
    ) -> Response[bytes]:
        try:
            found = await service.report(request.app, wsp, token)
        except RenderError as exc:
            log.warning("report unavailable: %s", type(exc).__name__)
            lang = "en" if "en" in (request.headers.get("accept-language") or "")[:2] else "nl"
            return Response(
                content={
                    "type": "urn:coop:problem:report_unavailable",
                    "title": "Service Unavailable",
                    "status": 503,
                    "code": "report_unavailable",
                    "detail": _UNAVAILABLE[lang],
                    "instance": request.scope.get("path", ""),
                },
                status_code=503,
                media_type="application/problem+json",
                headers={"Retry-After": "30"},
            )
        return Response(
            content=found.pdf,
            media_type=PDF,
            headers={
                "Content-Disposition": f'attachment; filename="{found.filename}"',
                # The link holds a secret: keep the file out of shared caches.
                "Cache-Control": "private, no-store",
                "X-Robots-Tag": "noindex",
            },
        )
