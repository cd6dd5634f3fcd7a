"""Helpers that tests import; fixtures live in conftest.py."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

TEST_BASE_URL = "http://127.0.0.1:8000"


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def pg_admin(url: str, statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(with_database(url, "postgres"))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def register(app, *handlers) -> None:  # type: ignore[no-untyped-def]
    """Add test-only routes to an app once (the default app is shared between tests)."""
    done = app.state.setdefault("test_routes", set())
    for handler in handlers:
        if id(handler) not in done:
            app.register(handler)
            done.add(id(handler))
