"""Embedding the scan in a WSP's site: ``/embed.js``, the tenant's ``brand.css`` and logo,
the frame ancestors of every answer under ``/scan/{wsp}/``, the ``?parent=`` origin the
frame posts its height to, and the check that a POST came from our own pages.

The snippet is ``<script src="{BASE_URL}/embed.js" data-wsp="{slug}" async></script>``.
The script (static/js/embed.js, no framework) inserts a titled iframe on
``/scan/{slug}?parent=<origin of the host page>``; the pages accept that origin only when
it is one of the tenant's allowed origins, carry it on every link, form and redirect, and
post the page's height to exactly that origin. Nothing here sets a cookie.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from litestar import Controller, Request, Response, get
from litestar.params import FromPath

from selfscan.errors import FormRefused, TenantNotFound
from selfscan.scans import service
from selfscan.scans.config import config_of
from selfscan.tenants import repository, rules

EMBED_SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "embed.js"
#: The logo is shown only through <img>; served on its own it may run nothing at all.
LOGO_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
PUBLIC_CACHE = "public, max-age=300"


async def frame_ancestors(app: Any, path: str) -> list[str]:
    """``'self'`` plus the tenant's allowed origins for a path under ``/scan/{wsp}``;
    only ``'self'`` for an unknown or inactive tenant."""
    slug = path.split("/")[2] if path.count("/") >= 2 else ""
    if not slug:
        return ["'self'"]
    try:
        tenant = await service.tenant(app, slug)
    except TenantNotFound:
        return ["'self'"]
    return rules.frame_ancestors(tenant.get("allowed_origins") or [])


def parent_of(request: Request[Any, Any, Any], tenant: dict[str, Any]) -> str | None:
    """The embedding page's origin from ``?parent=``, only when the tenant allows it, or
    when it is our own origin (the live preview on the tenant's settings page)."""
    own = _origin(config_of(request.app).base_url)
    allowed = [*(tenant.get("allowed_origins") or []), *([own] if own else [])]
    return rules.accepted_parent(request.query_params.get("parent"), allowed)


def _origin(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def check_post_origin(request: Request[Any, Any, Any]) -> None:
    """A scan form must be posted by our own pages (also inside a WSP's frame, where the
    frame's document is ours). Browsers send Origin on a POST, and with the scan pages'
    ``Referrer-Policy: same-origin`` a Referer to our own origin; one from another origin,
    ``Origin: null`` (a sandboxed or opaque document), or ``Sec-Fetch-Site: cross-site`` is
    refused. A client that sends neither header (not a browser) cannot be a forged form."""
    ours = {_origin(config_of(request.app).base_url)}
    host = request.headers.get("host", "")
    if host:
        ours |= {f"http://{host}".lower(), f"https://{host}".lower()}
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise FormRefused()
    origin = request.headers.get("origin")
    if origin is not None:
        if _origin(origin) not in ours:
            raise FormRefused()
        return
    referer = request.headers.get("referer")
    if referer and _origin(referer) not in ours:
        raise FormRefused()


class EmbedAssets(Controller):
    """``/embed.js``, ``/scan/{wsp}/brand.css`` and ``/scan/{wsp}/logo``: public, cached
    briefly, and without cookies."""

    include_in_schema = False

    @get("/embed.js", name="selfscan.embed_js", media_type="text/javascript")
    async def embed_js(self) -> Response[bytes]:
        return Response(
            content=EMBED_SCRIPT.read_bytes(),
            media_type="text/javascript; charset=utf-8",
            headers={
                "Cache-Control": PUBLIC_CACHE,
                # Any site may load the script; it reads nothing of ours but the frame.
                "Cross-Origin-Resource-Policy": "cross-origin",
            },
        )

    @get("/scan/{wsp:str}/brand.css", name="selfscan.brand_css", media_type="text/css")
    async def brand_css(self, request: Request[Any, Any, Any], wsp: FromPath[str]) -> Response[str]:
        tenant = await service.tenant(request.app, wsp)
        return Response(
            content=rules.brand_css(
                tenant.get("primary_colour", ""), tenant.get("secondary_colour", "")
            ),
            media_type="text/css; charset=utf-8",
            headers={"Cache-Control": PUBLIC_CACHE},
        )

    @get("/scan/{wsp:str}/logo", name="selfscan.logo", media_type="image/png")
    async def logo(self, request: Request[Any, Any, Any], wsp: FromPath[str]) -> Response[bytes]:
        await service.tenant(request.app, wsp)
        found = await repository.logo(wsp)
        if found is None:
            raise TenantNotFound()
        data, content_type, etag = found
        return Response(
            content=data,
            media_type=content_type,
            headers={
                "Cache-Control": PUBLIC_CACHE,
                "ETag": f'"{etag}"',
                "Content-Security-Policy": LOGO_POLICY,
                "Content-Disposition": "inline",
            },
        )


def brand_version(tenant: dict[str, Any]) -> str:
    """A cache buster for brand.css and the logo: changes whenever the tenant is saved."""
    updated = tenant.get("updated_at")
    return str(int(updated.timestamp())) if updated is not None else "0"
