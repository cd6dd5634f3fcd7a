"""The only way a report reaches anything outside its own HTML: a URL fetcher that serves
``data:`` URLs and files inside the package's own static folders, and refuses the rest.

WeasyPrint 70's :class:`weasyprint.urls.URLFetcher` takes ``allowed_protocols`` and
``allow_redirects``; we allow ``data`` and ``file`` only, follow no redirect, and check every
``file:`` URL ourselves: the path, with symbolic links resolved, must lie inside one of
:data:`ALLOWED_ROOTS`. Everything else (``http``, ``https``, ``ftp``, ``file:///etc/passwd``,
``file:`` paths that climb out with ``..`` or a symlink) raises :class:`FetchRefused`, which
WeasyPrint turns into a missing resource (an image without picture), never a request.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher

__all__ = ["ALLOWED_ROOTS", "FONTS_DIR", "FetchRefused", "SafeFetcher"]

PACKAGE_DIR = Path(__file__).resolve().parent
FONTS_DIR = PACKAGE_DIR / "fonts"
_ROOT = PACKAGE_DIR.parents[1]
#: Folders whose files a report may use: its fonts, its templates (stylesheet) and the
#: application's static folder (logos, images).
ALLOWED_ROOTS: tuple[Path, ...] = (
    FONTS_DIR,
    _ROOT / "templates" / "pdf",
    _ROOT / "static",
)


class FetchRefused(ValueError):
    """A URL a report may not use."""


class SafeFetcher(URLFetcher):
    """``data:`` and our own static files only; no network, no redirects."""

    def __init__(self, roots: tuple[Path, ...] = ALLOWED_ROOTS) -> None:
        super().__init__(
            timeout=1,
            allowed_protocols=("data", "file"),
            allow_redirects=False,
            fail_on_errors=False,
        )
        self._roots = tuple(root.resolve() for root in roots)

    def allowed_path(self, url: str) -> Path:
        """The file a ``file:`` URL names, if it lies in an allowed folder."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"file URL on another host: {url[:80]}")
        path = Path(os.path.realpath(unquote(parts.path)))
        for root in self._roots:
            if path.is_relative_to(root) and path.is_file():
                return path
        raise FetchRefused(f"file outside the report's folders: {url[:80]}")

    def fetch(self, url: str, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            self.allowed_path(url)
            return super().fetch(url, headers)
        raise FetchRefused(f"URL scheme not allowed in a report: {scheme or url[:40]}")

    def open(self, url, data=None, timeout=None):  # type: ignore[no-untyped-def]
        # urllib's redirect machinery would call open() again: refuse it the same way.
        target = url.full_url if hasattr(url, "full_url") else url
        return self.fetch(target)
