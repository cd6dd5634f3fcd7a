"""Data the self-scan brings: the default tenant (a data migration) and the demo scans."""

from __future__ import annotations

import importlib
from collections import Counter

from selfscan.scans import demo, repository, service
from selfscan.scans.tables import Scan
from selfscan.tenants.tables import Tenant
from tests.scans import THEMES

DATA_MIGRATION = "selfscan.tenants.piccolo_migrations.tenants_2026_11_23t13_20_00_000000"


async def test_the_data_migration_makes_the_default_tenant_once(migrated):
    module = importlib.import_module(DATA_MIGRATION)
    for _ in range(2):  # idempotent
        manager = await module.forwards()
        await manager.run()
    rows = await Tenant.select().where(Tenant.slug == "coop")
    assert len(rows) == 1
    assert rows[0]["name"] == "Coöperatie Inclusief Werk" and rows[0]["active"]


async def test_demo_scans_are_spread_so_the_benchmark_shows(migrated):
    lines = await demo.load("coop", "Coöperatie Inclusief Werk")
    assert "200 demo scans added" in lines[0]
    rows = await Scan.select(Scan.size_class, Scan.sector, Scan.status, Scan.source)
    assert len(rows) == 200
    assert {r["status"] for r in rows} == {"completed"} and {r["source"] for r in rows} == {"demo"}
    sizes = Counter(r["size_class"] for r in rows)
    assert set(sizes) == {"micro", "small", "medium", "large"}
    assert min(sizes.values()) >= 2 * service.PEER_MINIMUM
    assert len({r["sector"] for r in rows}) >= 8
    # Every size class can be compared with.
    for size in sizes:
        stats = await repository.peer_averages(size, 0)
        assert set(stats) == {t.id for t in THEMES}
        assert all(count >= service.PEER_MINIMUM for _mean, count in stats.values())
    # Idempotent, and the same again from scratch (a fixed seed).
    assert "already there" in (await demo.load("coop", "Coöperatie Inclusief Werk"))[0]
    assert await Scan.count() == 200
    overall = sorted(r["overall"] for r in await Scan.select(Scan.overall))
    await Scan.delete(force=True)
    await demo.load("coop", "Coöperatie Inclusief Werk")
    assert sorted(r["overall"] for r in await Scan.select(Scan.overall)) == overall
