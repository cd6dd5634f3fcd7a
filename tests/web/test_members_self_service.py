"""A member's own organisation: invite colleagues, ask to end the membership."""

from __future__ import annotations

from coop.accounts.roles import Role
from coop.accounts.tables import User
from coop.audit.tables import AuditEvent
from coop.mail.tables import OutboxMail
from coop.members.tables import Organisation
from tests import factories
from tests.web.test_members_admin import member


async def member_browser(client, organisation_id: int):
    user = await factories.user(Role.MEMBER, organisation_id=organisation_id)
    assert (await factories.login(client, user)).status_code == 303
    page = await client.get(f"/organisaties/{organisation_id}")
    assert page.status_code == 200
    return factories.csrf_from(page.text)


async def test_a_member_invites_a_colleague_of_its_own_organisation(client, migrated):
    own, other = await member("Eigen BV", "10000001"), await member("Ander BV", "10000002")
    csrf = await member_browser(client, own)
    r = await client.post(
        f"/organisaties/{own}/collega-uitnodigen",
        data={"_csrf": csrf, "invite_name": "", "invite_email": "geen"},
    )
    assert r.status_code == 400
    assert 'id="fout-invite_name"' in r.text and 'id="fout-invite_email"' in r.text
    assert 'value="geen"' in r.text
    r = await client.post(
        f"/organisaties/{other}/collega-uitnodigen",
        data={"_csrf": csrf, "invite_name": "Kees", "invite_email": "kees@ander.nl"},
    )
    assert r.status_code == 404
    r = await client.post(
        f"/organisaties/{own}/collega-uitnodigen",
        data={"_csrf": csrf, "invite_name": "Kees", "invite_email": "Kees@Eigen.nl"},
    )
    assert r.status_code == 303
    user = await User.select().where(User.email == "kees@eigen.nl").first()
    assert user["role"] == "member" and user["organisation"] == own
    assert await OutboxMail.count().where(OutboxMail.recipient == "kees@eigen.nl") == 1
    r = await client.post(
        f"/organisaties/{own}/collega-uitnodigen",
        data={"_csrf": csrf, "invite_name": "Kees", "invite_email": "kees@eigen.nl"},
    )
    assert r.status_code == 400 and "al een gebruiker" in r.text


async def test_a_member_asks_to_end_and_a_coordinator_sees_it(client, migrated):
    own = await member("Eigen BV", "10000001")
    csrf = await member_browser(client, own)
    r = await client.post(f"/organisaties/{own}/opzeggen", data={"_csrf": csrf})
    assert r.status_code == 400 and 'id="fout-confirm_end"' in r.text
    r = await client.post(f"/organisaties/{own}/opzeggen", data={"_csrf": csrf, "confirm_end": "1"})
    assert r.status_code == 303
    page = await client.get(f"/organisaties/{own}")
    assert "gevraagd om het lidmaatschap te beëindigen" in page.text
    row = await Organisation.select().where(Organisation.id == own).first()
    assert row["end_requested_at"] is not None and row["status"] == "actief"
    assert await AuditEvent.count().where(AuditEvent.action == "member_end_requested") == 1
    await client.post("/logout", data={"_csrf": factories.csrf_from(page.text)})
    coordinator = await factories.user(Role.COORDINATOR)
    await factories.login(client, coordinator)
    detail = await client.get(f"/beheer/leden/{own}")
    assert "opzegging gevraagd op" in detail.text


async def test_history_and_contributions_are_read_only_for_a_member(client, migrated):
    own = await member("Eigen BV", "10000001")
    await member_browser(client, own)
    page = await client.get(f"/organisaties/{own}")
    assert "Geschiedenis van het lidmaatschap" in page.text
    assert "/status" not in page.text  # no status form for members


async def test_a_member_edits_a_contact_and_the_primary_moves(client, migrated):
    from datetime import UTC, datetime

    from coop.members.tables import Contact

    own, other = await member("Eigen BV", "10000001"), await member("Ander BV", "10000002")
    now = datetime.now(UTC)
    first = (
        await Contact.insert(
            Contact(organisation=own, name="An", email="an@e.nl", is_primary=True, created_at=now)
        )
    )[0]["id"]
    second = (
        await Contact.insert(Contact(organisation=own, name="Bo", email="bo@e.nl", created_at=now))
    )[0]["id"]
    foreign = (
        await Contact.insert(
            Contact(organisation=other, name="Cas", email="c@a.nl", created_at=now)
        )
    )[0]["id"]
    csrf = await member_browser(client, own)
    page = await client.get(f"/organisaties/{own}")
    assert f'href="/organisaties/{own}/contactpersonen/{second}"' in page.text
    form = await client.get(f"/organisaties/{own}/contactpersonen/{second}")
    assert form.status_code == 200 and 'value="bo@e.nl"' in form.text
    assert (await client.get(f"/organisaties/{own}/contactpersonen/{foreign}")).status_code == 404
    assert (await client.get(f"/organisaties/{other}/contactpersonen/{foreign}")).status_code == 404
    r = await client.post(
        f"/organisaties/{own}/contactpersonen/{second}",
        data={"_csrf": csrf, "name": "Bo", "email": "fout", "phone": "06 12345678"},
    )
    assert r.status_code == 400 and 'id="fout-email"' in r.text and 'value="fout"' in r.text
    r = await client.post(
        f"/organisaties/{own}/contactpersonen/{second}",
        data={
            "_csrf": csrf,
            "name": "Bo Boer",
            "email": "bo@e.nl",
            "is_primary": "1",
            "mail_invoices": "1",
        },
    )
    assert r.status_code == 303
    rows = {c["id"]: c for c in await Contact.select()}
    assert rows[second]["is_primary"] and not rows[first]["is_primary"]
    assert rows[second]["name"] == "Bo Boer" and rows[second]["mail_invoices"]
    r = await client.post(
        f"/organisaties/{other}/contactpersonen/{foreign}",
        data={"_csrf": csrf, "name": "X", "email": "x@y.nl"},
    )
    assert r.status_code == 404
