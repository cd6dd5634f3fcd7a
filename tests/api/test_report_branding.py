"""A tenant's branding on its downloaded reports (name, colours, logo, contact block), a
branding change rendering them anew, a stored logo or typed text that tries to reach a file
or the network, rendering ahead, and pruning the cache against the scans that exist."""

from __future__ import annotations

import asyncio
import base64
import io
import os
import time
from datetime import UTC, datetime, timedelta

import msgspec
import pypdf
import pytest

from selfscan.report import service
from selfscan.report.cache import scan_folder
from selfscan.scans import service as scans_service
from selfscan.scans import tokens
from selfscan.scans.config import STATE_KEY
from selfscan.scans.tables import Scan
from selfscan.tenants.tables import Tenant
from tests import factories, scans
from tests.api.test_report_pdf import new_scan, pdf_text, report_client
from tests.security.test_report_safety import PASSWD_MARK, server  # noqa: F401 (fixture)

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
SLUG = "wsp-brand"


@pytest.fixture
async def client(make_settings, tmp_path):
    await factories.tenant(
        SLUG,
        "WSP Rijnmond",
        primary_colour="#7a1f5c",
        secondary_colour="#f2b700",
        contact_name="Ayşe Yılmaz",
        contact_email="werkgevers@wsp-rijnmond.nl",
        contact_phone="010 765 43 21",
        privacy_url="https://www.wsp-rijnmond.nl/privacy",
        logo=PNG_1PX,
        logo_type="image/png",
    )
    async with report_client(make_settings, tmp_path) as c:
        yield c


def _images_on_cover(data: bytes) -> int:
    cover = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    return sum(
        x.get_object().get("/Subtype") == "/Image"
        for x in (cover["/Resources"].get("/XObject") or {}).values()
    )


async def _change(client, **columns: object) -> None:
    await Tenant.update({**columns, "updated_at": datetime.now(UTC)}).where(Tenant.slug == SLUG)
    scans_service.forget(client.app)  # what the tenant pages do after a change


def _pdfs(client) -> list:
    return sorted(service.runtime_of(client.app).cache.directory.rglob("*.pdf"))


async def test_the_report_carries_the_tenants_name_logo_and_contact(client):
    _, url = await new_scan(client, tenant=SLUG)
    response = await client.get(url)
    assert response.status_code == 200
    text = pdf_text(response.content)
    for expected in (
        "WSP Rijnmond",
        "Ayşe Yılmaz",
        "werkgevers@wsp-rijnmond.nl",
        "010 765 43 21",
        "https://www.wsp-rijnmond.nl/privacy",
    ):
        assert expected in text, expected
    assert _images_on_cover(response.content) == 1
    assert pypdf.PdfReader(io.BytesIO(response.content)).metadata.author == "WSP Rijnmond"


@pytest.mark.parametrize(
    "columns",
    [
        {"name": "WSP Rijnmond-Zuid"},
        {"primary_colour": "#004d40"},
        {"secondary_colour": "#000000"},
        {"contact_phone": "010 000 00 00"},
        {"logo": PNG_1PX + b"\x00"},
        {"logo": None, "logo_type": ""},
    ],
)
async def test_a_branding_change_renders_the_report_anew(client, columns):
    _, url = await new_scan(client, tenant=SLUG)
    first = await client.get(url)
    assert len(_pdfs(client)) == 1
    await _change(client, **columns)
    again = await client.get(url)
    assert again.status_code == 200
    assert len(_pdfs(client)) == 2 and again.content != first.content
    if "name" in columns:
        assert "WSP Rijnmond-Zuid" in pdf_text(again.content)
    if columns.get("logo", PNG_1PX) is None:
        assert _images_on_cover(again.content) == 0
    # Unchanged branding: the cached file again.
    assert (await client.get(url)).content == again.content and len(_pdfs(client)) == 2


@pytest.mark.parametrize(
    "logo",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<image href="{base}/logo-image.png" width="10" height="10"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        b'width="10" height="10"><image xlink:href="file:///etc/passwd" width="9" height="9"/>'
        b'<image href="{base}/redirect-file" width="9" height="9"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><style>'
        b'@import url("{base}/logo.css"); rect { fill: url("{base}/fill.png") }</style>'
        b'<rect width="10" height="10" style="fill: url({base}/inline.png)"/>'
        b'<use href="{base}/use.svg#x"/></svg>',
    ],
)
async def test_a_stored_svg_logo_reaches_no_file_and_no_network(client, server, logo):  # noqa: F811
    base, hits = server
    # Stored as is, as if the upload's sanitiser had let it through.
    await _change(client, logo=logo.replace(b"{base}", base.encode()), logo_type="image/svg+xml")
    before = list(hits)
    _, url = await new_scan(client, tenant=SLUG)
    response = await client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert hits == before
    assert PASSWD_MARK not in pdf_text(response.content)


@pytest.mark.parametrize("logo_type", ["text/html", "image/svg", "image/svg+xml;x", "url"])
async def test_a_logo_of_another_type_is_not_used(client, server, logo_type):  # noqa: F811
    base, hits = server
    await _change(client, logo=f"{base}/typed.png".encode(), logo_type=logo_type)
    before = list(hits)
    _, url = await new_scan(client, tenant=SLUG)
    response = await client.get(url)
    assert response.status_code == 200
    assert _images_on_cover(response.content) == 0 and hits == before


async def test_what_the_tenant_typed_is_printed_as_text_and_fetches_nothing(client, server):  # noqa: F811
    base, hits = server
    evil = f'<img src="{base}/name.png"><link rel="stylesheet" href="file:///etc/passwd">'
    await _change(
        client,
        name="WSP " + evil[:150],
        contact_name=evil[:190],
        contact_email=f'x@y.nl"><img src="{base}/mail.png">'[:200],
        privacy_url=f'javascript:alert(1)"><iframe src="{base}/frame">',
    )
    before = list(hits)
    _, url = await new_scan(client, tenant=SLUG)
    response = await client.get(url)
    assert response.status_code == 200
    assert hits == before
    text = pdf_text(response.content)
    assert f'<img src="{base}/name.png">' in text
    assert PASSWD_MARK not in text


async def test_render_ahead_makes_the_first_download_a_cached_one(client):
    _, url = await new_scan(client, tenant=SLUG)
    token = url.split("/")[3]
    task = service.render_ahead(client.app, SLUG, token)
    assert task is not None
    await task
    assert len(_pdfs(client)) == 1
    found = await service.report(client.app, SLUG, token)
    assert found.cached
    response = await client.get(url)
    assert response.content == found.pdf


async def test_render_ahead_of_an_unknown_scan_only_logs(client):
    task = service.render_ahead(client.app, SLUG, "x" * 32)
    await task
    assert task.exception() is None and _pdfs(client) == []


async def test_prune_cache_keeps_only_reports_of_scans_that_still_exist(client):
    _, live_url = await new_scan(client, tenant=SLUG)
    _, expired_url = await new_scan(client, tenant=SLUG)
    assert (await client.get(live_url)).status_code == 200
    assert (await client.get(expired_url)).status_code == 200
    directory = service.runtime_of(client.app).cache.directory
    old_template = directory / "an-old-template" / scan_folder("c" * 64) / "x.pdf"
    old_template.parent.mkdir(parents=True)
    old_template.write_bytes(b"%PDF old")
    live_file, expired_file = (
        next(directory.rglob(f"{scan_folder(tokens.hash_token(u.split('/')[3]))}/*.pdf"))
        for u in (live_url, expired_url)
    )
    expired_hash = tokens.hash_token(expired_url.split("/")[3])
    await Scan.update({Scan.expires_at: datetime.now(UTC) - timedelta(days=1)}).where(
        Scan.token_hash == expired_hash
    )

    result = await service.prune_cache(directory)

    assert live_file.exists() and not expired_file.exists() and not old_template.exists()
    assert result.removed == 2 and result.kept == 1 and result.stale_templates == 1
    # An old report of a live scan goes after max_age_days and is rendered anew on request.
    long_ago = time.time() - 40 * 86400
    os.utime(live_file, (long_ago, long_ago))
    await service.prune_cache(directory, max_age_days=30)
    assert not live_file.exists()
    assert (await client.get(live_url)).status_code == 200 and live_file.exists()


async def test_completing_a_scan_on_the_pages_renders_its_report_ahead(client):
    # Off in tests by default (every completed scan would render a PDF); on in a service.
    from tests.web.test_selfscan_flow import complete

    config = client.app.state[STATE_KEY]
    client.app.state[STATE_KEY] = msgspec.structs.replace(config, render_ahead=True)
    scans_service.forget(client.app)
    await scans.default_tenant()
    token = await complete(client)
    runtime = service.runtime_of(client.app)
    pending = list(runtime.ahead)
    assert len(pending) == 1
    await asyncio.gather(*pending)
    found = await service.report(client.app, "coop", token)
    assert found.cached
    assert len(_pdfs(client)) == 1


async def test_without_render_ahead_completing_a_scan_renders_nothing(client):
    from tests.web.test_selfscan_flow import complete

    scans_service.forget(client.app)
    await scans.default_tenant()
    await complete(client)
    assert not service.runtime_of(client.app).ahead
    assert _pdfs(client) == []
