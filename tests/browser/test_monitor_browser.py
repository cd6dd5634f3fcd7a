"""The monitor (/monitor) in Chromium, in Dutch and English: a coordinator reads it for the
year, asks for a period that ends before it starts and is told so by the field, and
downloads a table as CSV and the yearly report as a PDF. axe-core finds no WCAG 2.1 A/AA
violation; the form works with the keyboard alone. Screenshots land in ``$SCREENSHOTS``
when set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest

import regulations
from tests.browser.support import new_coordinator, page_as
from tests.browser.test_participants_browser import LANGUAGES, PASSWORD, check, with_lang

EMAIL = "mo.monitor@demo.coop.test"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
async def monitor_coordinator(
    live_server: str, browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    return await new_coordinator(
        browser, live_server, tmp_path_factory, email=EMAIL, name="Mo Monitor", password=PASSWORD
    )


@pytest.fixture
async def monitor_page(browser: Any, monitor_coordinator: dict[str, Any]) -> AsyncIterator[Any]:
    async with page_as(browser, monitor_coordinator) as page:
        yield page


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_coordinator_reads_filters_and_exports_the_monitor(
    live_server: str, monitor_page: Any, axe: Any, lang: str
) -> None:
    page = monitor_page
    year = dt.date.today().year
    await page.goto(live_server + with_lang("/monitor", lang))
    assert await page.locator("h1").count() == 1
    # Every section: a chart drawn as an image with a title, and its figures in a table.
    charts = page.locator('main svg[role="img"]')
    assert await charts.count() >= 7
    assert await page.locator("main table caption").count() >= 7
    await check(page, axe, f"monitor {lang}", lang)

    # The form with the keyboard only: the period's end before its start.
    await page.locator('main input[name="van"]').focus()
    await page.keyboard.press("Control+a")
    await page.keyboard.type(f"{year}-06-01")
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.name") == "tot"
    await page.keyboard.press("Control+a")
    await page.keyboard.type(f"{year}-01-31")
    await page.keyboard.press("Enter")
    await page.wait_for_url("**tot=**")
    errors = page.locator("main .error-summary, main [role=alert]")
    assert await errors.count() >= 1
    # What was typed is still there.
    assert await page.locator(f'main input[value="{year}-06-01"]').count() == 1
    await check(page, axe, f"monitor with an error {lang}", lang)

    # A table as CSV and the yearly report as PDF, from the links on the page.
    await page.goto(live_server + with_lang("/monitor", lang))
    csv_link = page.locator('main a[href*="/monitor/export/banen.csv"]')
    async with page.expect_download() as download_info:
        await csv_link.first.click()
    download = await download_info.value
    content = open(await download.path(), "rb").read()
    assert content.startswith(b"\xef\xbb\xbf") and b";" in content.splitlines()[0]
    report = page.locator(f'main a[href*="/monitor/jaarverslag/{year}.pdf"]')
    # Offered only for a year with a rule table (a later run may find none for its year).
    assert await report.count() == (1 if year in regulations.available_years() else 0)
    if year in regulations.available_years():
        response = await page.request.get(live_server + (await report.first.get_attribute("href")))
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        assert (await response.body()).startswith(b"%PDF-")
