"""The participants' pages in Chromium: axe-core finds no WCAG 2.1 A/AA violation on any of
them, in Dutch and English, with and without form errors; a coordinator registers a
participant through the form and records a consent; the demo member sees anonymous
profiles, and a name only where the demo data holds a consent for its organisation.

A coordinator of our own is made with ``coop user create`` on the live server's database
(the demo coordinator's one-time second-factor set-up belongs to the member tests).
Screenshots land in ``$SCREENSHOTS`` when that is set.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from coop.accounts.demo import ACCOUNTS
from coop.accounts.roles import Role
from tests.browser.support import (  # noqa: F401 -- database, log_in, query: used by other files
    VIEWPORT,
    database,
    log_in,
    new_coordinator,
    page_as,
    query,
)

pytestmark = pytest.mark.browser

EMAIL = "pia.participanten@demo.coop.test"
PASSWORD = "Kwartel-Dijk-Lantaarn-73"
MEMBER = next(a for a in ACCOUNTS if a[2] == Role.MEMBER)
LANGUAGES = ["nl", "en"]
SHOTS = os.environ.get("SCREENSHOTS")


def with_lang(path: str, lang: str) -> str:
    return path if lang == "nl" else path + ("&" if "?" in path else "?") + "lang=" + lang


async def check(page: Any, axe: Any, what: str, lang: str | None = None) -> None:
    if lang:
        assert await page.get_attribute("html", "lang") == lang, what
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        name = "".join(c if c.isalnum() else "-" for c in what).strip("-")
        await page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    violations = await axe(page)
    assert not violations, f"axe-core on {what}:\n{violations.report()}"


@pytest.fixture(scope="session")
async def participants_coordinator(
    live_server: str, browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    return await new_coordinator(
        browser,
        live_server,
        tmp_path_factory,
        email=EMAIL,
        name="Pia Participanten",
        password=PASSWORD,
    )


@pytest.fixture
async def coordinator_page(
    browser: Any, participants_coordinator: dict[str, Any]
) -> AsyncIterator[Any]:
    async with page_as(browser, participants_coordinator) as page:
        yield page


@pytest.fixture
async def member_page(browser: Any, live_server: str) -> AsyncIterator[Any]:
    email, _name, _role, password = MEMBER
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    try:
        await log_in(page, live_server, email, password)
        await page.wait_for_url("**/overzicht")
        yield page
    finally:
        await context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_coordinators_pages(live_server, coordinator_page, axe, lang, tmp_path_factory):
    db = database(tmp_path_factory)
    participant_id = query(
        db,
        "SELECT p.id FROM participant p JOIN participant_consent c ON c.participant = p.id "
        "WHERE c.kind = 'identiteit' ORDER BY p.id LIMIT 1",
    )[0][0]
    page = coordinator_page
    for path, what in [
        ("/beheer/deelnemers", "participant list"),
        ("/beheer/deelnemers?status=beschikbaar&regio=AM03", "participant list filtered"),
        ("/beheer/deelnemers/nieuw", "new participant form"),
        (f"/beheer/deelnemers/{participant_id}", "participant detail"),
        (f"/beheer/deelnemers/{participant_id}/bewerken", "participant edit form"),
    ]:
        response = await page.goto(live_server + with_lang(path, lang))
        assert response is not None and response.status == 200, path
        await check(page, axe, f"{what} {lang}", lang)
    # The consent form, opened.
    await page.goto(live_server + with_lang(f"/beheer/deelnemers/{participant_id}", lang))
    await page.locator("details.disclosure summary").first.click()
    await check(page, axe, f"participant detail consent form open {lang}", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_form_with_errors(live_server, coordinator_page, axe, lang):
    page = coordinator_page
    await page.goto(live_server + with_lang("/beheer/deelnemers/nieuw", lang))
    await page.locator("#veld-first_name").fill("Test")
    await page.locator("#veld-support_notes").fill("Heeft autisme")
    await page.locator("main form button[type=submit]").click()
    await page.wait_for_selector(".error-summary")
    assert await page.locator("[aria-invalid=true]").count() >= 3
    assert await page.input_value("#veld-first_name") == "Test"
    await check(page, axe, f"new participant form with errors {lang}", lang)


async def test_a_coordinator_registers_and_records_consent(live_server, coordinator_page, axe):
    page = coordinator_page
    await page.goto(live_server + "/beheer/deelnemers/nieuw")
    await page.get_by_label("Voornaam").fill("Browser")
    await page.get_by_label("Achternaam").fill("Deelnemer")
    await page.get_by_label("Gemeente", exact=True).select_option("GM0114")
    await page.get_by_label("Maximaal aantal uren per week").fill("20")
    await page.get_by_label("dinsdag").check()
    await page.get_by_label("donderdag").check()
    await page.get_by_label("Kan niet zwaar tillen").check()
    await page.get_by_role("button", name="Deelnemer inschrijven").click()
    await page.wait_for_url("**/beheer/deelnemers/*")
    assert "De deelnemer is ingeschreven." in await page.inner_text("main")
    assert "Kan niet zwaar tillen" in await page.inner_text("main")
    await page.get_by_label("Nieuwe status").select_option("beschikbaar")
    await page.get_by_role("button", name="Status wijzigen").click()
    await page.wait_for_selector("text=De status is gewijzigd")
    await page.locator("details.disclosure summary").first.click()
    await page.get_by_label("Waarvoor geeft de deelnemer toestemming?").select_option("profiel")
    await page.get_by_label("De deelnemer heeft deze tekst gelezen en stemt ermee in").check()
    await page.get_by_role("button", name="Toestemming vastleggen").click()
    await page.wait_for_selector("text=De toestemming is vastgelegd.")
    assert "Anoniem profiel delen met leden" in await page.inner_text("#toestemmingen + *")
    await check(page, axe, "participant detail after consent nl", "nl")


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_members_view(live_server, member_page, axe, lang, tmp_path_factory):
    db = database(tmp_path_factory)
    own = query(db, "SELECT organisation FROM account_user WHERE email = ?", MEMBER[0])[0][0]
    named = query(
        db,
        "SELECT p.code, p.last_name FROM participant p JOIN participant_consent c "
        "ON c.participant = p.id WHERE c.kind = 'identiteit' AND c.organisation = ? "
        "AND c.withdrawn_at IS NULL ORDER BY p.id LIMIT 1",
        own,
    )[0]
    anonymous = query(
        db,
        "SELECT p.code, p.last_name FROM participant p JOIN participant_consent c "
        "ON c.participant = p.id WHERE c.kind = 'profiel' AND p.id NOT IN "
        "(SELECT participant FROM participant_consent WHERE kind = 'identiteit') "
        "AND p.status = 'beschikbaar' ORDER BY p.id LIMIT 1",
    )[0]
    page = member_page
    await page.goto(live_server + with_lang("/kandidaten", lang))
    await check(page, axe, f"candidate list {lang}", lang)
    assert anonymous[0] in await page.inner_text("main")
    await page.goto(live_server + with_lang(f"/kandidaten/{named[0]}", lang))
    await check(page, axe, f"candidate with consent {lang}", lang)
    assert named[1] in await page.inner_text("main")
    await page.goto(live_server + with_lang(f"/kandidaten/{anonymous[0]}", lang))
    await check(page, axe, f"candidate anonymous {lang}", lang)
    assert anonymous[1] not in await page.inner_text("main")
    # The coordinators' pages are not for members.
    response = await page.goto(live_server + "/beheer/deelnemers")
    assert response is not None and response.status == 403


async def test_narrow_screen(live_server, coordinator_page, axe):
    page = coordinator_page
    await page.set_viewport_size({"width": 375, "height": 800})
    await page.goto(live_server + "/beheer/deelnemers/nieuw")
    await check(page, axe, "new participant form narrow")
    assert await page.evaluate("document.documentElement.scrollWidth") <= 375
