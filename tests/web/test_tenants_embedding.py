"""The scan per tenant and its embedding: branding, the frame ancestors of every answer
under /scan/{wsp}/, ?parent= accepted only from the tenant's list and carried through every
step, no cookies anywhere, and the anti-automation checks on the scan's forms."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from selfscan.scans import service
from selfscan.scans.config import STATE_KEY, config_of
from selfscan.tenants import repository as tenant_repository
from tests import factories
from tests.scans import STEPS, answers, default_tenant, theme_answers

pytestmark = pytest.mark.usefixtures("migrated")

HOST = "http://127.0.0.1:8001"
OTHER = "https://www.ander-wsp.nl"
ORIGIN = "http://testserver.local"  # tests.support.TEST_BASE_URL's origin, see below


@pytest.fixture
async def wsp(client):
    await default_tenant()
    await factories.tenant(
        "wsp-rijnmond",
        "WSP Rijnmond",
        allowed_origins=[HOST, "https://www.wsp-rijnmond.nl"],
        primary_colour="#00584d",
        secondary_colour="#b3450f",
        contact_name="Rachid Bouzid",
        contact_email="werkgevers@wsp-rijnmond.nl",
        contact_phone="010 765 43 21",
        privacy_url="https://www.wsp-rijnmond.nl/privacy",
    )
    await factories.tenant("wsp-twente", "WSP Twente", allowed_origins=[OTHER])
    service.forget(client.app)
    return "wsp-rijnmond"


def frame_ancestors(response) -> str:
    policy = response.headers["content-security-policy"]
    found = [d.strip() for d in policy.split(";") if d.strip().startswith("frame-ancestors")]
    assert len(found) == 1, policy
    return found[0]


def our_origin(client) -> str:
    parts = urlsplit(config_of(client.app).base_url)
    return f"{parts.scheme}://{parts.netloc}"


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


async def test_every_answer_under_the_tenant_carries_exactly_its_origins(client, wsp):
    expected = f"frame-ancestors 'self' {HOST} https://www.wsp-rijnmond.nl"
    intro = await client.get("/scan/wsp-rijnmond")
    assert frame_ancestors(intro) == expected
    assert "x-frame-options" not in intro.headers
    # Errors under the tenant too: an unknown link, a missing step, brand.css.
    assert (
        frame_ancestors(await client.get("/scan/wsp-rijnmond/" + "x" * 32 + "/resultaat"))
        == expected
    )
    assert frame_ancestors(await client.get("/scan/wsp-rijnmond/brand.css")) == expected
    # Another tenant: its own list only.
    assert (
        frame_ancestors(await client.get("/scan/wsp-twente")) == f"frame-ancestors 'self' {OTHER}"
    )
    # Unknown tenant: only ourselves; everything else: nobody.
    unknown = await client.get("/scan/bestaat-niet")
    assert unknown.status_code == 404
    assert frame_ancestors(unknown) == "frame-ancestors 'self'"
    for path in ("/", "/login", "/embed.js", "/api/v1/selfscan/questionnaire", "/toegankelijkheid"):
        r = await client.get(path)
        assert frame_ancestors(r) == "frame-ancestors 'none'", path
        assert r.headers.get("x-frame-options") == "DENY", path


async def test_a_changed_origin_list_takes_effect(client, wsp):
    await tenant_repository.update_settings(
        "wsp-rijnmond",
        (await _settings_with(origins=["https://nieuw.wsp-rijnmond.nl"])),
    )
    service.forget(client.app)
    r = await client.get("/scan/wsp-rijnmond")
    assert frame_ancestors(r) == "frame-ancestors 'self' https://nieuw.wsp-rijnmond.nl"


async def _settings_with(origins: list[str]):
    from selfscan.tenants.schemas import TenantSettings

    row = await tenant_repository.by_slug("wsp-rijnmond")
    return TenantSettings(
        contact_name=row["contact_name"],
        contact_email=row["contact_email"],
        contact_phone=row["contact_phone"],
        lead_email=row["lead_email"],
        privacy_url=row["privacy_url"],
        consent_text=row["consent_text"],
        primary_colour=row["primary_colour"],
        secondary_colour=row["secondary_colour"],
        allowed_origins=origins,
    )


async def test_an_inactive_or_unknown_tenant_is_a_friendly_404(client, wsp):
    await factories.tenant("wsp-oud", "WSP Oud", active=False)
    for path in ("/scan/wsp-oud", "/scan/bestaat-niet", "/scan/wsp-oud/brand.css"):
        r = await client.get(path)
        assert r.status_code == 404, path
        if path.endswith("brand.css"):
            continue
        assert "Deze zelfscan bestaat niet" in r.text
        assert "set-cookie" not in r.headers


async def test_the_tenant_brand_shows_on_its_pages_without_inline_style(client, wsp):
    r = await client.get("/scan/wsp-rijnmond")
    assert r.status_code == 200
    link = re.search(r'href="(/scan/wsp-rijnmond/brand\.css\?v=\d+)"', r.text)
    assert link, "no brand.css link"
    assert "style=" not in r.text and "<style" not in r.text
    assert "Rachid Bouzid" in r.text and "werkgevers@wsp-rijnmond.nl" in r.text
    assert 'href="https://www.wsp-rijnmond.nl/privacy"' in r.text
    css = await client.get(link.group(1))
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert "--brand-primary: #00584d" in css.text and "#b3450f" in css.text
    assert "set-cookie" not in css.headers
    # The cooperative's own scan keeps its own colours.
    own = await client.get("/scan/coop/brand.css")
    assert "--brand-primary: #154273" in own.text


async def test_the_logo_is_served_sanitised_with_a_closed_policy(client, wsp):
    assert (await client.get("/scan/wsp-rijnmond/logo")).status_code == 404
    from selfscan.tenants import logos

    clean, kind = logos.check(
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script>'
        b'<rect width="4" height="4" fill="#00584d"/></svg>'
    )
    await tenant_repository.set_logo("wsp-rijnmond", clean, kind)
    service.forget(client.app)
    r = await client.get("/scan/wsp-rijnmond/logo")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("image/svg+xml")
    assert "sandbox" in r.headers["content-security-policy"]
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert b"script" not in r.content and b"onload" not in r.content
    page = await client.get("/scan/wsp-rijnmond")
    assert re.search(
        r'<img class="scan-brand__logo" src="/scan/wsp-rijnmond/logo\?v=\d+" alt="WSP Rijnmond"',
        page.text,
    )


async def test_embed_js_is_our_small_script_and_sets_no_cookie(client, wsp):
    r = await client.get("/embed.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert "set-cookie" not in r.headers
    assert "event.origin !== origin" in r.text and "event.source !== frame.contentWindow" in r.text
    assert len(r.content) < 8 * 1024
    assert "http" not in re.sub(r"/\*.*?\*/", "", r.text, flags=re.S).replace("https://", "")


async def test_parent_is_accepted_only_from_the_list_and_kept_on_every_step(client, wsp):
    intro = await client.get(f"/scan/wsp-rijnmond?parent={HOST}")
    assert f'<meta name="scan-parent" content="{HOST}">' in intro.text
    assert 'class="scan-embed-header"' in intro.text  # the slim header inside the frame
    assert "primary-nav" not in intro.text
    action = re.search(r'<form method="post" action="([^"]+)"', intro.text).group(1)
    assert query_of(action.replace("&amp;", "&"))["parent"] == [HOST]

    # Not in the list: no parent, the normal page.
    for parent in (OTHER, "http://127.0.0.1:8002", "null", HOST + "/pad", "javascript:alert(1)"):
        r = await client.get("/scan/wsp-rijnmond", params={"parent": parent})
        assert r.status_code == 200
        assert "scan-parent" not in r.text, parent
        main = r.text.split("<main", 1)[1].split("</main>", 1)[0]
        assert "parent=" not in main, parent  # (the language switch keeps any query)

    headers = {"origin": our_origin(client)}
    started = await client.post(f"/scan/wsp-rijnmond?parent={HOST}", headers=headers)
    assert started.status_code == 303
    step = started.headers["location"]
    assert query_of(step)["parent"] == [HOST]
    token = step.split("/")[3]
    chosen = answers("best")
    for n in range(1, STEPS):
        r = await client.post(
            f"/scan/wsp-rijnmond/{token}/stap/{n}?parent={HOST}",
            data={**theme_answers(chosen, n), "ga": "volgende", "website": ""},
            headers=headers,
        )
        assert r.status_code == 303, r.text
        assert query_of(r.headers["location"])["parent"] == [HOST], n
        page = await client.get(r.headers["location"])
        assert f'content="{HOST}"' in page.text
        assert "set-cookie" not in page.headers and "set-cookie" not in r.headers
    r = await client.post(
        f"/scan/wsp-rijnmond/{token}/stap/{STEPS}?parent={HOST}",
        data={"employees": "40", "ga": "volgende"},
        headers=headers,
    )
    assert r.status_code == 303
    assert r.headers["location"].startswith(f"/scan/wsp-rijnmond/{token}/resultaat?")
    assert query_of(r.headers["location"])["parent"] == [HOST]
    result = await client.get(r.headers["location"])
    assert result.status_code == 200
    assert f'content="{HOST}"' in result.text
    assert f'href="/scan/wsp-rijnmond/{token}/rapport.pdf"' in result.text
    for href in re.findall(r'href="(/scan/wsp-rijnmond/[^"]*stap[^"]*)"', result.text):
        assert "parent=" in href, href


async def test_no_scan_or_selfscan_api_answer_sets_a_cookie(client, wsp):
    headers = {"origin": our_origin(client)}
    responses = [
        await client.get("/scan"),
        await client.get("/scan/wsp-rijnmond"),
        await client.get(f"/scan/wsp-rijnmond?parent={HOST}"),
        await client.get("/scan/wsp-rijnmond/brand.css"),
        await client.get("/scan/bestaat-niet"),
        await client.get("/embed.js"),
        await client.get("/api/v1/selfscan/questionnaire"),
        await client.post("/api/v1/selfscan/scans", json={"answers": answers()}),
        await client.post("/api/v1/selfscan/scans", json={"answers": {}}),
        await client.post("/scan/wsp-rijnmond", headers=headers),
    ]
    token = responses[-1].headers["location"].split("/")[3]
    responses.append(await client.get(f"/scan/wsp-rijnmond/{token}/stap/1"))
    responses.append(await client.get(f"/scan/wsp-rijnmond/{token}/resultaat"))
    responses.append(await client.get(f"/api/v1/selfscan/scans/{responses[7].json()['token']}"))
    for r in responses:
        assert "set-cookie" not in r.headers, (r.request.url, r.headers.get("set-cookie"))
    assert not client.cookies


async def test_posts_from_another_site_are_refused(client, wsp):
    before = await _scan_count()
    for headers in (
        {"origin": HOST},  # the WSP's page itself may not post into the scan
        {"origin": "null"},
        {"referer": "https://evil.example/page"},
        {"sec-fetch-site": "cross-site", "origin": our_origin(client)},
    ):
        r = await client.post("/scan/wsp-rijnmond", headers=headers)
        assert r.status_code == 400, headers
        assert "Dit formulier kunnen we niet verwerken" in r.text
    ok = await client.post(
        "/scan/wsp-rijnmond", headers={"referer": our_origin(client) + "/scan/wsp-rijnmond"}
    )
    assert ok.status_code == 303
    assert await _scan_count() == before + 1


async def _scan_count() -> int:
    from selfscan.scans.tables import Scan

    return await Scan.count()


async def test_the_honeypot_refuses_a_filled_in_form(client, wsp):
    intro = await client.get("/scan/wsp-rijnmond")
    assert re.search(
        r'<input id="veld-website" name="website" type="text" tabindex="-1"', intro.text
    )
    r = await client.post("/scan/wsp-rijnmond", data={"website": "https://spam.example"})
    assert r.status_code == 400
    assert await _scan_count() == 0
    started = await client.post("/scan/wsp-rijnmond", data={"website": ""})
    token = started.headers["location"].split("/")[3]
    chosen = theme_answers(answers(), 1)
    r = await client.post(
        f"/scan/wsp-rijnmond/{token}/stap/1", data={**chosen, "website": "x", "ga": "volgende"}
    )
    assert r.status_code == 400
    page = await client.get(f"/scan/wsp-rijnmond/{token}/stap/1")
    assert "checked" not in page.text  # nothing was stored


@pytest.fixture
def limits(client):
    """Small limits for this test; the shared app's config is restored afterwards."""
    import msgspec

    state = client.app.state
    before = state[STATE_KEY]

    def set_limits(**values: int) -> None:
        state[STATE_KEY] = msgspec.structs.replace(before, **values)

    yield set_limits
    state[STATE_KEY] = before


async def test_new_scans_are_limited_per_client_and_per_tenant(client, wsp, limits):
    limits(new_scans_per_minute=3, tenant_new_scans_per_minute=5)
    for _ in range(3):
        assert (await client.post("/scan/wsp-rijnmond")).status_code == 303
    r = await client.post("/scan/wsp-rijnmond")
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    # Other clients share the tenant's limit: two more, then the tenant is full.
    import httpx

    async def as_client(address: str, slug: str = "wsp-rijnmond"):
        transport = httpx.ASGITransport(app=client.app, client=(address, 50000))
        async with httpx.AsyncClient(transport=transport, base_url=str(client.base_url)) as c:
            return await c.post(f"/scan/{slug}")

    assert (await as_client("10.0.0.2")).status_code == 303
    assert (await as_client("10.0.0.3")).status_code == 303
    full = await as_client("10.0.0.4")
    assert full.status_code == 429
    assert "erg veel scans" in full.text
    # Another tenant is not affected by this one's limit.
    assert (await as_client("10.0.0.5", "wsp-twente")).status_code == 303


async def test_posted_steps_are_limited_per_client(client, wsp, limits):
    limits(submits_per_minute=2)
    token = (await client.post("/scan/wsp-rijnmond")).headers["location"].split("/")[3]
    for _ in range(2):
        r = await client.post(f"/scan/wsp-rijnmond/{token}/stap/1", data={"ga": "opslaan"})
        assert r.status_code == 303
    r = await client.post(f"/scan/wsp-rijnmond/{token}/stap/1", data={"ga": "opslaan"})
    assert r.status_code == 429


async def test_a_scan_completed_too_fast_is_sent_back_once(client, wsp, limits):
    limits(min_fill_seconds=3600)
    token = (await client.post("/scan/wsp-rijnmond")).headers["location"].split("/")[3]
    chosen = answers()
    for n in range(1, STEPS):
        await client.post(
            f"/scan/wsp-rijnmond/{token}/stap/{n}",
            data={**theme_answers(chosen, n), "ga": "volgende"},
        )
    r = await client.post(f"/scan/wsp-rijnmond/{token}/stap/{STEPS}", data={"ga": "volgende"})
    assert r.status_code == 303
    assert r.headers["location"] == f"/scan/wsp-rijnmond/{token}/stap/{STEPS}?te_snel=1"
    page = await client.get(r.headers["location"])
    assert "heel snel ingevuld" in page.text
    assert (await client.get(f"/scan/wsp-rijnmond/{token}/resultaat")).status_code == 303
    # Once a person could have read it all, the same click completes the scan.
    limits(min_fill_seconds=0)
    r = await client.post(f"/scan/wsp-rijnmond/{token}/stap/{STEPS}", data={"ga": "volgende"})
    assert r.headers["location"] == f"/scan/wsp-rijnmond/{token}/resultaat"


async def test_a_dead_link_inside_the_frame_keeps_the_frame(client, wsp):
    dead = "/scan/wsp-rijnmond/" + "x" * 32 + "/stap/1"
    r = await client.get(dead, params={"parent": HOST})
    assert r.status_code == 404
    assert "Deze link werkt niet (meer)" in r.text
    assert f'<meta name="scan-parent" content="{HOST}">' in r.text
    assert 'href="/scan/wsp-rijnmond?parent=http%3A%2F%2F127.0.0.1%3A8001"' in r.text
    plain = await client.get(dead)
    assert plain.status_code == 404 and "scan-parent" not in plain.text
    assert 'href="/scan/wsp-rijnmond"' in plain.text
