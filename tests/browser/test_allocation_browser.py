"""The coordinator's allocation path in Chromium, in Dutch and English: choose a region,
read the proposal, accept it, open a placement, the work list; and a member's own
placement. axe-core finds no WCAG 2.1 A/AA violation on any of these pages.

A coordinator of our own is made with ``coop user create`` on the live server's database
(see the participants' browser tests). Screenshots land in ``$SCREENSHOTS`` when set.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.browser.support import new_coordinator, page_as
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
    return await new_coordinator(
        browser,
        live_server,
        tmp_path_factory,
        email=EMAIL,
        name="Alma Allocatie",
        password=PASSWORD,
    )


@pytest.fixture
async def coordinator_page(
    browser: Any, allocation_coordinator: dict[str, Any]
) -> AsyncIterator[Any]:
    async with page_as(browser, allocation_coordinator) as page:
        yield page


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
