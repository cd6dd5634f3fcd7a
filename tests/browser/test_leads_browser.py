"""Leads in Chromium: the contact form after a result (errors, then sent), and the WSP's
dashboard, leads list and lead page; axe-core finds no WCAG 2.1 A/AA violations on any of
them. The live server ran ``coop demo``: the demo WSP user belongs to the demo tenant.

Set ``SCREENSHOT_DIR`` to keep a PNG of every page checked.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from coop.accounts.demo import ACCOUNTS, DEMO_TENANT
from tests.scans import answers

pytestmark = pytest.mark.browser

WSP = next(a for a in ACCOUNTS if a[2] == "wsp")
SLUG = DEMO_TENANT[0]


async def check(page: Any, axe: Any, what: str) -> None:
    violations = await axe(page)
    assert not violations, f"axe-core on {what}:\n{violations.report()}"
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        name = what.replace(" ", "-").replace("'", "")
        await page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


async def new_scan(base: str) -> str:
    async with httpx.AsyncClient(base_url=base) as client:
        r = await client.post(
            "/api/v1/selfscan/scans",
            json={"tenant": SLUG, "answers": answers("middle"), "organisation": {"employees": 40}},
        )
        assert r.status_code == 201, r.text
        return r.json()["token"]


async def test_an_employer_leaves_a_lead_and_the_wsp_follows_it_up(live_server, page, axe):
    token = await new_scan(live_server)
    await page.goto(f"{live_server}/scan/{SLUG}/{token}/resultaat")
    await page.get_by_role("link", name="Ik wil graag contact").click()
    await page.wait_for_url(f"**/scan/{SLUG}/{token}/contact")
    assert not await page.get_by_label("Ja, ik geef deze toestemming").is_checked()
    await check(page, axe, "the contact form")

    # Sent empty: every error next to its field, and the summary first.
    await page.get_by_role("button", name="Verstuur mijn gegevens").click()
    await page.wait_for_selector(".error-summary")
    await check(page, axe, "the contact form with errors")
    assert await page.locator(".field-error").count() >= 4

    await page.get_by_label("Naam van uw organisatie").fill("Drukkerij Het Blad")
    await page.get_by_label("Uw naam").fill("Joost Jansen")
    await page.get_by_label("Uw e-mailadres").fill("joost@hetblad.example")
    await page.get_by_label("Uw vraag (niet verplicht)").fill("Wij zoeken hulp bij jobcarving.")
    await page.get_by_label("Ja, ik geef deze toestemming").check()
    await page.get_by_role("button", name="Verstuur mijn gegevens").click()
    await page.wait_for_url("**/contact/verstuurd")
    await check(page, axe, "the thank-you page")

    # The WSP logs in and finds the lead on its dashboard and in its list.
    email, _, _, password = WSP
    await page.goto(live_server + "/login")
    await page.get_by_label("E-mailadres").fill(email)
    await page.get_by_label("Wachtwoord", exact=True).fill(password)
    await page.get_by_role("button", name="Inloggen").click()
    await page.wait_for_url("**/overzicht**")

    await page.goto(f"{live_server}/wsp/{SLUG}/dashboard")
    await check(page, axe, "the WSP dashboard")
    await page.goto(f"{live_server}/wsp/{SLUG}/leads")
    await check(page, axe, "the leads list")
    await page.get_by_role("link", name="Bekijk lead").first.click()
    await page.wait_for_selector("h1:text('Drukkerij Het Blad')")
    await check(page, axe, "a lead")

    await page.get_by_label("Status").select_option("benaderd")
    await page.get_by_label("Notitie (alleen voor uw eigen organisatie)").fill("Gebeld.")
    await page.get_by_role("button", name="Opslaan").click()
    await page.wait_for_selector("text=De lead is bijgewerkt.")
    assert await page.get_by_label("Status").input_value() == "benaderd"
    await check(page, axe, "a lead after saving")
