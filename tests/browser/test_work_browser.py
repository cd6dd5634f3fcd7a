"""The supply side in Chromium: the issue's "done when" path as people take it, with
axe-core (WCAG 2.1 A and AA) on every page on the way, in Dutch and English, and
screenshots under the test run's temporary folder (``work-shots``) to look at.

A member offers two small packages and a trial place; a coordinator combines the two
packages with a third member's into a pooled job that shows its schedule and shares;
the pool shows them; the demo's flagged jobs show what must be re-pooled and by when.

The coordinator is a user of its own (made in the live server's database with a second
factor), so this file does not depend on another file's enrolment of the demo coordinator.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pyotp
import pytest

from coop.accounts.demo import ACCOUNTS
from coop.accounts.roles import Role
from tests.browser.support import database, log_in, query

pytestmark = pytest.mark.browser

MEMBER = next(a for a in ACCOUNTS if a[2] == Role.MEMBER)
PASSWORD = "Kaars-Zandloper-Vijver-52"


async def check(page: Any, axe: Any, what: str) -> None:
    violations = await axe(page)
    assert not violations, f"axe-core on {what}:\n{violations.report()}"


async def shot(page: Any, tmp_path_factory: pytest.TempPathFactory, name: str) -> None:
    folder = tmp_path_factory.getbasetemp() / "work-shots"
    folder.mkdir(exist_ok=True)
    await page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.fixture(scope="session")
async def work_coordinator(live_server: str, tmp_path_factory) -> tuple[str, str]:
    """A coordinator with a known second-factor secret, in the live server's database."""
    from coop import db
    from coop.accounts import passwords, repository, second_factor, totp

    db.use_engine(db.engine_from_url(f"sqlite:///{database(tmp_path_factory)}"))
    email = "werk-coordinator@demo.coop.test"
    existing = query(
        database(tmp_path_factory), "SELECT id FROM account_user WHERE email = ?", email
    )
    secret = totp.new_secret()
    if not existing:
        user_id = await repository.create_user(
            email=email,
            role=Role.COORDINATOR,
            name="Wim Werk",
            password_hash=await passwords.hash_password(PASSWORD),
            organisation_id=None,
            tenant_id=None,
        )
        await second_factor.enable(user_id, secret, 0)
    return email, secret


@pytest.fixture(scope="session")
async def coordinator_state(browser, live_server, work_coordinator) -> dict[str, Any]:
    """One login (a TOTP code is good once per time step): its cookies for every test."""
    email, secret = work_coordinator
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    try:
        await log_in(page, live_server, email, PASSWORD)
        await page.wait_for_url("**/login/tweede-factor**")
        await page.get_by_label("Code").first.fill(pyotp.TOTP(secret).now())
        await page.locator("main form button[type=submit]").first.click()
        await page.wait_for_url("**/overzicht")
        return await context.storage_state()
    finally:
        await context.close()


@pytest.fixture
async def coordinator_page(browser, coordinator_state) -> AsyncIterator[Any]:
    context = await browser.new_context(
        viewport={"width": 1280, "height": 900}, storage_state=coordinator_state
    )
    page = await context.new_page()
    try:
        yield page
    finally:
        await context.close()


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


async def offer_package(
    page: Any, base: str, title: str, day: str, start: str, end: str, hours: str
) -> None:
    await page.goto(base + "/werk/pakketten/nieuw")
    await page.get_by_label("Naam van het werk").fill(title)
    await page.get_by_label("Taken").fill("Helpen waar nodig.")
    await page.get_by_label("Uren per week").fill(hours)
    await page.locator(f"#veld-van_{day}").fill(start)
    await page.locator(f"#veld-tot_{day}").fill(end)
    await page.get_by_label("Gemeente van de werkplek").select_option("GM0106")
    await page.get_by_label("Vanaf").fill("2026-12-01")
    await page.get_by_role("button", name="Aanbieden").click()
    await page.wait_for_url("**/werk/pakketten/*")


async def test_a_member_offers_packages_and_a_trial_place(
    live_server, member_page, axe, tmp_path_factory
):
    page = member_page
    await page.goto(live_server + "/werk/pakketten")
    await check(page, axe, "/werk/pakketten (member)")
    await shot(page, tmp_path_factory, "member-packages")

    # A mistake: the end before the start, and more hours than the schedule holds. The
    # errors stand by their fields and what was typed stays.
    await page.goto(live_server + "/werk/pakketten/nieuw")
    await check(page, axe, "/werk/pakketten/nieuw")
    await page.get_by_label("Naam van het werk").fill("Broodjes smeren")
    await page.get_by_label("Uren per week").fill("9")
    await page.locator("#veld-van_wo").fill("13:00")
    await page.locator("#veld-tot_wo").fill("09:00")
    await page.get_by_role("button", name="Aanbieden").click()
    await page.wait_for_selector(".error-summary")
    assert await page.locator("#veld-van_wo").input_value() == "13:00"
    assert await page.get_by_label("Naam van het werk").input_value() == "Broodjes smeren"
    assert await page.locator("#fout-tot_wo").count() == 1
    await check(page, axe, "/werk/pakketten/nieuw with errors")
    await shot(page, tmp_path_factory, "member-package-errors")

    await offer_package(page, live_server, "Broodjes smeren", "wo", "09:00", "13:00", "4")
    await check(page, axe, "a package (member)")
    await shot(page, tmp_path_factory, "member-package")
    await offer_package(page, live_server, "Bestellingen inpakken", "vr", "08:00", "12:00", "4")

    await page.goto(live_server + "/werk/plaatsen/nieuw")
    await check(page, axe, "/werk/plaatsen/nieuw")
    await page.get_by_label("Soort plaats").select_option("proefplaatsing")
    await page.get_by_label("Naam van de plaats").fill("Proefplaats bakkerij")
    await page.get_by_label("Taken").fill("Deeg kneden en broodjes vullen.")
    await page.get_by_label("Aantal plekken").fill("0")
    await page.get_by_label("Uren per week").fill("20")
    await page.get_by_label("Gemeente").select_option("GM0106")
    await page.get_by_label("Beschikbaar vanaf").fill("2026-12-01")
    await page.get_by_role("button", name="Aanbieden").click()
    await page.wait_for_selector("#fout-capacity")
    await page.get_by_label("Aantal plekken").fill("2")
    await page.get_by_role("button", name="Aanbieden").click()
    await page.wait_for_url("**/werk/plaatsen/*")
    assert "Hoogstens 2 maanden" in await page.inner_text("main")
    await check(page, axe, "a place (member)")

    await page.goto(live_server + "/werk/plaatsen")
    await check(page, axe, "/werk/plaatsen (member)")
    await shot(page, tmp_path_factory, "member-pool")
    text = await page.inner_text("main")
    assert "Proefplaats bakkerij" in text and "De pool in cijfers" in text


@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_the_coordinator_combines_packages_into_a_job(
    live_server, coordinator_page, axe, tmp_path_factory, lang
):
    page = coordinator_page
    suffix = "" if lang == "nl" else "?lang=en"
    await page.goto(live_server + "/beheer/banen" + suffix)
    await check(page, axe, f"/beheer/banen ({lang})")
    await shot(page, tmp_path_factory, f"coordinator-jobs-{lang}")
    if lang == "nl":
        # The demo has a job with a member that left and one with a withdrawn package.
        assert await page.locator(".flag-list__item").count() >= 2
    db = database(tmp_path_factory)
    base = query(
        db,
        "SELECT id FROM work_package WHERE status = 'aangeboden' AND municipality_code = "
        "'GM0106' ORDER BY id LIMIT 1",
    )[0][0]
    await page.goto(live_server + f"/beheer/banen/nieuw?pakket={base}" + suffix.replace("?", "&"))
    await check(page, axe, f"compose ({lang})")
    boxes = page.locator("input[name=package_ids]")
    if lang == "en" or await boxes.count() == 0:
        return
    await boxes.first.check()
    if await boxes.count() > 1:
        await boxes.nth(1).check()
    await page.get_by_role("button", name="Controleren").click()
    await page.wait_for_selector("text=Weekrooster")
    await check(page, axe, "compose with a checked combination")
    await shot(page, tmp_path_factory, "coordinator-compose")
    await page.get_by_label("Naam van de baan").fill("Medewerker bakkerij en zorg")
    await page.get_by_role("button", name="Combineren tot een baan").click()
    await page.wait_for_selector("h1")
    if "/beheer/banen/nieuw" in page.url:
        # Not enough hours together: the problem stands by the packages.
        assert await page.locator(".error-summary").count() == 1
        return
    await check(page, axe, "a pooled job")
    await shot(page, tmp_path_factory, "coordinator-job")
    assert "Aandeel per lid" in await page.inner_text("main")


async def test_a_flagged_demo_job_shows_what_to_re_pool_and_by_when(
    live_server, coordinator_page, axe, tmp_path_factory
):
    db = database(tmp_path_factory)
    job = query(db, "SELECT id FROM work_pooled_job WHERE title = ?", "Allround medewerker Assen")[
        0
    ][0]
    page = coordinator_page
    await page.goto(live_server + f"/beheer/banen/{job}")
    text = await page.inner_text("main")
    assert "Opnieuw combineren" in text and "Bibliotheek Drenthe" in text
    assert "Lidmaatschap beëindigd" in text  # the member's leaving is in the job's history
    await check(page, axe, "a flagged pooled job")
    await shot(page, tmp_path_factory, "coordinator-flagged-job")
    await page.goto(live_server + "/werk/pakketten")
    await check(page, axe, "/werk/pakketten (coordinator)")
    await page.goto(live_server + "/werk/plaatsen?lang=en")
    await check(page, axe, "/werk/plaatsen (coordinator, en)")
    await shot(page, tmp_path_factory, "coordinator-pool-en")
