"""Invitations and password resets: the mail in the outbox, the one-time link, and every
way a link or a reset request is refused without telling more than it should."""

from __future__ import annotations

import asyncio
import hashlib
import re
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from coop.accounts import invitations, links, passwords
from coop.accounts.roles import Role
from coop.accounts.tables import OneTimeLink, User
from coop.audit.tables import AuditEvent
from coop.mail.tables import OutboxMail
from tests import factories
from tests.factories import csrf_from, login
from tests.support import TEST_BASE_URL

NEW_PASSWORD = "zonnige vlonder bij de sloot"
SAME_ANSWER = "Als dit e-mailadres bij ons bekend is, ontvangt u binnen enkele minuten een e-mail"
INVALID = "Deze link werkt niet meer"
LINK = re.compile(re.escape(TEST_BASE_URL) + r"(/wachtwoord-instellen/[A-Za-z0-9_-]{43})\b")


@asynccontextmanager
async def another_browser(client: httpx.AsyncClient):
    """A second client on the same app (its own cookies, the same session store)."""
    transport = httpx.ASGITransport(app=client.app, client=("127.0.0.1", 50001))  # type: ignore[attr-defined]
    async with httpx.AsyncClient(transport=transport, base_url=TEST_BASE_URL) as other:
        yield other


async def mails(kind: str | None = None) -> list[dict]:
    query = OutboxMail.select().order_by(OutboxMail.id)
    if kind:
        query = query.where(OutboxMail.kind == kind)
    return await query


async def expire_links(from_now: timedelta) -> None:
    """Every link in the database now expires at ``now + from_now`` (past when negative)."""
    await OneTimeLink.update({OneTimeLink.expires_at: datetime.now(UTC) + from_now}, force=True)


def link_in(body: str) -> str:
    match = LINK.search(body)
    assert match, body
    return match.group(1)


async def actions(action: str) -> list[dict]:
    return await AuditEvent.select().where(AuditEvent.action == action)


async def invite(client: httpx.AsyncClient, **fields: str) -> httpx.Response:
    page = await client.get("/beheer/gebruikers/uitnodigen")
    assert page.status_code == 200, page.text
    return await client.post(
        "/beheer/gebruikers/uitnodigen", data={**fields, "_csrf": csrf_from(page.text)}
    )


async def set_password(
    client: httpx.AsyncClient, path: str, password: str, repeat: str | None = None
) -> httpx.Response:
    page = await client.get(path)
    assert page.status_code == 200, page.text
    return await client.post(
        path,
        data={
            "password": password,
            "password_repeat": password if repeat is None else repeat,
            "_csrf": csrf_from(page.text),
        },
    )


async def request_reset(client: httpx.AsyncClient, email: str) -> httpx.Response:
    page = await client.get("/wachtwoord-vergeten")
    return await client.post(
        "/wachtwoord-vergeten", data={"email": email, "_csrf": csrf_from(page.text)}
    )


async def invited_member(client: httpx.AsyncClient) -> tuple[str, int]:
    """An admin invites a member; returns the link's path and the new user's id."""
    admin = await factories.user(Role.ADMIN)
    organisation = await factories.organisation()
    await login(client, admin)
    r = await invite(
        client,
        email="Nieuw.Lid@Example.nl",
        name="Nina Nieuw",
        role="member",
        organisation=str(organisation),
    )
    assert r.status_code == 303, r.text
    user = await User.select(User.id).where(User.email == "nieuw.lid@example.nl").first()
    [mail] = await mails("invitation")
    return link_in(mail["body_text"]), user["id"]


# --- invitations ------------------------------------------------------------------------


async def test_invitation_mail_has_a_working_link_that_sets_the_password(client, migrated):
    path, user_id = await invited_member(client)
    [mail] = await mails("invitation")
    assert mail["recipient"] == "nieuw.lid@example.nl"
    assert "Beste Nina Nieuw," in mail["body_text"]
    assert "72 uur geldig" in mail["body_text"]
    assert "niet verwacht" in mail["body_text"]
    # Only the hash is stored.
    token = path.rsplit("/", 1)[1]
    [row] = await OneTimeLink.select().where(OneTimeLink.user == user_id)
    assert row["purpose"] == "invite"
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert row["expires_at"] - row["created_at"] == timedelta(hours=72)
    user = await User.select(User.password_hash).where(User.id == user_id).first()
    assert user["password_hash"] is None

    async with another_browser(client) as invitee:
        page = await invitee.get(path)
        assert page.status_code == 200
        assert "Kies uw wachtwoord" in page.text
        assert 'value="nieuw.lid@example.nl"' in page.text
        assert "no-store" in page.headers["cache-control"]
        r = await set_password(invitee, path, NEW_PASSWORD)
        assert r.status_code == 303 and r.headers["location"] == "/login"
        welcome = await invitee.get("/login")
        assert "Uw wachtwoord is ingesteld." in welcome.text
        who = factories.TestUser(user_id, "nieuw.lid@example.nl", NEW_PASSWORD, None, [])
        r = await login(invitee, who)
        assert r.status_code == 303 and r.headers["location"] == "/overzicht"

    [accepted] = await actions("invitation_accepted")
    assert accepted["object_id"] == str(user_id)
    assert accepted["actor_email"] == "nieuw.lid@example.nl"
    assert (await OneTimeLink.select(OneTimeLink.used_at).first())["used_at"] is not None


async def test_weak_or_different_passwords_are_refused_next_to_the_field(client, migrated):
    path, _user_id = await invited_member(client)
    async with another_browser(client) as invitee:
        r = await set_password(invitee, path, "kort")
        assert r.status_code == 400
        assert r.headers["content-type"].startswith("text/html")
        assert 'id="fout-password"' in r.text and "minstens 12 tekens" in r.text
        r = await set_password(invitee, path, "nina nieuw is hier")
        assert r.status_code == 400
        assert "Gebruik uw naam of e-mailadres niet" in r.text
        r = await set_password(invitee, path, NEW_PASSWORD, repeat=NEW_PASSWORD + "!")
        assert r.status_code == 400
        assert 'id="fout-password_repeat"' in r.text
        assert NEW_PASSWORD not in r.text  # a password is never put back in the page
        # The link still works after the refusals.
        r = await set_password(invitee, path, NEW_PASSWORD)
        assert r.status_code == 303
    assert not await actions("password_reset")


async def test_link_works_once(client, migrated):
    path, _ = await invited_member(client)
    async with another_browser(client) as invitee:
        assert (await set_password(invitee, path, NEW_PASSWORD)).status_code == 303
        again = await invitee.get(path)
        assert again.status_code == 410
        assert INVALID in again.text
        page = await invitee.get("/wachtwoord-vergeten")
        r = await invitee.post(
            path,
            data={
                "password": "een ander lang wachtwoord",
                "password_repeat": "een ander lang wachtwoord",
                "_csrf": csrf_from(page.text),
            },
        )
        assert r.status_code == 410
        assert r.headers["content-type"].startswith("text/html")
    user = await User.select(User.password_hash).where(User.email == "nieuw.lid@example.nl")
    assert await passwords.verify_password(user[0]["password_hash"], NEW_PASSWORD)


async def test_unknown_used_and_expired_links_get_the_same_answer(client, migrated):
    path, _user_id = await invited_member(client)
    async with another_browser(client) as stranger:
        unknown = await stranger.get(links.path_for(links.new_token()))
        malformed = await stranger.get("/wachtwoord-instellen/kort")
        await expire_links(timedelta(minutes=-1))
        expired = await stranger.get(path)
        await expire_links(timedelta(hours=1))
        assert (await set_password(stranger, path, NEW_PASSWORD)).status_code == 303
        used = await stranger.get(path)
    for response in (unknown, malformed, expired, used):
        assert response.status_code == 410
        assert INVALID in response.text
    # The pages differ only in the path itself (the language switch links to it).
    pages = {
        re.sub(r"/wachtwoord-instellen/[A-Za-z0-9_-]+", "/wachtwoord-instellen/X", r.text)
        for r in (unknown, malformed, expired, used)
    }
    assert len(pages) == 1


async def test_expired_link_cannot_set_a_password(client, migrated):
    path, user_id = await invited_member(client)
    async with another_browser(client) as invitee:
        page = await invitee.get(path)
        await expire_links(timedelta(seconds=-1))
        r = await invitee.post(
            path,
            data={
                "password": NEW_PASSWORD,
                "password_repeat": NEW_PASSWORD,
                "_csrf": csrf_from(page.text),
            },
        )
    assert r.status_code == 410
    user = await User.select(User.password_hash).where(User.id == user_id).first()
    assert user["password_hash"] is None


async def test_a_new_invitation_makes_the_older_link_stop_working(client, migrated):
    old_path, user_id = await invited_member(client)
    page = await client.get(f"/beheer/gebruikers/{user_id}")
    r = await client.post(
        f"/beheer/gebruikers/{user_id}/uitnodiging-versturen",
        data={"_csrf": csrf_from(page.text)},
    )
    assert r.status_code == 303
    _first, second = await mails("invitation")
    new_path = link_in(second["body_text"])
    assert new_path != old_path
    async with another_browser(client) as invitee:
        assert (await invitee.get(old_path)).status_code == 410
        assert (await set_password(invitee, new_path, NEW_PASSWORD)).status_code == 303
    resent = [e for e in await actions("user_invited") if e["detail"] == "invitation sent again"]
    assert len(resent) == 1


async def test_link_of_a_deactivated_user_is_refused(client, migrated):
    path, user_id = await invited_member(client)
    await User.update({User.active: False}).where(User.id == user_id)
    async with another_browser(client) as invitee:
        r = await invitee.get(path)
    assert r.status_code == 410


async def test_a_link_raced_twice_is_used_once(client, migrated):
    path, _user_id = await invited_member(client)
    async with another_browser(client) as invitee:
        page = await invitee.get(path)
        data = {
            "password": NEW_PASSWORD,
            "password_repeat": NEW_PASSWORD,
            "_csrf": csrf_from(page.text),
        }
        first, second = await asyncio.gather(
            invitee.post(path, data=data), invitee.post(path, data=data)
        )
    # The loser is refused: the link is used (410), or, when it came after the winner had
    # ended the session the form belonged to, the CSRF check fails (403).
    winner, loser = sorted([first.status_code, second.status_code])
    assert winner == 303 and loser in (403, 410)
    assert len(await actions("invitation_accepted")) == 1


def test_invitation_and_reset_texts_say_what_to_do():
    expires = datetime(2026, 3, 3, 13, 5, tzinfo=UTC)
    subject, body = invitations.invitation_mail(
        name="Nina",
        email="nina@example.nl",
        link="https://coop.example.nl/wachtwoord-instellen/abc",
        expires_at=expires,
        inviter="Bea Beheerder",
    )
    assert "Uitnodiging" in subject
    assert "Bea Beheerder heeft een account voor u gemaakt" in body
    assert "https://coop.example.nl/wachtwoord-instellen/abc" in body
    # Dutch local time: 13:05 UTC is 14:05 in Amsterdam in March.
    assert "dinsdag 3 maart 2026 om 14:05" in body
    subject, body = invitations.reset_mail(
        name="", email="nina@example.nl", link="https://x.nl/l", expires_at=expires
    )
    assert body.startswith("Goedendag,")
    assert "2 uur geldig" in body
    assert "Hebt u dit niet zelf gevraagd?" in body


# --- resets -------------------------------------------------------------------------------


async def test_reset_mail_sets_a_new_password_and_ends_every_session(client, migrated):
    member = await factories.user(Role.MEMBER, name="Mila Lid")
    async with another_browser(client) as laptop:
        await login(laptop, member)
        assert (await laptop.get("/overzicht")).status_code == 200

        r = await request_reset(client, member.email.upper())
        assert r.status_code == 200
        assert SAME_ANSWER in r.text
        [mail] = await mails("password_reset")
        assert mail["recipient"] == member.email
        assert "2 uur geldig" in mail["body_text"]
        path = link_in(mail["body_text"])
        [row] = await OneTimeLink.select()
        assert row["purpose"] == "reset"
        assert row["expires_at"] - row["created_at"] == timedelta(hours=2)

        page = await client.get(path)
        assert "Kies een nieuw wachtwoord" in page.text
        r = await set_password(client, path, NEW_PASSWORD)
        assert r.status_code == 303
        assert "Uw nieuwe wachtwoord is ingesteld." in (await client.get("/login")).text

        # The session on the other device is gone.
        r = await laptop.get("/overzicht")
        assert r.status_code == 303 and r.headers["location"].startswith("/login")

    old = await login(client, member)
    assert old.status_code == 400
    member.password = NEW_PASSWORD
    assert (await login(client, member)).status_code == 303
    assert len(await actions("password_reset_requested")) == 1
    [reset] = await actions("password_reset")
    assert reset["object_id"] == str(member.id)


async def test_unknown_address_gets_the_same_page_and_no_mail(client, migrated):
    member = await factories.user(Role.MEMBER)
    known = await request_reset(client, member.email)
    unknown = await request_reset(client, "niemand@example.nl")
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    assert SAME_ANSWER in unknown.text
    assert [m["recipient"] for m in await mails()] == [member.email]


async def test_no_reset_mail_for_a_deactivated_account(client, migrated):
    member = await factories.user(Role.MEMBER)
    await User.update({User.active: False}).where(User.id == member.id)
    r = await request_reset(client, member.email)
    assert r.status_code == 200 and SAME_ANSWER in r.text
    assert await mails() == []
    assert await OneTimeLink.count() == 0
    [refused] = await actions("password_reset_refused")
    assert refused["object_id"] == str(member.id)


async def test_invalid_address_is_shown_next_to_the_field(client, migrated):
    r = await request_reset(client, "geen-adres")
    assert r.status_code == 400
    assert 'id="fout-email"' in r.text
    assert 'value="geen-adres"' in r.text


async def test_at_most_three_reset_mails_per_address_per_hour(client, migrated):
    member = await factories.user(Role.MEMBER)
    answers = [await request_reset(client, member.email) for _ in range(5)]
    assert {a.status_code for a in answers} == {200}
    assert len({a.text for a in answers}) == 1
    assert len(await mails("password_reset")) == 3
    # Each new link made the one before stop working: only the last one is open.
    open_links = [
        row
        for row in await OneTimeLink.select()
        if row["expires_at"] > datetime.now(UTC) and row["used_at"] is None
    ]
    assert len(open_links) == 1


async def test_one_client_asking_too_often_waits(client, migrated):
    for number in range(10):
        r = await request_reset(client, f"iemand{number}@example.nl")
        assert r.status_code == 200
    r = await request_reset(client, "nog-iemand@example.nl")
    assert r.status_code == 429
    assert "te vaak" in r.text
    assert int(r.headers["retry-after"]) > 0


@pytest.mark.parametrize("path", ["/wachtwoord-vergeten", "token"])
async def test_forms_without_csrf_are_refused(client, migrated, path):
    member = await factories.user(Role.MEMBER)
    if path == "token":
        await request_reset(client, member.email)
        [mail] = await mails("password_reset")
        path = link_in(mail["body_text"])
        await OutboxMail.delete(force=True)
    await client.get("/wachtwoord-vergeten")  # a session, but no token sent
    r = await client.post(
        path,
        data={"email": member.email, "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD},
    )
    assert r.status_code == 403
    assert await mails() == []
    assert not await actions("password_reset")
