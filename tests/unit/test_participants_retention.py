"""Retention: ``run_retention`` (what ``coop retention run`` calls) anonymises participants
who left longer ago than the period, keeps what the monitor counts, is audited and
idempotent."""

from __future__ import annotations

from datetime import date

from coop.audit.tables import AuditEvent
from coop.participants import repository
from coop.participants.tables import Consent, Participant, ParticipantEvent
from tests import factories

TODAY = date(2026, 11, 23)


async def left_on(day: date, **values) -> int:
    participant_id = await factories.participant("beschikbaar", **values)
    await repository.change_status(
        factories.coordinator_principal(), participant_id, "uitgestroomd", on=day
    )
    return participant_id


async def counts() -> dict:
    """What a monitor would count: participants by status and region, and register facts."""
    rows = await Participant.select(
        Participant.id, Participant.status, Participant.municipality_code
    )
    facts = await repository.register_facts([r["id"] for r in rows])
    return {
        "by_status": sorted((r["status"], r["municipality_code"]) for r in rows),
        "register": {
            i: (
                f.register_in,
                f.register_start,
                f.register_end,
                f.register_provision,
                f.region_code,
            )
            for i, f in facts.items()
        },
    }


async def test_retention_anonymises_only_who_is_due_and_keeps_the_counts(migrated):
    actor = factories.coordinator_principal()
    org = await factories.organisation()
    due = await left_on(date(2024, 10, 1), first_name="Oud", last_name="Vertrokken")
    await repository.add_consent(actor, due, "identiteit", organisation_id=org)
    exactly = await left_on(date(2024, 11, 23), first_name="Precies", last_name="Twee")
    recent = await left_on(date(2025, 1, 10), first_name="Recent", last_name="Vertrokken")
    staying = await factories.participant("beschikbaar", first_name="Blijft", last_name="Hier")
    before = await counts()

    result = await repository.run_retention(on=TODAY)
    assert result.cutoff == date(2024, 11, 23)
    assert sorted(result.anonymised) == sorted([due, exactly])

    rows = {r["id"]: r for r in await Participant.select().output(load_json=True)}
    for erased in (due, exactly):
        row = rows[erased]
        assert row["anonymised_at"] is not None
        assert (row["first_name"], row["last_name"], row["email"], row["phone"]) == (
            "",
            "",
            None,
            None,
        )
        assert row["date_of_birth"] is None and row["support_needs"] == []
        assert row["support_notes"] == "" and row["notes"] == "" and row["register_ground"] is None
        assert row["search_key"] == row["code"].casefold()
    for kept in (recent, staying):
        assert rows[kept]["anonymised_at"] is None and rows[kept]["first_name"] != ""
    # The monitor's counts survive: statuses, regions and register periods unchanged.
    assert await counts() == before
    # The identity consent ended with the identity it shared.
    consent = await Consent.select().where(Consent.participant == due).first()
    assert consent["withdrawn_at"] is not None
    # History and audit say what happened, not what was erased.
    history = await ParticipantEvent.select().where(
        (ParticipantEvent.participant == due) & (ParticipantEvent.kind == "geanonimiseerd")
    )
    assert len(history) == 1
    events = await AuditEvent.select().where(AuditEvent.action == "participant_anonymised")
    assert sorted(int(e["object_id"]) for e in events) == sorted([due, exactly])
    assert all(e["actor_id"] is None and e["actor_email"] for e in events)
    for e in await AuditEvent.select():
        flat = " ".join(str(v) for v in e.values())
        assert "Vertrokken" not in flat and "Precies" not in flat

    # Idempotent: a second run finds nothing more to do and writes nothing.
    audit_count = await AuditEvent.count()
    again = await repository.run_retention(on=TODAY)
    assert again.anonymised == []
    assert await AuditEvent.count() == audit_count


async def test_the_period_is_configurable_and_batches_cover_everyone(migrated):
    ids = [await left_on(date(2026, 1, 1), first_name=f"P{i}") for i in range(5)]
    assert (await repository.run_retention(on=TODAY)).anonymised == []
    result = await repository.run_retention(on=TODAY, months=6, batch=2)
    assert sorted(result.anonymised) == ids
    assert await Participant.count().where(Participant.anonymised_at.is_null()) == 0


async def test_someone_who_comes_back_is_not_erased(migrated):
    actor = factories.coordinator_principal()
    back = await left_on(date(2020, 1, 1))
    await repository.change_status(actor, back, "beschikbaar")
    assert (await repository.run_retention(on=TODAY)).anonymised == []
    row = await Participant.select(Participant.left_on, Participant.first_name).first()
    assert row["left_on"] is None and row["first_name"] == "Sanne"


async def test_match_profiles_give_allocation_its_hard_constraints(migrated):
    actor = factories.coordinator_principal()
    waiting = await factories.participant(
        "beschikbaar",
        municipality_code="GM0114",
        place_types=["proefplaatsing"],
        days=["ma", "vr"],
        hours_min=0,
        hours_max=16,
        available_from="2026-12-01",
    )
    await factories.participant("aangemeld")
    profiles = await repository.match_profiles(actor)
    assert [p.participant_id for p in profiles] == [waiting]
    p = profiles[0]
    assert (p.region_code, p.travel_range, p.guidance) == ("AM03", "eigen-gemeente", "intensief")
    assert p.days == ["ma", "vr"] and p.hours_max == 16 and p.place_types == ["proefplaatsing"]
    assert p.available_from == date(2026, 12, 1)
    assert p.support_needs == ["schriftelijke-instructies", "niet-zwaar-tillen"]
    assert await repository.match_profiles(actor, region="AM01") == []
    event = await AuditEvent.select().where(AuditEvent.action == "participant_match_read").first()
    assert event["detail"] == "1 participants"


async def test_register_facts_read_any_number_of_people_in_chunks(migrated, monkeypatch):
    # Both engines cap the bound parameters of one statement; a yearly count over every
    # member names thousands of people, so the read goes in chunks and loses nobody.
    monkeypatch.setattr(repository, "REGISTER_CHUNK", 2)
    ids = [await factories.participant("beschikbaar") for _ in range(5)]
    before = await AuditEvent.count().where(AuditEvent.action == "participant_register_read")
    facts = await repository.register_facts([*ids, 10**12])
    assert sorted(facts) == sorted(ids)
    after = await AuditEvent.count().where(AuditEvent.action == "participant_register_read")
    assert after == before + 1  # one audit event for the whole read
