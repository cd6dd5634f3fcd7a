"""/api/v1/work-packages, /api/v1/pooled-jobs and /api/v1/places: the supply side through
the API, with the issue's "done when" story, every bad input as problem details with
nothing saved, and a leaving member flagging its pooled jobs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coop import db
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.members import repository as members
from coop.members.rules import Status
from coop.members.tables import Organisation
from coop.work.tables import Place, PooledJob, PooledJobEvent, PooledJobPackage, WorkPackage
from tests import factories
from tests.api.test_organisations import bearer


async def make_member(name: str, kvk: str, municipality: str = "GM0106", **extra) -> int:
    async with db.write_transaction():
        return await members.insert_member(
            {
                "name": name,
                "kvk_number": kvk,
                "street_address": "Markt 1",
                "postcode": "9401 AB",
                "city": "Assen",
                "municipality_code": municipality,
                "sector": "c",
                "employees": 10,
                "notice_months": 3,
                **extra,
            },
            status=Status.ACTIEF,
            actor=None,
        )


@pytest.fixture
async def world(migrated):
    bakery = await make_member("Bakkerij De Korenaar", "20000001")
    garage = await make_member("Garage Assen", "20000002")
    florist = await make_member("Bloemist Tynaarlo", "20000003", municipality="GM1730")
    emmen = await make_member("Kunststoffen Emmen", "20000004", municipality="GM0114")
    users = {
        "bakery": await factories.user(Role.MEMBER, organisation_id=bakery),
        "garage": await factories.user(Role.MEMBER, organisation_id=garage),
        "florist": await factories.user(Role.MEMBER, organisation_id=florist),
        "coordinator": await factories.user(Role.COORDINATOR),
        "admin": await factories.user(Role.ADMIN),
        "wsp": await factories.user(Role.WSP),
    }
    headers = {k: await bearer(u, "write") for k, u in users.items()}
    return {
        "ids": {"bakery": bakery, "garage": garage, "florist": florist, "emmen": emmen},
        "h": headers,
        "users": users,
    }


def package(title: str, slots: list[tuple[str, str, str]], hours: float, **extra) -> dict:
    return {
        "title": title,
        "tasks": "Helpen in de winkel",
        "hours_per_week": hours,
        "schedule": [{"day": d, "start": s, "end": e} for d, s, e in slots],
        "municipality_code": "GM0106",
        "start_date": "2026-02-01",
        "offer": True,
        **extra,
    }


def problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


def fields(body: dict) -> set[str]:
    return {e["field"] for e in body.get("errors", [])}


async def count(table) -> int:
    return await table.count()


async def test_done_when_two_packages_and_a_third_members_make_a_job_and_the_pool_shows_it(
    client, world
):
    h = world["h"]
    # A member offers two small packages.
    r1 = await client.post(
        "/api/v1/work-packages",
        json=package("Brood bezorgen", [("ma", "06:00", "10:00")], 4),
        headers=h["bakery"],
    )
    r2 = await client.post(
        "/api/v1/work-packages",
        json=package("Vloer vegen", [("di", "13:00", "16:00")], 3),
        headers=h["bakery"],
    )
    assert r1.status_code == 201 and r2.status_code == 201, (r1.text, r2.text)
    first = r1.json()
    assert first["status"] == "aangeboden" and first["hours_per_week"] == 4
    assert first["organisation_id"] == world["ids"]["bakery"] and first["region_code"] == "AM01"
    assert first["schedule"] == [{"day": "ma", "start": "06:00", "end": "10:00"}]
    # A third member's package.
    r3 = await client.post(
        "/api/v1/work-packages",
        json=package("Auto's wassen", [("wo", "09:00", "14:00"), ("do", "09:00", "13:30")], 9.5),
        headers=h["garage"],
    )
    assert r3.status_code == 201, r3.text
    ids = [r1.json()["id"], r2.json()["id"], r3.json()["id"]]

    # The coordinator asks which packages fit beside the first one.
    r = await client.get(
        f"/api/v1/pooled-jobs/suggestions?package_id={ids[0]}", headers=h["coordinator"]
    )
    assert r.status_code == 200, r.text
    assert [s["id"] for s in r.json()["items"]] == [ids[2]]  # the bakery's own is not offered

    r = await client.post(
        "/api/v1/pooled-jobs",
        json={"title": "Allround medewerker Assen", "package_ids": ids},
        headers=h["coordinator"],
    )
    assert r.status_code == 201, r.text
    job = r.json()
    assert job["hours_per_week"] == 16.5 and job["status"] == "open"
    assert [(e["day"], e["start"], e["end"], e["package_id"]) for e in job["schedule"]] == [
        ("ma", "06:00", "10:00", ids[0]),
        ("di", "13:00", "16:00", ids[1]),
        ("wo", "09:00", "14:00", ids[2]),
        ("do", "09:00", "13:30", ids[2]),
    ]
    # 9.5 of 16.5 hours at the garage, 7 at the bakery.
    assert [(s["organisation_id"], s["hours_per_week"], s["share"]) for s in job["shares"]] == [
        (world["ids"]["garage"], 9.5, 0.5758),
        (world["ids"]["bakery"], 7.0, 0.4242),
    ]
    assert job["flags"] == [] and job["needs_repooling"] is False
    # The packages are now in the pool; the job is a place of capacity 1 of its own kind.
    r = await client.get(f"/api/v1/work-packages/{ids[0]}", headers=h["bakery"])
    assert r.json()["status"] == "in_pool" and r.json()["pooled_job_id"] == job["id"]
    r = await client.get(f"/api/v1/places/{job['place_id']}", headers=h["coordinator"])
    place = r.json()
    assert (place["source"], place["capacity"], place["place_type"], place["employment_model"]) == (
        "gepoolde_baan",
        1,
        "betaalde_baan",
        "c",
    )
    assert place["organisation_id"] is None and place["hours_per_week"] == 16.5
    assert place["counts_as_paid_work"] is True and place["start_date"] == "2026-02-01"

    # A member offers a trial place.
    r = await client.post(
        "/api/v1/places",
        json={
            "place_type": "proefplaatsing",
            "title": "Proefplaats bakkerij",
            "tasks": "Deeg kneden, broodjes vullen",
            "capacity": 2,
            "hours_per_week": 20,
            "municipality_code": "GM0106",
            "start_date": "2026-03-01",
            "guidance": "intensief",
            "job_coach": True,
        },
        headers=h["bakery"],
    )
    assert r.status_code == 201, r.text
    trial = r.json()
    assert trial["employment_model"] == "d" and trial["counts_as_paid_work"] is False
    assert (trial["max_months"], trial["max_months_extended"]) == (2, 6)

    # The pool overview shows them: the member its own place and the anonymous totals.
    r = await client.get("/api/v1/places", headers=h["bakery"])
    assert [p["id"] for p in r.json()["items"]] == [trial["id"]]
    r = await client.get("/api/v1/places", headers=h["coordinator"])
    assert {p["id"] for p in r.json()["items"]} == {trial["id"], job["place_id"]}
    r = await client.get("/api/v1/places/totals", headers=h["garage"])
    totals = r.json()
    assert totals["places"] == 2 and totals["capacity"] == 3 and totals["open"] == 3
    by_type = {t["place_type"]: t for t in totals["types"]}
    assert by_type["proefplaatsing"]["capacity"] == 2 and by_type["betaalde_baan"]["capacity"] == 1
    assert totals["regions"][0]["region_code"] == "AM01"
    assert "organisation" not in r.text  # anonymous

    # A member leaving flags the job, with the notice period as the deadline.
    coordinator = Principal(
        user_id=world["users"]["coordinator"].id, email="c@x", name="Cor", role=Role.COORDINATOR
    )
    await members.change_status(
        coordinator, world["ids"]["garage"], "beeindigd", "Bedrijf gestopt."
    )
    r = await client.get(f"/api/v1/pooled-jobs/{job['id']}", headers=h["coordinator"])
    flagged = r.json()
    today = datetime.now(UTC).date()
    from coop.work import rules

    assert flagged["needs_repooling"] is True
    assert flagged["flags"] == [
        {
            "package_id": ids[2],
            "organisation_id": world["ids"]["garage"],
            "reason": "lid_vertrekt",
            "since": today.isoformat(),
            "deadline": rules.add_months(today, 3).isoformat(),
        }
    ]
    # Nothing dropped: the package is still in the job until a coordinator re-pools.
    assert ids[2] in flagged["package_ids"]
    r = await client.get("/api/v1/pooled-jobs?flagged=true", headers=h["coordinator"])
    assert [j["id"] for j in r.json()["items"]] == [job["id"]]


async def offered(client, headers, title, slots, hours, **extra) -> int:
    r = await client.post(
        "/api/v1/work-packages", json=package(title, slots, hours, **extra), headers=headers
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {
                "schedule": [
                    {"day": "ma", "start": "09:00", "end": "13:00"},
                    {"day": "ma", "start": "12:00", "end": "15:00"},
                ],
                "hours_per_week": 5,
            },
            {"schedule"},
        ),
        ({"schedule": [{"day": "ma", "start": "13:00", "end": "09:00"}]}, {"schedule[0].end"}),
        ({"hours_per_week": 9}, {"hours_per_week"}),
        ({"hours_per_week": 0}, {"hours_per_week"}),
        ({"start_date": "2026-05-01", "end_date": "2026-04-01"}, {"end_date"}),
        ({"title": "  ", "municipality_code": "GM9999"}, {"title", "municipality_code"}),
        ({"schedule": [{"day": "maandag", "start": "09:00", "end": "13:00"}]}, {"schedule[0].day"}),
        ({"surprise": 1}, {"surprise"}),
    ],
)
async def test_bad_packages_are_refused_by_field_and_nothing_is_saved(
    client, world, change, expected
):
    body = package("Ramen lappen", [("ma", "09:00", "13:00")], 4)
    body.update(change)
    r = await client.post("/api/v1/work-packages", json=body, headers=world["h"]["bakery"])
    assert expected <= fields(problem(r, 422)) or expected == {"surprise"}
    assert await count(WorkPackage) == 0


async def test_a_member_that_is_not_active_offers_nothing(client, world):
    await Organisation.update({Organisation.status: "geschorst"}).where(
        Organisation.id == world["ids"]["bakery"]
    )
    r = await client.post(
        "/api/v1/work-packages",
        json=package("Ramen lappen", [("ma", "09:00", "13:00")], 4),
        headers=world["h"]["bakery"],
    )
    body = problem(r, 422)
    assert fields(body) == {"organisation_id"} and "geen actief lid" in body["errors"][0]["detail"]
    # Staff on behalf of a member that gave notice: the same refusal.
    await Organisation.update({Organisation.end_requested_at: datetime.now(UTC)}).where(
        Organisation.id == world["ids"]["garage"]
    )
    r = await client.post(
        "/api/v1/places",
        json={
            "organisation_id": world["ids"]["garage"],
            "place_type": "betaalde_baan",
            "title": "Monteur",
            "tasks": "Banden wisselen",
            "capacity": 1,
            "hours_per_week": 24,
            "municipality_code": "GM0106",
            "start_date": "2026-03-01",
        },
        headers=world["h"]["coordinator"],
    )
    assert fields(problem(r, 422)) == {"organisation_id"}
    assert await count(WorkPackage) == 0 and await count(Place) == 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"capacity": 0}, {"capacity"}),
        ({"capacity": -2}, {"capacity"}),
        ({"end_date": "2026-02-01"}, {"end_date"}),
        ({"employment_model": "a"}, {"employment_model"}),
        ({"hours_per_week": -4}, {"hours_per_week"}),
    ],
)
async def test_bad_places_are_refused(client, world, change, expected):
    body = {
        "place_type": "participatieplaats",
        "title": "Tuin",
        "tasks": "Onkruid wieden",
        "capacity": 1,
        "hours_per_week": 16,
        "municipality_code": "GM0106",
        "start_date": "2026-03-01",
        **change,
    }
    r = await client.post("/api/v1/places", json=body, headers=world["h"]["bakery"])
    assert fields(problem(r, 422)) == expected
    assert await count(Place) == 0


async def test_combining_a_package_twice_or_packages_that_do_not_fit(client, world):
    h = world["h"]
    a = await offered(client, h["bakery"], "Bezorgen", [("ma", "08:00", "14:00")], 6)
    b = await offered(client, h["garage"], "Wassen", [("di", "08:00", "14:00")], 6)
    c = await offered(client, h["garage"], "Poetsen", [("wo", "08:00", "14:00")], 6)
    overlapping = await offered(client, h["garage"], "Sjouwen", [("ma", "12:00", "16:00")], 4)
    far = await offered(
        client, h["florist"], "Snoeien", [("do", "08:00", "14:00")], 6, municipality_code="GM1730"
    )

    # The same package twice in one request.
    r = await client.post(
        "/api/v1/pooled-jobs",
        json={"title": "X", "package_ids": [a, b, a]},
        headers=h["coordinator"],
    )
    assert "package_ids[2]" in fields(problem(r, 422))
    # Overlapping times; another municipality without accepting the region.
    r = await client.post(
        "/api/v1/pooled-jobs",
        json={"title": "X", "package_ids": [a, overlapping]},
        headers=h["coordinator"],
    )
    assert any("overlappen" in e["detail"] for e in problem(r, 422)["errors"])
    r = await client.post(
        "/api/v1/pooled-jobs",
        json={"title": "X", "package_ids": [a, far]},
        headers=h["coordinator"],
    )
    assert any("gemeenten" in e["detail"] for e in problem(r, 422)["errors"])
    assert await count(PooledJob) == 0 and await count(PooledJobPackage) == 0
    # With the region accepted (Assen and Tynaarlo are both in Groningen's region) it fits.
    r = await client.post(
        "/api/v1/pooled-jobs",
        json={"title": "Regio", "package_ids": [a, far], "accept_region": True},
        headers=h["coordinator"],
    )
    assert r.status_code == 201, r.text
    # Now a is in a job: combining it again is refused, naming it.
    r = await client.post(
        "/api/v1/pooled-jobs", json={"title": "Y", "package_ids": [b, a]}, headers=h["coordinator"]
    )
    body = problem(r, 422)
    assert fields(body) == {"package_ids[1]"}
    assert "al in een gecombineerde baan" in body["errors"][0]["detail"]
    assert await count(PooledJob) == 1
    assert await WorkPackage.select(WorkPackage.status).where(WorkPackage.id == b).first() == {
        "status": "aangeboden"
    }
    assert c  # an untouched package stays offered


async def test_a_withdrawn_package_flags_its_job_and_re_pooling_clears_it(client, world):
    h = world["h"]
    a = await offered(client, h["bakery"], "Bezorgen", [("ma", "08:00", "14:00")], 6)
    b = await offered(client, h["garage"], "Wassen", [("di", "08:00", "14:00")], 6)
    c = await offered(client, h["garage"], "Poetsen", [("wo", "08:00", "15:00")], 7)
    r = await client.post(
        "/api/v1/pooled-jobs",
        json={"title": "Job", "package_ids": [a, b]},
        headers=h["coordinator"],
    )
    job_id = r.json()["id"]

    # The bakery withdraws its package: the job is flagged, the other package stays.
    r = await client.post(
        f"/api/v1/work-packages/{a}/status",
        json={"status": "ingetrokken", "reason": "Minder werk"},
        headers=h["bakery"],
    )
    assert r.status_code == 200 and r.json()["status"] == "ingetrokken", r.text
    job = (await client.get(f"/api/v1/pooled-jobs/{job_id}", headers=h["coordinator"])).json()
    assert [(f["package_id"], f["reason"]) for f in job["flags"]] == [(a, "ingetrokken")]
    assert sorted(job["package_ids"]) == sorted([a, b])

    # Re-pool: take the withdrawn one out, add another member's... here the garage's c
    # alone would leave one member, so add the florist's package in the region instead.
    r = await client.post(
        f"/api/v1/pooled-jobs/{job_id}/packages/{a}/remove",
        json={"reason": "Ingetrokken door het lid"},
        headers=h["coordinator"],
    )
    assert r.status_code == 200, r.text
    assert r.json()["flags"] == [] and r.json()["package_ids"] == [b]
    assert r.json()["needs_repooling"] is True  # one member, 6 hours: no job yet
    d = await offered(client, h["bakery"], "Inpakken", [("do", "08:00", "15:00")], 7)
    r = await client.post(
        f"/api/v1/pooled-jobs/{job_id}/packages", json={"package_id": d}, headers=h["coordinator"]
    )
    assert r.status_code == 200, r.text
    assert r.json()["needs_repooling"] is False and r.json()["hours_per_week"] == 13
    place = (
        await client.get(f"/api/v1/places/{r.json()['place_id']}", headers=h["coordinator"])
    ).json()
    assert place["hours_per_week"] == 13  # the job's place follows
    # Every change is in the job's history.
    actions = [
        e["action"]
        for e in await PooledJobEvent.select(PooledJobEvent.action)
        .where(PooledJobEvent.pooled_job == job_id)
        .order_by(PooledJobEvent.id)
    ]
    assert actions == [
        "created",
        "package_added",
        "package_added",
        "package_withdrawn",
        "package_removed",
        "package_added",
    ]
    assert c


async def test_members_and_wsp_cannot_touch_pooled_jobs(client, world):
    h = world["h"]
    a = await offered(client, h["bakery"], "Bezorgen", [("ma", "08:00", "14:00")], 6)
    b = await offered(client, h["garage"], "Wassen", [("di", "08:00", "14:00")], 6)
    for who in ("bakery", "wsp"):
        r = await client.post(
            "/api/v1/pooled-jobs", json={"title": "Job", "package_ids": [a, b]}, headers=h[who]
        )
        problem(r, 403)
        problem(await client.get("/api/v1/pooled-jobs", headers=h[who]), 403)
    r = await client.post(
        "/api/v1/pooled-jobs", json={"title": "Job", "package_ids": [a, b]}, headers=h["admin"]
    )
    job_id = r.json()["id"]
    problem(
        await client.post(
            f"/api/v1/pooled-jobs/{job_id}/status",
            json={"status": "opgeheven"},
            headers=h["bakery"],
        ),
        403,
    )
    problem(await client.get("/api/v1/work-packages", headers=h["wsp"]), 403)
    problem(await client.get("/api/v1/places/totals", headers=h["wsp"]), 403)


async def test_a_member_sees_and_changes_only_its_own(client, world):
    h = world["h"]
    a = await offered(client, h["bakery"], "Bezorgen", [("ma", "08:00", "14:00")], 6)
    problem(await client.get(f"/api/v1/work-packages/{a}", headers=h["garage"]), 404)
    problem(
        await client.patch(
            f"/api/v1/work-packages/{a}", json={"title": "Van mij"}, headers=h["garage"]
        ),
        404,
    )
    problem(
        await client.post(
            f"/api/v1/work-packages/{a}/status", json={"status": "ingetrokken"}, headers=h["garage"]
        ),
        404,
    )
    r = await client.get("/api/v1/work-packages", headers=h["garage"])
    assert r.json()["items"] == [] and r.json()["total"] == 0
    # Its own: changed as a whole, and a member never names another organisation.
    r = await client.patch(
        f"/api/v1/work-packages/{a}", json={"hours_per_week": 5.5}, headers=h["bakery"]
    )
    assert r.status_code == 200 and r.json()["hours_per_week"] == 5.5, r.text
    r = await client.patch(
        f"/api/v1/work-packages/{a}", json={"hours_per_week": 7}, headers=h["bakery"]
    )
    assert fields(problem(r, 422)) == {"hours_per_week"}
    body = package("Sjouwen", [("ma", "08:00", "14:00")], 6, organisation_id=world["ids"]["garage"])
    r = await client.post("/api/v1/work-packages", json=body, headers=h["bakery"])
    assert fields(problem(r, 422)) == {"organisation_id"}
    # A member marks nothing filled: that is the coordinators' work.
    r = await client.post(
        f"/api/v1/work-packages/{a}/status", json={"status": "vervuld"}, headers=h["bakery"]
    )
    problem(r, 409)
    # A read-only token changes nothing.
    read = await bearer(world["users"]["bakery"], "read")
    problem(
        await client.patch(f"/api/v1/work-packages/{a}", json={"title": "X"}, headers=read), 403
    )


async def test_dissolving_a_job_returns_its_packages_to_the_pool_and_closes_its_place(
    client, world
):
    h = world["h"]
    a = await offered(client, h["bakery"], "Bezorgen", [("ma", "08:00", "14:00")], 6)
    b = await offered(client, h["garage"], "Wassen", [("di", "08:00", "14:00")], 6)
    job = (
        await client.post(
            "/api/v1/pooled-jobs",
            json={"title": "Job", "package_ids": [a, b]},
            headers=h["coordinator"],
        )
    ).json()
    r = await client.post(
        f"/api/v1/pooled-jobs/{job['id']}/status",
        json={"status": "vervuld"},
        headers=h["coordinator"],
    )
    assert r.json()["status"] == "vervuld"
    assert (await client.get(f"/api/v1/work-packages/{a}", headers=h["bakery"])).json()[
        "status"
    ] == "vervuld"
    r = await client.post(
        f"/api/v1/pooled-jobs/{job['id']}/status",
        json={"status": "opgeheven", "reason": "Geen kandidaat"},
        headers=h["coordinator"],
    )
    assert r.status_code == 200 and r.json()["package_ids"] == []
    assert (await client.get(f"/api/v1/work-packages/{a}", headers=h["bakery"])).json()[
        "status"
    ] == "aangeboden"
    place = (await client.get(f"/api/v1/places/{job['place_id']}", headers=h["coordinator"])).json()
    assert place["status"] == "gesloten"
    r = await client.post(
        f"/api/v1/pooled-jobs/{job['id']}/status", json={"status": "open"}, headers=h["coordinator"]
    )
    problem(r, 409)


async def test_a_pooled_job_needs_a_name_and_a_known_package(client, world):
    h = world["h"]
    a = await offered(client, h["bakery"], "Bezorgen", [("ma", "08:00", "14:00")], 6)
    b = await offered(client, h["garage"], "Wassen", [("di", "08:00", "14:00")], 6)
    r = await client.post(
        "/api/v1/pooled-jobs", json={"title": " ", "package_ids": [a, b]}, headers=h["coordinator"]
    )
    assert fields(problem(r, 422)) == {"title"}
    r = await client.post(
        "/api/v1/pooled-jobs",
        json={"title": "Baan", "package_ids": [a, 999999]},
        headers=h["coordinator"],
    )
    assert fields(problem(r, 422)) == {"package_ids[1]"}
    r = await client.post(
        "/api/v1/pooled-jobs",
        json={"title": "Baan", "package_ids": [a, 0]},
        headers=h["coordinator"],
    )
    problem(r, 422)  # an id below 1 is refused at the boundary
    assert await count(PooledJob) == 0
    problem(
        await client.get(
            "/api/v1/pooled-jobs/suggestions?package_id=999999", headers=h["coordinator"]
        ),
        404,
    )
    problem(await client.get("/api/v1/pooled-jobs/2147483648", headers=h["coordinator"]), 404)


async def test_two_coordinators_combining_the_same_package_at_once_make_one_job(client, world):
    import asyncio

    from coop.errors import Conflict, ValidationFailed
    from coop.work import repository

    h = world["h"]
    a = await offered(client, h["bakery"], "Bezorgen", [("ma", "08:00", "14:00")], 6)
    b = await offered(client, h["garage"], "Wassen", [("di", "08:00", "14:00")], 6)
    c = await offered(client, h["garage"], "Poetsen", [("wo", "08:00", "14:00")], 6)
    staff = Principal(
        user_id=world["users"]["coordinator"].id, email="c@x", name="C", role=Role.COORDINATOR
    )
    results = await asyncio.gather(
        repository.create_pooled_job(
            staff, title="Een", description="", package_ids=[a, b], accept_region=False
        ),
        repository.create_pooled_job(
            staff, title="Twee", description="", package_ids=[a, c], accept_region=False
        ),
        return_exceptions=True,
    )
    made = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, ValidationFailed | Conflict)]
    assert len(made) == 1 and len(refused) == 1, results
    assert await count(PooledJob) == 1
    # The refused job left nothing behind: its other package is still on offer.
    statuses = {
        r["id"]: r["status"] for r in await WorkPackage.select(WorkPackage.id, WorkPackage.status)
    }
    assert statuses[a] == "in_pool"
    assert sorted([statuses[b], statuses[c]]) == ["aangeboden", "in_pool"]


# --- the support a place can offer -----------------------------------------------------------

SUPPORTED_PLACE = {
    "place_type": "participatieplaats",
    "title": "Inpakken",
    "tasks": "Bestellingen inpakken",
    "capacity": 2,
    "hours_per_week": 16,
    "municipality_code": "GM0106",
    "start_date": "2026-03-01",
}


async def stored_supports(place_id: int) -> list[str]:
    row = await Place.select(Place.supports).where(Place.id == place_id).output(load_json=True)
    return row[0]["supports"]


def test_the_api_offers_exactly_the_participants_support_needs():
    import typing

    from coop.participants.rules import SUPPORT_NEEDS
    from coop.work.schemas import SupportSlug

    assert typing.get_args(SupportSlug) == tuple(SUPPORT_NEEDS)


async def test_a_place_offers_support_that_is_stored_returned_and_changed(client, world):
    from coop.allocation import batch

    h = world["h"]["bakery"]
    r = await client.post(
        "/api/v1/places",
        json={**SUPPORTED_PLACE, "supports": ["jobcoach", "vaste-structuur", "jobcoach"]},
        headers=h,
    )
    assert r.status_code == 201, r.text
    place_id = r.json()["id"]
    # In the list's order, each once; stored as such, so the allocation sees it.
    assert r.json()["supports"] == ["vaste-structuur", "jobcoach"]
    assert await stored_supports(place_id) == ["vaste-structuur", "jobcoach"]
    assert (await client.get(f"/api/v1/places/{place_id}", headers=h)).json()["supports"] == [
        "vaste-structuur",
        "jobcoach",
    ]
    (opening,) = [
        batch.opening_of(p, p["free"])
        for p in await batch.open_places(today=datetime(2026, 3, 1).date())
        if p["id"] == place_id
    ]
    assert opening.supports == frozenset({"vaste-structuur", "jobcoach"})

    # A change of something else keeps the supports; a new list replaces them.
    r = await client.patch(f"/api/v1/places/{place_id}", json={"title": "Sorteren"}, headers=h)
    assert r.status_code == 200 and r.json()["supports"] == ["vaste-structuur", "jobcoach"]
    r = await client.patch(
        f"/api/v1/places/{place_id}", json={"supports": ["rolstoeltoegankelijk"]}, headers=h
    )
    assert r.status_code == 200 and r.json()["supports"] == ["rolstoeltoegankelijk"]
    assert await stored_supports(place_id) == ["rolstoeltoegankelijk"]
    r = await client.patch(f"/api/v1/places/{place_id}", json={"supports": []}, headers=h)
    assert r.status_code == 200 and r.json()["supports"] == []
    assert await stored_supports(place_id) == []


async def test_a_place_without_supports_offers_none(client, world):
    r = await client.post("/api/v1/places", json=SUPPORTED_PLACE, headers=world["h"]["bakery"])
    assert r.status_code == 201 and r.json()["supports"] == []
    assert await stored_supports(r.json()["id"]) == []


@pytest.mark.parametrize("supports", [["vliegende-start"], ["jobcoach", ""], "jobcoach", [1]])
async def test_unknown_support_is_refused_by_field_and_nothing_changes(client, world, supports):
    h = world["h"]["bakery"]
    r = await client.post(
        "/api/v1/places", json={**SUPPORTED_PLACE, "supports": supports}, headers=h
    )
    assert all(f.startswith("supports") for f in fields(problem(r, 422))) and fields(
        problem(r, 422)
    )
    assert await count(Place) == 0

    r = await client.post(
        "/api/v1/places", json={**SUPPORTED_PLACE, "supports": ["jobcoach"]}, headers=h
    )
    place_id = r.json()["id"]
    r = await client.patch(f"/api/v1/places/{place_id}", json={"supports": supports}, headers=h)
    assert all(f.startswith("supports") for f in fields(problem(r, 422)))
    assert await stored_supports(place_id) == ["jobcoach"]
