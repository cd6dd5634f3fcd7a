"""The support a place can offer on the place form: one checkbox per support need in a
fieldset, kept on an error, pre-checked on edit, refused with a Dutch error next to the
field when unknown, and listed on the place's page."""

from __future__ import annotations

import re

import pytest

from coop.accounts.roles import Role
from coop.participants.rules import SUPPORT_NEEDS
from coop.work.tables import Place
from tests import factories
from tests.api.test_work_api import make_member


@pytest.fixture
async def member(migrated):
    bakery = await make_member("Bakkerij De Korenaar", "40000001")
    return await factories.user(Role.MEMBER, organisation_id=bakery)


async def csrf(client, path: str) -> str:
    return factories.csrf_from((await client.get(path)).text)


PLACE_FORM = {
    "place_type": "participatieplaats",
    "title": "Inpakken",
    "tasks": "Bestellingen inpakken",
    "capacity": "2",
    "hours_per_week": "16",
    "municipality_code": "GM0106",
    "start_date": "2026-03-01",
    "guidance": "licht",
    "physical_demands": "licht",
}


def checked(html: str) -> set[str]:
    return set(re.findall(r'name="supports" type="checkbox" value="([^"]+)" checked', html))


async def stored(place_id: int) -> list[str]:
    rows = await Place.select(Place.supports).where(Place.id == place_id).output(load_json=True)
    return rows[0]["supports"]


async def test_the_form_offers_every_support_in_a_fieldset(client, member):
    await factories.login(client, member)
    html = (await client.get("/werk/plaatsen/nieuw")).text
    group = html[
        html.index('id="veld-supports"') : html.index(
            "</fieldset>", html.index('id="veld-supports"')
        )
    ]
    assert "<legend>Welke ondersteuning kan de plaats bieden? (niet verplicht)</legend>" in group
    assert "kunnen hier worden voorgesteld" in group
    values = re.findall(r'name="supports" type="checkbox" value="([^"]+)"', group)
    assert values == list(SUPPORT_NEEDS)
    # Each checkbox has its own label, worded as on the participant's form.
    for index in range(1, len(SUPPORT_NEEDS) + 1):
        assert f'<label class="choice" for="veld-supports-{index}">' in group
    assert "Heeft een jobcoach nodig" in group
    assert checked(html) == set()


async def test_supports_are_saved_kept_on_an_error_and_pre_checked_on_edit(client, member):
    await factories.login(client, member)
    token = await csrf(client, "/werk/plaatsen/nieuw")
    chosen = ["rolstoeltoegankelijk", "vaste-structuur"]
    r = await client.post(
        "/werk/plaatsen/nieuw",
        data={**PLACE_FORM, "_csrf": token, "capacity": "0", "supports": chosen},
    )
    assert r.status_code == 400 and 'id="fout-capacity"' in r.text
    assert checked(r.text) == set(chosen)
    assert await Place.count() == 0

    r = await client.post(
        "/werk/plaatsen/nieuw", data={**PLACE_FORM, "_csrf": token, "supports": chosen}
    )
    assert r.status_code == 303
    place_id = int(r.headers["location"].rsplit("/", 1)[1])
    assert await stored(place_id) == ["vaste-structuur", "rolstoeltoegankelijk"]

    page = (await client.get(f"/werk/plaatsen/{place_id}")).text
    assert "Ondersteuning die de plaats kan bieden" in page
    assert "Heeft een vaste dagstructuur nodig" in page
    assert "Heeft een rolstoeltoegankelijke werkplek nodig" in page

    edit = await client.get(f"/werk/plaatsen/{place_id}/bewerken")
    assert checked(edit.text) == set(chosen)

    # Unticking all of them and adding one saves exactly that one.
    token = factories.csrf_from(edit.text)
    r = await client.post(
        f"/werk/plaatsen/{place_id}/bewerken",
        data={**PLACE_FORM, "_csrf": token, "status": "open", "supports": ["jobcoach"]},
    )
    assert r.status_code == 303
    assert await stored(place_id) == ["jobcoach"]
    r = await client.post(
        f"/werk/plaatsen/{place_id}/bewerken",
        data={**PLACE_FORM, "_csrf": token, "status": "open"},
    )
    assert r.status_code == 303
    assert await stored(place_id) == []
    assert "Niets opgegeven" in (await client.get(f"/werk/plaatsen/{place_id}")).text


async def test_an_unknown_support_gets_a_dutch_error_next_to_the_field(client, member):
    await factories.login(client, member)
    token = await csrf(client, "/werk/plaatsen/nieuw")
    r = await client.post(
        "/werk/plaatsen/nieuw",
        data={**PLACE_FORM, "_csrf": token, "supports": ["jobcoach", "vliegende-start"]},
    )
    assert r.status_code == 400
    assert 'id="fout-supports"' in r.text and "Kies alleen waarden uit de lijst." in r.text
    assert 'href="#veld-supports"' in r.text
    # What was typed stays, the known choice ticked.
    assert 'value="Inpakken"' in r.text and checked(r.text) == {"jobcoach"}
    assert await Place.count() == 0


async def test_without_the_csrf_field_no_support_is_saved(client, member):
    await factories.login(client, member)
    r = await client.post("/werk/plaatsen/nieuw", data={**PLACE_FORM, "supports": ["jobcoach"]})
    assert r.status_code == 403
    assert await Place.count() == 0
