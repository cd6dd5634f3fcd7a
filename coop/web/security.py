"""Security headers for every response, set once at the application's edge.

A route may send its own Content-Security-Policy. Every response under ``/scan/{wsp}/``
(pages, errors, 404s and 429s alike) may be framed by the tenant's own allowed origins:
``frame-ancestors 'self'`` plus exactly those, looked up by the resolver the application
passes in; every other response is closed to framing (``'none'``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

BASE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# Litestar's API documentation page loads its viewer from a CDN with inline script; it
# is a page for developers, so only that page gets this wider policy.
DOCS_POLICY = {
    **BASE_POLICY,
    "script-src": "'self' 'unsafe-inline' https://cdn.jsdelivr.net https://unpkg.com",
    "style-src": "'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com",
    "font-src": "'self' https://fonts.gstatic.com",
    "img-src": "'self' data: https://cdn.redoc.ly",
    "worker-src": "blob:",
}

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


def content_security_policy(frame_ancestors: Iterable[str] = ("'none'",)) -> str:
    """The policy with the given frame ancestors, for routes that may be embedded."""
    policy = {**BASE_POLICY, "frame-ancestors": " ".join(frame_ancestors) or "'none'"}
    return "; ".join(f"{key} {value}" for key, value in policy.items())


def _policy_text(policy: dict[str, str]) -> str:
    return "; ".join(f"{key} {value}" for key, value in policy.items())


DEFAULT_CSP = _policy_text(BASE_POLICY)
DOCS_CSP = _policy_text(DOCS_POLICY)


#: ``(app, path) -> frame ancestors`` for a path under ``/scan/{wsp}/``.
FrameAncestors = Callable[[Any, str], Awaitable[list[str]]]


def _with_frame_ancestors(policy: str, ancestors: list[str]) -> str:
    directives = [
        d.strip()
        for d in policy.split(";")
        if d.strip() and not d.strip().startswith("frame-ancestors")
    ]
    directives.append("frame-ancestors " + (" ".join(ancestors) or "'none'"))
    return "; ".join(directives)


def is_tenant_path(path: str) -> bool:
    """``/scan/{wsp}`` and everything under it (not ``/scan`` or ``/scan/`` alone)."""
    return path.startswith("/scan/") and len(path) > len("/scan/")


HSTS = "max-age=63072000; includeSubDomains"

# The headers this hook sets or reads on a response, lower-case.
_MANAGED = frozenset(
    {
        b"content-security-policy",
        b"x-frame-options",
        b"x-content-type-options",
        b"referrer-policy",
        b"permissions-policy",
        b"cross-origin-opener-policy",
        b"strict-transport-security",
    }
)


def _plain_headers(hsts: bool) -> tuple[tuple[bytes, bytes], ...]:
    """What the hook adds to a response that set none of these itself, outside
    ``/scan/`` and the API documentation: the same headers in the same order."""
    headers = [
        (b"content-security-policy", DEFAULT_CSP.encode("latin-1")),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"permissions-policy", PERMISSIONS_POLICY.encode("latin-1")),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if hsts:
        headers.append((b"strict-transport-security", HSTS.encode("latin-1")))
    return tuple(headers)


def security_headers_hook(hsts: bool, frame_ancestors: FrameAncestors | None = None):
    """A ``before_send`` hook: it sees every response, routed or not (404s included)."""
    plain = _plain_headers(hsts)

    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        path: str = scope.get("path", "")
        raw = message.get("headers")
        # Most responses: a page or an API answer that set none of these headers. They
        # get the precomputed list; the general code below gives exactly the same.
        if (
            type(raw) is list
            and not path.startswith(("/scan/", "/schema"))
            and not any(name.lower() in _MANAGED for name, _value in raw)
        ):
            raw.extend(plain)
            return
        headers = MutableScopeHeaders.from_message(message)
        if "content-security-policy" not in headers:
            is_docs = path == "/schema" or (
                path.startswith("/schema/") and not path.endswith((".json", ".yaml"))
            )
            headers["Content-Security-Policy"] = DOCS_CSP if is_docs else DEFAULT_CSP
        if frame_ancestors is not None and is_tenant_path(path):
            try:
                ancestors = await frame_ancestors(scope.get("litestar_app") or scope["app"], path)
            except Exception:
                ancestors = ["'self'"]
            headers["Content-Security-Policy"] = _with_frame_ancestors(
                headers["Content-Security-Policy"], ancestors
            )
        if "frame-ancestors 'none'" in headers.get("content-security-policy", ""):
            headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        # Everything under /scan/ carries a secret token in its path, errors included, so
        # it never leaves our origin by a link. Same-origin (not no-referrer): then the
        # scan's own form posts carry Origin and Referer, which the scan checks, where
        # no-referrer would make the browser send "Origin: null".
        if path.startswith("/scan/"):
            headers["Referrer-Policy"] = "same-origin"
        elif "referrer-policy" not in headers:
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        headers["Permissions-Policy"] = PERMISSIONS_POLICY
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if hsts:
            headers["Strict-Transport-Security"] = HSTS

    return before_send
