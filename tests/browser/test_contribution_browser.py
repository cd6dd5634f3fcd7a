"""The member's contribution dashboard (/bijdrage) in Chromium, in Dutch and English: the
demo member reads its figures and downloads its yearly statement; axe-core finds no WCAG
2.1 A/AA violation. Screenshots land in ``$SCREENSHOTS`` when set.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.browser.test_participants_browser import (  # noqa: F401 -- member_page: a fixture
    LANGUAGES,
    check,
    member_page,
    with_lang,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_member_reads_its_contribution_and_downloads_its_statement(
    live_server: str,
    member_page: Any,  # noqa: F811 -- the fixture imported above
    axe: Any,
    lang: str,
) -> None:
    page = member_page
    await page.goto(with_lang(live_server + "/overzicht", lang))
    # The overview links to the dashboard (and so does the navigation).
    assert await page.locator('main a[href^="/bijdrage"]').count() >= 1
    await page.goto(with_lang(live_server + "/bijdrage", lang))
    assert await page.locator("h1").count() == 1
    await check(page, axe, f"bijdrage {lang}", lang)

    year = dt.date.today().year - 1
    link = page.locator(f'a[href^="/bijdrage/{year}/verklaring.pdf"]')
    assert await link.count() == 1
    async with page.expect_download() as info:
        await link.click()
    download = await info.value
    stem = "contribution-statement-" if lang == "en" else "bijdrageverklaring-"
    assert download.suggested_filename.startswith(stem), download.suggested_filename
    assert download.suggested_filename.endswith(f"-{year}.pdf")
    with open(await download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
