"""The member registry's tables: organisations, their contacts, membership history,
contributions, and applications to join.

Columns added after the first migration are nullable or have a default (SQLite cannot
alter a column). Uniqueness that SQLite cannot add to an existing table (the KvK number,
one contribution per organisation and year) is a unique index made by the migration.
"""

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class Organisation(Table, tablename="member_organisation"):
    name = Varchar(length=200)
    created_at = Timestamptz()
    # --- added by the member registry (issue 5) ---
    kvk_number = Varchar(length=8, null=True, default=None)  # unique index in migration
    establishment_number = Varchar(length=12, null=True, default=None)
    street_address = Varchar(length=200, default="")
    postcode = Varchar(length=7, default="")
    city = Varchar(length=100, default="")
    municipality_code = Varchar(length=6, null=True, default=None, index=True)
    sector = Varchar(length=1, null=True, default=None, index=True)  # SBI section, a..u
    employees = Integer(null=True, default=None)
    yearly_paid_hours = BigInt(null=True, default=None)
    public_employer = Boolean(default=False)
    website = Varchar(length=200, null=True, default=None)
    # rules.Status; organisations made before the registry were members already.
    status = Varchar(length=12, default="actief", index=True)
    notice_months = Integer(default=3)
    pledge_year = Integer(null=True, default=None)
    pledge_jobs = Integer(default=0)
    pledge_places = Integer(default=0)
    ambassador = Boolean(default=False)
    award = Varchar(length=500, default="")
    end_requested_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(null=True, default=None)
    # Lower-case name, KvK number and city, for a search that ignores case everywhere.
    search_key = Varchar(length=400, default="")


class Contact(Table, tablename="member_contact"):
    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=200)
    function = Varchar(length=100, default="")
    email = Varchar(length=254)
    phone = Varchar(length=30, null=True, default=None)
    is_primary = Boolean(default=False)
    # Which mail this contact receives.
    mail_newsletter = Boolean(default=True)
    mail_invoices = Boolean(default=False)
    mail_placements = Boolean(default=False)
    created_at = Timestamptz()


class MembershipEvent(Table, tablename="member_membership_event"):
    """One status transition of a member: the history, never changed afterwards."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    from_status = Varchar(length=12, null=True, default=None)
    to_status = Varchar(length=12)
    at = Timestamptz()
    actor_id = Integer(null=True, default=None)
    actor_name = Varchar(length=320, default="")
    reason = Text(default="")


class Contribution(Table, tablename="member_contribution"):
    """The contribution of one member for one year (unique index on both)."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    year = Integer()
    amount_cents = BigInt(default=0)
    invoiced_on = Date(null=True, default=None)
    paid_on = Date(null=True, default=None)


class Application(Table, tablename="member_application"):
    """An application to join, from the public form at /aanmelden."""

    name = Varchar(length=200)
    kvk_number = Varchar(length=8, index=True)
    # The organisation's checked fields (rules.check_organisation), as submitted.
    organisation_data = JSON(default="{}")
    contact_name = Varchar(length=200)
    contact_function = Varchar(length=100, default="")
    contact_email = Varchar(length=254)
    contact_phone = Varchar(length=30, null=True, default=None)
    motivation = Text(default="")
    consent_text = Text()
    consent_version = Varchar(length=20)
    consent_at = Timestamptz()
    submitted_at = Timestamptz()
    status = Varchar(length=12, default="aangemeld", index=True)
    reviewed_at = Timestamptz(null=True, default=None)
    reviewer_id = Integer(null=True, default=None)
    reviewer_name = Varchar(length=320, default="")
    reason = Text(default="")
    organisation = Integer(null=True, default=None)  # the member made on approval
