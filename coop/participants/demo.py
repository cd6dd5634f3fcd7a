"""Demo participants: about 40 fictitious people in the regions Groningen and Drenthe, with
availability, needs (functional, never diagnoses), register data, consents and history.
Every name is made up and every address ends in ``.test``. Idempotent: a participant is
recognised by its fixed demo code; nothing is added twice.

The demo member (Bakkerij De Korenaar) gets an identity consent for two participants, so
its user sees names there and anonymous profiles elsewhere.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.accounts.tables import User
from coop.members.tables import Organisation
from coop.participants import repository, rules
from coop.participants.tables import Consent, Participant, ParticipantEvent

COUNT = 150
SEED = 2026
DEMO_COORDINATOR = "coordinator@demo.coop.test"
DEMO_ORGANISATION = "Bakkerij De Korenaar (demo)"

FIRST_NAMES = [
    "Anouk",
    "Bas",
    "Chantal",
    "Daan",
    "Esther",
    "Freek",
    "Gijs",
    "Hanneke",
    "Ilona",
    "Jeroen",
    "Kim",
    "Lars",
    "Maaike",
    "Niels",
    "Olga",
    "Pieter",
    "Quinten",
    "Rianne",
    "Sem",
    "Tamara",
    "Uriël",
    "Vera",
    "Wouter",
    "Yasmin",
    "Zeynep",
    "Ahmet",
    "Bram",
    "Celine",
    "Dewi",
    "Emre",
    "Fatima",
    "Gert",
    "Hilde",
    "Ivo",
    "Joyce",
    "Kevin",
    "Lieke",
    "Mohamed",
    "Nadia",
    "Orlando",
]
LAST_NAMES = [
    "Bosma",
    "Dijkstra",
    "Huizinga",
    "Jansma",
    "Kuipers",
    "Meijering",
    "Nijboer",
    "Oosting",
    "Pruim",
    "Reinders",
    "Schuiling",
    "Tuinstra",
    "Venema",
    "Wieringa",
    "Zwiers",
    "Brouwer",
    "Hofstede",
    "Lubbers",
    "Mensinga",
    "Zuidema",
]
MUNICIPALITIES = [
    ("GM0014", "Groningen"),
    ("GM0014", "Groningen"),
    ("GM0014", "Groningen"),
    ("GM0106", "Assen"),
    ("GM0106", "Assen"),
    ("GM1952", "Hoogezand"),
    ("GM0037", "Stadskanaal"),
    ("GM1895", "Winschoten"),
    ("GM0047", "Veendam"),
    ("GM1979", "Delfzijl"),
    ("GM1969", "Leek"),
    ("GM0114", "Emmen"),
    ("GM0114", "Emmen"),
    ("GM0118", "Hoogeveen"),
    ("GM0109", "Coevorden"),
    ("GM1731", "Beilen"),
    ("GM1681", "Borger"),
    ("GM1690", "Zuidwolde"),
]
REFERRERS = [
    ("gemeente", "Gemeente {city}"),
    ("gemeente", "Gemeente {city}"),
    ("uwv", "UWV Noord"),
    ("school", "Praktijkschool {city}"),
    ("school", "Vso De Twinkeling"),
]
NOTES = [
    "Werkt het best met een vaste collega in de buurt.",
    "Wil graag buiten werken; liefst met de handen.",
    "Heeft een vaste dagindeling nodig en een duidelijk begin en einde van de dag.",
    "Reist met de fiets; openbaar vervoer is lastig vroeg in de ochtend.",
    "",
    "",
]
# status, share of the demo people (the rest are available)
STATUSES = ["aangemeld"] * 6 + ["beschikbaar"] * 22 + ["geplaatst"] * 8 + ["uitgestroomd"] * 4


def demo_code(n: int, region_code: str) -> str:
    rng = random.Random(SEED * 1000 + n)  # noqa: S311 -- demo data, repeatable on purpose
    return rules.new_code(region_code, choose=rng.choice)


def person(n: int, today: date) -> dict:
    rng = random.Random(SEED + n)  # noqa: S311 -- demo data, repeatable on purpose
    first = FIRST_NAMES[n % len(FIRST_NAMES)]
    # Shifted by three names per round of first names, so that no two demo people of the
    # first 800 share a full name (a repeated name reads like a double booking).
    last = LAST_NAMES[(n * 7 + (n // len(FIRST_NAMES)) * 3) % len(LAST_NAMES)]
    code, city = MUNICIPALITIES[n % len(MUNICIPALITIES)]
    referrer, referrer_name = REFERRERS[n % len(REFERRERS)]
    in_register = n % 5 != 4
    ground = ["participatiewet", "vso-pro", "wajong", "praktijkroute", "wsw", "participatiewet"][
        n % 6
    ]
    hours_max = rng.choice([12, 16, 20, 24, 24, 28, 32, 36])
    days = sorted(
        rng.sample(["ma", "di", "wo", "do", "vr"], k=min(5, max(2, hours_max // 7))),
        key=["ma", "di", "wo", "do", "vr"].index,
    )
    needs = rng.sample(list(rules.SUPPORT_NEEDS), k=rng.choice([0, 1, 2, 2, 3]))
    born = date(1966 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28))
    return {
        "first_name": first,
        "last_name": last,
        "email": f"{first.lower().replace('ë', 'e')}.{last.lower()}@deelnemer.demo.coop.test",
        "phone": f"06 {10000000 + n * 7919 % 90000000}",
        "street_address": f"{['Dorpsstraat', 'Kerklaan', 'Esweg', 'Wijk'][n % 4]} {n + 2}",
        "postcode": f"{9400 + n * 13 % 600} {'ABCDEFGHJK'[n % 10]}{'LMNPRTVWXZ'[(n * 3) % 10]}",
        "city": city,
        "date_of_birth": born,
        "municipality_code": code,
        "referrer": referrer,
        "referrer_name": referrer_name.format(city=city),
        "register_in": in_register,
        "register_ground": ground if in_register else None,
        "register_start": date(2022 + n % 4, 1 + n % 12, 1) if in_register else None,
        "register_end": None,
        "register_provision": in_register and n % 9 == 0,
        "register_verified_on": date(2025, 1 + n % 12, 10) if in_register and n % 3 else None,
        "benefit": ["bijstand", "bijstand", "wajong", "geen", "ww", "wsw"][n % 6],
        "education_level": ["pro", "vso", "vmbo", "mbo-1", "mbo-2", "geen", "mbo-3-4"][n % 7],
        "certificates": ["", "VCA", "Heftruckcertificaat", "", "Diploma entree"][n % 5],
        "sectors": sorted(rng.sample(["a", "c", "g", "h", "i", "n", "q"], k=rng.choice([1, 2]))),
        "task_kinds": sorted(
            rng.sample(list(rules.TASK_KINDS), k=rng.choice([1, 2, 3])),
            key=list(rules.TASK_KINDS).index,
        ),
        "hours_min": 0 if n % 3 == 0 else hours_max // 2,
        "hours_max": hours_max,
        "days": days,
        "available_from": today + timedelta(days=rng.choice([-60, -14, 0, 14, 30, 75])),
        "travel_range": ["eigen-gemeente", "eigen-regio", "eigen-regio", "verder"][n % 4],
        "guidance": ["licht", "gemiddeld", "gemiddeld", "intensief"][n % 4],
        "place_types": [
            [],
            ["betaald"],
            ["betaald", "proefplaatsing"],
            ["participatieplaats", "werkervaringsplaats"],
            ["beschut"],
        ][n % 5],
        "support_needs": [s for s in rules.SUPPORT_NEEDS if s in needs],
        "support_notes": NOTES[n % len(NOTES)],
        "notes": "",
    }


async def _actor() -> Principal:
    user = await User.select(User.id, User.name).where(User.email == DEMO_COORDINATOR).first()
    return Principal(
        user_id=user["id"] if user else 0,
        email=DEMO_COORDINATOR,
        name=user["name"] if user else "Cor Coördinator",
        role=Role.COORDINATOR,
        via="cli",
    )


async def load() -> list[str]:
    today = datetime.now(UTC).date()
    actor = await _actor()
    organisation = (
        await Organisation.select(Organisation.id)
        .where(Organisation.name == DEMO_ORGANISATION)
        .first()
    )
    made = 0
    for n in range(COUNT):
        values = person(n, today)
        region = (
            "AM03"
            if values["municipality_code"]
            in ("GM0114", "GM0118", "GM0109", "GM1731", "GM1681", "GM1690")
            else "AM01"
        )
        code = demo_code(n, region)
        if await Participant.exists().where(Participant.code == code):
            continue
        participant_id = await repository.create(actor, values)
        joined = datetime.now(UTC) - timedelta(days=40 + n * 17)
        await Participant.update({Participant.code: code, Participant.created_at: joined}).where(
            Participant.id == participant_id
        )
        await ParticipantEvent.update({ParticipantEvent.at: joined}).where(
            ParticipantEvent.participant == participant_id
        )
        status = STATUSES[n % len(STATUSES)]
        steps = {
            "aangemeld": [],
            "beschikbaar": ["beschikbaar"],
            "geplaatst": ["beschikbaar", "geplaatst"],
            "uitgestroomd": ["beschikbaar", "uitgestroomd"],
        }[status]
        for step in steps:
            left = today - timedelta(days=30 + n * 11) if step == "uitgestroomd" else None
            await repository.change_status(
                actor,
                participant_id,
                step,
                "Intake afgerond." if step == "beschikbaar" else "",
                on=left,
            )
        if status in ("beschikbaar", "geplaatst") and n % 6 != 5:
            await repository.add_consent(actor, participant_id, "profiel")
        if organisation and status == "beschikbaar" and n in (1, 7):
            await repository.add_consent(
                actor, participant_id, "identiteit", organisation_id=organisation["id"]
            )
        made += 1
    shared = await Consent.count().where(
        (Consent.kind == "profiel") & Consent.withdrawn_at.is_null()
    )
    return [
        f"Demo participants: {made} made, {COUNT - made} kept; {shared} share an anonymous "
        "profile (coordinator: /beheer/deelnemers; member: /kandidaten)"
    ]
