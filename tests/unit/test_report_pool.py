"""The render pool: jobs run in worker processes with a time and a memory limit; a job past
either is ended and its worker replaced, while other jobs go on. And the disk cache."""

from __future__ import annotations

import asyncio
import functools
import time

import pytest

from selfscan.report import jobs
from selfscan.report.cache import ReportCache, cache_key
from selfscan.report.pool import RenderFailed, RenderPool, RenderTimeout, RenderTooLarge


@pytest.fixture
async def pool():
    p = RenderPool(2, time_limit_s=20, memory_limit_mb=1024, warm=False)
    await p.start()
    yield p
    await p.close()


async def test_a_job_runs_in_a_worker_and_returns_its_value(pool):
    assert await pool.run(jobs.sleep_job, 0) == "slept"
    assert await pool.run(jobs.allocate_job, 10) == 10 * 1024 * 1024


async def test_a_job_past_its_time_limit_is_ended_and_the_worker_replaced(pool):
    started = time.perf_counter()
    with pytest.raises(RenderTimeout):
        await pool.run(jobs.sleep_job, 30, time_limit_s=0.3)
    assert time.perf_counter() - started < 5
    assert pool.replaced == 1
    # Both workers work again (the replacement included).
    results = await asyncio.gather(*(pool.run(jobs.sleep_job, 0.05) for _ in range(4)))
    assert results == ["slept"] * 4


async def test_other_jobs_are_served_while_one_is_slow(pool):
    slow = asyncio.create_task(pool.run(jobs.sleep_job, 30, time_limit_s=2))
    await asyncio.sleep(0.1)
    started = time.perf_counter()
    assert await pool.run(jobs.sleep_job, 0) == "slept"
    assert time.perf_counter() - started < 1.5
    assert not slow.done()
    with pytest.raises(RenderTimeout):
        await slow


async def test_a_job_past_its_memory_limit_is_ended_and_the_worker_replaced(pool):
    with pytest.raises(RenderTooLarge):
        await pool.run(jobs.allocate_job, 4096)
    assert pool.replaced == 1
    assert await pool.run(jobs.allocate_job, 10) == 10 * 1024 * 1024


async def test_a_job_that_raises_is_reported_and_the_worker_kept(pool):
    with pytest.raises(RenderFailed, match="ZeroDivisionError"):
        await pool.run(functools.partial(divmod, 1), 0)
    assert pool.replaced == 0


async def test_a_cancelled_caller_gives_up_its_worker(pool):
    task = asyncio.create_task(pool.run(jobs.sleep_job, 30))
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert pool.replaced == 1
    assert await pool.run(jobs.sleep_job, 0) == "slept"


async def test_a_closed_pool_refuses_work():
    p = RenderPool(1, warm=False)
    await p.close()
    with pytest.raises(RenderFailed):
        await p.run(jobs.sleep_job, 0)


def test_cache_round_trip_and_key(tmp_path):
    cache = ReportCache(tmp_path)
    key = cache_key("a" * 64, "2026-1", "tv1", "nl")
    assert cache.get(key) is None
    cache.put(key, b"%PDF-1.7 x")
    assert cache.get(key) == b"%PDF-1.7 x"
    assert not list(tmp_path.rglob("*.part"))
    # Every part of the key counts.
    others = {
        cache_key("b" * 64, "2026-1", "tv1", "nl"),
        cache_key("a" * 64, "2026-2", "tv1", "nl"),
        cache_key("a" * 64, "2026-1", "tv2", "nl"),
        cache_key("a" * 64, "2026-1", "tv1", "en"),
        cache_key("a" * 64, "2026-1", "tv1", "nl", "brand"),
    }
    assert key not in others and len(others) == 5
    assert "a" * 64 not in str(cache.path(key))
