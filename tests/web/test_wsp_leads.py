"""The WSP's back office for leads and its dashboard, pages and API: what a WSP user sees
of its own tenant, and that another tenant's scans and leads do not exist for it (404),
by page, by CSV and by API. Both engines."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from coop.accounts.roles import Role
from selfscan.tenants.leads import repository as leads
from selfscan.tenants.leads.rules import ContactRequest
from selfscan.tenants.leads.tables import Lead
from tests import factories
from tests.api.test_me_and_tokens import new_token
from tests.factories import csrf_from, login
from tests.scans import completed_scan

pytestmark = pytest.mark.usefixtures("migrated")


async def nothing(_created) -> None:
    return None


async def lead_for(slug: str, organisation: str, *, pick="middle", when=None) -> int:
    tenant = await leads.tenant(slug)
    token, _ = await completed_scan(pick, tenant_id=tenant.id, when=when)
    from selfscan.scans import repository as scans

    scan = await scans.find(token, when=when)
    created = await leads.create(
        tenant=tenant,
        scan_id=scan.id,
        scan_token=token,
        request=ContactRequest(
            organisation=organisation,
            contact_name="Anna de Vries",
            email="anna@example.org",
            phone="0612345678",
            question='=HYPERLINK("http://evil")',
        ),
        lang="nl",
        then=nothing,
        when=when,
    )
    return created.lead_id


@pytest.fixture
async def two_tenants():
    noord = await factories.tenant("wsp-noord", "WSP Noord")
    zuid = await factories.tenant("wsp-zuid", "WSP Zuid")
    return noord, zuid


@pytest.fixture
async def wsp_user(two_tenants):
    return await factories.user(Role.WSP, tenant_id=two_tenants[0])


async def test_a_wsp_user_sees_its_own_leads_with_result_and_pdf(client, wsp_user):
    own = await lead_for("wsp-noord", "Bakkerij Noord")
    await lead_for("wsp-zuid", "Garage Zuid")
    await login(client, wsp_user)
    page = await client.get("/wsp/wsp-noord/leads")
    assert page.status_code == 200
    assert "Bakkerij Noord" in page.text
    assert "Garage Zuid" not in page.text
    row = await Lead.select(Lead.scan_token).where(Lead.id == own).first()
    assert f'href="/scan/wsp-noord/{row["scan_token"]}/rapport.pdf"' in page.text
    detail = await client.get(f"/wsp/wsp-noord/leads/{own}")
    assert detail.status_code == 200
    assert "Ja, WSP Noord mag contact met mij opnemen over deze scan." in detail.text
    assert f'href="/scan/wsp-noord/{row["scan_token"]}/resultaat"' in detail.text


async def test_status_and_note_are_saved_and_bad_input_is_kept(client, wsp_user):
    own = await lead_for("wsp-noord", "Bakkerij Noord")
    await login(client, wsp_user)
    page = await client.get(f"/wsp/wsp-noord/leads/{own}")
    token = csrf_from(page.text)
    bad = await client.post(
        f"/wsp/wsp-noord/leads/{own}",
        data={"status": "gewonnen", "note": "Gebeld op maandag", "_csrf": token},
    )
    assert bad.status_code == 422
    assert "Kies nieuw, benaderd of afgerond." in bad.text
    assert "Gebeld op maandag" in bad.text
    good = await client.post(
        f"/wsp/wsp-noord/leads/{own}",
        data={"status": "benaderd", "note": "Gebeld op maandag", "_csrf": token},
    )
    assert good.status_code == 303
    row = await Lead.select(Lead.status, Lead.note).where(Lead.id == own).first()
    assert row == {"status": "benaderd", "note": "Gebeld op maandag"}
    # Without the CSRF token nothing changes.
    r = await client.post(f"/wsp/wsp-noord/leads/{own}", data={"status": "afgerond"})
    assert r.status_code == 403
    assert (await Lead.select(Lead.status).where(Lead.id == own).first())["status"] == "benaderd"


async def test_another_tenants_leads_and_scans_do_not_exist_for_a_wsp_user(client, wsp_user):
    other = await lead_for("wsp-zuid", "Garage Zuid")
    await login(client, wsp_user)
    page = await client.get("/wsp/wsp-noord/leads")
    token = csrf_from(page.text)
    for path in (
        "/wsp/wsp-zuid/leads",
        "/wsp/wsp-zuid/leads.csv",
        "/wsp/wsp-zuid/dashboard",
        "/wsp/wsp-zuid/scans.csv",
        f"/wsp/wsp-zuid/leads/{other}",
        f"/wsp/wsp-noord/leads/{other}",  # its own slug, another tenant's lead
        "/wsp/wsp-noord/leads/99999999999",
    ):
        r = await client.get(path)
        assert r.status_code == 404, path
        assert "Garage Zuid" not in r.text
    for path in (f"/wsp/wsp-zuid/leads/{other}", f"/wsp/wsp-noord/leads/{other}"):
        r = await client.post(path, data={"status": "afgerond", "note": "x", "_csrf": token})
        assert r.status_code == 404, path
    row = await Lead.select(Lead.status, Lead.note).where(Lead.id == other).first()
    assert row == {"status": "nieuw", "note": ""}
    exported = await client.get("/wsp/wsp-noord/leads.csv")
    assert "Garage Zuid" not in exported.text


async def test_other_roles_may_not_and_an_admin_may(client, two_tenants):
    await lead_for("wsp-noord", "Bakkerij Noord")
    member = await factories.user(Role.MEMBER)
    await login(client, member)
    assert (await client.get("/wsp/wsp-noord/leads")).status_code == 403
    client.cookies.clear()
    admin = await factories.user(Role.ADMIN)
    await login(client, admin)
    page = await client.get("/wsp/wsp-noord/leads")
    assert page.status_code == 200 and "Bakkerij Noord" in page.text
    client.cookies.clear()
    assert (await client.get("/wsp/wsp-noord/leads")).status_code == 303  # to the login page


async def test_the_leads_csv_is_semicolon_utf8_with_bom_and_safe_in_excel(client, wsp_user):
    await lead_for("wsp-noord", "Bakkerij Noord")
    await login(client, wsp_user)
    r = await client.get("/wsp/wsp-noord/leads.csv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["id", "datum", "status", "organisatie", "naam"]
    assert rows[1][3] == "Bakkerij Noord"
    assert rows[1][2] == "Nieuw"
    assert rows[1][7].startswith("'=")  # a formula is written as text


async def test_the_dashboard_counts_scans_themes_levels_and_leads(client, wsp_user):
    noord = (await leads.tenant("wsp-noord")).id
    zuid = (await leads.tenant("wsp-zuid")).id
    now = datetime.now(UTC)
    await completed_scan("best", tenant_id=noord, when=now)
    await completed_scan("worst", tenant_id=noord, when=now - timedelta(days=62))
    await completed_scan("worst", tenant_id=zuid, when=now)
    lead_id = await lead_for("wsp-noord", "Bakkerij Noord", pick="best")
    await Lead.update({Lead.status: "afgerond"}).where(Lead.id == lead_id)
    await login(client, wsp_user)
    page = await client.get("/wsp/wsp-noord/dashboard")
    assert page.status_code == 200
    assert "Uw zelfscan is 3 keer ingevuld." in page.text
    assert "1 werkgever vroeg om contact." in page.text
    # The best and the worst answers average to 50 on the first theme, the lead's best too:
    # (100 + 0 + 100) / 3.
    assert "66,7" in page.text
    assert "<svg" in page.text and 'aria-hidden="true"' in page.text

    r = await client.get("/wsp/wsp-noord/scans.csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 4  # the header and noord's three scans, none of zuid's
    assert "token" not in ";".join(rows[0]) and "answers" not in ";".join(rows[0])


# --- the API -------------------------------------------------------------------------------


async def test_the_api_lists_reads_and_patches_only_its_own_tenants_leads(client, wsp_user):
    own = await lead_for("wsp-noord", "Bakkerij Noord")
    other = await lead_for("wsp-zuid", "Garage Zuid")
    headers = {"authorization": f"Bearer {await make_token(wsp_user, 'write')}"}

    listed = await client.get("/api/v1/tenants/wsp-noord/leads", headers=headers)
    assert listed.status_code == 200
    body = listed.json()
    assert body["total"] == 1 and body["limit"] == 50 and body["offset"] == 0
    assert body["items"][0]["organisation"] == "Bakkerij Noord"
    assert body["items"][0]["scan"]["report_url"].endswith("/rapport.pdf")
    assert "set-cookie" not in listed.headers

    for path in (
        "/api/v1/tenants/wsp-zuid/leads",
        f"/api/v1/tenants/wsp-zuid/leads/{other}",
        f"/api/v1/tenants/wsp-noord/leads/{other}",
    ):
        r = await client.get(path, headers=headers)
        assert r.status_code == 404, path
        assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.patch(
        f"/api/v1/tenants/wsp-noord/leads/{other}", json={"status": "afgerond"}, headers=headers
    )
    assert r.status_code == 404

    changed = await client.patch(
        f"/api/v1/tenants/wsp-noord/leads/{own}",
        json={"status": "benaderd", "note": "Mail gestuurd"},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["status"] == "benaderd"
    bad = await client.patch(
        f"/api/v1/tenants/wsp-noord/leads/{own}", json={"status": "gewonnen"}, headers=headers
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert (await Lead.select(Lead.status).where(Lead.id == own).first())["status"] == "benaderd"


async def test_a_read_token_cannot_patch(client, wsp_user):
    own = await lead_for("wsp-noord", "Bakkerij Noord")
    headers = {"authorization": f"Bearer {await make_token(wsp_user, 'read')}"}
    r = await client.patch(
        f"/api/v1/tenants/wsp-noord/leads/{own}", json={"status": "afgerond"}, headers=headers
    )
    assert r.status_code == 403
    assert (await client.get("/api/v1/tenants/wsp-noord/leads", headers={})).status_code == 401


async def make_token(user, scope: str) -> str:
    created = await new_token(user.id, scope)
    return created.token
