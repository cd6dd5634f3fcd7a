"""WSP tenants. Minimal for now (slug, name, active); the embedding issue extends it."""

from piccolo.columns import Boolean, Timestamptz, Varchar
from piccolo.table import Table


class Tenant(Table, tablename="selfscan_tenant"):
    slug = Varchar(length=40, unique=True, index=True)
    name = Varchar(length=200)
    active = Boolean(default=True)
    created_at = Timestamptz()
