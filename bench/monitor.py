"""The monitor and the banenafspraak count at 1x, 2x and 4x a cooperative's data.

Run from the repository root, with a PostgreSQL server whose URL may create databases::

    .venv/bin/python bench/monitor.py [--database-url postgresql://127.0.0.1/test]
                                      [--scales 1,2,4] [--repeat 5]

1x is 500 members (1,000 places), 5,000 participants and 8,000 placements over three
years (2024-2026, 5% of them pooled over two or three members, most with wage values),
plus 35 WSPs with 3,000 completed scans and 300 leads. For each scale the script empties
the tables, writes that data with bulk inserts (COPY), runs ``VACUUM ANALYZE``, and
measures in-process (no network, no HTTP server, one coordinator logged in through the
pages):

- count:   ``coop.banenafspraak.repository.counts(2026)`` for every member;
- monitor: ``GET /monitor?van=2026-01-01&tot=2026-12-31`` (all sections, all regions),
           through the whole app (middleware, session, templates), with the number of
           queries it ran;

each the median of ``--repeat`` runs after one warm-up, in milliseconds (wall time, and
the CPU time of this process, steadier on a shared machine), and the growth against 1x;
requests per second is 1000 / the monitor's wall time (one request at a time). It
creates its own database (``coop_bench_monitor_<random>``) and drops it at the end, also
on Ctrl-C. A run takes about a minute and a half on two cores.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/http.py would shadow the standard library's http package: take this folder off
# sys.path before importing anything that needs it (httpx does).
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
import httpx  # noqa: E402

MEMBERS, PARTICIPANTS, PLACEMENTS = 500, 5_000, 8_000
TENANTS, SCANS, LEADS = 35, 3_000, 300
FIRST, LAST = date(2024, 1, 1), date(2026, 12, 31)
TODAY = date(2026, 12, 8)
REASONS = [
    "vast_contract_bij_lid",
    "regulier_werk_elders",
    "terug_naar_gemeente",
    "uitgevallen",
    "anders",
]
KINDS = [  # place type, employment model, paid
    ("betaalde_baan", "a", True),
    ("betaalde_baan", "b", True),
    ("proefplaatsing", "d", False),
    ("participatieplaats", "d", False),
    ("beschut_werk", "e", True),
]
TABLES = [
    "placement_wage_value",
    "placement_member",
    "placement",
    "work_place",
    "participant",
    "selfscan_lead",
    "selfscan_scan",
    "selfscan_tenant",
    "audit_event",
    "member_organisation",
]


def with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


async def admin(url: str, statement: str) -> None:
    conn = await asyncpg.connect(with_database(url, "postgres"))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def migrate(url: str, workdir: Path) -> None:
    env = {**os.environ, "COOP_ENV": "test", "DATABASE_URL": url}
    subprocess.run(
        [str(Path(sys.executable).parent / "coop"), "migrate"], env=env, cwd=workdir, check=True
    )


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


async def seed(url: str, scale: int) -> None:
    """Empty the tables the monitor reads and fill them for ``scale`` times 1x, in bulk."""
    from coop.reference import regions

    rng = random.Random(20261208 + scale)  # test data, not secrets
    municipalities = regions.municipalities()
    now = datetime.now(UTC)
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("TRUNCATE " + ", ".join(TABLES) + " RESTART IDENTITY CASCADE")
        members = MEMBERS * scale
        member_town = [rng.choice(municipalities) for _ in range(members)]
        await conn.copy_records_to_table(
            "member_organisation",
            records=[
                (n + 1, f"Lid {n + 1:05d}", m.code, "actief", now)
                for n, m in enumerate(member_town)
            ],
            columns=["id", "name", "municipality_code", "status", "created_at"],
        )
        places = []
        for n in range(members):
            town = member_town[n]
            for kind, model, _paid in (KINDS[0], rng.choice(KINDS[1:])):
                places.append(
                    (
                        len(places) + 1,
                        n + 1,
                        kind,
                        model,
                        f"Plaats {len(places) + 1}",
                        rng.randint(1, 4),
                        rng.choice([900, 1200, 1530]),
                        town.code,
                        town.region.code,
                        FIRST - timedelta(days=rng.randint(0, 400)),
                        "open",
                        now,
                        now,
                    )
                )
        await conn.copy_records_to_table(
            "work_place",
            records=places,
            columns=[
                "id", "organisation", "place_type", "employment_model", "title", "capacity",
                "minutes_per_week", "municipality_code", "region_code", "start_date", "status",
                "created_at", "updated_at",
            ],
        )  # fmt: skip
        participants = PARTICIPANTS * scale
        people = []
        for n in range(participants):
            start = _day(rng, date(2018, 1, 1), date(2026, 6, 30))
            end = start + timedelta(days=rng.randint(365, 2000)) if rng.random() < 0.1 else None
            people.append(
                (
                    n + 1,
                    f"B{n + 1:08d}",
                    "geplaatst",
                    rng.choice(municipalities).code,
                    rng.random() < 0.85,
                    start,
                    end,
                    rng.random() < 0.05,
                    now,
                )
            )
        await conn.copy_records_to_table(
            "participant",
            records=people,
            columns=[
                "id", "code", "status", "municipality_code", "register_in", "register_start",
                "register_end", "register_provision", "created_at",
            ],
        )  # fmt: skip
        placements, shares, wages = [], [], []
        for n in range(PLACEMENTS * scale):
            place = rng.choice(places)
            start = _day(rng, FIRST, LAST)
            minutes = rng.choice([600, 900, 1200, 1530, 1800])
            paid = next(p for k, m, p in KINDS if (k, m) == (place[2], place[3]))
            if start > TODAY:
                status, end, reason = "gepland", None, None
            elif rng.random() < 0.45:
                end = min(start + timedelta(days=rng.randint(30, 700)), TODAY)
                status, reason = "beeindigd", rng.choice(REASONS)
            else:
                status, end, reason = "actief", None, None
            placement_id = n + 1
            placements.append(
                (
                    placement_id,
                    rng.randint(1, participants),
                    place[0],
                    status,
                    place[3],
                    paid,
                    minutes,
                    start,
                    end,
                    reason,
                    now,
                    now,
                )
            )
            if rng.random() < 0.05:  # pooled over two or three members
                others = rng.sample(range(1, members + 1), rng.randint(2, 3))
                part = minutes // len(others)
                shares.extend((placement_id, m, part) for m in others)
            else:
                shares.append((placement_id, place[1], minutes))
            if status != "gepland":
                measured, percent = start, Decimal(rng.randint(25, 60))
                for _ in range(rng.randint(0, 3)):
                    wages.append(
                        (placement_id, measured, percent, measured + timedelta(days=365), now)
                    )
                    measured += timedelta(days=rng.randint(120, 240))
                    percent = min(Decimal(100), percent + rng.randint(-3, 10))
                    if measured > (end or TODAY):
                        break
        await conn.copy_records_to_table(
            "placement",
            records=placements,
            columns=[
                "id", "participant", "place", "status", "employment_model", "paid",
                "minutes_per_week", "start_date", "end_date", "exit_reason", "created_at",
                "updated_at",
            ],
        )  # fmt: skip
        await conn.copy_records_to_table(
            "placement_member",
            records=shares,
            columns=["placement", "organisation", "minutes_per_week"],
        )
        await conn.copy_records_to_table(
            "placement_wage_value",
            records=wages,
            columns=["placement", "measured_on", "percent", "next_due", "recorded_at"],
        )
        regions_list = regions.regions()
        await conn.copy_records_to_table(
            "selfscan_tenant",
            records=[
                (n + 1, f"wsp-{n + 1}", f"WSP {r.name}", True, r.code, now)
                for n, r in enumerate(regions_list[:TENANTS])
            ],
            columns=["id", "slug", "name", "active", "region_code", "created_at"],
        )
        scans = []
        for n in range(SCANS * scale):
            at = datetime.combine(_day(rng, FIRST, TODAY), datetime.min.time(), UTC)
            scans.append(
                (n + 1, secrets.token_hex(32), rng.randint(1, TENANTS), "2026-1", "completed",
                 at, at, at, at + timedelta(days=30))
            )  # fmt: skip
        await conn.copy_records_to_table(
            "selfscan_scan",
            records=scans,
            columns=[
                "id", "token_hash", "tenant", "version", "status", "created_at", "updated_at",
                "completed_at", "expires_at",
            ],
        )  # fmt: skip
        await conn.copy_records_to_table(
            "selfscan_lead",
            records=[
                (s[2], s[0], secrets.token_hex(32), s[5], s[5], s[5])
                for s in rng.sample(scans, LEADS * scale)
            ],
            columns=["tenant", "scan", "withdraw_hash", "consented_at", "created_at", "updated_at"],
        )
        for table in ("work_place", "participant", "placement", "selfscan_tenant", "selfscan_scan"):
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        await conn.execute("SELECT setval('member_organisation_id_seq', $1)", members)
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def running(app) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    started, stop = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with app.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(hold())
    await started.wait()
    try:
        yield
    finally:
        stop.set()
        await task


async def timed(action, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median wall time and median CPU time of this process, in ms. On a shared machine
    the CPU time is the steadier figure: it leaves out waiting for other processes (but
    also PostgreSQL's own work, which the wall time includes)."""
    await action()  # warm-up
    wall, cpu = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        await action()
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


async def measure(
    url: str, workdir: Path, repeat: int
) -> tuple[tuple[float, float], tuple[float, float], int]:
    from coop import db
    from coop.accounts.roles import Role
    from coop.app import create_app
    from coop.banenafspraak import repository as banenafspraak
    from coop.settings import from_env
    from tests import factories

    env = {
        "COOP_ENV": "test",
        "DATABASE_URL": url,
        "BASE_URL": "http://127.0.0.1:8000",
        "RATE_LIMIT_PER_MINUTE": "0",
        "LOG_LEVEL": "WARNING",
    }
    app = create_app(from_env(env, data_dir=workdir / "data"))
    async with running(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url=env["BASE_URL"]) as client:
            coordinator = await factories.user(Role.COORDINATOR)
            await factories.login(client, coordinator)

            async def count() -> None:
                found = await banenafspraak.counts(2026, as_of=date(2026, 12, 31))
                assert len(found) > 1

            async def page() -> None:
                r = await client.get("/monitor?van=2026-01-01&tot=2026-12-31")
                assert r.status_code == 200, r.text[:500]

            count_ms = await timed(count, repeat)
            page_ms = await timed(page, repeat)
            engine = db.engine()
            original = type(engine).run_querystring
            seen: list[str] = []

            async def counting(self, querystring, *args, **kwargs):  # type: ignore[no-untyped-def]
                seen.append(str(querystring))
                return await original(self, querystring, *args, **kwargs)

            type(engine).run_querystring = counting  # type: ignore[method-assign]
            try:
                await page()
            finally:
                type(engine).run_querystring = original  # type: ignore[method-assign]
    return count_ms, page_ms, len(seen)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", "postgresql://127.0.0.1/test")
    )
    parser.add_argument("--scales", default="1,2,4")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not args.database_url.startswith(("postgresql://", "postgres://")):
        parser.error("the monitor's benchmark needs PostgreSQL")
    return args


def main() -> int:
    args = parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    name = f"coop_bench_monitor_{secrets.token_hex(4)}"
    url = with_database(args.database_url, name)
    asyncio.run(admin(args.database_url, f'CREATE DATABASE "{name}"'))
    rows = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            workdir = Path(folder)
            migrate(url, workdir)
            for scale in scales:
                began = time.perf_counter()
                asyncio.run(seed(url, scale))
                seeded = time.perf_counter() - began
                count, page, queries = asyncio.run(measure(url, workdir, args.repeat))
                rows.append((scale, count, page, queries))
                print(
                    f"{scale}x: seeded in {seeded:.1f} s; count {count[0]:.0f} ms "
                    f"(cpu {count[1]:.0f}), monitor {page[0]:.0f} ms (cpu {page[1]:.0f}), "
                    f"{queries} queries",
                    flush=True,
                )
    finally:
        asyncio.run(admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    (base_count, base_count_cpu), (base_page, base_page_cpu) = rows[0][1], rows[0][2]
    print()
    print(
        f"{'scale':>5}  {'members':>7}  {'placements':>10}  {'count ms':>8}  {'x':>5}  "
        f"{'cpu ms':>6}  {'x':>5}  {'monitor ms':>10}  {'x':>5}  {'cpu ms':>6}  {'x':>5}  "
        f"{'req/s':>6}  {'queries':>7}"
    )
    for scale, (count, count_cpu), (page, page_cpu), queries in rows:
        print(
            f"{scale:>4}x  {MEMBERS * scale:>7}  {PLACEMENTS * scale:>10}  {count:>8.0f}  "
            f"{count / base_count:>5.2f}  {count_cpu:>6.0f}  {count_cpu / base_count_cpu:>5.2f}  "
            f"{page:>10.0f}  {page / base_page:>5.2f}  {page_cpu:>6.0f}  "
            f"{page_cpu / base_page_cpu:>5.2f}  {1000 / page:>6.2f}  {queries:>7}"
        )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
