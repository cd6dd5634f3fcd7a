"""The participants' tables: the people, their consents and their history.

Special-category and sensitive data live only in ``participant`` (support needs, register
data, benefit) and leave it only through :mod:`coop.participants.repository`, which
decides per role what a caller gets and writes every read and change to the audit log.
Lists of choices (days, sectors, task kinds, support needs, place types) are JSON arrays
of the slugs in :mod:`coop.participants.rules`.
"""

from piccolo.columns import (
    JSON,
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

from coop.members.tables import Organisation


class Participant(Table, tablename="participant"):
    # The anonymous handle members see (e.g. "DN-4K7Q"); unique.
    code = Varchar(length=12, unique=True)
    status = Varchar(length=16, default="aangemeld", index=True)
    # --- identity and contact (erased by retention) ---
    first_name = Varchar(length=100, default="")
    last_name = Varchar(length=100, default="")
    email = Varchar(length=254, null=True, default=None)
    phone = Varchar(length=30, null=True, default=None)
    street_address = Varchar(length=200, default="")
    postcode = Varchar(length=7, default="")
    city = Varchar(length=100, default="")
    date_of_birth = Date(null=True, default=None)
    municipality_code = Varchar(length=6, index=True)
    # Who referred the participant: rules.Referrer, and the organisation's name.
    referrer = Varchar(length=12, default="gemeente")
    referrer_name = Varchar(length=200, default="")
    # --- the doelgroepregister (coordinators only) ---
    register_in = Boolean(default=False)
    register_ground = Varchar(length=20, null=True, default=None)
    register_start = Date(null=True, default=None)
    register_end = Date(null=True, default=None)
    # Reaches the minimum wage only with a provision: counts for the quota, not the
    # agreement (the counting issue needs this).
    register_provision = Boolean(default=False)
    register_verified_on = Date(null=True, default=None)
    register_verified_by = Integer(null=True, default=None)
    register_verified_by_name = Varchar(length=320, default="")
    benefit = Varchar(length=16, default="geen")
    # --- education and preferences ---
    education_level = Varchar(length=16, default="onbekend")
    certificates = Text(default="")
    sectors = JSON(default="[]")
    task_kinds = JSON(default="[]")
    # --- availability and what a place must offer (allocation's hard constraints) ---
    hours_min = Integer(default=0)
    hours_max = Integer(default=0)
    days = JSON(default="[]")
    available_from = Date(null=True, default=None)
    travel_range = Varchar(length=16, default="eigen-gemeente")
    guidance = Varchar(length=12, default="gemiddeld", index=True)
    place_types = JSON(default="[]")
    # --- functional support needs: never diagnoses (erased by retention) ---
    support_needs = JSON(default="[]")
    support_notes = Text(default="")
    notes = Text(default="")
    # --- life cycle ---
    created_at = Timestamptz()
    updated_at = Timestamptz(null=True, default=None)
    left_on = Date(null=True, default=None, index=True)
    anonymised_at = Timestamptz(null=True, default=None)
    # Lower-case name, code and city, for a search that ignores case on both engines.
    search_key = Varchar(length=400, default="")


class Consent(Table, tablename="participant_consent"):
    """One consent a participant gave: to share the anonymous profile with members
    (``profiel``), or the identity with one named member (``identiteit``). Never deleted;
    a withdrawal is recorded beside it."""

    participant = ForeignKey(Participant, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=12)
    organisation = ForeignKey(Organisation, null=True, default=None, on_delete=OnDelete.restrict)
    text = Text()
    version = Varchar(length=20)
    given_at = Timestamptz()
    recorded_by = Integer(null=True, default=None)
    recorded_by_name = Varchar(length=320, default="")
    withdrawn_at = Timestamptz(null=True, default=None)
    withdrawn_by_name = Varchar(length=320, default="")


class ParticipantEvent(Table, tablename="participant_event"):
    """The participant's history: status changes, edits (field names only), consents,
    erasure. Holds no special-category values."""

    participant = ForeignKey(Participant, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz()
    kind = Varchar(length=20)
    from_status = Varchar(length=16, null=True, default=None)
    to_status = Varchar(length=16, null=True, default=None)
    actor_id = Integer(null=True, default=None)
    actor_name = Varchar(length=320, default="")
    detail = Text(default="")
