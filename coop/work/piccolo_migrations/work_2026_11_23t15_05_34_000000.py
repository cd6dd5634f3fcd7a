from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-23T15:05:34:000000"
VERSION = "1.38.0"
DESCRIPTION = "Work: a package is in at most one open pooled job"

# A package is in at most one pooled job at a time: the database refuses a second one
# even when two coordinators combine the same package at once. (Piccolo runs raw steps
# before it adds tables, so this is a migration of its own, after the tables.)
STATEMENT = (
    "CREATE UNIQUE INDEX work_pooled_job_package_open "
    "ON work_pooled_job_package (package) WHERE left_at IS NULL"
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="work", description=DESCRIPTION)

    async def one_open_job_per_package() -> None:
        await engine_finder().run_querystring(QueryString(STATEMENT))

    manager.add_raw(one_open_job_per_package)
    return manager
