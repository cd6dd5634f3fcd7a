"""Data: the cooperative's own tenant ``coop`` gets its region, colours and consent text.

Hand-written and idempotent, with a table class of its own (never the live ``Tenant``).
Contact and lead addresses stay empty: a migration must not invent an address that mail
would go to; an admin fills them in (``coop demo`` does for development).
"""

from datetime import UTC, datetime

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

ID = "2026-11-23T15:06:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "The cooperative's own tenant: region, colours, consent text"

SLUG = "coop"
REGION = "AM01"  # Groningen: the cooperative's members are in Groningen and Drenthe
CONSENT = (
    "Ja, Coöperatie Inclusief Werk mag contact met mij opnemen over de uitkomst van deze "
    "scan. Daarvoor bewaart de coöperatie mijn gegevens en de scan, tot ik mijn toestemming "
    "intrek of uiterlijk 12 maanden."
)


class _Tenant(Table, tablename="selfscan_tenant"):
    slug = Varchar(length=40)
    region_code = Varchar(length=4)
    consent_text = Text()
    consent_version = Integer()
    primary_colour = Varchar(length=7)
    secondary_colour = Varchar(length=7)


class _Consent(Table, tablename="selfscan_tenant_consent"):
    tenant = ForeignKey(_Tenant)
    version = Integer()
    text = Text()
    created_at = Timestamptz()


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="tenants", description=DESCRIPTION)

    async def fill_in():
        row = (
            await _Tenant.select(_Tenant.id, _Tenant.consent_text)
            .where(_Tenant.slug == SLUG)
            .first()
        )
        if row is None or row["consent_text"]:
            return
        await _Tenant.update(
            {
                _Tenant.region_code: REGION,
                _Tenant.consent_text: CONSENT,
                _Tenant.consent_version: 1,
                _Tenant.primary_colour: "#154273",
                _Tenant.secondary_colour: "#01689b",
            }
        ).where(_Tenant.id == row["id"])
        if not await _Consent.exists().where(_Consent.tenant == row["id"]):
            await _Consent.insert(
                _Consent(tenant=row["id"], version=1, text=CONSENT, created_at=datetime.now(UTC))
            )

    manager.add_raw(fill_in)
    return manager
