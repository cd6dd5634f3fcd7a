"""The participants' pages: a coordinator registers, edits, records consent, withdraws it,
changes the status and erases; a member sees the anonymous profile, the name only with
consent, and loses it again on withdrawal."""

from __future__ import annotations

import re
from contextlib import asynccontextmanager

import httpx
import pytest

from coop.accounts.roles import Role
from coop.audit.tables import AuditEvent
from coop.participants.tables import Consent, Participant, ParticipantEvent
from tests import factories
from tests.support import TEST_BASE_URL

FORM = {
    "first_name": "Johan",
    "last_name": "Veenstra",
    "email": "johan.veenstra@example.nl",
    "phone": "06 98765432",
    "date_of_birth": "1988-03-09",
    "street_address": "Kanaalstraat 4",
    "postcode": "7811 AB",
    "city": "Emmen",
    "municipality_code": "GM0114",
    "referrer": "gemeente",
    "referrer_name": "Gemeente Emmen",
    "register_in": "1",
    "register_ground": "praktijkroute",
    "register_start": "2025-02-01",
    "register_end": "",
    "register_provision": "1",
    "register_verified_on": "2025-02-10",
    "benefit": "bijstand",
    "education_level": "pro",
    "certificates": "Heftruckcertificaat",
    "hours_min": "16",
    "hours_max": "24",
    "available_from": "2026-01-05",
    "travel_range": "eigen-regio",
    "guidance": "intensief",
    "support_notes": "Werkt het best met een vaste collega in de buurt.",
    "notes": "Wil graag buiten werken.",
}
LISTS = {
    "days": ["ma", "di", "wo"],
    "task_kinds": ["groen", "logistiek"],
    "sectors": ["a"],
    "place_types": ["betaald", "proefplaatsing"],
    "support_needs": ["schriftelijke-instructies", "niet-zwaar-tillen"],
}


def form_body(csrf: str, **changes: object) -> dict[str, object]:
    """The whole form; lists (checkbox groups) are sent as repeated fields."""
    return {**FORM, **LISTS, **changes, "_csrf": csrf}


@asynccontextmanager
async def another_browser(client: httpx.AsyncClient):
    transport = httpx.ASGITransport(app=client.app, client=("127.0.0.1", 50001))  # type: ignore[attr-defined]
    async with httpx.AsyncClient(transport=transport, base_url=TEST_BASE_URL) as other:
        yield other


async def coordinator(client: httpx.AsyncClient) -> factories.TestUser:
    user = await factories.user(Role.COORDINATOR, name="Cor Coördinator")
    r = await factories.login(client, user)
    assert r.status_code == 303
    return user


async def register_through_the_form(client: httpx.AsyncClient, **changes: object) -> int:
    page = await client.get("/beheer/deelnemers/nieuw")
    assert page.status_code == 200
    r = await client.post(
        "/beheer/deelnemers/nieuw", data=form_body(factories.csrf_from(page.text), **changes)
    )
    assert r.status_code == 303, r.text[:2000]
    return int(r.headers["location"].rsplit("/", 1)[1])


async def post_form(client, page_path: str, action: str, data: dict) -> httpx.Response:
    page = await client.get(page_path)
    return await client.post(action, data={**data, "_csrf": factories.csrf_from(page.text)})


async def test_a_coordinator_registers_a_participant_with_every_field(client):
    await coordinator(client)
    participant_id = await register_through_the_form(client)
    row = (
        await Participant.select()
        .where(Participant.id == participant_id)
        .output(load_json=True)
        .first()
    )
    assert row["status"] == "aangemeld"
    assert row["last_name"] == "Veenstra" and row["register_ground"] == "praktijkroute"
    assert (
        row["register_provision"] is True and row["register_verified_by_name"] == "Cor Coördinator"
    )
    assert row["days"] == ["ma", "di", "wo"] and row["support_needs"] == [
        "schriftelijke-instructies",
        "niet-zwaar-tillen",
    ]
    assert re.fullmatch(r"DR-[A-Z][2-9][A-Z][2-9][A-Z]", row["code"])

    detail = await client.get(f"/beheer/deelnemers/{participant_id}")
    assert detail.status_code == 200
    for shown in (
        "Johan Veenstra",
        "Praktijkroute",
        "Kan niet zwaar tillen",
        "Heftruckcertificaat",
    ):
        assert shown in detail.text, shown


async def test_bad_input_keeps_what_was_typed_and_saves_nothing(client):
    await coordinator(client)
    page = await client.get("/beheer/deelnemers/nieuw")
    r = await client.post(
        "/beheer/deelnemers/nieuw",
        data=form_body(
            factories.csrf_from(page.text),
            hours_max="60",
            municipality_code="GM9999",
            support_notes="Heeft autisme, dus rustige werkplek",
            register_end="2024-01-01",
        ),
    )
    assert r.status_code == 400
    assert "Vul een aantal uren per week in van 0 tot en met 40." in r.text
    assert "Kies een gemeente uit de lijst." in r.text
    # The warning against medical terms, next to the field, naming the word.
    assert "Dit lijkt op een medische term of diagnose: autisme." in r.text
    assert 'id="fout-support_notes"' in r.text
    # What was typed is still there, lists included.
    assert 'value="Veenstra"' in r.text
    assert "Heeft autisme, dus rustige werkplek</textarea>" in r.text
    assert re.search(r'value="niet-zwaar-tillen" checked', r.text)
    assert await Participant.count() == 0


async def test_register_dates_out_of_order_are_an_error_by_the_field(client):
    await coordinator(client)
    page = await client.get("/beheer/deelnemers/nieuw")
    r = await client.post(
        "/beheer/deelnemers/nieuw",
        data=form_body(factories.csrf_from(page.text), register_end="2024-01-01"),
    )
    assert r.status_code == 400
    assert "De einddatum ligt vóór de begindatum van het register." in r.text
    assert await Participant.count() == 0


async def test_editing_changes_only_what_changed_and_logs_names_not_values(client):
    await coordinator(client)
    participant_id = await factories.participant()
    path = f"/beheer/deelnemers/{participant_id}/bewerken"
    page = await client.get(path)
    assert page.status_code == 200
    assert 'value="Sanne"' in page.text
    values = {
        k: v for k, v in re.findall(r'name="([a-z_]+)" type="[a-z]+" value="([^"]*)"', page.text)
    }
    assert values["hours_max"] == "24"
    body = form_body(
        factories.csrf_from(page.text),
        first_name="Sanne",
        last_name="Testdeelnemer",
        email="sanne@example.nl",
        phone="06 12345678",
        date_of_birth="1995-04-12",
        street_address="",
        postcode="",
        city="",
        municipality_code="GM0106",
        referrer_name="",
        register_ground="participatiewet",
        register_start="2024-01-01",
        register_provision="",
        register_verified_on="",
        education_level="mbo-1",
        certificates="",
        hours_min="12",
        hours_max="32",
        available_from="",
        travel_range="eigen-gemeente",
        support_notes="Werkt het best met een vaste collega in de buurt.",
        notes="",
        days=["ma", "di", "do"],
        task_kinds=["groen"],
        sectors=[],
        place_types=[],
        support_needs=["schriftelijke-instructies", "niet-zwaar-tillen"],
    )
    r = await client.post(path, data=body)
    assert r.status_code == 303, r.text[:3000]
    row = (
        await Participant.select(Participant.hours_max)
        .where(Participant.id == participant_id)
        .first()
    )
    assert row["hours_max"] == 32
    event = await AuditEvent.select().where(AuditEvent.action == "participant_updated").first()
    assert event["detail"] == "changed: hours_max"
    history = await ParticipantEvent.select().where(ParticipantEvent.kind == "gewijzigd").first()
    assert history["detail"] == "hours_max"


async def test_status_changes_follow_the_life_cycle(client):
    await coordinator(client)
    participant_id = await factories.participant()
    detail = f"/beheer/deelnemers/{participant_id}"
    r = await post_form(client, detail, f"{detail}/status", {"status": "geplaatst"})
    assert r.status_code == 400
    assert "Van aangemeld naar geplaatst kan niet." in r.text
    r = await post_form(
        client, detail, f"{detail}/status", {"status": "beschikbaar", "reason": "Intake gedaan"}
    )
    assert r.status_code == 303
    r = await post_form(client, detail, f"{detail}/status", {"status": "uitgestroomd"})
    assert r.status_code == 303
    row = (
        await Participant.select(Participant.status, Participant.left_on)
        .where(Participant.id == participant_id)
        .first()
    )
    assert row["status"] == "uitgestroomd" and row["left_on"] is not None
    page = await client.get(detail)
    assert "de gegevens worden gewist op of na" in page.text
    assert "Intake gedaan" in page.text  # the history


async def test_done_when_consent_shows_the_name_to_that_member_and_withdrawal_hides_it(client):
    """The issue's 'done when': a coordinator registers a participant with needs and
    consent; a member sees only the anonymous profile and, after consent, the name;
    withdrawal hides it again."""
    own = await factories.organisation("Kwekerij Het Hogeland")
    other = await factories.organisation("Transport Pekela")
    member = await factories.user(Role.MEMBER, organisation_id=own)
    await coordinator(client)
    participant_id = await register_through_the_form(client)
    detail = f"/beheer/deelnemers/{participant_id}"
    await post_form(client, detail, f"{detail}/status", {"status": "beschikbaar"})
    code = (await Participant.select(Participant.code).first())["code"]

    async with another_browser(client) as browser:
        assert (await factories.login(browser, member)).status_code == 303
        # No consent at all: the member sees nothing of this participant.
        listing = await browser.get("/kandidaten")
        assert code not in listing.text
        assert (await browser.get(f"/kandidaten/{code}")).status_code == 404

        # Consent to share the anonymous profile.
        r = await post_form(
            client, detail, f"{detail}/toestemmingen", {"kind": "profiel", "confirm": "1"}
        )
        assert r.status_code == 303
        listing = await browser.get("/kandidaten")
        assert code in listing.text
        profile = await browser.get(f"/kandidaten/{code}")
        assert profile.status_code == 200
        for hidden in (
            "Johan",
            "Veenstra",
            "johan.veenstra",
            "98765432",
            "1988",
            "Praktijkroute",
            "praktijkroute",
            "vaste collega",
            "Kan niet zwaar tillen",
            "Gemeente Emmen",
            "Kanaalstraat",
            "bijstand",
        ):
            assert hidden not in profile.text, hidden
        assert "35–44 jaar" in profile.text  # the age band, not the age
        assert "Lichamelijk licht werk" in profile.text  # the need in general terms
        assert "Drenthe" in profile.text

        # Consent to share the identity with another member: still anonymous here.
        r = await post_form(
            client,
            detail,
            f"{detail}/toestemmingen",
            {"kind": "identiteit", "organisation_id": str(other), "confirm": "1"},
        )
        assert r.status_code == 303
        assert "Veenstra" not in (await browser.get(f"/kandidaten/{code}")).text

        # Consent for this member: the name and contact appear.
        r = await post_form(
            client,
            detail,
            f"{detail}/toestemmingen",
            {"kind": "identiteit", "organisation_id": str(own), "confirm": "1"},
        )
        assert r.status_code == 303
        profile = await browser.get(f"/kandidaten/{code}")
        assert "Johan Veenstra" in profile.text and "johan.veenstra@example.nl" in profile.text
        assert "Praktijkroute" not in profile.text and "1988" not in profile.text

        # Withdrawal hides it again.
        consent_id = (await Consent.select(Consent.id).where(Consent.organisation == own).first())[
            "id"
        ]
        r = await post_form(client, detail, f"{detail}/toestemmingen/{consent_id}/intrekken", {})
        assert r.status_code == 303
        profile = await browser.get(f"/kandidaten/{code}")
        assert profile.status_code == 200
        assert "Veenstra" not in profile.text and "johan.veenstra" not in profile.text

        # Withdrawing the profile consent too: gone altogether.
        profile_consent = (
            await Consent.select(Consent.id).where(Consent.kind == "profiel").first()
        )["id"]
        await post_form(client, detail, f"{detail}/toestemmingen/{profile_consent}/intrekken", {})
        assert (await browser.get(f"/kandidaten/{code}")).status_code == 404

    actions = [
        r["action"]
        for r in await AuditEvent.select(AuditEvent.action).where(
            AuditEvent.object_type == "participant"
        )
    ]
    assert "participant_identity_read" in actions and "participant_profile_read" in actions


async def test_consent_needs_confirmation_and_an_existing_member(client):
    await coordinator(client)
    participant_id = await factories.participant("beschikbaar")
    detail = f"/beheer/deelnemers/{participant_id}"
    r = await post_form(client, detail, f"{detail}/toestemmingen", {"kind": "profiel"})
    assert r.status_code == 400
    assert "Vink aan dat de deelnemer deze tekst heeft gelezen en ermee instemt." in r.text
    r = await post_form(
        client,
        detail,
        f"{detail}/toestemmingen",
        {"kind": "identiteit", "organisation_id": "999999", "confirm": "1"},
    )
    assert r.status_code == 400
    assert "Kies een lid van de coöperatie." in r.text
    r = await post_form(
        client,
        detail,
        f"{detail}/toestemmingen",
        {"kind": "profiel", "confirm": "1", "given_on": "2099-01-01"},
    )
    assert r.status_code == 400
    assert await Consent.count() == 0


async def test_a_recorded_consent_keeps_its_text_version_and_time(client):
    await coordinator(client)
    participant_id = await factories.participant("beschikbaar")
    detail = f"/beheer/deelnemers/{participant_id}"
    r = await post_form(
        client,
        detail,
        f"{detail}/toestemmingen",
        {"kind": "profiel", "confirm": "1", "given_on": "2026-02-03"},
    )
    assert r.status_code == 303
    row = await Consent.select().first()
    assert row["version"] == "2026-1"
    assert "anoniem profiel" in row["text"]
    assert row["given_at"].date().isoformat() in ("2026-02-02", "2026-02-03")
    assert row["withdrawn_at"] is None


async def test_erasure_on_request_needs_confirmation_and_keeps_the_counts(client):
    await coordinator(client)
    participant_id = await factories.participant("beschikbaar")
    detail = f"/beheer/deelnemers/{participant_id}"
    r = await post_form(client, detail, f"{detail}/wissen", {})
    assert r.status_code == 400
    assert (await Participant.select(Participant.first_name).first())["first_name"] == "Sanne"
    r = await post_form(client, detail, f"{detail}/wissen", {"confirm_erase": "1"})
    assert r.status_code == 303
    row = await Participant.select().output(load_json=True).first()
    assert row["first_name"] == "" and row["email"] is None and row["support_needs"] == []
    assert row["support_notes"] == "" and row["register_ground"] is None
    assert row["register_in"] is True and row["register_start"] is not None
    page = await client.get(detail)
    assert "Sanne" not in page.text and "Geanonimiseerde deelnemer" in page.text
    # The form to change it is gone, and posting anyway is refused.
    edit = await client.get(f"{detail}/bewerken")
    assert edit.status_code == 303 and edit.headers["location"] == detail
    r = await client.post(f"{detail}/bewerken", data=form_body(factories.csrf_from(page.text)))
    assert r.status_code == 400 and "geanonimiseerd" in r.text
    assert (await Participant.select(Participant.first_name).first())["first_name"] == ""


async def test_the_list_searches_and_filters(client):
    await coordinator(client)
    await factories.participant(
        "beschikbaar",
        first_name="Anna",
        last_name="Zuidema",
        guidance="licht",
        municipality_code="GM0114",
    )
    await factories.participant(
        "aangemeld",
        first_name="Bram",
        last_name="Mulder",
        guidance="intensief",
        days=["za"],
        hours_min=0,
        hours_max=8,
    )
    await factories.participant(
        "beschikbaar",
        first_name="Cor",
        last_name="Bakker",
        municipality_code="GM0014",
        hours_max=36,
        guidance="gemiddeld",
    )

    async def names(query: str) -> list[str]:
        r = await client.get("/beheer/deelnemers" + query)
        assert r.status_code == 200
        return re.findall(r'<a href="/beheer/deelnemers/\d+[^"]*">([^<]+)</a>', r.text)

    assert await names("") == ["Bakker, Cor", "Mulder, Bram", "Zuidema, Anna"]
    assert await names("?zoek=ZUID") == ["Zuidema, Anna"]
    assert await names("?status=beschikbaar") == ["Bakker, Cor", "Zuidema, Anna"]
    assert await names("?regio=AM03") == ["Zuidema, Anna"]
    assert await names("?begeleiding=intensief") == ["Mulder, Bram"]
    assert await names("?dag=za") == ["Mulder, Bram"]
    assert await names("?uren=30") == ["Bakker, Cor"]
    assert await names("?sorteer=-naam") == ["Zuidema, Anna", "Mulder, Bram", "Bakker, Cor"]
    # Nonsense filters are ignored, never a 500.
    assert len(await names("?status=x&regio=AM99&uren=abc&beschikbaar=gisteren&pagina=-3")) == 3


async def test_the_export_holds_everything_stored(client):
    await coordinator(client)
    participant_id = await factories.participant("beschikbaar")
    r = await client.get(f"/beheer/deelnemers/{participant_id}/export.json")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    assert "attachment" in r.headers["content-disposition"]
    data = r.json()
    assert data["participant"]["first_name"] == "Sanne"
    assert data["participant"]["support_needs"] == [
        "schriftelijke-instructies",
        "niet-zwaar-tillen",
    ]
    assert [h["to_status"] for h in data["history"]] == ["aangemeld", "beschikbaar"]
    assert any(a["action"] == "participant_created" for a in data["access"])


@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_pages_render_in_both_languages(client, lang):
    await coordinator(client)
    participant_id = await factories.participant("beschikbaar")
    for path in (
        "/beheer/deelnemers",
        "/beheer/deelnemers/nieuw",
        f"/beheer/deelnemers/{participant_id}",
        f"/beheer/deelnemers/{participant_id}/bewerken",
        "/kandidaten",
    ):
        r = await client.get(f"{path}?lang={lang}")
        assert r.status_code == 200, path
        assert f'<html lang="{lang}">' in r.text


async def test_the_export_as_a_pdf(client):
    from io import BytesIO

    from pypdf import PdfReader

    await coordinator(client)
    participant_id = await factories.participant("beschikbaar")
    r = await client.get(f"/beheer/deelnemers/{participant_id}/export.pdf")
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["cache-control"] == "no-store"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(r.content)).pages)
    text = " ".join(text.split())
    for shown in (
        "Sanne Testdeelnemer",
        "Kan niet zwaar tillen",
        "vaste collega",
        "participant_created",
    ):
        assert shown in text, shown
    events = await AuditEvent.select(AuditEvent.action).where(
        AuditEvent.object_id == str(participant_id)
    )
    assert "participant_exported" in [e["action"] for e in events]
