"""Factories for the records tests need, made through the same code the service uses."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime

import httpx
import pyotp

from coop.accounts import passwords, repository, second_factor, totp
from coop.accounts.roles import Role
from coop.members.tables import Organisation
from selfscan.tenants.tables import ConsentVersion, Tenant

PASSWORD = "correct paard batterij nietje"


async def organisation(name: str = "Bakkerij De Korenaar") -> int:
    rows = await Organisation.insert(Organisation(name=name, created_at=datetime.now(UTC)))
    return rows[0]["id"]


async def tenant(slug: str = "wsp-test", name: str = "WSP Test", **columns: object) -> int:
    """A tenant; ``columns`` sets any other Tenant column (``allowed_origins=[...]``,
    ``lead_email=...``, ``active=False``). Consent version 1 is kept like the service does."""
    values: dict[str, object] = {
        "consent_text": f"Ja, {name} mag contact met mij opnemen over deze scan.",
        "lead_email": f"leads@{slug}.test",
        "active": True,
        **columns,
    }
    rows = await Tenant.insert(
        Tenant(slug=slug, name=name, created_at=datetime.now(UTC), **values)  # type: ignore[arg-type]
    )
    tenant_id = rows[0]["id"]
    await ConsentVersion.insert(
        ConsentVersion(
            tenant=tenant_id,
            version=values.get("consent_version", 1),
            text=values["consent_text"],
            created_at=datetime.now(UTC),
        )
    )
    return tenant_id


class TestUser:
    def __init__(
        self, user_id: int, email: str, password: str, secret: str | None, recovery_codes: list[str]
    ) -> None:
        self.id = user_id
        self.email = email
        self.password = password
        self.secret = secret
        self.recovery_codes = recovery_codes
        self._last_step = 0

    def code(self) -> str:
        """A TOTP code for a time step not used before by this user in the test."""
        assert self.secret
        now = time.time()
        # The server accepts the previous, current and next step. The previous one is
        # taken first, so that three codes fit in one step; but near the end of a step it
        # could expire before a busy server checks it, so then start at the current one.
        earliest = int(now // totp.STEP_S) - (1 if now % totp.STEP_S < totp.STEP_S - 10 else 0)
        step = max(earliest, self._last_step + 1)
        self._last_step = step
        return pyotp.TOTP(self.secret, interval=totp.STEP_S).generate_otp(step)


async def user(
    role: Role | str = Role.MEMBER,
    *,
    email: str | None = None,
    password: str = PASSWORD,
    organisation_id: int | None = None,
    tenant_id: int | None = None,
    with_totp: bool | None = None,
    name: str = "",
) -> TestUser:
    role = Role(role)
    if role == Role.MEMBER and organisation_id is None:
        organisation_id = await organisation()
    if role == Role.WSP and tenant_id is None:
        tenant_id = await tenant()
    email = email or f"{role.value}-{time.monotonic_ns()}@example.nl"
    user_id = await repository.create_user(
        email=email,
        role=role,
        name=name or role.value.title(),
        password_hash=await passwords.hash_password(password),
        organisation_id=organisation_id,
        tenant_id=tenant_id,
    )
    secret, codes = None, []
    if with_totp if with_totp is not None else role.needs_second_factor:
        secret = totp.new_secret()
        # Enrolled at an old step, so every code of "now" is still unused.
        codes, _ = await second_factor.enable(user_id, secret, 0)
    return TestUser(user_id, email, password, secret, codes)


def csrf_from(html: str) -> str:
    match = re.search(r'name="_csrf" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


async def login(
    client: httpx.AsyncClient, who: TestUser, *, second_factor: bool = True
) -> httpx.Response:
    """Log in through the pages, as a browser would; returns the last response."""
    page = await client.get("/login")
    response = await client.post(
        "/login",
        data={"email": who.email, "password": who.password, "_csrf": csrf_from(page.text)},
    )
    if response.status_code == 303 and response.headers["location"].startswith(
        "/login/tweede-factor"
    ):
        if not second_factor:
            return response
        page = await client.get("/login/tweede-factor")
        response = await client.post(
            "/login/tweede-factor", data={"code": who.code(), "_csrf": csrf_from(page.text)}
        )
    return response


# --- participants (coop/participants) ---------------------------------------------------

PARTICIPANT_DEFAULTS = {
    "first_name": "Sanne",
    "last_name": "Testdeelnemer",
    "email": "sanne@example.nl",
    "phone": "06 12345678",
    "date_of_birth": "1995-04-12",
    "municipality_code": "GM0106",  # Assen, region Groningen
    "register_in": True,
    "register_ground": "participatiewet",
    "register_start": "2024-01-01",
    "benefit": "bijstand",
    "education_level": "mbo-1",
    "hours_min": 12,
    "hours_max": 24,
    "days": ["ma", "di", "do"],
    "guidance": "intensief",
    "support_needs": ["schriftelijke-instructies", "niet-zwaar-tillen"],
    "support_notes": "Werkt het best met een vaste collega in de buurt.",
    "task_kinds": ["groen"],
}


def coordinator_principal(user_id: int = 0):  # type: ignore[no-untyped-def]
    from coop.accounts.principal import Principal

    return Principal(
        user_id=user_id, email="factory@example.nl", name="Factory", role=Role.COORDINATOR
    )


async def place(organisation: int | None, **columns: object) -> int:
    """An open paid place of ``organisation`` (None: the cooperative's own), 26 hours a
    week with 5 slots from 2024; ``columns`` override any column."""
    from coop.work.tables import Place

    moment = datetime.now(UTC)
    values = {
        "organisation": organisation,
        "source": "aanbod",
        "place_type": "betaalde_baan",
        "employment_model": "a",
        "title": "Medewerker groenonderhoud",
        "capacity": 5,
        "minutes_per_week": 26 * 60,
        "municipality_code": "GM0106",
        "region_code": "AM01",
        "start_date": date(2024, 1, 1),
        "status": "open",
        "created_at": moment,
        "updated_at": moment,
        **columns,
    }
    return (await Place.insert(Place(**values)))[0]["id"]


async def participant(status: str | None = None, **overrides: object) -> int:
    """A participant made through the service's own checks; ``status`` walks the life
    cycle (aangemeld -> beschikbaar -> ...)."""
    from datetime import date

    from coop.participants import repository as participants
    from coop.participants import rules as participant_rules

    values = {**PARTICIPANT_DEFAULTS, **overrides}
    clean, errors = participant_rules.check_participant(values, today=date.today())
    assert not errors, errors
    actor = coordinator_principal()
    participant_id = await participants.create(actor, clean)
    path = {
        None: [],
        "aangemeld": [],
        "beschikbaar": ["beschikbaar"],
        "geplaatst": ["beschikbaar", "geplaatst"],
        "uitgestroomd": ["beschikbaar", "uitgestroomd"],
    }[status]
    for step in path:
        await participants.change_status(actor, participant_id, step)
    return participant_id
