"""Queries of the accounts app: the one place that reads and writes its tables."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from coop.accounts.roles import Role
from coop.accounts.tables import ApiToken, User
from selfscan.tenants.tables import Tenant

USER_COLUMNS = (
    User.id,
    User.email,
    User.name,
    User.role,
    User.organisation,
    User.tenant,
    User.tenant.slug.as_alias("tenant_slug"),
    User.active,
    User.security_stamp,
    User.totp_enabled_at,
    User.language,
)


def now() -> datetime:
    return datetime.now(UTC)


def new_stamp() -> str:
    return secrets.token_hex(16)


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def user_by_id(user_id: int) -> dict[str, Any] | None:
    return await User.select(*USER_COLUMNS).where(User.id == user_id).first()


async def user_by_email(email: str) -> dict[str, Any] | None:
    return (
        await User.select(*USER_COLUMNS, User.password_hash)
        .where(User.email == normalise_email(email))
        .first()
    )


async def token_with_user(prefix: str) -> dict[str, Any] | None:
    return (
        await ApiToken.select(
            ApiToken.id,
            ApiToken.token_hash,
            ApiToken.scope,
            ApiToken.expires_at,
            ApiToken.revoked_at,
            ApiToken.last_used_at,
            ApiToken.user,
        )
        .where(ApiToken.prefix == prefix)
        .first()
    )


async def touch_token(token_id: int, when: datetime) -> None:
    await ApiToken.update({ApiToken.last_used_at: when}).where(ApiToken.id == token_id)


async def create_user(
    *,
    email: str,
    role: Role,
    name: str = "",
    password_hash: str | None = None,
    organisation_id: int | None = None,
    tenant_id: int | None = None,
) -> int:
    rows = await User.insert(
        User(
            email=normalise_email(email),
            name=name,
            role=role.value,
            organisation=organisation_id,
            tenant=tenant_id,
            password_hash=password_hash,
            active=True,
            security_stamp=new_stamp(),
            created_at=now(),
            password_changed_at=now() if password_hash else None,
        )
    )
    return rows[0]["id"]


async def tenant_by_slug(slug: str) -> dict[str, Any] | None:
    return (
        await Tenant.select(Tenant.id, Tenant.slug, Tenant.name).where(Tenant.slug == slug).first()
    )


async def set_password_hash(user_id: int, password_hash: str, *, keep_stamp: bool = False) -> None:
    """A new password; unless only the hash's parameters changed, every session ends."""
    values: dict[Any, Any] = {User.password_hash: password_hash}
    if not keep_stamp:
        values[User.security_stamp] = new_stamp()
        values[User.password_changed_at] = now()
    await User.update(values).where(User.id == user_id)


async def mark_login(user_id: int) -> None:
    await User.update({User.last_login_at: now()}).where(User.id == user_id)


async def new_security_stamp(user_id: int) -> str:
    stamp = new_stamp()
    await User.update({User.security_stamp: stamp}).where(User.id == user_id)
    return stamp


# --- the user's own account page (coop.accounts.account_page) ---------------------------


async def account_details(user_id: int) -> dict[str, Any] | None:
    """What the user's own page shows: the user with the name of its organisation or tenant."""
    return (
        await User.select(
            User.id,
            User.email,
            User.name,
            User.role,
            User.organisation.name.as_alias("organisation_name"),
            User.tenant.name.as_alias("tenant_name"),
            User.totp_enabled_at,
            User.password_changed_at,
            User.last_login_at,
        )
        .where(User.id == user_id)
        .first()
    )


async def password_hash_of(user_id: int) -> str | None:
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    return row["password_hash"] if row else None
