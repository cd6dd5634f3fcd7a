"""The attack list of the accounts issue: each attack, and that it fails without leaving
a trace of what exists.

Sessions are edited in their store to travel in time: ``client.app.stores.get("sessions")``
under ``sessions.store_key(id)``.
"""

from __future__ import annotations

import re
import time

import httpx
import pytest

from coop.accounts import auth, sessions, token_repository
from coop.accounts.roles import Role
from coop.accounts.tables import User
from coop.audit.tables import AuditEvent
from tests import factories
from tests.factories import PASSWORD, csrf_from, login

COOKIE = "coop_session"
HOST = "127.0.0.1"  # the test client's host: where its cookies live
WRONG_PASSWORD = "helemaal-niet-het-goede-wachtwoord"


# --- helpers --------------------------------------------------------------------------


def another_browser(client: httpx.AsyncClient, cookie: str | None = None) -> httpx.AsyncClient:
    """A second browser on the same running app (an attacker, or a thief with a cookie)."""
    browser = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=client.app, client=("127.0.0.1", 50001)),  # type: ignore[attr-defined]
        base_url=str(client.base_url),
    )
    if cookie is not None:
        browser.cookies.set(COOKIE, cookie, domain=HOST)
    return browser


async def logged_in(response: httpx.Response | None = None, *, client: httpx.AsyncClient) -> bool:
    r = await client.get("/overzicht")
    return r.status_code == 200


async def stored(client: httpx.AsyncClient) -> sessions.SessionData:
    store = client.app.stores.get("sessions")  # type: ignore[attr-defined]
    raw = await store.get(sessions.store_key(client.cookies[COOKIE]))
    data = sessions.decode(raw, time.time())
    assert data is not None, "no live session in the store"
    return data


async def edit_session(client: httpx.AsyncClient, **changes: float) -> None:
    """Change the stored session of this client (its times), as if time had passed."""
    data = await stored(client)
    for name, value in changes.items():
        setattr(data, name, value)
    store = client.app.stores.get("sessions")  # type: ignore[attr-defined]
    await store.set(
        sessions.store_key(client.cookies[COOKIE]),
        sessions.encode(data),
        expires_in=sessions.IDLE_TIMEOUT_S,
    )


async def events(action: str | None = None) -> list[dict]:
    query = AuditEvent.select().order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return await query


async def fresh_csrf(client: httpx.AsyncClient, path: str = "/login") -> str:
    return csrf_from((await client.get(path)).text)


def form_error(html: str) -> str:
    """The text of the error summary."""
    block = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", block).split())


@pytest.fixture
async def member(migrated) -> factories.TestUser:
    return await factories.user(Role.MEMBER, email="lid@bakkerij.example.nl")


@pytest.fixture
async def coordinator(migrated) -> factories.TestUser:
    return await factories.user(Role.COORDINATOR, email="coordinator@coop.example.nl")


# --- CSRF and origin ------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "", "verkeerd-token", "other-session"])
async def test_logout_without_the_right_csrf_token_is_refused(client, member, token):
    await login(client, member)
    if token == "other-session":
        # A valid token, but of the attacker's own session.
        async with another_browser(client) as attacker:
            token = await fresh_csrf(attacker)
    before = len(await events())
    data = {} if token is None else {"_csrf": token}
    r = await client.post("/logout", data=data)
    assert r.status_code == 403
    assert "Het formulier is verlopen of niet geldig" in r.text
    assert await logged_in(client=client)
    assert len(await events()) == before  # no logout recorded


@pytest.mark.parametrize("token", [None, "verkeerd-token"])
async def test_login_without_the_right_csrf_token_is_refused(client, member, token):
    await client.get("/login")  # a session with a token of its own
    data = {"email": member.email, "password": member.password}
    if token is not None:
        data["_csrf"] = token
    r = await client.post("/login", data=data)
    assert r.status_code == 403
    assert not await logged_in(client=client)
    assert await events() == []


async def test_login_without_any_session_is_refused(client, member):
    r = await client.post("/login", data={"email": member.email, "password": member.password})
    assert r.status_code == 403
    assert not await logged_in(client=client)


async def test_csrf_token_in_a_header_works_and_a_wrong_one_does_not(client, member):
    await login(client, member)
    token = await fresh_csrf(client, "/overzicht")
    r = await client.post("/logout", headers={auth.CSRF_HEADER: "verkeerd"})
    assert r.status_code == 403 and await logged_in(client=client)
    r = await client.post("/logout", headers={auth.CSRF_HEADER: token})
    assert r.status_code == 303 and not await logged_in(client=client)


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:8000.evil.example"])
async def test_a_foreign_origin_is_refused_even_with_a_valid_token(client, member, origin):
    await login(client, member)
    token = await fresh_csrf(client, "/overzicht")
    r = await client.post("/logout", data={"_csrf": token}, headers={"origin": origin})
    assert r.status_code == 403
    assert "Dit formulier komt niet van deze website." in r.text
    assert await logged_in(client=client)
    # And the login form the same.
    await client.post("/logout", data={"_csrf": token})
    token = await fresh_csrf(client)
    r = await client.post(
        "/login",
        data={"email": member.email, "password": member.password, "_csrf": token},
        headers={"origin": origin},
    )
    assert r.status_code == 403 and not await logged_in(client=client)


async def test_our_own_origin_is_accepted(client, member):
    await login(client, member)
    token = await fresh_csrf(client, "/overzicht")
    r = await client.post(
        "/logout", data={"_csrf": token}, headers={"origin": "http://127.0.0.1:8000"}
    )
    assert r.status_code == 303


# --- session fixation -----------------------------------------------------------------


async def test_a_made_up_session_id_is_never_adopted(client, member):
    planted = "aangeplant-door-de-aanvaller-" + "x" * 20
    client.cookies.set(COOKIE, planted, domain=HOST)
    await login(client, member)
    assert client.cookies[COOKIE] != planted
    assert await logged_in(client=client)


async def test_a_planted_real_session_id_is_worthless_after_login(client, member):
    # The attacker gets a real, anonymous session and plants its id in the victim's browser.
    async with another_browser(client) as attacker:
        await attacker.get("/login")
        planted = attacker.cookies[COOKIE]
    client.cookies.set(COOKIE, planted, domain=HOST)
    await client.get("/login")
    assert client.cookies[COOKIE] == planted  # the victim now uses the attacker's id
    await login(client, member)
    assert client.cookies[COOKIE] != planted
    assert await logged_in(client=client)
    # The attacker's copy of the id opens nothing, and is gone from the store.
    async with another_browser(client, planted) as thief:
        r = await thief.get("/overzicht")
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
    store = client.app.stores.get("sessions")
    assert await store.get(sessions.store_key(planted)) is None


async def test_the_id_changes_again_after_the_second_factor(client, coordinator):
    await login(client, coordinator, second_factor=False)
    after_password = client.cookies[COOKIE]
    page = await client.get("/login/tweede-factor")
    await client.post(
        "/login/tweede-factor", data={"code": coordinator.code(), "_csrf": csrf_from(page.text)}
    )
    assert client.cookies[COOKIE] != after_password
    assert await logged_in(client=client)


# --- timeouts -------------------------------------------------------------------------


async def test_idle_timeout(client, member):
    await login(client, member)
    await edit_session(client, seen=time.time() - 29 * 60)
    assert await logged_in(client=client)  # 29 minutes idle: still in (and seen again now)
    await edit_session(client, seen=time.time() - 31 * 60)
    r = await client.get("/overzicht")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert COOKIE not in client.cookies  # the cookie was cleared


async def test_absolute_timeout_even_when_active(client, member):
    await login(client, member)
    now = time.time()
    await edit_session(client, created=now - 12 * 60 * 60 + 60, seen=now)
    assert await logged_in(client=client)
    await edit_session(client, created=now - 12 * 60 * 60 - 1, seen=now)
    assert not await logged_in(client=client)


# --- the second factor ----------------------------------------------------------------


SIGNED_IN_PAGES = ["/overzicht", "/account", "/beheer/audit", "/beheer/gebruikers"]


async def test_a_password_alone_reaches_only_the_second_factor_pages(client, coordinator):
    org = await factories.organisation()
    await login(client, coordinator, second_factor=False)
    for path in [*SIGNED_IN_PAGES, f"/organisaties/{org}"]:
        r = await client.get(path)
        assert r.status_code == 303, path
        assert r.headers["location"].startswith("/login/tweede-factor"), path
    assert (await client.get("/login/tweede-factor")).status_code == 200
    # A token-less API call is not helped by the half session either.
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_a_password_alone_lapses_after_ten_minutes(client, coordinator):
    await login(client, coordinator, second_factor=False)
    data = await stored(client)
    await edit_session(client, authenticated_at=data.authenticated_at - 9 * 60)
    assert (await client.get("/login/tweede-factor")).status_code == 200
    page = await client.get("/login/tweede-factor")
    token = csrf_from(page.text)
    await edit_session(client, authenticated_at=time.time() - 10 * 60 - 1)
    r = await client.get("/login/tweede-factor")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert not r.headers["location"].startswith("/login/tweede-factor")
    # Even the right code no longer helps: the half session is gone.
    r = await client.post("/login/tweede-factor", data={"code": coordinator.code(), "_csrf": token})
    assert r.status_code in (303, 403)
    assert not await logged_in(client=client)


async def test_a_wrong_code_is_refused(client, coordinator):
    await login(client, coordinator, second_factor=False)
    page = await client.get("/login/tweede-factor")
    right = coordinator.code()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    r = await client.post(
        "/login/tweede-factor", data={"code": wrong, "_csrf": csrf_from(page.text)}
    )
    assert r.status_code == 400
    assert "Deze code klopt niet of is al gebruikt." in r.text
    assert not await logged_in(client=client)
    assert [e["actor_email"] for e in await events("second_factor_failed")] == [coordinator.email]


async def test_a_code_works_only_once(client, coordinator):
    code = coordinator.code()
    await login(client, coordinator, second_factor=False)
    page = await client.get("/login/tweede-factor")
    r = await client.post(
        "/login/tweede-factor", data={"code": code, "_csrf": csrf_from(page.text)}
    )
    assert r.status_code == 303 and await logged_in(client=client)
    await client.post("/logout", data={"_csrf": await fresh_csrf(client, "/overzicht")})
    # Someone who saw the code over the shoulder tries it with the password.
    await login(client, coordinator, second_factor=False)
    page = await client.get("/login/tweede-factor")
    r = await client.post(
        "/login/tweede-factor", data={"code": code, "_csrf": csrf_from(page.text)}
    )
    assert r.status_code == 400
    assert "Deze code klopt niet of is al gebruikt." in r.text
    assert not await logged_in(client=client)


async def test_a_recovery_code_works_only_once(client, coordinator):
    code = coordinator.recovery_codes[0]
    await login(client, coordinator, second_factor=False)
    page = await client.get("/login/tweede-factor")
    r = await client.post(
        "/login/tweede-factor", data={"code": code, "_csrf": csrf_from(page.text)}
    )
    assert r.status_code == 303 and await logged_in(client=client)
    await client.post("/logout", data={"_csrf": await fresh_csrf(client, "/overzicht")})
    await login(client, coordinator, second_factor=False)
    page = await client.get("/login/tweede-factor")
    r = await client.post(
        "/login/tweede-factor", data={"code": code, "_csrf": csrf_from(page.text)}
    )
    assert r.status_code == 400
    assert not await logged_in(client=client)


# --- throttling -----------------------------------------------------------------------


async def fail_login(client: httpx.AsyncClient, email: str, password: str = WRONG_PASSWORD):
    return await client.post(
        "/login", data={"email": email, "password": password, "_csrf": await fresh_csrf(client)}
    )


WAIT = re.compile(r"Te veel mislukte pogingen\. Probeer het over (\d+) minuten? opnieuw\.")


async def test_an_account_waits_after_five_failures_even_with_the_right_password(client, member):
    for _ in range(5):
        assert (await fail_login(client, member.email)).status_code == 400
    r = await fail_login(client, member.email, member.password)
    assert r.status_code == 429
    match = WAIT.search(form_error(r.text))
    assert match and int(match.group(1)) == 15
    assert not await logged_in(client=client)
    # Another account from the same address is not locked by these five.
    other = await factories.user(Role.MEMBER)
    assert (await login(client, other)).status_code == 303


async def test_an_unknown_account_gets_the_same_answer(client, member):
    for email in (member.email, "niemand@example.nl"):
        for _ in range(5):
            await fail_login(client, email)
    known = await fail_login(client, member.email)
    unknown = await fail_login(client, "niemand@example.nl")
    assert known.status_code == unknown.status_code == 429
    assert form_error(known.text) == form_error(unknown.text)
    assert WAIT.search(form_error(unknown.text))


async def test_one_address_waits_after_twenty_failures_across_accounts(client, member):
    for i in range(20):
        assert (await fail_login(client, f"gok{i}@example.nl")).status_code == 400
    r = await fail_login(client, member.email, member.password)
    assert r.status_code == 429
    assert WAIT.search(form_error(r.text))
    assert not await logged_in(client=client)


async def test_failed_second_factors_are_throttled_too(client, coordinator):
    await login(client, coordinator, second_factor=False)
    for _ in range(5):
        page = await client.get("/login/tweede-factor")
        r = await client.post(
            "/login/tweede-factor", data={"code": "000000", "_csrf": csrf_from(page.text)}
        )
        assert r.status_code == 400
    page = await client.get("/login/tweede-factor")
    r = await client.post(
        "/login/tweede-factor", data={"code": coordinator.code(), "_csrf": csrf_from(page.text)}
    )
    assert r.status_code == 429
    assert WAIT.search(r.text)
    assert not await logged_in(client=client)


# --- deactivation, scope, back office -------------------------------------------------


async def test_a_deactivated_users_session_ends_at_the_next_request(client, member):
    await login(client, member)
    assert await logged_in(client=client)
    await User.update({User.active: False}).where(User.id == member.id)
    r = await client.get("/overzicht")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert COOKIE not in client.cookies
    # Logging in again does not work either, with the same answer as a wrong password.
    r = await fail_login(client, member.email, member.password)
    assert r.status_code == 400
    assert "Het e-mailadres of het wachtwoord klopt niet." in r.text


async def test_a_deactivated_users_token_stops_working(client, member):
    token = await token_repository.create(user_id=member.id, name="t", scope="read", days=1)
    headers = {"Authorization": f"Bearer {token.token}"}
    assert (await client.get("/api/v1/organisations", headers=headers)).status_code == 200
    await User.update({User.active: False}).where(User.id == member.id)
    assert (await client.get("/api/v1/organisations", headers=headers)).status_code == 401


async def test_another_organisation_is_the_same_404_as_an_unknown_one(client, migrated):
    own = await factories.organisation("Eigen BV")
    other = await factories.organisation("Andere BV")
    member = await factories.user(Role.MEMBER, organisation_id=own)
    await login(client, member)
    assert (await client.get(f"/organisaties/{own}")).status_code == 200
    foreign = await client.get(f"/organisaties/{other}")
    unknown = await client.get("/organisaties/999999")
    assert foreign.status_code == unknown.status_code == 404
    # The same page but for the address itself: nothing tells that "other" exists.
    assert foreign.text.replace(f"/organisaties/{other}", "/organisaties/X") == (
        unknown.text.replace("/organisaties/999999", "/organisaties/X")
    )
    assert "Andere BV" not in foreign.text
    assert "De pagina die u zoekt bestaat niet (meer)." in foreign.text


async def test_in_the_api_too(client, migrated):
    own = await factories.organisation("Eigen BV")
    other = await factories.organisation("Andere BV")
    member = await factories.user(Role.MEMBER, organisation_id=own)
    token = await token_repository.create(user_id=member.id, name="t", scope="read", days=1)
    headers = {"Authorization": f"Bearer {token.token}"}
    foreign = await client.get(f"/api/v1/organisations/{other}", headers=headers)
    unknown = await client.get("/api/v1/organisations/999999", headers=headers)
    assert foreign.status_code == unknown.status_code == 404
    strip = lambda body: {k: v for k, v in body.items() if k != "instance"}  # noqa: E731
    assert strip(foreign.json()) == strip(unknown.json())
    listed = await client.get("/api/v1/organisations", headers=headers)
    assert [o["id"] for o in listed.json()["items"]] == [own]


@pytest.mark.parametrize("path", ["/beheer/audit", "/beheer/gebruikers"])
async def test_a_wsp_user_is_kept_out_of_the_back_office(client, migrated, path):
    wsp = await factories.user(Role.WSP)
    await login(client, wsp)
    r = await client.get(path)
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("text/html")
    assert "Geen toegang" in r.text


# --- paths without cookies ------------------------------------------------------------


COOKIELESS = [
    "/api/v1/me",
    "/api/v1/organisations",
    "/api/v1/does-not-exist",
    "/scan",
    "/scan/coop",
    "/embed.js",
    "/static/css/app.css",
    "/health/live",
    "/health/ready",
]


@pytest.mark.parametrize("path", COOKIELESS)
async def test_cookieless_paths_never_set_a_cookie_even_with_a_session(client, member, path):
    await login(client, member)
    valid = client.cookies[COOKIE]
    # A live session, an unknown one, and a live one due for its idle refresh.
    await edit_session(client, seen=time.time() - 5 * 60)
    for cookie in (valid, "onbekend-" + "x" * 30):
        async with another_browser(client, cookie) as browser:
            for method in ("GET", "POST"):
                r = await browser.request(method, path)
                assert "set-cookie" not in r.headers, (method, path, r.headers.get("set-cookie"))
    # And the session was not touched there.
    assert (await stored(client)).seen < time.time() - 4 * 60


# --- the audit log of logins ----------------------------------------------------------


async def test_login_failed_login_and_logout_are_in_the_audit_log(client, member):
    r = await fail_login(client, "LID@bakkerij.example.nl ", WRONG_PASSWORD)
    assert r.status_code == 400
    await fail_login(client, "onbekend@example.nl", WRONG_PASSWORD)
    await login(client, member)
    await client.post("/logout", data={"_csrf": await fresh_csrf(client, "/overzicht")})

    log = await events()
    assert [e["action"] for e in log] == ["login_failed", "login_failed", "login", "logout"]
    failed, unknown, signed_in, signed_out = log
    assert failed["actor_email"] == member.email and failed["object_id"] == str(member.id)
    assert unknown["actor_email"] == "onbekend@example.nl" and unknown["object_id"] == ""
    assert signed_in["actor_email"] == member.email
    assert signed_out["actor_id"] == member.id and signed_out["actor_email"] == member.email
    assert all(e["client_ip"] == "127.0.0.1" for e in log)
    # No password, right or wrong, anywhere in the log.
    for event in log:
        for value in event.values():
            assert WRONG_PASSWORD not in str(value)
            assert PASSWORD not in str(value)


async def test_the_absolute_timeout_counts_from_the_login(client, member):
    # A login form opened long ago (its session kept alive by browsing) ...
    await client.get("/login")
    await edit_session(client, created=time.time() - 12 * 60 * 60 + 30)
    before = time.time()
    await login(client, member)
    # ... does not shorten the session that starts at the login.
    assert (await stored(client)).created >= before


async def test_a_logged_out_session_id_is_dead(client, member):
    await login(client, member)
    old = client.cookies[COOKIE]
    await client.post("/logout", data={"_csrf": await fresh_csrf(client, "/overzicht")})
    async with another_browser(client, old) as replay:
        r = await replay.get("/overzicht")
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
