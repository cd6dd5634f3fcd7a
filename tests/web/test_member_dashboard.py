"""/bijdrage and /beheer/leden/{id}/bijdrage: a member's banenafspraak contribution of this
year and last year, on real placements made by the allocation's own functions; the
figures on the page are those of ``member_figures`` (the API and the PDF statement show
the same); who may see which member's page.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

import regulations
from coop.accounts.roles import Role
from coop.allocation import repository as allocation
from coop.allocation.rules import ExitReason, Status
from coop.banenafspraak import repository
from coop.members.tables import Organisation
from coop.web import i18n
from coop.work.tables import WorkPackage
from tests import factories

ACTOR = factories.coordinator_principal()
TODAY = datetime.now(ZoneInfo("Europe/Amsterdam")).date()


async def make_place(organisation: int, **extra: object) -> int:
    return await factories.place(organisation, **extra)


async def make_placement(
    place_id: int,
    *,
    start: dt.date,
    end: dt.date | None = None,
    hours: float = 25.5,
    model: str = "a",
    **person: object,
) -> int:
    participant = await factories.participant("beschikbaar", hours_max=40, **person)
    made = await allocation.create_placement(
        ACTOR,
        {
            "participant_id": participant,
            "place_id": place_id,
            "start_date": start,
            "hours_per_week": hours,
            "employment_model": model,
        },
    )
    await allocation.change_status(ACTOR, made, Status.ACTIEF, on=start)
    if end is not None:
        await allocation.change_status(
            ACTOR,
            made,
            Status.BEEINDIGD,
            on=end,
            exit_reason=ExitReason.ANDERS,
            returns_to_pool=False,
        )
    return made


async def code_of(placement_id: int) -> str:
    from coop.allocation.tables import Placement

    row = (
        await Placement.select(Placement.participant.code.as_alias("code"))
        .where(Placement.id == placement_id)
        .first()
    )
    return row["code"]


def shown(value) -> str:  # type: ignore[no-untyped-def]
    """A figure as the Dutch page shows it: two decimals, "1.331,00"."""
    token = i18n.current_language.set("nl")
    try:
        return i18n.format_number(value, 2)
    finally:
        i18n.current_language.reset(token)


@pytest.fixture
async def world(migrated):
    bakery = await factories.organisation("Bakkerij De Korenaar")
    # A government employer above the quota threshold: required banen in every year.
    await Organisation.update(
        {Organisation.yearly_paid_hours: 120_000, Organisation.public_employer: True}
    ).where(Organisation.id == bakery)
    garage = await factories.organisation("Garage Assen")
    place = await make_place(bakery)
    trial = await make_place(
        bakery, place_type="proefplaatsing", employment_model="d", title="Proefplaats balie"
    )
    last_year = TODAY.year - 1
    # Last year, whole year at 25.5 h: 1.00 baan, 1,331 counted hours.
    full = await make_placement(
        place, start=dt.date(last_year, 1, 1), end=dt.date(last_year, 12, 31)
    )
    # This year from 1 January at 12.75 h, still running: about half a baan pro rata.
    running = await make_placement(
        place,
        start=dt.date(TODAY.year, 1, 1),
        hours=12.75,
        first_name="Piet",
        last_name="Geheimnaam",
        email="piet@example.nl",
    )
    # An unpaid trial placement this year: listed, never counted.
    unpaid = await make_placement(
        trial,
        start=dt.date(TODAY.year, 1, 1),
        model="d",
        first_name="Kees",
        last_name="Proefnaam",
        email="kees@example.nl",
    )
    moment = datetime.now(UTC)
    await WorkPackage.insert(
        WorkPackage(
            organisation=bakery,
            title="Broodjes smeren",
            minutes_per_week=600,
            municipality_code="GM0106",
            region_code="AM01",
            start_date=dt.date(2026, 1, 1),
            status="aangeboden",
            created_at=moment,
            updated_at=moment,
        ),
        WorkPackage(
            organisation=garage,
            title="Auto's wassen bij de garage",
            minutes_per_week=600,
            municipality_code="GM0106",
            region_code="AM01",
            start_date=dt.date(2026, 1, 1),
            status="aangeboden",
            created_at=moment,
            updated_at=moment,
        ),
    )
    return {
        "bakery": bakery,
        "garage": garage,
        "codes": {
            "full": await code_of(full),
            "running": await code_of(running),
            "unpaid": await code_of(unpaid),
        },
    }


async def logged_in(client, role: Role, organisation_id: int | None = None):  # type: ignore[no-untyped-def]
    who = await factories.user(role, organisation_id=organisation_id)
    response = await factories.login(client, who)
    assert response.status_code == 303, response.text
    return who


async def expected(member_id: int, year: int):  # type: ignore[no-untyped-def]
    return await repository.member_figures(member_id, year, as_of=min(TODAY, dt.date(year, 12, 31)))


async def test_a_member_sees_its_own_figures_as_member_figures_computes_them(client, world):
    await logged_in(client, Role.MEMBER, world["bakery"])
    page = await client.get("/bijdrage")
    assert page.status_code == 200, page.text
    html = page.text
    assert "Bakkerij De Korenaar" in html
    assert "Hoeveel banen uw organisatie realiseert" in html  # the member is "u"
    for year in (TODAY.year, TODAY.year - 1):
        if year not in regulations.available_years():
            assert f"Voor {year} zijn nog geen rekenregels" in html
            continue
        figures = await expected(world["bakery"], year)
        assert figures.required_banen is not None  # above the threshold, quota applies
        section = html.split(f'id="jaar-{year}"', 1)[1].split("</section>", 1)[0]
        for value in (
            figures.banen,
            figures.paid_hours,
            figures.quota_banen,
            figures.required_banen,
        ):
            assert shown(value) in section, (year, value)
        assert "indicatief" in section
        for line in figures.placements:
            assert line.participant_code in section
            assert shown(line.counted_hours) in section
        assert f"/bijdrage/{year}/verklaring.pdf" in section
    last = await expected(world["bakery"], TODAY.year - 1)
    # The hand-computed case: a full year at 25.5 h is one baan and 1,331 hours.
    assert (str(last.banen), str(last.paid_hours)) == ("1.00", "1331.00")
    assert world["codes"]["full"] in html
    # Unpaid places are listed as not counting; names never appear, only codes.
    if TODAY.year in regulations.available_years():
        # The 0,00 of the unpaid line says why, in its row.
        row = html.split(world["codes"]["unpaid"], 1)[1].split("</tr>", 1)[0]
        assert "0,00" in row and "telt niet: onbetaald" in row
    assert "Geheimnaam" not in html and "Proefnaam" not in html
    # Its places and packages, not another member's.
    assert "Medewerker groenonderhoud" in html and "Broodjes smeren" in html
    assert "Auto&#39;s wassen" not in html and "Auto's wassen" not in html
    # The counting convention, with the year's figures.
    assert "25,5" in html and "1.331" in html


async def test_the_overview_and_the_navigation_link_a_member_to_its_dashboard(client, world):
    await logged_in(client, Role.MEMBER, world["bakery"])
    overview = await client.get("/overzicht")
    assert 'href="/bijdrage"' in overview.text


async def test_another_organisations_member_gets_404_and_its_own_id_redirects(client, world):
    await logged_in(client, Role.MEMBER, world["garage"])
    assert (await client.get(f"/beheer/leden/{world['bakery']}/bijdrage")).status_code == 404
    assert (await client.get("/beheer/leden/999999/bijdrage")).status_code == 404
    own = await client.get(f"/beheer/leden/{world['garage']}/bijdrage")
    assert own.status_code == 303 and own.headers["location"] == "/bijdrage"
    mine = await client.get("/bijdrage")
    assert mine.status_code == 200
    assert "Garage Assen" in mine.text
    assert "Bakkerij De Korenaar" not in mine.text
    assert world["codes"]["full"] not in mine.text


async def test_anonymous_goes_to_login_and_wsp_users_are_refused(client, world):
    anonymous = await client.get("/bijdrage")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login")
    anonymous = await client.get(f"/beheer/leden/{world['bakery']}/bijdrage")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    await logged_in(client, Role.WSP)
    assert (await client.get("/bijdrage")).status_code == 403
    assert (await client.get(f"/beheer/leden/{world['bakery']}/bijdrage")).status_code == 403


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
async def test_staff_see_any_member_from_its_detail_page(client, world, role):
    await logged_in(client, role)
    detail = await client.get(f"/beheer/leden/{world['bakery']}")
    assert f'href="/beheer/leden/{world["bakery"]}/bijdrage"' in detail.text
    page = await client.get(f"/beheer/leden/{world['bakery']}/bijdrage")
    assert page.status_code == 200, page.text
    last = await expected(world["bakery"], TODAY.year - 1)
    assert shown(last.banen) in page.text and world["codes"]["full"] in page.text
    assert f"/beheer/leden/{world['bakery']}/bijdrage/{TODAY.year - 1}/verklaring.pdf" in page.text
    assert "Geheimnaam" not in page.text
    # Staff have no dashboard of their own, and an unknown member is a 404.
    assert (await client.get("/bijdrage")).status_code == 403
    assert (await client.get("/beheer/leden/999999/bijdrage")).status_code == 404


async def test_staff_read_about_the_member_by_name_not_as_uw_organisatie(client, world):
    await logged_in(client, Role.COORDINATOR)
    page = await client.get(f"/beheer/leden/{world['bakery']}/bijdrage")
    assert page.status_code == 200, page.text
    html = page.text
    assert "uw organisatie" not in html and "bij u " not in html
    assert "Hoeveel banen Bakkerij De Korenaar realiseert" in html
    if set(regulations.available_years()) & {TODAY.year, TODAY.year - 1}:
        assert "van de betaalde uren van Bakkerij De Korenaar per jaar" in html
        assert "bij het lid werkte" in html
    garage = await client.get(f"/beheer/leden/{world['garage']}/bijdrage")
    assert "uw organisatie" not in garage.text
