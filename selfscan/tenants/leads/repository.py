"""Queries of leads, and the erasing of leads and scans past their time: the one place
that reads and writes ``selfscan_lead`` (and deletes from ``selfscan_scan``).

Every query for the back office takes the tenant's id: a lead of another tenant is not
found (the caller answers 404), never refused.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import msgspec
from piccolo.engine.sqlite import TransactionType
from piccolo.query.functions.aggregate import Count

from selfscan.scans.tables import Scan
from selfscan.tenants.leads import rules, texts
from selfscan.tenants.leads.rules import ContactRequest, LeadUpdate
from selfscan.tenants.leads.tables import Lead
from selfscan.tenants.tables import Tenant

WITHDRAWN = "ingetrokken"
_ID_LIMIT = 2**31


def now() -> datetime:
    return datetime.now(UTC)


def write_transaction() -> Any:
    """IMMEDIATE on SQLite (the write lock up front); nested calls join the outer one."""
    db = Lead._meta.db
    if db.engine_type == "sqlite":
        return db.transaction(transaction_type=TransactionType.immediate)
    return db.transaction()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


class LeadTenant(msgspec.Struct, frozen=True, kw_only=True):
    """What leads need to know of a tenant."""

    id: int
    slug: str
    name: str
    lead_email: str
    contact_email: str
    consent_text: str
    consent_version: int
    privacy_url: str
    lead_retention_months: int

    def consent(self, lang: str) -> str:
        """The consent text the employer agrees to; a plain default while the tenant has
        none of its own (the default is always version 0)."""
        if self.consent_text.strip():
            return self.consent_text
        return texts.DEFAULT_CONSENT.get(lang).format(
            tenant=self.name, months=self.lead_retention_months
        )

    @property
    def notify_address(self) -> str:
        return self.lead_email or self.contact_email


_TENANT_COLUMNS = (
    Tenant.id,
    Tenant.slug,
    Tenant.name,
    Tenant.lead_email,
    Tenant.contact_email,
    Tenant.consent_text,
    Tenant.consent_version,
    Tenant.privacy_url,
    Tenant.lead_retention_months,
)


async def tenant(slug: str, *, active_only: bool = True) -> LeadTenant | None:
    if len(slug) > 40:
        return None
    where = Tenant.slug == slug
    if active_only:
        where = where & (Tenant.active == True)  # noqa: E712
    row = await Tenant.select(*_TENANT_COLUMNS).where(where).first()
    return msgspec.convert(row, LeadTenant) if row else None


# --- the employer's side -------------------------------------------------------------------


async def open_lead_of_scan(scan_id: int) -> bool:
    """Whether the scan already has a lead whose consent stands."""
    return await Lead.exists().where((Lead.scan == scan_id) & Lead.withdrawn_at.is_null())


class Created(msgspec.Struct, frozen=True):
    lead_id: int
    withdraw_token: str
    created_at: datetime


async def create(
    *,
    tenant: LeadTenant,
    scan_id: int,
    scan_token: str,
    request: ContactRequest,
    lang: str,
    then: Callable[[Created], Awaitable[None]],
    when: datetime | None = None,
) -> Created | None:
    """Store a lead and extend its scan's life to the lead's; ``then`` runs in the same
    transaction (it writes the mails), so the lead and its mails exist together or not
    at all. None when the scan already has a lead whose consent stands (a second click)."""
    when = when or now()
    token = secrets.token_urlsafe(24)
    async with write_transaction():
        if await open_lead_of_scan(scan_id):
            return None
        rows = await Lead.insert(
            Lead(
                tenant=tenant.id,
                scan=scan_id,
                lang=lang,
                organisation=request.organisation,
                contact_name=request.contact_name,
                email=request.email,
                phone=request.phone,
                question=request.question,
                consent_text=tenant.consent(lang),
                consent_version=tenant.consent_version if tenant.consent_text.strip() else 0,
                consented_at=when,
                status=rules.NEW,
                note="",
                scan_token=scan_token,
                withdraw_hash=_hash(token),
                withdrawn_at=None,
                created_at=when,
                updated_at=when,
            )
        ).returning(Lead.id)
        expires = rules.lead_expires_at(when, tenant.lead_retention_months)
        await Scan.update({Scan.expires_at: expires}).where(
            (Scan.id == scan_id) & (Scan.expires_at < expires)
        )
        created = Created(rows[0]["id"], token, when)
        await then(created)
    return created


_ERASED = {
    Lead.organisation: "",
    Lead.contact_name: "",
    Lead.email: "",
    Lead.phone: "",
    Lead.question: "",
    Lead.note: "",
    Lead.scan_token: "",
}


async def withdrawable(token: str) -> dict[str, Any] | None:
    """The lead of a withdrawal link (``id``, ``tenant_slug``, ``withdrawn_at``), or None."""
    if not 20 <= len(token) <= 64:
        return None
    return (
        await Lead.select(Lead.id, Lead.tenant.slug.as_alias("tenant_slug"), Lead.withdrawn_at)
        .where(Lead.withdraw_hash == _hash(token))
        .first()
    )


async def withdraw(token: str, when: datetime | None = None) -> bool:
    """Erase the contact details of the lead of a withdrawal link at once; the anonymous
    scan stays. False when the link finds no lead. Withdrawing twice changes nothing."""
    when = when or now()
    found = await withdrawable(token)
    if found is None:
        return False
    await Lead.update({**_ERASED, Lead.withdrawn_at: when, Lead.updated_at: when}).where(
        (Lead.id == found["id"]) & Lead.withdrawn_at.is_null()
    )
    return True


# --- the WSP's side ------------------------------------------------------------------------

_LIST_COLUMNS = (
    Lead.id,
    Lead.organisation,
    Lead.contact_name,
    Lead.email,
    Lead.phone,
    Lead.question,
    Lead.consent_text,
    Lead.consent_version,
    Lead.consented_at,
    Lead.status,
    Lead.note,
    Lead.lang,
    Lead.scan_token,
    Lead.withdrawn_at,
    Lead.created_at,
    Lead.updated_at,
    Lead.scan.overall.as_alias("overall"),
    Lead.scan.level.as_alias("level"),
    Lead.scan.employees.as_alias("employees"),
    Lead.scan.sector.as_alias("sector"),
    Lead.scan.completed_at.as_alias("scan_completed_at"),
)


def _status_where(status: str | None) -> Any:
    if status == WITHDRAWN:
        return Lead.withdrawn_at.is_not_null()
    if status in rules.STATUSES:
        return (Lead.status == status) & Lead.withdrawn_at.is_null()
    return None


async def list_leads(
    tenant_id: int, *, status: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """One page of a tenant's leads, newest first, with their scans' outcome; and the total."""
    where = Lead.tenant == tenant_id
    extra = _status_where(status)
    if extra is not None:
        where = where & extra
    rows = await (
        Lead.select(*_LIST_COLUMNS)
        .where(where)
        .order_by(Lead.created_at, ascending=False)
        .order_by(Lead.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    total = await Lead.count().where(where)
    return rows, total


async def iter_leads(tenant_id: int, batch: int = 500) -> AsyncIterator[dict[str, Any]]:
    """Every lead of a tenant, oldest first, in batches (the CSV export)."""
    last = 0
    while True:
        rows = await (
            Lead.select(*_LIST_COLUMNS)
            .where((Lead.tenant == tenant_id) & (Lead.id > last))
            .order_by(Lead.id)
            .limit(batch)
        )
        for row in rows:
            yield row
        if len(rows) < batch:
            return
        last = rows[-1]["id"]


async def lead(tenant_id: int, lead_id: int) -> dict[str, Any] | None:
    """One lead of the tenant, or None (unknown, or another tenant's)."""
    if not 0 < lead_id < _ID_LIMIT:
        return None
    return (
        await Lead.select(*_LIST_COLUMNS)
        .where((Lead.id == lead_id) & (Lead.tenant == tenant_id))
        .first()
    )


async def update(
    tenant_id: int, lead_id: int, change: LeadUpdate, when: datetime | None = None
) -> bool:
    """Set a lead's status and note; False when the tenant has no such lead. A withdrawn
    lead keeps no note (it would be about a person who asked to be forgotten)."""
    if not 0 < lead_id < _ID_LIMIT:
        return False
    when = when or now()
    async with write_transaction():
        found = await (
            Lead.select(Lead.id, Lead.withdrawn_at)
            .where((Lead.id == lead_id) & (Lead.tenant == tenant_id))
            .first()
        )
        if found is None:
            return False
        values: dict[Any, Any] = {Lead.status: change.status, Lead.updated_at: when}
        if found["withdrawn_at"] is None:
            values[Lead.note] = change.note
        await Lead.update(values).where(Lead.id == lead_id)
    return True


async def count_by_status(tenant_id: int) -> dict[str, int]:
    rows = await (
        Lead.select(Lead.status, Count(alias="n"))
        .where((Lead.tenant == tenant_id) & Lead.withdrawn_at.is_null())
        .group_by(Lead.status)
    )
    counts = {row["status"]: row["n"] for row in rows}
    counts[WITHDRAWN] = await Lead.count().where(
        (Lead.tenant == tenant_id) & Lead.withdrawn_at.is_not_null()
    )
    return counts


# --- the anonymous scans of a tenant (dashboard and export) --------------------------------

_SCAN_COLUMNS = (
    Scan.id,
    Scan.version,
    Scan.lang,
    Scan.source,
    Scan.employees,
    Scan.sector,
    Scan.size_class,
    Scan.overall,
    Scan.level,
    Scan.themes,
    Scan.created_at,
    Scan.completed_at,
)


async def completed_scans(
    tenant_id: int, since: datetime | None = None, batch: int = 1000
) -> AsyncIterator[dict[str, Any]]:
    """A tenant's completed scans (never their links or answers), oldest first."""
    last = 0
    while True:
        where = (Scan.tenant == tenant_id) & (Scan.status == "completed") & (Scan.id > last)
        if since is not None:
            where = where & (Scan.completed_at >= since)
        rows = await (
            Scan.select(*_SCAN_COLUMNS)
            .where(where)
            .order_by(Scan.id)
            .limit(batch)
            .output(load_json=True)
        )
        for row in rows:
            yield row
        if len(rows) < batch:
            return
        last = rows[-1]["id"]


async def count_completed(tenant_id: int) -> int:
    return await Scan.count().where((Scan.tenant == tenant_id) & (Scan.status == "completed"))


# --- retention -----------------------------------------------------------------------------


class Erased(msgspec.Struct, kw_only=True):
    leads: int = 0
    per_tenant: dict[str, int] = msgspec.field(default_factory=dict)
    drafts: int = 0  # unfinished scans deleted
    scans: int = 0  # completed scans that lost their link and answers

    @property
    def total_scans(self) -> int:
        return self.drafts + self.scans


#: An erased scan's ``token_hash``: never a SHA-256 in hex, so no link can ever find it.
ERASED_PREFIX = "-"


def _dead_link() -> str:
    return ERASED_PREFIX + secrets.token_hex(31)


async def erase_expired(when: datetime | None = None) -> Erased:
    """Erase every lead past its tenant's retention period, then every scan whose life is
    over: a scan with a lead lives as long as the lead; one without, ``rules.SCAN_DAYS``
    days from its creation.

    Erasing a scan ends it as a scan: a draft is deleted; a completed scan loses its link
    (for good), its answers and its exact size, and stays only as the anonymous figures the
    dashboards and the peer comparison count (outcome, size class, sector, dates)."""
    when = when or now()
    erased = Erased()
    tenants = await Tenant.select(Tenant.id, Tenant.slug, Tenant.lead_retention_months)
    async with write_transaction():
        for row in tenants:
            cutoff = rules.lead_cutoff(when, row["lead_retention_months"])
            old = await Lead.select(Lead.id, Lead.scan).where(
                (Lead.tenant == row["id"]) & (Lead.created_at <= cutoff)
            )
            if not old:
                continue
            await Lead.delete().where(Lead.id.is_in([r["id"] for r in old]))
            erased.leads += len(old)
            erased.per_tenant[row["slug"]] = len(old)
            # Their scans fall back to a scan's own life; most are long past it.
            for scan_id in {r["scan"] for r in old}:
                created = await Scan.select(Scan.created_at).where(Scan.id == scan_id).first()
                if created is not None:
                    await Scan.update(
                        {Scan.expires_at: rules.scan_expires_at(created["created_at"])}
                    ).where(Scan.id == scan_id)
        expired = await Scan.select(Scan.id, Scan.status).where(
            (Scan.expires_at <= when)
            & Scan.id.not_in(Lead.select(Lead.scan))
            & Scan.token_hash.not_like(f"{ERASED_PREFIX}%")
        )
        drafts = [r["id"] for r in expired if r["status"] != "completed"]
        for start in range(0, len(drafts), 500):
            await Scan.delete().where(Scan.id.is_in(drafts[start : start + 500]))
        erased.drafts = len(drafts)
        for r in expired:
            if r["status"] == "completed":
                await Scan.update(
                    {
                        Scan.token_hash: _dead_link(),
                        Scan.answers: {},
                        Scan.employees: None,
                        Scan.yearly_paid_hours: None,
                        Scan.updated_at: when,
                    }
                ).where(Scan.id == r["id"])
                erased.scans += 1
    return erased


async def live_token_hashes() -> list[str]:
    """The link hashes of every stored scan: the report cache keeps only their reports."""
    rows = await Scan.select(Scan.token_hash)
    return [row["token_hash"] for row in rows]
