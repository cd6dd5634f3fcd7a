"""WSP tenants: who offers the scan under which branding, where it may be embedded, and
who receives its leads.

``consent_text`` is versioned: every change bumps ``consent_version`` and keeps the text in
:class:`ConsentVersion`, so a lead can always show the exact text its consent was given to.
``logo`` holds only sanitised bytes (see :mod:`selfscan.tenants.logos`); ``allowed_origins``
is a JSON list of origins (``scheme://host[:port]``) that may frame the scan.
"""

from piccolo.columns import (
    JSON,
    Boolean,
    Bytea,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

#: The cooperative's colours (static/css/app.css: --color-primary, --color-accent).
DEFAULT_PRIMARY = "#154273"
DEFAULT_SECONDARY = "#01689b"


class Tenant(Table, tablename="selfscan_tenant"):
    slug = Varchar(length=40, unique=True, index=True)
    name = Varchar(length=200)
    active = Boolean(default=True)
    created_at = Timestamptz()
    # The arbeidsmarktregio's CBS code (AMxx), as in the shipped regions list.
    region_code = Varchar(length=4, default="")
    contact_name = Varchar(length=200, default="")
    contact_email = Varchar(length=254, default="")
    contact_phone = Varchar(length=40, default="")
    #: Receives the lead notifications.
    lead_email = Varchar(length=254, default="")
    privacy_url = Varchar(length=500, default="")
    consent_text = Text(default="")
    consent_version = Integer(default=1)
    lead_retention_months = Integer(default=12)
    primary_colour = Varchar(length=7, default=DEFAULT_PRIMARY)
    secondary_colour = Varchar(length=7, default=DEFAULT_SECONDARY)
    logo = Bytea(null=True, default=None)
    logo_type = Varchar(length=20, default="")  # image/svg+xml | image/png | ""
    #: Origins that may embed the scan, e.g. ["https://www.wsp-regio.nl"].
    allowed_origins = JSON(default="[]")
    updated_at = Timestamptz(null=True, default=None)


class ConsentVersion(Table, tablename="selfscan_tenant_consent"):
    """Every consent text a tenant has used, by version."""

    tenant = ForeignKey(Tenant, on_delete=OnDelete.cascade, index=True)
    version = Integer()
    text = Text()
    created_at = Timestamptz()
