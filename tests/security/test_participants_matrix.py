"""Participants are the most sensitive data in the product: every role against every
participant page and endpoint, reads and writes, and the audit trail of every read.

Conventions as in test_role_matrix.py: anonymous pages 303 to /login, the API without a
token 401, a role that may not use a surface 403, a record outside what the principal may
see 404 (as if it did not exist). Only coordinators see participants; admins see nothing
of them; WSP users nothing; members anonymous profiles shared with them, and a name only
with consent for their own organisation.
"""

from __future__ import annotations

import pytest

from coop.accounts import token_repository
from coop.accounts.roles import Role
from coop.audit.tables import AuditEvent
from coop.participants import repository
from coop.participants.tables import Consent, Participant
from tests import factories
from tests.security.test_role_matrix import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    ROLES,
    UNAUTHORISED,
    actor_for,
    row,
)

COORDINATOR_ONLY = row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN)
COORDINATOR_UNKNOWN = row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN)
API_COORDINATOR_ONLY = row(UNAUTHORISED, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN)
API_COORDINATOR_UNKNOWN = row(UNAUTHORISED, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN)
PROFILES = row(LOGIN, OK, OK, FORBIDDEN, OK, FORBIDDEN)
PROFILE_HIDDEN = row(LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, FORBIDDEN)
PROFILE_OWN_ONLY = row(LOGIN, OK, NOT_FOUND, FORBIDDEN, NOT_FOUND, FORBIDDEN)
API_PROFILES = row(UNAUTHORISED, OK, OK, FORBIDDEN, OK, FORBIDDEN)
API_PROFILE_HIDDEN = row(UNAUTHORISED, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, FORBIDDEN)
API_PROFILE_OWN_ONLY = row(UNAUTHORISED, OK, NOT_FOUND, FORBIDDEN, NOT_FOUND, FORBIDDEN)

# {p}: a participant; {shared}: code of one who shares an anonymous profile; {hidden}: code
# of one who shares nothing; {named}: code of one who consented to give only the "own"
# member the identity (no profile); {left}: code of one who shared but has left;
# {withdrawn}: code of one whose consents were all withdrawn.
SURFACES = {
    "/beheer/deelnemers": COORDINATOR_ONLY,
    "/beheer/deelnemers/nieuw": COORDINATOR_ONLY,
    "/beheer/deelnemers/{p}": COORDINATOR_ONLY,
    "/beheer/deelnemers/{p}/bewerken": COORDINATOR_ONLY,
    "/beheer/deelnemers/{p}/export.json": COORDINATOR_ONLY,
    "/beheer/deelnemers/{p}/export.pdf": COORDINATOR_ONLY,
    "/beheer/deelnemers/999999": COORDINATOR_UNKNOWN,
    "/beheer/deelnemers/99999999999999999999": COORDINATOR_UNKNOWN,
    "/kandidaten": PROFILES,
    "/kandidaten/{shared}": PROFILES,
    "/kandidaten/{hidden}": PROFILE_HIDDEN,
    "/kandidaten/{named}": PROFILE_OWN_ONLY,
    "/kandidaten/{left}": PROFILE_HIDDEN,
    "/kandidaten/{withdrawn}": PROFILE_HIDDEN,
    "/kandidaten/GEEN-CODE": PROFILE_HIDDEN,
    "/api/v1/participants": API_COORDINATOR_ONLY,
    "/api/v1/participants/{p}": API_COORDINATOR_ONLY,
    "/api/v1/participants/{p}/consents": API_COORDINATOR_ONLY,
    "/api/v1/participants/{p}/export": API_COORDINATOR_ONLY,
    "/api/v1/participants/999999": API_COORDINATOR_UNKNOWN,
    "/api/v1/profiles": API_PROFILES,
    "/api/v1/profiles/{shared}": API_PROFILES,
    "/api/v1/profiles/{hidden}": API_PROFILE_HIDDEN,
    "/api/v1/profiles/{named}": API_PROFILE_OWN_ONLY,
    "/api/v1/profiles/{left}": API_PROFILE_HIDDEN,
    "/api/v1/profiles/{withdrawn}": API_PROFILE_HIDDEN,
}
CASES = [(path, role) for path in SURFACES for role in ROLES]

# Values that must never reach anyone but a coordinator, nor the audit log.
SECRETS = (
    "Geheimnaam",
    "Verborgen",
    "geheim@example.nl",
    "0687654321",
    "1990-07-15",
    "wajong",
    "schriftelijke-instructies",
    "niet-zwaar-tillen",
    "Werkt het best met een vaste collega",
    "Wil niet bij een bakkerij",
)
SENSITIVE = {
    "first_name": "Geheimnaam",
    "last_name": "Verborgen",
    "email": "geheim@example.nl",
    "phone": "0687654321",
    "date_of_birth": "1990-07-15",
    "register_ground": "wajong",
    "benefit": "wajong",
    "support_needs": ["schriftelijke-instructies", "niet-zwaar-tillen"],
    "support_notes": "Werkt het best met een vaste collega",
    "notes": "Wil niet bij een bakkerij",
}


@pytest.fixture
async def world(migrated) -> dict[str, object]:
    own = await factories.organisation("Eigen Organisatie BV")
    other = await factories.organisation("Andere Organisatie BV")
    actor = factories.coordinator_principal()
    p = await factories.participant("beschikbaar", **SENSITIVE)
    await repository.add_consent(actor, p, "profiel")
    hidden = await factories.participant("beschikbaar", **SENSITIVE)
    named = await factories.participant("beschikbaar", **SENSITIVE)
    await repository.add_consent(actor, named, "identiteit", organisation_id=own)
    left = await factories.participant("beschikbaar", **SENSITIVE)
    await repository.add_consent(actor, left, "profiel")
    await repository.change_status(actor, left, "uitgestroomd")
    withdrawn = await factories.participant("beschikbaar", **SENSITIVE)
    await repository.add_consent(actor, withdrawn, "profiel")
    await repository.add_consent(actor, withdrawn, "identiteit", organisation_id=own)
    for consent in await Consent.select(Consent.id).where(Consent.participant == withdrawn):
        await repository.withdraw_consent(actor, withdrawn, consent["id"])
    codes = {r["id"]: r["code"] for r in await Participant.select(Participant.id, Participant.code)}
    return {
        "own": own,
        "other": other,
        "p": p,
        "shared": codes[p],
        "hidden": codes[hidden],
        "named": codes[named],
        "left": codes[left],
        "withdrawn": codes[withdrawn],
    }


@pytest.mark.parametrize(("path", "role"), CASES, ids=[f"{r}:{p}" for p, r in CASES])
async def test_reads(client, world, path, role):
    actor = await actor_for(role, client, world)  # type: ignore[arg-type]
    url = path.format(**world)
    api = url.startswith("/api/")
    r = await client.get(url, headers=actor.headers if api else {})
    expected = SURFACES[path][role]
    if expected == LOGIN:
        assert r.status_code == 303 and r.headers["location"].startswith("/login?volgende=")
        return
    assert r.status_code == expected, (r.status_code, r.text[:300])
    if api and expected != OK:
        assert r.headers["content-type"].startswith("application/problem+json")
    if expected != OK or role == "coordinator":
        return
    # What a member sees holds nothing sensitive, except the name and contact of the one
    # participant who consented for the member's own organisation.
    text = r.text
    shows_identity = role == "member" and path.endswith("{named}")
    for secret in SECRETS:
        if shows_identity and secret in (
            "Geheimnaam",
            "Verborgen",
            "geheim@example.nl",
            "0687654321",
        ):
            assert secret in text, secret
        else:
            assert secret not in text, (secret, url)
    if api and "/profiles/" in path:
        assert (r.json()["identity"] is not None) is shows_identity


@pytest.mark.parametrize("role", ["member", "other_member"])
async def test_the_profile_list_shows_exactly_what_is_shared_with_the_member(client, world, role):
    actor = await actor_for(role, client, world)  # type: ignore[arg-type]
    r = await client.get("/api/v1/profiles", headers=actor.headers)
    codes = {item["code"] for item in r.json()["items"]}
    expected = {world["shared"], world["named"]} if role == "member" else {world["shared"]}
    assert codes == expected
    assert r.json()["total"] == len(expected)


# --- writes --------------------------------------------------------------------------------

PAGE_WRITES = [
    (
        "/beheer/deelnemers/nieuw",
        {
            "first_name": "X",
            "last_name": "Y",
            "hours_max": "8",
            "municipality_code": "GM0106",
            "days": "ma",
        },
    ),
    (
        "/beheer/deelnemers/{p}/bewerken",
        {
            "first_name": "Veranderd",
            "last_name": "Y",
            "hours_max": "8",
            "municipality_code": "GM0106",
            "days": "ma",
        },
    ),
    ("/beheer/deelnemers/{p}/status", {"status": "uitgestroomd"}),
    (
        "/beheer/deelnemers/{p}/toestemmingen",
        {"kind": "identiteit", "organisation_id": "{own}", "confirm": "1"},
    ),
    ("/beheer/deelnemers/{p}/toestemmingen/{consent}/intrekken", {}),
    ("/beheer/deelnemers/{p}/wissen", {"confirm_erase": "1"}),
]
API_WRITES = [
    (
        "POST",
        "/api/v1/participants",
        {
            "first_name": "X",
            "last_name": "Y",
            "hours_max": 8,
            "municipality_code": "GM0106",
            "days": ["ma"],
        },
    ),
    ("PATCH", "/api/v1/participants/{p}", {"first_name": "Veranderd"}),
    ("POST", "/api/v1/participants/{p}/status", {"status": "uitgestroomd"}),
    ("POST", "/api/v1/participants/{p}/consents", {"kind": "identiteit", "organisation_id": 0}),
    ("POST", "/api/v1/participants/{p}/consents/{consent}/withdraw", None),
    ("POST", "/api/v1/participants/{p}/erase", None),
]


async def snapshot() -> tuple:
    participants = await Participant.select().order_by(Participant.id).output(load_json=True)
    consents = await Consent.select().order_by(Consent.id)
    return (participants, consents)


@pytest.mark.parametrize("role", ["member", "other_member", "wsp", "admin"])
@pytest.mark.parametrize(("path", "data"), PAGE_WRITES, ids=[p for p, _ in PAGE_WRITES])
async def test_no_page_write_outside_the_coordinators(client, world, role, path, data):
    await actor_for(role, client, world)  # type: ignore[arg-type]
    world = {**world, "consent": (await Consent.select(Consent.id).first())["id"]}
    before = await snapshot()
    page = await client.get("/overzicht")
    body = {k: v.format(**world) for k, v in data.items()}
    r = await client.post(
        path.format(**world), data={**body, "_csrf": factories.csrf_from(page.text)}
    )
    assert r.status_code == 403, r.text[:300]
    assert await snapshot() == before


@pytest.mark.parametrize("role", ["member", "other_member", "wsp", "admin"])
@pytest.mark.parametrize(("method", "path", "data"), API_WRITES, ids=[p for _, p, _ in API_WRITES])
async def test_no_api_write_outside_the_coordinators(client, world, role, method, path, data):
    user = await {
        "member": lambda: factories.user(Role.MEMBER, organisation_id=world["own"]),
        "other_member": lambda: factories.user(Role.MEMBER, organisation_id=world["other"]),
        "wsp": lambda: factories.user(Role.WSP),
        "admin": lambda: factories.user(Role.ADMIN),
    }[role]()
    token = await token_repository.create(user_id=user.id, name="w", scope="write", days=1)
    world = {**world, "consent": (await Consent.select(Consent.id).first())["id"]}
    if data and "organisation_id" in data:
        data = {**data, "organisation_id": world["own"]}
    before = await snapshot()
    r = await client.request(
        method,
        path.format(**world),
        json=data,
        headers={"Authorization": f"Bearer {token.token}"},
    )
    assert r.status_code == 403, r.text[:300]
    assert r.headers["content-type"].startswith("application/problem+json")
    assert await snapshot() == before


async def test_a_read_token_of_a_coordinator_cannot_change_a_participant(client, world):
    user = await factories.user(Role.COORDINATOR)
    token = await token_repository.create(user_id=user.id, name="r", scope="read", days=1)
    before = await snapshot()
    r = await client.patch(
        f"/api/v1/participants/{world['p']}",
        json={"first_name": "Veranderd"},
        headers={"Authorization": f"Bearer {token.token}"},
    )
    assert r.status_code == 403
    assert await snapshot() == before


# --- the audit trail -------------------------------------------------------------------


async def test_every_read_is_audited_without_sensitive_values(client, world):
    coordinator = await factories.user(Role.COORDINATOR)
    await factories.login(client, coordinator)
    token = await token_repository.create(user_id=coordinator.id, name="a", scope="read", days=1)
    bearer = {"Authorization": f"Bearer {token.token}"}
    p = world["p"]

    reads = [
        ("/beheer/deelnemers", {}, "participant_list_read", ""),
        (f"/beheer/deelnemers/{p}", {}, "participant_read", str(p)),
        (f"/beheer/deelnemers/{p}/bewerken", {}, "participant_read", str(p)),
        (f"/beheer/deelnemers/{p}/export.json", {}, "participant_exported", str(p)),
        ("/api/v1/participants", bearer, "participant_list_read", ""),
        (f"/api/v1/participants/{p}", bearer, "participant_read", str(p)),
        (f"/api/v1/participants/{p}/consents", bearer, "participant_consents_read", str(p)),
        (f"/api/v1/participants/{p}/export", bearer, "participant_exported", str(p)),
    ]
    for path, headers, action, object_id in reads:
        latest = (
            await AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id, ascending=False).first()
        )
        r = await client.get(path, headers=headers)
        assert r.status_code == 200, path
        events = (
            await AuditEvent.select()
            .where(AuditEvent.id > (latest["id"] if latest else 0))
            .order_by(AuditEvent.id)
        )
        assert [(e["action"], e["object_id"], e["actor_id"]) for e in events] == [
            (action, object_id, coordinator.id)
        ], path
        if action == "participant_list_read":
            assert str(p) in events[0]["detail"].split("ids: ")[1].split(",")

    # A member's reads of profiles are audited too, per participant.
    member = await factories.user(Role.MEMBER, organisation_id=world["own"])
    member_token = await token_repository.create(user_id=member.id, name="m", scope="read", days=1)
    named_id = (
        await Participant.select(Participant.id).where(Participant.code == world["named"]).first()
    )["id"]
    r = await client.get(
        f"/api/v1/profiles/{world['named']}",
        headers={"Authorization": f"Bearer {member_token.token}"},
    )
    assert r.status_code == 200 and r.json()["identity"]["first_name"] == "Geheimnaam"
    last = await AuditEvent.select().order_by(AuditEvent.id, ascending=False).first()
    assert (last["action"], last["object_id"], last["actor_id"]) == (
        "participant_identity_read",
        str(named_id),
        member.id,
    )

    r = await client.get(
        "/api/v1/profiles", headers={"Authorization": f"Bearer {member_token.token}"}
    )
    assert r.status_code == 200
    last = await AuditEvent.select().order_by(AuditEvent.id, ascending=False).first()
    assert (last["action"], last["actor_id"]) == ("participant_profiles_read", member.id)
    assert str(named_id) in last["detail"].split("ids: ")[1].split(",")

    # Nothing sensitive anywhere in the log.
    for event in await AuditEvent.select():
        flat = " ".join(str(v) for v in event.values())
        for secret in SECRETS:
            assert secret not in flat, (secret, event)


async def test_changes_are_audited_with_field_names_only(client, world):
    coordinator = await factories.user(Role.COORDINATOR)
    token = await token_repository.create(user_id=coordinator.id, name="a", scope="write", days=1)
    bearer = {"Authorization": f"Bearer {token.token}"}
    p = world["p"]
    r = await client.patch(
        f"/api/v1/participants/{p}",
        json={"support_notes": "Heeft een rustige plek nodig", "benefit": "ww"},
        headers=bearer,
    )
    assert r.status_code == 200, r.text
    event = await AuditEvent.select().where(AuditEvent.action == "participant_updated").first()
    assert event["detail"] == "changed: benefit, support_notes"
    for e in await AuditEvent.select():
        flat = " ".join(str(v) for v in e.values())
        assert "rustige plek" not in flat and " ww" not in flat
