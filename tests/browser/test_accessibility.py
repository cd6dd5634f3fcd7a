"""Accessibility in a real browser: axe-core finds no WCAG 2.1 A/AA violations, and the
keyboard works (skip link first, focus always visible)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    ("/", "nl"),
    ("/?lang=en", "en"),
    ("/toegankelijkheid", "nl"),
    ("/toegankelijkheid?lang=en", "en"),
]


@pytest.mark.parametrize(("path", "lang"), PAGES)
async def test_no_axe_violations(live_server, page, axe, path, lang):
    response = await page.goto(live_server + path)
    assert response is not None and response.status == 200
    assert await page.get_attribute("html", "lang") == lang
    violations = await axe(page)
    assert not violations, f"axe-core on {path}:\n{violations.report()}"


@pytest.mark.parametrize("path", ["/", "/toegankelijkheid?lang=en"])
async def test_no_axe_best_practice_findings(live_server, page, axe, path):
    """Beyond WCAG: landmarks unique and complete, headings in order, one <h1>."""
    await page.goto(live_server + path)
    violations = await axe(page, tags=["best-practice"])
    assert not violations, f"axe-core best practices on {path}:\n{violations.report()}"


@pytest.mark.parametrize("path", ["/bestaat-niet", "/bestaat-niet?lang=en"])
async def test_error_page_has_no_axe_violations(live_server, page, axe, path):
    response = await page.goto(live_server + path)
    assert response is not None and response.status == 404
    violations = await axe(page)
    assert not violations, f"axe-core on {path}:\n{violations.report()}"


@pytest.mark.parametrize("width", [320, 375])
async def test_no_axe_violations_on_a_narrow_screen(live_server, page, axe, width):
    await page.set_viewport_size({"width": width, "height": 800})
    await page.goto(live_server + "/")
    violations = await axe(page)
    assert not violations, f"axe-core at {width}px:\n{violations.report()}"
    # Reflow (WCAG 1.4.10): nothing scrolls sideways.
    assert await page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize(
    ("path", "skip_text"), [("/", "Naar de inhoud"), ("/?lang=en", "Skip to content")]
)
async def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(
    live_server, page, path, skip_text
):
    await page.goto(live_server + path)
    await page.keyboard.press("Tab")
    focused = await page.evaluate(
        "() => ({href: document.activeElement.getAttribute('href'),"
        " text: document.activeElement.textContent.trim()})"
    )
    assert focused == {"href": "#inhoud", "text": skip_text}
    # Hidden until focused, then visible on screen.
    box = await page.locator("a.skip-link").bounding_box()
    assert box is not None and box["width"] > 20 and box["height"] > 20

    await page.keyboard.press("Enter")
    assert await page.evaluate("document.activeElement.id") == "inhoud"
    assert await page.evaluate("document.activeElement.tagName") == "MAIN"

    # The next Tab continues inside the content.
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.closest('main') !== null")


async def test_every_tab_stop_shows_a_focus_indicator(live_server, page):
    """Tab through the whole home page: each stop is a link or control with a visible
    indicator (an outline or a box shadow), and the order reaches the footer."""
    await page.goto(live_server + "/")
    seen = []
    for _ in range(50):
        await page.keyboard.press("Tab")
        stop = await page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return null;
                const style = getComputedStyle(el);
                const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
                    && style.outlineColor !== 'rgba(0, 0, 0, 0)';
                return {
                    tag: el.tagName,
                    href: el.getAttribute('href'),
                    visible: outline || style.boxShadow !== 'none',
                    inFooter: el.closest('footer') !== null,
                };
            }"""
        )
        if stop is None or (seen and stop == seen[0]):
            break
        seen.append(stop)
    assert seen, "no tab stops"
    assert [s for s in seen if not s["visible"]] == []
    assert any(s["inFooter"] for s in seen), "the footer links are never reached"
    assert any(s["href"] == "/scan" for s in seen)
