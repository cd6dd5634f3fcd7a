"""What crosses the API boundary for allocation: input with its constraints, and output."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from coop.allocation.rules import EmploymentModel, ExitReason, JobCoach, Status, Visibility
from coop.participants.rules import Guidance

Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
Hours = Annotated[
    float, msgspec.Meta(gt=0, le=60, description="Hours per week, more than 0, at most 60.")
]
Name = Annotated[str, msgspec.Meta(max_length=200)]
Phone = Annotated[str, msgspec.Meta(max_length=30)]


class PlacementCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    participant_id: Id
    place_id: Id
    start_date: date
    hours_per_week: Hours
    employment_model: EmploymentModel
    planned_end: date | None = None
    guidance: Guidance | None = None
    job_coach: JobCoach | None = None
    job_coach_name: Name = ""
    guidance_contact: Name = ""
    guidance_contact_phone: Phone = ""


class PlacementMember(msgspec.Struct, kw_only=True):
    organisation_id: int
    organisation_name: str
    hours_per_week: float


class Placement(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A placement. Members get only name, hours, tasks and whom to call (the fields
    without a value here are left out for them); coordinators and admins get the rest,
    never special-category data."""

    id: int
    participant_name: str
    place_title: str
    tasks: str
    status: Status
    hours_per_week: float
    start_date: date
    planned_end: date | None
    guidance_contact: str
    guidance_contact_phone: str
    participant_id: int | UnsetType = UNSET
    participant_code: str | UnsetType = UNSET
    place_id: int | UnsetType = UNSET
    place_type: str | UnsetType = UNSET
    employment_model: EmploymentModel | UnsetType = UNSET
    paid: bool | UnsetType = UNSET
    end_date: date | UnsetType | None = UNSET
    exit_reason: ExitReason | UnsetType | None = UNSET
    guidance: str | UnsetType = UNSET
    job_coach: JobCoach | UnsetType = UNSET
    job_coach_name: str | UnsetType = UNSET
    members: list[PlacementMember] | UnsetType = UNSET
    created_at: datetime | UnsetType = UNSET


class PlacementList(msgspec.Struct, kw_only=True):
    items: list[Placement]
    total: int
    limit: int
    offset: int


class CheckInCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    held_on: date
    notes: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    visibility: Visibility = Visibility.COORDINATOREN


Region = Annotated[str, msgspec.Meta(pattern="^AM[0-9]{2}$")]


class ProposalCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Which participants and places to consider: the waiting participants and open
    places (of one region, when given), or exactly the ids listed."""

    region_code: Region | None = None
    participant_ids: list[Id] | None = None
    place_ids: list[Id] | None = None


class ReasonLine(msgspec.Struct, kw_only=True):
    code: str
    points: int
    text: str


class ProposalPair(msgspec.Struct, kw_only=True):
    id: int
    participant_id: int
    participant_name: str
    place_id: int
    place_title: str
    score: int
    reasons: list[ReasonLine]
    state: str
    placement_id: int | None


class UnmatchedParticipant(msgspec.Struct, kw_only=True):
    participant_id: int
    participant_name: str
    reason: str
    text: str
    blockers: dict[str, int]


class Proposal(msgspec.Struct, kw_only=True):
    id: int
    created_at: datetime
    region_code: str | None
    participants: int
    places: int
    candidates: int
    milliseconds: int
    total_score: int
    pairs: list[ProposalPair]
    unmatched: list[UnmatchedParticipant]


class PairOutcome(msgspec.Struct, kw_only=True, omit_defaults=True):
    pair_id: int
    status: int
    placement_id: int | None = None
    code: str | None = None
    detail: str | None = None


class AcceptAll(msgspec.Struct, kw_only=True):
    accepted: int
    refused: int
    pairs: list[PairOutcome]


class StatusChange(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Start (``actief``), end (``beeindigd``, with an exit reason) or cancel."""

    status: Status
    on: date
    exit_reason: ExitReason | None = None
    exit_note: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    returns_to_pool: bool | None = None


class WageValueCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    measured_on: date
    percent: float
    measured_by: Name = ""
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class WageValue(msgspec.Struct, kw_only=True):
    measured_on: date
    percent: float
    next_due: date
    measured_by: str
