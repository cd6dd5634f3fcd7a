"""User administration under /beheer/gebruikers: the list, inviting, and the changes an
admin makes to a user, with every refusal and its audit record."""

from __future__ import annotations

import asyncio
import re
from contextlib import asynccontextmanager

import httpx
import pytest

from coop.accounts import user_admin_repository as repo
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.accounts.tables import User
from coop.audit.tables import AuditEvent
from coop.errors import Conflict, PermissionDenied
from coop.mail.tables import OutboxMail
from tests import factories
from tests.factories import csrf_from, login
from tests.support import TEST_BASE_URL

BASE = "/beheer/gebruikers"


@asynccontextmanager
async def another_browser(client: httpx.AsyncClient, port: int = 50001):
    """A second client on the same app (its own cookies, the same session store)."""
    transport = httpx.ASGITransport(app=client.app, client=("127.0.0.1", port))  # type: ignore[attr-defined]
    async with httpx.AsyncClient(transport=transport, base_url=TEST_BASE_URL) as other:
        yield other


async def logged_in_admin(client: httpx.AsyncClient, **kwargs) -> factories.TestUser:
    admin = await factories.user(Role.ADMIN, name="Bea Beheerder", **kwargs)
    r = await login(client, admin)
    assert r.status_code == 303 and r.headers["location"] == "/overzicht"
    return admin


async def post(client: httpx.AsyncClient, path: str, page: str, **data: str) -> httpx.Response:
    """POST a form of ``page`` (a path whose HTML carries the CSRF token)."""
    html = await client.get(page)
    return await client.post(path, data={**data, "_csrf": csrf_from(html.text)})


async def audit(action: str) -> list[dict]:
    return await AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id)


async def user_row(user_id: int) -> dict:
    return await User.select().where(User.id == user_id).first()


# --- who may come in ------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.MEMBER, Role.COORDINATOR, Role.WSP])
async def test_other_roles_get_the_403_page(client, migrated, role):
    someone = await factories.user(role)
    await login(client, someone)
    for path in (BASE, f"{BASE}/uitnodigen", f"{BASE}/{someone.id}"):
        r = await client.get(path)
        assert r.status_code == 403, path
        assert "Geen toegang" in r.text
    page = await client.get("/overzicht")
    r = await client.post(
        f"{BASE}/{someone.id}/rol", data={"role": "admin", "_csrf": csrf_from(page.text)}
    )
    assert r.status_code == 403
    assert (await user_row(someone.id))["role"] == role.value


async def test_anonymous_goes_to_the_login(client, migrated):
    r = await client.get(BASE)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?volgende=%2Fbeheer%2Fgebruikers"


async def test_admin_without_second_factor_is_sent_to_it(client, migrated):
    admin = await factories.user(Role.ADMIN)
    await login(client, admin, second_factor=False)
    r = await client.get(BASE)
    assert r.status_code == 303 and r.headers["location"].startswith("/login/tweede-factor")


# --- the list -------------------------------------------------------------------------------


async def test_list_shows_each_user_with_filters_and_pages(client, migrated):
    await logged_in_admin(client)
    organisation = await factories.organisation("Drukkerij Delta")
    for number in range(54):
        await factories.user(
            Role.MEMBER,
            email=f"lid{number:02d}@example.nl",
            name=f"Lid {number:02d}",
            organisation_id=organisation,
        )
    await factories.user(Role.WSP, name="Wim WSP")
    coordinator = await factories.user(Role.COORDINATOR, name="Cor Coördinator")
    await User.update({User.active: False}).where(User.id == coordinator.id)

    first = await client.get(BASE)
    assert first.status_code == 200
    assert "57 gebruikers gevonden." in first.text
    assert first.text.count("<tr>") == 51  # the header row and 50 users
    assert "Pagina 1 van 2" in first.text
    assert "Drukkerij Delta" in first.text and "Lid (werkgever)" in first.text
    assert 'href="/beheer/gebruikers?pagina=2"' in first.text
    second = await client.get(BASE, params={"pagina": "2"})
    assert second.text.count("<tr>") == 8
    assert "Wim WSP" in second.text and "WSP Test" in second.text

    members = await client.get(BASE, params={"rol": "member", "pagina": "2"})
    assert "54 gebruikers gevonden." in members.text and "Pagina 2 van 2" in members.text
    assert 'href="/beheer/gebruikers?rol=member"' in members.text  # "previous" keeps the filter
    inactive = await client.get(BASE, params={"status": "gedeactiveerd"})
    assert "1 gebruiker gevonden." in inactive.text and "Cor Coördinator" in inactive.text
    assert "Gedeactiveerd" in inactive.text
    found = await client.get(BASE, params={"zoek": "LID07"})
    assert "1 gebruiker gevonden." in found.text and "lid07@example.nl" in found.text
    # Nonsense in the query is ignored, not an error.
    odd = await client.get(BASE, params={"rol": "koning", "status": "x", "pagina": "abc"})
    assert odd.status_code == 200 and "57 gebruikers" in odd.text
    none = await client.get(BASE, params={"zoek": "%"})
    assert "Geen gebruikers gevonden." in none.text


async def test_list_row_shows_second_factor_and_last_login(client, migrated):
    admin = await logged_in_admin(client)
    r = await client.get(BASE, params={"rol": "admin"})
    row = re.search(rf"<tr>\s*<td><a href=\"/beheer/gebruikers/{admin.id}\">.*?</tr>", r.text, re.S)
    assert row, r.text
    assert "<td>Aan</td>" in row.group(0)
    assert "Nog nooit" not in row.group(0)


# --- inviting -------------------------------------------------------------------------------


async def test_invite_makes_a_user_without_password_and_mails_the_link(client, migrated):
    await logged_in_admin(client)
    tenant = await factories.tenant("wsp-noord", "WSP Noord")
    r = await post(
        client,
        f"{BASE}/uitnodigen",
        f"{BASE}/uitnodigen",
        email="wendy@wsp-noord.nl",
        name="Wendy Wessels",
        role="wsp",
        tenant=str(tenant),
        organisation="",
    )
    assert r.status_code == 303
    user = await User.select().where(User.email == "wendy@wsp-noord.nl").first()
    assert r.headers["location"] == f"{BASE}/{user['id']}"
    assert user["password_hash"] is None and user["tenant"] == tenant
    assert user["organisation"] is None and user["role"] == "wsp"
    [mail] = await OutboxMail.select()
    assert mail["recipient"] == "wendy@wsp-noord.nl" and mail["kind"] == "invitation"
    assert "Bea Beheerder heeft een account voor u gemaakt" in mail["body_text"]
    [event] = await audit("user_invited")
    assert event["object_id"] == str(user["id"]) and "role wsp" in event["detail"]
    page = await client.get(r.headers["location"])
    assert "De uitnodiging is verstuurd naar wendy@wsp-noord.nl." in page.text
    assert "heeft nog geen wachtwoord gekozen" in page.text
    assert "Uitnodiging opnieuw versturen" in page.text


async def test_invite_form_errors_stand_next_to_the_fields_with_the_input_kept(client, migrated):
    admin = await logged_in_admin(client)
    await factories.tenant()
    cases = [
        ({"email": "", "name": "", "role": ""}, ["email", "name", "role"]),
        ({"email": "geen adres", "name": "X", "role": "admin"}, ["email"]),
        ({"email": admin.email.upper(), "name": "X", "role": "admin"}, ["email"]),
        ({"email": "m@example.nl", "name": "Mo", "role": "member"}, ["organisation"]),
        (
            {"email": "m@example.nl", "name": "Mo", "role": "member", "organisation": "999"},
            ["organisation"],
        ),
        ({"email": "w@example.nl", "name": "Wu", "role": "wsp"}, ["tenant"]),
    ]
    for fields, wrong in cases:
        r = await post(client, f"{BASE}/uitnodigen", f"{BASE}/uitnodigen", **fields)
        assert r.status_code == 400, fields
        assert r.headers["content-type"].startswith("text/html")
        for name in wrong:
            assert f'id="fout-{name}"' in r.text, (fields, name)
        for name, value in fields.items():
            if value and name in ("email", "name"):
                assert f'value="{value}"' in r.text
        if fields.get("role"):
            assert f'value="{fields["role"]}" checked' in r.text
    assert await User.count() == 1
    assert await OutboxMail.count() == 0
    assert not await audit("user_invited")


async def test_staff_roles_get_no_organisation_or_tenant(client, migrated):
    await logged_in_admin(client)
    organisation = await factories.organisation()
    tenant = await factories.tenant()
    r = await post(
        client,
        f"{BASE}/uitnodigen",
        f"{BASE}/uitnodigen",
        email="cora@example.nl",
        name="Cora",
        role="coordinator",
        organisation=str(organisation),
        tenant=str(tenant),
    )
    assert r.status_code == 303
    user = await User.select().where(User.email == "cora@example.nl").first()
    assert user["organisation"] is None and user["tenant"] is None


async def test_invite_without_csrf_is_refused(client, migrated):
    await logged_in_admin(client)
    r = await client.post(
        f"{BASE}/uitnodigen", data={"email": "x@example.nl", "name": "X", "role": "admin"}
    )
    assert r.status_code == 403
    assert await User.count() == 1


# --- changing a user ------------------------------------------------------------------------


async def test_role_change_ends_the_users_sessions(client, migrated):
    await logged_in_admin(client)
    member = await factories.user(Role.MEMBER, name="Mila Lid")
    async with another_browser(client) as their_browser:
        await login(their_browser, member)
        assert (await their_browser.get("/overzicht")).status_code == 200

        page = f"{BASE}/{member.id}"
        r = await post(client, f"{page}/rol", page, role="coordinator")
        assert r.status_code == 303 and r.headers["location"] == page
        assert "De rol is gewijzigd in Coördinator." in (await client.get(page)).text

        r = await their_browser.get("/overzicht")
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
    row = await user_row(member.id)
    assert row["role"] == "coordinator" and row["organisation"] is None
    [event] = await audit("role_changed")
    assert event["detail"] == "member -> coordinator"
    assert event["object_id"] == str(member.id)


async def test_role_change_to_member_needs_an_organisation(client, migrated):
    await logged_in_admin(client)
    coordinator = await factories.user(Role.COORDINATOR)
    page = f"{BASE}/{coordinator.id}"
    r = await post(client, f"{page}/rol", page, role="member", organisation="")
    assert r.status_code == 400
    assert 'id="fout-organisation"' in r.text
    assert 'value="member" checked' in r.text  # the choice is kept
    assert (await user_row(coordinator.id))["role"] == "coordinator"
    organisation = await factories.organisation("Groenbedrijf Oost")
    r = await post(client, f"{page}/rol", page, role="member", organisation=str(organisation))
    assert r.status_code == 303
    row = await user_row(coordinator.id)
    assert row["role"] == "member" and row["organisation"] == organisation
    [event] = await audit("role_changed")
    assert event["detail"] == f"coordinator -> member, organisation {organisation}"


async def test_nobody_changes_their_own_role(client, migrated):
    admin = await logged_in_admin(client)
    await factories.user(Role.ADMIN)  # not the last admin: still refused
    page = f"{BASE}/{admin.id}"
    assert "Dit is uw eigen account." in (await client.get(page)).text
    r = await post(client, f"{page}/rol", page, role="coordinator")
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("text/html")
    assert "U kunt uw eigen rol niet wijzigen." in r.text
    assert (await user_row(admin.id))["role"] == "admin"
    assert not await audit("role_changed")
    # Still logged in: nothing changed.
    assert (await client.get(BASE)).status_code == 200


async def test_nobody_deactivates_themselves(client, migrated):
    admin = await logged_in_admin(client)
    page = f"{BASE}/{admin.id}"
    r = await post(client, f"{page}/deactiveren", page)
    assert r.status_code == 403
    assert "U kunt uw eigen account niet deactiveren." in r.text
    assert (await user_row(admin.id))["active"] is True
    assert not await audit("user_deactivated")


async def test_the_last_active_admin_is_neither_demoted_nor_deactivated(client, migrated):
    last = await factories.user(Role.ADMIN)
    other = await factories.user(Role.ADMIN)
    await User.update({User.active: False}).where(User.id == other.id)
    # An admin whose session was made before they were deactivated, say.
    actor = Principal(user_id=other.id, email="oud@example.nl", name="", role=Role.ADMIN)
    with pytest.raises(Conflict, match="laatste actieve beheerder"):
        await repo.change_role(
            actor, last.id, Role.COORDINATOR, organisation_id=None, tenant_id=None
        )
    with pytest.raises(Conflict, match="laatste actieve beheerder"):
        await repo.set_active(actor, last.id, False)
    row = await user_row(last.id)
    assert row["role"] == "admin" and row["active"] is True
    # Self comes first: "your own role" is the answer for yourself.
    me = Principal(user_id=last.id, email="x@example.nl", name="", role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        await repo.change_role(me, last.id, Role.MEMBER, organisation_id=None, tenant_id=None)


async def test_two_admins_demoting_each_other_at_once_leave_one_admin(client, migrated):
    first = await logged_in_admin(client)
    second = await factories.user(Role.ADMIN)
    async with another_browser(client) as theirs:
        await login(theirs, second)
        mine = await client.get(f"{BASE}/{second.id}")
        their = await theirs.get(f"{BASE}/{first.id}")
        results = await asyncio.gather(
            client.post(
                f"{BASE}/{second.id}/rol",
                data={"role": "coordinator", "_csrf": csrf_from(mine.text)},
            ),
            theirs.post(
                f"{BASE}/{first.id}/rol",
                data={"role": "coordinator", "_csrf": csrf_from(their.text)},
            ),
        )
    # One wins. The other is refused (409) when it was already under way, or finds its
    # session ended (the CSRF check then fails: 403) when it came after.
    first_status, second_status = sorted(r.status_code for r in results)
    assert first_status == 303 and second_status in (403, 409)
    assert await User.count().where((User.role == "admin") & (User.active == True)) == 1  # noqa: E712
    assert len(await audit("role_changed")) == 1


async def test_deactivation_ends_the_open_session_and_activation_restores_login(client, migrated):
    await logged_in_admin(client)
    member = await factories.user(Role.MEMBER)
    page = f"{BASE}/{member.id}"
    async with another_browser(client) as their_browser:
        await login(their_browser, member)
        assert (await their_browser.get("/overzicht")).status_code == 200
        r = await post(client, f"{page}/deactiveren", page)
        assert r.status_code == 303
        r = await their_browser.get("/overzicht")
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        assert (await login(their_browser, member)).status_code == 400

        detail = await client.get(page)
        assert "Gedeactiveerd: kan niet inloggen" in detail.text
        r = await post(client, f"{page}/activeren", page)
        assert r.status_code == 303
        assert (await login(their_browser, member)).status_code == 303
    assert [e["object_id"] for e in await audit("user_deactivated")] == [str(member.id)]
    assert [e["object_id"] for e in await audit("user_activated")] == [str(member.id)]


async def test_reset_of_the_second_factor(client, migrated):
    admin = await logged_in_admin(client)
    coordinator = await factories.user(Role.COORDINATOR)
    page = f"{BASE}/{coordinator.id}"
    assert "Tweede factor verwijderen" in (await client.get(page)).text
    r = await post(client, f"{page}/tweede-factor-resetten", page)
    assert r.status_code == 303
    assert (await user_row(coordinator.id))["totp_enabled_at"] is None
    [event] = await audit("second_factor_reset")
    assert event["object_id"] == str(coordinator.id) and event["actor_id"] == admin.id
    # Once more: there is nothing left to reset.
    r = await post(client, f"{page}/tweede-factor-resetten", page)
    assert r.status_code == 409
    # Not for yourself here.
    own = f"{BASE}/{admin.id}"
    r = await post(client, f"{own}/tweede-factor-resetten", own)
    assert r.status_code == 403
    assert len(await audit("second_factor_reset")) == 1


async def test_invitation_is_sent_again_only_to_users_without_a_password(client, migrated):
    await logged_in_admin(client)
    member = await factories.user(Role.MEMBER)
    page = f"{BASE}/{member.id}"
    assert "Uitnodiging opnieuw versturen" not in (await client.get(page)).text
    r = await post(client, f"{page}/uitnodiging-versturen", page)
    assert r.status_code == 409
    assert "heeft al een wachtwoord" in r.text
    assert await OutboxMail.count() == 0


async def test_unknown_user_is_a_404_page(client, migrated):
    await logged_in_admin(client)
    r = await client.get(f"{BASE}/999999")
    assert r.status_code == 404
    assert "Deze gebruiker bestaat niet." in r.text
    r = await post(client, f"{BASE}/999999/deactiveren", BASE)
    assert r.status_code == 404


async def test_changes_without_csrf_are_refused(client, migrated):
    await logged_in_admin(client)
    member = await factories.user(Role.MEMBER)
    for action, data in (
        ("rol", {"role": "admin"}),
        ("deactiveren", {}),
        ("tweede-factor-resetten", {}),
    ):
        r = await client.post(f"{BASE}/{member.id}/{action}", data=data)
        assert r.status_code == 403, action
    row = await user_row(member.id)
    assert row["role"] == "member" and row["active"] is True


async def test_search_is_a_plain_substring_of_name_or_address(client, migrated):
    await logged_in_admin(client)
    await factories.user(Role.MEMBER, email="an_na@example.nl", name="Anna Ångström")
    await factories.user(Role.MEMBER, email="anxna@example.nl", name="Bob")
    for term, expected in (("_", 1), ("AN_NA", 1), ("%", 0), ("bob", 1), ("ANNA", 1)):
        r = await client.get(BASE, params={"zoek": term})
        if expected:
            assert f"{expected} gebruiker gevonden." in r.text, term
        else:
            assert "Geen gebruikers gevonden." in r.text, term
