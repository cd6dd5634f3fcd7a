"""The member registry in Chromium: every page passes axe-core (WCAG 2.1 A and AA) in
Dutch and English, and the issue's whole path works as a person would take it: a new
organisation applies, the demo coordinator approves it, the invitation from the mail
outbox sets a password, and the new member edits its organisation.

The demo coordinator must set up a second factor at the first login; that happens once
(``coordinator``), and every test that needs the coordinator starts a browser context
with that login's cookies.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from coop.accounts.demo import ACCOUNTS
from coop.accounts.roles import Role
from tests.browser.support import database, enrolled, log_in, page_as, query

pytestmark = pytest.mark.browser

COORDINATOR = next(a for a in ACCOUNTS if a[2] == Role.COORDINATOR)
MEMBER = next(a for a in ACCOUNTS if a[2] == Role.MEMBER)
LANGUAGES = ["nl", "en"]


def with_lang(path: str, lang: str) -> str:
    if lang == "nl":
        return path
    return path + ("&" if "?" in path else "?") + "lang=" + lang


async def check(page: Any, axe: Any, what: str, lang: str | None = None) -> None:
    if lang:
        assert await page.get_attribute("html", "lang") == lang, what
    violations = await axe(page)
    assert not violations, f"axe-core on {what}:\n{violations.report()}"


async def shot(page: Any, tmp_path_factory: pytest.TempPathFactory, name: str) -> None:
    """A full-page screenshot under this run's temporary folder, to look at by hand."""
    folder = tmp_path_factory.getbasetemp() / "member-shots"
    folder.mkdir(exist_ok=True)
    await page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.fixture(scope="session")
async def coordinator(live_server: str, browser: Any) -> dict[str, Any]:
    """The demo coordinator, logged in with a second factor set up at this first login:
    the browser state (cookies) to start contexts with."""
    email, _name, _role, password = COORDINATOR
    return await enrolled(browser, live_server, email, password)


@pytest.fixture
async def coordinator_page(browser: Any, coordinator: dict[str, Any]) -> AsyncIterator[Any]:
    async with page_as(browser, coordinator) as page:
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


def demo_ids(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    db = database(tmp_path_factory)
    own = query(db, "SELECT organisation FROM account_user WHERE email = ?", MEMBER[0])[0][0]
    other = query(db, "SELECT id FROM member_organisation WHERE id != ? ORDER BY id LIMIT 1", own)[
        0
    ][0]
    application = query(
        db, "SELECT id FROM member_application WHERE status = 'aangemeld' ORDER BY id LIMIT 1"
    )
    return {"own": own, "other": other, "application": application[0][0] if application else 0}


# --- axe-core on every page, in both languages ------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_application_form_and_its_errors(live_server, page, axe, lang):
    response = await page.goto(live_server + with_lang("/aanmelden", lang))
    assert response is not None and response.status == 200
    await check(page, axe, f"/aanmelden ({lang})", lang)
    # Send it empty: errors by the fields and a summary, still no violation.
    await page.locator("main form button[type=submit]").click()
    await page.wait_for_selector(".error-summary")
    assert await page.locator("[aria-invalid=true]").count() >= 5
    await check(page, axe, f"/aanmelden with errors ({lang})", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_coordinators_pages(live_server, coordinator_page, axe, lang, tmp_path_factory):
    ids = demo_ids(tmp_path_factory)
    page = coordinator_page
    paths = [
        "/beheer/leden",
        "/beheer/leden?status=actief&sorteer=-medewerkers&regio=AM01",
        f"/beheer/leden/{ids['own']}",
        f"/organisaties/{ids['other']}/bewerken",
        "/beheer/aanmeldingen",
        "/beheer/leden/import",
    ]
    if ids["application"]:
        paths.append(f"/beheer/aanmeldingen/{ids['application']}")
    for path in paths:
        response = await page.goto(live_server + with_lang(path, lang))
        assert response is not None and response.status == 200, path
        await check(page, axe, f"{path} ({lang})", lang)
        await shot(page, tmp_path_factory, f"coordinator{path}-{lang}".replace("/", "_"))

    # A status change without a reason: the error by its field.
    await page.goto(live_server + with_lang(f"/beheer/leden/{ids['own']}", lang))
    await page.locator("form[action*='/status'] button[type=submit]").click()
    await page.wait_for_selector(".error-summary")
    await check(page, axe, f"a status change with an error ({lang})", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_import_page_with_a_dry_runs_problems(
    live_server, coordinator_page, axe, lang, tmp_path, tmp_path_factory
):
    page = coordinator_page
    file = tmp_path / "leden.csv"
    file.write_text(
        "naam;kvk_nummer;adres;postcode;plaats;gemeentecode;sector;medewerkers\r\n"
        "Fout BV;123;Straat 1;0000 AA;X;Atlantis;z;veel\r\n",
        encoding="utf-8-sig",
    )
    await page.goto(live_server + with_lang("/beheer/leden/import", lang))
    await page.locator("input[type=file]").set_input_files(str(file))
    await page.locator("main form button[type=submit]").first.click()
    await page.wait_for_load_state()
    assert "123" in await page.inner_text("main")
    await shot(page, tmp_path_factory, f"import-dry-run-{lang}")
    await check(page, axe, f"the import's dry run with problems ({lang})", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_members_own_pages(live_server, member_page, axe, lang, tmp_path_factory):
    ids = demo_ids(tmp_path_factory)
    page = member_page
    for path in (f"/organisaties/{ids['own']}", f"/organisaties/{ids['own']}/bewerken"):
        response = await page.goto(live_server + with_lang(path, lang))
        assert response is not None and response.status == 200, path
        await check(page, axe, f"{path} ({lang})", lang)
        await shot(page, tmp_path_factory, f"member{path}-{lang}".replace("/", "_"))
    # Another organisation does not exist for this member.
    response = await page.goto(live_server + f"/organisaties/{ids['other']}")
    assert response is not None and response.status == 404

    # The edit form with an error keeps what was typed.
    await page.goto(live_server + with_lang(f"/organisaties/{ids['own']}/bewerken", lang))
    await page.locator("#veld-postcode").fill("12345")
    await page.locator("main form button[type=submit]").click()
    await page.wait_for_selector(".error-summary")
    assert await page.input_value("#veld-postcode") == "12345"
    await check(page, axe, f"the edit form with an error ({lang})", lang)

    # Two contacts added on the page; the second one's page, and removing it there.
    names = [f"Contact {lang} {n} {int(time.time() * 1000) % 100000}" for n in (1, 2)]
    for name in names:
        await page.goto(live_server + with_lang(f"/organisaties/{ids['own']}", lang))
        await page.locator("details.disclosure summary").click()
        form = page.locator("form[action*='/contactpersonen']")
        await form.locator("#veld-name").fill(name)
        await form.locator("#veld-email").fill(f"c{abs(hash(name)) % 10**6}@korenaar.nl")
        await form.locator("button[type=submit]").click()
        await page.wait_for_url(f"**/organisaties/{ids['own']}**")
        assert name in await page.inner_text("main")
    await page.locator("a[href*='/contactpersonen/']", has_text=names[1]).first.click()
    await page.wait_for_load_state()
    await check(page, axe, f"a contact's page ({lang})", lang)
    await shot(page, tmp_path_factory, f"member-contact-{lang}")
    await page.locator("form[action*='/verwijderen'] button[type=submit]").click()
    await page.wait_for_url(f"**/organisaties/{ids['own']}**")
    contacts = await page.inner_text("[aria-labelledby=contactpersonen]")
    assert names[0] in contacts and names[1] not in contacts
    await check(page, axe, f"the member's page after removing a contact ({lang})", lang)


# --- the "Done when", as a person would do it -------------------------------------


async def test_apply_approve_set_a_password_and_edit(
    live_server, browser, coordinator, tmp_path_factory, axe
):
    stamp = str(int(time.time() * 1000))[-7:]
    kvk = "7" + stamp
    email = f"eigenaar-{stamp}@voorbeeld.nl"
    name = f"Fietsenmaker De Spaak {stamp}"

    # 1. A new organisation applies, without an account.
    applicant = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await applicant.new_page()
    await page.goto(live_server + "/aanmelden")
    await page.get_by_label("Naam van de organisatie").fill(name)
    await page.get_by_label("KvK-nummer").fill(kvk)
    await page.get_by_label("Bezoekadres").fill("Stationsweg 12")
    await page.get_by_label("Postcode").fill("9401kl")
    await page.get_by_label("Plaats", exact=True).fill("Assen")
    await page.get_by_label("Gemeente", exact=True).select_option("GM0106")
    await page.get_by_label("Sector", exact=True).select_option("g")
    await page.get_by_label("Aantal medewerkers").fill("12")
    await page.locator("#veld-contact_name").fill("Eva Eigenaar")
    await page.locator("#veld-contact_email").fill(email)
    await page.get_by_label("Ja, ik geef deze toestemming").check()
    await page.get_by_role("button", name="Aanmelding versturen").click()
    await page.wait_for_url("**/aanmelden/ontvangen")
    await check(page, axe, "the application's confirmation")
    await applicant.close()

    # 2. The demo coordinator finds it and approves it.
    staff = await browser.new_context(
        viewport={"width": 1280, "height": 900}, storage_state=coordinator
    )
    page = await staff.new_page()
    await page.goto(live_server + "/beheer/aanmeldingen")
    await page.get_by_role("link", name=name).click()
    await page.wait_for_url(re.compile(r".*/beheer/aanmeldingen/\d+$"))
    await page.get_by_role("button", name="Goedkeuren").click()
    await page.wait_for_url(re.compile(r".*/beheer/leden/\d+$"))
    organisation_id = int(page.url.rsplit("/", 1)[1])
    assert name in await page.inner_text("h1")
    await check(page, axe, "the new member's page for the coordinator")
    # The coordinator finds it in the list by its KvK number.
    await page.goto(live_server + f"/beheer/leden?zoek={kvk}")
    assert name in await page.inner_text("table")
    await staff.close()

    # 3. The invitation in the mail outbox sets a password.
    db = database(tmp_path_factory)
    bodies = query(
        db, "SELECT body_text FROM mail_outbox WHERE recipient = ? ORDER BY id DESC", email
    )
    assert bodies, "no invitation in the outbox"
    link = re.search(r"https?://\S+/wachtwoord-instellen/\S+", bodies[0][0])
    assert link, bodies[0][0]
    member = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await member.new_page()
    await page.goto(link.group(0))
    await check(page, axe, "the page that sets the first password")
    password = "Fiets-Spaak-Bel-Zadel-58"
    await page.get_by_label("Wachtwoord", exact=True).fill(password)
    await page.get_by_label("Herhaal het wachtwoord").fill(password)
    await page.get_by_role("button", name="Wachtwoord opslaan").click()
    await page.wait_for_url("**/login**")

    # 4. The new member logs in and edits its own organisation.
    await log_in(page, live_server, email, password)
    await page.wait_for_url("**/overzicht")
    await page.goto(live_server + f"/organisaties/{organisation_id}/bewerken")
    await page.get_by_label("Aantal medewerkers").fill("14")
    await page.locator("#veld-website").fill("www.despaak.nl")
    await page.locator("main form button[type=submit]").click()
    await page.wait_for_url(f"**/organisaties/{organisation_id}")
    text = await page.inner_text("main")
    assert "De gegevens zijn opgeslagen." in text and "https://www.despaak.nl" in text
    await check(page, axe, "the member's own page after editing")
    stored = query(
        db,
        "SELECT employees, website, status FROM member_organisation WHERE id = ?",
        organisation_id,
    )
    assert stored == [(14, "https://www.despaak.nl", "goedgekeurd")]
    await member.close()
