"""The member registry's surfaces against every role, with the exact answer (reads), and
the writes a member may and may not do. Same conventions as tests/security/test_role_matrix.py:
anonymous pages 303 to /login, a role that may not use a page 403, another organisation's
record 404 (as if it did not exist), the API without a token 401."""

from __future__ import annotations

import pytest

from tests import factories
from tests.security.test_role_matrix import (
    API_OTHER,
    API_OWN,
    LOGIN,
    OK,
    OTHER_ORGANISATION,
    OWN_ORGANISATION,
    ROLES,
    STAFF_ONLY,
    UNAUTHORISED,
    actor_for,
    row,
)

API_LIST = row(UNAUTHORISED, OK, OK, OK, OK, OK)

SURFACES = {
    "/beheer/leden": STAFF_ONLY,
    "/beheer/leden/{own}": STAFF_ONLY,
    "/beheer/aanmeldingen": STAFF_ONLY,
    "/organisaties/{own}/bewerken": OWN_ORGANISATION,
    "/organisaties/{other}/bewerken": OTHER_ORGANISATION,
    "/api/v1/members": API_LIST,
    "/api/v1/members/{own}": API_OWN,
    "/api/v1/members/{other}": API_OTHER,
    "/api/v1/members/{own}/contacts": API_OWN,
    "/api/v1/members/{other}/contacts": API_OTHER,
    "/api/v1/members/{own}/history": API_OWN,
    "/api/v1/members/{other}/history": API_OTHER,
    "/api/v1/members/{own}/contributions": API_OWN,
    "/api/v1/members/{other}/contributions": API_OTHER,
    "/organisaties/{own}": OWN_ORGANISATION,
    "/organisaties/{other}": OTHER_ORGANISATION,
    "/beheer/leden/{other}": STAFF_ONLY,
    "/beheer/leden/export.csv": STAFF_ONLY,
    "/beheer/leden/import": STAFF_ONLY,
}
# Public: anyone, logged in or not.
PUBLIC = ["/aanmelden", "/aanmelden/ontvangen"]

CASES = [(path, role) for path in SURFACES for role in ROLES]


@pytest.fixture
async def world(migrated) -> dict[str, int]:
    return {
        "own": await factories.organisation("Eigen Organisatie BV"),
        "other": await factories.organisation("Andere Organisatie BV"),
    }


@pytest.mark.parametrize(("path", "role"), CASES, ids=[f"{r}:{p}" for p, r in CASES])
async def test_reads(client, world, path, role):
    actor = await actor_for(role, client, world)
    url = path.format(**world)
    api = url.startswith("/api/")
    r = await client.get(url, headers=actor.headers if api else {})
    expected = SURFACES[path][role]
    if expected == LOGIN:
        assert r.status_code == 303 and r.headers["location"].startswith("/login?volgende=")
        return
    assert r.status_code == expected, (r.status_code, r.text[:300])
    if api and expected != OK:
        assert r.headers["content-type"].startswith("application/problem+json")
    if api and path == "/api/v1/members" and expected == OK:
        visible = {m["id"] for m in r.json()["items"]}
        assert (
            visible
            == {
                "member": {world["own"]},
                "other_member": {world["other"]},
                "wsp": set(),
                "coordinator": {world["own"], world["other"]},
                "admin": {world["own"], world["other"]},
            }[role]
        )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", PUBLIC)
async def test_the_application_form_is_public(client, world, role, path):
    await actor_for(role, client, world)
    assert (await client.get(path)).status_code == 200


@pytest.mark.parametrize("role", ["member", "other_member", "wsp"])
async def test_no_status_change_outside_the_staff(client, world, role):
    await actor_for(role, client, world)
    page = await client.get("/overzicht")
    r = await client.post(
        f"/beheer/leden/{world['own']}/status",
        data={"_csrf": factories.csrf_from(page.text), "status": "beeindigd", "reason": "x"},
    )
    assert r.status_code == 403
