"""/api/v1/proposals: a batch proposal from the database is optimal (not greedy), explains
each pair and each unmatched participant, and its pairs are accepted one by one or all,
a pair whose place was filled meanwhile refused with 409 while the rest goes through."""

from __future__ import annotations

import pytest

from coop.accounts.roles import Role
from coop.allocation.tables import Placement, ProposalPair
from coop.members.tables import Organisation
from tests import factories
from tests.api.test_allocation_placements_api import body, make_place, problem
from tests.api.test_organisations import bearer

SUPPORTS = ["schriftelijke-instructies", "niet-zwaar-tillen"]


@pytest.fixture
async def world(migrated):
    factory = await factories.organisation("Metaal Assen")
    shop = await factories.organisation("Winkel Assen")
    await Organisation.update({Organisation.sector: "c"}).where(Organisation.id == factory)
    await Organisation.update({Organisation.sector: "g"}).where(Organisation.id == shop)
    coordinator = await factories.user(Role.COORDINATOR)
    member = await factories.user(Role.MEMBER, organisation_id=factory)
    # X: a paid job at the factory; Y: a trial placement at the shop.
    x = await make_place(factory, supports=SUPPORTS, title="Productiemedewerker")
    y = await make_place(
        shop,
        supports=SUPPORTS,
        place_type="proefplaatsing",
        employment_model="d",
        title="Winkelhulp",
    )
    # A likes the factory's sector and could also take the trial; B can only take X.
    a = await factories.participant(
        "beschikbaar",
        first_name="Anna",
        place_types=["betaald", "proefplaatsing"],
        sectors=["c"],
        travel_range="eigen-regio",
    )
    b = await factories.participant(
        "beschikbaar", first_name="Bram", place_types=["betaald"], travel_range="eigen-regio"
    )
    c = await factories.participant(
        "beschikbaar", first_name="Cor", place_types=["beschut"], travel_range="eigen-regio"
    )
    return {
        "organisations": {"factory": factory, "shop": shop},
        "places": {"x": x, "y": y},
        "people": {"a": a, "b": b, "c": c},
        "h": await bearer(coordinator, "write"),
        "member": await bearer(member, "write"),
    }


async def test_the_proposal_places_everyone_it_can_and_explains_why(client, world):
    r = await client.post("/api/v1/proposals/", json={"region_code": "AM01"}, headers=world["h"])
    assert r.status_code == 201, r.text
    proposal = r.json()
    people, places = world["people"], world["places"]
    # Greedy would give Anna the factory (her best score) and leave Bram out; the optimum
    # places both.
    pairs = {p["participant_id"]: p["place_id"] for p in proposal["pairs"]}
    assert pairs == {people["a"]: places["y"], people["b"]: places["x"]}
    bram = next(p for p in proposal["pairs"] if p["participant_id"] == people["b"])
    assert bram["participant_name"] == "Bram Testdeelnemer"
    assert sum(line["points"] for line in bram["reasons"]) == bram["score"]
    assert "geen voorkeur voor een sector opgegeven" in [line["text"] for line in bram["reasons"]]
    assert proposal["total_score"] == sum(p["score"] for p in proposal["pairs"])
    [cor] = proposal["unmatched"]
    assert cor["participant_id"] == people["c"]
    assert cor["reason"] == "no_candidates"
    assert cor["blockers"] == {"place_type": 2}
    assert cor["text"]
    # Stored: it reads back the same.
    again = await client.get(f"/api/v1/proposals/{proposal['id']}", headers=world["h"])
    assert again.json()["pairs"] == proposal["pairs"]


async def test_accepting_all_refuses_a_pair_whose_place_was_filled_meanwhile(client, world):
    proposal = (
        await client.post("/api/v1/proposals/", json={"region_code": "AM01"}, headers=world["h"])
    ).json()
    # Someone else takes the factory's only slot after the proposal was made.
    other = await factories.participant("aangemeld", first_name="Dirk")
    taken = await client.post(
        "/api/v1/placements/",
        json=body(other, world["places"]["x"], start_date="2026-12-01"),
        headers=world["h"],
    )
    assert taken.status_code == 201, taken.text
    r = await client.post(f"/api/v1/proposals/{proposal['id']}/accept", headers=world["h"])
    assert r.status_code == 201, r.text
    outcome = r.json()
    assert (outcome["accepted"], outcome["refused"]) == (1, 1)
    by_pair = {p["pair_id"]: p for p in outcome["pairs"]}
    pair_of = {p["participant_id"]: p["id"] for p in proposal["pairs"]}
    assert by_pair[pair_of[world["people"]["b"]]]["status"] == 409
    assert by_pair[pair_of[world["people"]["b"]]]["code"] == "place_full"
    accepted = by_pair[pair_of[world["people"]["a"]]]
    assert accepted["status"] == 201
    row = await Placement.select().where(Placement.id == accepted["placement_id"]).first()
    assert row["participant"] == world["people"]["a"] and row["paid"] is False
    states = {r["id"]: r["state"] for r in await ProposalPair.select()}
    assert states == {
        pair_of[world["people"]["a"]]: "aanvaard",
        pair_of[world["people"]["b"]]: "vervallen",
    }
    # A pair that is done cannot be accepted again.
    again = await client.post(
        f"/api/v1/proposals/{proposal['id']}/pairs/{pair_of[world['people']['a']]}/accept",
        headers=world["h"],
    )
    assert problem(again, 409)["code"] == "pair_done"


async def test_pairs_are_accepted_one_by_one(client, world):
    proposal = (await client.post("/api/v1/proposals/", json={}, headers=world["h"])).json()
    first = proposal["pairs"][0]
    r = await client.post(
        f"/api/v1/proposals/{proposal['id']}/pairs/{first['id']}/accept", headers=world["h"]
    )
    assert r.status_code == 201, r.text
    assert r.json()["participant_id"] == first["participant_id"]
    assert await Placement.count() == 1


async def test_only_coordinators_ask_for_proposals_and_bad_input_is_named(client, world):
    problem(await client.post("/api/v1/proposals/", json={}, headers=world["member"]), 403)
    bad = problem(
        await client.post("/api/v1/proposals/", json={"region_code": "XX"}, headers=world["h"]),
        422,
    )
    assert "region_code" in str(bad)
    problem(await client.get("/api/v1/proposals/999", headers=world["h"]), 404)
