"""Data: the cooperative's own tenant ``coop``, so ``/scan`` works from the first start.

Hand-written and idempotent: it adds the row only when no tenant ``coop`` exists. It uses a
table class of its own with only the columns it needs, never the live ``Tenant``, so later
columns of that table cannot break this migration.
"""

from datetime import UTC, datetime

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Boolean, Timestamptz, Varchar
from piccolo.table import Table

ID = "2026-11-23T13:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "The cooperative's own tenant for the self-scan"

SLUG = "coop"
NAME = "Coöperatie Inclusief Werk"


class _Tenant(Table, tablename="selfscan_tenant"):
    slug = Varchar(length=40)
    name = Varchar(length=200)
    active = Boolean(default=True)
    created_at = Timestamptz()


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="tenants", description=DESCRIPTION)

    async def add_default_tenant():
        if not await _Tenant.exists().where(_Tenant.slug == SLUG):
            await _Tenant.insert(
                _Tenant(slug=SLUG, name=NAME, active=True, created_at=datetime.now(UTC))
            )

    manager.add_raw(add_default_tenant)
    return manager
