from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-23T16:12:44:000000"
VERSION = "1.38.0"
DESCRIPTION = "Allocation: a slot of a place is held by one placement at most"

# A place of capacity n has slots 0..n-1; a planned or active placement holds one of them
# (``slot``), a placement that no longer does has NULL there. Unique per place, so two
# coordinators (or 50 API calls) can never book the same last slot. NULLs never collide,
# on SQLite and PostgreSQL alike. (Piccolo runs raw steps before it adds tables, so this is
# a migration of its own, after the tables.)
STATEMENT = "CREATE UNIQUE INDEX placement_place_slot ON placement (place, slot)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="allocation", description=DESCRIPTION)

    async def one_placement_per_slot() -> None:
        await engine_finder().run_querystring(QueryString(STATEMENT))

    manager.add_raw(one_placement_per_slot)
    return manager
