"""Who may reach what: every role against every surface, with the exact answer.

Pages answer an anonymous visitor with 303 to /login, a role that may not use them with
403, and a record outside the principal's organisation with 404 (as if it did not
exist). The API uses Bearer tokens only: no token is 401.

"member" belongs to the organisation "own", "other_member" to "other"; staff see both,
a WSP user neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx
import pytest

from coop.accounts import token_repository
from coop.accounts.roles import Role
from tests import factories

ROLES = ["anonymous", "member", "other_member", "wsp", "coordinator", "admin"]

LOGIN = "login"  # 303 to /login (pages) for the anonymous visitor

OK, FORBIDDEN, NOT_FOUND, UNAUTHORISED = 200, 403, 404, 401


def row(anonymous, member, other_member, wsp, coordinator, admin):  # type: ignore[no-untyped-def]
    return dict(zip(ROLES, (anonymous, member, other_member, wsp, coordinator, admin), strict=True))


EVERYONE = row(LOGIN, OK, OK, OK, OK, OK)
ADMIN_ONLY = row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
STAFF_ONLY = row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)
OWN_ORGANISATION = row(LOGIN, OK, NOT_FOUND, NOT_FOUND, OK, OK)
OTHER_ORGANISATION = row(LOGIN, NOT_FOUND, OK, NOT_FOUND, OK, OK)
API_EVERYONE = row(UNAUTHORISED, OK, OK, OK, OK, OK)
API_OWN = row(UNAUTHORISED, OK, NOT_FOUND, NOT_FOUND, OK, OK)
API_OTHER = row(UNAUTHORISED, NOT_FOUND, OK, NOT_FOUND, OK, OK)
MEMBERS_ONLY = row(LOGIN, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)
COORDINATOR_ONLY = row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN)
API_STAFF_ONLY = row(UNAUTHORISED, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)

# path ({own} and {other} are organisation ids) -> the expected answer per role
SURFACES = {
    "/overzicht": EVERYONE,
    "/account": EVERYONE,
    # Admin only (coop/accounts/admin.py, built in parallel by another engineer).
    "/beheer/gebruikers": ADMIN_ONLY,
    "/beheer/audit": STAFF_ONLY,
    "/beheer/audit.csv": STAFF_ONLY,
    "/organisaties/{own}": OWN_ORGANISATION,
    "/organisaties/{other}": OTHER_ORGANISATION,
    "/api/v1/me": API_EVERYONE,
    "/api/v1/organisations": API_EVERYONE,
    "/api/v1/organisations/{own}": API_OWN,
    "/api/v1/organisations/{other}": API_OTHER,
    # The banenafspraak: a member's own contribution, the monitor for the cooperative's staff.
    "/bijdrage": MEMBERS_ONLY,
    "/beheer/leden/{other}/bijdrage": row(LOGIN, NOT_FOUND, 303, FORBIDDEN, OK, OK),
    "/api/v1/members/{own}/banenafspraak": API_OWN,
    "/api/v1/members/{other}/banenafspraak": API_OTHER,
    "/api/v1/banenafspraak": API_STAFF_ONLY,
    "/monitor": STAFF_ONLY,
    "/monitor/export/banen.csv": STAFF_ONLY,
    "/plaatsingen/nieuw": COORDINATOR_ONLY,
}


@dataclass
class Actor:
    client: httpx.AsyncClient
    headers: dict[str, str]
    ids: dict[str, int]


@pytest.fixture
async def world(migrated) -> dict[str, int]:
    return {
        "own": await factories.organisation("Eigen Organisatie BV"),
        "other": await factories.organisation("Andere Organisatie BV"),
    }


async def make_user(role: str, world: dict[str, int]) -> factories.TestUser | None:
    if role == "anonymous":
        return None
    if role == "member":
        return await factories.user(Role.MEMBER, organisation_id=world["own"])
    if role == "other_member":
        return await factories.user(Role.MEMBER, organisation_id=world["other"])
    return await factories.user(Role(role))


async def actor_for(role: str, client: httpx.AsyncClient, world: dict[str, int]) -> Actor:
    """A browser session (pages) and an API token (API) for the role; nothing for anonymous."""
    user = await make_user(role, world)
    headers: dict[str, str] = {}
    if user is not None:
        r = await factories.login(client, user)
        assert r.status_code == 303 and r.headers["location"] == "/overzicht", r.text
        token = await token_repository.create(user_id=user.id, name="matrix", scope="read", days=1)
        headers = {"Authorization": f"Bearer {token.token}"}
    return Actor(client, headers, world)


CASES = [(path, role) for path in SURFACES for role in ROLES]


@pytest.mark.parametrize(("path", "role"), CASES, ids=[f"{r}:{p}" for p, r in CASES])
async def test_matrix(client, world, path, role):
    actor = await actor_for(role, client, world)
    url = path.format(**world)
    api = url.startswith("/api/")
    r = await client.get(url, headers=actor.headers if api else {})
    expected = SURFACES[path][role]
    if expected == LOGIN:
        assert r.status_code == 303, (r.status_code, r.text[:300])
        assert r.headers["location"].startswith("/login?volgende=")
        return
    assert r.status_code == expected, (r.status_code, r.text[:300])
    kind = "application/problem+json" if api and expected != OK else None
    if kind:
        assert r.headers["content-type"].startswith(kind)
    if not api and expected != OK:
        assert r.headers["content-type"].startswith("text/html")


# --- navigation -------------------------------------------------------------------


def nav_links(html: str) -> set[str]:
    """Every internal link in the page's menus and on the overview cards."""
    return {href.split("?")[0] for href in re.findall(r'href="(/[^"]*)"', html)}


@pytest.mark.parametrize("role", ROLES)
async def test_navigation_shows_only_what_the_role_may_use(client, world, role):
    await actor_for(role, client, world)
    page = await client.get("/overzicht" if role != "anonymous" else "/")
    assert page.status_code == 200
    links = nav_links(page.text)
    own, other = f"/organisaties/{world['own']}", f"/organisaties/{world['other']}"
    shown = {
        "anonymous": {"/login"},
        "member": {"/overzicht", "/account", own},
        "other_member": {"/overzicht", "/account", other},
        "wsp": {"/overzicht", "/account"},
        "coordinator": {"/overzicht", "/account", "/beheer/audit"},
        "admin": {"/overzicht", "/account", "/beheer/audit", "/beheer/gebruikers"},
    }[role]
    assert shown <= links, shown - links
    hidden = {
        "/login" if role != "anonymous" else "/overzicht",
        "/beheer/gebruikers" if role != "admin" else None,
        "/beheer/audit" if role not in ("coordinator", "admin") else None,
        own if role != "member" else None,
        other if role != "other_member" else None,
    } - {None}
    assert not hidden & links, hidden & links
    if role in ("member", "other_member", "wsp"):
        assert not any(link.startswith("/beheer") for link in links)
    # Every link of the signed-in part the role is shown works for it (the public pages
    # are other issues' business).
    for link in sorted(links):
        if not link.startswith(("/login", "/overzicht", "/account", "/beheer", "/organisaties")):
            continue
        r = await client.get(link)
        assert r.status_code == 200, (link, r.status_code)
