"""The supply side's tables: work packages, pooled jobs, and places.

A **place** is what the allocation matches participants to, of one kind only: a place a
member (or the cooperative) offers as it is, or the place of capacity 1 that a pooled job
makes (``source = gepoolde_baan``, ``pooled_job`` set). Both carry the same facts:
type, employment model, hours, period, municipality and region, guidance and
adjustments on offer, capacity.

Hours are minutes per week (integers); a package's schedule is a JSON list of slots
(``[{"day": "ma", "start": 540, "end": 780}]``, minutes since midnight).
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


class WorkPackage(Table, tablename="work_package"):
    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=200)
    tasks = Text(default="")
    skills = Text(default="")
    minutes_per_week = Integer()
    schedule = JSON(default="[]")
    address = Varchar(length=200, default="")
    municipality_code = Varchar(length=6, index=True)
    region_code = Varchar(length=4, index=True)
    start_date = Date()
    end_date = Date(null=True, default=None)
    physical_demands = Varchar(length=10, default="gemiddeld")
    cognitive_demands = Varchar(length=10, default="gemiddeld")
    adjustments = Text(default="")
    supervision = Text(default="")
    can_employ = Boolean(default=False)
    status = Varchar(length=12, default="concept", index=True)
    withdrawn_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class PooledJob(Table, tablename="work_pooled_job"):
    title = Varchar(length=200)
    description = Text(default="")
    status = Varchar(length=12, default="open", index=True)
    accept_region = Boolean(default=False)
    created_at = Timestamptz()
    created_by = Integer(null=True, default=None)
    updated_at = Timestamptz()


class PooledJobPackage(Table, tablename="work_pooled_job_package"):
    """A package in a pooled job; ``left_at`` set when it was taken out (the row stays)."""

    pooled_job = ForeignKey(PooledJob, on_delete=OnDelete.cascade, index=True)
    package = ForeignKey(WorkPackage, on_delete=OnDelete.cascade, index=True)
    organisation = Integer(index=True)  # the package's member, for scoping without a join
    joined_at = Timestamptz()
    left_at = Timestamptz(null=True, default=None)
    left_reason = Text(default="")


class PooledJobEvent(Table, tablename="work_pooled_job_event"):
    """The history of a pooled job: every change, never changed afterwards."""

    pooled_job = ForeignKey(PooledJob, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz()
    action = Varchar(length=40)
    detail = Text(default="")
    organisation = Integer(null=True, default=None)
    package = Integer(null=True, default=None)
    actor_id = Integer(null=True, default=None)
    actor_name = Varchar(length=320, default="")


class Place(Table, tablename="work_place"):
    # None: the cooperative's own place (a pooled job, or one it offers itself).
    organisation = ForeignKey(
        Organisation, on_delete=OnDelete.cascade, null=True, default=None, index=True
    )
    source = Varchar(length=16, default="aanbod", index=True)
    pooled_job = ForeignKey(
        PooledJob, on_delete=OnDelete.cascade, null=True, default=None, unique=True
    )
    place_type = Varchar(length=24, index=True)
    employment_model = Varchar(length=16)
    title = Varchar(length=200)
    tasks = Text(default="")
    capacity = Integer(default=1)
    minutes_per_week = Integer()
    municipality_code = Varchar(length=6, index=True)
    region_code = Varchar(length=4, index=True)
    start_date = Date()
    end_date = Date(null=True, default=None)
    guidance = Varchar(length=10, default="licht")
    job_coach = Boolean(default=False)
    adjustments = Text(default="")
    supervision = Text(default="")
    physical_demands = Varchar(length=10, default="gemiddeld")
    status = Varchar(length=12, default="open", index=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    # The functional supports the place offers (slugs of coop.participants.rules.
    # SUPPORT_NEEDS): allocation's hard constraint "the needed support is on offer".
    supports = JSON(default="[]")
