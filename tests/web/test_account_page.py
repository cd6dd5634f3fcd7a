"""The user's own account page: details, second factor, API tokens and the password."""

from __future__ import annotations

import hashlib
import html
import re

import httpx
import pytest

from coop import db
from coop.accounts import passwords
from coop.accounts import token_repository as token_repo
from coop.accounts.roles import Role
from coop.accounts.tables import ApiToken, User
from coop.audit.tables import AuditEvent
from tests import factories
from tests.factories import csrf_from, login

TOKEN_RE = re.compile(r"coop_[0-9a-f]{12}_[A-Za-z0-9_-]{32,}")


async def account(client: httpx.AsyncClient) -> httpx.Response:
    page = await client.get("/account")
    assert page.status_code == 200, page.text
    return page


async def create_token(client: httpx.AsyncClient, **fields: str) -> httpx.Response:
    page = await account(client)
    data = {"name": "Koppeling salarissysteem", "scope": "read", "days": "90", **fields}
    r = await client.post("/account/tokens", data={**data, "_csrf": csrf_from(page.text)})
    if r.status_code == 303:
        # Post, redirect, get: the token is shown on a page of its own.
        assert r.headers["location"] == "/account/tokens/nieuw"
        return await client.get(r.headers["location"])
    return r


def token_in(page: httpx.Response) -> str:
    found = TOKEN_RE.findall(page.text)
    assert len(set(found)) == 1, found
    return found[0]


async def actions(action: str) -> list[dict]:
    return await AuditEvent.select().where(AuditEvent.action == action)


# --- the page -----------------------------------------------------------------------


async def test_the_page_needs_a_login(client, migrated):
    r = await client.get("/account")
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?volgende=%2Faccount")


async def test_a_member_sees_details_and_the_second_factor_status(client, migrated):
    org = await factories.organisation("Bakkerij De Korenaar")
    member = await factories.user(
        Role.MEMBER, name="Mila Lid", email="mila@example.nl", organisation_id=org
    )
    await login(client, member)
    page = await account(client)
    text = html.unescape(page.text)
    for expected in ("Mila Lid", "mila@example.nl", "Lid (werkgever)", "Bakkerij De Korenaar"):
        assert expected in text
    assert "Tweede factor instellen" in text
    assert 'href="/account/tweede-factor"' in page.text
    assert "U hebt nog geen API-tokens." in text
    # Every form carries the CSRF field; the lifetime starts at 90 days, scope at read.
    assert page.text.count('name="_csrf"') >= 3
    assert 'name="days" type="number" value="90"' in page.text
    assert re.search(r'value="read"\s+checked', page.text)


async def test_a_wsp_user_sees_the_tenant(client, migrated):
    tenant = await factories.tenant("wsp-rijk-van-nijmegen", "WSP Rijk van Nijmegen")
    wsp = await factories.user(Role.WSP, tenant_id=tenant)
    await login(client, wsp)
    text = html.unescape((await account(client)).text)
    assert "WSP Rijk van Nijmegen" in text
    assert "Werkgeversservicepunt" in text


async def test_a_coordinator_sees_the_second_factor_and_recovery_codes_left(client, migrated):
    coordinator = await factories.user(Role.COORDINATOR)
    await login(client, coordinator)
    text = html.unescape((await account(client)).text)
    assert "Aan sinds" in text
    assert "U hebt nog 10 herstelcodes." in text
    assert "Tweede factor opnieuw instellen" in text


# --- API tokens ---------------------------------------------------------------------


async def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(client, migrated):
    member = await factories.user(Role.MEMBER)
    await login(client, member)
    r = await create_token(client, scope="write", days="30")
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    assert "U ziet het maar één keer." in html.unescape(r.text)
    token = token_in(r)
    assert re.search(rf"<code[^>]*>{token}</code>", r.text)

    # Reloading the page neither shows the secret again nor makes a second token.
    again = await client.get("/account/tokens/nieuw")
    assert again.status_code == 303 and again.headers["location"] == "/account"
    rows = await ApiToken.select().where(ApiToken.user == member.id)
    assert len(rows) == 1
    row = rows[0]
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert row["prefix"] == token.split("_")[1]
    assert row["scope"] == "write" and row["name"] == "Koppeling salarissysteem"
    assert 29 <= (row["expires_at"] - row["created_at"]).days <= 30
    secret = token.split("_", 2)[2]
    assert not any(secret in str(value) for value in row.values())

    # The token works, with its scope; the account page lists it without the secret.
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["scope"] == "write"
    page = await account(client)
    assert secret not in page.text
    assert f"coop_{row['prefix']}_…" in page.text
    text = html.unescape(page.text)
    assert "Koppeling salarissysteem" in text and "Actief" in text and "Lezen en wijzigen" in text

    events = await actions("token_created")
    assert len(events) == 1
    assert events[0]["actor_id"] == member.id and events[0]["object_id"] == str(row["id"])
    assert secret not in events[0]["detail"]


async def test_a_coordinator_creates_a_token_after_the_second_factor(client, migrated):
    coordinator = await factories.user(Role.COORDINATOR)
    await login(client, coordinator)
    r = await create_token(client, scope="read")
    assert r.status_code == 200
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token_in(r)}"})
    assert me.json()["role"] == "coordinator" and me.json()["scope"] == "read"


async def test_a_password_alone_creates_no_token(client, migrated):
    coordinator = await factories.user(Role.COORDINATOR)
    await login(client, coordinator, second_factor=False)
    page = await client.get("/login/tweede-factor")
    r = await client.post(
        "/account/tokens",
        data={"name": "x", "scope": "write", "days": "9", "_csrf": csrf_from(page.text)},
    )
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login/tweede-factor")
    assert await ApiToken.count() == 0


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "   "}, "name", "Geef het token een naam"),
        ({"name": "x" * 101}, "name", "hoogstens 100 tekens"),
        ({"days": "0"}, "days", "van 1 tot en met 366"),
        ({"days": "999"}, "days", "van 1 tot en met 366"),
        ({"days": "veel"}, "days", "van 1 tot en met 366"),
        ({"scope": "admin"}, "scope", "Kies wat het token mag"),
    ],
)
async def test_bad_token_input_is_explained_next_to_the_field(
    client, migrated, fields, field, message
):
    member = await factories.user(Role.MEMBER)
    await login(client, member)
    r = await create_token(client, **fields)
    assert r.status_code == 400
    text = html.unescape(r.text)
    # The message sits in the field's own error element and in the summary.
    assert re.search(rf'id="fout-{field}">.*{re.escape(message)}', text)
    assert f'href="#veld-{field}"' in r.text
    # What was typed is kept.
    kept = {"name": "Koppeling salarissysteem", "days": "90", **fields}
    if field != "name":
        assert 'value="Koppeling salarissysteem"' in r.text
    if field != "days":
        assert f'value="{kept["days"]}"' in r.text
    if field == "days":
        assert f'value="{fields["days"]}"' in r.text
    assert await ApiToken.count() == 0
    assert not TOKEN_RE.search(r.text)


async def test_the_scope_choice_is_kept_after_an_error(client, migrated):
    member = await factories.user(Role.MEMBER)
    await login(client, member)
    r = await create_token(client, scope="write", days="0")
    assert r.status_code == 400
    assert re.search(r'value="write"\s+checked', r.text)


async def test_the_form_needs_its_csrf_token(client, migrated):
    member = await factories.user(Role.MEMBER)
    await login(client, member)
    r = await client.post("/account/tokens", data={"name": "x", "scope": "read", "days": "9"})
    assert r.status_code == 403
    assert await ApiToken.count() == 0


async def test_revoking_a_token_stops_it(client, migrated):
    member = await factories.user(Role.MEMBER)
    await login(client, member)
    token = token_in(await create_token(client))
    row = await ApiToken.select(ApiToken.id).where(ApiToken.user == member.id).first()
    page = await account(client)
    assert f'action="/account/tokens/{row["id"]}/intrekken"' in page.text
    r = await client.post(
        f"/account/tokens/{row['id']}/intrekken", data={"_csrf": csrf_from(page.text)}
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/account#api-tokens"
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401
    page = await account(client)
    text = html.unescape(page.text)
    assert "is ingetrokken" in text and "Ingetrokken" in text
    assert f'action="/account/tokens/{row["id"]}/intrekken"' not in page.text
    assert len(await actions("token_revoked")) == 1
    # Revoking again changes nothing and records nothing.
    r = await client.post(
        f"/account/tokens/{row['id']}/intrekken", data={"_csrf": csrf_from(page.text)}
    )
    assert r.status_code == 303
    assert len(await actions("token_revoked")) == 1


async def test_another_users_token_cannot_be_revoked(client, migrated):
    owner = await factories.user(Role.MEMBER)
    async with db.write_transaction():
        theirs = await token_repo.create(
            user_id=owner.id, name="van een ander", scope="read", days=9
        )
    intruder = await factories.user(Role.MEMBER)
    await login(client, intruder)
    page = await account(client)
    assert "van een ander" not in page.text
    r = await client.post(
        f"/account/tokens/{theirs.id}/intrekken", data={"_csrf": csrf_from(page.text)}
    )
    assert r.status_code == 404
    r = await client.post("/account/tokens/999999/intrekken", data={"_csrf": csrf_from(page.text)})
    assert r.status_code == 404
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {theirs.token}"})
    assert me.status_code == 200
    assert await actions("token_revoked") == []


async def test_expired_tokens_are_listed_as_expired(client, migrated):
    member = await factories.user(Role.MEMBER)
    async with db.write_transaction():
        made = await token_repo.create(user_id=member.id, name="oud", scope="read", days=1)
    await ApiToken.update({ApiToken.expires_at: ApiToken.created_at}).where(ApiToken.id == made.id)
    await login(client, member)
    page = await account(client)
    assert "Verlopen" in page.text
    assert f"/account/tokens/{made.id}/intrekken" not in page.text


# --- the password -------------------------------------------------------------------

NEW_PASSWORD = "wolken boven het ijsselmeer"


async def change_password(client: httpx.AsyncClient, current: str, new: str, repeat: str):
    page = await account(client)
    return await client.post(
        "/account/wachtwoord",
        data={
            "current_password": current,
            "new_password": new,
            "repeat_password": repeat,
            "_csrf": csrf_from(page.text),
        },
    )


@pytest.mark.parametrize(
    ("current", "new", "repeat", "field", "message"),
    [
        ("fout fout fout fout", NEW_PASSWORD, NEW_PASSWORD, "current_password", "klopt niet"),
        ("", NEW_PASSWORD, NEW_PASSWORD, "current_password", "Vul uw huidige wachtwoord in"),
        (factories.PASSWORD, "kort", "kort", "new_password", "minstens 12 tekens"),
        (factories.PASSWORD, "password1234", "password1234", "new_password", "te makkelijk"),
        (factories.PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "!", "repeat_password", "niet gelijk"),
        (factories.PASSWORD, factories.PASSWORD, factories.PASSWORD, "new_password", "ander"),
    ],
)
async def test_a_bad_password_change_is_explained(
    client, migrated, current, new, repeat, field, message
):
    member = await factories.user(Role.MEMBER)
    await login(client, member)
    r = await change_password(client, current, new, repeat)
    assert r.status_code == 400
    assert re.search(rf'id="fout-{field}">.*{re.escape(message)}', html.unescape(r.text))
    # Passwords are never sent back.
    for typed in {current, new, repeat} - {""}:
        assert f'value="{typed}"' not in r.text
    row = await User.select(User.password_hash).where(User.id == member.id).first()
    assert await passwords.verify_password(row["password_hash"], factories.PASSWORD)
    assert (await account(client)).status_code == 200


async def test_a_password_that_names_the_user_is_refused(client, migrated):
    member = await factories.user(Role.MEMBER, email="jansen@example.nl")
    await login(client, member)
    r = await change_password(
        client, factories.PASSWORD, "jansen is de beste", "jansen is de beste"
    )
    assert r.status_code == 400
    assert "naam of e-mailadres" in r.text


async def test_changing_the_password_ends_other_sessions_but_not_this_one(client, migrated):
    member = await factories.user(Role.MEMBER)
    transport = httpx.ASGITransport(app=client.app, client=("127.0.0.1", 50001))
    async with httpx.AsyncClient(transport=transport, base_url=str(client.base_url)) as other:
        await login(client, member)
        await login(other, member)
        assert (await other.get("/account")).status_code == 200
        before = client.cookies.get("coop_session")

        r = await change_password(client, factories.PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
        assert r.status_code == 303, r.text
        assert r.headers["location"] == "/account"
        # This session goes on under a new id; the other one is logged out.
        assert client.cookies.get("coop_session") not in (None, before)
        page = await account(client)
        assert "Uw wachtwoord is gewijzigd." in page.text
        r = await other.get("/account")
        assert r.status_code == 303 and r.headers["location"].startswith("/login")

    # The new password works, the old one no longer does.
    async with httpx.AsyncClient(transport=transport, base_url=str(client.base_url)) as fresh:
        assert (await login(fresh, member)).status_code == 400
        member.password = NEW_PASSWORD
        assert (await login(fresh, member)).headers["location"] == "/overzicht"
    events = await actions("password_changed")
    assert len(events) == 1 and events[0]["actor_id"] == member.id
