"""The work pages as a browser without JavaScript uses them: forms with CSRF, Dutch errors
next to the field with the input kept, nothing saved half; the coordinator's combining
page with its check, schedule and shares; a member's leaving visible on the job."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from coop.accounts.roles import Role
from coop.members.tables import Organisation
from coop.work.tables import Place, PooledJob, WorkPackage
from tests import factories
from tests.api.test_work_api import make_member


@pytest.fixture
async def world(migrated):
    bakery = await make_member("Bakkerij De Korenaar", "30000001")
    garage = await make_member("Garage Assen", "30000002")
    return {
        "bakery": bakery,
        "garage": garage,
        "member": await factories.user(Role.MEMBER, organisation_id=bakery),
        "other": await factories.user(Role.MEMBER, organisation_id=garage),
        "coordinator": await factories.user(Role.COORDINATOR),
    }


async def csrf(client, path: str = "/overzicht") -> str:
    return factories.csrf_from((await client.get(path)).text)


PACKAGE_FORM = {
    "title": "Broodjes smeren",
    "tasks": "Broodjes beleggen en inpakken",
    "hours_per_week": "4",
    "municipality_code": "GM0106",
    "start_date": "2026-02-01",
    "physical_demands": "licht",
    "cognitive_demands": "gemiddeld",
    "van_wo": "09:00",
    "tot_wo": "13:00",
    "offer": "aanbieden",
}


async def test_a_package_form_with_mistakes_keeps_the_input_and_saves_nothing(client, world):
    await factories.login(client, world["member"])
    token = await csrf(client, "/werk/pakketten/nieuw")
    r = await client.post(
        "/werk/pakketten/nieuw",
        data={
            **PACKAGE_FORM,
            "_csrf": token,
            "hours_per_week": "9",
            "van_vr": "14:00",
            "tot_vr": "12:00",
            "van_ma": "10:00",
            "end_date": "2026-01-01",
        },
    )
    assert r.status_code == 400
    html = r.text
    # Each problem by its field, in Dutch; the summary links to them.
    assert 'id="fout-tot_vr"' in html and "De eindtijd moet na de begintijd liggen." in html
    assert 'id="fout-tot_ma"' in html and "Vul ook de eindtijd in." in html
    assert 'id="fout-end_date"' in html and 'id="fout-hours_per_week"' in html
    assert 'href="#veld-tot_vr"' in html
    # What was typed stays.
    assert 'value="Broodjes smeren"' in html and 'value="14:00"' in html and 'value="9"' in html
    assert await WorkPackage.count() == 0


async def test_without_the_csrf_field_nothing_is_saved(client, world):
    await factories.login(client, world["member"])
    r = await client.post("/werk/pakketten/nieuw", data=PACKAGE_FORM)
    assert r.status_code == 403
    assert await WorkPackage.count() == 0


async def test_a_member_offers_a_package_and_a_place_through_the_forms(client, world):
    await factories.login(client, world["member"])
    token = await csrf(client, "/werk/pakketten/nieuw")
    r = await client.post(
        "/werk/pakketten/nieuw", data={**PACKAGE_FORM, "_csrf": token, "hours_per_week": "3,5"}
    )
    assert r.status_code == 303, r.text[:500]
    page = await client.get(r.headers["location"])
    assert "Broodjes smeren" in page.text and "3,5" in page.text and "Aangeboden" in page.text
    row = await WorkPackage.select().first()
    assert row["organisation"] == world["bakery"] and row["minutes_per_week"] == 210

    token = await csrf(client, "/werk/plaatsen/nieuw")
    place = {
        "_csrf": token,
        "place_type": "proefplaatsing",
        "title": "Proefplaats",
        "tasks": "Deeg kneden",
        "capacity": "0",
        "hours_per_week": "20",
        "municipality_code": "GM0106",
        "start_date": "1-3-2026",
        "guidance": "gemiddeld",
        "physical_demands": "licht",
        "organisation_id": str(world["garage"]),
    }
    r = await client.post("/werk/plaatsen/nieuw", data=place)
    assert r.status_code == 400 and 'id="fout-capacity"' in r.text and 'value="1-3-2026"' in r.text
    r = await client.post("/werk/plaatsen/nieuw", data={**place, "capacity": "2"})
    assert r.status_code == 303
    # A member's place is its own, whatever organisation the form sent.
    assert (await Place.select(Place.organisation).first())["organisation"] == world["bakery"]
    pool = await client.get("/werk/plaatsen")
    assert "Proefplaats" in pool.text and "De pool in cijfers" in pool.text


async def test_the_coordinator_checks_and_combines_and_sees_a_leaving_member(client, world):
    ids = []
    for who, day in (("member", "ma"), ("member", "di"), ("other", "wo")):
        await factories.login(client, world[who])
        token = await csrf(client, "/werk/pakketten/nieuw")
        r = await client.post(
            "/werk/pakketten/nieuw",
            data={
                **{k: v for k, v in PACKAGE_FORM.items() if not k.startswith(("van_", "tot_"))},
                f"van_{day}": "08:00",
                f"tot_{day}": "12:00",
                "_csrf": token,
            },
        )
        assert r.status_code == 303
        ids.append(int(r.headers["location"].rsplit("/", 1)[-1]))
        client.cookies.clear()
    await factories.login(client, world["coordinator"])
    page = await client.get(f"/beheer/banen/nieuw?pakket={ids[0]}")
    assert page.status_code == 200
    # The bakery's own second package is not suggested: a pooled job joins members.
    assert f'value="{ids[2]}"' in page.text and f'id="pakket-{ids[1]}"' not in page.text
    token = factories.csrf_from(page.text)
    r = await client.post(
        "/beheer/banen/nieuw",
        data={
            "_csrf": token,
            "base": str(ids[0]),
            "package_ids": [str(ids[2])],
            "action": "controleren",
        },
    )
    assert r.status_code == 200
    assert "Samen is het 8 uur per week; een baan vraagt ten minste 12 uur." in r.text
    # Combining anyway is refused by the packages, and the title stays.
    r = await client.post(
        "/beheer/banen/nieuw",
        data={
            "_csrf": token,
            "base": str(ids[0]),
            "package_ids": [str(ids[2])],
            "action": "combineren",
            "title": "Te klein",
        },
    )
    assert r.status_code == 400 and 'value="Te klein"' in r.text
    assert await PooledJob.count() == 0
    # With the bakery's other package added through the API of the pages: three packages.
    from coop.accounts.principal import Principal
    from coop.work import repository

    staff = Principal(user_id=world["coordinator"].id, email="c@x", name="C", role=Role.COORDINATOR)
    await WorkPackage.update({WorkPackage.minutes_per_week: 240}).where(WorkPackage.id.is_in(ids))
    job_id = await repository.create_pooled_job(
        staff, title="Allround", description="", package_ids=ids, accept_region=False
    )
    page = await client.get(f"/beheer/banen/{job_id}")
    assert "Weekrooster" in page.text and "66,7%" in page.text and "33,3%" in page.text
    # The garage gives notice: the job shows what to re-pool and by when.
    await Organisation.update({Organisation.end_requested_at: datetime.now(UTC)}).where(
        Organisation.id == world["garage"]
    )
    page = await client.get(f"/beheer/banen/{job_id}")
    assert "Opnieuw combineren nodig" in page.text and "Garage Assen" in page.text
    assert "Lid heeft opgezegd" in page.text  # in the job's history
    listing = await client.get("/beheer/banen")
    assert "Garage Assen vertrekt uit de coöperatie." in listing.text


async def test_a_member_that_gave_notice_is_told_above_the_form(client, world):
    await Organisation.update({Organisation.end_requested_at: datetime.now(UTC)}).where(
        Organisation.id == world["bakery"]
    )
    await factories.login(client, world["member"])
    token = await csrf(client, "/werk/pakketten/nieuw")
    r = await client.post("/werk/pakketten/nieuw", data={**PACKAGE_FORM, "_csrf": token})
    assert r.status_code == 400
    assert "geen actief lid van de coöperatie" in r.text
    assert 'href="#veld-organisation_id"' not in r.text  # no field the member cannot see
    assert await WorkPackage.count() == 0


async def test_the_pool_says_when_it_lists_one_period_only_and_keeps_it(client, world):
    # The monitor links here with a period; the list must say so, keep it when filtering
    # further, and offer the way back to every place.
    await factories.login(client, world["coordinator"])
    r = await client.get("/werk/plaatsen?van=2026-01-01&tot=2026-06-30&soort=proefplaatsing")
    assert r.status_code == 200
    assert "Alleen plaatsen die openstonden tussen 1 januari 2026 en 30 juni 2026." in r.text
    assert '<input type="hidden" name="van" value="2026-01-01">' in r.text
    assert '<input type="hidden" name="tot" value="2026-06-30">' in r.text
    back = re.search(r'<a href="([^"]+)">Ook de plaatsen van andere periodes tonen</a>', r.text)
    assert back is not None
    assert "van=" not in back.group(1) and "soort=proefplaatsing" in back.group(1)
    plain = await client.get("/werk/plaatsen")
    assert "Alleen plaatsen die openstonden" not in plain.text
    assert 'name="van"' not in plain.text
