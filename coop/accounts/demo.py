"""Demo accounts, one per role, for a first look. Never loaded in production."""

from __future__ import annotations

from datetime import UTC, datetime

from coop import db
from coop.accounts import passwords, repository
from coop.accounts.roles import Role
from coop.accounts.tables import User
from coop.audit.log import record
from coop.members.tables import Organisation
from selfscan.tenants.tables import Tenant

DEMO_ORGANISATION = "Bakkerij De Korenaar (demo)"
DEMO_TENANT = ("wsp-demo", "Werkgeversservicepunt Demo-regio")

# email, name, role, password (these pass the password policy)
ACCOUNTS = [
    ("beheerder@demo.coop.test", "Bea Beheerder", Role.ADMIN, "Vlinder-Kade-Oktober-17"),
    ("coordinator@demo.coop.test", "Cor Coördinator", Role.COORDINATOR, "Regen-Molen-Tulp-29"),
    ("lid@demo.coop.test", "Lotte Lid", Role.MEMBER, "Zeilboot-Maan-Deeg-64"),
    ("wsp@demo.coop.test", "Wim WSP", Role.WSP, "Haven-Brug-Lantaarn-38"),
]


async def _organisation_id() -> int:
    row = (
        await Organisation.select(Organisation.id)
        .where(Organisation.name == DEMO_ORGANISATION)
        .first()
    )
    if row:
        return row["id"]
    rows = await Organisation.insert(
        Organisation(name=DEMO_ORGANISATION, created_at=datetime.now(UTC))
    )
    return rows[0]["id"]


async def _tenant_id() -> int:
    slug, name = DEMO_TENANT
    row = await Tenant.select(Tenant.id).where(Tenant.slug == slug).first()
    if row:
        return row["id"]
    rows = await Tenant.insert(
        Tenant(slug=slug, name=name, active=True, created_at=datetime.now(UTC))
    )
    return rows[0]["id"]


async def load() -> list[str]:
    lines = ["Demo accounts (log in at /login):"]
    async with db.write_transaction():
        organisation_id = await _organisation_id()
        tenant_id = await _tenant_id()
        for email, name, role, password in ACCOUNTS:
            exists = await User.exists().where(User.email == email)
            if not exists:
                user_id = await repository.create_user(
                    email=email,
                    name=name,
                    role=role,
                    password_hash=await passwords.hash_password(password),
                    organisation_id=organisation_id if role == Role.MEMBER else None,
                    tenant_id=tenant_id if role == Role.WSP else None,
                )
                await record(
                    "user_created",
                    actor_email="coop demo",
                    object_type="user",
                    object_id=user_id,
                    detail=f"demo {role.value}",
                )
            note = " (second factor: set up at first login)" if role.needs_second_factor else ""
            state = "kept" if exists else "made"
            lines.append(f"  {role.value:<12} {email:<28} {password}  [{state}]{note}")
    return lines
