"""The API accepts only personal Bearer tokens: ``GET /api/v1/me`` and what every token
check promises (401 problem details, scopes, expiry, revocation, no cookies)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from litestar import post

from coop import db
from coop.accounts import repository
from coop.accounts import token_repository as token_repo
from coop.accounts.auth import requires
from coop.accounts.roles import Role
from coop.accounts.tables import ApiToken, User
from tests import factories
from tests.factories import login
from tests.support import register


async def new_token(user_id: int, scope: str = "read", days: int = 30) -> token_repo.CreatedToken:
    async with db.write_transaction():
        return await token_repo.create(user_id=user_id, name="test", scope=scope, days=days)  # type: ignore[arg-type]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_unauthorised(response) -> dict:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "set-cookie" not in response.headers
    body = response.json()
    assert body["status"] == 401
    assert body["code"] == "not_authenticated"
    return body


@pytest.mark.parametrize("role", list(Role))
async def test_me_returns_the_principal_for_each_role(client, migrated, role):
    who = await factories.user(role, email=f"{role.value}@example.nl")
    made = await new_token(who.id, scope="write")
    r = await client.get("/api/v1/me", headers=bearer(made.token))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert "set-cookie" not in r.headers
    body = r.json()
    assert set(body) == {"id", "email", "role", "organisation_id", "tenant", "scope"}
    assert body["id"] == who.id
    assert body["email"] == f"{role.value}@example.nl"
    assert body["role"] == role.value
    assert body["scope"] == "write"
    user = await repository.user_by_id(who.id)
    assert user is not None
    if role == Role.MEMBER:
        assert body["organisation_id"] == user["organisation"] is not None
        assert body["tenant"] is None
    elif role == Role.WSP:
        assert body["tenant"] == "wsp-test"
        assert body["organisation_id"] is None
    else:
        assert body["organisation_id"] is None and body["tenant"] is None


async def test_me_reports_a_read_scope(client, migrated):
    who = await factories.user(Role.MEMBER)
    made = await new_token(who.id, scope="read")
    r = await client.get("/api/v1/me", headers=bearer(made.token))
    assert r.status_code == 200
    assert r.json()["scope"] == "read"


async def test_no_authorization_header_is_401_problem_details(client, migrated):
    body = assert_unauthorised(await client.get("/api/v1/me"))
    assert "Bearer" in body["detail"]
    assert body["instance"] == "/api/v1/me"


async def test_every_bad_token_gets_the_same_answer(client, migrated):
    who = await factories.user(Role.MEMBER)
    good = await new_token(who.id)
    revoked = await new_token(who.id)
    async with db.write_transaction():
        assert await token_repo.revoke(user_id=who.id, token_id=revoked.id)
    expired = await new_token(who.id)
    await ApiToken.update({ApiToken.expires_at: repository.now() - timedelta(seconds=1)}).where(
        ApiToken.id == expired.id
    )
    prefix = good.token.split("_")[1]
    headers = [
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": f"Basic {good.token}"},
        {"Authorization": good.token},  # no scheme
        bearer("coop_000000000000_" + "x" * 43),  # well-formed, unknown
        bearer(f"coop_{prefix}_" + "y" * 43),  # a known prefix with the wrong secret
        bearer(revoked.token),
        bearer(expired.token),
    ]
    bodies = [assert_unauthorised(await client.get("/api/v1/me", headers=h)) for h in headers]
    assert all(body == bodies[0] for body in bodies)
    # The good one still works.
    assert (await client.get("/api/v1/me", headers=bearer(good.token))).status_code == 200


async def test_a_deactivated_users_token_stops_working(client, migrated):
    who = await factories.user(Role.MEMBER)
    made = await new_token(who.id)
    assert (await client.get("/api/v1/me", headers=bearer(made.token))).status_code == 200
    await User.update({User.active: False}).where(User.id == who.id)
    assert_unauthorised(await client.get("/api/v1/me", headers=bearer(made.token)))


@post("/api/v1/_test/change", guards=[requires()], sync_to_thread=False)
def change() -> dict[str, bool]:
    return {"changed": True}


async def test_a_read_token_may_not_use_unsafe_methods(client, migrated):
    register(client.app, change)
    who = await factories.user(Role.MEMBER)
    read = await new_token(who.id, scope="read")
    write = await new_token(who.id, scope="write")
    r = await client.post("/api/v1/_test/change", headers=bearer(read.token))
    assert r.status_code == 403, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "insufficient_scope"
    # A write token passes, and needs no CSRF token or cookie on the API.
    r = await client.post("/api/v1/_test/change", headers=bearer(write.token))
    assert r.status_code == 201, r.text
    assert r.json() == {"changed": True}
    assert "set-cookie" not in r.headers
    assert_unauthorised(await client.post("/api/v1/_test/change"))


async def test_a_session_cookie_is_ignored_on_the_api(client, migrated):
    who = await factories.user(Role.MEMBER)
    await login(client, who)
    assert client.cookies.get("coop_session")
    assert (await client.get("/overzicht")).status_code == 200
    # The logged-in browser is nobody to the API, and the API sets no cookie.
    assert_unauthorised(await client.get("/api/v1/me"))
    made = await new_token(who.id)
    r = await client.get("/api/v1/me", headers=bearer(made.token))
    assert r.status_code == 200
    assert "set-cookie" not in r.headers


async def test_use_is_recorded_as_last_used(client, migrated):
    who = await factories.user(Role.MEMBER)
    made = await new_token(who.id)
    row = await token_repo.token_of(who.id, made.id)
    assert row is not None and row["last_used_at"] is None
    assert (await client.get("/api/v1/me", headers=bearer(made.token))).status_code == 200
    row = await token_repo.token_of(who.id, made.id)
    assert row is not None and row["last_used_at"] is not None


async def test_only_the_hash_is_stored(client, migrated):
    import hashlib

    who = await factories.user(Role.MEMBER)
    made = await new_token(who.id)
    rows = await ApiToken.select().where(ApiToken.user == who.id)
    assert len(rows) == 1
    assert rows[0]["token_hash"] == hashlib.sha256(made.token.encode()).hexdigest()
    secret = made.token.split("_", 2)[2]
    assert not any(secret in str(value) for value in rows[0].values())


async def test_openapi_documents_me_with_bearer_security(client, migrated):
    r = await client.get("/schema/openapi.json")
    assert r.status_code == 200
    operation = r.json()["paths"]["/api/v1/me"]["get"]
    assert operation["tags"] == ["accounts"]
    assert operation["summary"]
    assert operation["security"] == [{"BearerToken": []}]
    assert "401" in operation["responses"]
    schema = r.json()["components"]["schemas"]["Me"]
    assert set(schema["properties"]) == {
        "id",
        "email",
        "role",
        "organisation_id",
        "tenant",
        "scope",
    }
