"""The self-scan in Chromium: completed with the keyboard alone, in Dutch and in English;
left halfway and resumed by the link in another browser; without JavaScript; and axe-core
finds no WCAG 2.1 A/AA violations on the introduction, a step, the organisation step, the
result and the page for a link that does not work.

The live server ran ``coop demo``, so there are 200 demo scans and the result of a small
organisation shows the comparison with its peers.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from selfscan import questionnaires

pytestmark = pytest.mark.browser

QUESTIONNAIRE = questionnaires.current()
STEPS = len(QUESTIONNAIRE.themes) + 1
FOCUSED = """() => {
  const e = document.activeElement;
  return {tag: e.tagName, type: e.type || "", name: e.name || "", value: e.value || "",
          id: e.id || "", text: (e.innerText || "").trim()};
}"""


async def focused(page: Any) -> dict[str, str]:
    return await page.evaluate(FOCUSED)


async def tab_to(page: Any, wanted, limit: int = 80) -> dict[str, str]:
    """Press Tab until ``wanted(focused element)``; fail when it never comes."""
    for _ in range(limit):
        await page.keyboard.press("Tab")
        info = await focused(page)
        if wanted(info):
            return info
    raise AssertionError(f"no such element within {limit} tab stops; last: {info}")


async def wait_for_step(page: Any, n: int) -> None:
    await page.wait_for_selector(f"#scan-progress-label:text-matches('(Stap|Step) {n} ')")


async def answer_with_keyboard(page: Any, pick: int) -> None:
    """Answer every question of the step on the page: into each radio group with Tab, the
    first option with Space, then ``pick`` times ArrowDown; then "Volgende" with Enter."""
    names = await page.eval_on_selector_all(
        "fieldset.question", "all => all.map(f => f.querySelector('input[type=radio]').name)"
    )
    assert names
    for name in names:
        await tab_to(page, lambda f, name=name: f["type"] == "radio" and f["name"] == name)
        await page.keyboard.press("Space")
        options = await page.locator(f"input[name='{name}']").count()
        for _ in range(min(pick, options - 1)):
            await page.keyboard.press("ArrowDown")
        assert await page.locator(f"input[name='{name}']:checked").count() == 1
    await tab_to(page, lambda f: f["tag"] == "BUTTON" and f["value"] == "volgende", limit=3)
    await page.keyboard.press("Enter")


async def complete_with_keyboard(page: Any, base: str, lang: str) -> None:
    query = "?lang=en" if lang == "en" else ""
    await page.goto(f"{base}/scan{query}")
    await tab_to(page, lambda f: f["tag"] == "BUTTON" and f["type"] == "submit")
    await page.keyboard.press("Enter")
    for n in range(1, STEPS):
        await wait_for_step(page, n)
        await answer_with_keyboard(page, pick=n % 4)
    await wait_for_step(page, STEPS)
    await tab_to(page, lambda f: f["id"] == "veld-employees")
    await page.keyboard.type("30")
    await tab_to(page, lambda f: f["id"] == "veld-sector", limit=3)
    await page.keyboard.press("ArrowDown")
    await tab_to(page, lambda f: f["tag"] == "BUTTON" and f["value"] == "volgende", limit=5)
    await page.keyboard.press("Enter")
    await page.wait_for_selector(".scan-score")


@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_complete_the_scan_with_the_keyboard(live_server, page, lang):
    await complete_with_keyboard(page, live_server, lang)
    assert re.search(r"/scan/coop/[A-Za-z0-9_-]{32}/resultaat", page.url)
    assert await page.get_attribute("html", "lang") == lang
    body = await page.inner_text("main")
    titles = [t.title.get(lang) for t in QUESTIONNAIRE.themes]
    for title in titles:
        assert title in body
    assert re.search(r"\d+[,.]\d", await page.inner_text(".scan-score__number"))
    assert await page.locator(".scan-radar__wide svg[role=img]").is_visible()
    assert await page.locator(".theme-score .band").count() == len(titles)
    assert await page.locator(".priority").count() >= 1
    assert await page.locator(".advice").count() == len(titles)
    # A small organisation among the 200 demo scans: the comparison is shown.
    assert await page.locator(".theme-score__peer").count() == len(titles)
    if lang == "en":
        assert QUESTIONNAIRE.themes[0].title.en in body
        assert page.url.endswith("?lang=en")


async def test_leave_halfway_and_resume_by_the_link(live_server, browser, page):
    await page.goto(f"{live_server}/scan/coop")
    await page.get_by_role("button", name="Start de zelfscan").click()
    for n in (1, 2):
        await wait_for_step(page, n)
        for group in await page.locator("fieldset.question").all():
            await group.locator("input[type=radio]").nth(1).check()
        await page.get_by_role("button", name="Volgende").click()
    await wait_for_step(page, 3)
    first = page.locator("fieldset.question").first.locator("input[type=radio]").nth(2)
    await first.check()
    await page.get_by_role("button", name="Opslaan en later verdergaan").click()
    await page.wait_for_selector(".notice--success")
    link = await page.input_value("#scan-link-url")
    assert re.fullmatch(rf"{live_server}/scan/coop/[A-Za-z0-9_-]{{32}}/stap/3", link)

    other = await browser.new_context(viewport={"width": 390, "height": 844})
    try:
        resumed = await other.new_page()
        await resumed.goto(link)
        await wait_for_step(resumed, 3)
        group = resumed.locator("fieldset.question").first.locator("input[type=radio]")
        assert await group.nth(2).is_checked()
        await resumed.get_by_role("button", name="Vorige").click()
        await wait_for_step(resumed, 2)
        checked = resumed.locator("fieldset.question input[type=radio]:checked")
        assert await checked.count() == await resumed.locator("fieldset.question").count()
        await resumed.get_by_role("button", name="Volgende").click()
        for n in range(3, STEPS):
            await wait_for_step(resumed, n)
            await answer_with_keyboard(resumed, pick=2)
        await wait_for_step(resumed, STEPS)
        await resumed.get_by_role("button", name="Bekijk uw resultaat").click()
        await resumed.wait_for_selector(".scan-score")
        # The narrow screen shows the numbered radar.
        assert await resumed.locator(".scan-radar__narrow svg[role=img]").is_visible()
        assert not await resumed.locator(".scan-radar__wide svg").is_visible()
        width = await resumed.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
    finally:
        await other.close()


async def test_the_scan_works_without_javascript(live_server, browser):
    context = await browser.new_context(java_script_enabled=False)
    try:
        page = await context.new_page()
        await page.goto(f"{live_server}/scan/coop")
        await page.get_by_role("button", name="Start de zelfscan").click()
        for n in range(1, STEPS):
            await wait_for_step(page, n)
            for group in await page.locator("fieldset.question").all():
                await group.locator("input[type=radio]").last.check()
            await page.get_by_role("button", name="Volgende").click()
        await wait_for_step(page, STEPS)
        await page.get_by_role("button", name="Bekijk uw resultaat").click()
        await page.wait_for_selector(".scan-score")
        assert "100,0" in await page.inner_text(".scan-score__number")
        # Without the script there is no copy button, and nothing is missing for it.
        assert not await page.locator("[data-copy]").is_visible()
        assert await page.locator("#scan-link-url").is_visible()
    finally:
        await context.close()


async def test_no_axe_violations_on_any_step(live_server, page, axe):
    async def check(what: str) -> None:
        violations = await axe(page)
        assert not violations, f"axe-core on {what} ({page.url}):\n{violations.report()}"

    for lang, query in (("nl", ""), ("en", "?lang=en")):
        await page.goto(f"{live_server}/scan/coop{query}")
        await check(f"the introduction ({lang})")
    await page.goto(f"{live_server}/scan/coop")
    await page.get_by_role("button", name="Start de zelfscan").click()
    await wait_for_step(page, 1)
    await check("step 1")
    # Skip step 1, answer the rest, and try to finish: back to step 1 with errors.
    await page.get_by_role("button", name="Volgende").click()
    for n in range(2, STEPS):
        await wait_for_step(page, n)
        for group in await page.locator("fieldset.question").all():
            await group.locator("input[type=radio]").nth(1).check()
        await page.get_by_role("button", name="Volgende").click()
    await wait_for_step(page, STEPS)
    await check("the organisation step")
    await page.fill("#veld-employees", "veertig")
    await page.get_by_role("button", name="Bekijk uw resultaat").click()
    await page.wait_for_selector(".error-summary")
    await check("the organisation step with an error")
    await page.fill("#veld-employees", "30")
    await page.get_by_role("button", name="Bekijk uw resultaat").click()
    await page.wait_for_selector(".error-summary")
    await wait_for_step(page, 1)
    await check("a step with unanswered questions")
    for group in await page.locator("fieldset.question").all():
        await group.locator("input[type=radio]").nth(1).check()
    await page.get_by_role("button", name="Volgende").click()
    await wait_for_step(page, STEPS)
    await page.get_by_role("button", name="Bekijk uw resultaat").click()
    await page.wait_for_selector(".scan-score")
    await check("the result")
    result = page.url
    await page.goto(result + "?lang=en")
    await check("the result in English")
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(result)
    await check("the result on a narrow screen")
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    await page.goto(result.replace("/resultaat", "/stap/3"))
    await check("a step on a narrow screen")
    response = await page.goto(f"{live_server}/scan/coop/{'A' * 32}/resultaat")
    assert response is not None and response.status == 404
    await check("the page for a link that does not work")
