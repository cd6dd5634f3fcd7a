"""The participants' API: coordinators register and change participants and consents;
members read anonymous profiles and, with consent, the identity. Bad input is 422 problem
details naming each field, with nothing saved."""

from __future__ import annotations

import pytest

from coop.accounts import token_repository
from coop.accounts.roles import Role
from coop.participants.tables import Consent, Participant, ParticipantEvent
from tests import factories

NEW = {
    "first_name": "Fenna",
    "last_name": "Hoekstra",
    "municipality_code": "GM0014",
    "hours_min": 8,
    "hours_max": 20,
    "days": ["di", "do"],
    "date_of_birth": "2001-06-30",
    "email": "fenna@example.nl",
    "register_in": True,
    "register_ground": "vso-pro",
    "register_start": "2025-08-01",
    "register_provision": True,
    "support_needs": ["vaste-structuur"],
    "support_notes": "Werkt het best met een vaste dagindeling.",
    "place_types": ["betaald", "proefplaatsing"],
    "guidance": "gemiddeld",
    "travel_range": "eigen-regio",
}


async def bearer(role: Role = Role.COORDINATOR, scope: str = "write", **kw) -> dict[str, str]:
    user = await factories.user(role, **kw)
    token = await token_repository.create(user_id=user.id, name="t", scope=scope, days=1)
    return {"Authorization": f"Bearer {token.token}"}


async def test_create_read_update(client, migrated):
    headers = await bearer()
    r = await client.post("/api/v1/participants", json=NEW, headers=headers)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "aangemeld" and body["code"].startswith("GR-")
    assert body["region_code"] == "AM01" and body["municipality_name"] == "Groningen"
    assert body["register_provision"] is True and body["support_needs"] == ["vaste-structuur"]
    participant_id = body["id"]

    r = await client.patch(
        f"/api/v1/participants/{participant_id}", json={"hours_max": 24}, headers=headers
    )
    assert r.status_code == 200 and r.json()["hours_max"] == 24 and r.json()["hours_min"] == 8

    r = await client.get("/api/v1/participants?region=AM01&min_hours=24", headers=headers)
    assert r.status_code == 200
    assert [i["id"] for i in r.json()["items"]] == [participant_id]
    assert set(r.json()) == {"items", "total", "limit", "offset"}
    r = await client.get("/api/v1/participants?region=AM03", headers=headers)
    assert r.json()["total"] == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hours_max": 60}, "hours_max"),
        ({"municipality_code": "GM9999"}, "municipality_code"),
        ({"support_notes": "Heeft epilepsie"}, "support_notes"),
        ({"register_end": "2025-01-01"}, "register_end"),
        ({"hours_min": 30}, "hours_min"),
        ({"notes": "x" * 4001}, "notes"),
        ({"days": ["maandag"]}, "days"),
        ({"support_needs": ["autisme"]}, "support_needs"),
        ({"shoe_size": 44}, "shoe_size"),
        ({"register_in": False}, "register_in"),
    ],
)
async def test_bad_input_names_the_field_and_saves_nothing(client, migrated, change, field):
    headers = await bearer()
    r = await client.post("/api/v1/participants", json={**NEW, **change}, headers=headers)
    assert r.status_code in (400, 422), r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    errors = r.json().get("errors", [])
    # A field the struct does not know is named in the message (msgspec reports it at `$`).
    assert any(field in e["field"] or f"`{field}`" in e["detail"] for e in errors), r.json()
    assert await Participant.count() == 0


async def test_a_patch_that_breaks_the_record_is_refused_whole(client, migrated):
    headers = await bearer()
    participant_id = (await client.post("/api/v1/participants", json=NEW, headers=headers)).json()[
        "id"
    ]
    r = await client.patch(
        f"/api/v1/participants/{participant_id}",
        json={"first_name": "Anders", "hours_max": 4},  # below hours_min 8
        headers=headers,
    )
    assert r.status_code == 422
    row = await Participant.select(Participant.first_name, Participant.hours_max).first()
    assert row == {"first_name": "Fenna", "hours_max": 20}


async def test_status_transitions_and_conflicts(client, migrated):
    headers = await bearer()
    participant_id = (await client.post("/api/v1/participants", json=NEW, headers=headers)).json()[
        "id"
    ]
    url = f"/api/v1/participants/{participant_id}/status"
    r = await client.post(url, json={"status": "geplaatst"}, headers=headers)
    assert r.status_code == 409 and r.json()["code"] == "transition_not_allowed"
    r = await client.post(url, json={"status": "beschikbaar"}, headers=headers)
    assert r.status_code == 200 and r.json()["status"] == "beschikbaar"
    r = await client.post(url, json={"status": "uitgestroomd"}, headers=headers)
    assert r.json()["left_on"] is not None
    r = await client.post(url, json={"status": "nergens"}, headers=headers)
    assert r.status_code in (400, 422)
    history = await ParticipantEvent.select(ParticipantEvent.to_status).order_by(
        ParticipantEvent.id
    )
    assert [h["to_status"] for h in history] == ["aangemeld", "beschikbaar", "uitgestroomd"]


async def test_consents_through_the_api_and_the_members_view(client, migrated):
    own = await factories.organisation("Hotel Martinitoren")
    headers = await bearer()
    member = await bearer(Role.MEMBER, scope="read", organisation_id=own)
    participant_id = (await client.post("/api/v1/participants", json=NEW, headers=headers)).json()[
        "id"
    ]
    await client.post(
        f"/api/v1/participants/{participant_id}/status",
        json={"status": "beschikbaar"},
        headers=headers,
    )
    code = (await Participant.select(Participant.code).first())["code"]
    assert (await client.get(f"/api/v1/profiles/{code}", headers=member)).status_code == 404

    # A member that does not exist: 422, nothing saved.
    r = await client.post(
        f"/api/v1/participants/{participant_id}/consents",
        json={"kind": "identiteit", "organisation_id": 987654},
        headers=headers,
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "organisation_id"
    r = await client.post(
        f"/api/v1/participants/{participant_id}/consents",
        json={"kind": "identiteit"},
        headers=headers,
    )
    assert r.status_code == 422
    assert await Consent.count() == 0

    r = await client.post(
        f"/api/v1/participants/{participant_id}/consents",
        json={"kind": "identiteit", "organisation_id": own, "given_at": "2026-03-01T10:00:00Z"},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    consent = r.json()
    assert consent["organisation_name"] == "Hotel Martinitoren"
    assert consent["version"] == "2026-1" and "Hotel Martinitoren" in consent["text"]
    assert consent["given_at"].startswith("2026-03-01T10:00:00")

    profile = (await client.get(f"/api/v1/profiles/{code}", headers=member)).json()
    assert profile["identity"] == {
        "first_name": "Fenna",
        "last_name": "Hoekstra",
        "email": "fenna@example.nl",
        "phone": None,
    }
    assert "register_ground" not in profile["profile"] and profile["profile"]["age_band"]
    assert profile["profile"]["need_areas"] == ["werkwijze"]

    r = await client.post(
        f"/api/v1/participants/{participant_id}/consents/{consent['id']}/withdraw",
        headers=headers,
    )
    assert r.status_code == 200 and r.json()["withdrawn_at"] is not None
    r = await client.post(
        f"/api/v1/participants/{participant_id}/consents/{consent['id']}/withdraw",
        headers=headers,
    )
    assert r.status_code == 409
    assert (await client.get(f"/api/v1/profiles/{code}", headers=member)).status_code == 404
    listed = (
        await client.get(f"/api/v1/participants/{participant_id}/consents", headers=headers)
    ).json()
    assert listed["total"] == 1 and listed["items"][0]["withdrawn_at"] is not None


async def test_erasure_through_the_api(client, migrated):
    headers = await bearer()
    participant_id = (await client.post("/api/v1/participants", json=NEW, headers=headers)).json()[
        "id"
    ]
    r = await client.post(f"/api/v1/participants/{participant_id}/erase", headers=headers)
    assert r.status_code == 200
    body = r.json()
    assert body["first_name"] == "" and body["email"] is None and body["support_notes"] == ""
    assert body["anonymised_at"] is not None and body["register_in"] is True
    assert body["register_provision"] is True and body["register_start"] == "2025-08-01"
    r = await client.post(f"/api/v1/participants/{participant_id}/erase", headers=headers)
    assert r.status_code == 409
    r = await client.patch(
        f"/api/v1/participants/{participant_id}", json={"first_name": "Terug"}, headers=headers
    )
    assert r.status_code == 409


async def test_unknown_and_out_of_range_ids_are_404(client, migrated):
    headers = await bearer()
    for path in (
        "/api/v1/participants/0",
        "/api/v1/participants/2147483648",
        "/api/v1/participants/99/consents",
        "/api/v1/participants/99/export",
    ):
        r = await client.get(path, headers=headers)
        assert r.status_code == 404, path


async def test_the_openapi_document_describes_the_participants_api(client, migrated):
    r = await client.get("/schema/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for path in (
        "/api/v1/participants",
        "/api/v1/participants/{participant_id}",
        "/api/v1/participants/{participant_id}/consents",
        "/api/v1/profiles",
        "/api/v1/profiles/{code}",
    ):
        assert path in paths, path
    # No participant page is in the API document.
    assert not any(p.startswith(("/beheer/deelnemers", "/kandidaten")) for p in paths)
