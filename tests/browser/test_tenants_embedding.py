"""The scan embedded in a WSP's own site, in Chromium: a host page on a second origin
(another port) carries the snippet the WSP copied from its settings page; a user completes
the scan inside the frame, which grows and shrinks with its content, and downloads the PDF;
on a site that is not allowed the browser refuses the frame; messages from other origins
are ignored; and axe-core finds no WCAG 2.1 A/AA violations on the new pages.

The live server ran ``coop demo``: the tenant ``wsp-demo`` and its user
``wsp@demo.coop.test`` exist. The test sets that tenant's allowed origins through its
settings page, as a WSP would.
"""

from __future__ import annotations

import html
import re
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

pytestmark = pytest.mark.browser

WSP_EMAIL, WSP_PASSWORD = "wsp@demo.coop.test", "Haven-Brug-Lantaarn-38"
FRAME = 'iframe[data-coop-selfscan="wsp-demo"]'


class HostSite:
    """A plain web server on 127.0.0.1 and a free port: another origin than the app."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(self.path.split("?")[0])
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write((body or "niet gevonden").encode())

            def log_message(self, *args: Any) -> None:
                pass

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.origin = f"http://127.0.0.1:{port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def host() -> Iterator[HostSite]:
    site = HostSite()
    yield site
    site.close()


@pytest.fixture(scope="module")
def stranger() -> Iterator[HostSite]:
    site = HostSite()
    yield site
    site.close()


def host_page(snippet: str, extra: str = "") -> str:
    return f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>WSP Demo-regio: voor werkgevers</title></head>
<body><header><h1>Werkgeversservicepunt Demo-regio</h1></header>
<main><p>Doe hieronder de zelfscan.</p>
{snippet}
<p id="einde">Einde van de pagina.</p>
{extra}</main></body></html>"""


async def wsp_settings(browser: Any, base: str, origins: str) -> str:
    """Log in as the demo WSP in a context of its own, set the allowed origins on the
    settings page, and return the snippet shown there."""
    context = await browser.new_context()
    page = await context.new_page()
    try:
        await page.goto(base + "/login")
        await page.get_by_label("E-mailadres").fill(WSP_EMAIL)
        await page.get_by_label("Wachtwoord", exact=True).fill(WSP_PASSWORD)
        await page.get_by_role("button", name="Inloggen").click()
        await page.wait_for_url("**/overzicht")
        await page.get_by_role("link", name="Instellingen").first.click()
        await page.wait_for_url("**/wsp/wsp-demo/instellingen")
        await page.get_by_label("Websites (één per regel)").fill(origins)
        await page.get_by_role("button", name="Instellingen opslaan").click()
        await page.wait_for_url("**/wsp/wsp-demo/instellingen?opgeslagen=1")
        return await page.input_value("#scan-snippet")
    finally:
        await context.close()


async def frame_height(page: Any) -> int:
    return await page.eval_on_selector(FRAME, "e => Math.round(e.getBoundingClientRect().height)")


async def settled_height(page: Any, differs_from: int | None = None) -> int:
    """The frame's height once it has stopped changing (and differs, when asked)."""
    last, same = -1, 0
    for _ in range(100):
        await page.wait_for_timeout(100)
        height = await frame_height(page)
        if height == last and (differs_from is None or height != differs_from):
            same += 1
            if same >= 3:
                return height
        else:
            same = 0
        last = height
    raise AssertionError(f"the frame's height did not settle (last {last}px)")


async def answer_all_in(frame: Any, page: Any, last_step: int) -> None:
    for _n in range(1, last_step):
        await frame.locator("#scan-progress-label").wait_for()
        questions = frame.locator("fieldset.question")
        for i in range(await questions.count()):
            await questions.nth(i).locator("input[type=radio]").last.check()
        await frame.get_by_role("button", name="Volgende").click()
        await page.wait_for_timeout(50)


async def test_a_wsp_embeds_the_scan_and_an_employer_completes_it(live_server, browser, page, host):
    snippet = await wsp_settings(browser, live_server, f"{host.origin}\nhttps://www.wsp-demo.nl")
    assert snippet.startswith(
        f'<script src="{live_server}/embed.js" data-wsp="wsp-demo" async></script>'
    )
    assert f'<noscript><a href="{live_server}/scan/wsp-demo">' in snippet
    host.pages["/werkgevers.html"] = host_page(snippet)

    await page.goto(host.origin + "/werkgevers.html")
    iframe = page.locator(FRAME)
    await iframe.wait_for()
    assert await iframe.get_attribute("title") == "Zelfscan banenafspraak"
    src = await iframe.get_attribute("src")
    encoded = host.origin.replace(":", "%3A").replace("/", "%2F")
    assert src == f"{live_server}/scan/wsp-demo?parent={encoded}"
    frame = page.frame_locator(FRAME)
    await frame.get_by_role("heading", name="Hoe klaar bent u voor inclusief werkgeven?").wait_for()
    intro_height = await settled_height(page)
    assert intro_height > 600  # grown from its first 40rem to the page

    await frame.get_by_role("button", name="Start de zelfscan").click()
    steps = 9
    await answer_all_in(frame, page, steps)
    await frame.get_by_label("Aantal medewerkers (niet verplicht)").fill("45")
    await frame.get_by_role("button", name="Bekijk uw resultaat").click()
    await frame.get_by_role("heading", name="Uw resultaat", exact=True).wait_for()
    result_height = await settled_height(page, differs_from=intro_height)
    assert result_height > intro_height + 1000, (intro_height, result_height)
    # The whole result is shown: the frame is as tall as its document, no inner scrolling.
    inner = page.frame(url=re.compile(r".*/resultaat.*"))
    assert inner is not None
    assert f"parent={host.origin}" in inner.url.replace("%3A", ":").replace("%2F", "/")
    document_height = await inner.evaluate(
        "Math.ceil(document.body.getBoundingClientRect().height)"
    )
    assert abs(document_height - result_height) <= 2

    # The PDF downloads from inside the frame.
    async with page.expect_download(timeout=60_000) as caught:
        await frame.get_by_role("link", name="Download het rapport (pdf)").click()
    download = await caught.value
    path = await download.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # Back to a short page: the frame shrinks.
    await frame.get_by_role("link", name="Antwoorden bekijken of aanpassen").click()
    await frame.locator("#scan-progress-label").wait_for()
    step_height = await settled_height(page, differs_from=result_height)
    assert step_height < result_height - 500, (step_height, result_height)

    # Nothing in the browser: no cookie for the host page, nor for the scan.
    assert await page.context.cookies() == []


async def test_the_snippet_on_a_site_that_is_not_allowed_shows_no_scan(
    live_server, browser, page, host, stranger
):
    await wsp_settings(browser, live_server, host.origin)
    snippet = f'<script src="{live_server}/embed.js" data-wsp="wsp-demo" async></script>'
    stranger.pages["/kopie.html"] = host_page(snippet)
    refusals: list[str] = []
    page.on("console", lambda message: refusals.append(message.text))
    await page.goto(stranger.origin + "/kopie.html")
    await page.locator(FRAME).wait_for(state="attached")
    await page.wait_for_timeout(1500)
    frames = [f for f in page.frames if f != page.main_frame]
    assert len(frames) == 1
    assert not frames[0].url.startswith(live_server + "/scan/wsp-demo?")  # chrome-error
    for found in frames:
        try:
            text = await found.evaluate("document.body ? document.body.innerText : ''")
        except Exception:
            text = ""
        assert "Start de zelfscan" not in text
    assert any("frame-ancestors" in line for line in refusals), refusals
    # The frame keeps the script's first height: no message came from a scan.
    assert await frame_height(page) == 640


async def test_messages_from_other_origins_are_ignored(live_server, browser, page, host, stranger):
    await wsp_settings(browser, live_server, host.origin)
    stranger.pages["/boos.html"] = """<!doctype html><html lang="nl"><head><title>x</title></head>
<body><script>
setInterval(function () {
  parent.postMessage({type: "coop-selfscan", height: 4321, navigated: true}, "*");
}, 100);
</script></body></html>"""
    snippet = f'<script src="{live_server}/embed.js" data-wsp="wsp-demo" async></script>'
    extra = (
        f'<iframe src="{stranger.origin}/boos.html" title="Ander"></iframe>'
        "<button id='zelf' type='button'>zelf</button>"
    )
    host.pages["/met-ander.html"] = host_page(snippet, extra)
    await page.goto(host.origin + "/met-ander.html")
    await page.frame_locator(FRAME).get_by_role("button", name="Start de zelfscan").wait_for()
    honest = await settled_height(page)
    # The host page itself posts a look-alike message: its origin is not ours.
    await page.evaluate(
        "window.postMessage({type: 'coop-selfscan', height: 4321}, window.location.origin)"
    )
    await page.wait_for_timeout(800)
    assert await frame_height(page) == honest
    assert honest != 4321


async def test_no_axe_violations_on_the_embedded_and_branded_scan(live_server, page, axe, host):
    for path in (
        "/scan/wsp-demo",
        "/scan/wsp-rijnmond",
        "/scan/wsp-rijnmond?parent=http://127.0.0.1:8001",
    ):
        await page.goto(live_server + path)
        violations = await axe(page)
        assert not violations, f"axe-core on {path}:\n{violations.report()}"
    # A step and the logo/brand CSS inside the embedded layout.
    await page.goto(live_server + "/scan/wsp-rijnmond?parent=http://127.0.0.1:8001")
    await page.get_by_role("button", name="Start de zelfscan").click()
    await page.locator("#scan-progress-label").wait_for()
    assert "parent=" in page.url
    violations = await axe(page)
    assert not violations, f"axe-core on an embedded step:\n{violations.report()}"


async def test_no_axe_violations_on_the_wsp_settings_page(live_server, browser, axe):
    context = await browser.new_context()
    page = await context.new_page()
    try:
        await page.goto(live_server + "/login")
        await page.get_by_label("E-mailadres").fill(WSP_EMAIL)
        await page.get_by_label("Wachtwoord", exact=True).fill(WSP_PASSWORD)
        await page.get_by_role("button", name="Inloggen").click()
        await page.wait_for_url("**/overzicht")
        await page.goto(live_server + "/wsp/wsp-demo/instellingen")
        violations = await axe(page)
        assert not violations, f"axe-core on the settings page:\n{violations.report()}"
        # With errors next to the fields.
        await page.get_by_label("Hoofdkleur").fill("#ffee00")
        await page.get_by_label("Websites (één per regel)").fill("http://www.wsp-demo.nl/pad")
        await page.get_by_role("button", name="Instellingen opslaan").click()
        await page.locator(".error-summary").wait_for()
        assert await page.input_value("#veld-primary_colour") == "#ffee00"
        assert "te licht" in await page.inner_text("#fout-primary_colour")
        violations = await axe(page)
        assert not violations, f"axe-core on the settings page with errors:\n{violations.report()}"
        # The logo form with a wrong file.
        await page.set_input_files(
            "#veld-logo", files=[{"name": "x.gif", "mimeType": "image/gif", "buffer": b"GIF89a"}]
        )
        await page.get_by_role("button", name="Logo opslaan").click()
        await page.locator("#fout-logo").wait_for()
        violations = await axe(page)
        assert not violations, f"axe-core with a logo error:\n{violations.report()}"
    finally:
        await context.close()


@pytest.mark.usefixtures("migrated")
async def test_no_axe_violations_on_the_admin_tenant_pages(live_server, page, axe, client):
    """The admin pages as the app renders them (in-process, with a test admin), shown at
    the live server's address so its styles and scripts load as they would."""
    from coop.accounts.roles import Role
    from tests import factories

    await factories.tenant("coop", "Coöperatie Inclusief Werk", region_code="AM01")
    await factories.tenant("wsp-rijnmond", "WSP Rijnmond", region_code="AM22")
    admin = await factories.user(Role.ADMIN)
    await factories.login(client, admin)
    rendered = {
        "/beheer/wsp": (await client.get("/beheer/wsp")).text,
        "/beheer/wsp/nieuw": (await client.get("/beheer/wsp/nieuw")).text,
        "/beheer/wsp/wsp-rijnmond": (await client.get("/beheer/wsp/wsp-rijnmond")).text,
    }
    form = await client.get("/beheer/wsp/nieuw")
    rendered["/beheer/wsp/nieuw?fout=1"] = (
        await client.post(
            "/beheer/wsp/nieuw",
            data={
                "slug": "Fout Adres",
                "name": "",
                "region_code": "",
                "_csrf": factories.csrf_from(form.text),
            },
        )
    ).text
    for path, body in rendered.items():
        assert "<h1>" in body, path
        await page.route(live_server + path, _responder(body))
        await page.goto(live_server + path)
        violations = await axe(page)
        assert not violations, f"axe-core on {path}:\n{violations.report()}\n{html.escape(path)}"


def _responder(body: str):  # type: ignore[no-untyped-def]
    async def handle(route: Any) -> None:
        await route.fulfill(body=body, content_type="text/html")

    return handle
