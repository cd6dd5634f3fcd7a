"""How many new scans one client may start per minute, through the pages and the API.

A window of a minute per client address, starting at its first new scan, counted in the
app's rate-limit store (memory with one process, Redis with several workers, so every
worker counts together). The check reads and then writes, so two workers may each let one
request too many through at the edge of the limit; it stops floods, not the 21st scan
exactly.
"""

from __future__ import annotations

import math
import time
from typing import Any

from selfscan.errors import TooManyScans
from selfscan.scans.config import config_of

WINDOW_S = 60


async def count_new_scan(request: Any) -> None:
    """Count one new scan for the request's client; TooManyScans when over the limit."""
    config = config_of(request.app)
    limit = config.new_scans_per_minute
    if limit <= 0:
        return
    store = request.app.stores.get(config.rate_limit_store)
    client = request.client.host if request.client else "unknown"
    key = f"selfscan:new:{client}"
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
        raise TooManyScans(retry_after=left)
    await store.set(key, f"{start}:{count + 1}", expires_in=left)
