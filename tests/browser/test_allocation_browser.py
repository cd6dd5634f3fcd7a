"""The coordinator's allocation path in Chromium, in Dutch and English: choose a region,
read the proposal, accept it, open a placement, the work list; and a member's own
placement. axe-core finds no WCAG 2.1 A/AA violation on any of these pages.

A coordinator of our own is made with ``coop user create`` on the live server's database
(see the participants' browser tests). Screenshots land in ``$SCREENSHOTS`` when set.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pyotp
import pytest

from tests.browser.test_participants_browser import (  # noqa: F401 -- member_page: a fixture
    LANGUAGES,
    PASSWORD,
    check,
    database,
    log_in,
    member_page,
    query,
    with_lang,
)

EMAIL = "alma.allocatie@demo.coop.test"


@pytest.fixture(scope="session")
async def allocation_coordinator(
    live_server: str, browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    db = database(tmp_path_factory)
    made = subprocess.run(
        [
            str(Path(sys.executable).parent / "coop"),
            "user",
            "create",
            "--email",
            EMAIL,
            "--role",
            "coordinator",
            "--name",
            "Alma Allocatie",
        ],
        input=f"{PASSWORD}\n{PASSWORD}\n",
        env={**os.environ, "COOP_ENV": "test", "DATABASE_URL": f"sqlite:///{db}"},
        cwd=db.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    try:
        await log_in(page, live_server, EMAIL, PASSWORD)
        await page.wait_for_url("**/account/tweede-factor**")
        secret = (await page.inner_text(".secret")).replace(" ", "")
        await page.get_by_label("Code uit de app").fill(pyotp.TOTP(secret).now())
        await page.get_by_role("button", name="Tweede factor aanzetten").click()
        await page.get_by_role("link", name="Ik heb de codes bewaard").click()
        await page.wait_for_url("**/overzicht")
        return await context.storage_state()
    finally:
        await context.close()


@pytest.fixture
async def coordinator_page(
    browser: Any, allocation_coordinator: dict[str, Any]
) -> AsyncIterator[Any]:
    context = await browser.new_context(
        viewport={"width": 1280, "height": 900}, storage_state=allocation_coordinator
    )
    page = await context.new_page()
    try:
        yield page
    finally:
        await context.close()


pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_coordinators_allocation_path(live_server, coordinator_page, axe, lang):
    page = coordinator_page
    await page.goto(live_server + with_lang("/allocatie", lang))
    await check(page, axe, f"allocation start {lang}", lang)
    await page.locator("#veld-region_code").select_option("AM01")
    await page.locator("main form button[type=submit]").click()
    await page.wait_for_url("**/allocatie/voorstellen/*")
    assert await page.locator(".pair").count() >= 1
    assert await page.locator(".reason-list li").count() >= 6
    await check(page, axe, f"allocation proposal {lang}", lang)
    # Accept the first pair; its placement opens from the proposal.
    await page.locator(".pair form button").first.click()
    await page.wait_for_selector(".notice")
    await check(page, axe, f"allocation proposal after accepting {lang}", lang)
    await page.locator(".pair a[href*='/plaatsingen/']").first.click()
    await page.wait_for_url("**/plaatsingen/*")
    await check(page, axe, f"placement planned {lang}", lang)
    # A wage value out of range: the error next to its field, and no violation either.
    await page.locator("#veld-percent").fill("150")
    await page.locator("#veld-percent").press("Enter")
    await page.wait_for_selector(".error-summary")
    await check(page, axe, f"placement with errors {lang}", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_placements_and_follow_up(live_server, coordinator_page, axe, lang, tmp_path_factory):
    db = database(tmp_path_factory)
    active = query(db, "SELECT id FROM placement WHERE status = 'actief' ORDER BY id LIMIT 1")[0][0]
    page = coordinator_page
    for path, what in [
        ("/plaatsingen", "placement list"),
        ("/plaatsingen/opvolging", "follow-up work list"),
        (f"/plaatsingen/{active}", "placement active"),
    ]:
        response = await page.goto(live_server + with_lang(path, lang))
        assert response is not None and response.status == 200, path
        await check(page, axe, f"{what} {lang}", lang)


async def test_a_member_sees_its_own_placements(live_server, member_page, axe):  # noqa: F811
    page = member_page
    await page.goto(live_server + "/plaatsingen")
    await check(page, axe, "member placements nl", "nl")
    link = page.locator("main table a").first
    if await link.count():
        await link.click()
        await page.wait_for_url("**/plaatsingen/*")
        assert "Loonwaarde" not in await page.inner_text("main")
        await check(page, axe, "member placement nl", "nl")
