"""The member registry's demo data: about 30 members in two regions, idempotent."""

from __future__ import annotations

from coop.accounts import demo as accounts
from coop.members import demo
from coop.members.tables import Application, Contact, Contribution, MembershipEvent, Organisation
from coop.reference import regions


async def test_demo_members_are_plausible_and_loaded_once(migrated):
    await accounts.load()
    first = await demo.load()
    assert "30 made" in first[0]
    counts = (
        await Organisation.count(),
        await Contact.count(),
        await MembershipEvent.count(),
        await Contribution.count(),
        await Application.count(),
    )
    second = await demo.load()
    assert "0 made, 30 kept" in second[0]
    assert counts == (
        await Organisation.count(),
        await Contact.count(),
        await MembershipEvent.count(),
        await Contribution.count(),
        await Application.count(),
    )
    rows = await Organisation.select().where(Organisation.kvk_number.is_not_null())
    assert len(rows) == 31  # 30 and the demo member's own organisation
    assert {regions.municipality(r["municipality_code"]).region.code for r in rows} == {
        "AM01",
        "AM03",
    }
    assert {r["status"] for r in rows} >= {"actief", "goedgekeurd", "geschorst", "beeindigd"}
    assert counts[4] == 2


async def test_the_demo_members_own_organisation_has_history_contact_and_contribution(migrated):
    await accounts.load()
    await demo.load()
    await demo.load()  # once only
    own = await Organisation.select().where(Organisation.kvk_number == "99000000").first()
    assert own["name"] == accounts.DEMO_ORGANISATION and own["municipality_code"] == "GM0106"
    history = await MembershipEvent.select().where(MembershipEvent.organisation == own["id"])
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        ("aangemeld", "goedgekeurd"),
        ("goedgekeurd", "actief"),
    ]
    contacts = await Contact.select().where(Contact.organisation == own["id"])
    assert [(c["email"], c["is_primary"]) for c in contacts] == [("lid@demo.coop.test", True)]
    assert await Contribution.count().where(Contribution.organisation == own["id"]) == 1
