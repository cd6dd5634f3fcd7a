"""/plaatsingen/nieuw: a coordinator places one participant by hand (agreed by phone) and
lands on the new placement; every wrong field gets its Dutch message with the input kept,
a hard constraint of the matching names its reason, a place filled meanwhile gets a clear
message with nothing written; only coordinators get the page, and never without CSRF."""

from __future__ import annotations

import re
from datetime import date

import pytest

from coop.accounts.roles import Role
from coop.allocation import repository
from coop.allocation.tables import Placement, PlacementEvent, PlacementMember
from coop.audit.tables import AuditEvent
from tests import factories
from tests.api.test_allocation_placements_api import make_place
from tests.factories import csrf_from, login

SUPPORTS = ["schriftelijke-instructies", "niet-zwaar-tillen"]
START = "2026-12-01"


@pytest.fixture
async def world(migrated):
    factory = await factories.organisation("Metaal Assen")
    place = await make_place(factory, supports=SUPPORTS, title="Productiemedewerker")
    far = await make_place(
        factory,
        supports=SUPPORTS,
        title="Magazijnmedewerker Amsterdam",
        municipality_code="GM0363",
        region_code="AM18",
    )
    bram = await factories.participant(
        "beschikbaar", first_name="Bram", place_types=["betaald"], travel_range="eigen-regio"
    )
    cor = await factories.participant(
        "beschikbaar", first_name="Cor", place_types=["beschut"], travel_range="eigen-regio"
    )
    return {
        "factory": factory,
        "place": place,
        "far": far,
        "bram": bram,
        "cor": cor,
        "coordinator": await factories.user(Role.COORDINATOR),
    }


def form(world, **changes: str) -> dict[str, str]:
    values = {
        "participant_id": str(world["bram"]),
        "place_id": str(world["place"]),
        "start_date": START,
        "hours_per_week": "20",
        "employment_model": "",
        "planned_end": "",
        "guidance": "",
        "job_coach": "intern",
        "job_coach_name": "Jet Coach",
        "guidance_contact": "Piet de Vries",
        "guidance_contact_phone": "0592 123456",
        "action": "opslaan",
    }
    return {**values, **changes}


async def post(client, data: dict[str, str]):
    page = await client.get("/plaatsingen/nieuw")
    assert page.status_code == 200, page.text
    return await client.post("/plaatsingen/nieuw", data={**data, "_csrf": csrf_from(page.text)})


def field_error(html: str, field: str) -> str:
    """The message shown beside ``field`` (empty when there is none)."""
    found = re.search(rf'id="fout-{field}">.*?</span>(.*?)</span>', html, re.S)
    return found.group(1).strip() if found else ""


async def test_a_coordinator_places_by_hand_and_lands_on_the_placement(client, world):
    await login(client, world["coordinator"])
    listed = await client.get("/plaatsingen")
    assert 'href="/plaatsingen/nieuw"' in listed.text and "Nieuwe plaatsing" in listed.text
    # From the place's page and the participant's page, each preselected.
    place_page = await client.get(f"/werk/plaatsen/{world['place']}")
    assert f'href="/plaatsingen/nieuw?plaats={world["place"]}"' in place_page.text
    person_page = await client.get(f"/beheer/deelnemers/{world['bram']}")
    assert f'href="/plaatsingen/nieuw?deelnemer={world["bram"]}"' in person_page.text

    page = await client.get(f"/plaatsingen/nieuw?plaats={world['place']}&deelnemer={world['bram']}")
    assert page.status_code == 200
    assert f'<option value="{world["place"]}" selected>' in page.text
    assert f'<option value="{world["bram"]}" selected>' in page.text
    assert "Bram Testdeelnemer (" in page.text  # a coordinator sees name and code
    assert "Cor Testdeelnemer" in page.text
    # The place's defaults: its hours and model; the explanation is there before saving.
    assert 'value="20"' in page.text
    assert '<option value="a" selected>' in page.text
    assert "Score " in page.text and "in de eigen gemeente" in page.text

    checked = await client.post(
        "/plaatsingen/nieuw",
        data={**form(world, action="controleren"), "_csrf": csrf_from(page.text)},
    )
    assert checked.status_code == 200
    assert "Alle harde eisen zijn in orde." in checked.text
    assert await Placement.count() == 0  # checking saves nothing

    made = await client.post(
        "/plaatsingen/nieuw", data={**form(world), "_csrf": csrf_from(page.text)}
    )
    assert made.status_code == 303, made.text
    [row] = await Placement.select()
    assert made.headers["location"] == f"/plaatsingen/{row['id']}"
    assert (row["participant"], row["place"], row["status"]) == (
        world["bram"],
        world["place"],
        "gepland",
    )
    assert row["slot"] == 0 and row["holder"] == world["bram"] and row["paid"]
    assert row["employment_model"] == "a"  # from the place, the field was left empty
    assert row["minutes_per_week"] == 20 * 60 and row["start_date"] == date(2026, 12, 1)
    assert (row["job_coach"], row["job_coach_name"]) == ("intern", "Jet Coach")
    assert row["guidance"] == "intensief"  # the place's
    assert row["guidance_contact_phone"] == "0592 123456"
    assert row["created_by"] == world["coordinator"].id
    [member] = await PlacementMember.select()
    assert member["organisation"] == world["factory"]
    assert await PlacementEvent.count() == 1
    audited = await AuditEvent.select().where(AuditEvent.action == "placement_created")
    assert [a["object_id"] for a in audited] == [str(row["id"])]

    detail = await client.get(made.headers["location"])
    assert detail.status_code == 200
    assert "De plaatsing is aangemaakt." in detail.text and "Bram Testdeelnemer" in detail.text
    # Bram holds a placement now: he no longer waits in the list.
    again = await client.get("/plaatsingen/nieuw")
    assert "Bram Testdeelnemer" not in again.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"participant_id": ""}, "participant_id", "Kies een deelnemer."),
        ({"place_id": ""}, "place_id", "Kies een plaats."),
        ({"start_date": "31-02-2026"}, "start_date", "Vul een datum in, bijvoorbeeld 2026-03-01."),
        ({"hours_per_week": "0"}, "hours_per_week", "meer dan 0, hoogstens 60"),
        ({"hours_per_week": "80"}, "hours_per_week", "meer dan 0, hoogstens 60"),
        ({"hours_per_week": "twintig"}, "hours_per_week", "meer dan 0, hoogstens 60"),
        ({"planned_end": "2026-11-01"}, "planned_end", "De einddatum ligt voor de begindatum."),
        ({"start_date": "2025-06-01"}, "start_date", "buiten de periode van de plaats"),
        ({"employment_model": "d"}, "employment_model", "past niet bij de plaats"),
        ({"employment_model": "z"}, "employment_model", "Kies een vorm van dienstverband."),
        ({"participant_id": "999999"}, "participant_id", "Deze deelnemer bestaat niet."),
        ({"place_id": "abc"}, "place_id", "Kies een plaats."),
        ({"guidance_contact_phone": "1" * 31}, "guidance_contact_phone", "hoogstens 30 tekens"),
    ],
)
async def test_each_wrong_field_gets_its_message_and_the_input_stays(
    client, world, changes, field, message
):
    await login(client, world["coordinator"])
    r = await post(client, form(world, **changes))
    assert r.status_code == 400, r.text
    assert message in field_error(r.text, field), field_error(r.text, field)
    assert f'href="#veld-{field}"' in r.text  # in the summary, linked to the field
    for name in ("job_coach_name", "guidance_contact"):
        assert f'value="{form(world)[name]}"' in r.text
    typed = changes.get("start_date", START)
    assert f'value="{typed}"' in r.text
    if "hours_per_week" in changes:
        assert f'value="{changes["hours_per_week"]}"' in r.text
    assert await Placement.count() == 0


async def test_a_hard_constraint_that_fails_names_its_reason(client, world):
    await login(client, world["coordinator"])
    # Cor only wants sheltered work: the factory's paid job does not fit.
    r = await post(client, form(world, participant_id=str(world["cor"])))
    assert r.status_code == 400
    assert "soort plaats past niet bij de deelnemer" in field_error(r.text, "place_id")
    assert "Deze deelnemer en deze plaats voldoen niet aan alle harde eisen" in r.text
    # Bram travels within his region; Amsterdam is outside it.
    r = await post(client, form(world, place_id=str(world["far"])))
    assert r.status_code == 400
    assert "buiten het reisbereik van de deelnemer" in field_error(r.text, "place_id")
    # More hours than Bram is available (24).
    r = await post(client, form(world, hours_per_week="30"))
    assert r.status_code == 400
    assert "meer uren dan de deelnemer beschikbaar is" in field_error(r.text, "hours_per_week")
    assert 'value="30"' in r.text
    assert await Placement.count() == 0


async def test_a_place_filled_meanwhile_gets_a_clear_message_and_nothing_is_written(client, world):
    await login(client, world["coordinator"])
    page = await client.get("/plaatsingen/nieuw")
    # Another coordinator takes the only slot after this one opened the form.
    other = await factories.participant(
        "beschikbaar", first_name="Dirk", place_types=["betaald"], travel_range="eigen-regio"
    )
    await repository.create_placement(
        factories.coordinator_principal(world["coordinator"].id),
        {
            "participant_id": other,
            "place_id": world["place"],
            "start_date": date(2026, 12, 1),
            "hours_per_week": 20,
            "employment_model": "a",
        },
    )
    r = await client.post("/plaatsingen/nieuw", data={**form(world), "_csrf": csrf_from(page.text)})
    assert r.status_code == 409
    assert "Deze plaats is vol" in r.text
    assert "Deze plaats is vol" in field_error(r.text, "place_id")
    # Nothing typed is lost, nothing written for Bram.
    assert f'<option value="{world["place"]}" selected>' in r.text
    assert f'<option value="{world["bram"]}" selected>' in r.text
    assert 'value="Piet de Vries"' in r.text and 'value="Jet Coach"' in r.text
    assert await Placement.count() == 1
    assert await Placement.count().where(Placement.participant == world["bram"]) == 0


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ADMIN, Role.WSP])
async def test_only_coordinators_get_the_page(client, world, role):
    who = await factories.user(
        role, organisation_id=world["factory"] if role == Role.MEMBER else None
    )
    await login(client, who)
    assert (await client.get("/plaatsingen/nieuw")).status_code == 403
    home = await client.get("/")
    r = await client.post("/plaatsingen/nieuw", data={**form(world), "_csrf": csrf_from(home.text)})
    assert r.status_code == 403
    assert await Placement.count() == 0
    # The links are not offered to them either.
    if role != Role.WSP:
        listed = await client.get("/plaatsingen")
        assert "/plaatsingen/nieuw" not in listed.text


async def test_without_the_csrf_field_nothing_is_saved(client, world):
    await login(client, world["coordinator"])
    await client.get("/plaatsingen/nieuw")
    r = await client.post("/plaatsingen/nieuw", data=form(world))
    assert r.status_code == 403
    assert await Placement.count() == 0


async def test_not_logged_in_goes_to_the_login(client, world):
    r = await client.get("/plaatsingen/nieuw")
    assert r.status_code in (302, 303, 401)
    assert await Placement.count() == 0


async def test_links_with_odd_or_stale_choices_still_give_the_form(client, world):
    await login(client, world["coordinator"])
    for query in ("plaats=abc&deelnemer=-1", "plaats=999999&deelnemer=999999", "plaats=0"):
        r = await client.get(f"/plaatsingen/nieuw?{query}")
        assert r.status_code == 200, query
    # A participant who no longer waits is kept in the list, with the reason beside it.
    placed = await factories.participant("geplaatst", first_name="Eva")
    r = await client.get(f"/plaatsingen/nieuw?deelnemer={placed}")
    assert f'<option value="{placed}" selected>' in r.text
    assert "Deze deelnemer wacht niet op een plaats" in r.text
    # English: the same page in the chosen language, the form posting back in it.
    r = await client.get("/plaatsingen/nieuw?lang=en")
    assert r.status_code == 200 and 'action="/plaatsingen/nieuw?lang=en"' in r.text


async def test_a_participant_placed_meanwhile_gets_a_clear_message(client, world):
    await login(client, world["coordinator"])
    page = await client.get("/plaatsingen/nieuw")
    # Another coordinator places Bram on another paid job of the factory first.
    other = await make_place(world["factory"], supports=SUPPORTS, title="Inpakker")
    await repository.create_placement(
        factories.coordinator_principal(world["coordinator"].id),
        {
            "participant_id": world["bram"],
            "place_id": other,
            "start_date": date(2026, 12, 1),
            "hours_per_week": 20,
            "employment_model": "a",
        },
    )
    r = await client.post("/plaatsingen/nieuw", data={**form(world), "_csrf": csrf_from(page.text)})
    assert r.status_code == 409
    assert "al een geplande of actieve betaalde plaatsing" in field_error(r.text, "participant_id")
    assert await Placement.count().where(Placement.place == world["place"]) == 0


async def test_a_place_that_is_not_open_is_neither_offered_nor_accepted(client, world):
    """A vervuld place with free slots (filled outside the slots) is no choice: not in the
    list, a stale link says so by the field, and neither checking nor saving accepts it."""
    filled = await make_place(
        world["factory"],
        supports=SUPPORTS,
        capacity=3,
        status="vervuld",
        title="Medewerker winkel",
    )
    closed = await make_place(world["factory"], supports=SUPPORTS, status="gesloten")
    await login(client, world["coordinator"])
    page = await client.get("/plaatsingen/nieuw")
    for place in (filled, closed):
        assert f'<option value="{place}"' not in page.text
    assert f'<option value="{world["place"]}"' in page.text

    stale = await client.get(f"/plaatsingen/nieuw?plaats={filled}&deelnemer={world['bram']}")
    assert stale.status_code == 200
    assert "De plaats “Medewerker winkel” is vervuld." in field_error(stale.text, "place_id")
    assert f'<option value="{filled}"' not in stale.text
    assert "Alle harde eisen zijn in orde." not in stale.text and "3 vrij" not in stale.text

    for action in ("controleren", "opslaan"):
        r = await post(client, form(world, place_id=str(filled), action=action))
        assert r.status_code == 400, action
        assert "is vervuld" in field_error(r.text, "place_id")
        assert "Alle harde eisen zijn in orde." not in r.text
        assert 'value="Piet de Vries"' in r.text  # what was typed stays
    r = await post(client, form(world, place_id=str(closed)))
    assert r.status_code == 400 and "is gesloten" in field_error(r.text, "place_id")
    assert await Placement.count() == 0


async def test_a_start_before_the_participant_is_available_is_refused(client, world):
    """The batch only scores the available-from date; a start typed by hand must hold."""
    later = await factories.participant(
        "beschikbaar",
        first_name="Lotte",
        place_types=["betaald"],
        travel_range="eigen-regio",
        available_from="2027-02-21",
    )
    await login(client, world["coordinator"])
    for action in ("controleren", "opslaan"):
        r = await post(
            client, form(world, participant_id=str(later), start_date="2026-11-01", action=action)
        )
        assert r.status_code == 400, action
        assert (
            field_error(r.text, "start_date")
            == "Lotte Testdeelnemer is pas beschikbaar vanaf 21-02-2027."
        )
        assert 'href="#veld-start_date"' in r.text
        assert 'value="2026-11-01"' in r.text
        # The explanation does not call it all right, and writes dates the Dutch way.
        assert "Alle harde eisen zijn in orde." not in r.text
        assert "kan pas later beginnen (21-02-2027)" in r.text
        assert "2027-02-21" not in r.text.split('id="past-titel"')[1]
    assert await Placement.count() == 0
    # From the day itself it is fine.
    made = await post(client, form(world, participant_id=str(later), start_date="2027-02-21"))
    assert made.status_code == 303, made.text
    [row] = await Placement.select()
    assert row["start_date"] == date(2027, 2, 21)


async def test_the_first_submit_button_checks_and_saves_nothing(client, world):
    """Enter in a field presses the form's first submit button: that one only checks, and
    a post naming no button saves nothing either."""
    await login(client, world["coordinator"])
    page = await client.get("/plaatsingen/nieuw")
    form_html = page.text.split('class="form manual-placement"')[1]
    buttons = re.findall(r'<button[^>]*type="submit"[^>]*value="(\w+)"', form_html)
    assert buttons == ["controleren", "opslaan"]
    data = form(world)
    del data["action"]
    r = await client.post("/plaatsingen/nieuw", data={**data, "_csrf": csrf_from(page.text)})
    assert r.status_code == 200 and "Alle harde eisen zijn in orde." in r.text
    assert await Placement.count() == 0


async def test_the_error_summary_comes_first_in_the_main_content(client, world):
    """The skip link leads to <main>; the summary opens it and links each field, in the
    order of the form."""
    await login(client, world["coordinator"])
    r = await post(client, form(world, participant_id="", hours_per_week="80", start_date="x"))
    assert r.status_code == 400
    main = r.text.split('<main id="inhoud"')[1].split(">", 1)[1]
    assert main.lstrip().startswith('<div class="error-summary"')
    summary = main.split("</div>", 1)[0]
    assert re.findall(r'href="#veld-(\w+)"', summary) == [
        "participant_id",
        "start_date",
        "hours_per_week",
    ]
    assert "<title>Fout: " in r.text
