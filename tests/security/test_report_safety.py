"""The report renderer reaches nothing but data: URLs and its own files, and a render that
runs too long is ended with a 503 while other requests are served.

A live little HTTP server on 127.0.0.1 records every hit; every attempt to reach it (a URL
in the HTML, a stylesheet, an organisation name, a tenant logo, a redirect) must leave it
untouched.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import http.server
import io
import threading
import time

import pypdf
import pytest

from selfscan.report import jobs, render, service
from selfscan.report.fetcher import FONTS_DIR, FetchRefused, SafeFetcher
from selfscan.report.sample import sample_view
from selfscan.report.view import Brand
from tests import factories
from tests.api.test_report_pdf import new_scan, report_client

PASSWD_MARK = "root:x:0:0"


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd" if "file" in self.path else "/hit")
            self.end_headers()
            return
        body = b"body{background:red}" if self.path.endswith(".css") else b"GIF89a"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    hits: list[str] = []
    handler = type("Handler", (_Recorder,), {"hits": hits})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield base, hits
    httpd.shutdown()


def test_the_recording_server_records(server):
    import urllib.request

    base, hits = server
    before = len(hits)
    urllib.request.urlopen(f"{base}/probe", timeout=5).read()  # noqa: S310
    assert len(hits) == before + 1


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "FILE:///etc/passwd",
        f"file://{FONTS_DIR}/../../../../../../etc/passwd",
        f"file://{FONTS_DIR}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "file://evil.example/share/x.png",
        "ftp://127.0.0.1/x",
        "gopher://127.0.0.1/x",
        "javascript:alert(1)",
    ],
)
def test_fetcher_refuses_files_outside_its_folders_and_other_schemes(url):
    with pytest.raises(FetchRefused):
        SafeFetcher().fetch(url)


@pytest.mark.parametrize("path", ["/", "/hit", "/redirect", "/redirect-file"])
def test_fetcher_refuses_the_network_and_redirects(server, path):
    base, hits = server
    before = list(hits)
    for url in (base + path, base.replace("http:", "https:") + path):
        with pytest.raises(FetchRefused):
            SafeFetcher().fetch(url)
    assert hits == before


def test_fetcher_serves_data_urls_and_its_own_fonts():
    response = SafeFetcher().fetch("data:text/plain;base64," + base64.b64encode(b"ok").decode())
    assert response.read() == b"ok"
    font = SafeFetcher().fetch((FONTS_DIR / "SourceSansPro-Regular.ttf").as_uri())
    assert font.read(4) == b"\x00\x01\x00\x00"
    font.close()


def _text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_html_that_points_outside_fetches_nothing(server):
    base, hits = server
    before = list(hits)
    html = f"""<html lang="nl"><head><title>t</title>
      <link rel="stylesheet" href="{base}/style.css">
      <style>@import url("{base}/import.css"); body {{ background: url("{base}/bg.png") }}
      @font-face {{ font-family: X; src: url("{base}/font.ttf") }}</style></head>
      <body><p style="font-family: X">Hallo</p>
      <img src="{base}/img.png" alt="a"><img src="{base}/redirect" alt="b">
      <img src="{base}/redirect-file" alt="c"><img src="file:///etc/passwd" alt="d">
      <object data="{base}/object"></object><iframe src="{base}/frame"></iframe>
      <svg xmlns="http://www.w3.org/2000/svg"><image href="{base}/svg.png"/></svg>
      <a href="{base}/link">link</a></body></html>"""
    data = render.html_to_pdf(html)
    assert data.startswith(b"%PDF")
    assert hits == before
    assert PASSWD_MARK not in _text(data)


def test_organisation_name_is_escaped_and_fetches_nothing(server):
    base, hits = server
    before = list(hits)
    evil = (
        f'<img src="{base}/org.png"><link rel=stylesheet href="{base}/org.css">'
        f'<iframe src="file:///etc/passwd"></iframe>'
    )
    view = sample_view("nl", organisation=evil)
    html = render.render_html(view)
    assert f'<img src="{base}' not in html and "<iframe" not in html
    data = render.html_to_pdf(html)
    assert hits == before
    text = _text(data)
    assert "<img src=" in text  # printed as the text it is
    assert PASSWD_MARK not in text


@pytest.mark.parametrize("logo", ["{base}/logo.png", "{base}/redirect", "file:///etc/passwd"])
def test_tenant_logo_outside_our_folders_fetches_nothing(server, logo):
    base, hits = server
    before = list(hits)
    brand = Brand(name="WSP", slug="wsp", logo=logo.format(base=base))
    data = render.html_to_pdf(render.render_html(sample_view("nl", brand=brand)))
    assert data.startswith(b"%PDF")
    assert hits == before
    assert PASSWD_MARK not in _text(data)


def test_tenant_logo_as_data_url_is_drawn():
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    brand = Brand(
        name="WSP", slug="wsp", logo="data:image/png;base64," + base64.b64encode(png).decode()
    )
    data = render.html_to_pdf(render.render_html(sample_view("nl", brand=brand)))
    first = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    assert any(
        x.get_object().get("/Subtype") == "/Image"
        for x in (first["/Resources"].get("/XObject") or {}).values()
    )


async def test_render_past_its_limit_answers_503_while_others_are_served(
    make_settings, tmp_path, monkeypatch
):
    await factories.tenant("wsp-test", "WSP Test")
    # A deliberately slow job: ten seconds, against a limit of one.
    monkeypatch.setattr(service, "render_job", functools.partial(jobs.sleep_job, 10))
    async with report_client(make_settings, tmp_path, time_limit_s=1.0) as client:
        _, url = await new_scan(client)
        runtime = service.runtime_of(client.app)
        started = time.perf_counter()
        slow = asyncio.create_task(client.get(url))
        await asyncio.sleep(0.2)
        health = await client.get("/health/live")
        assert health.status_code == 200
        assert not slow.done()  # served while the render was still running
        response = await slow
        elapsed = time.perf_counter() - started
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["retry-after"]
    problem = response.json()
    assert problem["status"] == 503 and problem["code"] == "report_unavailable"
    assert 0.9 < elapsed < 30  # one second of limit, plus the workers' start
    assert runtime.pool.replaced == 1
