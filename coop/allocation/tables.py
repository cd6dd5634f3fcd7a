"""Placements and their follow-up, and the proposals they come from.

**Never double-booked.** A placement that is ``gepland`` or ``actief`` holds one slot of
its place: ``slot`` is a number below the place's capacity, unique per place (an index of
the migration), and NULL once the placement no longer holds it. A paid placement that
holds a slot also sets ``holder`` to its participant, unique, so a participant has at
most one planned or active paid placement. Both are enforced by the database, so two
coordinators (or 50 concurrent API calls) can never book the same last slot.

Members of a placement are rows of ``placement_member`` with their weekly minutes: one
for a member that employs or hires, several for a pooled job (each member's share). The
counting of the banenafspraak reads them.
"""

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from coop.members.tables import Organisation
from coop.participants.tables import Participant
from coop.work.tables import Place


class Placement(Table, tablename="placement"):
    participant = ForeignKey(Participant, on_delete=OnDelete.restrict, index=True)
    place = ForeignKey(Place, on_delete=OnDelete.restrict, index=True)
    status = Varchar(length=12, default="gepland", index=True)
    employment_model = Varchar(length=16)
    paid = Boolean(default=True)
    minutes_per_week = Integer()
    start_date = Date(index=True)
    planned_end = Date(null=True, default=None)
    end_date = Date(null=True, default=None)
    exit_reason = Varchar(length=24, null=True, default=None)
    exit_note = Text(default="")
    returns_to_pool = Boolean(null=True, default=None)
    guidance = Varchar(length=10, default="gemiddeld")
    job_coach = Varchar(length=8, default="geen")
    job_coach_name = Varchar(length=200, default="")
    # Whom the member calls about the placement (shown to the member).
    guidance_contact = Varchar(length=200, default="")
    guidance_contact_phone = Varchar(length=30, default="")
    # The slot guarantee (see the module's docstring).
    slot = Integer(null=True, default=None)
    holder = Integer(null=True, default=None, unique=True)
    reviewed_6 = Date(null=True, default=None)
    reviewed_12 = Date(null=True, default=None)
    proposal_pair = Integer(null=True, default=None)
    created_at = Timestamptz()
    created_by = Integer(null=True, default=None)
    updated_at = Timestamptz()


class PlacementMember(Table, tablename="placement_member"):
    placement = ForeignKey(Placement, on_delete=OnDelete.cascade, index=True)
    organisation = ForeignKey(Organisation, on_delete=OnDelete.restrict, index=True)
    minutes_per_week = Integer()


class WageValue(Table, tablename="placement_wage_value"):
    """A wage-value measurement (loonwaardemeting): a share of WML, on a date."""

    placement = ForeignKey(Placement, on_delete=OnDelete.cascade, index=True)
    measured_on = Date()
    percent = Numeric(digits=(5, 1))
    next_due = Date()
    measured_by = Varchar(length=200, default="")
    note = Text(default="")
    recorded_by = Integer(null=True, default=None)
    recorded_at = Timestamptz()


class CheckIn(Table, tablename="placement_check_in"):
    placement = ForeignKey(Placement, on_delete=OnDelete.cascade, index=True)
    held_on = Date()
    by_id = Integer(null=True, default=None)
    by_name = Varchar(length=320, default="")
    notes = Text(default="")
    visibility = Varchar(length=16, default="coordinatoren")
    recorded_at = Timestamptz()


class PlacementEvent(Table, tablename="placement_event"):
    """The history of a placement: every change, never changed afterwards."""

    placement = ForeignKey(Placement, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz()
    action = Varchar(length=32)
    detail = Text(default="")
    actor_id = Integer(null=True, default=None)
    actor_name = Varchar(length=320, default="")


class Proposal(Table, tablename="allocation_proposal"):
    """A batch proposal as the coordinator saw it; pairs are accepted one by one or all."""

    created_at = Timestamptz()
    created_by = Integer(null=True, default=None)
    created_by_name = Varchar(length=320, default="")
    region_code = Varchar(length=4, null=True, default=None)
    participants = Integer(default=0)
    places = Integer(default=0)
    candidates = Integer(default=0)
    milliseconds = Integer(default=0)
    unmatched = JSON(default="[]")


class ProposalPair(Table, tablename="allocation_proposal_pair"):
    proposal = ForeignKey(Proposal, on_delete=OnDelete.cascade, index=True)
    participant = Integer(index=True)
    place = Integer(index=True)
    score = Integer()
    reasons = JSON(default="[]")
    state = Varchar(length=12, default="open")  # open, aanvaard, vervallen
    placement = Integer(null=True, default=None)
