"""The supply side against every role: role × record × action, with the exact answer.

Same conventions as tests/security/test_role_matrix.py: anonymous pages 303 to /login, a
role that may not use a surface 403, another organisation's record 404 (as if it did not
exist), the API without a token 401. A WSP user has no business with work or places (403).
Pooled jobs are the cooperative's: members 403.
"""

from __future__ import annotations

from datetime import date

import pytest

from coop.accounts import token_repository
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.work import repository, validation
from tests import factories
from tests.security.test_role_matrix import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    ROLES,
    STAFF_ONLY,
    UNAUTHORISED,
    actor_for,
    make_user,
    row,
)

WORK = row(LOGIN, OK, OK, FORBIDDEN, OK, OK)
OWN = row(LOGIN, OK, NOT_FOUND, FORBIDDEN, OK, OK)
OTHER = row(LOGIN, NOT_FOUND, OK, FORBIDDEN, OK, OK)
COOPERATIVE = row(LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, OK)
API_WORK = row(UNAUTHORISED, OK, OK, FORBIDDEN, OK, OK)
API_OWN = row(UNAUTHORISED, OK, NOT_FOUND, FORBIDDEN, OK, OK)
API_OTHER = row(UNAUTHORISED, NOT_FOUND, OK, FORBIDDEN, OK, OK)
API_COOPERATIVE = row(UNAUTHORISED, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, OK)
API_STAFF = row(UNAUTHORISED, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)

SURFACES = {
    "/werk/pakketten": WORK,
    "/werk/pakketten/nieuw": WORK,
    "/werk/pakketten/{own_package}": OWN,
    "/werk/pakketten/{own_package}/bewerken": OWN,
    "/werk/pakketten/{other_package}": OTHER,
    "/werk/plaatsen": WORK,
    "/werk/plaatsen/nieuw": WORK,
    "/werk/plaatsen/{own_place}": OWN,
    "/werk/plaatsen/{other_place}/bewerken": OTHER,
    "/werk/plaatsen/{job_place}": COOPERATIVE,
    "/beheer/banen": STAFF_ONLY,
    "/beheer/banen/nieuw": STAFF_ONLY,
    "/beheer/banen/{job}": STAFF_ONLY,
    "/api/v1/work-packages": API_WORK,
    "/api/v1/work-packages/{own_package}": API_OWN,
    "/api/v1/work-packages/{other_package}": API_OTHER,
    "/api/v1/places": API_WORK,
    "/api/v1/places/totals": API_WORK,
    "/api/v1/places/{own_place}": API_OWN,
    "/api/v1/places/{other_place}": API_OTHER,
    "/api/v1/places/{job_place}": API_COOPERATIVE,
    "/api/v1/pooled-jobs": API_STAFF,
    "/api/v1/pooled-jobs/{job}": API_STAFF,
    "/api/v1/pooled-jobs/suggestions?package_id={own_package}": API_STAFF,
}
CASES = [(path, role) for path in SURFACES for role in ROLES]

STAFF = Principal(user_id=0, email="staff@coop.test", name="Staf", role=Role.COORDINATOR)
SLOTS = {"own": [("ma", "09:00", "15:00")], "other": [("di", "09:00", "15:00")]}


async def _package(organisation_id: int, slots) -> int:
    clean, errors = validation.check_package(
        {
            "title": "Werk",
            "tasks": "Taken",
            "hours_per_week": "6",
            "municipality_code": "GM0106",
            "start_date": "2026-02-01",
        },
        slots,
    )
    assert not errors
    return await repository.create_package(STAFF, organisation_id, clean, offer=True)


async def _place(organisation_id: int) -> int:
    clean, errors = validation.check_place(
        {
            "place_type": "proefplaatsing",
            "title": "Proef",
            "tasks": "Taken",
            "capacity": "1",
            "hours_per_week": "20",
            "municipality_code": "GM0106",
            "start_date": "2026-03-01",
        }
    )
    assert not errors
    return await repository.create_place(STAFF, organisation_id, clean)


@pytest.fixture
async def world(migrated) -> dict[str, int]:
    own = await factories.organisation("Eigen Organisatie BV")
    other = await factories.organisation("Andere Organisatie BV")
    ids = {
        "own": own,
        "other": other,
        "own_package": await _package(own, SLOTS["own"]),
        "other_package": await _package(other, SLOTS["other"]),
        "own_place": await _place(own),
        "other_place": await _place(other),
    }
    a = await _package(own, [("wo", "09:00", "15:00")])
    b = await _package(other, [("do", "09:00", "15:00")])
    ids["job"] = await repository.create_pooled_job(
        STAFF, title="Baan", description="", package_ids=[a, b], accept_region=False
    )
    ids["job_place"] = (await repository.pooled_job(STAFF, ids["job"]))["place"]["id"]
    return ids


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
    if expected == OK and url == "/api/v1/work-packages":
        visible = {p["id"] for p in r.json()["items"]}
        own = {world["own_package"]}
        other = {world["other_package"]}
        if role == "member":
            assert own <= visible and not other & visible
        elif role == "other_member":
            assert other <= visible and not own & visible
        else:
            assert own | other <= visible
    if expected == OK and url == "/api/v1/places":
        visible = {p["id"] for p in r.json()["items"]}
        assert (
            visible
            == {
                "member": {world["own_place"]},
                "other_member": {world["other_place"]},
                "coordinator": {world["own_place"], world["other_place"], world["job_place"]},
                "admin": {world["own_place"], world["other_place"], world["job_place"]},
            }[role]
        )


# (method, path, body) -> expected per role, with a write token
ACTIONS = {
    ("PATCH", "/api/v1/work-packages/{own_package}", (("title", "Nieuw"),)): row(
        UNAUTHORISED, OK, NOT_FOUND, FORBIDDEN, OK, OK
    ),
    ("POST", "/api/v1/work-packages/{other_package}/status", (("status", "ingetrokken"),)): row(
        UNAUTHORISED, NOT_FOUND, OK, FORBIDDEN, OK, OK
    ),
    ("PATCH", "/api/v1/places/{other_place}", (("capacity", 3),)): row(
        UNAUTHORISED, NOT_FOUND, OK, FORBIDDEN, OK, OK
    ),
    # The place of a pooled job follows its job: staff change the job, not the place.
    ("PATCH", "/api/v1/places/{job_place}", (("capacity", 3),)): row(
        UNAUTHORISED, NOT_FOUND, NOT_FOUND, FORBIDDEN, 409, 409
    ),
    ("POST", "/api/v1/pooled-jobs/{job}/status", (("status", "vervuld"),)): row(
        UNAUTHORISED, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK
    ),
    ("POST", "/api/v1/pooled-jobs/{job}/packages/{own_package}/remove", ()): row(
        UNAUTHORISED, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND
    ),
}
WRITES = [(action, role) for action in ACTIONS for role in ROLES]


@pytest.mark.parametrize(("action", "role"), WRITES, ids=[f"{r}:{a[0]} {a[1]}" for a, r in WRITES])
async def test_writes(client, world, action, role):
    method, path, body = action
    user = await make_user(role, world)
    headers = {}
    if user is not None:
        token = await token_repository.create(user_id=user.id, name="w", scope="write", days=1)
        headers = {"Authorization": f"Bearer {token.token}"}
    r = await client.request(method, path.format(**world), json=dict(body), headers=headers)
    assert r.status_code == ACTIONS[action][role], (r.status_code, r.text[:300])


@pytest.mark.parametrize("role", ["member", "other_member", "wsp"])
async def test_no_pooled_job_change_through_the_pages_outside_the_staff(client, world, role):
    await actor_for(role, client, world)
    page = await client.get("/overzicht")
    r = await client.post(
        f"/beheer/banen/{world['job']}/status",
        data={"_csrf": factories.csrf_from(page.text), "status": "opgeheven"},
    )
    assert r.status_code == 403
    job = await repository.pooled_job(STAFF, world["job"])
    assert job["status"] == "open"


async def test_a_member_edits_only_its_own_package_through_the_pages(client, world):
    await actor_for("other_member", client, world)
    page = await client.get("/overzicht")
    r = await client.post(
        f"/werk/pakketten/{world['own_package']}/bewerken",
        data={"_csrf": factories.csrf_from(page.text), "title": "Gekaapt"},
    )
    assert r.status_code == 404
    row_ = await repository.package(STAFF, world["own_package"])
    assert row_["title"] == "Werk" and row_["start_date"] == date(2026, 2, 1)
