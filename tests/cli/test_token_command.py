"""``coop token create`` as an operator runs it: a subprocess against the test database,
whose token then works against the API."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from coop.accounts.roles import Role
from coop.accounts.tables import ApiToken, User
from coop.audit.tables import AuditEvent
from tests import factories

COOP = shutil.which("coop") or str(Path(sys.executable).parent / "coop")
TOKEN_RE = re.compile(r"^coop_[0-9a-f]{12}_[A-Za-z0-9_-]{32,}$")


def coop(cwd: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PICCOLO_CONF")},
        "COOP_ENV": "test",
        "DATABASE_URL": database_url,
    }
    return subprocess.run(
        [COOP, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


async def test_create_prints_only_the_token_and_it_works(client, migrated, tmp_path):
    member = await factories.user(Role.MEMBER, email="lid@example.nl")
    result = coop(
        tmp_path,
        migrated,
        "token",
        "create",
        "--email",
        "LID@example.nl",
        "--scope",
        "read",
        "--scope",
        "write",
        "--name",
        "Nachtelijke export",
        "--days",
        "7",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    token = lines[0]
    assert TOKEN_RE.match(token)
    assert "lid@example.nl" in result.stderr and "write" in result.stderr
    assert token not in result.stderr

    row = await ApiToken.select().where(ApiToken.user == member.id).first()
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert row["scope"] == "write"  # write implies read: the widest is stored
    assert row["name"] == "Nachtelijke export"
    assert 6 <= (row["expires_at"] - row["created_at"]).days <= 7

    r = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    assert r.json()["email"] == "lid@example.nl"
    assert r.json()["scope"] == "write"

    events = await AuditEvent.select().where(AuditEvent.action == "token_created")
    assert len(events) == 1
    assert events[0]["actor_email"] == "cli" and events[0]["actor_id"] is None
    assert events[0]["object_id"] == str(row["id"])


async def test_the_default_scope_is_read(client, migrated, tmp_path):
    await factories.user(Role.WSP, email="wsp@example.nl")
    result = coop(tmp_path, migrated, "token", "create", "--email", "wsp@example.nl")
    assert result.returncode == 0, result.stderr
    r = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {result.stdout.strip()}"})
    assert r.json()["scope"] == "read" and r.json()["tenant"] == "wsp-test"


async def test_an_unknown_email_exits_1_and_prints_no_token(migrated, tmp_path):
    result = coop(tmp_path, migrated, "token", "create", "--email", "niemand@example.nl")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "niemand@example.nl" in result.stderr
    assert "Traceback" not in result.stderr
    assert await ApiToken.count() == 0


async def test_a_deactivated_user_gets_no_token(migrated, tmp_path):
    who = await factories.user(Role.MEMBER, email="weg@example.nl")
    await User.update({User.active: False}).where(User.id == who.id)
    result = coop(tmp_path, migrated, "token", "create", "--email", "weg@example.nl")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "deactivated" in result.stderr
    assert await ApiToken.count() == 0


async def test_bad_options_are_refused(migrated, tmp_path):
    await factories.user(Role.MEMBER, email="lid@example.nl")
    for args in (
        ("--scope", "admin"),
        ("--days", "0"),
        ("--days", "367"),
        ("--name", " "),
    ):
        result = coop(tmp_path, migrated, "token", "create", "--email", "lid@example.nl", *args)
        assert result.returncode in (1, 2), (args, result.stderr)
        assert result.stdout == "", args
    assert await ApiToken.count() == 0
