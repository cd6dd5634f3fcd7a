"""Demo supply: about 60 work packages and 40 places over the demo members, and 8 pooled
jobs, one of them flagged because a member left and one because a package was withdrawn.
Idempotent: when any package exists, nothing is added."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from coop import db
from coop.members.tables import MembershipEvent, Organisation
from coop.reference import regions
from coop.work import repository, rules
from coop.work.tables import Place, PooledJob, PooledJobEvent, PooledJobPackage, WorkPackage

TASKS = [
    ("Brood en banket bezorgen", "Bestellingen inpakken en met de bakfiets bezorgen in de wijk."),
    ("Schoonmaken kantine", "Tafels afnemen, vaatwasser in- en uitruimen, vloer vegen."),
    ("Groenonderhoud", "Onkruid wieden, bladblazen en snoeien volgens een vast rondje."),
    ("Post en pakketten", "Post sorteren, pakketten aannemen en rondbrengen in het gebouw."),
    ("Magazijn bijvullen", "Dozen uitpakken, schappen bijvullen en lege dozen opruimen."),
    ("Auto's wassen", "Auto's van de klanten wassen en de binnenkant stofzuigen."),
    ("Koffie en lunch", "Koffie zetten, broodjes smeren en de lunchruimte klaarzetten."),
    ("Archief scannen", "Papieren dossiers scannen en de bestanden een naam geven."),
    ("Fietsen opknappen", "Banden plakken, kettingen smeren en fietsen poetsen."),
    ("Was en linnen", "Handdoeken en beddengoed wassen, vouwen en klaarleggen."),
]
SKILLS = ["Nauwkeurig werken", "Afspraken nakomen", "Fietsen kunnen", "Rustig tempo", ""]
ADJUSTMENTS = [
    "Instructies met foto's; een vaste werkplek.",
    "Een rustige ruimte om te pauzeren.",
    "",
    "Werkschoenen en handschoenen van de zaak.",
]
SUPERVISION = [
    "Een vaste collega als buddy, elke ochtend een korte start.",
    "De teamleider heeft twee keer per week een half uur tijd.",
    "Begeleiding door de bedrijfsleider.",
]
DAY_TIMES = [("08:30", "12:30"), ("13:00", "17:00"), ("09:00", "13:00"), ("08:00", "11:00")]
PLACE_TITLES = {
    "betaalde_baan": "Medewerker {what}",
    "proefplaatsing": "Proefplaats {what}",
    "participatieplaats": "Participatieplaats {what}",
    "werkervaringsplaats": "Werkervaringsplaats {what}",
    "beschut_werk": "Beschut werk {what}",
}
WHAT = ["magazijn", "groen", "keuken", "schoonmaak", "administratie", "werkplaats", "winkel"]
DEMO_MEMBER = "Bakkerij De Korenaar (demo)"

# Pooled jobs: (title, municipality, members by name fragment, withdrawn package index)
JOBS: list[tuple[str, str, list[str], int | None]] = [
    (
        "Allround medewerker Assen",
        "GM0106",
        [DEMO_MEMBER, "Zorggroep Drentse Aa", "Bibliotheek Drenthe"],
        None,
    ),
    ("Facilitair medewerker Assen", "GM0106", ["Gemeente Assen", "Zorggroep Drentse Aa"], None),
    (
        "Medewerker drukwerk en post",
        "GM0014",
        ["Drukkerij Noorderlicht", "Hotel Martinitoren", "Gemeente Groningen"],
        None,
    ),
    (
        "Schoonmaak en linnen Groningen",
        "GM0014",
        ["Hotel Martinitoren", "Fietsenmaker De Spaak"],
        0,
    ),
    (
        "Magazijn en groen Emmen",
        "GM0114",
        ["Gemeente Emmen", "Kunststoffen Emmen", "Dierenpark Logistiek Emmen"],
        None,
    ),
    (
        "Werkplaats Hoogeveen",
        "GM0118",
        ["Autobedrijf Hoogeveen", "Accountantskantoor Hoogeveen"],
        None,
    ),
    (
        "Winkel en zorgboerderij Midden-Drenthe",
        "GM1731",
        ["Kringloopwinkel Midden-Drenthe", "Zorgboerderij De Wolden"],
        None,
    ),
    ("Havens en transport", "GM1979", ["Havenbedrijf Eemsmond", "Transport Pekela"], None),
]


def _slots(day_indexes: list[int], times: int) -> list[rules.Slot]:
    result = []
    for k, day in enumerate(day_indexes):
        start, end = DAY_TIMES[(times + k) % len(DAY_TIMES)]
        parsed_start, parsed_end = rules.parse_time(start), rules.parse_time(end)
        assert parsed_start is not None and parsed_end is not None
        result.append(rules.Slot(rules.DAYS[day], parsed_start, parsed_end))
    return result


async def _insert_package(
    organisation: dict[str, Any],
    n: int,
    slots: list[rules.Slot],
    status: str,
    *,
    municipality: str | None = None,
    moment: datetime,
) -> dict[str, Any]:
    title, tasks = TASKS[n % len(TASKS)]
    code = municipality or organisation["municipality_code"] or "GM0106"
    found = regions.municipality(code)
    minutes = rules.schedule_minutes(slots) - (60 if n % 4 == 0 else 0)
    values = {
        "organisation": organisation["id"],
        "title": title,
        "tasks": tasks,
        "skills": SKILLS[n % len(SKILLS)],
        "minutes_per_week": minutes,
        "schedule": repository.encode_slots(slots),
        "address": f"{organisation['street_address'] or 'Hoofdstraat 1'}",
        "municipality_code": code,
        "region_code": found.region.code if found else "",
        "start_date": date(2026, 1 + n % 10, 1),
        "end_date": None if n % 5 else date(2027, 12, 31),
        "physical_demands": ("licht", "gemiddeld", "zwaar")[n % 3],
        "cognitive_demands": ("licht", "gemiddeld", "licht")[n % 3],
        "adjustments": ADJUSTMENTS[n % len(ADJUSTMENTS)],
        "supervision": SUPERVISION[n % len(SUPERVISION)],
        "can_employ": n % 3 == 0,
        "status": status,
        "withdrawn_at": moment if status == "ingetrokken" else None,
        "created_at": moment,
        "updated_at": moment,
    }
    package_id = (await WorkPackage.insert(WorkPackage(**values)))[0]["id"]
    return {
        **values,
        "id": package_id,
        "organisation_name": organisation["name"],
        "slots": tuple(slots),
    }


async def _job(
    title: str, packages: list[dict[str, Any]], withdrawn: int | None, moment: datetime
) -> None:
    job_id = (
        await PooledJob.insert(
            PooledJob(
                title=title,
                description="",
                status="open",
                accept_region=False,
                created_at=moment,
                updated_at=moment,
            )
        )
    )[0]["id"]
    await PooledJobEvent.insert(
        PooledJobEvent(
            pooled_job=job_id,
            at=moment,
            action="created",
            detail=title,
            actor_name="Cor Coördinator",
        )
    )
    for row in packages:
        await PooledJobPackage.insert(
            PooledJobPackage(
                pooled_job=job_id,
                package=row["id"],
                organisation=row["organisation"],
                joined_at=moment,
            )
        )
        await PooledJobEvent.insert(
            PooledJobEvent(
                pooled_job=job_id,
                at=moment,
                action="package_added",
                detail=f"{row['organisation_name']}: {row['title']}",
                organisation=row["organisation"],
                package=row["id"],
                actor_name="Cor Coördinator",
            )
        )
    fit = rules.fit([repository.as_package(r) for r in packages], min_minutes=0)
    await Place.insert(
        Place(
            organisation=None,
            source="gepoolde_baan",
            pooled_job=job_id,
            place_type="betaalde_baan",
            employment_model="c",
            title=title,
            capacity=1,
            guidance="gemiddeld",
            job_coach=True,
            status="open",
            created_at=moment,
            updated_at=moment,
            **repository.place_values(fit, packages),
        )
    )
    if withdrawn is not None:
        row = packages[withdrawn]
        later = moment + timedelta(days=40)
        await WorkPackage.update(
            {WorkPackage.status: "ingetrokken", WorkPackage.withdrawn_at: later}
        ).where(WorkPackage.id == row["id"])
        await PooledJobEvent.insert(
            PooledJobEvent(
                pooled_job=job_id,
                at=later,
                action="package_withdrawn",
                detail="Minder werk door een verbouwing.",
                organisation=row["organisation"],
                package=row["id"],
                actor_name=row["organisation_name"],
            )
        )


async def load() -> list[str]:
    if await WorkPackage.count() > 0:
        return ["Demo work: kept what was there (/werk/pakketten, /werk/plaatsen, /beheer/banen)"]
    organisations = await Organisation.select(
        Organisation.id,
        Organisation.name,
        Organisation.status,
        Organisation.municipality_code,
        Organisation.street_address,
        Organisation.end_requested_at,
    ).order_by(Organisation.id)
    by_name = {o["name"]: o for o in organisations}
    active = [
        o
        for o in organisations
        if o["status"] == "actief" and o["end_requested_at"] is None and o["municipality_code"]
    ]
    if not active:
        return ["Demo work: no active members, nothing made"]
    moment = datetime(2026, 3, 2, 10, tzinfo=UTC)
    made_packages = made_places = made_jobs = 0
    async with db.write_transaction():
        n = 0
        for title, municipality, names, withdrawn in JOBS:
            # Members that were active when the job was made (some have left since).
            members = [
                by_name[name]
                for name in names
                if name in by_name
                and by_name[name]["status"] in ("actief", *rules.LEAVING_STATUSES)
            ]
            if len(members) < 2:
                continue
            # A job with a member that left since was made a month before it left.
            left = await MembershipEvent.select(MembershipEvent.at).where(
                MembershipEvent.organisation.is_in([m["id"] for m in members])
                & MembershipEvent.to_status.is_in(sorted(rules.LEAVING_STATUSES))
            )
            when = moment + timedelta(days=made_jobs)
            if left:
                when = min(e["at"] for e in left) - timedelta(days=30)
            packages = []
            for k, member in enumerate(members):
                # Each member on days of its own, so the times never overlap.
                days = (
                    [2 * k % 5, (2 * k + 1) % 5] if len(members) == 2 else [k, k + 3][: 2 - k % 2]
                )
                packages.append(
                    await _insert_package(
                        member,
                        n,
                        _slots(days, n),
                        "in_pool",
                        municipality=municipality,
                        moment=when,
                    )
                )
                n += 1
            await _job(title, packages, withdrawn, when)
            made_jobs += 1
            made_packages += len(packages)
        statuses = ["aangeboden"] * 5 + ["concept", "vervuld", "ingetrokken"]
        while made_packages < 60:
            member = active[n % len(active)]
            days = [n % 5] if n % 2 else [n % 5, (n + 2) % 5]
            await _insert_package(
                member,
                n,
                _slots(days, n),
                statuses[n % len(statuses)],
                moment=moment + timedelta(days=n),
            )
            n += 1
            made_packages += 1
        types = list(rules.PlaceType)
        for k in range(40 - made_jobs):
            place_type = types[k % len(types)]
            member = active[(k * 3) % len(active)] if k % 8 else None
            code = member["municipality_code"] if member else ("GM0106", "GM0014")[k % 2]
            found = regions.municipality(code)
            await Place.insert(
                Place(
                    organisation=member["id"] if member else None,
                    source="aanbod",
                    place_type=place_type.value,
                    employment_model=rules.default_model(place_type).value,
                    title=PLACE_TITLES[place_type.value].format(what=WHAT[k % len(WHAT)]),
                    tasks=TASKS[k % len(TASKS)][1],
                    capacity=1 + k % 3,
                    minutes_per_week=(16 + 4 * (k % 4)) * 60,
                    municipality_code=code,
                    region_code=found.region.code if found else "",
                    start_date=date(2026, 1 + k % 12, 1),
                    end_date=None if k % 3 else date(2027, 6, 30),
                    guidance=("licht", "gemiddeld", "intensief")[k % 3],
                    job_coach=k % 2 == 0,
                    adjustments=ADJUSTMENTS[k % len(ADJUSTMENTS)],
                    supervision=SUPERVISION[k % len(SUPERVISION)],
                    physical_demands=("licht", "gemiddeld", "zwaar")[k % 3],
                    status="vervuld" if k % 7 == 6 else "open",
                    created_at=moment,
                    updated_at=moment,
                )
            )
            made_places += 1
    return [
        f"Demo work: {made_packages} work packages, {made_places + made_jobs} places, "
        f"{made_jobs} pooled jobs (/werk/pakketten, /werk/plaatsen, /beheer/banen)"
    ]
