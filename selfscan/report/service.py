"""The report of a stored scan: look it up, answer from the cache, or render it in the pool.

The host puts a :class:`ReportConfig` in the app's state under :data:`STATE_KEY` (or
lets :func:`lifespan` take the defaults); the lifespan keeps the :class:`RenderPool` and
the :class:`ReportCache` in the state while the app runs.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import logging
import shutil
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from selfscan.errors import ScanNotCompleted, SelfscanError
from selfscan.report import repository
from selfscan.report.cache import (
    DEFAULT_DIR,
    DEFAULT_MAX_AGE_DAYS,
    CacheKey,
    Pruned,
    ReportCache,
    cache_key,
    prune,
)
from selfscan.report.jobs import ReportJob, render_job
from selfscan.report.pool import RenderError, RenderPool, default_size
from selfscan.report.render import template_version
from selfscan.report.view import DEFAULT_COLOUR, DEFAULT_SECONDARY, Brand, Contact, file_name
from selfscan.scans import service as scans
from selfscan.scans import tokens
from selfscan.scans.config import config_of
from selfscan.scans.repository import StoredScan

__all__ = [
    "STATE_KEY",
    "Report",
    "ReportConfig",
    "brand_of",
    "job_for",
    "lifespan",
    "prune_cache",
    "render_ahead",
    "report",
]

log = logging.getLogger(__name__)

STATE_KEY = "selfscan_report"
_RUNTIME_KEY = "selfscan_report_runtime"
TIME_ZONE = ZoneInfo("Europe/Amsterdam")


class ReportConfig(msgspec.Struct, frozen=True, kw_only=True):
    #: Worker processes; None: the number of cores.
    workers: int | None = None
    #: Seconds a render may take before it is ended (503).
    time_limit_s: float = 30.0
    #: Address space a worker may use, in MB (a render of the report peaks near 300).
    memory_limit_mb: int = 1024
    #: Where rendered reports are kept; None: a temporary folder for the app's life.
    cache_dir: str | None = str(DEFAULT_DIR)
    #: Start the workers with the app (else at the first report).
    prestart: bool = True


class Report(msgspec.Struct, frozen=True, kw_only=True):
    pdf: bytes
    filename: str
    cached: bool


class _Runtime:
    def __init__(self, config: ReportConfig, cache_dir: Path) -> None:
        self.config = config
        self.pool = RenderPool(
            config.workers or default_size(),
            time_limit_s=config.time_limit_s,
            memory_limit_mb=config.memory_limit_mb,
            # Workers started with the app render the sample report first (a second or so
            # each, before any request); workers started on demand (tests) only a line.
            warm="full" if config.prestart else True,
        )
        self.cache = ReportCache(cache_dir)
        self.in_flight: dict[CacheKey, asyncio.Future[bytes]] = {}
        # Reports rendered ahead (render_ahead): at most one at a time, so that a worker
        # stays free for downloads, and a bounded backlog.
        self.ahead: set[asyncio.Task[None]] = set()
        self.ahead_slot = asyncio.Semaphore(1)
        #: (tenant slug, what the tenant row says) -> (Brand, fingerprint, valid until)
        self.brands: dict[tuple[str, str], tuple[Brand, str, float]] = {}


@contextlib.asynccontextmanager
async def lifespan(
    app: Any,
    *,
    workers: int | None = None,
    cache_dir: str | Path | None = "data/reports",
    prestart: bool = True,
) -> AsyncIterator[None]:
    """The render pool and the cache for the app's life. A :class:`ReportConfig` already in
    the app's state wins over the arguments (tests set one)."""
    config = app.state.get(STATE_KEY)
    if not isinstance(config, ReportConfig):
        config = ReportConfig(
            workers=workers,
            cache_dir=None if cache_dir is None else str(cache_dir),
            prestart=prestart,
        )
    temporary = None
    if config.cache_dir is None:
        temporary = tempfile.mkdtemp(prefix="coop-reports-")
    _check_harfbuzz()
    runtime = _Runtime(config, Path(config.cache_dir or temporary))  # type: ignore[arg-type]
    app.state[_RUNTIME_KEY] = runtime
    try:
        if config.prestart:
            await runtime.pool.start()
        yield
    finally:
        for task in list(runtime.ahead):
            task.cancel()
        await runtime.pool.close()
        app.state.pop(_RUNTIME_KEY, None)
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)


def _check_harfbuzz() -> None:
    """Without HarfBuzz's subsetter WeasyPrint subsets fonts with fontTools: twice as slow."""
    from weasyprint.text.ffi import harfbuzz_subset

    if not harfbuzz_subset:
        log.warning(
            "libharfbuzz-subset0 is missing: PDF reports render about twice as slowly "
            "(apt-get install libharfbuzz-subset0)"
        )


def runtime_of(app: Any) -> _Runtime:
    runtime = app.state.get(_RUNTIME_KEY)
    if runtime is None:
        raise RuntimeError("the report lifespan is not running (selfscan.report.service)")
    return runtime


#: The cooperative's own logo, for its own tenant (``DEFAULT_TENANT``) when it has none stored.
COOP_LOGO = Path(__file__).resolve().parents[2] / "static" / "img" / "logo.svg"
#: How long a tenant's brand (and its logo's bytes) is reused before it is read again.
BRAND_CACHE_S = 60.0


def logo_url(data: bytes | None, content_type: str | None) -> str | None:
    """A stored logo as a ``data:`` URL: the only kind of logo URL a tenant's report gets,
    so nothing in a logo can point the renderer at a file or the network (and whatever an
    SVG logo refers to inside itself goes through the safe fetcher, which refuses it)."""
    if not data or content_type not in repository.LOGO_TYPES:
        return None
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def _field(tenant: dict[str, Any], name: str, limit: int = 200) -> str | None:
    value = tenant.get(name)
    if not isinstance(value, str):
        return None
    value = " ".join("".join(c if c.isprintable() else " " for c in value).split())
    return value[:limit] or None


def brand_of(
    tenant: dict[str, Any],
    default_tenant: str | None = None,
    logo: tuple[bytes, str] | None = None,
) -> Brand:
    """The tenant's branding for its reports: name, colours, logo (``logo``: the stored
    bytes and type, see :func:`repository.tenant_logo`) and contact block. Pure: the
    strings stay as typed (the template escapes them); a colour that is not ``#rrggbb``
    falls back to the default when the report uses it."""
    url = logo_url(*logo) if logo else None
    if url is None and tenant["slug"] == default_tenant and COOP_LOGO.is_file():
        url = COOP_LOGO.as_uri()
    return Brand(
        name=_field(tenant, "name") or tenant["slug"],
        slug=tenant["slug"],
        colour=tenant.get("primary_colour") or DEFAULT_COLOUR,
        secondary=tenant.get("secondary_colour") or DEFAULT_SECONDARY,
        logo=url,
        contact=Contact(
            person=_field(tenant, "contact_name"),
            phone=_field(tenant, "contact_phone", 40),
            email=_field(tenant, "contact_email", 254),
            privacy_url=_field(tenant, "privacy_url", 500),
        ),
    )


def _fingerprint(brand: Brand) -> str:
    return hashlib.sha256(msgspec.json.encode(brand)).hexdigest()[:16]


async def brand_for(app: Any, tenant: dict[str, Any]) -> tuple[Brand, str]:
    """The tenant's :class:`Brand` and its fingerprint (part of the cache key, so a changed
    name, colour, contact or logo renders the reports anew). Reused for
    :data:`BRAND_CACHE_S` while the tenant row is unchanged, so a cached download does not
    read the logo's bytes."""
    default = config_of(app).default_tenant
    runtime = app.state.get(_RUNTIME_KEY)
    memo = runtime.brands if runtime is not None else {}
    marker = (tenant["slug"], repr(sorted((k, repr(v)) for k, v in tenant.items())) + str(default))
    now = time.monotonic()
    hit = memo.get(marker)
    if hit is not None and hit[2] >= now:
        return hit[0], hit[1]
    logo = None
    if tenant.get("logo_type") in repository.LOGO_TYPES:
        logo = await repository.tenant_logo(tenant["slug"])
    brand = brand_of(tenant, default, logo)
    fingerprint = _fingerprint(brand)
    if len(memo) > 200:
        memo.clear()
    memo[marker] = (brand, fingerprint, now + BRAND_CACHE_S)
    return brand, fingerprint


def job_for(scan: StoredScan, brand: Brand) -> ReportJob:
    if not scan.completed or scan.result is None:
        raise ScanNotCompleted()
    completed = scan.completed_at or scan.updated_at
    return ReportJob(
        result=scan.result,
        profile=scan.profile,
        lang=scan.lang,
        year=scans.rules_for(completed).year,
        brand=brand,
        # Stored scans have no organisation name yet; read it when they get one.
        organisation=getattr(scan, "organisation_name", None),
        day=completed.astimezone(TIME_ZONE).date(),
    )


async def report(app: Any, wsp: str, token: str) -> Report:
    """The PDF of a completed scan of tenant ``wsp``: ScanNotFound (unknown, expired,
    another tenant's), ScanNotCompleted, or a RenderError when it cannot be rendered now."""
    runtime = runtime_of(app)
    scan = await scans.find(token, wsp)
    tenant = await scans.tenant(app, wsp)
    brand, fingerprint = await brand_for(app, tenant)
    job = job_for(scan, brand)
    name = file_name(job.organisation, brand.slug, job.day)
    key = cache_key(
        tokens.hash_token(token), scan.version, template_version(), scan.lang, fingerprint
    )
    pdf = runtime.cache.get(key)
    if pdf is not None:
        return Report(pdf=pdf, filename=name, cached=True)
    return Report(pdf=await _render(runtime, key, job), filename=name, cached=False)


async def _render(runtime: _Runtime, key: CacheKey, job: ReportJob) -> bytes:
    """Render ``job`` in the pool and keep it under ``key``; a second request for the same
    report meanwhile waits for the first render instead of starting its own."""
    waiting = runtime.in_flight.get(key)
    if waiting is not None:
        return await asyncio.shield(waiting)
    future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
    runtime.in_flight[key] = future
    try:
        pdf = await runtime.pool.run(render_job, job)
        await asyncio.to_thread(runtime.cache.put, key, pdf)
        future.set_result(pdf)
    except BaseException as exc:
        if isinstance(exc, Exception):
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning when nobody waits
        else:
            future.cancel()
        raise
    finally:
        runtime.in_flight.pop(key, None)
    return pdf


#: Reports waiting to be rendered ahead; past this, a completed scan's report is rendered
#: when it is first downloaded instead.
AHEAD_BACKLOG = 32


def render_ahead(app: Any, wsp: str, token: str) -> asyncio.Task[None] | None:
    """Render a just-completed scan's report in the background, so that its first download
    is a cached one. Call it where a scan is completed (the result page's employer then
    never waits). One such render at a time, so a worker stays free for downloads; a
    failure is only logged (the download renders it again). None when the report service
    is not running or the backlog is full."""
    runtime = app.state.get(_RUNTIME_KEY)
    if runtime is None or len(runtime.ahead) >= AHEAD_BACKLOG:
        return None

    async def ahead() -> None:
        async with runtime.ahead_slot:
            try:
                await report(app, wsp, token)
            except (RenderError, SelfscanError) as exc:
                log.info("report not rendered ahead: %s", type(exc).__name__)
            except Exception:
                log.exception("report not rendered ahead")

    task = asyncio.get_running_loop().create_task(ahead())
    runtime.ahead.add(task)
    task.add_done_callback(runtime.ahead.discard)
    return task


async def prune_cache(
    directory: str | Path = DEFAULT_DIR,
    *,
    max_age_days: float | None = DEFAULT_MAX_AGE_DAYS,
) -> Pruned:
    """Remove cached reports of scans that no longer exist (or whose link expired), reports
    older than ``max_age_days`` and every old template version's reports: for ``coop
    retention run``. Needs the database engine (it reads which scans still exist)."""
    live = await repository.live_token_hashes()
    return await asyncio.to_thread(prune, directory, live_scans=live, max_age_days=max_age_days)
