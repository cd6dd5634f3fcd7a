"""The support a place can offer, in Chromium: a member ticks supports with the keyboard
on the place form, sees them on the place's page and pre-checked on the edit form; axe-core
finds no WCAG 2.1 A/AA violation on these pages. Screenshots in ``$SCREENSHOTS`` when set."""

from __future__ import annotations

import pytest

from tests.browser.test_participants_browser import (  # noqa: F401 -- member_page: a fixture
    check,
    member_page,
)

pytestmark = pytest.mark.browser


async def test_a_member_offers_support_on_a_place(live_server, member_page, axe):  # noqa: F811
    page = member_page
    await page.goto(live_server + "/werk/plaatsen/nieuw")
    await check(page, axe, "place form with supports", "nl")
    group = page.get_by_role("group", name="Welke ondersteuning kan de plaats bieden?")
    await group.get_by_label("Heeft een jobcoach nodig").focus()
    await page.keyboard.press("Space")
    await group.get_by_label("Kan niet zwaar tillen").check()
    await page.get_by_label("Soort plaats").select_option("participatieplaats")
    await page.get_by_label("Naam van de plaats").fill("Inpakken met ondersteuning")
    await page.get_by_label("Taken", exact=True).fill("Bestellingen inpakken")
    await page.get_by_label("Uren per week").fill("16")
    await page.get_by_label("Gemeente").select_option("GM0106")
    await page.get_by_label("Beschikbaar vanaf").fill("2026-03-01")
    await page.get_by_role("button", name="Aanbieden").click()
    await page.wait_for_url("**/werk/plaatsen/*")
    await check(page, axe, "place with supports", "nl")
    main = await page.inner_text("main")
    assert "Heeft een jobcoach nodig" in main and "Kan niet zwaar tillen" in main
    await page.get_by_role("link", name="Gegevens wijzigen").click()
    await check(page, axe, "place edit form with supports", "nl")
    assert await page.get_by_label("Heeft een jobcoach nodig").is_checked()
    assert await page.get_by_label("Kan niet zwaar tillen").is_checked()
