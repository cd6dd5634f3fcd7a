"""GET /api/v1/organisations and /api/v1/organisations/{id}: scoped by the token's user."""

from __future__ import annotations

import pytest

from coop.accounts import token_repository
from coop.accounts.roles import Role
from tests import factories


async def bearer(user: factories.TestUser, scope: str = "read") -> dict[str, str]:
    made = await token_repository.create(user_id=user.id, name="test", scope=scope, days=1)  # type: ignore[arg-type]
    return {"Authorization": f"Bearer {made.token}"}


@pytest.fixture
async def world(migrated):
    own = await factories.organisation("Bakkerij De Korenaar")
    other = await factories.organisation("Aannemer Bouwbedrijf")
    third = await factories.organisation("Zorggroep Zuid")
    return {"own": own, "other": other, "third": third}


async def test_a_member_lists_only_its_own_organisation(client, world):
    member = await factories.user(Role.MEMBER, organisation_id=world["own"])
    r = await client.get("/api/v1/organisations", headers=await bearer(member))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == {
        "items": [{"id": world["own"], "name": "Bakkerij De Korenaar"}],
        "total": 1,
        "limit": 50,
        "offset": 0,
    }
    assert "set-cookie" not in r.headers


async def test_a_wsp_user_lists_none(client, world):
    wsp = await factories.user(Role.WSP)
    r = await client.get("/api/v1/organisations", headers=await bearer(wsp))
    assert r.status_code == 200
    assert r.json() == {"items": [], "total": 0, "limit": 50, "offset": 0}


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
async def test_staff_list_every_organisation_by_name_with_paging(client, world, role):
    staff = await factories.user(role)
    headers = await bearer(staff)
    r = await client.get("/api/v1/organisations", headers=headers)
    body = r.json()
    assert [o["name"] for o in body["items"]] == [
        "Aannemer Bouwbedrijf",
        "Bakkerij De Korenaar",
        "Zorggroep Zuid",
    ]
    assert body["total"] == 3
    r = await client.get("/api/v1/organisations?limit=1&offset=1", headers=headers)
    assert r.json() == {
        "items": [{"id": world["own"], "name": "Bakkerij De Korenaar"}],
        "total": 3,
        "limit": 1,
        "offset": 1,
    }
    r = await client.get("/api/v1/organisations?limit=100&offset=3", headers=headers)
    assert r.json() == {"items": [], "total": 3, "limit": 100, "offset": 3}


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=101", "limit=-1", "offset=-1", "limit=abc", "offset=9" * 30]
)
async def test_a_bad_limit_or_offset_is_a_problem_naming_the_field(client, world, query):
    admin = await factories.user(Role.ADMIN)
    r = await client.get(f"/api/v1/organisations?{query}", headers=await bearer(admin))
    assert r.status_code in (400, 422)
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == r.status_code
    assert query.split("=")[0] in {e["field"] for e in body.get("errors", [])}


async def test_one_organisation(client, world):
    member = await factories.user(Role.MEMBER, organisation_id=world["own"])
    r = await client.get(f"/api/v1/organisations/{world['own']}", headers=await bearer(member))
    assert r.status_code == 200
    assert r.json() == {"id": world["own"], "name": "Bakkerij De Korenaar"}


@pytest.mark.parametrize("role", [Role.MEMBER, Role.WSP])
async def test_outside_the_scope_is_the_same_404_as_unknown(client, world, role):
    user = await factories.user(role, organisation_id=world["own"] if role == Role.MEMBER else None)
    headers = await bearer(user)
    other = await client.get(f"/api/v1/organisations/{world['other']}", headers=headers)
    unknown = await client.get("/api/v1/organisations/987654", headers=headers)
    assert other.status_code == unknown.status_code == 404
    assert other.headers["content-type"].startswith("application/problem+json")
    # Nothing but the path tells the two apart.
    assert {**other.json(), "instance": ""} == {**unknown.json(), "instance": ""}
    assert other.json()["code"] == "organisation_not_found"


@pytest.mark.parametrize("organisation_id", ["0", "-1", "2147483648", "9" * 19, "9" * 40])
async def test_ids_out_of_any_range_are_404_not_500(client, world, organisation_id):
    admin = await factories.user(Role.ADMIN)
    r = await client.get(f"/api/v1/organisations/{organisation_id}", headers=await bearer(admin))
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("path", ["/api/v1/organisations", "/api/v1/organisations/1"])
async def test_without_a_valid_token_401(client, world, path):
    for headers in ({}, {"Authorization": "Bearer coop_000000000000_" + "x" * 43}):
        r = await client.get(path, headers=headers)
        assert r.status_code == 401
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert r.headers["content-type"].startswith("application/problem+json")


async def test_a_session_cookie_is_no_credential_for_the_api(client, world):
    admin = await factories.user(Role.ADMIN)
    await factories.login(client, admin)
    assert (await client.get("/overzicht")).status_code == 200
    r = await client.get("/api/v1/organisations")
    assert r.status_code == 401
    assert "set-cookie" not in r.headers


async def test_the_endpoints_are_in_the_openapi_document(client):
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    assert "/api/v1/organisations" in paths
    assert "/api/v1/organisations/{organisation_id}" in paths
