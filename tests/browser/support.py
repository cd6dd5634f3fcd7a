"""What the browser tests share: the live server's database, logging in, and a coordinator
of a test file's own.

A TOTP code is good once per time step and the demo coordinator can set up its second
factor only once, so each file that needs a coordinator makes one of its own (another
address) with ``coop user create``, sets up the second factor in the browser once per
session, and starts every test's context from that login's cookies.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pyotp
import pytest

VIEWPORT = {"width": 1280, "height": 900}


def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live server's SQLite file (conftest's ``live_server`` makes it under a
    ``live*`` folder of this run's temporary directory)."""
    found = sorted(tmp_path_factory.getbasetemp().glob("live*/coop.sqlite"))
    assert found, "no database of the live server"
    return found[-1]


def query(path: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, args).fetchall()


async def log_in(page: Any, base: str, email: str, password: str) -> None:
    await page.goto(base + "/login")
    await page.get_by_label("E-mailadres").fill(email)
    await page.get_by_label("Wachtwoord", exact=True).fill(password)
    await page.get_by_role("button", name="Inloggen").click()


def create_user(db: Path, *, email: str, role: str, name: str, password: str) -> None:
    """``coop user create`` on the live server's database, as an admin would."""
    made = subprocess.run(
        [
            str(Path(sys.executable).parent / "coop"),
            "user",
            "create",
            "--email",
            email,
            "--role",
            role,
            "--name",
            name,
        ],
        input=f"{password}\n{password}\n",
        env={**os.environ, "COOP_ENV": "test", "DATABASE_URL": f"sqlite:///{db}"},
        cwd=db.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr


async def enrolled(browser: Any, base: str, email: str, password: str) -> dict[str, Any]:
    """Log in for the first time, set up the second factor as the page asks, and return
    the browser state (cookies) to start contexts with."""
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    try:
        await log_in(page, base, email, password)
        await page.wait_for_url("**/account/tweede-factor**")
        secret = (await page.inner_text(".secret")).replace(" ", "")
        await page.get_by_label("Code uit de app").fill(pyotp.TOTP(secret).now())
        await page.get_by_role("button", name="Tweede factor aanzetten").click()
        await page.get_by_role("link", name="Ik heb de codes bewaard").click()
        await page.wait_for_url("**/overzicht")
        return await context.storage_state()
    finally:
        await context.close()


async def new_coordinator(
    browser: Any,
    base: str,
    tmp_path_factory: pytest.TempPathFactory,
    *,
    email: str,
    name: str,
    password: str,
) -> dict[str, Any]:
    """A coordinator of the calling file's own, logged in with a second factor."""
    create_user(
        database(tmp_path_factory), email=email, role="coordinator", name=name, password=password
    )
    return await enrolled(browser, base, email, password)


@contextlib.asynccontextmanager
async def page_as(browser: Any, state: dict[str, Any]) -> AsyncIterator[Any]:
    """A fresh page with the cookies of a login made before."""
    context = await browser.new_context(viewport=VIEWPORT, storage_state=state)
    try:
        yield await context.new_page()
    finally:
        await context.close()
