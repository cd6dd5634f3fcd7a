"""What crosses the boundary: the API's input and output structs, and the shapes other
apps read (allocation's hard constraints, counting's register facts)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from coop.participants.rules import (
    AnonymousProfile,
    Benefit,
    ConsentKind,
    Day,
    Education,
    Guidance,
    PlaceType,
    Referrer,
    RegisterGround,
    Status,
    TravelRange,
)

Hours = Annotated[int, msgspec.Meta(ge=0, le=40)]
Name = Annotated[str, msgspec.Meta(max_length=100)]
Short = Annotated[str, msgspec.Meta(max_length=200)]
Long = Annotated[str, msgspec.Meta(max_length=4000)]
UNSET = msgspec.UNSET
Unset = msgspec.UnsetType


class Participant(msgspec.Struct, frozen=True, kw_only=True):
    """Everything stored about a participant: for coordinators only."""

    id: int
    code: str
    status: Status
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    street_address: str
    postcode: str
    city: str
    date_of_birth: date | None
    municipality_code: str
    municipality_name: str
    region_code: str | None
    region_name: str
    referrer: Referrer
    referrer_name: str
    register_in: bool
    register_ground: RegisterGround | None
    register_start: date | None
    register_end: date | None
    register_provision: bool
    register_verified_on: date | None
    register_verified_by_name: str
    benefit: Benefit
    education_level: Education
    certificates: str
    sectors: list[str]
    task_kinds: list[str]
    hours_min: int
    hours_max: int
    days: list[Day]
    available_from: date | None
    travel_range: TravelRange
    guidance: Guidance
    place_types: list[PlaceType]
    support_needs: list[str]
    support_notes: str
    notes: str
    created_at: datetime
    updated_at: datetime | None
    left_on: date | None
    anonymised_at: datetime | None


class ParticipantSummary(msgspec.Struct, frozen=True, kw_only=True):
    """A row of the coordinators' list."""

    id: int
    code: str
    status: Status
    first_name: str
    last_name: str
    municipality_code: str
    region_code: str | None
    hours_max: int
    guidance: Guidance
    available_from: date | None


class ParticipantList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ParticipantSummary]
    total: int
    limit: int
    offset: int


class ParticipantCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A new participant (coordinators), status ``aangemeld``. Unknown fields are refused."""

    first_name: Name
    last_name: Name
    municipality_code: Annotated[str, msgspec.Meta(max_length=6, examples=["GM0106"])]
    hours_max: Hours
    days: list[Day]
    email: Annotated[str, msgspec.Meta(max_length=254)] | None = None
    phone: Annotated[str, msgspec.Meta(max_length=30)] | None = None
    street_address: Short = ""
    postcode: Annotated[str, msgspec.Meta(max_length=10)] = ""
    city: Annotated[str, msgspec.Meta(max_length=100)] = ""
    date_of_birth: date | None = None
    referrer: Referrer = Referrer.GEMEENTE
    referrer_name: Short = ""
    register_in: bool = False
    register_ground: RegisterGround | None = None
    register_start: date | None = None
    register_end: date | None = None
    register_provision: bool = False
    register_verified_on: date | None = None
    benefit: Benefit = Benefit.GEEN
    education_level: Education = Education.ONBEKEND
    certificates: Annotated[str, msgspec.Meta(max_length=1000)] = ""
    sectors: list[Annotated[str, msgspec.Meta(max_length=1)]] = []
    task_kinds: list[Annotated[str, msgspec.Meta(max_length=20)]] = []
    hours_min: Hours = 0
    available_from: date | None = None
    travel_range: TravelRange = TravelRange.EIGEN_GEMEENTE
    guidance: Guidance = Guidance.GEMIDDELD
    place_types: list[PlaceType] = []
    support_needs: list[Annotated[str, msgspec.Meta(max_length=40)]] = []
    support_notes: Annotated[str, msgspec.Meta(max_length=1000)] = ""
    notes: Long = ""


class ParticipantUpdate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Only the fields sent change (PATCH). ``status`` changes by a transition."""

    first_name: Name | Unset = UNSET
    last_name: Name | Unset = UNSET
    municipality_code: Annotated[str, msgspec.Meta(max_length=6)] | Unset = UNSET
    hours_max: Hours | Unset = UNSET
    days: list[Day] | Unset = UNSET
    email: Annotated[str, msgspec.Meta(max_length=254)] | Unset | None = UNSET
    phone: Annotated[str, msgspec.Meta(max_length=30)] | Unset | None = UNSET
    street_address: Short | Unset = UNSET
    postcode: Annotated[str, msgspec.Meta(max_length=10)] | Unset = UNSET
    city: Annotated[str, msgspec.Meta(max_length=100)] | Unset = UNSET
    date_of_birth: date | Unset | None = UNSET
    referrer: Referrer | Unset = UNSET
    referrer_name: Short | Unset = UNSET
    register_in: bool | Unset = UNSET
    register_ground: RegisterGround | Unset | None = UNSET
    register_start: date | Unset | None = UNSET
    register_end: date | Unset | None = UNSET
    register_provision: bool | Unset = UNSET
    register_verified_on: date | Unset | None = UNSET
    benefit: Benefit | Unset = UNSET
    education_level: Education | Unset = UNSET
    certificates: Annotated[str, msgspec.Meta(max_length=1000)] | Unset = UNSET
    sectors: list[Annotated[str, msgspec.Meta(max_length=1)]] | Unset = UNSET
    task_kinds: list[Annotated[str, msgspec.Meta(max_length=20)]] | Unset = UNSET
    hours_min: Hours | Unset = UNSET
    available_from: date | Unset | None = UNSET
    travel_range: TravelRange | Unset = UNSET
    guidance: Guidance | Unset = UNSET
    place_types: list[PlaceType] | Unset = UNSET
    support_needs: list[Annotated[str, msgspec.Meta(max_length=40)]] | Unset = UNSET
    support_notes: Annotated[str, msgspec.Meta(max_length=1000)] | Unset = UNSET
    notes: Long | Unset = UNSET


class StatusChange(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    status: Status
    reason: Annotated[str, msgspec.Meta(max_length=1000)] = ""


class Consent(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    kind: ConsentKind
    organisation_id: int | None
    organisation_name: str
    text: str
    version: str
    given_at: datetime
    recorded_by_name: str
    withdrawn_at: datetime | None


class ConsentList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[Consent]
    total: int
    limit: int
    offset: int


class ConsentCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A consent the participant gave (on paper or in a talk): ``profiel`` shares the
    anonymous profile with every member, ``identiteit`` the name and contact with the one
    member ``organisation_id``. ``text`` defaults to the cooperative's current text."""

    kind: ConsentKind
    organisation_id: int | None = None
    given_at: datetime | None = None
    text: Annotated[str, msgspec.Meta(max_length=4000)] | None = None
    version: Annotated[str, msgspec.Meta(max_length=20)] | None = None


class Identity(msgspec.Struct, frozen=True, kw_only=True):
    """Name and contact, for a member the participant consented to."""

    first_name: str
    last_name: str
    email: str | None
    phone: str | None


class Profile(msgspec.Struct, frozen=True, kw_only=True):
    """An anonymous candidate profile, and the identity only with consent."""

    profile: AnonymousProfile
    identity: Identity | None


class ProfileList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[AnonymousProfile]
    total: int
    limit: int
    offset: int


class MatchProfile(msgspec.Struct, frozen=True, kw_only=True):
    """What allocation's hard constraints check for one participant (issue 11)."""

    participant_id: int
    status: Status
    municipality_code: str
    region_code: str | None
    hours_min: int
    hours_max: int
    days: list[Day]
    available_from: date | None
    travel_range: TravelRange
    guidance: Guidance
    support_needs: list[str]
    place_types: list[PlaceType]
    sectors: list[str]
    task_kinds: list[str]


class RegisterFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What the banenafspraak count needs of one participant (issue 12): whether and when
    the person was in the doelgroepregister, and whether they reach the minimum wage only
    with a provision (counts for the quota, not for the agreement)."""

    participant_id: int
    register_in: bool
    register_start: date | None
    register_end: date | None
    register_provision: bool
    region_code: str | None
