"""The report of a stored scan: look it up, answer from the cache, or render it in the pool.

The host puts a :class:`ReportConfig` in the app's state under :data:`STATE_KEY` (or
lets :func:`lifespan` take the defaults); the lifespan keeps the :class:`RenderPool` and
the :class:`ReportCache` in the state while the app runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from selfscan.errors import ScanNotCompleted
from selfscan.report.cache import ReportCache, cache_key
from selfscan.report.jobs import ReportJob, render_job
from selfscan.report.pool import RenderPool, default_size
from selfscan.report.render import template_version
from selfscan.report.view import Brand, file_name
from selfscan.scans import service as scans
from selfscan.scans import tokens
from selfscan.scans.config import config_of
from selfscan.scans.repository import StoredScan

__all__ = ["STATE_KEY", "Report", "ReportConfig", "job_for", "lifespan", "report"]

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
    cache_dir: str | None = "data/reports"
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
        )
        self.cache = ReportCache(cache_dir)
        self.in_flight: dict[str, asyncio.Future[bytes]] = {}


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


#: The cooperative's own logo, for its own tenant (``DEFAULT_TENANT``).
COOP_LOGO = Path(__file__).resolve().parents[2] / "static" / "img" / "logo.svg"


def brand_of(tenant: dict[str, Any], default_tenant: str | None = None) -> Brand:
    """The tenant's branding. Tenants have a name only for now (the embedding issue adds
    logo, colours and contact); the cooperative's own tenant gets the cooperative's logo."""
    logo = None
    if tenant["slug"] == default_tenant and COOP_LOGO.is_file():
        logo = COOP_LOGO.as_uri()
    return Brand(name=tenant["name"], slug=tenant["slug"], logo=logo)


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


def _fingerprint(brand: Brand) -> str:
    return hashlib.sha256(msgspec.json.encode(brand)).hexdigest()[:16]


async def report(app: Any, wsp: str, token: str) -> Report:
    """The PDF of a completed scan of tenant ``wsp``: ScanNotFound (unknown, expired,
    another tenant's), ScanNotCompleted, or a RenderError when it cannot be rendered now."""
    runtime = runtime_of(app)
    scan = await scans.find(token, wsp)
    tenant = await scans.tenant(app, wsp)
    brand = brand_of(tenant, config_of(app).default_tenant)
    job = job_for(scan, brand)
    name = file_name(job.organisation, brand.slug, job.day)
    key = cache_key(
        tokens.hash_token(token), scan.version, template_version(), scan.lang, _fingerprint(brand)
    )
    pdf = runtime.cache.get(key)
    if pdf is not None:
        return Report(pdf=pdf, filename=name, cached=True)
    waiting = runtime.in_flight.get(key)
    if waiting is not None:  # the same report is being rendered for another request
        return Report(pdf=await asyncio.shield(waiting), filename=name, cached=False)
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
    return Report(pdf=pdf, filename=name, cached=False)
