"""Logging in as a person would, in Chromium: an admin enrols the second factor, logs
out and back in with a TOTP code; every page on the way passes axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

import time

import pyotp
import pytest

from coop.accounts.demo import ACCOUNTS
from coop.accounts.roles import Role

pytestmark = pytest.mark.browser

ADMIN = next(a for a in ACCOUNTS if a[2] == Role.ADMIN)
MEMBER = next(a for a in ACCOUNTS if a[2] == Role.MEMBER)


async def check(page, axe, what: str) -> None:
    violations = await axe(page)
    assert not violations, f"axe-core on {what}:\n{violations.report()}"


async def fill_login(page, base: str, email: str, password: str) -> None:
    await page.goto(base + "/login")
    await page.get_by_label("E-mailadres").fill(email)
    await page.get_by_label("Wachtwoord", exact=True).fill(password)
    await page.get_by_role("button", name="Inloggen").click()


async def test_member_logs_in_with_the_keyboard(live_server, page, axe):
    email, name, _, password = MEMBER
    await page.goto(live_server + "/login")
    await check(page, axe, "the login page")
    await page.get_by_label("E-mailadres").focus()
    await page.keyboard.type(email)
    await page.keyboard.press("Tab")
    await page.keyboard.type(password)
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/overzicht")
    assert name in await page.inner_text("main")
    await check(page, axe, "the member's overview")


async def test_wrong_password_shows_an_accessible_error(live_server, page, axe):
    await fill_login(page, live_server, MEMBER[0], "helemaal-niet-het-wachtwoord")
    assert "klopt niet" in await page.inner_text(".error-summary")
    assert await page.input_value("#veld-email") == MEMBER[0]
    await check(page, axe, "the login page with an error")


async def test_admin_enrols_totp_and_logs_in_again(live_server, page, axe):
    email, _, _, password = ADMIN
    await fill_login(page, live_server, email, password)
    await page.wait_for_url("**/account/tweede-factor**")
    await check(page, axe, "the enrolment page")
    secret = (await page.inner_text(".secret")).replace(" ", "")
    totp = pyotp.TOTP(secret)
    await page.get_by_label("Code uit de app").fill(totp.now())
    await page.get_by_role("button", name="Tweede factor aanzetten").click()
    codes = await page.locator(".code-list li").all_inner_texts()
    assert len(codes) == 10
    await check(page, axe, "the recovery codes page")
    await page.get_by_role("link", name="Ik heb de codes bewaard").click()
    await page.wait_for_url("**/overzicht")
    await check(page, axe, "the admin's overview")
    await page.goto(live_server + "/account")
    await check(page, axe, "the account page")

    await page.get_by_role("button", name="Uitloggen").click()
    await page.wait_for_url("**/login**")
    await fill_login(page, live_server, email, password)
    await page.wait_for_url("**/login/tweede-factor**")
    await check(page, axe, "the second-step page")
    # The enrolment used this time step's code; a code can be used once, so take the next
    # step's (accepted for clock drift).
    next_code = totp.at(time.time() + 30)
    await page.get_by_label("Code").fill(next_code)
    await page.get_by_role("button", name="Controleren").click()
    await page.wait_for_url("**/overzicht")
    assert "Bea Beheerder" in await page.inner_text("main")
