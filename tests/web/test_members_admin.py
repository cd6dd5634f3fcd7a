"""/beheer/leden: the coordinators' list (search, filters, sorting, pages, a fixed number
of queries) and one member's page with contacts, history and status changes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from coop import db
from coop.accounts.roles import Role
from coop.audit.tables import AuditEvent
from coop.members import repository
from coop.members.rules import Status
from coop.members.tables import Contact, Contribution, MembershipEvent, Organisation
from tests import factories


async def member(
    name: str,
    kvk: str,
    *,
    municipality: str = "GM0106",  # Assen, region Groningen
    sector: str = "c",
    employees: int = 10,
    public: bool = False,
    status: Status = Status.ACTIEF,
) -> int:
    async with db.write_transaction():
        return await repository.insert_member(
            {
                "name": name,
                "kvk_number": kvk,
                "street_address": "Markt 1",
                "postcode": "1234 AB",
                "city": "Plaats",
                "municipality_code": municipality,
                "sector": sector,
                "employees": employees,
                "public_employer": public,
            },
            status=status,
            actor=None,
            actor_name="test",
        )


@pytest.fixture
async def members(migrated):
    return {
        "bakker": await member("Bakkerij De Korenaar", "10000001", employees=12),
        "bouw": await member(
            "Aannemer Bouwbedrijf",
            "10000002",
            sector="f",
            employees=150,
            municipality="GM0363",  # Amsterdam
        ),
        "gemeente": await member(
            "Gemeente Assen", "10000003", sector="o", employees=800, public=True
        ),
        "zorg": await member(
            "Zorggroep Zuid",
            "10000004",
            sector="q",
            employees=60,
            status=Status.GESCHORST,
            municipality="GM0363",
        ),
    }


async def coordinator_client(client):
    user = await factories.user(Role.COORDINATOR, name="Carla")
    assert (await factories.login(client, user)).status_code == 303
    return user


def names_in(text: str, members: dict[str, int]) -> list[str]:
    """Member keys in the order their detail links appear."""
    found = [(text.find(f'href="/beheer/leden/{i}"'), key) for key, i in members.items()]
    return [key for pos, key in sorted(found) if pos >= 0]


async def test_list_search_filters_and_sorting(client, members):
    await coordinator_client(client)
    r = await client.get("/beheer/leden")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert names_in(r.text, members) == ["bouw", "bakker", "gemeente", "zorg"]
    assert "4 leden gevonden." in r.text
    cases = {
        "zoek=korenaar": ["bakker"],
        "zoek=KORENAAR": ["bakker"],
        "zoek=10000002": ["bouw"],
        "zoek=%25": ["bouw", "bakker", "gemeente", "zorg"],
        "status=geschorst": ["zorg"],
        "sector=f": ["bouw"],
        "regio=AM18": ["bouw", "zorg"],
        "grootte=klein": ["bakker"],
        "grootte=middel": ["zorg"],
        "grootte=zeer-groot": ["gemeente"],
        "overheid=ja": ["gemeente"],
        "overheid=nee&regio=AM01": ["bakker"],
        "sorteer=-medewerkers": ["gemeente", "bouw", "zorg", "bakker"],
        "sorteer=-naam": ["zorg", "gemeente", "bakker", "bouw"],
        "status=onzin&sector=zz&regio=AM99&grootte=x&sorteer=x&pagina=-4": [
            "bouw",
            "bakker",
            "gemeente",
            "zorg",
        ],
    }
    for query, expected in cases.items():
        r = await client.get(f"/beheer/leden?{query}")
        assert r.status_code == 200, query
        assert names_in(r.text, members) == expected, query


async def test_pages_of_fifty(client, migrated):
    for n in range(55):
        await member(f"Lid {n:03d}", f"2{n:07d}")
    await coordinator_client(client)
    first = await client.get("/beheer/leden")
    assert len(re.findall(r'href="/beheer/leden/[0-9]+"', first.text)) == 50
    assert "Pagina 1 van 2" in first.text
    second = await client.get("/beheer/leden?pagina=2")
    assert len(re.findall(r'href="/beheer/leden/[0-9]+"', second.text)) == 5


async def test_the_list_page_runs_a_fixed_number_of_queries(client, migrated, monkeypatch):
    for n in range(60):
        await member(f"Lid {n:03d}", f"3{n:07d}")
    await coordinator_client(client)
    engine = db.engine()
    original = type(engine).run_querystring
    seen: list[str] = []

    async def counting(self, querystring, *args, **kwargs):
        seen.append(str(querystring))
        return await original(self, querystring, *args, **kwargs)

    # Every Piccolo query passes here, on either engine.
    monkeypatch.setattr(type(engine), "run_querystring", counting)
    r = await client.get("/beheer/leden?sorteer=-medewerkers&grootte=klein")
    assert r.status_code == 200
    member_queries = [q for q in seen if "member_" in q]
    # One query for the page of rows with the total, however many rows; the other is
    # the session's user.
    assert len(member_queries) == 1, member_queries
    assert len(seen) == 2, seen
    assert "60 leden gevonden." in r.text and "Pagina 1 van 2" in r.text
    assert len(re.findall(r'href="/beheer/leden/[0-9]+"', r.text)) == 50

    # The total follows the filter.
    seen.clear()
    r = await client.get("/beheer/leden?zoek=lid+00")
    assert r.status_code == 200 and "10 leden gevonden." in r.text
    assert len([q for q in seen if "member_" in q]) == 1, seen

    # Past the last page there is no row to carry the total: then, and only then, a count.
    seen.clear()
    r = await client.get("/beheer/leden?pagina=3")
    assert r.status_code == 200 and "60 leden gevonden." in r.text
    assert len([q for q in seen if "member_" in q]) == 2, seen


async def test_the_api_list_runs_a_fixed_number_of_queries(client, migrated, monkeypatch):
    from coop.accounts import token_repository

    for n in range(60):
        await member(f"Lid {n:03d}", f"3{n:07d}")
    user = await factories.user(Role.COORDINATOR)
    made = await token_repository.create(user_id=user.id, name="t", scope="read", days=1)
    headers = {"Authorization": f"Bearer {made.token}"}
    assert (await client.get("/api/v1/members?limit=1", headers=headers)).status_code == 200
    engine = db.engine()
    original = type(engine).run_querystring
    seen: list[str] = []

    async def counting(self, querystring, *args, **kwargs):
        seen.append(str(querystring))
        return await original(self, querystring, *args, **kwargs)

    monkeypatch.setattr(type(engine), "run_querystring", counting)
    r = await client.get("/api/v1/members?limit=50&offset=5&sort=-naam", headers=headers)
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 60 and len(body["items"]) == 50
    assert body["items"][0]["name"] == "Lid 054"
    # The token with its user in one query, then the page of rows with the total.
    assert len(seen) == 2, seen


async def test_detail_shows_contacts_history_contributions_and_audit(client, members):
    org = members["bakker"]
    await Contact.insert(
        Contact(
            organisation=org,
            name="<i>An</i> Jansen",
            email="an@korenaar.nl",
            is_primary=True,
            created_at=datetime.now(UTC),
        )
    )
    await Contribution.insert(Contribution(organisation=org, year=2026, amount_cents=125050))
    await coordinator_client(client)
    r = await client.get(f"/beheer/leden/{org}")
    assert r.status_code == 200
    assert "&lt;i&gt;An&lt;/i&gt; Jansen" in r.text
    assert "1.250,50" in r.text
    assert "Groningen" in r.text  # the region follows from the municipality
    assert (await client.get("/beheer/leden/999999")).status_code == 404


async def test_status_transition_with_reason_is_kept_and_audited(client, members):
    org = members["bakker"]
    await coordinator_client(client)
    page = await client.get(f"/beheer/leden/{org}")
    csrf = factories.csrf_from(page.text)
    r = await client.post(
        f"/beheer/leden/{org}/status", data={"_csrf": csrf, "status": "geschorst", "reason": ""}
    )
    assert r.status_code == 400 and 'id="fout-reason"' in r.text
    r = await client.post(
        f"/beheer/leden/{org}/status", data={"_csrf": csrf, "status": "afgewezen", "reason": "x"}
    )
    assert r.status_code == 409 and 'id="fout-status"' in r.text
    r = await client.post(
        f"/beheer/leden/{org}/status",
        data={"_csrf": csrf, "status": "geschorst", "reason": "Contributie niet betaald."},
    )
    assert r.status_code == 303
    row = await Organisation.select(Organisation.status).where(Organisation.id == org).first()
    assert row["status"] == "geschorst"
    events = (
        await MembershipEvent.select()
        .where(MembershipEvent.organisation == org)
        .order_by(MembershipEvent.id)
    )
    assert (events[-1]["from_status"], events[-1]["to_status"]) == ("actief", "geschorst")
    assert (
        events[-1]["reason"] == "Contributie niet betaald." and events[-1]["actor_name"] == "Carla"
    )
    [audit] = await AuditEvent.select().where(AuditEvent.action == "member_status_changed")
    assert audit["object_id"] == str(org) and audit["detail"] == "actief -> geschorst"
    detail = await client.get(f"/beheer/leden/{org}")
    assert "Contributie niet betaald." in detail.text


async def test_a_member_sees_only_its_own_organisation_page(client, members):
    user = await factories.user(Role.MEMBER, organisation_id=members["bakker"])
    await factories.login(client, user)
    assert (await client.get(f"/organisaties/{members['bakker']}")).status_code == 200
    assert (await client.get(f"/organisaties/{members['bouw']}")).status_code == 404
    assert (await client.get(f"/organisaties/{members['bouw']}/bewerken")).status_code == 404
    page = await client.get(f"/organisaties/{members['bakker']}")
    r = await client.post(
        f"/organisaties/{members['bouw']}/contactpersonen",
        data={"_csrf": factories.csrf_from(page.text), "name": "X", "email": "x@y.nl"},
    )
    assert r.status_code == 404
    assert await Contact.count() == 0


async def test_a_member_adds_a_contact_with_mail_preferences(client, members):
    org = members["bakker"]
    user = await factories.user(Role.MEMBER, organisation_id=org)
    await factories.login(client, user)
    page = await client.get(f"/organisaties/{org}")
    csrf = factories.csrf_from(page.text)
    r = await client.post(
        f"/organisaties/{org}/contactpersonen",
        data={"_csrf": csrf, "name": "Piet", "email": "fout", "phone": "12"},
    )
    assert r.status_code == 400 and 'id="fout-email"' in r.text and 'value="fout"' in r.text
    r = await client.post(
        f"/organisaties/{org}/contactpersonen",
        data={"_csrf": csrf, "name": "Piet", "email": "piet@korenaar.nl", "mail_invoices": "1"},
    )
    assert r.status_code == 303
    [contact] = await Contact.select()
    assert contact["is_primary"]  # the first contact is the primary one
    assert contact["mail_invoices"] and not contact["mail_newsletter"]


async def test_staff_record_a_contribution_in_euros(client, members):
    org = members["bakker"]
    await coordinator_client(client)
    page = await client.get(f"/beheer/leden/{org}")
    csrf = factories.csrf_from(page.text)
    url = f"/beheer/leden/{org}/contributie"
    r = await client.post(
        url, data={"_csrf": csrf, "year": "26", "amount": "veel", "paid_on": "gisteren"}
    )
    assert r.status_code == 400
    for field in ("year", "amount", "paid_on"):
        assert f'id="fout-{field}"' in r.text
    assert 'value="veel"' in r.text
    data = {"_csrf": csrf, "year": "2026", "amount": "1.250,50", "invoiced_on": "2026-02-01"}
    assert (await client.post(url, data=data)).status_code == 303
    assert (await client.post(url, data={**data, "paid_on": "1-3-2026"})).status_code == 303
    [row] = await Contribution.select().where(Contribution.organisation == org)
    assert row["amount_cents"] == 125050 and str(row["paid_on"]) == "2026-03-01"
    assert await AuditEvent.count().where(AuditEvent.action == "member_contribution_set") == 2


async def test_a_member_cannot_record_its_own_contribution(client, members):
    org = members["bakker"]
    user = await factories.user(Role.MEMBER, organisation_id=org)
    await factories.login(client, user)
    page = await client.get(f"/organisaties/{org}")
    r = await client.post(
        f"/beheer/leden/{org}/contributie",
        data={"_csrf": factories.csrf_from(page.text), "year": "2026", "amount": "0"},
    )
    assert r.status_code == 403
    assert await Contribution.count() == 0


async def test_staff_set_notice_period_and_recognition_on_the_edit_page(client, members):
    org = members["bakker"]
    await coordinator_client(client)
    form = await client.get(f"/organisaties/{org}/bewerken")
    assert 'name="ambassador"' in form.text and 'name="notice_months"' in form.text
    data = {
        "_csrf": factories.csrf_from(form.text),
        "name": "Bakkerij De Korenaar",
        "kvk_number": "10000001",
        "street_address": "Markt 1",
        "postcode": "1234 AB",
        "city": "Plaats",
        "municipality_code": "GM0106",
        "sector": "c",
        "employees": "12",
        "notice_months": "6",
        "ambassador": "1",
        "award": "Prijs <2026>",
    }
    r = await client.post(f"/organisaties/{org}/bewerken", data=data)
    assert r.status_code == 303, r.text
    row = await Organisation.select().where(Organisation.id == org).first()
    assert (row["notice_months"], row["ambassador"], row["award"]) == (6, True, "Prijs <2026>")
    page = await client.get(f"/beheer/leden/{org}")
    assert "Prijs &lt;2026&gt;" in page.text
    r = await client.post(f"/organisaties/{org}/bewerken", data={**data, "kvk_number": "10000002"})
    assert r.status_code == 400 and "al een organisatie met dit KvK-nummer" in r.text
