"""The coordinator's path through the pages: choose a region, read the proposal with its
explanations, accept it, and follow a placement (start, check-in, wage value, the 6-month
milestone, the work list, an early end); a member sees only its own placement, without
wage values or coordinators' notes; bad input keeps what was typed and saves nothing."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from coop.accounts.roles import Role
from coop.allocation.rules import add_months
from coop.allocation.tables import CheckIn, Placement, WageValue
from tests import factories
from tests.api.test_allocation_proposals_api import world as proposal_world  # noqa: F401
from tests.factories import csrf_from, login


@pytest.fixture
async def world(proposal_world):  # noqa: F811
    return proposal_world


async def post_form(client, page_path: str, action: str, data: dict) -> object:
    page = await client.get(page_path)
    assert page.status_code == 200, page.text
    return await client.post(action, data={**data, "_csrf": csrf_from(page.text)})


async def test_a_coordinator_goes_from_region_to_a_followed_placement(client, world):
    coordinator = await factories.user(Role.COORDINATOR)
    await login(client, coordinator)
    start = await client.get("/allocatie")
    assert start.status_code == 200
    made = await client.post(
        "/allocatie/voorstel", data={"region_code": "AM01", "_csrf": csrf_from(start.text)}
    )
    assert made.status_code == 303
    proposal_path = made.headers["location"]
    page = await client.get(proposal_path)
    assert "Bram Testdeelnemer" in page.text
    assert "geen voorkeur voor een sector opgegeven" in page.text
    assert "Cor Testdeelnemer" in page.text  # unmatched, with the reason
    assert "soort plaats past niet bij de deelnemer" in page.text
    accept = re.search(r'action="(/allocatie/voorstellen/\d+/aanvaarden)"', page.text).group(1)
    done = await client.post(accept, data={"_csrf": csrf_from(page.text)})
    assert done.status_code == 303
    assert await Placement.count() == 2
    # The start page lists the proposal, with none of its pairs left open.
    start = await client.get("/allocatie")
    assert proposal_path in start.text
    bram = await Placement.select().where(Placement.participant == world["people"]["b"]).first()
    detail_path = f"/plaatsingen/{bram['id']}"

    # Start it seven months ago, so the 6-month milestone is due.
    began = add_months(date.today(), -7)
    r = await post_form(
        client, detail_path, f"{detail_path}/status", {"action": "starten", "on": began.isoformat()}
    )
    assert r.status_code == 303
    follow = await client.get("/plaatsingen/opvolging")
    assert "Mijlpaal 6 maanden" in follow.text

    # A wage value outside 0-100 keeps the input and saves nothing.
    bad = await post_form(
        client,
        detail_path,
        f"{detail_path}/loonwaarde",
        {"measured_on": date.today().isoformat(), "percent": "150", "measured_by": "Jobcoach Jan"},
    )
    assert bad.status_code == 400
    assert "Vul een loonwaarde in van 0 tot en met 100 procent." in bad.text
    assert 'value="150"' in bad.text and 'value="Jobcoach Jan"' in bad.text
    assert await WageValue.count() == 0
    good = await post_form(
        client,
        detail_path,
        f"{detail_path}/loonwaarde",
        {"measured_on": date.today().isoformat(), "percent": "55", "measured_by": "Jobcoach Jan"},
    )
    assert good.status_code == 303
    [measured] = await WageValue.select()
    assert measured["next_due"] == add_months(date.today(), 36)

    for notes, visibility in (
        ("Gaat goed, meer taken erbij.", "gedeeld"),
        ("Privé: zorgen thuis.", "coordinatoren"),
    ):
        r = await post_form(
            client,
            detail_path,
            f"{detail_path}/gesprek",
            {"held_on": date.today().isoformat(), "notes": notes, "visibility": visibility},
        )
        assert r.status_code == 303
    r = await post_form(client, detail_path, f"{detail_path}/mijlpaal", {"months": "6"})
    assert r.status_code == 303
    page = await client.get(detail_path)
    assert "Loonkostensubsidie" in page.text and "Privé: zorgen thuis." in page.text
    follow = await client.get("/plaatsingen/opvolging")
    assert f'href="/plaatsingen/{bram["id"]}"' not in follow.text  # nothing due any more

    # The member sees its placement: no wage value, only the shared check-in.
    member = await factories.user(Role.MEMBER, organisation_id=bram_member(world))
    client.cookies.clear()
    await login(client, member)
    own = await client.get(detail_path)
    assert own.status_code == 200
    assert "Bram Testdeelnemer" in own.text and "Gaat goed, meer taken erbij." in own.text
    assert "Privé: zorgen thuis." not in own.text and "55" not in own.text
    assert "Loonkostensubsidie" not in own.text
    listed = await client.get("/plaatsingen")
    assert "Bram Testdeelnemer" in listed.text and "Anna Testdeelnemer" not in listed.text
    other = await Placement.select().where(Placement.participant == world["people"]["a"]).first()
    assert (await client.get(f"/plaatsingen/{other['id']}")).status_code == 404
    # Members cannot change a placement.
    r = await client.post(
        f"{detail_path}/gesprek",
        data={"held_on": "2026-01-01", "notes": "x", "_csrf": csrf_from(own.text)},
    )
    assert r.status_code == 403
    assert await CheckIn.count() == 2


def bram_member(world) -> int:
    return world["organisations"]["factory"]


async def test_ending_early_asks_whether_the_participant_returns_to_the_pool(client, world):
    coordinator = await factories.user(Role.COORDINATOR)
    await login(client, coordinator)
    # Place Bram directly through the API route of the repository.
    from coop.allocation import repository
    from tests.api.test_allocation_placements_api import body

    placement_id = await repository.create_placement(
        factories.coordinator_principal(coordinator.id),
        {
            **body(world["people"]["b"], world["places"]["x"], start_date=date(2026, 3, 1)),
            "start_date": date(2026, 3, 1),
            "hours_per_week": 20.0,
        },
    )
    path = f"/plaatsingen/{placement_id}"
    assert (
        await post_form(client, path, f"{path}/status", {"action": "starten", "on": "2026-03-01"})
    ).status_code == 303
    end = (date(2026, 3, 1) + timedelta(days=90)).isoformat()
    r = await post_form(
        client,
        path,
        f"{path}/status",
        {"action": "beeindigen", "on": end, "exit_reason": "uitgevallen"},
    )
    assert r.status_code == 400
    assert "Geef aan of de deelnemer terugkeert in de pool." in r.text
    assert (await Placement.select(Placement.status).where(Placement.id == placement_id).first())[
        "status"
    ] == "actief"
    r = await post_form(
        client,
        path,
        f"{path}/status",
        {
            "action": "beeindigen",
            "on": "2026-02-01",
            "exit_reason": "uitgevallen",
            "returns_to_pool": "ja",
        },
    )
    assert r.status_code == 400 and "De einddatum ligt voor de begindatum." in r.text
    r = await post_form(
        client,
        path,
        f"{path}/status",
        {"action": "beeindigen", "on": end, "exit_reason": "uitgevallen", "returns_to_pool": "ja"},
    )
    assert r.status_code == 303
    row = await Placement.select().where(Placement.id == placement_id).first()
    assert (row["status"], row["slot"], row["holder"], row["returns_to_pool"]) == (
        "beeindigd",
        None,
        None,
        True,
    )
