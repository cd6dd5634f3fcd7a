"""The tenant back office: admins create and edit tenants and invite their users; a WSP
user manages its own tenant's settings (branding, contact, origins, leads, consent) and
sees nothing of other tenants (404)."""

from __future__ import annotations

import re

import pytest

from coop.accounts.roles import Role
from selfscan.tenants import repository
from selfscan.tenants.tables import ConsentVersion
from tests import factories
from tests.factories import csrf_from, login

pytestmark = pytest.mark.usefixtures("migrated")

GOOD = {
    "contact_name": "Rachid Bouzid",
    "contact_email": "Werkgevers@wsp-rijnmond.nl",
    "contact_phone": "010 765 43 21",
    "lead_email": "leads@wsp-rijnmond.nl",
    "privacy_url": "https://www.wsp-rijnmond.nl/privacy",
    "consent_text": "Ja, WSP Rijnmond mag contact met mij opnemen.",
    "primary_colour": "#00584D",
    "secondary_colour": "b3450f",
    "allowed_origins": "https://www.wsp-rijnmond.nl/\nhttp://127.0.0.1:8001",
}


@pytest.fixture
async def tenants():
    own = await factories.tenant("wsp-rijnmond", "WSP Rijnmond")
    other = await factories.tenant("wsp-twente", "WSP Twente", lead_email="leads@twente.nl")
    return own, other


async def as_wsp(client, tenant_id: int):
    who = await factories.user(Role.WSP, tenant_id=tenant_id)
    assert (await login(client, who)).status_code == 303
    return who


async def as_admin(client):
    who = await factories.user(Role.ADMIN)
    assert (await login(client, who)).status_code == 303
    return who


async def post_form(client, path: str, data: dict[str, str], page: str | None = None):
    page = page or path
    form = await client.get(page)
    assert form.status_code == 200, form.text
    return await client.post(path, data={**data, "_csrf": csrf_from(form.text)})


async def test_a_wsp_user_saves_its_settings_and_the_scan_shows_them(client, tenants):
    await as_wsp(client, tenants[0])
    home = await client.get("/wsp")
    assert home.status_code == 303
    assert home.headers["location"] == "/wsp/wsp-rijnmond/instellingen"
    page = await client.get("/wsp/wsp-rijnmond/instellingen")
    assert page.status_code == 200
    # The snippet, ready to copy, and the live preview of its own scan.
    assert (
        "&lt;script src=&#34;http://127.0.0.1:8000/embed.js&#34; "
        "data-wsp=&#34;wsp-rijnmond&#34; async&gt;&lt;/script&gt;" in page.text
    )
    assert "&lt;noscript&gt;" in page.text
    preview = re.search(r'<iframe class="tenant-preview" src="([^"]+)"', page.text).group(1)
    assert preview.startswith("/scan/wsp-rijnmond?parent=http%3A%2F%2F127.0.0.1%3A8000&amp;v=")
    framed = await client.get(preview.replace("&amp;", "&"))
    assert '<meta name="scan-parent" content="http://127.0.0.1:8000">' in framed.text
    r = await post_form(client, "/wsp/wsp-rijnmond/instellingen", GOOD)
    assert r.status_code == 303, r.text
    row = await repository.by_slug("wsp-rijnmond")
    assert row["allowed_origins"] == ["https://www.wsp-rijnmond.nl", "http://127.0.0.1:8001"]
    assert row["primary_colour"] == "#00584d" and row["secondary_colour"] == "#b3450f"
    assert row["contact_email"] == "werkgevers@wsp-rijnmond.nl"
    assert row["consent_version"] == 2  # the factory's text was version 1
    scan = await client.get("/scan/wsp-rijnmond")
    assert (
        "frame-ancestors 'self' https://www.wsp-rijnmond.nl http://127.0.0.1:8001"
        in (scan.headers["content-security-policy"])
    )
    assert "Rachid Bouzid" in scan.text


async def test_the_consent_text_is_versioned(client, tenants):
    await as_wsp(client, tenants[0])
    await post_form(client, "/wsp/wsp-rijnmond/instellingen", GOOD)
    await post_form(client, "/wsp/wsp-rijnmond/instellingen", {**GOOD, "contact_name": "Anna"})
    assert (await repository.by_slug("wsp-rijnmond"))["consent_version"] == 2
    await post_form(client, "/wsp/wsp-rijnmond/instellingen", {**GOOD, "consent_text": "Nieuw."})
    assert (await repository.by_slug("wsp-rijnmond"))["consent_version"] == 3
    versions = (
        await ConsentVersion.select(ConsentVersion.version, ConsentVersion.text)
        .where(ConsentVersion.tenant == tenants[0])
        .order_by(ConsentVersion.version)
    )
    assert [v["version"] for v in versions] == [1, 2, 3]
    assert versions[2]["text"] == "Nieuw." and versions[1]["text"] == GOOD["consent_text"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("primary_colour", "#ffdd00", "Deze kleur is te licht"),
        ("secondary_colour", "#7fb2e5", "Deze kleur is te licht"),
        ("primary_colour", "blauw", "Vul een kleur in als #"),
        (
            "allowed_origins",
            "http://www.wsp-rijnmond.nl",
            "gebruik een adres dat begint met https://",
        ),
        ("allowed_origins", "https://www.wsp.nl/pagina", "is geen geldig adres"),
        ("allowed_origins", "http://localhost", "gebruik een adres dat begint met https://"),
        ("lead_email", "geen-adres", "Dit is geen geldig e-mailadres"),
        ("privacy_url", "http://www.wsp.nl/privacy", "begint met https://"),
        ("consent_text", "", "Vul dit veld in"),
    ],
)
async def test_wrong_settings_are_named_next_to_the_field_and_kept(
    client, tenants, field, value, message
):
    await as_wsp(client, tenants[0])
    before = await repository.by_slug("wsp-rijnmond")
    r = await post_form(client, "/wsp/wsp-rijnmond/instellingen", {**GOOD, field: value})
    assert r.status_code == 400
    error = re.search(
        rf'<span class="field-error" id="fout-{field}">(.*?)</span>\s*(?:<input|<textarea)',
        r.text,
        re.S,
    )
    assert error, f"no error next to {field}"
    assert message in error.group(1)
    assert GOOD["contact_name"] in r.text  # what was typed is kept
    if value:
        assert value in r.text
    assert await repository.by_slug("wsp-rijnmond") == before  # nothing stored


async def test_in_production_only_https_origins(make_client, tenants):
    async with make_client(
        base_url="https://coop.example.nl", COOP_ENV="production", SECRET_KEY="x" * 40
    ) as client:
        who = await factories.user(Role.WSP, tenant_id=tenants[0])
        assert (await login(client, who)).status_code == 303
        r = await post_form(
            client,
            "/wsp/wsp-rijnmond/instellingen",
            {**GOOD, "allowed_origins": "http://127.0.0.1:8001"},
        )
        assert r.status_code == 400
        assert "gebruik een adres dat begint met https://" in r.text
        r = await post_form(
            client, "/wsp/wsp-rijnmond/instellingen", {**GOOD, "allowed_origins": "https://a.nl"}
        )
        assert r.status_code == 303


async def test_a_wsp_user_sees_nothing_of_another_tenant(client, tenants):
    await as_wsp(client, tenants[0])
    twente = await repository.by_slug("wsp-twente")
    for path in (
        "/wsp/wsp-twente/instellingen",
        "/wsp/bestaat-niet/instellingen",
        "/beheer/wsp",
        "/beheer/wsp/wsp-twente",
        "/beheer/wsp/nieuw",
    ):
        r = await client.get(path)
        assert r.status_code == 404, path
        assert "WSP Twente" not in r.text and "leads@twente.nl" not in r.text
    own = await client.get("/wsp/wsp-rijnmond/instellingen")
    csrf = csrf_from(own.text)
    for path, data in (
        ("/wsp/wsp-twente/instellingen", {**GOOD, "_csrf": csrf}),
        ("/wsp/wsp-twente/logo/verwijderen", {"_csrf": csrf}),
        ("/beheer/wsp/wsp-twente", {"name": "Overgenomen", "region_code": "AM05", "_csrf": csrf}),
    ):
        r = await client.post(path, data=data)
        assert r.status_code == 404, path
    assert await repository.by_slug("wsp-twente") == twente


async def test_anonymous_visitors_are_sent_to_log_in(client, tenants):
    for path in ("/wsp", "/wsp/wsp-rijnmond/instellingen", "/beheer/wsp"):
        r = await client.get(path)
        assert r.status_code == 303, path
        assert r.headers["location"].startswith("/login?volgende="), path
    r = await client.post("/wsp/wsp-rijnmond/instellingen", data=GOOD)
    assert r.status_code == 403  # no session, so no CSRF token: refused before anything
    assert (await repository.by_slug("wsp-rijnmond"))["contact_name"] == ""


async def test_other_roles_have_no_tenant_back_office(client, tenants):
    member = await factories.user(Role.MEMBER)
    await login(client, member)
    for path in ("/wsp/wsp-rijnmond/instellingen", "/beheer/wsp"):
        assert (await client.get(path)).status_code == 403, path


async def test_an_admin_creates_a_tenant_and_invites_its_user(client, tenants):
    await as_admin(client)
    listing = await client.get("/beheer/wsp")
    assert "WSP Rijnmond" in listing.text and "WSP Twente" in listing.text
    r = await post_form(
        client, "/beheer/wsp/nieuw", {"slug": "Wsp-Zeeland", "name": "", "region_code": "AM99"}
    )
    assert r.status_code == 400
    assert "Vul de naam van het werkgeversservicepunt in." in r.text
    assert "Kies een arbeidsmarktregio." in r.text
    assert 'value="wsp-zeeland"' in r.text
    r = await post_form(
        client, "/beheer/wsp/nieuw", {"slug": "wsp-rijnmond", "name": "X", "region_code": "AM24"}
    )
    assert r.status_code == 400 and "Dit adres is al in gebruik" in r.text
    r = await post_form(
        client,
        "/beheer/wsp/nieuw",
        {"slug": "wsp-zeeland", "name": "WSP Zeeland", "region_code": "AM24", "active": "1"},
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/beheer/wsp/wsp-zeeland?nieuw=1"
    row = await repository.by_slug("wsp-zeeland")
    assert row["region_code"] == "AM24" and row["active"] and row["consent_version"] == 1
    assert (await client.get("/scan/wsp-zeeland")).status_code == 200
    # The invitation form, with the role and this tenant already chosen.
    invite = await client.get("/beheer/wsp/wsp-zeeland/gebruiker-uitnodigen")
    assert invite.status_code == 200
    assert re.search(r'value="wsp"[^>]*checked', invite.text)
    assert re.search(rf'<option value="{row["id"]}" selected>', invite.text)
    r = await client.post(
        "/beheer/gebruikers/uitnodigen",
        data={
            "email": "wsp@zeeland.nl",
            "name": "Zee Land",
            "role": "wsp",
            "tenant": str(row["id"]),
            "_csrf": csrf_from(invite.text),
        },
    )
    assert r.status_code == 303
    from coop.accounts.tables import User

    user = await User.select(User.role, User.tenant).where(User.email == "wsp@zeeland.nl").first()
    assert user == {"role": "wsp", "tenant": row["id"]}


async def test_an_admin_deactivates_a_tenant_but_not_the_cooperative(client, tenants):
    await factories.tenant("coop", "Coöperatie Inclusief Werk")
    await as_admin(client)
    r = await post_form(
        client, "/beheer/wsp/wsp-twente", {"name": "WSP Twente", "region_code": "AM05"}
    )
    assert r.status_code == 303
    assert not (await repository.by_slug("wsp-twente"))["active"]
    assert (await client.get("/scan/wsp-twente")).status_code == 404
    r = await post_form(client, "/beheer/wsp/coop", {"name": "Coöperatie", "region_code": "AM01"})
    assert r.status_code == 400
    assert "blijft actief" in r.text
    assert (await repository.by_slug("coop"))["active"]


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


async def test_logo_upload_checks_type_and_size_and_sanitises_svg(client, tenants):
    await as_wsp(client, tenants[0])

    async def upload(name: str, content: bytes, kind: str):
        page = await client.get("/wsp/wsp-rijnmond/instellingen")
        return await client.post(
            "/wsp/wsp-rijnmond/logo",
            data={"_csrf": csrf_from(page.text)},
            files={"logo": (name, content, kind)},
        )

    r = await upload("logo.gif", b"GIF89a....", "image/png")
    assert r.status_code == 400 and "geen PNG of SVG" in r.text
    r = await upload("groot.png", PNG + b"\x00" * 210_000, "image/png")
    assert r.status_code in (400, 413)
    assert (await repository.logo("wsp-rijnmond")) is None
    r = await upload("logo.png", PNG, "image/png")
    assert r.status_code == 303
    assert (await repository.logo("wsp-rijnmond"))[1] == "image/png"
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        b'onload="alert(1)"><script>alert(1)</script><foreignObject><p>x</p></foreignObject>'
        b'<image href="https://evil.example/x.png"/><a href="javascript:alert(1)"><rect/></a>'
        b'<use xlink:href="https://evil.example/s.svg#a"/><circle r="3" fill="#00584d"/></svg>'
    )
    r = await upload("logo.svg", svg, "image/svg+xml")
    assert r.status_code == 303
    stored, kind, _etag = await repository.logo("wsp-rijnmond")
    assert kind == "image/svg+xml"
    for bad in (b"script", b"onload", b"foreignObject", b"evil", b"javascript", b"<image", b"<a "):
        assert bad not in stored, bad
    assert b"<circle" in stored
    page = await client.get("/wsp/wsp-rijnmond/instellingen")
    csrf = csrf_from(page.text)
    r = await client.post("/wsp/wsp-rijnmond/logo/verwijderen", data={"_csrf": csrf})
    assert r.status_code == 303
    assert (await repository.logo("wsp-rijnmond")) is None


async def test_an_admin_may_edit_any_tenants_settings(client, tenants):
    await as_admin(client)
    r = await post_form(client, "/wsp/wsp-twente/instellingen", {**GOOD, "contact_name": "Beheer"})
    assert r.status_code == 303
    assert (await repository.by_slug("wsp-twente"))["contact_name"] == "Beheer"


async def _tenant_events(tenant_id: int) -> list[dict]:
    from coop.audit.tables import AuditEvent

    return (
        await AuditEvent.select(
            AuditEvent.action, AuditEvent.actor_id, AuditEvent.detail, AuditEvent.client_ip
        )
        .where((AuditEvent.object_type == "tenant") & (AuditEvent.object_id == str(tenant_id)))
        .order_by(AuditEvent.id)
    )


async def test_every_change_to_a_tenant_is_in_the_audit_log_without_its_values(client, tenants):
    who = await as_wsp(client, tenants[0])
    await post_form(client, "/wsp/wsp-rijnmond/instellingen", GOOD)
    # Saving the same settings again changes no field; it is still recorded as a save.
    await post_form(client, "/wsp/wsp-rijnmond/instellingen", GOOD)
    page = await client.get("/wsp/wsp-rijnmond/instellingen")
    await client.post(
        "/wsp/wsp-rijnmond/logo",
        data={"_csrf": csrf_from(page.text)},
        files={"logo": ("logo.png", PNG, "image/png")},
    )
    page = await client.get("/wsp/wsp-rijnmond/instellingen")
    await client.post("/wsp/wsp-rijnmond/logo/verwijderen", data={"_csrf": csrf_from(page.text)})
    # A form with errors changes nothing and records nothing.
    bad = await post_form(client, "/wsp/wsp-rijnmond/instellingen", {**GOOD, "lead_email": "x"})
    assert bad.status_code == 400

    events = await _tenant_events(tenants[0])
    assert [e["action"] for e in events] == [
        "tenant_settings_changed",
        "tenant_settings_changed",
        "tenant_logo_set",
        "tenant_logo_removed",
    ]
    assert {e["actor_id"] for e in events} == {who.id}
    assert events[0]["client_ip"] == "127.0.0.1"
    first = events[0]["detail"]
    assert first.startswith("tenant wsp-rijnmond: ")
    for name in ("allowed_origins", "consent_text", "contact_email", "contact_name"):
        assert name in first
    assert events[1]["detail"] == "tenant wsp-rijnmond"
    # Names of fields, never the values: contact details are personal data.
    for value in ("Rachid", "werkgevers@", "rijnmond.nl/privacy", "#00584d"):
        assert all(value not in e["detail"] for e in events)
    # The other tenant was not touched.
    assert await _tenant_events(tenants[1]) == []


async def test_an_admin_creating_and_editing_a_tenant_is_audited(client, tenants):
    who = await as_admin(client)
    await post_form(
        client,
        "/beheer/wsp/nieuw",
        {"slug": "wsp-zeeland", "name": "WSP Zeeland", "region_code": "AM24", "active": "1"},
    )
    row = await repository.by_slug("wsp-zeeland")
    await post_form(
        client,
        "/beheer/wsp/wsp-zeeland",
        {"name": "WSP Zeeland en Walcheren", "region_code": "AM24", "active": "1"},
    )
    events = await _tenant_events(row["id"])
    assert [e["action"] for e in events] == ["tenant_created", "tenant_updated"]
    assert events[1]["detail"] == "tenant wsp-zeeland: name"
    assert {e["actor_id"] for e in events} == {who.id}
