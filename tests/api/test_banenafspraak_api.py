"""GET /api/v1/members/{id}/banenafspraak and GET /api/v1/banenafspraak: the count of
domain.md ("Counting", "The quota") on real placements, each figure computed by hand in
a comment; who may read it; bad years as problems; and a fixed number of queries.

Placements are made by the allocation's own functions (create, start, end, cancel), so
their members (placement_member) are what the service writes. Most cases lie in 2025, a
finished year (365 days), so the figures do not depend on the day the tests run.

Convention: banen = weekly hours / 25.5 × days in the year / 365; counted hours = banen
× 1331; shown with two decimals, summed unrounded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

import regulations
from coop import db
from coop.accounts.roles import Role
from coop.allocation import repository as allocation
from coop.allocation.rules import ExitReason, Status
from coop.banenafspraak import repository
from coop.members.tables import Organisation
from coop.work.tables import PooledJob, PooledJobPackage, WorkPackage
from tests import factories
from tests.api.test_organisations import bearer

ACTOR = factories.coordinator_principal()


async def place(organisation: int | None, **extra: object) -> int:
    return await factories.place(organisation, **extra)


async def pooled_place(shares: dict[int, float]) -> int:
    """A pooled job's place (the cooperative's, organisation NULL) over packages of the
    given members with the given weekly hours each."""
    moment = datetime.now(UTC)
    job = (
        await PooledJob.insert(
            PooledJob(title="Gecombineerde baan", created_at=moment, updated_at=moment)
        )
    )[0]["id"]
    for organisation, hours in shares.items():
        package = (
            await WorkPackage.insert(
                WorkPackage(
                    organisation=organisation,
                    title="Pakket",
                    minutes_per_week=round(hours * 60),
                    municipality_code="GM0106",
                    region_code="AM01",
                    start_date=date(2024, 1, 1),
                    status="gepubliceerd",
                    created_at=moment,
                    updated_at=moment,
                )
            )
        )[0]["id"]
        await PooledJobPackage.insert(
            PooledJobPackage(
                pooled_job=job, package=package, organisation=organisation, joined_at=moment
            )
        )
    return await place(
        None, source="gepoolde_baan", pooled_job=job, employment_model="c", capacity=1
    )


async def person(**register: object) -> int:
    return await factories.participant("beschikbaar", hours_max=40, **register)


async def placement(
    place_id: int,
    participant_id: int,
    *,
    start: date,
    end: date | None = None,
    hours: float = 25.5,
    model: str = "a",
    status: Status = Status.ACTIEF,
) -> int:
    made = await allocation.create_placement(
        ACTOR,
        {
            "participant_id": participant_id,
            "place_id": place_id,
            "start_date": start,
            "hours_per_week": hours,
            "employment_model": model,
        },
    )
    if status == Status.GEANNULEERD:
        await allocation.change_status(ACTOR, made, Status.GEANNULEERD, on=start)
    if status in (Status.ACTIEF, Status.BEEINDIGD):
        await allocation.change_status(ACTOR, made, Status.ACTIEF, on=start)
    if status == Status.BEEINDIGD:
        assert end is not None
        await allocation.change_status(
            ACTOR,
            made,
            Status.BEEINDIGD,
            on=end,
            exit_reason=ExitReason.ANDERS,
            returns_to_pool=False,
        )
    return made


async def full_2025(place_id: int, participant_id: int, **kw: object) -> int:
    return await placement(
        place_id,
        participant_id,
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
        status=Status.BEEINDIGD,
        **kw,  # type: ignore[arg-type]
    )


async def coordinator() -> dict[str, str]:
    return await bearer(await factories.user(Role.COORDINATOR))


async def figures(client, member_id: int, query: str = "year=2025", headers=None) -> dict:
    r = await client.get(
        f"/api/v1/members/{member_id}/banenafspraak?{query}",
        headers=headers or await coordinator(),
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def problem(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    if field is not None:
        assert [e["field"] for e in body["errors"]] == [field], body
    return body


# --- the hand-computed cases ---------------------------------------------------------------


async def test_a_full_year_at_25_5_hours_is_one_baan_and_1331_hours(client, migrated):
    member = await factories.organisation("Bakkerij De Korenaar")
    made = await full_2025(await place(member), await person())
    body = await figures(client, member)
    # 25.5 / 25.5 × 365 / 365 = 1 baan; 1 × 1331 = 1331 hours.
    assert body == {
        "year": 2025,
        "member_id": member,
        "as_of": "2025-12-31",
        "paid_hours": 1331.0,
        "banen": 1.0,
        "quota_banen": 1.0,
        # 2025's quota was for government employers only, and no yearly hours are known.
        "required_banen": None,
        "difference": None,
        "placements": [
            {
                "placement_id": made,
                "participant_code": body["placements"][0]["participant_code"],
                "place_title": "Medewerker groenonderhoud",
                "employment_model": "a",
                "weekly_hours": 25.5,
                "start": "2025-01-01",
                "end": "2025-12-31",
                "paid": True,
                "banen": 1.0,
                "quota_banen": 1.0,
                "counted_hours": 1331.0,
            }
        ],
    }
    assert body["placements"][0]["participant_code"]


async def test_a_half_year(client, migrated):
    member = await factories.organisation()
    await placement(
        await place(member),
        await person(),
        start=date(2025, 1, 1),
        end=date(2025, 7, 1),
        status=Status.BEEINDIGD,
    )
    body = await figures(client, member)
    # 1 January to 1 July 2025 is 31+28+31+30+31+30+1 = 182 days: 25.5/25.5 × 182/365 =
    # 0.49863 → 0.50 banen; × 1331 = 663.676… → 663.68 hours.
    assert (body["banen"], body["paid_hours"]) == (0.5, 663.68)
    assert body["placements"][0]["end"] == "2025-07-01"


async def test_a_pooled_job_counts_at_each_member_for_its_share(client, migrated):
    one, two, three = [await factories.organisation(f"Lid {n}") for n in (1, 2, 3)]
    pooled = await pooled_place({one: 10, two: 8, three: 7.5})
    made = await full_2025(pooled, await person(), model="c")
    headers = await coordinator()
    got = {m: await figures(client, m, headers=headers) for m in (one, two, three)}
    # 10/25.5 = 0.39216 → 0.39 banen, × 1331 = 521.96 hours;
    # 8/25.5 = 0.31373 → 0.31, 417.57 hours; 7.5/25.5 = 0.29412 → 0.29, 391.47 hours.
    assert [(got[m]["banen"], got[m]["paid_hours"]) for m in (one, two, three)] == [
        (0.39, 521.96),
        (0.31, 417.57),
        (0.29, 391.47),
    ]
    assert [got[m]["placements"][0]["weekly_hours"] for m in (one, two, three)] == [10, 8, 7.5]
    assert all(got[m]["placements"][0]["placement_id"] == made for m in (one, two, three))
    # The cooperative employs and seconds it all: nothing of it is its own count, and
    # the three shares make exactly one baan (10 + 8 + 7.5 = 25.5 hours).
    own = await repository.cooperative_figures(2025)
    assert own.banen == 0 and own.placements == []
    counted = await repository.counts(2025)
    assert sum(counted[m].banen for m in (one, two, three)) == 1


async def test_a_register_period_ending_mid_year(client, migrated):
    member = await factories.organisation()
    await full_2025(await place(member), await person(register_end="2025-06-30"))
    body = await figures(client, member)
    # In the register 1 January to 30 June 2025: 31+28+31+30+31+30 = 181 days;
    # 181/365 = 0.49589 → 0.50 banen; × 1331 = 660.03 hours. The placement itself ran
    # the whole year.
    assert (body["banen"], body["paid_hours"]) == (0.5, 660.03)
    assert body["placements"][0]["end"] == "2025-12-31"


async def test_someone_not_in_the_register_counts_nothing(client, migrated):
    member = await factories.organisation()
    participant = await person(register_in=False, register_ground=None, register_start=None)
    await full_2025(await place(member), participant)
    body = await figures(client, member)
    assert (body["banen"], body["paid_hours"], len(body["placements"])) == (0.0, 0.0, 1)


async def test_a_trial_placement_is_unpaid_and_counts_nothing(client, migrated):
    member = await factories.organisation()
    trial = await place(member, place_type="proefplaatsing", employment_model="d")
    await placement(
        trial,
        await person(),
        start=date(2025, 3, 1),
        end=date(2025, 4, 30),
        hours=20,
        model="d",
        status=Status.BEEINDIGD,
    )
    body = await figures(client, member)
    # Unpaid: 0 banen, 0 hours, though it ran for two months at 20 hours a week.
    assert (body["banen"], body["quota_banen"], body["paid_hours"]) == (0.0, 0.0, 0.0)
    [line] = body["placements"]
    assert line["paid"] is False and line["employment_model"] == "d"
    assert (line["banen"], line["counted_hours"]) == (0.0, 0.0)


async def test_a_secondment_counts_at_the_hirer_not_at_the_cooperative(client, migrated):
    hirer = await factories.organisation("Inlener")
    await full_2025(await place(hirer), await person(), hours=12.75, model="b")
    # The cooperative's own employee, not seconded: its own place, no member.
    own_place = await place(None, title="Eigen werkplaats")
    await full_2025(own_place, await person(email="b@example.nl"), model="b")
    body = await figures(client, hirer)
    # 12.75/25.5 × 365/365 = 0.50 banen at the hirer; × 1331 = 665.50 hours.
    assert (body["banen"], body["paid_hours"]) == (0.5, 665.5)
    own = await repository.cooperative_figures(2025)
    # Only the own employee: 25.5/25.5 = 1.00 baan; the secondment is not in it.
    assert (own.member_id, own.banen, own.paid_hours) == (None, 1, 1331)
    assert [line.place_title for line in own.placements] == ["Eigen werkplaats"]


async def test_a_provision_counts_for_the_quota_not_for_the_agreement(client, migrated):
    member = await factories.organisation()
    await full_2025(await place(member), await person(register_provision=True))
    body = await figures(client, member)
    # Minimum wage only with a provision: 1.00 baan for the quota, 0 for the agreement.
    assert (body["banen"], body["quota_banen"], body["paid_hours"]) == (0.0, 1.0, 0.0)


async def test_as_of_cuts_a_running_placement(client, migrated):
    member = await factories.organisation()
    await Organisation.update({Organisation.yearly_paid_hours: 133100}).where(
        Organisation.id == member
    )
    await placement(await place(member), await person(), start=date(2026, 1, 1))
    body = await figures(client, member, "year=2026&as_of=2026-03-31")
    # 1 January to 31 March 2026 = 31+28+31 = 90 days: 90/365 = 0.24658 → 0.25 banen;
    # × 1331 = 328.19 hours. Required (2026, all employers): 2.58% × 133,100 / 1331 =
    # 2.58 banen; difference 0.24658 − 2.58 = −2.33342 → −2.33.
    assert body["as_of"] == "2026-03-31"
    assert (body["banen"], body["paid_hours"]) == (0.25, 328.19)
    assert (body["required_banen"], body["difference"]) == (2.58, -2.33)
    assert body["placements"][0]["end"] == "2026-03-31"
    # Without as_of: up to today, or 31 December once 2026 is over; never the future.
    body = await figures(client, member, "year=2026")
    last = min(date.today(), date(2026, 12, 31))
    days = (last - date(2026, 1, 1)).days + 1
    assert body["as_of"] == last.isoformat()
    assert body["banen"] == round(days / 365, 2)
    # A day in the future counts no further than today.
    body = await figures(client, member, "year=2026&as_of=2099-01-01")
    assert body["as_of"] == last.isoformat()


async def test_below_the_threshold_there_is_no_quota(client, migrated):
    member = await factories.organisation()
    await Organisation.update({Organisation.yearly_paid_hours: 40000}).where(
        Organisation.id == member
    )
    await placement(await place(member), await person(), start=date(2026, 1, 1))
    body = await figures(client, member, "year=2026&as_of=2026-03-31")
    # 40,000 paid hours is below the 40,575 threshold.
    assert (body["required_banen"], body["difference"]) == (None, None)


async def test_the_2025_quota_was_for_government_employers_only(client, migrated):
    member = await factories.organisation("Gemeente")
    await Organisation.update(
        {Organisation.yearly_paid_hours: 133100, Organisation.public_employer: True}
    ).where(Organisation.id == member)
    await full_2025(await place(member), await person())
    body = await figures(client, member)
    # 2.76% × 133,100 / 1331 = 2.76 required; 1.00 − 2.76 = −1.76.
    assert (body["required_banen"], body["difference"]) == (2.76, -1.76)


async def test_planned_and_cancelled_placements_do_not_count(client, migrated):
    member = await factories.organisation()
    where = await place(member)
    await placement(where, await person(), start=date(2025, 1, 1), status=Status.GEPLAND)
    await placement(
        where, await person(email="c@example.nl"), start=date(2025, 1, 1), status=Status.GEANNULEERD
    )
    body = await figures(client, member)
    assert (body["banen"], body["placements"]) == (0.0, [])


# --- the overview --------------------------------------------------------------------------


async def test_the_overview_lists_every_member_and_the_cooperative_first(client, migrated):
    first = await factories.organisation("Aannemer")
    second = await factories.organisation("Zorggroep")
    await full_2025(await place(second), await person())
    await full_2025(await place(first), await person(email="d@example.nl"), hours=12.75)
    await full_2025(await place(None), await person(email="e@example.nl"), model="b")
    r = await client.get("/api/v1/banenafspraak?year=2025", headers=await coordinator())
    assert r.status_code == 200, r.text
    body = r.json()
    assert [(i["member_id"], i["name"], i["banen"]) for i in body["items"]] == [
        (None, "Coöperatie (eigen dienst)", 1.0),
        (first, "Aannemer", 0.5),
        (second, "Zorggroep", 1.0),
    ]
    assert [i["placement_count"] for i in body["items"]] == [1, 1, 1]
    assert all("placements" not in i for i in body["items"])
    # 1 + 0.5 + 1 = 2.5 banen; × 1331 = 3327.5 hours.
    assert (body["banen"], body["paid_hours"], body["total"]) == (2.5, 3327.5, 3)
    page = (
        await client.get(
            "/api/v1/banenafspraak?year=2025&limit=1&offset=1", headers=await coordinator()
        )
    ).json()
    # Up to 30 June 2025 (181 days): 1 + 0.5 + 1 → 2.5 × 181/365 = 1.23973 → 1.24 banen.
    halfway = (
        await client.get(
            "/api/v1/banenafspraak?year=2025&as_of=2025-06-30", headers=await coordinator()
        )
    ).json()
    assert (halfway["as_of"], halfway["banen"]) == ("2025-06-30", 1.24)
    assert [i["member_id"] for i in page["items"]] == [first]
    assert (page["total"], page["limit"], page["offset"]) == (3, 1, 1)


async def test_the_overview_by_region(client, migrated):
    groningen = await factories.organisation("In Groningen")
    elsewhere = await factories.organisation("Elders")
    await Organisation.update({Organisation.municipality_code: "GM0014"}).where(
        Organisation.id == groningen
    )
    await Organisation.update({Organisation.municipality_code: "GM0363"}).where(
        Organisation.id == elsewhere
    )
    await full_2025(await place(groningen), await person())
    await full_2025(await place(elsewhere), await person(email="f@example.nl"))
    region = repository._region_of("GM0014")
    assert region is not None and region != repository._region_of("GM0363")
    r = await client.get(
        f"/api/v1/banenafspraak?year=2025&region={region}", headers=await coordinator()
    )
    assert [i["member_id"] for i in r.json()["items"]] == [None, groningen]


# --- who may read it -----------------------------------------------------------------------


async def test_who_may_read_which_count(client, migrated):
    own = await factories.organisation("Eigen")
    other = await factories.organisation("Ander")
    member_user = await bearer(await factories.user(Role.MEMBER, organisation_id=own))
    wsp_user = await bearer(await factories.user(Role.WSP))
    admin = await bearer(await factories.user(Role.ADMIN))
    path = "/api/v1/members/{}/banenafspraak?year=2025"
    assert (await client.get(path.format(own), headers=member_user)).status_code == 200
    problem(await client.get(path.format(other), headers=member_user), 404)
    problem(await client.get(path.format(own), headers=wsp_user), 404)
    problem(await client.get(path.format(own)), 401)
    for staff in (await coordinator(), admin):
        assert (await client.get(path.format(other), headers=staff)).status_code == 200
    problem(await client.get(path.format(999999), headers=admin), 404)
    problem(await client.get(path.format(2**40), headers=admin), 404)
    # The overview is the cooperative's staff's.
    problem(await client.get("/api/v1/banenafspraak", headers=member_user), 403)
    problem(await client.get("/api/v1/banenafspraak", headers=wsp_user), 403)
    problem(await client.get("/api/v1/banenafspraak"), 401)
    assert (await client.get("/api/v1/banenafspraak", headers=admin)).status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=abc", "year"),
        ("year=2024", "year"),  # no rule table
        ("year=12345", "year"),
        ("year=-1", "year"),
        ("year=2025.5", "year"),
        ("year=%00", "year"),
        ("as_of=gisteren", "as_of"),
        ("as_of=2026-02-30", "as_of"),
        ("as_of=20260230", "as_of"),
    ],
)
async def test_a_bad_year_or_day_is_a_problem_never_a_500(client, migrated, query, field):
    member = await factories.organisation()
    headers = await coordinator()
    body = problem(
        await client.get(f"/api/v1/members/{member}/banenafspraak?{query}", headers=headers),
        422,
        field,
    )
    assert body["errors"][0]["detail"]
    problem(await client.get(f"/api/v1/banenafspraak?{query}", headers=headers), 422, field)


async def test_a_bad_region_is_a_problem(client, migrated):
    r = await client.get("/api/v1/banenafspraak?region=XX99", headers=await coordinator())
    # The same check as the members list's region filter: a 422 naming the parameter.
    problem(r, 422, "region")
    # Well-formed but unknown: listing nobody would look like an answer.
    r = await client.get("/api/v1/banenafspraak?region=AM99", headers=await coordinator())
    body = problem(r, 422, "region")
    assert (
        "AM99" in body["errors"][0]["detail"] and "arbeidsmarktregio" in body["errors"][0]["detail"]
    )
    r = await client.get(
        "/api/v1/banenafspraak?region=AM99",
        headers={**await coordinator(), "accept-language": "en"},
    )
    assert body["errors"][0]["detail"] != problem(r, 422, "region")["errors"][0]["detail"]


async def test_a_day_before_the_year_is_a_problem(client, migrated):
    member = await factories.organisation()
    headers = await coordinator()
    query = "year=2026&as_of=2025-06-30"
    for path in ("/api/v1/banenafspraak", f"/api/v1/members/{member}/banenafspraak"):
        body = problem(await client.get(f"{path}?{query}", headers=headers), 422, "as_of")
        assert "2025-06-30" in body["errors"][0]["detail"]
    # The last day of the year before is still before it; the first day of the year is not.
    problem(
        await client.get("/api/v1/banenafspraak?year=2026&as_of=2025-12-31", headers=headers),
        422,
        "as_of",
    )
    ok = await client.get("/api/v1/banenafspraak?year=2026&as_of=2026-01-01", headers=headers)
    assert ok.status_code == 200, ok.text


async def test_every_active_member_is_listed_with_zeros(client, migrated):
    working = await factories.organisation("Bouwbedrijf")
    idle = await factories.organisation("Accountants")
    gone = await factories.organisation("Opgeheven")
    await Organisation.update({Organisation.status: "beeindigd"}).where(Organisation.id == gone)
    await full_2025(await place(working), await person())
    headers = await coordinator()
    body = (await client.get("/api/v1/banenafspraak?year=2025", headers=headers)).json()
    rows = {i["member_id"]: i for i in body["items"]}
    assert gone not in rows
    assert [i["member_id"] for i in body["items"]][:1] == [None]
    assert (rows[idle]["banen"], rows[idle]["paid_hours"], rows[idle]["placement_count"]) == (
        0.0,
        0.0,
        0,
    )
    assert rows[working]["banen"] == 1.0
    assert body["total"] == len(rows) and body["banen"] == 1.0
    # An ended member that had work in the year is still listed.
    await full_2025(await place(gone), await person(email="g@example.nl"))
    body = (await client.get("/api/v1/banenafspraak?year=2025", headers=headers)).json()
    assert {i["member_id"]: i["banen"] for i in body["items"]}[gone] == 1.0


async def test_the_cooperatives_row_is_labelled_in_the_callers_language(client, migrated):
    headers = {**await coordinator(), "accept-language": "en"}
    body = (await client.get("/api/v1/banenafspraak?year=2025", headers=headers)).json()
    assert body["items"][0]["member_id"] is None
    assert body["items"][0]["name"] not in ("", "Coöperatie (eigen dienst)")


async def test_without_a_year_it_is_the_current_one(client, migrated):
    member = await factories.organisation()
    r = await client.get(f"/api/v1/members/{member}/banenafspraak", headers=await coordinator())
    if date.today().year in regulations.available_years():
        assert r.json()["year"] == date.today().year
    else:  # no rule table for the current year yet: a problem, never a guess
        problem(r, 422, "year")


async def test_the_api_is_in_the_openapi_document(client, migrated):
    schema = (await client.get("/schema/openapi.json")).json()
    assert "/api/v1/members/{member_id}/banenafspraak" in schema["paths"]
    assert "/api/v1/banenafspraak" in schema["paths"]
    # Every figure says what it means; paid_hours is the counted hours, not the payroll.
    components = schema["components"]["schemas"]
    for name in ("BanenafspraakFigures", "BanenafspraakTotal"):
        properties = components[name]["properties"]
        assert all(p.get("description") for p in properties.values()), name
        assert "Counted hours" in properties["paid_hours"]["description"]
        assert "yearly paid hours" in properties["paid_hours"]["description"]
    assert components["BanenafspraakTotal"]["properties"]["placement_count"]["type"] == "integer"
    assert components["BanenafspraakFigures"]["properties"]["placements"]["type"] == "array"


# --- a fixed number of queries -------------------------------------------------------------


async def test_the_count_runs_a_fixed_number_of_queries(client, migrated, monkeypatch):
    members = [await factories.organisation(f"Lid {n}") for n in range(4)]
    places = [await place(m) for m in members]
    pooled = await pooled_place({members[0]: 10, members[1]: 15.5})
    engine = db.engine()
    original = type(engine).run_querystring
    seen: list[str] = []

    async def counting(self, querystring, *args, **kwargs):
        seen.append(str(querystring))
        return await original(self, querystring, *args, **kwargs)

    async def measured() -> list[int]:
        sizes = []
        monkeypatch.setattr(type(engine), "run_querystring", counting)
        for call in (
            lambda: repository.work_of_year(2025),
            lambda: repository.counts(2025),
            lambda: repository.member_figures(members[0], 2025),
            lambda: repository.cooperative_figures(2025),
            lambda: repository.totals(2025),
        ):
            seen.clear()
            await call()
            sizes.append(len(seen))
        monkeypatch.setattr(type(engine), "run_querystring", original)
        return sizes

    await full_2025(pooled, await person(email="p0@example.nl"), model="c")
    await full_2025(places[0], await person(email="q0@example.nl"))
    few = await measured()
    for n in range(12):
        await full_2025(places[n % 4], await person(email=f"r{n}@example.nl"), hours=10)
    many = await measured()
    assert few == many, (few, many)
    counted = await repository.counts(2025)
    # 10/25.5 × 12 placements + 1 full + the pooled job's 25.5 hours over two members.
    assert sum(c.banen for c in counted.values()).quantize(1) == 7
    # Placements, their members, the register facts (read and its audit event), and for a
    # member's figures its organisation, for the overview the members' names.
    assert max(many) <= 6, many
