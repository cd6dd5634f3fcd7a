"""/aanmelden and /beheer/aanmeldingen: apply, be approved (or refused), set a password,
edit the organisation. Errors by the field, input kept, duplicates caught, bots ignored."""

from __future__ import annotations

import html

import httpx
import pytest

from coop.accounts.roles import Role
from coop.accounts.tables import User
from coop.audit.tables import AuditEvent
from coop.mail.tables import OutboxMail
from coop.members.tables import Application, Contact, MembershipEvent, Organisation
from tests import factories
from tests.web.test_invitations_and_resets import (
    NEW_PASSWORD,
    another_browser,
    link_in,
    set_password,
)

FORM = {
    "name": "Bakkerij De Korenaar",
    "kvk_number": "1234 5678",
    "establishment_number": "",
    "street_address": "Dorpsstraat 1",
    "postcode": "9401ab",
    "city": "Assen",
    "municipality_code": "GM0106",
    "sector": "c",
    "employees": "12",
    "yearly_paid_hours": "",
    "website": "www.korenaar.nl",
    "contact_name": "Nina Nieuw",
    "contact_function": "Eigenaar",
    "contact_email": "nina@korenaar.nl",
    "contact_phone": "0592 123 456",
    "motivation": "Wij willen <b>graag</b> meedoen.",
    "pledge_jobs": "2",
    "pledge_places": "1",
    "consent": "1",
}


async def apply(client: httpx.AsyncClient, **changes: str) -> httpx.Response:
    page = await client.get("/aanmelden")
    assert page.status_code == 200, page.text
    data = {**FORM, **changes, "_csrf": factories.csrf_from(page.text)}
    return await client.post("/aanmelden", data={k: v for k, v in data.items() if v is not None})


async def test_the_form_offers_municipalities_and_sectors_from_the_lists(client, migrated):
    page = await client.get("/aanmelden")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<option value="GM0106">Assen</option>' in page.text
    assert page.text.count('<option value="GM') == 342
    assert "C – Industrie" in page.text
    assert 'name="fax"' in page.text  # the honeypot
    assert "toestemming" in page.text.lower()


async def test_a_valid_application_is_stored_with_its_consent(client, migrated):
    r = await apply(client)
    assert r.status_code == 303 and r.headers["location"] == "/aanmelden/ontvangen"
    assert (await client.get("/aanmelden/ontvangen")).status_code == 200
    [row] = await Application.select()
    assert row["kvk_number"] == "12345678"
    assert row["status"] == "aangemeld"
    assert row["consent_version"] == "2026-1"
    assert "toestemming" in row["consent_text"]
    assert row["consent_at"] is not None
    assert row["contact_email"] == "nina@korenaar.nl"
    assert await Organisation.count() == 0  # not a member until approved
    [event] = await AuditEvent.select().where(AuditEvent.action == "application_submitted")
    assert event["object_id"] == str(row["id"])


async def test_errors_are_by_the_field_and_nothing_typed_is_lost(client, migrated):
    r = await apply(
        client,
        kvk_number="1234",
        postcode="0123 SA",
        contact_email="geen-adres",
        contact_phone="12",
        municipality_code="Assen",
        sector="z",
        employees="veel",
        website="javascript:alert(1)",
        name="<script>alert('x')</script>",
        consent=None,
    )
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/html")
    for field in (
        "kvk_number",
        "postcode",
        "contact_email",
        "contact_phone",
        "municipality_code",
        "sector",
        "employees",
        "website",
        "consent",
    ):
        assert f'id="fout-{field}"' in r.text, field
    assert 'value="1234"' in r.text and 'value="0123 SA"' in r.text
    assert 'value="geen-adres"' in r.text
    assert "Wij willen &lt;b&gt;graag&lt;/b&gt; meedoen." in r.text
    assert "<script>alert" not in r.text
    assert html.escape("<script>alert('x')</script>", quote=True) in r.text or (
        "&lt;script&gt;" in r.text
    )
    assert await Application.count() == 0


async def test_over_long_text_is_an_error_not_a_500(client, migrated):
    r = await apply(client, name="x" * 300, motivation="y" * 3000)
    assert r.status_code == 400
    assert 'id="fout-name"' in r.text and 'id="fout-motivation"' in r.text


async def test_a_filled_honeypot_stores_nothing_but_looks_like_success(client, migrated):
    r = await apply(client, fax="+31 20 000 0000")
    assert r.status_code == 303
    assert await Application.count() == 0


async def test_a_duplicate_kvk_number_is_a_clear_message(client, migrated):
    assert (await apply(client)).status_code == 303
    r = await apply(client, contact_email="ander@korenaar.nl")
    assert r.status_code == 400
    assert 'id="fout-kvk_number"' in r.text and "al een aanmelding" in r.text
    org = await factories.organisation("Bestaand BV")
    await Organisation.update({Organisation.kvk_number: "87654321"}).where(Organisation.id == org)
    r = await apply(client, kvk_number="87654321")
    assert r.status_code == 400
    assert "al een organisatie met dit KvK-nummer" in r.text


async def test_submissions_are_rate_limited_per_client(client, migrated):
    for n in range(5):
        r = await apply(client, kvk_number=f"1000000{n}")
        assert r.status_code == 303
    r = await apply(client, kvk_number="10000009")
    assert r.status_code == 429
    assert "te veel aanmeldingen" in r.text
    assert 'value="10000009"' in r.text  # still kept


async def staff_browser(client: httpx.AsyncClient, role: Role = Role.COORDINATOR):
    coordinator = await factories.user(role, name="Carla Coördinator")
    r = await factories.login(client, coordinator)
    assert r.status_code == 303
    return coordinator


async def test_approval_makes_a_member_and_invites_its_contact_who_then_edits(client, migrated):
    async with another_browser(client) as applicant:
        assert (await apply(applicant)).status_code == 303
    [application] = await Application.select(Application.id)
    await staff_browser(client)

    listing = await client.get("/beheer/aanmeldingen")
    assert listing.status_code == 200 and "Bakkerij De Korenaar" in listing.text
    page = await client.get(f"/beheer/aanmeldingen/{application['id']}")
    assert page.status_code == 200
    assert "Wij willen &lt;b&gt;graag&lt;/b&gt; meedoen." in page.text
    r = await client.post(
        f"/beheer/aanmeldingen/{application['id']}/goedkeuren",
        data={"_csrf": factories.csrf_from(page.text)},
    )
    assert r.status_code == 303, r.text
    [org] = await Organisation.select()
    assert r.headers["location"] == f"/beheer/leden/{org['id']}"
    assert org["status"] == "goedgekeurd"
    assert org["kvk_number"] == "12345678" and org["postcode"] == "9401 AB"
    assert org["website"] == "https://www.korenaar.nl"
    [event] = await MembershipEvent.select()
    assert (event["from_status"], event["to_status"]) == ("aangemeld", "goedgekeurd")
    assert event["actor_name"] == "Carla Coördinator"
    [contact] = await Contact.select()
    assert contact["is_primary"] and contact["email"] == "nina@korenaar.nl"
    user = await User.select().where(User.email == "nina@korenaar.nl").first()
    assert user["role"] == "member" and user["organisation"] == org["id"]
    [mail] = await OutboxMail.select().where(OutboxMail.kind == "invitation")
    assert mail["recipient"] == "nina@korenaar.nl"
    approved = await AuditEvent.select().where(AuditEvent.action == "application_approved")
    assert len(approved) == 1
    # Approving twice is refused.
    again = await client.post(
        f"/beheer/aanmeldingen/{application['id']}/goedkeuren",
        data={"_csrf": factories.csrf_from(page.text)},
    )
    assert again.status_code == 409

    # The new member sets a password and edits its own organisation.
    async with another_browser(client) as member:
        path = link_in(mail["body_text"])
        r = await set_password(member, path, NEW_PASSWORD)
        assert r.status_code == 303
        who = factories.TestUser(user["id"], "nina@korenaar.nl", NEW_PASSWORD, None, [])
        assert (await factories.login(member, who)).status_code == 303
        own = await member.get(f"/organisaties/{org['id']}")
        assert own.status_code == 200 and "Assen" in own.text and "Groningen" in own.text
        form = await member.get(f"/organisaties/{org['id']}/bewerken")
        assert form.status_code == 200
        data = {
            "name": "Bakkerij De Korenaar BV",
            "kvk_number": "12345678",
            "street_address": "Dorpsstraat 2",
            "postcode": "9401 AB",
            "city": "Assen",
            "municipality_code": "GM0106",
            "sector": "c",
            "employees": "14",
            "status": "actief",  # not a field of the member's form: ignored
            "ambassador": "1",
            "notice_months": "0",
            "_csrf": factories.csrf_from(form.text),
        }
        r = await member.post(f"/organisaties/{org['id']}/bewerken", data=data)
        assert r.status_code == 303, r.text
        bad = await member.post(
            f"/organisaties/{org['id']}/bewerken", data={**data, "postcode": "1234 SS"}
        )
        assert bad.status_code == 400 and 'id="fout-postcode"' in bad.text
        assert 'value="1234 SS"' in bad.text
    row = await Organisation.select().where(Organisation.id == org["id"]).first()
    assert row["name"] == "Bakkerij De Korenaar BV" and row["employees"] == 14
    assert row["status"] == "goedgekeurd" and row["ambassador"] is False
    assert row["notice_months"] == 3


async def test_refusal_needs_a_reason_and_keeps_it(client, migrated):
    assert (await apply(client)).status_code == 303
    [application] = await Application.select(Application.id)
    await staff_browser(client, Role.ADMIN)
    page = await client.get(f"/beheer/aanmeldingen/{application['id']}")
    csrf = factories.csrf_from(page.text)
    r = await client.post(
        f"/beheer/aanmeldingen/{application['id']}/afwijzen", data={"_csrf": csrf, "reason": ""}
    )
    assert r.status_code == 400 and 'id="fout-reason"' in r.text
    r = await client.post(
        f"/beheer/aanmeldingen/{application['id']}/afwijzen",
        data={"_csrf": csrf, "reason": "Geen werkgever in de regio."},
    )
    assert r.status_code == 303
    row = await Application.select().first()
    assert row["status"] == "afgewezen" and row["reason"] == "Geen werkgever in de regio."
    assert await Organisation.count() == 0
    assert await AuditEvent.count().where(AuditEvent.action == "application_refused") == 1


@pytest.mark.parametrize("role", [Role.MEMBER, Role.WSP])
async def test_only_staff_review_applications(client, migrated, role):
    user = await factories.user(role)
    await factories.login(client, user)
    assert (await client.get("/beheer/aanmeldingen")).status_code == 403
    assert (await client.get("/beheer/leden")).status_code == 403


async def test_the_form_in_english_names_sectors_in_english(client, migrated):
    page = await client.get("/aanmelden?lang=en")
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert "C – Manufacturing" in page.text


async def test_approval_when_the_kvk_became_a_member_or_the_contact_has_an_account(
    client, migrated
):
    async with another_browser(client) as applicant:
        assert (await apply(applicant)).status_code == 303
        assert (await apply(applicant, kvk_number="22223333")).status_code == 303
    first, second = await Application.select(Application.id).order_by(Application.id)
    org = await factories.organisation("Al lid")
    await Organisation.update({Organisation.kvk_number: "12345678"}).where(Organisation.id == org)
    await factories.user(Role.MEMBER, email="nina@korenaar.nl", organisation_id=org)
    await staff_browser(client)
    page = await client.get(f"/beheer/aanmeldingen/{first['id']}")
    csrf = factories.csrf_from(page.text)
    r = await client.post(f"/beheer/aanmeldingen/{first['id']}/goedkeuren", data={"_csrf": csrf})
    assert r.status_code == 409 and "al een lid met dit KvK-nummer" in r.text
    r = await client.post(f"/beheer/aanmeldingen/{second['id']}/goedkeuren", data={"_csrf": csrf})
    assert r.status_code == 303
    assert await OutboxMail.count().where(OutboxMail.kind == "invitation") == 0
    assert await User.count().where(User.email == "nina@korenaar.nl") == 1
