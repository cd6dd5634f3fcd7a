"""Rendered reports on disk, so a second download is immediate, and :func:`prune` to clean up.

A report is kept at ``<directory>/<template version>/<scan>/<key>.pdf``:

- ``template version`` (:func:`render.template_version`) changes with any template,
  stylesheet or font file, so a changed template renders every report anew and the old
  folder can go as a whole;
- ``scan`` is a hash of the scan's token hash (:func:`scan_folder`): the token itself is
  never on disk, and neither is the token hash the database keeps, yet :func:`prune` can
  tell which reports belong to scans that no longer exist;
- ``key`` is a hash of everything else a report depends on (questionnaire version,
  language, the tenant's brand fingerprint), so a changed name, logo or colour renders it
  anew.

Files are written to a temporary name and renamed, so a reader never sees half a PDF; two
workers rendering the same report at once both write the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Collection
from pathlib import Path

import msgspec

__all__ = [
    "DEFAULT_DIR",
    "DEFAULT_MAX_AGE_DAYS",
    "CacheKey",
    "Pruned",
    "ReportCache",
    "cache_key",
    "prune",
    "scan_folder",
]

#: Where the service keeps reports (relative to the working directory, beside the database).
DEFAULT_DIR = Path("data") / "reports"
#: :func:`prune` removes a report rendered longer ago than this. A scan link lives 30 days
#: (longer only with a lead), so an older report is rarely asked for, and one that is, is
#: rendered anew.
DEFAULT_MAX_AGE_DAYS = 30.0
#: A ``.part`` file older than this is left over from a crashed write.
PART_MAX_AGE_S = 3600.0
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class CacheKey(msgspec.Struct, frozen=True):
    template: str  # folder: the template version
    scan: str  # folder: scan_folder(token hash)
    digest: str  # file name: every other part of the key


class Pruned(msgspec.Struct, frozen=True, kw_only=True):
    """What :func:`prune` did."""

    removed: int  # PDF files removed
    freed_bytes: int
    kept: int  # PDF files left
    stale_templates: int  # folders of old template versions removed


def scan_folder(token_hash: str) -> str:
    """The folder of a scan's reports: a hash of the token hash the database keeps."""
    return hashlib.sha256(b"coop-report\x1f" + token_hash.encode()).hexdigest()[:32]


def _folder_name(template: str) -> str:
    """A template version as a folder name (it is one already; a test may pass another)."""
    if _SAFE_NAME.fullmatch(template) and template not in (".", ".."):
        return template
    return "t-" + hashlib.sha256(template.encode()).hexdigest()[:16]


def cache_key(token_hash: str, version: str, template: str, lang: str, brand: str = "") -> CacheKey:
    parts = "\x1f".join((token_hash, version, template, lang, brand))
    return CacheKey(
        template=_folder_name(template),
        scan=scan_folder(token_hash),
        digest=hashlib.sha256(parts.encode()).hexdigest(),
    )


class ReportCache:
    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    def path(self, key: CacheKey) -> Path:
        return self.directory / key.template / key.scan / f"{key.digest}.pdf"

    def get(self, key: CacheKey) -> bytes | None:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, key: CacheKey, data: bytes) -> None:
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


def prune(
    directory: Path | str = DEFAULT_DIR,
    *,
    live_scans: Collection[str] | None = None,
    max_age_days: float | None = DEFAULT_MAX_AGE_DAYS,
    template: str | None = None,
    now: float | None = None,
) -> Pruned:
    """Remove the reports nobody will download again, for ``coop retention run``.

    - every folder of a template version other than ``template`` (default: the current
      :func:`render.template_version`): those files are never read again;
    - with ``live_scans`` (the token hashes, as the database keeps them, of the scans that
      still exist), the reports of every other scan: an expired or deleted scan's report
      must not outlive it;
    - with ``max_age_days``, reports written longer ago than that (they are rendered anew
      when asked for);
    - temporary files of writes that never finished, and folders left empty.

    Safe while the service runs: a report removed between a reader's lookup and its read
    is a cache miss, and a writer recreates its folder. A missing ``directory`` is fine."""
    root = Path(directory)
    if template is None:
        from selfscan.report.render import template_version

        template = template_version()
    current = _folder_name(template)
    clock = time.time() if now is None else now
    cutoff = None if max_age_days is None else clock - max_age_days * 86400
    live = None if live_scans is None else {scan_folder(h) for h in live_scans}
    removed = freed = kept = stale = 0
    if not root.is_dir():
        return Pruned(removed=0, freed_bytes=0, kept=0, stale_templates=0)

    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.is_symlink():
            continue
        if folder.name != current:
            files = [p for p in folder.rglob("*.pdf") if p.is_file()]
            removed += len(files)
            freed += sum(_size(p) for p in files)
            shutil.rmtree(folder, ignore_errors=True)
            stale += 1
            continue
        for scan in sorted(folder.iterdir()):
            if not scan.is_dir() or scan.is_symlink():
                continue
            gone = live is not None and scan.name not in live
            for path in list(scan.iterdir()):
                if not path.is_file():
                    continue
                age_ref = _mtime(path)
                if path.suffix == ".part":
                    if age_ref is not None and age_ref < clock - PART_MAX_AGE_S:
                        _unlink(path)
                    continue
                if path.suffix != ".pdf":
                    continue
                if gone or (cutoff is not None and age_ref is not None and age_ref < cutoff):
                    size = _size(path)
                    if _unlink(path):
                        removed += 1
                        freed += size
                else:
                    kept += 1
            with contextlib.suppress(OSError):
                scan.rmdir()  # only when empty
    return Pruned(removed=removed, freed_bytes=freed, kept=kept, stale_templates=stale)


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
        return True
    except FileNotFoundError:
        return False
