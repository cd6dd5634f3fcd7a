"""The application's outer edge: language, timing and the request log for every request.

Litestar's middleware runs only for routed requests; this runs for all of them, 404s
included, so every response is logged and rendered in the right language.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import parse_qsl

from litestar import Litestar
from litestar.types import Receive, Scope, Send

from coop.web import i18n

log = logging.getLogger("coop.request")


def host_of(header: str) -> str:
    """The host name of a Host header, without port; IPv6 stays in brackets."""
    header = header.strip().lower()
    if header.startswith("["):
        return header.split("]", 1)[0] + "]"
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class CoopApp(Litestar):
    """Litestar with our edge; ``allowed_host_names`` is set by :func:`coop.app.create_app`."""

    allowed_host_names: frozenset[str] = frozenset()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:  # type: ignore[override]
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        if self.allowed_host_names and not self._host_allowed(scope):
            # A request for another host name is a misrouted or forged request (DNS
            # rebinding, cache poisoning); it gets a plain answer and no application code.
            await send(
                {
                    "type": "http.response.start",
                    "status": 400,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8")],
                }
            )
            await send({"type": "http.response.body", "body": b"Onbekende host / unknown host"})
            return
        raw_query: bytes = scope.get("query_string", b"")
        # Only ?lang= is read here; a query that cannot name it (not even percent-encoded)
        # is not parsed at all.
        query = (
            dict(parse_qsl(raw_query.decode("latin-1")))
            if b"lang" in raw_query or b"%" in raw_query
            else {}
        )
        accept = None
        if scope["path"].startswith("/api/"):
            # API clients choose their language by header; pages by the ?lang= link.
            for name, value in scope["headers"]:
                if name == b"accept-language":
                    accept = value.decode("latin-1")
                    break
        token = i18n.current_language.set(i18n.pick_language(query, accept))
        if not log.isEnabledFor(logging.INFO):
            # The request log is off (LOG_LEVEL above INFO): nothing to time or record.
            try:
                await super().__call__(scope, receive, send)
            finally:
                i18n.current_language.reset(token)
            return
        started = time.perf_counter()
        status = 0

        async def send_wrapper(message):  # type: ignore[no-untyped-def]
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await super().__call__(scope, receive, send_wrapper)
        finally:
            log.info(
                "request",
                extra={
                    "method": scope.get("method"),
                    "route": scope.get("path_template") or "<unrouted>",
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            i18n.current_language.reset(token)

    def _host_allowed(self, scope: Scope) -> bool:
        for name, value in scope["headers"]:
            if name == b"host":
                return host_of(value.decode("latin-1")) in self.allowed_host_names
        return False
