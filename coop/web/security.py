"""Security headers for every response, set once at the application's edge.

A route may send its own Content-Security-Policy (the embeddable scan widens
``frame-ancestors`` to a tenant's sites); every other response is closed to framing.
"""

from __future__ import annotations

from collections.abc import Iterable

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


def security_headers_hook(hsts: bool):
    """A ``before_send`` hook: it sees every response, routed or not (404s included)."""

    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        path: str = scope.get("path", "")
        if "content-security-policy" not in headers:
            is_docs = path == "/schema" or (
                path.startswith("/schema/") and not path.endswith((".json", ".yaml"))
            )
            headers["Content-Security-Policy"] = DOCS_CSP if is_docs else DEFAULT_CSP
        if "frame-ancestors 'none'" in headers.get("content-security-policy", ""):
            headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        # A route may send its own (the scan pages: no-referrer); everything under /scan/
        # carries a secret token in its path, errors included, so it never leaks by a link.
        if path.startswith("/scan/"):
            headers["Referrer-Policy"] = "no-referrer"
        elif "referrer-policy" not in headers:
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        headers["Permissions-Policy"] = PERMISSIONS_POLICY
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if hsts:
            headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"

    return before_send
