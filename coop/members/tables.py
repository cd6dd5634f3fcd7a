"""Member organisations. Minimal for now: the accounts need something to belong to;
the member registry extends this table with its own migrations."""

from piccolo.columns import Timestamptz, Varchar
from piccolo.table import Table


class Organisation(Table, tablename="member_organisation"):
    name = Varchar(length=200)
    created_at = Timestamptz()
