"""Leads, the employer's side: the contact form after the result, its mails through a real
SMTP server (aiosmtpd on 127.0.0.1), and withdrawing consent. Both engines."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from coop.mail.tables import OutboxMail
from selfscan.scans.tables import Scan
from selfscan.tenants.leads.tables import Lead
from tests import factories
from tests.api.test_mail_outbox import SmtpServer
from tests.scans import completed_scan

pytestmark = pytest.mark.usefixtures("migrated")

FORM = {
    "organisation": "Bakkerij De Korenaar",
    "contact_name": "Anna de Vries",
    "email": "anna@korenaar.example",
    "phone": "06 12345678",
    "question": "Kunnen we een proefplaatsing doen?",
    "consent": "ja",
}


@pytest.fixture(autouse=True)
def fresh_tenants(shared_app):
    """Tenants are remembered per app for a while; each test makes its own."""
    from selfscan.scans import service

    service.forget(shared_app)


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


async def wsp_scan(slug: str = "wsp-noord", **columns) -> tuple[int, str]:
    tenant_id = await factories.tenant(slug, f"WSP {slug}", **columns)
    token, _ = await completed_scan(tenant_id=tenant_id)
    return tenant_id, token


def no_cookie(response) -> None:
    assert "set-cookie" not in response.headers, response.headers.get("set-cookie")


async def test_the_form_shows_the_tenants_consent_text_unticked_and_sets_no_cookie(client):
    _, token = await wsp_scan()
    result = await client.get(f"/scan/wsp-noord/{token}/resultaat")
    assert f'href="/scan/wsp-noord/{token}/contact"' in result.text
    page = await client.get(f"/scan/wsp-noord/{token}/contact")
    assert page.status_code == 200
    no_cookie(page)
    assert "Ja, WSP wsp-noord mag contact met mij opnemen over deze scan." in page.text
    consent = re.search(r'<input id="veld-consent"[^>]*>', page.text).group(0)
    assert "checked" not in consent
    assert 'name="_csrf"' not in page.text  # no session on scan pages
    assert page.headers["referrer-policy"] == "same-origin"


async def test_without_consent_nothing_is_stored_and_the_input_is_kept(client):
    _, token = await wsp_scan()
    r = await client.post(
        f"/scan/wsp-noord/{token}/contact", data={**FORM, "consent": "", "email": "anna@"}
    )
    assert r.status_code == 422
    no_cookie(r)
    assert "Geef toestemming, anders kunnen wij geen contact met u opnemen." in r.text
    assert "Vul een geldig e-mailadres in" in r.text
    assert 'value="Bakkerij De Korenaar"' in r.text
    assert "Kunnen we een proefplaatsing doen?" in r.text
    assert await Lead.count() == 0
    assert await OutboxMail.count() == 0


async def test_english_errors_and_links_keep_the_language(client):
    _, token = await wsp_scan()
    r = await client.post(f"/scan/wsp-noord/{token}/contact?lang=en", data={})
    assert r.status_code == 422
    assert "Enter the name of your organisation." in r.text
    assert f'action="/scan/wsp-noord/{token}/contact?lang=en"' in r.text


async def test_a_lead_is_stored_with_its_consent_and_its_scan_lives_as_long(client):
    tenant_id, token = await wsp_scan(lead_retention_months=6)
    before = datetime.now(UTC)
    r = await client.post(f"/scan/wsp-noord/{token}/contact", data=FORM)
    assert r.status_code == 303, r.text
    no_cookie(r)
    assert r.headers["location"] == f"/scan/wsp-noord/{token}/contact/verstuurd"
    thanks = await client.get(r.headers["location"])
    assert "Bedankt voor uw aanvraag" in thanks.text

    lead = await Lead.select().first()
    assert lead["tenant"] == tenant_id
    assert lead["organisation"] == "Bakkerij De Korenaar"
    assert lead["consent_text"] == "Ja, WSP wsp-noord mag contact met mij opnemen over deze scan."
    assert lead["consent_version"] == 1
    assert before <= lead["consented_at"] <= datetime.now(UTC)
    assert lead["status"] == "nieuw"
    scan = await Scan.select(Scan.id, Scan.expires_at).where(Scan.id == lead["scan"]).first()
    # Six months, not the link's 30 days.
    assert scan["expires_at"] > before + timedelta(days=170)


async def test_the_mails_reach_the_right_tenant_once_and_withdrawal_erases_the_contact(
    make_client, smtp_server
):
    await factories.tenant("wsp-zuid", "WSP Zuid", lead_email="leads@zuid.example")
    _, token = await wsp_scan(lead_email="leads@noord.example")
    async with make_client(SMTP_URL=smtp_server.url) as client:
        r = await client.post(f"/scan/wsp-noord/{token}/contact", data=FORM)
        assert r.status_code == 303
        # A second click stores nothing more and sends nothing more.
        again = await client.post(f"/scan/wsp-noord/{token}/contact", data=FORM)
        assert again.status_code == 303
        for _ in range(100):
            if await OutboxMail.count().where(OutboxMail.status == "sent") == 2:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # time for a wrong extra delivery to show up

        recipients = sorted(to for _, tos in smtp_server.handler.envelopes for to in tos)
        assert recipients == ["anna@korenaar.example", "leads@noord.example"]
        by_to = {m["To"]: m for m in smtp_server.messages}
        notice = by_to["leads@noord.example"]
        assert notice["Subject"] == "Nieuwe lead uit de zelfscan: Bakkerij De Korenaar"
        body = notice.get_content()
        assert "Anna de Vries" in body and "06 12345678" in body
        lead_id = (await Lead.select(Lead.id).first())["id"]
        assert f"/wsp/wsp-noord/leads/{lead_id}" in body

        confirmation = by_to["anna@korenaar.example"].get_content()
        assert "WSP wsp-noord heeft uw vraag" in confirmation.replace("\n", " ")
        link = re.search(r"https?://\S+/toestemming-intrekken/\S+", confirmation).group(0)
        path = urlsplit(link).path

        # Following the link (a mail scanner does) changes nothing; the button does.
        page = await client.get(path)
        assert page.status_code == 200
        no_cookie(page)
        assert await Lead.count().where(Lead.email == "anna@korenaar.example") == 1
        done = await client.post(path)
        assert done.status_code == 200
        no_cookie(done)
        assert "Uw toestemming is ingetrokken" in done.text

    lead = await Lead.select().first()
    assert lead["withdrawn_at"] is not None
    for field in ("organisation", "contact_name", "email", "phone", "question", "scan_token"):
        assert lead[field] == "", field
    assert await Scan.count() == 1  # the anonymous scan stays
    assert await Lead.count() == 1


async def test_withdrawal_link_of_another_tenant_or_unknown_is_404(client):
    _, token = await wsp_scan()
    await factories.tenant("wsp-zuid", "WSP Zuid")
    await client.post(f"/scan/wsp-noord/{token}/contact", data=FORM)
    mail = await OutboxMail.select().where(OutboxMail.kind == "lead_confirmation").first()
    code = re.search(r"toestemming-intrekken/([A-Za-z0-9_-]+)", mail["body_text"]).group(1)
    assert (await client.get(f"/scan/wsp-zuid/toestemming-intrekken/{code}")).status_code == 404
    assert (await client.post(f"/scan/wsp-zuid/toestemming-intrekken/{code}")).status_code == 404
    unknown = "x" * 32
    assert (await client.get(f"/scan/wsp-noord/toestemming-intrekken/{unknown}")).status_code == 404
    assert await Lead.count().where(Lead.withdrawn_at.is_null()) == 1


async def test_a_foreign_origin_or_the_honeypot_stores_nothing(client):
    _, token = await wsp_scan()
    path = f"/scan/wsp-noord/{token}/contact"
    r = await client.post(path, data=FORM, headers={"origin": "https://evil.example"})
    assert r.status_code in (400, 403)  # the scan pages' FormRefused
    r = await client.post(path, data=FORM, headers={"referer": "https://evil.example/x"})
    assert r.status_code in (400, 403)  # the scan pages' FormRefused
    r = await client.post(path, data=FORM, headers={"origin": "null"})
    assert r.status_code in (400, 403)  # the scan pages' FormRefused
    r = await client.post(path, data={**FORM, "website": "http://spam.example"})
    assert r.status_code == 303
    assert await Lead.count() == 0
    # Our own page is fine.
    r = await client.post(path, data=FORM, headers={"origin": "http://127.0.0.1:8000"})
    assert r.status_code == 303
    assert await Lead.count() == 1


async def test_a_scan_of_another_tenant_or_a_draft_gets_no_lead(client):
    _, token = await wsp_scan()
    await factories.tenant("wsp-zuid", "WSP Zuid")
    r = await client.post(f"/scan/wsp-zuid/{token}/contact", data=FORM)
    assert r.status_code == 404
    start = await client.post("/scan/wsp-zuid")
    draft = start.headers["location"].split("/")[3]
    r = await client.post(f"/scan/wsp-zuid/{draft}/contact", data=FORM)
    assert r.status_code == 303 and r.headers["location"].endswith("/resultaat")
    assert await Lead.count() == 0


async def test_an_allowed_parent_is_carried_and_another_is_dropped(client):
    _, token = await wsp_scan(allowed_origins=["http://localhost:8001"])
    page = await client.get(f"/scan/wsp-noord/{token}/contact?parent=http://localhost:8001")
    assert 'contact?parent=http%3A%2F%2Flocalhost%3A8001"' in page.text  # the form's action
    r = await client.post(
        f"/scan/wsp-noord/{token}/contact?parent=http://localhost:8001", data=FORM
    )
    assert r.headers["location"].endswith("verstuurd?parent=http%3A%2F%2Flocalhost%3A8001")
    page = await client.get(f"/scan/wsp-noord/{token}/contact?parent=https://evil.example")
    assert f'action="/scan/wsp-noord/{token}/contact"' in page.text


async def test_leads_are_limited_per_client(client):
    from selfscan.tenants.leads import pages

    tenant_id = await factories.tenant("wsp-noord", "WSP Noord")
    for n in range(pages.LEADS_PER_HOUR + 1):
        token, _ = await completed_scan(tenant_id=tenant_id)
        r = await client.post(f"/scan/wsp-noord/{token}/contact", data=FORM)
        expected = 303 if n < pages.LEADS_PER_HOUR else 429
        assert r.status_code == expected, n
    assert await Lead.count() == pages.LEADS_PER_HOUR
