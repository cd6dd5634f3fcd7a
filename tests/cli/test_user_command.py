"""``coop user create`` as an operator runs it: a subprocess on the test database, the
password typed twice on stdin, or ``--invite``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coop.accounts import passwords
from coop.accounts.tables import User
from coop.audit.tables import AuditEvent
from coop.mail.tables import OutboxMail
from tests import factories
from tests.support import TEST_BASE_URL

COOP = shutil.which("coop") or str(Path(sys.executable).parent / "coop")
PASSWORD = "lange zin met vier woorden"


@pytest.fixture
def coop(migrated: str, tmp_path: Path):
    def run(*args: str, input: str = "") -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PICCOLO_CONF",)}
        env.update(
            {
                "COOP_ENV": "test",
                "DATABASE_URL": migrated,
                "BASE_URL": TEST_BASE_URL,
                "LOG_LEVEL": "WARNING",
            }
        )
        return subprocess.run(
            [COOP, "user", "create", *args],
            cwd=tmp_path,
            env=env,
            input=input,
            capture_output=True,
            text=True,
            timeout=120,
            start_new_session=True,  # no terminal: the password comes from stdin
        )

    return run


async def the_user(email: str) -> dict | None:
    return await User.select().where(User.email == email).first()


async def test_admin_with_the_password_typed_twice(coop):
    result = coop(
        "--email", "Bea@Example.nl", "--role", "admin", "--name", "Bea Beheer",
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    user = await the_user("bea@example.nl")
    assert user is not None
    assert user["role"] == "admin" and user["name"] == "Bea Beheer" and user["active"]
    assert await passwords.verify_password(user["password_hash"], PASSWORD)
    assert f"Made user {user['id']}: bea@example.nl (admin)." in result.stdout
    assert "second factor" in result.stdout
    assert PASSWORD not in result.stdout + result.stderr
    [event] = await AuditEvent.select().where(AuditEvent.action == "user_created")
    assert event["actor_email"] == "cli" and event["object_id"] == str(user["id"])
    assert event["detail"] == "role admin"
    assert await OutboxMail.count() == 0


async def test_member_of_an_organisation(coop):
    organisation = await factories.organisation("Bakkerij Bol")
    result = coop(
        "--email", "lid@example.nl", "--role", "member", "--organisation", str(organisation),
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f'(member, organisation {organisation} "Bakkerij Bol").' in result.stdout
    user = await the_user("lid@example.nl")
    assert user["organisation"] == organisation and user["tenant"] is None


async def test_wsp_of_a_tenant(coop):
    tenant = await factories.tenant("wsp-zuid", "WSP Zuid")
    result = coop(
        "--email", "w@example.nl", "--role", "wsp", "--tenant", "wsp-zuid",
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (await the_user("w@example.nl"))["tenant"] == tenant


async def test_different_passwords_ask_again(coop):
    result = coop(
        "--email", "c@example.nl", "--role", "coordinator",
        input=f"{PASSWORD}\n{PASSWORD}x\n{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "The two passwords are not the same" in result.stderr
    user = await the_user("c@example.nl")
    assert await passwords.verify_password(user["password_hash"], PASSWORD)


async def test_different_passwords_until_the_input_ends_fail_clearly(coop):
    result = coop("--email", "c@example.nl", "--role", "coordinator", input="een\ntwee\n")
    assert result.returncode == 1
    assert "nothing was made" in result.stderr
    assert "Traceback" not in result.stderr
    assert await the_user("c@example.nl") is None


async def test_weak_password_is_refused_with_the_reason(coop):
    result = coop(
        "--email", "c@example.nl", "--role", "coordinator",
        input="kort\nwachtwoord1234\nwachtwoord1234\n",
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.count("This password is refused:") == 3
    assert "12" in result.stderr  # the minimum length is named
    assert await the_user("c@example.nl") is None


async def test_invite_mails_a_link_instead(coop):
    result = coop("--email", "nieuw@example.nl", "--role", "admin", "--name", "Nel", "--invite")
    assert result.returncode == 0, result.stderr
    assert "Invitation mailed to nieuw@example.nl" in result.stdout
    assert "72 hours" in result.stdout
    user = await the_user("nieuw@example.nl")
    assert user["password_hash"] is None
    [mail] = await OutboxMail.select()
    assert mail["recipient"] == "nieuw@example.nl" and mail["kind"] == "invitation"
    assert f"{TEST_BASE_URL}/wachtwoord-instellen/" in mail["body_text"]
    [event] = await AuditEvent.select().where(AuditEvent.action == "user_created")
    assert event["detail"] == "role admin, invitation mailed"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "member"], "needs --organisation"),
        (["--role", "wsp"], "needs --tenant"),
        (["--role", "admin", "--organisation", "1"], "only for the role member"),
        (["--role", "coordinator", "--tenant", "x"], "only for the role wsp"),
        (["--role", "member", "--organisation", "424242"], "no organisation with id 424242"),
        (["--role", "wsp", "--tenant", "bestaat-niet"], "no tenant 'bestaat-niet'"),
        (["--role", "koning"], "'koning' is not one of"),
    ],
)
async def test_usage_errors_exit_with_2(coop, args, message):
    result = coop("--email", "x@example.nl", *args, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert await the_user("x@example.nl") is None


async def test_bad_address_is_a_usage_error(coop):
    result = coop("--email", "geen-adres", "--role", "admin", "--invite")
    assert result.returncode == 2
    assert "not an e-mail address" in result.stderr


async def test_existing_address_exits_with_1_before_asking_a_password(coop):
    existing = await factories.user("admin", email="bestaat@example.nl")
    result = coop("--email", "BESTAAT@example.nl", "--role", "admin", input="")
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert "Password" not in result.stderr
    assert await User.count() == 1
    assert existing.id
