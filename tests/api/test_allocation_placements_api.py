"""/api/v1/placements: creating placements with the database's slot guarantee (the race of
50 calls for the last slot), bad input as problem details with nothing saved, and who
sees which placements."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest

from coop.accounts.roles import Role
from coop.allocation.tables import Placement, PlacementEvent, PlacementMember
from coop.audit.tables import AuditEvent
from coop.participants.tables import Participant
from tests import factories
from tests.api.test_organisations import bearer


async def make_place(organisation: int | None, **extra: object) -> int:
    columns = {
        "tasks": "Maaien, snoeien en vegen",
        "capacity": 1,
        "minutes_per_week": 20 * 60,
        "start_date": date(2026, 1, 1),
        "guidance": "intensief",
    }
    return await factories.place(organisation, **{**columns, **extra})


def body(participant: int, place: int, **extra: object) -> dict:
    return {
        "participant_id": participant,
        "place_id": place,
        "start_date": "2026-12-01",
        "hours_per_week": 20,
        "employment_model": "a",
        **extra,
    }


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


@pytest.fixture
async def world(migrated):
    bakery = await factories.organisation("Bakkerij De Korenaar")
    garage = await factories.organisation("Garage Assen")
    users = {
        "coordinator": await factories.user(Role.COORDINATOR),
        "admin": await factories.user(Role.ADMIN),
        "bakery": await factories.user(Role.MEMBER, organisation_id=bakery),
        "garage": await factories.user(Role.MEMBER, organisation_id=garage),
        "wsp": await factories.user(Role.WSP),
    }
    headers = {k: await bearer(u, "write") for k, u in users.items()}
    return {"bakery": bakery, "garage": garage, "h": headers}


async def test_a_coordinator_places_a_participant_and_each_role_sees_what_it_may(client, world):
    h = world["h"]
    person = await factories.participant("beschikbaar")
    place = await make_place(world["bakery"], capacity=2)
    made = await client.post(
        "/api/v1/placements/",
        json=body(person, place, guidance_contact="Jan Jobcoach", guidance_contact_phone="0612"),
        headers=h["coordinator"],
    )
    assert made.status_code == 201, made.text
    placement = made.json()
    assert placement["status"] == "gepland"
    assert placement["paid"] is True
    assert placement["hours_per_week"] == 20
    assert placement["members"] == [
        {
            "organisation_id": world["bakery"],
            "organisation_name": "Bakkerij De Korenaar",
            "hours_per_week": 20,
        }
    ]
    row = await Placement.select().where(Placement.id == placement["id"]).first()
    assert row["slot"] == 0 and row["holder"] == person

    # The member sees its own placement: name, hours, tasks and whom to call; nothing else.
    own = await client.get(f"/api/v1/placements/{placement['id']}", headers=h["bakery"])
    assert own.status_code == 200
    assert set(own.json()) == {
        "id",
        "participant_name",
        "place_title",
        "tasks",
        "status",
        "hours_per_week",
        "start_date",
        "planned_end",
        "guidance_contact",
        "guidance_contact_phone",
    }
    assert own.json()["participant_name"] == "Sanne Testdeelnemer"
    assert own.json()["guidance_contact"] == "Jan Jobcoach"
    listed = await client.get("/api/v1/placements/", headers=h["bakery"])
    assert [p["id"] for p in listed.json()["items"]] == [placement["id"]]
    # Another member: not found, and an empty list.
    assert (
        await client.get(f"/api/v1/placements/{placement['id']}", headers=h["garage"])
    ).status_code == 404
    assert (await client.get("/api/v1/placements/", headers=h["garage"])).json()["total"] == 0
    # Admins read it; WSP users have no business here.
    assert (await client.get("/api/v1/placements/", headers=h["admin"])).json()["total"] == 1
    assert (await client.get("/api/v1/placements/", headers=h["wsp"])).status_code == 403
    # Reads are audited.
    assert await AuditEvent.exists().where(AuditEvent.action == "placement_read")


async def test_members_and_admins_cannot_create_placements(client, world):
    person = await factories.participant("beschikbaar")
    place = await make_place(world["bakery"])
    for who in ("bakery", "admin", "wsp"):
        r = await client.post(
            "/api/v1/placements/", json=body(person, place), headers=world["h"][who]
        )
        problem(r, 403)
    assert await Placement.count() == 0


async def test_a_full_place_and_a_participant_already_placed_answer_409(client, world):
    h = world["h"]
    first = await factories.participant("beschikbaar")
    second = await factories.participant("beschikbaar")
    place = await make_place(world["bakery"])
    other = await make_place(world["garage"])
    assert (
        await client.post("/api/v1/placements/", json=body(first, place), headers=h["coordinator"])
    ).status_code == 201
    full = problem(
        await client.post(
            "/api/v1/placements/", json=body(second, place), headers=h["coordinator"]
        ),
        409,
    )
    assert full["code"] == "place_full"
    placed = problem(
        await client.post("/api/v1/placements/", json=body(first, other), headers=h["coordinator"]),
        409,
    )
    assert placed["code"] == "participant_placed"
    # An unpaid place does not count against the one paid placement.
    trial = await make_place(world["garage"], place_type="proefplaatsing", employment_model="d")
    r = await client.post(
        "/api/v1/placements/",
        json=body(first, trial, employment_model="d"),
        headers=h["coordinator"],
    )
    assert r.status_code == 201, r.text
    assert r.json()["paid"] is False
    assert await Placement.count() == 2


async def test_bad_input_names_each_field_and_saves_nothing(client, world):
    h = world["h"]["coordinator"]
    person = await factories.participant("beschikbaar")  # available 12 to 24 hours
    place = await make_place(
        world["bakery"], start_date=date(2026, 1, 1), end_date=date(2026, 6, 30)
    )
    r = problem(
        await client.post(
            "/api/v1/placements/",
            json=body(
                person, place, start_date="2027-01-01", hours_per_week=30, employment_model="d"
            ),
            headers=h,
        ),
        422,
    )
    fields = {e["field"] for e in r["errors"]}
    assert {"start_date", "hours_per_week", "employment_model"} <= fields
    r = problem(
        await client.post(
            "/api/v1/placements/",
            json=body(person, place, start_date="2026-03-01", planned_end="2026-02-01"),
            headers=h,
        ),
        422,
    )
    assert [e["field"] for e in r["errors"]] == ["planned_end"]
    for wrong in (
        body(person, 999999),
        body(999999, place, start_date="2026-03-01"),
        body(person, place, hours_per_week=-1),
        body(person, place, employment_model="z"),
        {"participant_id": person},
    ):
        response = await client.post("/api/v1/placements/", json=wrong, headers=h)
        assert response.status_code == 422, (wrong, response.text)
    assert await Placement.count() == 0
    assert await PlacementMember.count() == 0
    assert await PlacementEvent.count() == 0


async def test_fifty_concurrent_posts_for_the_last_slot_give_one_201_and_49_409(client, world):
    h = world["h"]["coordinator"]
    place = await make_place(world["bakery"], capacity=3)
    people = [await factories.participant("beschikbaar") for _ in range(52)]
    # Two of the three slots are taken already.
    for person in people[:2]:
        r = await client.post("/api/v1/placements/", json=body(person, place), headers=h)
        assert r.status_code == 201, r.text
    responses = await asyncio.gather(
        *(client.post("/api/v1/placements/", json=body(p, place), headers=h) for p in people[2:])
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * 49, codes
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"place_full"}
    slots = sorted(
        r["slot"] for r in await Placement.select(Placement.slot).where(Placement.place == place)
    )
    assert slots == [0, 1, 2]


async def test_the_same_participant_fifty_times_at_once_is_placed_once(client, world):
    h = world["h"]["coordinator"]
    person = await factories.participant("beschikbaar")
    places = [await make_place(world["bakery"]) for _ in range(50)]
    responses = await asyncio.gather(
        *(client.post("/api/v1/placements/", json=body(person, p), headers=h) for p in places)
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * 49, codes
    assert await Placement.count() == 1


async def test_follow_up_through_the_api_with_bad_input_refused(client, world):
    h = world["h"]["coordinator"]
    first = await factories.participant("beschikbaar")
    second = await factories.participant("beschikbaar")
    place = await make_place(world["bakery"])
    made = await client.post(
        "/api/v1/placements/", json=body(first, place, start_date="2026-03-01"), headers=h
    )
    path = f"/api/v1/placements/{made.json()['id']}"
    # Ending a planned placement skips a step of its life: 409.
    r = await client.post(
        f"{path}/status",
        json={"status": "beeindigd", "on": "2026-04-01", "exit_reason": "uitgevallen"},
        headers=h,
    )
    assert problem(r, 409)["code"] == "invalid_transition"
    r = await client.post(
        f"{path}/status", json={"status": "actief", "on": "2026-03-02"}, headers=h
    )
    assert r.status_code == 200 and r.json()["status"] == "actief", r.text
    # The participant is placed while it runs.
    assert (await Participant.select(Participant.status).where(Participant.id == first).first())[
        "status"
    ] == "geplaatst"
    # Members change nothing.
    r = await client.post(
        f"{path}/check-ins",
        json={"held_on": "2026-04-01", "notes": "x"},
        headers=world["h"]["bakery"],
    )
    problem(r, 403)
    for wrong in (
        {"measured_on": "2026-05-01", "percent": 150},
        {"measured_on": "2026-05-01", "percent": -1},
    ):
        r = await client.post(f"{path}/wage-values", json=wrong, headers=h)
        assert [e["field"] for e in problem(r, 422)["errors"]] == ["percent"]
    r = await client.post(
        f"{path}/wage-values", json={"measured_on": "2026-01-01", "percent": 50}, headers=h
    )
    assert [e["field"] for e in problem(r, 422)["errors"]] == ["measured_on"]
    r = await client.post(
        f"{path}/wage-values", json={"measured_on": "2026-05-01", "percent": 55.5}, headers=h
    )
    assert r.status_code == 201 and r.json()["next_due"] == "2029-05-01", r.text
    # The place is full until the placement ends.
    assert (
        problem(await client.post("/api/v1/placements/", json=body(second, place), headers=h), 409)[
            "code"
        ]
        == "place_full"
    )
    # An end before the start, and an early end without saying whether they return: 422.
    r = await client.post(
        f"{path}/status",
        json={
            "status": "beeindigd",
            "on": "2026-02-01",
            "exit_reason": "uitgevallen",
            "returns_to_pool": True,
        },
        headers=h,
    )
    assert [e["field"] for e in problem(r, 422)["errors"]] == ["end_date"]
    r = await client.post(
        f"{path}/status",
        json={"status": "beeindigd", "on": "2026-06-01", "exit_reason": "uitgevallen"},
        headers=h,
    )
    assert [e["field"] for e in problem(r, 422)["errors"]] == ["returns_to_pool"]
    assert (await Placement.select(Placement.status).first())["status"] == "actief"
    r = await client.post(
        f"{path}/status",
        json={
            "status": "beeindigd",
            "on": "2026-06-01",
            "exit_reason": "uitgevallen",
            "returns_to_pool": True,
        },
        headers=h,
    )
    assert r.status_code == 200 and r.json()["exit_reason"] == "uitgevallen", r.text
    # Back in the pool, as the coordinator said.
    assert (await Participant.select(Participant.status).where(Participant.id == first).first())[
        "status"
    ] == "beschikbaar"
    # Its slot is free again.
    r = await client.post("/api/v1/placements/", json=body(second, place), headers=h)
    assert r.status_code == 201, r.text


async def test_the_database_itself_refuses_a_second_holder_of_a_slot_or_a_participant(world):
    # Past the repository's own look: the indexes alone refuse the double booking.

    from coop.accounts.user_admin_repository import is_unique_violation

    first = await factories.participant("beschikbaar")
    second = await factories.participant("beschikbaar")
    place = await make_place(world["bakery"], capacity=2)
    now = datetime.now(UTC)

    def row(participant: int, slot: int, holder: int | None) -> Placement:
        return Placement(
            participant=participant,
            place=place,
            employment_model="a",
            minutes_per_week=600,
            start_date=date(2026, 3, 1),
            slot=slot,
            holder=holder,
            created_at=now,
            updated_at=now,
        )

    await Placement.insert(row(first, 0, first))
    for duplicate in (row(second, 0, second), row(first, 1, first)):
        with pytest.raises(Exception) as refused:
            await Placement.insert(duplicate)
        assert is_unique_violation(refused.value), refused.value
    # Freed slots (NULL) never collide.
    await Placement.insert(row(second, None, None), row(second, None, None))
    assert await Placement.count() == 3


@pytest.mark.parametrize("status", ["vervuld", "gesloten"])
async def test_a_place_that_is_not_open_is_refused_with_nothing_written(client, world, status):
    # Free slots do not make a place open: a vervuld place was filled outside the slots.
    person = await factories.participant("beschikbaar")
    place = await make_place(world["bakery"], capacity=3, status=status)
    r = problem(
        await client.post(
            "/api/v1/placements/", json=body(person, place), headers=world["h"]["coordinator"]
        ),
        422,
    )
    assert [e["field"] for e in r["errors"]] == ["place_id"]
    assert await Placement.count() == 0
    assert await PlacementEvent.count() == 0
