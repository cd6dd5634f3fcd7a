"""What crosses the API boundary: work packages, pooled jobs, places and the pool's totals.

Input structs refuse unknown fields; their checks beyond type and length are the rules'
(:mod:`coop.work.validation`), so the API and the forms say the same thing in Dutch.
Hours are numbers of hours per week (``12.5``); times are ``"HH:MM"``; dates ISO 8601.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from coop.work.rules import (
    Demand,
    EmploymentModel,
    Guidance,
    JobStatus,
    PackageStatus,
    PlaceStatus,
    PlaceType,
    Source,
)

Day = Literal["ma", "di", "wo", "do", "vr", "za", "zo"]
Time = Annotated[str, msgspec.Meta(max_length=5, examples=["09:00"])]
Text200 = Annotated[str, msgspec.Meta(max_length=200)]
Text2000 = Annotated[str, msgspec.Meta(max_length=2000)]
Text1000 = Annotated[str, msgspec.Meta(max_length=1000)]
Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
# The support a place can offer: the slugs of coop.participants.rules.SUPPORT_NEEDS (a test
# keeps the two lists equal), so the allocation can match needs to what is on offer.
SupportSlug = Literal[
    "schriftelijke-instructies",
    "vaste-structuur",
    "een-taak-tegelijk",
    "extra-inwerktijd",
    "vast-aanspreekpunt",
    "jobcoach",
    "rustige-werkplek",
    "aangepaste-werkplek",
    "rolstoeltoegankelijk",
    "niet-zwaar-tillen",
    "zittend-werk",
    "regelmatige-pauzes",
    "korte-werkdagen",
    "geen-avondwerk",
    "eenvoudige-taal",
    "visuele-uitleg",
]
Supports = Annotated[list[SupportSlug], msgspec.Meta(max_length=32)]


class Slot(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One stretch of work in the week: ``{"day": "ma", "start": "09:00", "end": "13:00"}``."""

    day: Day
    start: Time
    end: Time


class WorkPackage(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    organisation_id: int
    organisation_name: str
    title: str
    tasks: str
    skills: str
    hours_per_week: float
    schedule: list[Slot]
    address: str
    municipality_code: str
    municipality_name: str
    region_code: str
    region_name: str
    start_date: date
    end_date: date | None
    physical_demands: Demand
    cognitive_demands: Demand
    adjustments: str
    supervision: str
    can_employ: bool
    status: PackageStatus
    pooled_job_id: int | None
    created_at: datetime
    updated_at: datetime


class WorkPackageList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[WorkPackage]
    total: int
    limit: int
    offset: int


class WorkPackageCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A new package. ``organisation_id``: staff only (a member's is always its own).
    ``offer: true`` offers it at once (status ``aangeboden``), otherwise ``concept``."""

    organisation_id: Id | None = None
    title: Text200
    tasks: Text2000
    skills: Text1000 = ""
    hours_per_week: float
    schedule: Annotated[list[Slot], msgspec.Meta(max_length=21)]
    address: Text200 = ""
    municipality_code: Annotated[str, msgspec.Meta(max_length=6, examples=["GM0106"])]
    start_date: date
    end_date: date | None = None
    physical_demands: Demand = Demand.MIDDEL
    cognitive_demands: Demand = Demand.MIDDEL
    adjustments: Text1000 = ""
    supervision: Text1000 = ""
    can_employ: bool = False
    offer: bool = False


class WorkPackageUpdate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Only the fields sent change; the whole package is checked again."""

    title: Text200 | msgspec.UnsetType = msgspec.UNSET
    tasks: Text2000 | msgspec.UnsetType = msgspec.UNSET
    skills: Text1000 | msgspec.UnsetType = msgspec.UNSET
    hours_per_week: float | msgspec.UnsetType = msgspec.UNSET
    schedule: Annotated[list[Slot], msgspec.Meta(max_length=21)] | msgspec.UnsetType = msgspec.UNSET
    address: Text200 | msgspec.UnsetType = msgspec.UNSET
    municipality_code: Annotated[str, msgspec.Meta(max_length=6)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    start_date: date | msgspec.UnsetType = msgspec.UNSET
    end_date: date | msgspec.UnsetType | None = msgspec.UNSET
    physical_demands: Demand | msgspec.UnsetType = msgspec.UNSET
    cognitive_demands: Demand | msgspec.UnsetType = msgspec.UNSET
    adjustments: Text1000 | msgspec.UnsetType = msgspec.UNSET
    supervision: Text1000 | msgspec.UnsetType = msgspec.UNSET
    can_employ: bool | msgspec.UnsetType = msgspec.UNSET


class PackageStatusChange(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    status: PackageStatus
    reason: Text1000 = ""


# --- pooled jobs -----------------------------------------------------------------------------


class ScheduleEntry(msgspec.Struct, frozen=True, kw_only=True):
    day: Day
    start: str
    end: str
    package_id: int
    organisation_id: int
    municipality_code: str


class Share(msgspec.Struct, frozen=True, kw_only=True):
    organisation_id: int
    organisation_name: str
    hours_per_week: float
    share: float  # fraction of the job's hours, 4 decimals; the shares add up to 1


class Flag(msgspec.Struct, frozen=True, kw_only=True):
    """A package that must be re-pooled: withdrawn, or its member is leaving; by when."""

    package_id: int
    organisation_id: int
    reason: Literal["ingetrokken", "lid_vertrekt"]
    since: date
    deadline: date


class PooledJob(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    title: str
    description: str
    status: JobStatus
    accept_region: bool
    hours_per_week: float
    start_date: date | None
    end_date: date | None
    place_id: int | None
    package_ids: list[int]
    schedule: list[ScheduleEntry]
    shares: list[Share]
    flags: list[Flag]
    needs_repooling: bool
    created_at: datetime


class PooledJobSummary(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    title: str
    status: JobStatus
    hours_per_week: float
    package_count: int
    flags: list[Flag]
    needs_repooling: bool


class PooledJobList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[PooledJobSummary]
    total: int
    limit: int
    offset: int


class PooledJobCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Combine packages of two or more members. ``accept_region``: the places may lie in
    different municipalities of one labour-market region."""

    title: Text200
    description: Text2000 = ""
    package_ids: Annotated[list[Id], msgspec.Meta(max_length=20)]
    accept_region: bool = False


class PooledJobPackageAdd(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    package_id: Id


class PooledJobPackageRemove(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Text1000 = ""


class PooledJobStatusChange(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    status: JobStatus
    reason: Text1000 = ""


class Suggestion(msgspec.Struct, frozen=True, kw_only=True):
    """A package that fits beside the chosen one."""

    id: int
    organisation_id: int
    organisation_name: str
    title: str
    hours_per_week: float
    municipality_code: str
    schedule: list[Slot]


class SuggestionList(msgspec.Struct, frozen=True, kw_only=True):
    package_id: int
    items: list[Suggestion]
    total: int
    limit: int
    offset: int


# --- places ----------------------------------------------------------------------------------


class Place(msgspec.Struct, frozen=True, kw_only=True):
    """A place the allocation fills: offered by a member or the cooperative, or the place
    of a pooled job (``source: gepoolde_baan``, capacity 1, the cooperative employs)."""

    id: int
    organisation_id: int | None
    organisation_name: str | None
    source: Source
    pooled_job_id: int | None
    place_type: PlaceType
    employment_model: EmploymentModel
    counts_as_paid_work: bool
    max_months: int | None
    max_months_extended: int | None
    title: str
    tasks: str
    capacity: int
    hours_per_week: float
    municipality_code: str
    municipality_name: str
    region_code: str
    region_name: str
    start_date: date
    end_date: date | None
    guidance: Guidance
    job_coach: bool
    adjustments: str
    supervision: str
    physical_demands: Demand
    supports: list[SupportSlug]
    status: PlaceStatus
    created_at: datetime
    updated_at: datetime


class PlaceList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[Place]
    total: int
    limit: int
    offset: int


class PlaceCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A place for the pool. ``organisation_id``: staff only; without it a staff member
    offers a place of the cooperative itself. ``employment_model`` follows from the type
    when left out. ``supports``: the support the place can offer; only participants whose
    support needs are all on offer are proposed for it."""

    organisation_id: Id | None = None
    place_type: PlaceType
    employment_model: EmploymentModel | None = None
    title: Text200
    tasks: Text2000
    capacity: int
    hours_per_week: float
    municipality_code: Annotated[str, msgspec.Meta(max_length=6, examples=["GM0106"])]
    start_date: date
    end_date: date | None = None
    guidance: Guidance = Guidance.LICHT
    job_coach: bool = False
    adjustments: Text1000 = ""
    supervision: Text1000 = ""
    physical_demands: Demand = Demand.MIDDEL
    supports: Supports = []


class PlaceUpdate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    place_type: PlaceType | msgspec.UnsetType = msgspec.UNSET
    employment_model: EmploymentModel | msgspec.UnsetType = msgspec.UNSET
    title: Text200 | msgspec.UnsetType = msgspec.UNSET
    tasks: Text2000 | msgspec.UnsetType = msgspec.UNSET
    capacity: int | msgspec.UnsetType = msgspec.UNSET
    hours_per_week: float | msgspec.UnsetType = msgspec.UNSET
    municipality_code: Annotated[str, msgspec.Meta(max_length=6)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    start_date: date | msgspec.UnsetType = msgspec.UNSET
    end_date: date | msgspec.UnsetType | None = msgspec.UNSET
    guidance: Guidance | msgspec.UnsetType = msgspec.UNSET
    job_coach: bool | msgspec.UnsetType = msgspec.UNSET
    adjustments: Text1000 | msgspec.UnsetType = msgspec.UNSET
    supervision: Text1000 | msgspec.UnsetType = msgspec.UNSET
    physical_demands: Demand | msgspec.UnsetType = msgspec.UNSET
    supports: Supports | msgspec.UnsetType = msgspec.UNSET
    status: PlaceStatus | msgspec.UnsetType = msgspec.UNSET


class TypeTotals(msgspec.Struct, frozen=True, kw_only=True):
    place_type: PlaceType
    places: int
    capacity: int
    open: int


class RegionTotals(msgspec.Struct, frozen=True, kw_only=True):
    region_code: str
    region_name: str
    places: int
    capacity: int
    open: int
    open_by_type: dict[str, int]
    packages: int
    package_hours_per_week: float


class PoolTotals(msgspec.Struct, frozen=True, kw_only=True):
    """The whole pool, anonymous: no organisation, no single record."""

    places: int
    capacity: int
    open: int
    packages: int
    package_hours_per_week: float
    types: list[TypeTotals]
    regions: list[RegionTotals]
