"""A member's history and contributions in the API: read-only, scoped like the member."""

from __future__ import annotations

from datetime import date

from coop.accounts.auth import principal_from_user
from coop.accounts.repository import user_by_id
from coop.accounts.roles import Role
from coop.members import repository
from tests import factories
from tests.api.test_members_api import is_problem, make, token


async def test_history_and_contributions_of_the_own_organisation(client, migrated):
    own = await make("Bakkerij De Korenaar", "10000001")
    other = await make("Aannemer Bouw", "10000002")
    staff = await factories.user(Role.COORDINATOR, name="Carla")
    carla = principal_from_user(await user_by_id(staff.id), via="session")
    await repository.change_status(carla, own, "geschorst", "Contributie niet betaald")
    await repository.set_contribution(
        carla, own, 2026, 125050, invoiced_on=date(2026, 1, 15), paid_on=None
    )
    await repository.set_contribution(
        carla, own, 2025, 100000, invoiced_on=date(2025, 1, 15), paid_on=date(2025, 2, 1)
    )

    headers = await token(Role.MEMBER, {"own": own, "other": other})
    history = (await client.get(f"/api/v1/members/{own}/history", headers=headers)).json()
    assert history["total"] == 2 and history["limit"] == 50 and history["offset"] == 0
    newest = history["items"][0]
    assert (newest["from_status"], newest["to_status"]) == ("actief", "geschorst")
    assert newest["actor_name"] == "Carla" and newest["reason"] == "Contributie niet betaald"
    assert newest["at"].endswith(("Z", "+00:00"))
    assert history["items"][1]["from_status"] is None

    money = (await client.get(f"/api/v1/members/{own}/contributions", headers=headers)).json()
    assert money["items"] == [
        {"year": 2026, "amount_cents": 125050, "invoiced_on": "2026-01-15", "paid_on": None},
        {
            "year": 2025,
            "amount_cents": 100000,
            "invoiced_on": "2025-01-15",
            "paid_on": "2025-02-01",
        },
    ]
    page = await client.get(
        f"/api/v1/members/{own}/contributions?limit=1&offset=1", headers=headers
    )
    assert [c["year"] for c in page.json()["items"]] == [2025] and page.json()["total"] == 2

    # Another organisation's, and a WSP user's view: as if it did not exist.
    for path in (f"/api/v1/members/{other}/history", f"/api/v1/members/{other}/contributions"):
        is_problem(await client.get(path, headers=headers), 404)
    wsp = await token(Role.WSP, {"own": own, "other": other})
    is_problem(await client.get(f"/api/v1/members/{own}/contributions", headers=wsp), 404)

    # Read-only: there is no way to write here.
    r = await client.post(f"/api/v1/members/{own}/contributions", json={}, headers=headers)
    assert r.status_code == 405


async def test_documented_in_openapi(client):
    doc = (await client.get("/schema/openapi.json")).json()
    for path in (
        "/api/v1/members/{member_id}/history",
        "/api/v1/members/{member_id}/contributions",
    ):
        operation = doc["paths"][path]["get"]
        assert operation["security"] == [{"BearerToken": []}]
        assert {"200", "401", "404"} <= set(operation["responses"])


async def test_every_members_operation_is_documented(client):
    """Each operation under /api/v1/members has a summary, the Bearer scheme and its
    problem answers; every changing one names 403 (a read token, or a role that may not)."""
    doc = (await client.get("/schema/openapi.json")).json()
    operations = [
        (path, method, operation)
        for path, item in doc["paths"].items()
        if path.startswith("/api/v1/members")
        for method, operation in item.items()
    ]
    assert len(operations) >= 11
    for path, method, operation in operations:
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        assert operation["security"] == [{"BearerToken": []}], where
        assert "401" in operation["responses"], where
        if "{member_id}" in path:
            assert "404" in operation["responses"], where
        if method in ("post", "patch", "delete"):
            assert "403" in operation["responses"], where
            assert "422" in operation["responses"] or method == "delete", where
