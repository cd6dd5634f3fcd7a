"""Rendered reports on disk, so a second download is immediate.

The key is a SHA-256 of (the scan's token hash, questionnaire version, template version,
language, brand fingerprint): the template version (:func:`render.template_version`)
changes with any template, stylesheet or font file, so a changed template renders every
report anew, and the brand fingerprint does the same when a tenant changes its name, logo
or colours. The token itself is never on disk (only the hash of its hash). Files are
written to a temporary name and renamed, so a reader never sees half a PDF; two workers
rendering the same report at once both write the same bytes.

Old files are never read again after a template change; remove them with any file-age
tool (``find data/reports -mtime +40 -delete``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

__all__ = ["ReportCache", "cache_key"]


def cache_key(token_hash: str, version: str, template: str, lang: str, brand: str = "") -> str:
    parts = "\x1f".join((token_hash, version, template, lang, brand))
    return hashlib.sha256(parts.encode()).hexdigest()


class ReportCache:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.pdf"

    def get(self, key: str) -> bytes | None:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, key: str, data: bytes) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
