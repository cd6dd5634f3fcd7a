"""Leads: contact details an employer leaves after a scan, with the consent it gave.

The consent is kept as given: the text the employer saw, its version and the time
(``consented_at``). Withdrawing consent blanks every contact field at once and sets
``withdrawn_at``; the row stays (so the WSP sees the lead was withdrawn) until
``coop retention run`` erases it with the others of its age. The withdrawal link's token
is never stored: ``withdraw_hash`` is its SHA-256. The scan's own link is stored with the
lead (``scan_token``), unlike scans themselves: by leaving a lead the employer shares its
result with the WSP.
"""

from piccolo.columns import ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from selfscan.scans.tables import Scan
from selfscan.tenants.tables import Tenant


class Lead(Table, tablename="selfscan_lead"):
    tenant = ForeignKey(Tenant, on_delete=OnDelete.restrict, index=True)
    scan = ForeignKey(Scan, on_delete=OnDelete.restrict, index=True)
    lang = Varchar(length=2, default="nl")
    # The contact details; all blank once consent is withdrawn.
    organisation = Varchar(length=200, default="")
    contact_name = Varchar(length=200, default="")
    email = Varchar(length=320, default="")
    phone = Varchar(length=40, default="")
    question = Text(default="")
    # What the employer agreed to, and when.
    consent_text = Text(default="")
    consent_version = Integer(default=1)
    consented_at = Timestamptz()
    # The WSP's follow-up: nieuw -> benaderd -> afgerond, and a note of its own.
    status = Varchar(length=10, default="nieuw", index=True)
    note = Text(default="")
    # The scan's link, which the employer shares with its WSP by leaving the lead: the
    # WSP opens the result and the PDF through it. Blanked on withdrawal.
    scan_token = Varchar(length=64, default="", secret=True)
    withdraw_hash = Varchar(length=64, unique=True, index=True, secret=True)
    withdrawn_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(index=True)
    updated_at = Timestamptz()
