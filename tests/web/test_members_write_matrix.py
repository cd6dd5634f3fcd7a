"""Every change of the member registry against every role, on the pages and in the API:
the exact answer, and whether the database changed. (test_members_matrix.py does the
reads.)

"member" belongs to the organisation "own", "other_member" to "other"; staff see both, a
WSP user neither. Each action is aimed at "own". Pages: the anonymous visitor is sent to
/login, a role that may not use the page gets 403, another organisation's record 404; a
refused change writes nothing. API: no token 401, the role not allowed 403, another
organisation's record 404. Every form post carries a valid CSRF token, so what is tested
is the authorisation, not the CSRF check.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from coop.accounts import token_repository
from coop.members import applications
from coop.members.tables import Application, Contact, Contribution, Organisation
from tests import factories
from tests.api.test_members_api import make
from tests.security.test_role_matrix import ROLES, make_user

LOGIN, FORBIDDEN, NOT_FOUND, UNAUTHORISED = "login", 403, 404, 401
DONE = "done"  # the change happened (pages: 303 to the record; API: 2xx)


def row(anonymous, member, other_member, wsp, coordinator, admin):  # type: ignore[no-untyped-def]
    return dict(zip(ROLES, (anonymous, member, other_member, wsp, coordinator, admin), strict=True))


OWN_RECORD = row(LOGIN, DONE, NOT_FOUND, NOT_FOUND, DONE, DONE)
STAFF_ONLY = row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE, DONE)
API_OWN_RECORD = row(UNAUTHORISED, DONE, NOT_FOUND, NOT_FOUND, DONE, DONE)
API_STAFF_ONLY = row(UNAUTHORISED, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE, DONE)
# A member may not even see the status endpoint's record of another; the guard answers
# first for every role that is not staff.
API_STAFF_ON_OWN = API_STAFF_ONLY

CSV = (
    "naam;kvk_nummer;adres;postcode;plaats;gemeentecode;sector;medewerkers\r\n"
    "Drukkerij Matrix;40000001;Industrieweg 4;7811 AA;Emmen;GM0114;c;40\r\n"
).encode("utf-8-sig")


@dataclass
class World:
    own: int
    other: int
    primary: int
    second: int
    application: int


@dataclass
class Actor:
    client: Any
    csrf: str
    headers: dict[str, str]


@pytest.fixture
async def world(migrated) -> World:
    own = await make("Eigen Organisatie BV", "10000001")
    other = await make("Andere Organisatie BV", "10000002")
    now = datetime.now(UTC)

    async def contact(name: str, primary: bool) -> int:
        rows = await Contact.insert(
            Contact(
                organisation=own,
                name=name,
                email=f"{name.lower()}@eigen.nl",
                is_primary=primary,
                created_at=now,
            )
        )
        return rows[0]["id"]

    organisation_values, own_values, problems = applications.check(
        {
            "name": "Nieuwkomer BV",
            "kvk_number": "10000003",
            "street_address": "Markt 2",
            "postcode": "1234 AB",
            "city": "Assen",
            "municipality_code": "GM0106",
            "sector": "c",
            "employees": "5",
            "contact_name": "Nina Nieuw",
            "contact_email": "nina@nieuwkomer.nl",
            "consent": "1",
        }
    )
    assert not problems
    application = await applications.submit(organisation_values, own_values, client_ip="")
    return World(
        own=own,
        other=other,
        primary=await contact("An", True),
        second=await contact("Bo", False),
        application=application,
    )


async def actor_for(role: str, client: Any, world: World) -> Actor:
    user = await make_user(role, {"own": world.own, "other": world.other})
    headers: dict[str, str] = {}
    if user is not None:
        r = await factories.login(client, user)
        assert r.status_code == 303 and r.headers["location"] == "/overzicht", r.text
        token = await token_repository.create(user_id=user.id, name="m", scope="write", days=1)
        headers = {"Authorization": f"Bearer {token.token}"}
    # Every visitor may open the application form; it gives this browser a CSRF token.
    page = await client.get("/aanmelden")
    return Actor(client, factories.csrf_from(page.text), headers)


async def organisation(world: World) -> dict[str, Any]:
    return await Organisation.select().where(Organisation.id == world.own).first()


async def contact_names(world: World) -> set[str]:
    rows = await Contact.select(Contact.name).where(Contact.organisation == world.own)
    return {r["name"] for r in rows}


# --- the actions: each sends one change and says whether the database shows it --------

Send = Callable[[Actor, World], Awaitable[Any]]
Changed = Callable[[World], Awaitable[bool]]


def form(path: str, **fields: str) -> Send:
    async def send(actor: Actor, world: World) -> Any:
        url = path.format(
            own=world.own, primary=world.primary, second=world.second, application=world.application
        )
        return await actor.client.post(url, data={"_csrf": actor.csrf, **fields})

    return send


def api(method: str, path: str, body: dict[str, Any] | None = None) -> Send:
    async def send(actor: Actor, world: World) -> Any:
        url = path.format(own=world.own, second=world.second)
        return await actor.client.request(method, url, json=body, headers=actor.headers)

    return send


async def import_file(actor: Actor, world: World) -> Any:
    return await actor.client.post(
        "/beheer/leden/import",
        data={"_csrf": actor.csrf, "actie": "importeren"},
        files={"bestand": ("leden.csv", CSV, "text/csv")},
    )


async def city_changed(world: World) -> bool:
    return (await organisation(world))["city"] == "Veranderd"


async def employees_changed(world: World) -> bool:
    return (await organisation(world))["employees"] == 77


async def contact_added(world: World) -> bool:
    return "Cas" in await contact_names(world)


async def second_renamed(world: World) -> bool:
    return "Bo Boer" in await contact_names(world)


async def second_removed(world: World) -> bool:
    return "Bo" not in await contact_names(world)


async def status_changed(world: World) -> bool:
    return (await organisation(world))["status"] == "geschorst"


async def contribution_set(world: World) -> bool:
    return await Contribution.exists().where(Contribution.organisation == world.own)


async def end_requested(world: World) -> bool:
    return (await organisation(world))["end_requested_at"] is not None


async def application_approved(world: World) -> bool:
    row = await Application.select().where(Application.id == world.application).first()
    return row["status"] == "goedgekeurd"


async def application_refused(world: World) -> bool:
    row = await Application.select().where(Application.id == world.application).first()
    return row["status"] == "afgewezen"


async def imported(world: World) -> bool:
    return await Organisation.exists().where(Organisation.kvk_number == "40000001")


async def created(world: World) -> bool:
    return await Organisation.exists().where(Organisation.kvk_number == "55556666")


EDIT = {
    "name": "Eigen Organisatie BV",
    "kvk_number": "10000001",
    "street_address": "Markt 1",
    "postcode": "1234 AB",
    "city": "Veranderd",
    "municipality_code": "GM0106",
    "sector": "c",
    "employees": "10",
}

ACTIONS: dict[str, tuple[dict[str, Any], Send, Changed]] = {
    "page: edit the organisation": (
        OWN_RECORD,
        form("/organisaties/{own}/bewerken", **EDIT),
        city_changed,
    ),
    "page: add a contact": (
        OWN_RECORD,
        form("/organisaties/{own}/contactpersonen", name="Cas", email="cas@eigen.nl"),
        contact_added,
    ),
    "page: change a contact": (
        OWN_RECORD,
        form("/organisaties/{own}/contactpersonen/{second}", name="Bo Boer", email="bo@eigen.nl"),
        second_renamed,
    ),
    "page: remove a contact": (
        OWN_RECORD,
        form("/organisaties/{own}/contactpersonen/{second}/verwijderen"),
        second_removed,
    ),
    "page: ask to end the membership": (
        # Staff end a membership by a status change; the request is the member's own.
        row(LOGIN, DONE, NOT_FOUND, NOT_FOUND, DONE, DONE),
        form("/organisaties/{own}/opzeggen", confirm_end="1"),
        end_requested,
    ),
    "page: change the status": (
        STAFF_ONLY,
        form("/beheer/leden/{own}/status", status="geschorst", reason="Contributie"),
        status_changed,
    ),
    "page: record a contribution": (
        STAFF_ONLY,
        form("/beheer/leden/{own}/contributie", year="2026", amount="1250"),
        contribution_set,
    ),
    "page: approve an application": (
        STAFF_ONLY,
        form("/beheer/aanmeldingen/{application}/goedkeuren"),
        application_approved,
    ),
    "page: refuse an application": (
        STAFF_ONLY,
        form("/beheer/aanmeldingen/{application}/afwijzen", reason="Geen werkgever"),
        application_refused,
    ),
    "page: import members": (STAFF_ONLY, import_file, imported),
    "api: change the organisation": (
        API_OWN_RECORD,
        api("PATCH", "/api/v1/members/{own}", {"employees": 77}),
        employees_changed,
    ),
    "api: add a member": (
        API_STAFF_ONLY,
        api(
            "POST",
            "/api/v1/members",
            {
                "name": "Drukkerij Het Blad",
                "kvk_number": "55556666",
                "street_address": "Industrieweg 4",
                "postcode": "7811 AA",
                "city": "Emmen",
                "municipality_code": "GM0114",
                "sector": "c",
                "employees": 40,
            },
        ),
        created,
    ),
    "api: change the status": (
        API_STAFF_ON_OWN,
        api("POST", "/api/v1/members/{own}/status", {"status": "geschorst", "reason": "x"}),
        status_changed,
    ),
    "api: add a contact": (
        API_OWN_RECORD,
        api("POST", "/api/v1/members/{own}/contacts", {"name": "Cas", "email": "cas@eigen.nl"}),
        contact_added,
    ),
    "api: change a contact": (
        API_OWN_RECORD,
        api("PATCH", "/api/v1/members/{own}/contacts/{second}", {"name": "Bo Boer"}),
        second_renamed,
    ),
    "api: remove a contact": (
        API_OWN_RECORD,
        api("DELETE", "/api/v1/members/{own}/contacts/{second}"),
        second_removed,
    ),
}

CASES = [(action, role) for action in ACTIONS for role in ROLES]


@pytest.mark.parametrize(("action", "role"), CASES, ids=[f"{r}:{a}" for a, r in CASES])
async def test_writes(client, world, action, role):
    expected_by_role, send, changed = ACTIONS[action]
    expected = expected_by_role[role]
    actor = await actor_for(role, client, world)
    r = await send(actor, world)
    is_api = action.startswith("api:")
    if expected == LOGIN:
        assert r.status_code == 303 and r.headers["location"].startswith("/login?volgende=")
    elif expected == DONE:
        if is_api:
            assert r.status_code in (200, 201, 204), (r.status_code, r.text[:300])
        else:
            assert r.status_code == 303, (r.status_code, r.text[:300])
            assert not r.headers["location"].startswith("/login")
    else:
        assert r.status_code == expected, (r.status_code, r.text[:300])
        kind = "application/problem+json" if is_api else "text/html"
        assert r.headers["content-type"].startswith(kind)
    assert await changed(world) == (expected == DONE), "the database does not match the answer"


@pytest.mark.parametrize("role", ["member", "other_member", "wsp"])
async def test_export_and_import_pages_are_staff_only(client, world, role):
    await actor_for(role, client, world)
    for path in ("/beheer/leden/export.csv", "/beheer/leden/import", "/beheer/aanmeldingen"):
        assert (await client.get(path)).status_code == 403, path
    assert (await client.get(f"/beheer/aanmeldingen/{world.application}")).status_code == 403


@pytest.mark.parametrize("role", ROLES)
async def test_a_contacts_page_follows_its_organisation(client, world, role):
    await actor_for(role, client, world)
    r = await client.get(f"/organisaties/{world.own}/contactpersonen/{world.second}")
    expected = OWN_RECORD[role]
    if expected == LOGIN:
        assert r.status_code == 303 and r.headers["location"].startswith("/login?volgende=")
    else:
        assert r.status_code == (200 if expected == DONE else expected)
