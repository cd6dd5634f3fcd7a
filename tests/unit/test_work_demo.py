"""The supply side's demo data: 60 packages, 40 places and 8 pooled jobs over the demo
members, valid by the same rules the service applies, three jobs flagged; loaded once."""

from __future__ import annotations

from coop.accounts import demo as accounts
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.members import demo as members
from coop.work import demo, repository, rules
from coop.work.tables import Place, PooledJob, PooledJobPackage, WorkPackage

STAFF = Principal(user_id=0, email="staff@coop.test", name="Staf", role=Role.COORDINATOR)


async def test_demo_work_is_plausible_and_loaded_once(migrated):
    await accounts.load()
    await members.load()
    first = await demo.load()
    assert first == [
        "Demo work: 60 work packages, 40 places, 8 pooled jobs "
        "(/werk/pakketten, /werk/plaatsen, /beheer/banen)"
    ]
    counts = (await WorkPackage.count(), await Place.count(), await PooledJob.count())
    assert counts == (60, 40, 8)
    assert "kept" in (await demo.load())[0]
    assert counts == (await WorkPackage.count(), await Place.count(), await PooledJob.count())

    jobs, total = await repository.list_pooled_jobs(STAFF, limit=50)
    assert total == 8
    flagged = {j["title"]: {f.reason for f in j["flags"]} for j in jobs if j["flags"]}
    assert flagged == {
        "Allround medewerker Assen": {"lid_vertrekt"},
        "Medewerker drukwerk en post": {"lid_vertrekt"},
        "Schoonmaak en linnen Groningen": {"ingetrokken"},
    }
    for job in jobs:
        detail = await repository.pooled_job(STAFF, job["id"])
        # Every job made of two or more members with no overlapping times, and a place
        # of capacity 1 that the cooperative offers.
        assert len({p["organisation"] for p in detail["packages"]}) >= 2
        assert not any("overlappen" in p for p in detail["fit"].problems)
        assert detail["place"] is not None
    places = await Place.select().where(Place.source == "gepoolde_baan")
    assert len(places) == 8 and all(
        p["capacity"] == 1 and p["organisation"] is None for p in places
    )
    # Every stored schedule holds the package's hours.
    for row in await WorkPackage.select():
        slots = repository.decode_slots(row["schedule"])
        assert rules.check_hours(row["minutes_per_week"], slots) == []
    assert await PooledJobPackage.count() >= 16
    types = {p["place_type"] for p in await Place.select(Place.place_type)}
    assert types == {t.value for t in rules.PlaceType}
