"""Removing a member's contact, on the page and in the API: scoped (another organisation's
contact is 404), audited, and never the primary contact until another one is primary."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coop.accounts.roles import Role
from coop.audit.tables import AuditEvent
from coop.members.tables import Contact
from tests import factories
from tests.api.test_members_api import is_problem, make, token


async def contact(organisation_id: int, name: str, *, primary: bool = False) -> int:
    rows = await Contact.insert(
        Contact(
            organisation=organisation_id,
            name=name,
            email=f"{name.lower()}@example.nl",
            is_primary=primary,
            created_at=datetime.now(UTC),
        )
    )
    return rows[0]["id"]


@pytest.fixture
async def world(migrated):
    own = await make("Bakkerij De Korenaar", "10000001")
    other = await make("Aannemer Bouw", "10000002")
    return {
        "own": own,
        "other": other,
        "primary": await contact(own, "An", primary=True),
        "second": await contact(own, "Bo"),
        "foreign": await contact(other, "Cas", primary=True),
        "foreign_second": await contact(other, "Dirk"),
    }


async def names(organisation_id: int) -> set[str]:
    rows = await Contact.select(Contact.name).where(Contact.organisation == organisation_id)
    return {r["name"] for r in rows}


async def removals() -> list[dict]:
    return await AuditEvent.select().where(AuditEvent.action == "member_contact_removed")


# --- API ------------------------------------------------------------------------------


async def test_a_member_removes_its_own_contact_and_it_is_audited(client, world):
    headers = await token(Role.MEMBER, world)
    url = f"/api/v1/members/{world['own']}/contacts/{world['second']}"
    r = await client.delete(url, headers=headers)
    assert r.status_code == 204, r.text
    assert await names(world["own"]) == {"An"}
    events = await removals()
    assert len(events) == 1
    assert events[0]["object_id"] == str(world["own"])
    assert events[0]["detail"] == f"contact {world['second']}"
    # Gone: a second delete is 404, like any unknown contact.
    is_problem(await client.delete(url, headers=headers), 404)


async def test_the_primary_contact_stays_until_another_is_primary(client, world):
    headers = await token(Role.MEMBER, world)
    base = f"/api/v1/members/{world['own']}/contacts"
    body = is_problem(await client.delete(f"{base}/{world['primary']}", headers=headers), 409)
    assert body["code"] == "primary_contact"
    assert "eerste contactpersoon" in body["detail"]
    assert await names(world["own"]) == {"An", "Bo"}
    assert await removals() == []
    r = await client.patch(f"{base}/{world['second']}", json={"is_primary": True}, headers=headers)
    assert r.status_code == 200, r.text
    r = await client.delete(f"{base}/{world['primary']}", headers=headers)
    assert r.status_code == 204, r.text
    items = (await client.get(base, headers=headers)).json()["items"]
    assert [(c["name"], c["is_primary"]) for c in items] == [("Bo", True)]


@pytest.mark.parametrize(
    ("role", "target", "expected"),
    [
        # A member: its own organisation only; another's contact does not exist for it.
        (Role.MEMBER, "own", 204),
        (Role.MEMBER, "other", 404),
        (Role.WSP, "own", 404),
        (Role.COORDINATOR, "other", 204),
        (Role.ADMIN, "other", 204),
    ],
)
async def test_who_may_remove_which_contact(client, world, role, target, expected):
    headers = await token(role, world)
    contact_id = world["second"] if target == "own" else world["foreign_second"]
    r = await client.delete(
        f"/api/v1/members/{world[target]}/contacts/{contact_id}", headers=headers
    )
    assert r.status_code == expected, r.text
    remaining = await names(world[target])
    removed = "Bo" if target == "own" else "Dirk"
    assert (removed not in remaining) == (expected == 204)


async def test_a_contact_named_under_another_member_is_404(client, world):
    headers = await token(Role.MEMBER, world)
    # The member's own organisation in the path, another organisation's contact id.
    url = f"/api/v1/members/{world['own']}/contacts/{world['foreign_second']}"
    is_problem(await client.delete(url, headers=headers), 404)
    assert "Dirk" in await names(world["other"])
    for contact_id in (0, 2**31, 2**63):
        url = f"/api/v1/members/{world['own']}/contacts/{contact_id}"
        is_problem(await client.delete(url, headers=headers), 404)


async def test_removal_needs_a_write_token(client, world):
    headers = await token(Role.COORDINATOR, world, scope="read")
    url = f"/api/v1/members/{world['own']}/contacts/{world['second']}"
    is_problem(await client.delete(url, headers=headers), 403)
    assert r_unauth(await client.delete(url)) == 401
    assert await names(world["own"]) == {"An", "Bo"}


def r_unauth(r) -> int:
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.status_code


async def test_documented_in_openapi(client):
    doc = (await client.get("/schema/openapi.json")).json()
    operation = doc["paths"]["/api/v1/members/{member_id}/contacts/{contact_id}"]["delete"]
    assert operation["security"] == [{"BearerToken": []}]
    assert {"204", "404", "409"} <= set(operation["responses"])


# --- the page -------------------------------------------------------------------------


async def member_browser(client, organisation_id: int) -> str:
    user = await factories.user(Role.MEMBER, organisation_id=organisation_id)
    assert (await factories.login(client, user)).status_code == 303
    page = await client.get(f"/organisaties/{organisation_id}")
    return factories.csrf_from(page.text)


async def test_a_member_removes_a_contact_on_the_page(client, world):
    csrf = await member_browser(client, world["own"])
    form = await client.get(f"/organisaties/{world['own']}/contactpersonen/{world['second']}")
    action = f"/organisaties/{world['own']}/contactpersonen/{world['second']}/verwijderen"
    assert f'action="{action}"' in form.text
    r = await client.post(action, data={"_csrf": csrf})
    assert r.status_code == 303 and r.headers["location"] == f"/organisaties/{world['own']}"
    page = await client.get(r.headers["location"])
    assert "De contactpersoon Bo is verwijderd." in page.text
    assert await names(world["own"]) == {"An"}
    assert len(await removals()) == 1


async def test_the_page_keeps_the_primary_contact_with_a_reason(client, world):
    csrf = await member_browser(client, world["own"])
    form = await client.get(f"/organisaties/{world['own']}/contactpersonen/{world['primary']}")
    assert "/verwijderen" not in form.text  # no button for the primary contact
    r = await client.post(
        f"/organisaties/{world['own']}/contactpersonen/{world['primary']}/verwijderen",
        data={"_csrf": csrf},
    )
    assert r.status_code == 409
    assert 'role="alert"' in r.text and "Maak eerst een andere contactpersoon" in r.text
    assert await names(world["own"]) == {"An", "Bo"}


async def test_the_page_refuses_another_organisations_contact_and_a_missing_csrf(client, world):
    csrf = await member_browser(client, world["own"])
    for path in (
        f"/organisaties/{world['other']}/contactpersonen/{world['foreign_second']}/verwijderen",
        f"/organisaties/{world['own']}/contactpersonen/{world['foreign_second']}/verwijderen",
    ):
        assert (await client.post(path, data={"_csrf": csrf})).status_code == 404
    r = await client.post(
        f"/organisaties/{world['own']}/contactpersonen/{world['second']}/verwijderen", data={}
    )
    assert r.status_code == 403
    assert await names(world["other"]) == {"Cas", "Dirk"}
    assert await names(world["own"]) == {"An", "Bo"}
    assert await removals() == []
