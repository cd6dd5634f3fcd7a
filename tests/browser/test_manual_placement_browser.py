"""/plaatsingen/nieuw in Chromium, in Dutch and English: the empty form, the explanation
after "Controleren", the form with errors beside their fields, and the new placement it
leads to. axe-core finds no WCAG 2.1 A/AA violation on any of them.

A coordinator of our own is made with ``coop user create`` on the live server's database,
as the allocation browser tests do (with another address, so both can run in one
session). Screenshots land in ``$SCREENSHOTS`` when set.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.browser.support import new_coordinator, page_as
from tests.browser.test_participants_browser import (
    LANGUAGES,
    PASSWORD,
    check,
    database,
    query,
    with_lang,
)

EMAIL = "mara.handmatig@demo.coop.test"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
async def manual_coordinator(
    live_server: str, browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    return await new_coordinator(
        browser,
        live_server,
        tmp_path_factory,
        email=EMAIL,
        name="Mara Handmatig",
        password=PASSWORD,
    )


@pytest.fixture
async def manual_page(browser: Any, manual_coordinator: dict[str, Any]) -> AsyncIterator[Any]:
    async with page_as(browser, manual_coordinator) as page:
        yield page


async def first_option(page: Any, field: str) -> str:
    """The value of the first real option of a select (the demo data has some)."""
    value = await page.locator(f"#veld-{field} option:not([value=''])").first.get_attribute("value")
    assert value, f"no {field} to choose in the demo data"
    return value


async def fitting_pair(page: Any, live_server: str) -> tuple[str, str]:
    """The first place and participant of the demo data that pass every hard constraint
    (looked up without rendering each page in the browser)."""
    await page.goto(live_server + "/plaatsingen/nieuw")
    places = await page.locator("#veld-place_id option:not([value=''])").evaluate_all(
        "options => options.map(o => o.value)"
    )
    people = await page.locator("#veld-participant_id option:not([value=''])").evaluate_all(
        "options => options.map(o => o.value)"
    )
    for place in places[:12]:
        for person in people[:20]:
            answer = await page.request.get(
                f"{live_server}/plaatsingen/nieuw?plaats={place}&deelnemer={person}"
            )
            if "Alle harde eisen zijn in orde." in await answer.text():
                return place, person
    raise AssertionError("no fitting pair in the demo data")


async def focused(page: Any) -> str:
    """The focused element, as ``tag#id`` or ``a[href]``."""
    return await page.evaluate(
        """() => { const e = document.activeElement;
             return e.tagName === "A" ? "a" + e.getAttribute("href")
                                      : e.tagName.toLowerCase() + "#" + e.id; }"""
    )


async def test_enter_checks_and_the_skip_link_leads_to_the_errors(live_server, manual_page, axe):
    """By keyboard only: Enter in a field presses "Controleren" (nothing saved), and after
    an error the skip link leads to the summary, whose links lead to the fields."""
    page = manual_page
    place, person = await fitting_pair(page, live_server)
    await page.goto(f"{live_server}/plaatsingen/nieuw?plaats={place}&deelnemer={person}")
    await page.locator("#veld-guidance_contact").fill("Piet de Vries")
    async with page.expect_request(lambda r: r.method == "POST") as posted:
        await page.locator("#veld-guidance_contact").press("Enter")
    assert "action=controleren" in ((await posted.value).post_data or "")
    await page.wait_for_selector(".manual-fit .reason-list")
    assert page.url.endswith("/plaatsingen/nieuw")  # not saved, no redirect
    assert await page.input_value("#veld-guidance_contact") == "Piet de Vries"

    # An error, found by keyboard: skip link, then the summary, then the field.
    await page.locator("#veld-hours_per_week").fill("80")
    await page.locator("#veld-hours_per_week").press("Enter")
    await page.wait_for_selector(".error-summary")
    await check(page, axe, "manual placement errors by keyboard nl", "nl")
    await page.keyboard.press("Tab")
    assert await focused(page) == "a#inhoud"
    await page.keyboard.press("Enter")
    await page.keyboard.press("Tab")
    assert await focused(page) == "a#veld-hours_per_week"
    await page.keyboard.press("Enter")
    assert await focused(page) == "input#veld-hours_per_week"


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_placing_by_hand(live_server, manual_page, axe, lang):
    page = manual_page
    response = await page.goto(live_server + with_lang("/plaatsingen/nieuw", lang))
    assert response is not None and response.status == 200
    await check(page, axe, f"manual placement empty {lang}", lang)

    # A wrong number of hours and no participant: errors beside the fields, input kept.
    await page.locator("#veld-place_id").select_option(await first_option(page, "place_id"))
    await page.locator("#veld-hours_per_week").fill("80")
    await page.locator("#veld-guidance_contact").fill("Piet de Vries")
    await page.locator("button[value=opslaan]").click()
    await page.wait_for_selector(".error-summary")
    assert await page.locator("#fout-participant_id").count() == 1
    assert await page.locator("#fout-hours_per_week").count() == 1
    assert await page.input_value("#veld-guidance_contact") == "Piet de Vries"
    await check(page, axe, f"manual placement with errors {lang}", lang)

    # Choose a participant and check: the explanation, nothing saved yet.
    await page.locator("#veld-participant_id").select_option(
        await first_option(page, "participant_id")
    )
    await page.locator("#veld-hours_per_week").fill("8")
    await page.locator("button[value=controleren]").click()
    await page.wait_for_selector(".manual-fit h2")
    assert await page.locator("#fout-hours_per_week").count() == 0
    await check(page, axe, f"manual placement checked {lang}", lang)


async def test_placing_by_hand_from_a_place(live_server, manual_page, axe):
    """From a place's page to a saved placement: the first pair of the demo data that
    passes every hard constraint (looked up without rendering each page)."""
    page = manual_page
    place, person = await fitting_pair(page, live_server)
    await page.goto(f"{live_server}/werk/plaatsen/{place}")
    await page.get_by_role("link", name="Nieuwe plaatsing op deze plaats").click()
    await page.wait_for_url("**/plaatsingen/nieuw?plaats=*")
    assert await page.input_value("#veld-place_id") == place
    await page.locator("#veld-participant_id").select_option(person)
    await page.locator("button[value=controleren]").click()
    await page.wait_for_selector(".manual-fit .reason-list")
    await check(page, axe, "manual placement fits nl", "nl")
    await page.locator("#veld-guidance_contact").fill("Piet de Vries")
    await page.locator("button[value=opslaan]").click()
    await page.wait_for_url(re.compile(r"/plaatsingen/\d+$"))
    assert "De plaatsing is aangemaakt." in await page.inner_text("main")
    await check(page, axe, "manual placement saved nl", "nl")


async def test_a_stale_link_to_a_filled_place_says_so_by_the_field(
    live_server, manual_page, axe, tmp_path_factory
):
    """The place's page may be old: a vervuld place is not offered, and its link says why."""
    found = query(
        database(tmp_path_factory),
        "SELECT id, title FROM work_place WHERE status = 'vervuld' ORDER BY id LIMIT 1",
    )
    assert found, "no vervuld place in the demo data"
    [(place, title)] = found
    page = manual_page
    await page.goto(f"{live_server}/plaatsingen/nieuw?plaats={place}")
    assert f"“{title}” is vervuld" in await page.inner_text("#fout-place_id")
    assert await page.locator(f"#veld-place_id option[value='{place}']").count() == 0
    assert await page.locator(".error-summary a[href='#veld-place_id']").count() == 1
    await check(page, axe, "manual placement filled place nl", "nl")
