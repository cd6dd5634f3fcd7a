"""Stored scans.

The link's token is never stored: ``token_hash`` is its SHA-256 (see
:mod:`selfscan.scans.tokens`), so a copy of the database opens no scan.

A scan is a ``draft`` while it is being filled in through the pages and ``completed`` once
every question is answered and scored. At completion the outcome is stored with it
(``overall``, ``level``, ``themes``, ``priorities``): a result page shows those stored
figures, and the peer benchmark averages them, so a later questionnaire version never
changes an old result. ``version`` is the questionnaire version the answers belong to.
"""

from piccolo.columns import (
    JSON,
    BigInt,
    DoublePrecision,
    ForeignKey,
    Integer,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from selfscan.tenants.tables import Tenant


class Scan(Table, tablename="selfscan_scan"):
    token_hash = Varchar(length=64, unique=True, index=True, secret=True)
    tenant = ForeignKey(Tenant, on_delete=OnDelete.restrict, index=True)
    version = Varchar(length=20)  # questionnaire version, e.g. 2026-1
    lang = Varchar(length=2, default="nl")  # language of the texts and the report
    status = Varchar(length=10, default="draft")  # draft | completed
    source = Varchar(length=10, default="page")  # page | api | demo
    answers = JSON(default="{}")  # question id -> option id
    # The organisation profile; every field optional.
    employees = Integer(null=True, default=None)
    yearly_paid_hours = BigInt(null=True, default=None)
    sector = Varchar(length=1, null=True, default=None)  # SBI section letter
    size_class = Varchar(length=10, null=True, default=None, index=True)
    # The outcome, stored at completion: [{"id", "score", "band"}] in questionnaire order.
    overall = DoublePrecision(null=True, default=None)
    level = Varchar(length=20, null=True, default=None)
    themes = JSON(null=True, default=None)
    priorities = JSON(null=True, default=None)  # theme ids, most gain first
    created_at = Timestamptz()
    updated_at = Timestamptz()
    completed_at = Timestamptz(null=True, default=None)
    # 30 days after creation; the leads of the WSP issue may extend it.
    expires_at = Timestamptz(index=True)
