"""Test set-up shared by every suite.

The whole suite runs on SQLite by default and on PostgreSQL when ``DATABASE_URL`` names
one: then it creates a database of its own (``coop_test_<random>``), and drops it at the
end, so two runs never share state. Each test starts from empty tables.

The app runs in the test's own event loop through httpx's ASGI transport (Litestar's
TestClient would run it in another thread and loop, where a PostgreSQL pool made here
cannot be used), with its lifespan entered explicitly.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager

import httpx
import pytest

os.environ["COOP_ENV"] = "test"
os.environ.setdefault("PICCOLO_CONF", "coop.piccolo_conf")

from tests.support import TEST_BASE_URL, pg_admin, with_database


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgresql://", "postgres://")):
        name = f"coop_test_{secrets.token_hex(4)}"
        asyncio.run(pg_admin(given, f'CREATE DATABASE "{name}"'))
        # A test database need not survive a crash: not waiting for each commit's WAL
        # flush makes the many small transactions of the suite several times faster.
        asyncio.run(pg_admin(given, f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        url = with_database(given, name)
        os.environ["DATABASE_URL"] = url
        try:
            yield url
        finally:
            os.environ["DATABASE_URL"] = given
            asyncio.run(pg_admin(given, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    else:
        path = tmp_path_factory.mktemp("db") / "coop.sqlite"
        url = f"sqlite:///{path}"
        os.environ["DATABASE_URL"] = url
        yield url


@pytest.fixture(scope="session")
async def migrated(database_url: str) -> str:
    from coop import db

    db.use_engine(db.engine_from_url(database_url))
    await db.migrate()
    return database_url


def _app_tables() -> list[type]:
    from piccolo.apps.migrations.tables import Migration

    from coop import db

    return [t for t in db.all_tables() if t is not Migration]


@pytest.fixture(autouse=True)
async def clean_database(request: pytest.FixtureRequest) -> None:
    """Empty every table before each test that touches the database."""
    if "migrated" not in request.fixturenames:
        return
    from coop import db

    db.use_engine(db.engine_from_url(request.getfixturevalue("migrated")))
    engine = db.engine()
    names = [t._meta.tablename for t in _app_tables()]
    if not names:
        return
    if db.is_sqlite(engine):
        # One plain connection, where foreign keys are off, so the order does not matter.
        with contextlib.closing(sqlite3.connect(engine.path)) as conn:
            for name in names:
                conn.execute(f'DELETE FROM "{name}"')  # noqa: S608
            conn.commit()
    else:
        # TRUNCATE costs about 20 ms per table however empty it is, and most tests touch
        # a few of ~50 tables: empty only those that hold rows or whose ids were used.
        with_rows = " UNION ALL ".join(
            f"SELECT '{n}' AS name WHERE EXISTS (SELECT 1 FROM \"{n}\")"  # noqa: S608
            for n in names
        )
        rows = await engine._run_in_new_connection(with_rows)
        rows += await engine._run_in_new_connection(USED_IDS)
        used = sorted({row["name"] for row in rows} & set(names))
        if used:
            quoted = ", ".join(f'"{n}"' for n in used)
            await engine._run_in_new_connection(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")


# Tables whose id sequence handed out a value (last_value not null): their next id would
# no longer be 1, even when their rows were deleted again.
USED_IDS = (
    "SELECT t.relname AS name FROM pg_sequences s "
    "JOIN pg_class c ON c.relname = s.sequencename AND c.relkind = 'S' "
    "JOIN pg_depend d ON d.objid = c.oid AND d.deptype IN ('a', 'i') "
    "JOIN pg_class t ON t.oid = d.refobjid "
    "WHERE s.schemaname = 'public' AND s.last_value IS NOT NULL"
)


@pytest.fixture
def make_settings(migrated: str, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., object]:
    """Settings as the environment would give them, for the test database."""
    from coop.settings import from_env

    def make(**overrides: str):
        env = {"COOP_ENV": "test", "DATABASE_URL": migrated, "BASE_URL": TEST_BASE_URL}
        env.update({k.upper(): v for k, v in overrides.items()})
        return from_env(env, data_dir=tmp_path_factory.getbasetemp() / "data")

    return make


@pytest.fixture
def settings(make_settings):  # type: ignore[no-untyped-def]
    return make_settings()


@asynccontextmanager
async def running(app) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    """Enter and leave the app's lifespan in one task of its own.

    The lifespan holds anyio task groups, which must be left in the task that entered
    them; pytest-asyncio may set up and tear down a fixture in different tasks.
    """
    started = asyncio.Event()
    stop = asyncio.Event()

    async def hold() -> None:
        async with app.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(hold())
    waiter = asyncio.create_task(started.wait())
    await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        waiter.cancel()
        task.result()  # raises the lifespan's error
    try:
        yield
    finally:
        stop.set()
        await task


@pytest.fixture
def make_client(make_settings) -> Callable[..., object]:  # type: ignore[no-untyped-def]
    """``async with make_client(COOP_ENV=...) as client``: an app with its own settings."""
    from coop.app import create_app

    @asynccontextmanager
    async def make(
        base_url: str | None = None, **overrides: str
    ) -> AsyncIterator[httpx.AsyncClient]:
        if base_url:
            overrides.setdefault("BASE_URL", base_url)
        app = create_app(make_settings(**overrides))
        async with running(app):
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
            async with httpx.AsyncClient(
                transport=transport, base_url=base_url or TEST_BASE_URL
            ) as client:
                client.app = app  # type: ignore[attr-defined]
                yield client

    return make


@pytest.fixture(scope="session")
async def shared_app(migrated: str, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One running app with the default test settings, for every test that needs no
    settings of its own: building a Litestar app costs a few hundred milliseconds."""
    from coop.app import create_app
    from coop.settings import from_env

    env = {"COOP_ENV": "test", "DATABASE_URL": migrated, "BASE_URL": TEST_BASE_URL}
    app = create_app(from_env(env, data_dir=tmp_path_factory.getbasetemp() / "data"))
    async with running(app):
        yield app


@pytest.fixture
async def client(shared_app) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """A fresh browser, as it were: no cookies, and the app's stores (sessions, rate-limit
    and login counters) emptied, so no test sees another's state."""
    from coop import db

    db.use_engine(db.engine_from_url(shared_app.state["settings"].database_url))
    for name in ("sessions", "rate_limit", "throttle"):
        await shared_app.stores.get(name).delete_all()
    transport = httpx.ASGITransport(app=shared_app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url=TEST_BASE_URL) as c:
        c.app = shared_app  # type: ignore[attr-defined]
        yield c
