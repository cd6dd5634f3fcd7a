"""The pooling suggestion: which open packages fit beside one package, at 200, 2,000 and
20,000 open packages (issue 9: the time must grow no worse than linearly).

Run from the repository root::

    .venv/bin/python bench/pooling.py [--sizes 200 2000 20000] [--repeat 7]
                                      [--database-url postgresql://127.0.0.1/test]

For each size it makes a fresh database (a temporary SQLite file, or with
``--database-url`` a PostgreSQL database ``coop_bench_<random>`` that is dropped
afterwards), migrates it, adds 200 active members and N offered packages, and times:

- ``rules``: :func:`coop.work.rules.candidates` alone over all N packages (pure Python);
- ``same municipality``: :func:`coop.work.repository.suggestions` for one package when
  every package lies in its municipality (the worst case: the query cannot narrow
  anything down), end to end: the query, the rules and the rows of the first page (50)
  of the candidates, as the API answers it;
- ``spread``: the same when the packages are spread over the 20 municipalities of two
  labour-market regions, with ``accept_region`` on (the realistic case).

It prints the median of ``--repeat`` runs in milliseconds and the time per open package
in microseconds: a constant time per package means linear growth.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's http package: take this folder off
# sys.path before the other imports, hence the file-wide E402.
# ruff: noqa: E402
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse
import asyncio
import os
import secrets
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from urllib.parse import urlsplit, urlunsplit

os.environ["PICCOLO_CONF"] = os.environ.get("PICCOLO_CONF") or "coop.piccolo_conf"
os.environ.setdefault("COOP_ENV", "test")

MEMBERS = 200
DAYS = ("ma", "di", "wo", "do", "vr")


async def _pg_admin(url: str, statement: str) -> None:
    import asyncpg

    parts = urlsplit(url)
    conn = await asyncpg.connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def seed(n: int, *, spread: bool) -> int:
    """200 active members and n offered packages; returns the id of the package to ask about."""
    from coop import db
    from coop.members.tables import Organisation
    from coop.reference import regions
    from coop.work import repository, rules
    from coop.work.tables import WorkPackage

    municipalities = [m for m in regions.municipalities() if m.region.code in ("AM01", "AM02")][:20]
    now = datetime.now(UTC)
    async with db.write_transaction():
        org_ids = []
        for i in range(MEMBERS):
            rows = await Organisation.insert(
                Organisation(
                    name=f"Lid {i}",
                    created_at=now,
                    status="actief",
                    municipality_code=municipalities[0].code,
                )
            )
            org_ids.append(rows[0]["id"])
        batch = []
        for i in range(n):
            place = municipalities[i % len(municipalities)] if spread else municipalities[0]
            day = DAYS[i % 5]
            start = 8 * 60 + 60 * (i % 7)
            slots = [rules.Slot(day, start, start + 180)]
            if i % 3 == 0:
                slots.append(rules.Slot(DAYS[(i + 2) % 5], 13 * 60, 16 * 60))
            batch.append(
                WorkPackage(
                    organisation=org_ids[i % MEMBERS],
                    title=f"Pakket {i}",
                    tasks="Taken",
                    minutes_per_week=rules.schedule_minutes(slots),
                    schedule=repository.encode_slots(slots),
                    municipality_code=place.code,
                    region_code=place.region.code,
                    start_date=date(2026, 1 + i % 12, 1),
                    status="aangeboden",
                    created_at=now,
                    updated_at=now,
                )
            )
            if len(batch) == 500:
                await WorkPackage.insert(*batch)
                batch = []
        if batch:
            await WorkPackage.insert(*batch)
    first = await WorkPackage.select(WorkPackage.id).order_by(WorkPackage.id).first()
    return first["id"]


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


async def clear() -> None:
    from coop.members.tables import Organisation
    from coop.work.tables import Place, PooledJob, WorkPackage

    for table in (Place, PooledJob, WorkPackage, Organisation):
        await table.delete(force=True)


async def measure(n: int, repeat: int) -> dict[str, float]:
    from coop.accounts.principal import Principal
    from coop.accounts.roles import Role
    from coop.work import repository, rules

    staff = Principal(user_id=1, email="bench@coop.test", name="Bench", role=Role.COORDINATOR)
    results: dict[str, float] = {}
    for spread in (False, True):
        await clear()
        package_id = await seed(n, spread=spread)
        if not spread:
            base = repository.as_package(await repository.package(staff, package_id))
            others = await repository.open_packages()
            timings = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                rules.candidates(base, others)
                timings.append(time.perf_counter() - t0)
            results["rules"] = median_ms(timings)
        timings = []
        found = 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            _base, _rows, found = await repository.suggestions(
                staff, package_id, accept_region=spread
            )
            timings.append(time.perf_counter() - t0)
        key = "spread" if spread else "same municipality"
        results[key] = median_ms(timings)
        results[key + " found"] = found
    return results


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    kind = "PostgreSQL" if args.database_url else "SQLite"
    print(f"pooling suggestion for one package, {kind}, median of {args.repeat} runs")
    header = (
        f"{'open packages':>14}  {'rules ms':>9}  {'same mun. ms':>12}  {'found':>6}  "
        f"{'µs/package':>10}  {'spread ms':>9}  {'found':>6}  {'µs/package':>10}"
    )
    from coop import db

    with tempfile.TemporaryDirectory() as folder:
        name = None
        if args.database_url:
            name = f"coop_bench_{secrets.token_hex(4)}"
            await _pg_admin(args.database_url, f'CREATE DATABASE "{name}"')
            url = urlunsplit(urlsplit(args.database_url)._replace(path=f"/{name}"))
        else:
            url = f"sqlite:///{folder}/bench.sqlite"
        # Some migrations find the engine through the environment, as the CLI does.
        os.environ["DATABASE_URL"] = url
        engine = db.use_engine(db.engine_from_url(url))
        try:
            await db.migrate()
            async with db.pool(engine):
                print(header)
                for n in args.sizes:
                    r = await measure(n, args.repeat)
                    print(
                        f"{n:>14,}  {r['rules']:>9.2f}  {r['same municipality']:>12.2f}  "
                        f"{int(r['same municipality found']):>6}  "
                        f"{r['same municipality'] * 1000 / n:>10.2f}  {r['spread']:>9.2f}  "
                        f"{int(r['spread found']):>6}  {r['spread'] * 1000 / n:>10.2f}",
                        flush=True,
                    )
        finally:
            if name:
                await _pg_admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
