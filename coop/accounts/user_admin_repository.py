"""User administration and one-time links: the queries, and the operations that change a
user, each in one write transaction with its audit record.

The rules that protect the cooperative against locking itself out live here too, as small
pure functions (:func:`role_change_refusal`, :func:`deactivation_refusal`), and are
checked inside the transaction against the active admins, whose rows are locked on
PostgreSQL (SQLite's IMMEDIATE transaction holds the whole database), so two admins
demoting each other at the same moment cannot leave the cooperative without one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
from piccolo.columns.combination import WhereRaw

from coop import db
from coop.accounts import second_factor
from coop.accounts.principal import Principal
from coop.accounts.repository import create_user, new_stamp, normalise_email, now
from coop.accounts.roles import Role
from coop.accounts.tables import OneTimeLink, User
from coop.audit.log import record
from coop.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from coop.members.tables import Organisation
from coop.web.i18n import gettext as _
from selfscan.tenants.tables import Tenant

PAGE_SIZE = 50


# --- rules (pure) -------------------------------------------------------------------------


def placement_problems(
    role: Role, organisation_id: int | None, tenant_id: int | None
) -> list[FieldError]:
    """A member belongs to one organisation, a WSP user to one tenant, staff to neither."""
    errors = []
    if role == Role.MEMBER and organisation_id is None:
        errors.append(
            FieldError("organisation", _("Kies de organisatie waar deze gebruiker bij hoort."))
        )
    if role == Role.WSP and tenant_id is None:
        errors.append(FieldError("tenant", _("Kies het werkgeversservicepunt van deze gebruiker.")))
    return errors


def placement_for(
    role: Role, organisation_id: int | None, tenant_id: int | None
) -> tuple[int | None, int | None]:
    """What is kept of organisation and tenant for ``role``: only what the role uses."""
    return (
        organisation_id if role == Role.MEMBER else None,
        tenant_id if role == Role.WSP else None,
    )


def role_change_refusal(
    actor_id: int, target: dict[str, Any], new_role: Role, active_admin_ids: set[int]
) -> str | None:
    """Why ``actor_id`` may not give ``target`` the role ``new_role``, or None."""
    if target["id"] == actor_id:
        return _("U kunt uw eigen rol niet wijzigen. Vraag dit aan een andere beheerder.")
    if (
        target["role"] == Role.ADMIN
        and new_role != Role.ADMIN
        and target["active"]
        and active_admin_ids <= {target["id"]}
    ):
        return _(
            "Dit is de laatste actieve beheerder. Maak eerst iemand anders beheerder, "
            "dan kunt u deze rol wijzigen."
        )
    return None


def deactivation_refusal(
    actor_id: int, target: dict[str, Any], active_admin_ids: set[int]
) -> str | None:
    if target["id"] == actor_id:
        return _("U kunt uw eigen account niet deactiveren.")
    if target["role"] == Role.ADMIN and target["active"] and active_admin_ids <= {target["id"]}:
        return _(
            "Dit is de laatste actieve beheerder. Maak eerst iemand anders beheerder, "
            "dan kunt u dit account deactiveren."
        )
    return None


# --- reading ------------------------------------------------------------------------------


class UserRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    email: str
    name: str
    role: str
    organisation: int | None
    organisation_name: str | None
    tenant: int | None
    tenant_name: str | None
    active: bool
    has_password: bool
    totp_enabled_at: datetime | None
    last_login_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class UserPage:
    items: list[UserRow]
    total: int
    page: int
    pages: int


_ROW_COLUMNS = (
    User.id,
    User.email,
    User.name,
    User.role,
    User.organisation,
    User.organisation.name.as_alias("organisation_name"),
    User.tenant,
    User.tenant.name.as_alias("tenant_name"),
    User.active,
    User.password_hash,
    User.totp_enabled_at,
    User.last_login_at,
    User.created_at,
)


def _as_row(row: dict[str, Any]) -> UserRow:
    # The hash itself never leaves this module: only whether there is one.
    row = dict(row)
    row["has_password"] = row.pop("password_hash") is not None
    return msgspec.convert(row, UserRow)


async def list_users(
    *, role: Role | None = None, active: bool | None = None, search: str = "", page: int = 1
) -> UserPage:
    conditions = []
    if role is not None:
        conditions.append(User.role == role.value)
    if active is not None:
        conditions.append(User.active == active)
    search = search.strip().lower()
    if search:
        # A plain substring (no LIKE wildcards to escape): instr on SQLite, strpos on
        # PostgreSQL. Addresses are stored lower-case; names are compared lower-cased
        # (SQLite lowers only ASCII letters, so there "Å" and "å" stay different).
        find = "instr" if db.is_sqlite(db.engine()) else "strpos"
        table = User._meta.tablename
        conditions.append(
            WhereRaw(
                f'({find}("{table}"."email", {{}}) > 0 '
                f'OR {find}(lower("{table}"."name"), {{}}) > 0)',
                search,
                search,
            )
        )
    query = User.select(*_ROW_COLUMNS).order_by(User.name).order_by(User.email)
    count = User.count()
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    total = await count
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = await query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    return UserPage(items=[_as_row(r) for r in rows], total=total, page=page, pages=pages)


async def user_row(user_id: int) -> UserRow | None:
    row = await User.select(*_ROW_COLUMNS).where(User.id == user_id).first()
    return _as_row(row) if row else None


async def organisation_choices() -> list[dict[str, Any]]:
    return await Organisation.select(Organisation.id, Organisation.name).order_by(Organisation.name)


async def tenant_choices() -> list[dict[str, Any]]:
    return await Tenant.select(Tenant.id, Tenant.slug, Tenant.name).order_by(Tenant.name)


async def organisation_exists(organisation_id: int) -> bool:
    return await Organisation.exists().where(Organisation.id == organisation_id)


async def tenant_exists(tenant_id: int) -> bool:
    return await Tenant.exists().where(Tenant.id == tenant_id)


async def email_taken(email: str) -> bool:
    return await User.exists().where(User.email == normalise_email(email))


async def user_for_mail(user_id: int) -> dict[str, Any] | None:
    row = (
        await User.select(
            User.id, User.email, User.name, User.language, User.active, User.password_hash
        )
        .where(User.id == user_id)
        .first()
    )
    if row is None:
        return None
    row["has_password"] = row.pop("password_hash") is not None
    return row


async def user_for_reset(email: str) -> dict[str, Any] | None:
    return (
        await User.select(User.id, User.email, User.active)
        .where(User.email == normalise_email(email))
        .first()
    )


# --- one-time links -----------------------------------------------------------------------


async def insert_link(
    *,
    user_id: int,
    purpose: str,
    token_hash: str,
    created_at: datetime,
    expires_at: datetime,
    created_by: int | None,
) -> int:
    rows = await OneTimeLink.insert(
        OneTimeLink(
            user=user_id,
            purpose=purpose,
            token_hash=token_hash,
            created_at=created_at,
            expires_at=expires_at,
            used_at=None,
            created_by=created_by,
        )
    ).returning(OneTimeLink.id)
    return rows[0]["id"]


async def expire_open_links(
    user_id: int, purposes: tuple[str, ...], when: datetime, *, except_id: int | None = None
) -> None:
    """Links not used yet stop working now (they keep their row, for the record)."""
    query = OneTimeLink.update({OneTimeLink.expires_at: when}).where(
        (OneTimeLink.user == user_id)
        & OneTimeLink.purpose.is_in(list(purposes))
        & OneTimeLink.used_at.is_null()
    )
    if except_id is not None:
        query = query.where(OneTimeLink.id != except_id)
    await query


async def link_by_hash(token_hash: str) -> dict[str, Any] | None:
    return (
        await OneTimeLink.select(
            OneTimeLink.id,
            OneTimeLink.purpose,
            OneTimeLink.expires_at,
            OneTimeLink.used_at,
            OneTimeLink.user.as_alias("user_id"),
            OneTimeLink.user.email.as_alias("email"),
            OneTimeLink.user.name.as_alias("name"),
            OneTimeLink.user.active.as_alias("active"),
            OneTimeLink.user.role.as_alias("role"),
        )
        .where(OneTimeLink.token_hash == token_hash)
        .first()
    )


async def mark_link_used(link_id: int, when: datetime) -> bool:
    """True for exactly one caller: a link raced twice is used once."""
    used = (
        await OneTimeLink.update({OneTimeLink.used_at: when})
        .where((OneTimeLink.id == link_id) & OneTimeLink.used_at.is_null())
        .returning(OneTimeLink.id)
    )
    return bool(used)


async def set_password_from_link(user_id: int, password_hash: str) -> None:
    """The password from an invitation or reset link: every session of the user ends."""
    stamp = new_stamp()
    await User.update(
        {
            User.password_hash: password_hash,
            User.security_stamp: stamp,
            User.password_changed_at: now(),
        }
    ).where(User.id == user_id)


# --- changing users (each in one transaction, audited) ------------------------------------


async def _active_admin_ids() -> set[int]:
    query = User.select(User.id).where((User.role == Role.ADMIN.value) & (User.active == True))  # noqa: E712
    if not db.is_sqlite(db.engine()):
        # Two admins demoting each other at once: the second waits, then counts again.
        query = query.lock_rows()
    return {row["id"] for row in await query}


async def _target(user_id: int) -> dict[str, Any]:
    row = (
        await User.select(User.id, User.email, User.role, User.active, User.totp_enabled_at)
        .where(User.id == user_id)
        .first()
    )
    if row is None:
        raise NotFound(_("Deze gebruiker bestaat niet."), code="user_not_found")
    return row


async def create_invited_user(
    *,
    actor: Principal | None,
    actor_email: str = "",
    email: str,
    name: str,
    role: Role,
    organisation_id: int | None,
    tenant_id: int | None,
    client_ip: str = "",
) -> int:
    """A user without a password. Call inside a write transaction; the caller sends the
    invitation in the same one. Raises :class:`ValidationFailed` for a taken address."""
    organisation_id, tenant_id = placement_for(role, organisation_id, tenant_id)
    if await email_taken(email):
        raise ValidationFailed(
            [FieldError("email", _("Er is al een gebruiker met dit e-mailadres."))]
        )
    user_id = await create_user(
        email=email,
        name=name,
        role=role,
        organisation_id=organisation_id,
        tenant_id=tenant_id,
    )
    detail = f"role {role.value}"
    if organisation_id is not None:
        detail += f", organisation {organisation_id}"
    if tenant_id is not None:
        detail += f", tenant {tenant_id}"
    await record(
        "user_invited",
        actor=actor,
        actor_email=actor_email,
        object_type="user",
        object_id=user_id,
        client_ip=client_ip,
        detail=detail,
    )
    return user_id


async def change_role(
    actor: Principal,
    user_id: int,
    new_role: Role,
    *,
    organisation_id: int | None,
    tenant_id: int | None,
    client_ip: str = "",
) -> bool:
    """Give ``user_id`` a new role (and the organisation or tenant it needs). Every
    session of the user ends. Returns False when nothing changed."""
    errors = placement_problems(new_role, organisation_id, tenant_id)
    organisation_id, tenant_id = placement_for(new_role, organisation_id, tenant_id)
    async with db.write_transaction():
        target = await _target(user_id)
        if target["id"] == actor.user_id:
            raise PermissionDenied(role_change_refusal(actor.user_id, target, new_role, set()))
        if errors:
            raise ValidationFailed(errors)
        if organisation_id is not None and not await organisation_exists(organisation_id):
            raise ValidationFailed(
                [FieldError("organisation", _("Deze organisatie bestaat niet (meer)."))]
            )
        if tenant_id is not None and not await tenant_exists(tenant_id):
            raise ValidationFailed(
                [FieldError("tenant", _("Dit werkgeversservicepunt bestaat niet (meer)."))]
            )
        current = (
            await User.select(User.role, User.organisation, User.tenant)
            .where(User.id == user_id)
            .first()
        )
        assert current is not None
        if (current["role"], current["organisation"], current["tenant"]) == (
            new_role.value,
            organisation_id,
            tenant_id,
        ):
            return False
        refusal = role_change_refusal(actor.user_id, target, new_role, await _active_admin_ids())
        if refusal:
            raise Conflict(refusal, code="last_admin")
        await User.update(
            {
                User.role: new_role.value,
                User.organisation: organisation_id,
                User.tenant: tenant_id,
                User.security_stamp: new_stamp(),
            }
        ).where(User.id == user_id)
        detail = f"{current['role']} -> {new_role.value}"
        if current["role"] == new_role.value:
            detail += " (organisation or tenant changed)"
        if organisation_id is not None:
            detail += f", organisation {organisation_id}"
        if tenant_id is not None:
            detail += f", tenant {tenant_id}"
        await record(
            "role_changed",
            actor=actor,
            object_type="user",
            object_id=user_id,
            client_ip=client_ip,
            detail=detail,
        )
    return True


async def set_active(actor: Principal, user_id: int, active: bool, *, client_ip: str = "") -> bool:
    """Deactivate (every session ends, tokens and open links stop working) or activate.
    Returns False when the user already was so."""
    async with db.write_transaction():
        target = await _target(user_id)
        if target["id"] == actor.user_id:
            raise PermissionDenied(
                deactivation_refusal(actor.user_id, target, set())
                if not active
                else _("U kunt uw eigen account niet activeren of deactiveren.")
            )
        if target["active"] == active:
            return False
        if not active:
            refusal = deactivation_refusal(actor.user_id, target, await _active_admin_ids())
            if refusal:
                raise Conflict(refusal, code="last_admin")
            await expire_open_links(user_id, ("invite", "reset"), now())
        await User.update({User.active: active, User.security_stamp: new_stamp()}).where(
            User.id == user_id
        )
        await record(
            "user_activated" if active else "user_deactivated",
            actor=actor,
            object_type="user",
            object_id=user_id,
            client_ip=client_ip,
        )
    return True


async def reset_second_factor(actor: Principal, user_id: int, *, client_ip: str = "") -> None:
    async with db.write_transaction():
        target = await _target(user_id)
        if target["id"] == actor.user_id:
            raise PermissionDenied(_("Uw eigen tweede factor stelt u opnieuw in via Mijn account."))
        if target["totp_enabled_at"] is None:
            raise Conflict(_("Deze gebruiker heeft geen tweede factor ingesteld."))
        await second_factor.reset(user_id)
        await record(
            "second_factor_reset",
            actor=actor,
            object_type="user",
            object_id=user_id,
            client_ip=client_ip,
        )


def is_unique_violation(exc: BaseException) -> bool:
    """A unique constraint refused the insert (asyncpg's UniqueViolationError, or
    sqlite3's IntegrityError about UNIQUE)."""
    name = type(exc).__name__
    return name == "UniqueViolationError" or (
        name == "IntegrityError" and "UNIQUE" in str(exc).upper()
    )
