"""Engine set-up, write transactions and the connection pool's lifespan.

Piccolo binds each table to an engine lazily and globally; :func:`use_engine` binds every
registered table (and Piccolo's own migration table) to the engine made from the
settings, so the application, the CLI and the tests all talk to the same database.
"""

from __future__ import annotations

import contextlib
import functools
import io
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

# sqlite3's timeout is SQLite's busy timeout: how long a writer waits for the lock.
SQLITE_BUSY_TIMEOUT_S = 15
POOL_MAX_SIZE = 10

_engine: Engine | None = None


class MigrationError(RuntimeError):
    """A migration failed; the message carries Piccolo's own explanation."""


@functools.cache
def engine_from_url(url: str) -> Engine:
    """One engine per URL and process: Piccolo's engines query the server when made."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        return SQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT_S)
    # asyncpg takes the URL itself; it only knows the postgresql:// and postgres:// schemes.
    return PostgresEngine(config={"dsn": url}, log_queries=False)


def is_sqlite(engine: Engine) -> bool:
    return engine.engine_type == "sqlite"


def prepare_sqlite_file(engine: Engine) -> None:
    """Create the folder and switch the file to WAL, which lets readers run beside a writer.

    WAL is a property of the file, so setting it once when the service starts is enough.
    """
    if not is_sqlite(engine):
        return
    path = Path(engine.path)  # type: ignore[attr-defined]
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_S)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")


def all_tables() -> list[type]:
    from piccolo.apps.migrations.tables import Migration

    from coop.piccolo_conf import APP_REGISTRY

    tables: list[type] = [Migration]
    for app_config in APP_REGISTRY.app_configs.values():
        tables.extend(app_config.table_classes)
    return tables


def use_engine(engine: Engine) -> Engine:
    """Make ``engine`` the one every table and Piccolo's migration runner use."""
    global _engine
    import coop.piccolo_conf as conf

    conf.DB = engine
    for table in all_tables():
        table._meta.db = engine
    _engine = engine
    return engine


def engine() -> Engine:
    if _engine is None:
        raise RuntimeError("no database engine: call coop.db.use_engine() first")
    return _engine


def write_transaction():
    """A transaction for work that writes.

    On SQLite it begins IMMEDIATE, taking the write lock up front: a DEFERRED transaction
    that reads and then writes fails with "database is locked" when another writer got
    there in between. Nested calls return the outer transaction (Piccolo has no
    savepoint here), so a caller's mail and audit rows commit together with its change.
    """
    db = engine()
    if is_sqlite(db):
        return db.transaction(transaction_type=TransactionType.immediate)
    return db.transaction()


async def keep_session(connection: Any) -> None:
    """What a pooled connection needs before its next use: nothing more than asyncpg
    always does (it rolls back a transaction left open). asyncpg's default reset also
    runs ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`` on every
    release, a round trip after each query; the service takes no advisory locks, keeps no
    cursors outside transactions, listens to nothing and sets no session variables."""


@contextlib.asynccontextmanager
async def pool(db: Engine) -> AsyncIterator[None]:
    """Open the connection pool for the life of the application (PostgreSQL only)."""
    if is_sqlite(db):
        yield
        return
    await db.start_connection_pool(  # type: ignore[attr-defined]
        max_size=POOL_MAX_SIZE, reset=keep_session
    )
    try:
        yield
    finally:
        await db.close_connection_pool()  # type: ignore[attr-defined]


async def ping(db: Engine) -> None:
    """Raise when the database does not answer a trivial query."""
    from piccolo.querystring import QueryString

    await db.run_querystring(QueryString("SELECT 1"), in_pool=True)


async def migrate() -> str:
    """Apply every migration that has not run; return Piccolo's report as text."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    prepare_sqlite_file(engine())
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        result = await run_forwards(app_name="all", migration_id="all", fake=False)
    if not result.success:
        raise MigrationError(result.message or output.getvalue())
    return output.getvalue()
