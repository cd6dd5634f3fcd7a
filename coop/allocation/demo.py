"""Demo placements: about 80 over the last two years, with check-ins and wage values.

Made through the repository, so every placement passes the same checks and slot rules as
a coordinator's. Places of our own, offered since 2024 by demo members, carry them (the
work demo's places start in 2026). Idempotent: when any placement exists, nothing is made.
Participants who are ``geplaatst`` get an active placement (half of them after an earlier
one that ended); some who are ``beschikbaar`` had one that ended and returned to the pool,
so a proposal still has people to place.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.accounts.tables import User
from coop.allocation import repository
from coop.allocation.batch import PLACE_TYPES
from coop.allocation.rules import ExitReason, Status, Visibility, add_months
from coop.allocation.tables import Placement
from coop.members.tables import Organisation
from coop.participants.tables import Participant
from coop.reference import regions
from coop.work import rules as work_rules
from coop.work.tables import Place

SEED = 11
DEMO_COORDINATOR = "coordinator@demo.coop.test"
DEMO_MEMBER_ORGANISATION = "Bakkerij De Korenaar (demo)"
SINCE = date(2024, 6, 1)
PLACES = [
    ("betaalde_baan", "Medewerker productie", "Inpakken, etiketteren en orderpicken."),
    ("betaalde_baan", "Medewerker groenonderhoud", "Maaien, snoeien en bladruimen."),
    ("proefplaatsing", "Proefplaatsing magazijn", "Goederen ontvangen en wegzetten."),
    ("participatieplaats", "Gastvrouw of gastheer", "Koffie schenken en bezoekers ontvangen."),
    ("werkervaringsplaats", "Werkervaring schoonmaak", "Kantoren en kantines schoonmaken."),
    ("beschut_werk", "Beschut werk montage", "Eenvoudige montage in een vaste ploeg."),
]
NOTES = [
    "Gaat goed; meer zelfstandig aan het werk.",
    "Inwerken verloopt rustig; vaste collega helpt mee.",
    "Afspraken over pauzes gemaakt; dat werkt.",
    "Wil graag meer uren; bespreken bij de volgende mijlpaal.",
    "Even een dip na ziekte; begeleiding opgeschaald.",
]
CONTACTS = ["Marieke Jobcoach", "Henk Werkbegeleider", "Fatima Teamleider", "Jan Jobcoach"]


async def _actor() -> Principal:
    user = await User.select(User.id, User.name).where(User.email == DEMO_COORDINATOR).first()
    return Principal(
        user_id=user["id"] if user else 0,
        email=DEMO_COORDINATOR,
        name=user["name"] if user else "Cor Coördinator",
        role=Role.COORDINATOR,
        via="cli",
    )


async def _places() -> dict[str, list[dict]]:
    """Places since mid-2024 at demo members, one of each type per region, capacity 12."""
    members = (
        await Organisation.select(
            Organisation.id, Organisation.name, Organisation.municipality_code
        )
        .where(Organisation.status == "actief")
        .order_by(Organisation.id)
    )
    members = [m for m in members if m["municipality_code"]]
    own = next((m for m in members if m["name"] == DEMO_MEMBER_ORGANISATION), None)
    by_type: dict[str, list[dict]] = {}
    moment = datetime(2024, 5, 15, 9, tzinfo=UTC)
    for k, (place_type, title, tasks) in enumerate(PLACES * 2):
        member = own if k == 0 and own else (members[(k * 5) % len(members)] if members else None)
        code = (member or {}).get("municipality_code") or ("GM0106", "GM0114")[k % 2]
        found = regions.municipality(code)
        row = {
            "organisation": member["id"] if member else None,
            "source": "aanbod",
            "place_type": place_type,
            "employment_model": work_rules.default_model(work_rules.PlaceType(place_type)).value,
            "title": title,
            "tasks": tasks,
            "capacity": 12,
            "minutes_per_week": (12 + 4 * (k % 4)) * 60,
            "municipality_code": code,
            "region_code": found.region.code if found else "",
            "start_date": SINCE,
            "end_date": None,
            "guidance": "intensief",
            "job_coach": True,
            "status": "open",
            "supports": ["schriftelijke-instructies", "vaste-structuur", "vast-aanspreekpunt"],
            "created_at": moment,
            "updated_at": moment,
        }
        row["id"] = (await Place.insert(Place(**row)))[0]["id"]
        by_type.setdefault(place_type, []).append(row)
    return by_type


async def _place(
    actor: Principal,
    person: dict,
    place: dict,
    start: date,
    end: date | None,
    rng: random.Random,
    today: date,
    *,
    comes_back: bool = False,
) -> None:
    hours = min(place["minutes_per_week"] / 60, person["hours_max"] or 40)
    placement_id = await repository.create_placement(
        actor,
        {
            "participant_id": person["id"],
            "place_id": place["id"],
            "start_date": start,
            "hours_per_week": hours,
            "employment_model": place["employment_model"],
            "guidance_contact": rng.choice(CONTACTS),
            "guidance_contact_phone": f"06 {rng.randrange(10000000, 99999999)}",
        },
    )
    await repository.change_status(actor, placement_id, Status.ACTIEF, on=start)
    last = end or today
    # Check-ins about every six weeks, some shared with the member.
    day, n = start + timedelta(days=rng.choice([14, 21, 28])), 0
    while day <= last - timedelta(days=3):
        await repository.add_check_in(
            actor,
            placement_id,
            held_on=day,
            notes=NOTES[(n + person["id"]) % len(NOTES)],
            visibility=Visibility.GEDEELD if n % 2 else Visibility.COORDINATOREN,
        )
        day, n = day + timedelta(weeks=rng.choice([5, 6, 7])), n + 1
    # Wage values for paid work: after two months, then yearly, usually growing.
    if place["employment_model"] != "d":
        percent = rng.choice([35, 40, 45, 50, 55, 60])
        measured = start + timedelta(days=60)
        while measured <= last:
            await repository.add_wage_value(
                actor, placement_id, measured_on=measured, percent=percent, measured_by="Jobcoach"
            )
            percent = min(100, percent + rng.choice([0, 5, 5, 10]))
            measured = add_months(measured, 12)
    if start <= add_months(today, -6) and (end is None or end >= add_months(start, 6)):
        await repository.review_milestone(actor, placement_id, 6, on=add_months(start, 6))
    if end is not None:
        # Someone placed again later came back to the pool, so did not leave for regular work.
        reasons = [r for r in ExitReason if not (comes_back and r.regular_work)]
        reason = rng.choice(reasons)
        await repository.change_status(
            actor,
            placement_id,
            Status.BEEINDIGD,
            on=end,
            exit_reason=reason,
            returns_to_pool=not reason.regular_work,
        )
    stamp = datetime(start.year, start.month, start.day, 9, tzinfo=UTC)
    await Placement.update({Placement.created_at: stamp}).where(Placement.id == placement_id)


async def load() -> list[str]:
    if await Placement.count() > 0:
        return ["Demo placements: kept what was there (/plaatsingen, /allocatie)"]
    today = datetime.now(UTC).date()
    rng = random.Random(SEED)  # noqa: S311 -- demo data, repeatable on purpose
    actor = await _actor()
    people = await (
        Participant.select(
            Participant.id, Participant.status, Participant.hours_max, Participant.place_types
        )
        .where(Participant.status.is_in(["geplaatst", "beschikbaar"]))
        .output(load_json=True)
        .order_by(Participant.id)
    )
    if not people:
        return ["Demo placements: no participants, nothing made"]
    places = await _places()
    made = 0
    returned = 0
    for k, person in enumerate(people):
        wanted = [PLACE_TYPES.get(t, t) for t in person["place_types"] or ["betaald"]]
        kind = next((t for t in wanted if t in places), "betaalde_baan")
        place = places[kind][k % len(places[kind])]
        if person["status"] == "geplaatst":
            # The current placement starts after any earlier one ended, up to 21 months ago,
            # so that the monitor has people still at work after 6 and 12 months.
            earliest = today - timedelta(days=640)
            if k % 2 == 0:
                start = today - timedelta(days=700 - 11 * (k % 30))
                end = start + timedelta(days=rng.randrange(90, 300))
                await _place(actor, person, place, start, end, rng, today, comes_back=True)
                made += 1
                earliest = end + timedelta(days=14)
            span = max((today - timedelta(days=20) - earliest).days, 1)
            start = earliest + timedelta(days=rng.randrange(span))
            await _place(actor, person, place, start, None, rng, today)
            made += 1
        elif returned < 40 and k % 2 == 1:
            start = today - timedelta(days=rng.randrange(200, 720))
            end = min(start + timedelta(days=rng.randrange(60, 520)), today - timedelta(days=7))
            await _place(actor, person, place, start, end, rng, today)
            made += 1
            returned += 1
    return [f"Demo placements: {made} over the last two years (/plaatsingen, /allocatie)"]
