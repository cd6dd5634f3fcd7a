"""What the report reads from the database besides the scan itself: the tenant's logo (its
bytes, which the scan pages never load) and, for :func:`selfscan.report.service.prune_cache`,
which scans still exist."""

from __future__ import annotations

from datetime import UTC, datetime

from selfscan.scans.tables import Scan
from selfscan.tenants.tables import Tenant

__all__ = ["LOGO_TYPES", "live_token_hashes", "tenant_logo"]

LOGO_TYPES = frozenset({"image/png", "image/svg+xml"})


async def tenant_logo(slug: str) -> tuple[bytes, str] | None:
    """The stored (already sanitised) logo of tenant ``slug`` and its type, or None."""
    row = await Tenant.select(Tenant.logo, Tenant.logo_type).where(Tenant.slug == slug).first()
    if row is None or not row["logo"] or row["logo_type"] not in LOGO_TYPES:
        return None
    return bytes(row["logo"]), row["logo_type"]


async def live_token_hashes(when: datetime | None = None) -> set[str]:
    """The token hashes of every scan whose link still works."""
    rows = await Scan.select(Scan.token_hash).where(Scan.expires_at > (when or datetime.now(UTC)))
    return {row["token_hash"] for row in rows}
