"""Login, the second step and logout through the pages."""

from __future__ import annotations

from coop.accounts.roles import Role
from tests import factories
from tests.factories import csrf_from, login


async def test_member_logs_in_and_sees_the_overview(client, migrated):
    member = await factories.user(Role.MEMBER, name="Mila Lid")
    r = await login(client, member)
    assert r.status_code == 303 and r.headers["location"] == "/overzicht"
    page = await client.get("/overzicht")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Mila Lid" in page.text
    login_page = await client.get("/login")
    assert login_page.headers["content-type"].startswith("text/html")


async def test_wrong_password_and_unknown_account_get_the_same_answer(client, migrated):
    member = await factories.user(Role.MEMBER)
    page = await client.get("/login")
    token = csrf_from(page.text)
    wrong = await client.post(
        "/login", data={"email": member.email, "password": "x" * 14, "_csrf": token}
    )
    unknown = await client.post(
        "/login", data={"email": "nobody@example.nl", "password": "x" * 14, "_csrf": token}
    )
    assert wrong.status_code == unknown.status_code == 400
    assert "Het e-mailadres of het wachtwoord klopt niet." in wrong.text
    assert "Het e-mailadres of het wachtwoord klopt niet." in unknown.text
    # The typed address is kept; the password never is.
    assert 'value="nobody@example.nl"' in unknown.text
    assert "x" * 14 not in unknown.text


async def test_coordinator_needs_the_second_factor(client, migrated):
    coordinator = await factories.user(Role.COORDINATOR)
    r = await login(client, coordinator, second_factor=False)
    assert r.headers["location"].startswith("/login/tweede-factor")
    # Password alone reaches nothing.
    r = await client.get("/overzicht")
    assert r.status_code == 303 and r.headers["location"].startswith("/login/tweede-factor")
    page = await client.get("/login/tweede-factor")
    r = await client.post(
        "/login/tweede-factor", data={"code": coordinator.code(), "_csrf": csrf_from(page.text)}
    )
    assert r.status_code == 303
    assert (await client.get("/overzicht")).status_code == 200


async def test_session_id_changes_at_login(client, migrated):
    member = await factories.user(Role.MEMBER)
    await client.get("/login")
    before = client.cookies.get("coop_session")
    assert before
    await login(client, member)
    after = client.cookies.get("coop_session")
    assert after and after != before


async def test_logout_ends_the_session(client, migrated):
    member = await factories.user(Role.MEMBER)
    await login(client, member)
    page = await client.get("/overzicht")
    r = await client.post("/logout", data={"_csrf": csrf_from(page.text)})
    assert r.status_code == 303
    assert (await client.get("/overzicht")).status_code == 303


async def test_cookie_is_host_prefixed_and_secure_over_https(make_client, migrated):
    async with make_client(base_url="https://coop.example.nl") as client:
        r = await client.get("/login")
        cookie = r.headers["set-cookie"]
        assert cookie.startswith("__Host-coop_session=")
        for flag in ("Secure", "HttpOnly", "Path=/", "SameSite=lax"):
            assert flag.lower() in cookie.lower()
        assert "domain=" not in cookie.lower()


async def test_cookie_over_http_is_httponly_and_lax(client, migrated):
    r = await client.get("/login")
    cookie = r.headers["set-cookie"].lower()
    assert cookie.startswith("coop_session=")
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie


async def test_public_pages_start_no_session(client, migrated):
    for path in ("/", "/toegankelijkheid"):
        assert "set-cookie" not in (await client.get(path)).headers


async def test_replacing_the_second_factor_asks_for_the_password(client, migrated):
    import pyotp

    coordinator = await factories.user(Role.COORDINATOR)
    await login(client, coordinator)
    page = await client.get("/account/tweede-factor")
    assert page.status_code == 200
    assert 'name="password"' in page.text
    secret = page.text.split('class="secret">')[1].split("<")[0].replace(" ", "")
    code = pyotp.TOTP(secret).now()
    refused = await client.post(
        "/account/tweede-factor",
        data={"code": code, "password": "niet-mijn-wachtwoord", "_csrf": csrf_from(page.text)},
    )
    assert refused.status_code == 400
    assert "Dit wachtwoord klopt niet." in refused.text
    accepted = await client.post(
        "/account/tweede-factor",
        data={"code": code, "password": coordinator.password, "_csrf": csrf_from(page.text)},
    )
    assert accepted.status_code == 200
    assert "code-list" in accepted.text
