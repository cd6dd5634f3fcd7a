"""Health endpoints for load balancers and orchestrators; they never set a cookie."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get
from litestar.openapi.datastructures import ResponseSpec

from coop import db
from coop.web.i18n import gettext as _
from coop.web.problems import problem

log = logging.getLogger("coop.health")
READY_TIMEOUT_S = 3.0


class Health(msgspec.Struct):
    status: str


class HealthController(Controller):
    path = "/health"
    tags = ["health"]

    @get("/live", summary="The process is up", sync_to_thread=False)
    def live(self) -> Health:
        return Health(status="ok")

    @get(
        "/ready",
        summary="The database answers",
        responses={
            503: ResponseSpec(
                data_container=None,
                description="The database does not answer (problem details)",
                media_type="application/problem+json",
            )
        },
    )
    async def ready(self, request: Request[Any, Any, Any]) -> Response[Any]:
        try:
            await asyncio.wait_for(db.ping(db.engine()), timeout=READY_TIMEOUT_S)
        except Exception as exc:  # any failure means not ready; the reason goes to the log
            log.warning("database not ready", extra={"error": type(exc).__name__})
            return problem(
                request,
                503,
                code="database_unavailable",
                detail=_("De database antwoordt niet."),
                headers={"Retry-After": "5"},
            )
        return Response(Health(status="ok"))
