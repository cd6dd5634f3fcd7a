"""/api/v1/members and /api/v1/members/{id}/contacts: scoped by role, problem details for
every error, and a member never sets its own status, notice period or recognition."""

from __future__ import annotations

import pytest

from coop import db
from coop.accounts.roles import Role
from coop.audit.tables import AuditEvent
from coop.members import repository
from coop.members.rules import Status
from coop.members.tables import Organisation
from tests import factories
from tests.api.test_organisations import bearer

NEW = {
    "name": "Drukkerij Het Blad",
    "kvk_number": "5555 6666",
    "street_address": "Industrieweg 4",
    "postcode": "7811aa",
    "city": "Emmen",
    "municipality_code": "GM0114",
    "sector": "c",
    "employees": 40,
}


async def make(name: str, kvk: str, **extra) -> int:
    async with db.write_transaction():
        return await repository.insert_member(
            {
                "name": name,
                "kvk_number": kvk,
                "street_address": "Markt 1",
                "postcode": "1234 AB",
                "city": "Assen",
                "municipality_code": "GM0106",
                "sector": "c",
                "employees": 10,
                **extra,
            },
            status=Status.ACTIEF,
            actor=None,
        )


@pytest.fixture
async def world(migrated):
    return {
        "own": await make("Bakkerij De Korenaar", "10000001"),
        "other": await make("Aannemer Bouw", "10000002", sector="f", employees=200),
    }


async def token(role: Role, world, scope: str = "write") -> dict[str, str]:
    user = await factories.user(role, organisation_id=world["own"] if role == Role.MEMBER else None)
    return await bearer(user, scope)


def is_problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


async def test_staff_list_filter_and_sort(client, world):
    headers = await token(Role.COORDINATOR, world)
    r = await client.get("/api/v1/members?limit=50", headers=headers)
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 2 and body["limit"] == 50 and body["offset"] == 0
    first = body["items"][0]
    assert first["name"] == "Aannemer Bouw"
    assert first["region_code"] == "AM01" and first["municipality_name"] == "Assen"
    assert first["status"] == "actief"
    r = await client.get("/api/v1/members?sector=f", headers=headers)
    assert [m["name"] for m in r.json()["items"]] == ["Aannemer Bouw"]
    r = await client.get("/api/v1/members?q=korenaar&size=klein&public=false", headers=headers)
    assert [m["name"] for m in r.json()["items"]] == ["Bakkerij De Korenaar"]
    r = await client.get("/api/v1/members?sort=-medewerkers", headers=headers)
    assert r.json()["items"][0]["name"] == "Aannemer Bouw"
    for bad in ("status=weg", "sector=zz", "region=X", "size=reus", "sort=kvk", "limit=0"):
        body = is_problem(await client.get(f"/api/v1/members?{bad}", headers=headers), 422)
        assert bad.split("=")[0] in {e["field"] for e in body.get("errors", [])}


async def test_a_member_sees_only_its_own(client, world):
    headers = await token(Role.MEMBER, world)
    r = await client.get("/api/v1/members", headers=headers)
    assert [m["id"] for m in r.json()["items"]] == [world["own"]]
    assert (await client.get(f"/api/v1/members/{world['own']}", headers=headers)).status_code == 200
    other = await client.get(f"/api/v1/members/{world['other']}", headers=headers)
    unknown = await client.get("/api/v1/members/99999", headers=headers)
    assert is_problem(other, 404) | {"instance": ""} == is_problem(unknown, 404) | {"instance": ""}
    contacts = await client.get(f"/api/v1/members/{world['other']}/contacts", headers=headers)
    is_problem(contacts, 404)
    patch = await client.patch(
        f"/api/v1/members/{world['other']}", json={"city": "X"}, headers=headers
    )
    is_problem(patch, 404)


async def test_a_wsp_user_sees_no_member(client, world):
    headers = await token(Role.WSP, world)
    assert (await client.get("/api/v1/members", headers=headers)).json()["total"] == 0
    is_problem(await client.get(f"/api/v1/members/{world['own']}", headers=headers), 404)
    is_problem(await client.get(f"/api/v1/members/{world['own']}/contacts", headers=headers), 404)


async def test_staff_create_with_checks_and_duplicate_kvk(client, world):
    headers = await token(Role.ADMIN, world)
    r = await client.post("/api/v1/members", json=NEW, headers=headers)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["kvk_number"] == "55556666" and body["postcode"] == "7811 AA"
    assert body["status"] == "actief" and body["notice_months"] == 3
    assert body["region_name"]
    again = is_problem(await client.post("/api/v1/members", json=NEW, headers=headers), 422)
    assert [e["field"] for e in again["errors"]] == ["kvk_number"]
    bad = {
        **NEW,
        "kvk_number": "1",
        "postcode": "1234 SS",
        "municipality_code": "GM9999",
        "sector": "x",
        "website": "ftp://x.nl",
    }
    body = is_problem(await client.post("/api/v1/members", json=bad, headers=headers), 422)
    assert {e["field"] for e in body["errors"]} == {
        "kvk_number",
        "postcode",
        "municipality_code",
        "sector",
        "website",
    }
    body = is_problem(
        await client.post("/api/v1/members", json={**NEW, "status": "actief"}, headers=headers),
        422,
    )
    assert "status" in str(body["errors"])
    is_problem(await client.post("/api/v1/members", content=b"{", headers=headers), 400)


async def test_members_cannot_create(client, world):
    headers = await token(Role.MEMBER, world)
    is_problem(await client.post("/api/v1/members", json=NEW, headers=headers), 403)


async def test_patch_changes_only_what_is_sent(client, world):
    headers = await token(Role.MEMBER, world)
    r = await client.patch(
        f"/api/v1/members/{world['own']}", json={"employees": 13, "website": None}, headers=headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["employees"] == 13 and r.json()["name"] == "Bakkerij De Korenaar"
    [audit] = await AuditEvent.select().where(AuditEvent.action == "member_updated")
    assert audit["detail"] == "changed: employees"
    body = is_problem(
        await client.patch(
            f"/api/v1/members/{world['own']}", json={"postcode": "0000"}, headers=headers
        ),
        422,
    )
    assert body["errors"][0]["field"] == "postcode"


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "actief"},
        {"ambassador": True},
        {"award": "Prijs"},
        {"notice_months": 0},
        {"contribution": 0},
        {"status": "beeindigd", "name": "X"},
    ],
)
async def test_a_member_cannot_set_its_own_status_or_recognition(client, world, fields):
    headers = await token(Role.MEMBER, world)
    r = await client.patch(f"/api/v1/members/{world['own']}", json=fields, headers=headers)
    body = is_problem(r, 422)
    assert body["errors"]
    row = await Organisation.select().where(Organisation.id == world["own"]).first()
    assert row["status"] == "actief" and row["ambassador"] is False and row["award"] == ""
    assert row["notice_months"] == 3 and row["name"] == "Bakkerij De Korenaar"
    r = await client.post(
        f"/api/v1/members/{world['own']}/status",
        json={"status": "beeindigd", "reason": "weg"},
        headers=headers,
    )
    is_problem(r, 403)


async def test_staff_set_recognition_and_status(client, world):
    headers = await token(Role.COORDINATOR, world)
    r = await client.patch(
        f"/api/v1/members/{world['own']}",
        json={"ambassador": True, "award": "Inclusieve werkgever 2026", "notice_months": 6},
        headers=headers,
    )
    assert r.status_code == 200 and r.json()["ambassador"] is True
    r = await client.post(
        f"/api/v1/members/{world['own']}/status",
        json={"status": "geschorst", "reason": "Contributie niet betaald"},
        headers=headers,
    )
    assert r.status_code == 200 and r.json()["status"] == "geschorst"
    r = await client.post(
        f"/api/v1/members/{world['own']}/status",
        json={"status": "afgewezen", "reason": "x"},
        headers=headers,
    )
    assert is_problem(r, 409)["code"] == "transition_not_allowed"


async def test_read_tokens_cannot_write(client, world):
    headers = await token(Role.COORDINATOR, world, scope="read")
    is_problem(
        await client.patch(f"/api/v1/members/{world['own']}", json={"city": "X"}, headers=headers),
        403,
    )


async def test_contacts(client, world):
    headers = await token(Role.MEMBER, world)
    url = f"/api/v1/members/{world['own']}/contacts"
    r = await client.post(url, json={"name": "An", "email": "AN@korenaar.nl"}, headers=headers)
    assert r.status_code == 201, r.text
    assert r.json()["is_primary"] is True and r.json()["email"] == "an@korenaar.nl"
    r = await client.post(
        url, json={"name": "Bo", "email": "bo@korenaar.nl", "is_primary": True}, headers=headers
    )
    assert r.json()["is_primary"] is True
    listing = (await client.get(url, headers=headers)).json()
    assert listing["total"] == 2
    assert [c["name"] for c in listing["items"] if c["is_primary"]] == ["Bo"]
    body = is_problem(
        await client.post(url, json={"name": "", "email": "x", "phone": "1"}, headers=headers), 422
    )
    assert {e["field"] for e in body["errors"]} == {"name", "email", "phone"}


async def test_documented_in_openapi_with_bearer(client):
    doc = (await client.get("/schema/openapi.json")).json()
    for path in (
        "/api/v1/members",
        "/api/v1/members/{member_id}",
        "/api/v1/members/{member_id}/contacts",
    ):
        assert path in doc["paths"]
    operation = doc["paths"]["/api/v1/members/{member_id}"]["patch"]
    assert operation["security"] == [{"BearerToken": []}]
    assert "422" in operation["responses"]


async def test_a_contact_changes_and_the_primary_moves(client, world):
    headers = await token(Role.MEMBER, world)
    url = f"/api/v1/members/{world['own']}/contacts"
    first = (
        await client.post(url, json={"name": "An", "email": "an@k.nl"}, headers=headers)
    ).json()
    second = (
        await client.post(url, json={"name": "Bo", "email": "bo@k.nl"}, headers=headers)
    ).json()
    assert first["is_primary"] and not second["is_primary"]
    r = await client.patch(
        f"{url}/{second['id']}", json={"is_primary": True, "phone": "06 12345678"}, headers=headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["is_primary"] and r.json()["phone"] == "06 12345678"
    items = (await client.get(url, headers=headers)).json()["items"]
    assert [c["name"] for c in items if c["is_primary"]] == ["Bo"]
    body = is_problem(
        await client.patch(f"{url}/{second['id']}", json={"email": "x"}, headers=headers), 422
    )
    assert body["errors"][0]["field"] == "email"
    is_problem(await client.patch(f"{url}/999999", json={"name": "X"}, headers=headers), 404)
    other = f"/api/v1/members/{world['other']}/contacts/{second['id']}"
    is_problem(await client.patch(other, json={"name": "X"}, headers=headers), 404)
