"""Migrations build, from scratch, exactly the schema the tables declare, on either engine."""

from __future__ import annotations

from pathlib import Path

from piccolo.apps.migrations.tables import Migration

from coop import db
from coop.piccolo_conf import APP_REGISTRY


async def database_columns(tablename: str) -> set[str]:
    engine = db.engine()
    if db.is_sqlite(engine):
        rows = await engine._run_in_new_connection(f'PRAGMA table_info("{tablename}")')
        return {row["name"] for row in rows}
    rows = await engine._run_in_new_connection(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = $1",
        [tablename],
    )
    return {row["column_name"] for row in rows}


async def test_every_table_and_column_exists_after_migrating_from_scratch(migrated):
    # The session database was migrated from nothing by the `migrated` fixture.
    for table in db.all_tables():
        declared = {c._meta.db_column_name for c in table._meta.columns}
        actual = await database_columns(table._meta.tablename)
        assert actual == declared, f"{table.__name__}: schema differs from its migrations"


async def test_every_migration_is_recorded_as_applied(migrated):
    applied = {row["name"] for row in await Migration.select(Migration.name).run()}
    for app_config in APP_REGISTRY.app_configs.values():
        folder = Path(app_config.resolved_migrations_folder_path)
        files = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
        assert files, f"app {app_config.app_name} has no migrations"
        ids = set()
        for path in folder.glob("*.py"):
            for line in path.read_text().splitlines():
                if line.startswith("ID = "):
                    ids.add(line.split('"')[1])
        assert ids <= applied, f"{app_config.app_name}: unapplied migrations {ids - applied}"


async def test_migrating_again_changes_nothing(migrated):
    report = await db.migrate()
    assert "No migrations need to be run" in report
