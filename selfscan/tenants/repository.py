"""Queries of tenants: the one place that reads and writes ``selfscan_tenant`` and its
consent versions (the scan pages read a tenant through :mod:`selfscan.scans.repository`)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from piccolo.engine.sqlite import TransactionType

from selfscan.tenants.schemas import TenantBasics, TenantSettings
from selfscan.tenants.tables import ConsentVersion, Tenant

#: Every column but the logo's bytes.
COLUMNS = (
    Tenant.id,
    Tenant.slug,
    Tenant.name,
    Tenant.active,
    Tenant.created_at,
    Tenant.region_code,
    Tenant.contact_name,
    Tenant.contact_email,
    Tenant.contact_phone,
    Tenant.lead_email,
    Tenant.privacy_url,
    Tenant.consent_text,
    Tenant.consent_version,
    Tenant.lead_retention_months,
    Tenant.primary_colour,
    Tenant.secondary_colour,
    Tenant.logo_type,
    Tenant.allowed_origins,
    Tenant.updated_at,
)


class SlugTaken(ValueError):
    pass


def now() -> datetime:
    return datetime.now(UTC)


def write_transaction():  # type: ignore[no-untyped-def]
    """A write transaction (IMMEDIATE on SQLite); inside another one it joins that one."""
    db = Tenant._meta.db
    if db.engine_type == "sqlite":
        return db.transaction(transaction_type=TransactionType.immediate)
    return db.transaction()


def _normal(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is not None and not isinstance(row.get("allowed_origins"), list):
        row["allowed_origins"] = []
    return row


async def list_tenants() -> list[dict[str, Any]]:
    rows = await Tenant.select(*COLUMNS).order_by(Tenant.name).output(load_json=True)
    return [_normal(row) for row in rows]  # type: ignore[misc]


async def by_slug(slug: str) -> dict[str, Any] | None:
    if len(slug) > 40:
        return None
    row = await Tenant.select(*COLUMNS).where(Tenant.slug == slug).output(load_json=True).first()
    return _normal(row)


async def slug_exists(slug: str) -> bool:
    return await Tenant.exists().where(Tenant.slug == slug)


async def create(basics: TenantBasics, consent_text: str) -> int:
    async with write_transaction():
        if await slug_exists(basics.slug):
            raise SlugTaken(basics.slug)
        when = now()
        rows = await Tenant.insert(
            Tenant(
                slug=basics.slug,
                name=basics.name,
                region_code=basics.region_code,
                active=basics.active,
                consent_text=consent_text,
                consent_version=1,
                allowed_origins=[],
                created_at=when,
                updated_at=when,
            )
        ).returning(Tenant.id)
        tenant_id = rows[0]["id"]
        await ConsentVersion.insert(
            ConsentVersion(tenant=tenant_id, version=1, text=consent_text, created_at=when)
        )
    return tenant_id


async def update_basics(slug: str, basics: TenantBasics) -> None:
    await Tenant.update(
        {
            Tenant.name: basics.name,
            Tenant.region_code: basics.region_code,
            Tenant.active: basics.active,
            Tenant.updated_at: now(),
        }
    ).where(Tenant.slug == slug)


async def update_settings(slug: str, settings: TenantSettings) -> int:
    """Store the settings; a changed consent text becomes a new version. Returns the
    consent version now in force."""
    async with write_transaction():
        row = (
            await Tenant.select(Tenant.id, Tenant.consent_text, Tenant.consent_version)
            .where(Tenant.slug == slug)
            .first()
        )
        if row is None:
            raise LookupError(slug)
        version = row["consent_version"]
        when = now()
        if settings.consent_text.strip() != (row["consent_text"] or "").strip():
            version += 1
            await ConsentVersion.insert(
                ConsentVersion(
                    tenant=row["id"], version=version, text=settings.consent_text, created_at=when
                )
            )
        await Tenant.update(
            {
                Tenant.contact_name: settings.contact_name,
                Tenant.contact_email: settings.contact_email,
                Tenant.contact_phone: settings.contact_phone,
                Tenant.lead_email: settings.lead_email,
                Tenant.privacy_url: settings.privacy_url,
                Tenant.consent_text: settings.consent_text,
                Tenant.consent_version: version,
                Tenant.primary_colour: settings.primary_colour,
                Tenant.secondary_colour: settings.secondary_colour,
                Tenant.allowed_origins: settings.allowed_origins,
                Tenant.updated_at: when,
            }
        ).where(Tenant.id == row["id"])
    return version


async def consent_versions(tenant_id: int) -> list[dict[str, Any]]:
    return (
        await ConsentVersion.select(
            ConsentVersion.version, ConsentVersion.text, ConsentVersion.created_at
        )
        .where(ConsentVersion.tenant == tenant_id)
        .order_by(ConsentVersion.version, ascending=False)
    )


async def set_logo(slug: str, data: bytes | None, content_type: str) -> None:
    await Tenant.update(
        {Tenant.logo: data, Tenant.logo_type: content_type, Tenant.updated_at: now()}
    ).where(Tenant.slug == slug)


async def logo(slug: str) -> tuple[bytes, str, str] | None:
    """The logo of an active tenant: bytes, content type and an ETag."""
    row = (
        await Tenant.select(Tenant.logo, Tenant.logo_type)
        .where((Tenant.slug == slug) & (Tenant.active == True))  # noqa: E712
        .first()
    )
    if row is None or not row["logo"] or row["logo_type"] not in ("image/png", "image/svg+xml"):
        return None
    data = bytes(row["logo"])
    return data, row["logo_type"], hashlib.sha256(data).hexdigest()[:16]
