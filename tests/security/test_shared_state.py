"""With REDIS_URL, worker processes share rate-limit counters, so a limit holds for the service."""

from __future__ import annotations

import pytest

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
async def redis_db():
    redis = pytest.importorskip("redis.asyncio")
    client = redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except Exception:
        pytest.skip("no Redis on 127.0.0.1:6379")
    await client.flushdb()
    yield client
    await client.flushdb()
    await client.aclose()


async def test_two_workers_share_one_rate_limit(make_client, redis_db):
    async with (
        make_client(REDIS_URL=REDIS_URL, RATE_LIMIT_PER_MINUTE="3") as worker_a,
        make_client(REDIS_URL=REDIS_URL, RATE_LIMIT_PER_MINUTE="3") as worker_b,
    ):
        assert worker_a.app is not worker_b.app
        statuses = [
            (await worker_a.get("/health/ready")).status_code,  # not limited: does not count
            (await worker_a.get("/")).status_code,
            (await worker_b.get("/")).status_code,
            (await worker_a.get("/")).status_code,
            (await worker_b.get("/")).status_code,
        ]
    assert statuses == [200, 200, 200, 200, 429]
    assert await redis_db.dbsize() > 0


async def test_a_session_made_by_one_worker_works_on_another(make_client, redis_db, migrated):
    from coop.accounts.roles import Role
    from tests import factories

    member = await factories.user(Role.MEMBER, name="Gedeeld Lid")
    async with (
        make_client(REDIS_URL=REDIS_URL) as worker_a,
        make_client(REDIS_URL=REDIS_URL) as worker_b,
    ):
        r = await factories.login(worker_a, member)
        assert r.status_code == 303
        worker_b.cookies.update(worker_a.cookies)
        page = await worker_b.get("/overzicht")
        assert page.status_code == 200
        assert "Gedeeld Lid" in page.text
    # Sessions live in Redis under a hashed key, never under the cookie's value.
    keys = [k.decode() for k in await redis_db.keys("*")]
    cookie = worker_a.cookies.get("coop_session")
    assert keys and not any(cookie in k for k in keys)
