"""Throttling of failed logins, per account and per client, in a Litestar store
(Redis when REDIS_URL is set, so every worker counts the same failures)."""

from __future__ import annotations

import hashlib
import time

import msgspec
from litestar.stores.base import Store

WINDOW_S = 15 * 60
ACCOUNT_LIMIT = 5  # failures per account in the window before it waits
CLIENT_LIMIT = 20  # failures per client address in the window before it waits
MAX_LOCK_S = 60 * 60


class Failures(msgspec.Struct):
    times: list[float] = msgspec.field(default_factory=list)


def _key(kind: str, value: str) -> str:
    # Hashed, so the store holds no list of email addresses.
    return f"login-fail:{kind}:" + hashlib.sha256(value.lower().encode()).hexdigest()


async def _load(store: Store, key: str, now: float) -> Failures:
    raw = await store.get(key)
    failures = msgspec.json.decode(raw, type=Failures) if raw else Failures()
    failures.times = [t for t in failures.times if now - t < MAX_LOCK_S]
    return failures


def _wait(failures: Failures, limit: int, now: float) -> int:
    """Seconds to wait: none below the limit, then doubling from the window per extra failure."""
    recent = [t for t in failures.times if now - t < WINDOW_S]
    if len(recent) < limit:
        return 0
    extra = len(recent) - limit
    lock = min(WINDOW_S * (2**extra), MAX_LOCK_S)
    return max(0, int(recent[-1] + lock - now) + 1)


async def seconds_to_wait(store: Store, email: str, client: str, now: float | None = None) -> int:
    now = now or time.time()
    account = await _load(store, _key("account", email), now)
    by_client = await _load(store, _key("client", client), now)
    return max(_wait(account, ACCOUNT_LIMIT, now), _wait(by_client, CLIENT_LIMIT, now))


async def record_failure(store: Store, email: str, client: str, now: float | None = None) -> None:
    now = now or time.time()
    for key in (_key("account", email), _key("client", client)):
        failures = await _load(store, key, now)
        failures.times.append(now)
        await store.set(key, msgspec.json.encode(failures), expires_in=MAX_LOCK_S)


async def clear_account(store: Store, email: str) -> None:
    await store.delete(_key("account", email))
