"""Audit events. The application only ever inserts here; no update or delete path exists."""

from piccolo.columns import BigInt, Text, Timestamptz, Varchar
from piccolo.table import Table


class AuditEvent(Table, tablename="audit_event"):
    at = Timestamptz(index=True)
    # Plain values, not foreign keys: the log outlives the records it speaks of.
    actor_id = BigInt(null=True, default=None, index=True)
    actor_email = Varchar(length=320, default="")
    action = Varchar(length=60, index=True)
    object_type = Varchar(length=40, default="", index=True)
    object_id = Varchar(length=40, default="")
    client_ip = Varchar(length=45, default="")
    # A short, non-sensitive description (never special-category values or secrets).
    detail = Text(default="")
