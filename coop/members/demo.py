"""Demo members: about 30 plausible employers in the regions Groningen and Drenthe, with
contacts, membership history and contributions, and two applications waiting for review.
Idempotent: an organisation is recognised by its (made-up) KvK number; nothing is added
twice. The demo member's organisation (coop.accounts.demo) gets its details filled in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import msgspec

from coop import db
from coop.members import applications, repository
from coop.members.rules import Status
from coop.members.tables import Application, Contact, Contribution, MembershipEvent, Organisation

# name, municipality, sector, employees, public employer, city
ORGANISATIONS: list[tuple[str, str, str, int, bool, str]] = [
    ("Bouwbedrijf Hunzedal", "GM1680", "f", 64, False, "Gieten"),
    ("Zorggroep Drentse Aa", "GM0106", "q", 420, False, "Assen"),
    ("Gemeente Assen", "GM0106", "o", 780, True, "Assen"),
    ("Havenbedrijf Eemsmond", "GM1979", "h", 130, False, "Delfzijl"),
    ("Drukkerij Noorderlicht", "GM0014", "c", 38, False, "Groningen"),
    ("Fietsenmaker De Spaak", "GM0014", "g", 7, False, "Groningen"),
    ("Hotel Martinitoren", "GM0014", "i", 55, False, "Groningen"),
    ("Schoonmaakbedrijf Glans", "GM0014", "n", 210, False, "Groningen"),
    ("Gemeente Groningen", "GM0014", "o", 3400, True, "Groningen"),
    ("Kwekerij Het Hogeland", "GM1966", "a", 22, False, "Winsum"),
    ("Metaalwerk Hoogezand", "GM1952", "c", 95, False, "Hoogezand"),
    ("Bakkerij Oldambt", "GM1895", "c", 18, False, "Winschoten"),
    ("Transport Pekela", "GM0765", "h", 44, False, "Oude Pekela"),
    ("Supermarkt Kanaalzicht", "GM0037", "g", 72, False, "Stadskanaal"),
    ("ICT Hulp Tynaarlo", "GM1730", "j", 12, False, "Zuidlaren"),
    ("Woningcorporatie Veenkoloniën", "GM0047", "l", 160, False, "Veendam"),
    ("Recreatiepark Westerkwartier", "GM1969", "r", 48, False, "Leek"),
    ("Boerderijwinkel Westerwolde", "GM1950", "a", 9, False, "Ter Apel"),
    ("Camping Hunzedal", "GM1681", "i", 26, False, "Borger"),
    ("Installatiebedrijf Coevorden", "GM0109", "f", 88, False, "Coevorden"),
    ("Zorgboerderij De Wolden", "GM1690", "q", 31, False, "Ruinen"),
    ("Gemeente Emmen", "GM0114", "o", 1250, True, "Emmen"),
    ("Dierenpark Logistiek Emmen", "GM0114", "r", 140, False, "Emmen"),
    ("Kunststoffen Emmen", "GM0114", "c", 310, False, "Emmen"),
    ("Autobedrijf Hoogeveen", "GM0118", "g", 27, False, "Hoogeveen"),
    ("Accountantskantoor Hoogeveen", "GM0118", "m", 19, False, "Hoogeveen"),
    ("Kringloopwinkel Midden-Drenthe", "GM1731", "g", 15, False, "Beilen"),
    ("Hoveniersbedrijf Groen", "GM1731", "n", 23, False, "Westerbork"),
    ("Catering Drentse Smaak", "GM0106", "i", 34, False, "Assen"),
    ("Bibliotheek Drenthe", "GM0106", "r", 120, False, "Assen"),
]

FIRST_NAMES = ["Anja", "Bert", "Carmen", "Dirk", "Esra", "Frank", "Gerda", "Hamid", "Ilse", "Jan"]
LAST_NAMES = ["Bakker", "de Vries", "Mulder", "Postma", "Hoekstra", "Smit", "Visser", "Kramer"]
STREETS = ["Hoofdstraat", "Stationsweg", "Industrieweg", "Markt"]
FUNCTIONS = ["Directeur", "HR-adviseur", "Bedrijfsleider", "Teamleider", "Eigenaar"]
STATUS_CYCLE = [Status.ACTIEF] * 7 + [Status.GOEDGEKEURD, Status.GESCHORST, Status.BEEINDIGD]

DEMO_MEMBER = {
    "kvk_number": "99000000",
    "street_address": "Molenstraat 12",
    "postcode": "9401 AB",
    "city": "Assen",
    "municipality_code": "GM0106",
    "sector": "c",
    "employees": 16,
    "search_key": repository.search_key("Bakkerij De Korenaar (demo)", "99000000", "Assen"),
    "pledge_year": 2026,
    "pledge_jobs": 1,
    "pledge_places": 2,
}


def kvk(n: int) -> str:
    return f"9{n:07d}"


def _slug(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())[:20]


async def _add(n: int, spec: tuple[str, str, str, int, bool, str]) -> None:
    name, municipality, sector, employees, public, city = spec
    status = STATUS_CYCLE[n % len(STATUS_CYCLE)]
    joined = datetime(2023 + n % 3, 1 + n % 12, 1 + n % 27, 10, tzinfo=UTC)
    organisation_id = await repository.insert_member(
        {
            "name": name,
            "kvk_number": kvk(n + 1),
            "street_address": f"{STREETS[n % 4]} {n + 3}",
            "postcode": f"{9300 + n * 17} {'ABCDEFGHJK'[n % 10]}{'LMNPRTVWXZ'[n % 10]}",
            "city": city,
            "municipality_code": municipality,
            "sector": sector,
            "employees": employees,
            "yearly_paid_hours": employees * 1400 if n % 3 else None,
            "public_employer": public,
            "website": f"https://www.{_slug(name)}.nl",
            "notice_months": 6 if n % 5 == 0 else 3,
            "pledge_jobs": n % 4,
            "pledge_places": (n + 1) % 3,
        },
        status=Status.GOEDGEKEURD,
        from_status=Status.AANGEMELD,
        actor=None,
        actor_name="Cor Coördinator",
        reason="Aanmelding goedgekeurd.",
    )
    await Organisation.update(
        {
            Organisation.created_at: joined,
            Organisation.ambassador: n % 9 == 0,
            Organisation.award: "Inclusieve werkgever van het jaar 2025" if n == 9 else "",
        }
    ).where(Organisation.id == organisation_id)
    await MembershipEvent.update({MembershipEvent.at: joined}).where(
        MembershipEvent.organisation == organisation_id
    )
    path = {
        Status.GOEDGEKEURD: [],
        Status.ACTIEF: [(Status.ACTIEF, "Contributie ontvangen.")],
        Status.GESCHORST: [
            (Status.ACTIEF, "Contributie ontvangen."),
            (Status.GESCHORST, "Contributie 2025 niet betaald na twee herinneringen."),
        ],
        Status.BEEINDIGD: [
            (Status.ACTIEF, "Contributie ontvangen."),
            (Status.BEEINDIGD, "Opgezegd door het lid: bedrijf verhuisd."),
        ],
    }[status]
    previous, moment = Status.GOEDGEKEURD, joined
    for new, reason in path:
        moment += timedelta(days=30 + n)
        await MembershipEvent.insert(
            MembershipEvent(
                organisation=organisation_id,
                from_status=previous.value,
                to_status=new.value,
                at=moment,
                actor_name="Cor Coördinator",
                reason=reason,
            )
        )
        previous = new
    await Organisation.update({Organisation.status: status.value}).where(
        Organisation.id == organisation_id
    )
    for k in range(1 + n % 3):
        first, last = FIRST_NAMES[(n + k) % 10], LAST_NAMES[(n * 3 + k) % 8]
        await Contact.insert(
            Contact(
                organisation=organisation_id,
                name=f"{first} {last}",
                function=FUNCTIONS[(n + k) % 5],
                email=f"{first.lower()}.{last.lower().replace(' ', '')}@{_slug(name)}.example",
                phone=f"050 {300 + n:03d} {1000 + k * 7:04d}",
                is_primary=k == 0,
                mail_newsletter=True,
                mail_invoices=k == 0,
                mail_placements=k != 0 or n % 2 == 0,
                created_at=joined,
            )
        )
    for year in range(joined.year, 2027):
        amount = 25_000 if employees < 25 else 75_000 if employees < 250 else 150_000
        paid = year < 2026 or (n % 4 != 0 and status != Status.GESCHORST)
        await Contribution.insert(
            Contribution(
                organisation=organisation_id,
                year=year,
                amount_cents=amount,
                invoiced_on=date(year, 2, 1),
                paid_on=date(year, 3, 1 + n % 20) if paid else None,
            )
        )


APPLICATIONS = [
    ("Timmerfabriek Zuidlaren", "98000001", "GM1730", "c", 41, "Zuidlaren", "Sanne Dijkstra"),
    ("Tuincentrum Roden", "98000002", "GM1699", "g", 29, "Roden", "Rik Veenstra"),
]


async def _applications() -> int:
    made = 0
    for name, number, municipality, sector, employees, city, contact in APPLICATIONS:
        if await Application.exists().where(Application.kvk_number == number):
            continue
        data = {
            "name": name,
            "kvk_number": number,
            "establishment_number": None,
            "street_address": "Dorpsstraat 5",
            "postcode": "9471 AB",
            "city": city,
            "municipality_code": municipality,
            "sector": sector,
            "employees": employees,
            "yearly_paid_hours": None,
            "public_employer": False,
            "website": None,
            "pledge_jobs": 1,
            "pledge_places": 2,
        }
        moment = datetime.now(UTC)
        await Application.insert(
            Application(
                name=name,
                kvk_number=number,
                organisation_data=msgspec.json.encode(data).decode(),
                contact_name=contact,
                contact_function="Eigenaar",
                contact_email=f"{contact.split()[0].lower()}@{_slug(name)}.example",
                contact_phone="050 123 4567",
                motivation="Wij hebben werk dat past bij mensen die net weer beginnen.",
                consent_text=applications.consent_text(),
                consent_version=applications.CONSENT_VERSION,
                consent_at=moment,
                submitted_at=moment,
                status=Status.AANGEMELD.value,
            )
        )
        made += 1
    return made


async def _demo_member() -> None:
    """The demo member's organisation (made by coop.accounts.demo) gets details, a contact,
    history and a contribution, once."""
    row = (
        await Organisation.select(Organisation.id)
        .where(
            (Organisation.name == "Bakkerij De Korenaar (demo)") & Organisation.kvk_number.is_null()
        )
        .first()
    )
    if row is None:
        return
    organisation_id = row["id"]
    await Organisation.update({getattr(Organisation, k): v for k, v in DEMO_MEMBER.items()}).where(
        Organisation.id == organisation_id
    )
    moment = datetime(2025, 3, 1, 10, tzinfo=UTC)
    for old, new, reason in (
        ("aangemeld", "goedgekeurd", "Aanmelding goedgekeurd."),
        ("goedgekeurd", "actief", "Contributie ontvangen."),
    ):
        await MembershipEvent.insert(
            MembershipEvent(
                organisation=organisation_id,
                from_status=old,
                to_status=new,
                at=moment,
                actor_name="Cor Coördinator",
                reason=reason,
            )
        )
        moment += timedelta(days=21)
    await Contact.insert(
        Contact(
            organisation=organisation_id,
            name="Lotte Lid",
            function="Eigenaar",
            email="lid@demo.coop.test",
            phone="0592 123 456",
            is_primary=True,
            mail_newsletter=True,
            mail_invoices=True,
            mail_placements=True,
            created_at=moment,
        )
    )
    await Contribution.insert(
        Contribution(
            organisation=organisation_id,
            year=2026,
            amount_cents=25_000,
            invoiced_on=date(2026, 2, 1),
            paid_on=date(2026, 2, 20),
        )
    )


async def load() -> list[str]:
    made = 0
    async with db.write_transaction():
        for n, spec in enumerate(ORGANISATIONS):
            if await Organisation.exists().where(Organisation.kvk_number == kvk(n + 1)):
                continue
            await _add(n, spec)
            made += 1
        await _demo_member()
        applied = await _applications()
    kept = len(ORGANISATIONS) - made
    return [
        f"Demo members: {made} made, {kept} kept; {applied} applications waiting "
        "(coordinator: /beheer/leden, /beheer/aanmeldingen)"
    ]
