"""Health endpoints: live answers while the process runs; ready only while the database answers."""

from __future__ import annotations

import secrets
import shutil

from tests.support import pg_admin, with_database


async def test_live(client):
    r = await client.get("/health/live")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


async def test_ready_when_the_database_answers(client):
    r = await client.get("/health/ready")
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "ok"}


async def test_ready_is_503_problem_when_the_database_is_gone(make_client, migrated, tmp_path):
    if migrated.startswith("sqlite"):
        folder = tmp_path / "gone"
        folder.mkdir()
        url = f"sqlite:///{folder}/coop.sqlite"
        async with make_client(DATABASE_URL=url) as client:
            assert (await client.get("/health/ready")).status_code == 200
            shutil.rmtree(folder)
            r = await client.get("/health/ready")
            live = await client.get("/health/live")
    else:
        name = f"coop_gone_{secrets.token_hex(4)}"
        await pg_admin(migrated, f'CREATE DATABASE "{name}"')
        try:
            async with make_client(DATABASE_URL=with_database(migrated, name)) as client:
                assert (await client.get("/health/ready")).status_code == 200
                await pg_admin(migrated, f'DROP DATABASE "{name}" WITH (FORCE)')
                r = await client.get("/health/ready")
                live = await client.get("/health/live")
        finally:
            await pg_admin(migrated, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == 503 and body["code"] == "database_unavailable"
    assert r.headers["retry-after"]
    assert live.status_code == 200
