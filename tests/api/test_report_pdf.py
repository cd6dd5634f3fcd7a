"""GET on a scan's report_url: a tagged PDF with the scores the API returned, cached on disk,
rendered anew when the template changes; 404 and 409 like the rest of the self-scan."""

from __future__ import annotations

import io
import re
import time
from contextlib import asynccontextmanager

import pypdf
import pytest

from selfscan.report import service
from selfscan.report.sample import sample_answers
from tests import factories
from tests.conftest import running
from tests.support import TEST_BASE_URL


@asynccontextmanager
async def report_client(make_settings, tmp_path, **config):
    """An app whose report cache is a temporary folder, and a client for it."""
    import httpx

    from coop.app import create_app

    app = create_app(make_settings())
    app.state[service.STATE_KEY] = service.ReportConfig(
        workers=2, cache_dir=str(tmp_path / "reports"), **config
    )
    async with running(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url=TEST_BASE_URL) as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


async def new_scan(client, *, tenant="wsp-test", lang="nl", employees=60):
    response = await client.post(
        "/api/v1/selfscan/scans",
        json={
            "tenant": tenant,
            "answers": sample_answers(),
            "organisation": {"employees": employees, "sector": "C"},
            "lang": lang,
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return body, body["report_url"].removeprefix(TEST_BASE_URL)


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
async def client(make_settings, tmp_path):
    await factories.tenant("wsp-test", "WSP Holland Rijnland")
    async with report_client(make_settings, tmp_path) as c:
        yield c


async def test_report_holds_the_scores_the_api_returned(client):
    body, url = await new_scan(client)
    response = await client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    disposition = response.headers["content-disposition"]
    assert re.fullmatch(
        r'attachment; filename="zelfscan-wsp-test-\d{4}-\d{2}-\d{2}\.pdf"', disposition
    ), disposition
    assert "set-cookie" not in response.headers
    assert "no-store" in response.headers["cache-control"]

    text = pdf_text(response.content)
    for theme in body["themes"]:
        assert theme["title"] in text
        assert f"{theme['score']:.1f}".replace(".", ",") in text
    assert f"{body['overall']:.1f}".replace(".", ",") in text
    assert body["level_label"] in text
    assert "WSP Holland Rijnland" in text

    reader = pypdf.PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfuaid:part(>|=\")1", xmp)
    assert reader.metadata.title


async def test_english_scan_gives_an_english_report(client):
    body, url = await new_scan(client, lang="en")
    response = await client.get(url)
    text = pdf_text(response.content)
    assert "Summary" in text and "Action plan" in text
    assert f"{body['themes'][0]['score']:.1f}" in text
    assert pypdf.PdfReader(io.BytesIO(response.content)).trailer["/Root"]["/Lang"] == "en"


async def test_second_download_comes_from_the_cache_fast_and_identical(client):
    _, url = await new_scan(client)
    first = await client.get(url)
    assert first.status_code == 200
    runtime = service.runtime_of(client.app)
    files = list(runtime.cache.directory.rglob("*.pdf"))
    assert len(files) == 1 and files[0].read_bytes() == first.content
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        again = await client.get(url)
        timings.append(time.perf_counter() - started)
        assert again.content == first.content
    assert min(timings) < 0.05, timings


async def test_a_template_change_renders_the_report_anew(client, monkeypatch):
    _, url = await new_scan(client)
    await client.get(url)
    runtime = service.runtime_of(client.app)
    assert len(list(runtime.cache.directory.rglob("*.pdf"))) == 1
    monkeypatch.setattr(service, "template_version", lambda: "a-new-template")
    again = await client.get(url)
    assert again.status_code == 200
    assert len(list(runtime.cache.directory.rglob("*.pdf"))) == 2


async def test_unknown_token_other_tenant_and_draft(client):
    from selfscan.scans import repository

    _, url = await new_scan(client)
    token = url.split("/")[3]
    assert (await client.get("/scan/wsp-test/" + "x" * 32 + "/rapport.pdf")).status_code == 404
    await factories.tenant("wsp-other", "WSP Other")
    assert (await client.get(f"/scan/wsp-other/{token}/rapport.pdf")).status_code == 404
    tenant = await repository.active_tenant("wsp-test")
    draft = await repository.create_draft(
        tenant_id=tenant["id"], version="2026-1", lang="nl", link_days=30
    )
    response = await client.get(f"/scan/wsp-test/{draft}/rapport.pdf")
    assert response.status_code == 409
    assert "set-cookie" not in response.headers
