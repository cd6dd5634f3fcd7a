"""Rate limits of the self-scan: new scans and posted steps, per client and per tenant.

A window of a minute per key, starting at its first request, counted in the app's
rate-limit store (memory with one process, Redis with several workers, so every worker
counts together). The check reads and then writes, so two workers may each let one request
too many through at the edge of the limit; it stops floods, not the 21st scan exactly.

Per client: one address cannot flood a tenant. Per tenant: many addresses together (a
botnet behind one WSP's snippet) cannot fill the database or drown that tenant's figures.
"""

from __future__ import annotations

import math
import time
from typing import Any

from selfscan.errors import TooManyScans, TooManySubmits, TooManyTenantScans
from selfscan.scans.config import config_of

WINDOW_S = 60


async def _count(request: Any, key: str, limit: int, error: type[TooManyScans]) -> None:
    if limit <= 0:
        return
    store = request.app.stores.get(config_of(request.app).rate_limit_store)
    now = time.time()
    start, count = now, 0
    raw = await store.get(key)
    if raw:
        try:
            stored_start, stored_count = raw.decode().split(":")
            if now - float(stored_start) < WINDOW_S:
                start, count = float(stored_start), int(stored_count)
        except ValueError:
            pass  # an unreadable counter starts again
    left = max(1, math.ceil(start + WINDOW_S - now))
    if count >= limit:
        raise error(retry_after=left)
    await store.set(key, f"{start}:{count + 1}", expires_in=left)


def _client(request: Any) -> str:
    return request.client.host if request.client else "unknown"


async def count_new_scan(request: Any, tenant_slug: str | None = None) -> None:
    """Count one new scan for the request's client (and its tenant); TooManyScans when
    over a limit."""
    config = config_of(request.app)
    await _count(
        request, f"selfscan:new:{_client(request)}", config.new_scans_per_minute, TooManyScans
    )
    if tenant_slug is not None and config.new_scans_per_minute > 0:
        await _count(
            request,
            f"selfscan:new-tenant:{tenant_slug}",
            config.tenant_new_scans_per_minute,
            TooManyTenantScans,
        )


async def count_submit(request: Any, tenant_slug: str) -> None:
    """Count one posted step for the client and the tenant; TooManySubmits when over."""
    config = config_of(request.app)
    if config.new_scans_per_minute <= 0:
        return  # limits off (benchmarks)
    await _count(
        request, f"selfscan:step:{_client(request)}", config.submits_per_minute, TooManySubmits
    )
    await _count(
        request,
        f"selfscan:step-tenant:{tenant_slug}",
        config.tenant_submits_per_minute,
        TooManySubmits,
    )
