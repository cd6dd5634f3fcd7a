from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-23T13:56:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Member registry: indexes for the sort orders of the member list"

# The list sorts by name, number of employees or date of joining and shows 50 rows: with
# an index the database reads those 50 in order instead of sorting every member.
STATEMENTS = [
    "CREATE INDEX member_organisation_name_sort ON member_organisation (name, id)",
    "CREATE INDEX member_organisation_employees_sort "
    "ON member_organisation (employees, id)",
    "CREATE INDEX member_organisation_created_sort ON member_organisation (created_at, id)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="members", description=DESCRIPTION)

    async def sort_indexes() -> None:
        engine = engine_finder()
        for statement in STATEMENTS:
            await engine.run_querystring(QueryString(statement))

    manager.add_raw(sort_indexes)
    return manager
