from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-23T13:22:32:000000"
VERSION = "1.38.0"
DESCRIPTION = "Member registry: unique KvK number, one contribution per member and year"

# A unique index, not a UNIQUE column: SQLite cannot add a UNIQUE column to an existing
# table. Both engines let several rows have no KvK number (NULL) under a unique index.
STATEMENTS = [
    "CREATE UNIQUE INDEX member_organisation_kvk_number_unique "
    "ON member_organisation (kvk_number)",
    "CREATE UNIQUE INDEX member_contribution_organisation_year_unique "
    "ON member_contribution (organisation, year)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="members", description=DESCRIPTION)

    async def unique_indexes() -> None:
        engine = engine_finder()
        for statement in STATEMENTS:
            await engine.run_querystring(QueryString(statement))

    manager.add_raw(unique_indexes)
    return manager
