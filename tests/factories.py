"""Factories for the records tests need, made through the same code the service uses."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import httpx
import pyotp

from coop.accounts import passwords, repository, second_factor, totp
from coop.accounts.roles import Role
from coop.members.tables import Organisation
from selfscan.tenants.tables import Tenant

PASSWORD = "correct paard batterij nietje"


async def organisation(name: str = "Bakkerij De Korenaar") -> int:
    rows = await Organisation.insert(Organisation(name=name, created_at=datetime.now(UTC)))
    return rows[0]["id"]


async def tenant(slug: str = "wsp-test", name: str = "WSP Test") -> int:
    rows = await Tenant.insert(
        Tenant(slug=slug, name=name, active=True, created_at=datetime.now(UTC))
    )
    return rows[0]["id"]


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
        step = max(int(time.time() // totp.STEP_S) - 1, self._last_step + 1)
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
