"""Queries of the supply side: the one place that reads and writes its tables.

Scoping (:mod:`coop.accounts.scoping`): a member sees its own packages and places, the
cooperative's staff everything, a WSP user nothing. Pooled jobs are the coordinators'
work: only staff see them. Everyone who may use the pool sees its anonymous totals.

Whether a pooled job needs re-pooling is derived, never stored: a package in it was
withdrawn, or its member is leaving (membership not ``actief``, or notice given). So a
change of membership flags the job at once, with no hook in the member registry, and
the membership events appear in the job's history beside its own events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import msgspec

from coop import db
from coop.accounts.principal import Principal
from coop.accounts.scoping import get_visible, scoped
from coop.accounts.user_admin_repository import is_unique_violation
from coop.audit.log import record
from coop.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from coop.members.tables import MembershipEvent, Organisation
from coop.reference import regions
from coop.web.i18n import gettext as _
from coop.work import rules
from coop.work.rules import JobStatus, PackageStatus, PlaceStatus
from coop.work.tables import Place, PooledJob, PooledJobEvent, PooledJobPackage, WorkPackage

MAX_ID = 2**31 - 1
PACKAGE_COLUMN_NAMES = frozenset(c._meta.name for c in WorkPackage._meta.columns) - {"id"}
PLACE_COLUMN_NAMES = frozenset(c._meta.name for c in Place._meta.columns) - {"id"}


def now() -> datetime:
    return datetime.now(UTC)


def _staff(principal: Principal) -> None:
    if not principal.role.staff:
        raise PermissionDenied(_("Alleen coördinatoren en beheerders mogen dit."))


def _actor_name(principal: Principal) -> str:
    return principal.name or principal.email


# --- schedules in the database -------------------------------------------------------------


def encode_slots(slots: Iterable[rules.Slot]) -> str:
    return msgspec.json.encode(
        [{"day": s.day, "start": s.start, "end": s.end} for s in slots]
    ).decode()


def decode_slots(raw: Any) -> tuple[rules.Slot, ...]:
    items = msgspec.json.decode(raw) if isinstance(raw, str | bytes) else (raw or [])
    return tuple(
        rules.sort_slots(rules.Slot(i["day"], int(i["start"]), int(i["end"])) for i in items)
    )


def as_package(row: Mapping[str, Any]) -> rules.Package:
    return rules.Package(
        id=row["id"],
        organisation_id=row["organisation"],
        minutes_per_week=row["minutes_per_week"],
        slots=decode_slots(row["schedule"]),
        municipality_code=row["municipality_code"],
        region_code=row["region_code"],
        start_date=row["start_date"],
        end_date=row["end_date"],
    )


def _named(row: dict[str, Any]) -> dict[str, Any]:
    municipality = regions.municipality(row.get("municipality_code"))
    row["municipality_name"] = municipality.name if municipality else ""
    region = regions.region(row.get("region_code"))
    row["region_name"] = region.name if region else ""
    if "schedule" in row:
        row["slots"] = decode_slots(row["schedule"])
    if "supports" in row:
        row["supports"] = decode_supports(row["supports"])
    return row


def encode_supports(supports: Iterable[str]) -> str:
    return msgspec.json.encode(list(supports)).decode()


def decode_supports(stored: Any) -> list[str]:
    """A place's supports as stored (JSON text, or already a list on some drivers)."""
    if isinstance(stored, str | bytes):
        stored = msgspec.json.decode(stored) if stored else []
    return [str(s) for s in stored or []]


# --- active members --------------------------------------------------------------------------


async def _member_state(organisation_id: int) -> dict[str, Any]:
    row = await (
        Organisation.select(
            Organisation.id,
            Organisation.name,
            Organisation.status,
            Organisation.end_requested_at,
            Organisation.notice_months,
        )
        .where(Organisation.id == organisation_id)
        .first()
    )
    if row is None:
        raise ValidationFailed(
            [FieldError("organisation_id", _("Kies een lid van de coöperatie."))]
        )
    return row


def _require_active(member: Mapping[str, Any], field: str = "organisation_id") -> None:
    if member["status"] != rules.ACTIVE_MEMBER or member["end_requested_at"] is not None:
        raise ValidationFailed(
            [
                FieldError(
                    field,
                    _(
                        "%(name)s is geen actief lid van de coöperatie (meer). Alleen actieve "
                        "leden bieden werk en plaatsen aan.",
                        name=member["name"],
                    ),
                )
            ],
            code="member_not_active",
        )


async def active_members() -> list[dict[str, Any]]:
    return await (
        Organisation.select(Organisation.id, Organisation.name)
        .where((Organisation.status == "actief") & Organisation.end_requested_at.is_null())
        .order_by(Organisation.name)
    )


# --- work packages ---------------------------------------------------------------------------

PACKAGE_COLUMNS = (
    *WorkPackage.all_columns(),
    WorkPackage.organisation.name.as_alias("organisation_name"),
)


@dataclass
class PackageFilters:
    status: str | None = None
    region: str | None = None
    organisation: int | None = None

    def conditions(self) -> list[Any]:
        where: list[Any] = []
        if self.status:
            where.append(WorkPackage.status == self.status)
        if self.region:
            where.append(WorkPackage.region_code == self.region)
        if self.organisation:
            where.append(WorkPackage.organisation == self.organisation)
        return where


async def list_packages(
    principal: Principal, filters: PackageFilters, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    query = scoped(
        WorkPackage.select(*PACKAGE_COLUMNS), principal, organisation=WorkPackage.organisation
    )
    count = scoped(WorkPackage.count(), principal, organisation=WorkPackage.organisation)  # type: ignore[type-var]
    for condition in filters.conditions():
        query = query.where(condition)
        count = count.where(condition)
    rows = await (
        query.order_by(WorkPackage.updated_at, ascending=False)
        .order_by(WorkPackage.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    return [_named(r) for r in rows], await count


async def package(principal: Principal, package_id: int) -> dict[str, Any]:
    row = await get_visible(
        WorkPackage.select(*PACKAGE_COLUMNS),
        principal,
        package_id,
        organisation=WorkPackage.organisation,
        what="work_package",
    )
    row = _named(row)
    link = await (
        PooledJobPackage.select(
            PooledJobPackage.pooled_job,
            PooledJobPackage.pooled_job.title.as_alias("pooled_job_title"),
            PooledJobPackage.pooled_job.status.as_alias("pooled_job_status"),
        )
        .where((PooledJobPackage.package == package_id) & PooledJobPackage.left_at.is_null())
        .first()
    )
    row["pooled_job"] = link
    row["share"] = None
    if link:
        job_packages = await _job_packages(link["pooled_job"], active_only=True)
        for share in rules.shares([as_package(p) for p in job_packages]):
            if share.organisation_id == row["organisation"]:
                row["share"] = share
    return row


def _package_values(clean: Mapping[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in clean.items() if k in PACKAGE_COLUMN_NAMES}
    if "schedule" in clean:
        values["schedule"] = encode_slots(clean["schedule"])
    return values


async def create_package(
    principal: Principal,
    organisation_id: int | None,
    clean: Mapping[str, Any],
    *,
    offer: bool = False,
    client_ip: str = "",
) -> int:
    """A new package of a member: a member's own, or staff's on a member's behalf."""
    if not principal.role.staff:
        organisation_id = principal.organisation_id
    if organisation_id is None:
        raise ValidationFailed(
            [FieldError("organisation_id", _("Kies een lid van de coöperatie."))]
        )
    async with db.write_transaction():
        _require_active(await _member_state(organisation_id))
        moment = now()
        status = PackageStatus.AANGEBODEN if offer else PackageStatus.CONCEPT
        package_id = (
            await WorkPackage.insert(
                WorkPackage(
                    organisation=organisation_id,
                    **_package_values(clean),
                    status=status.value,
                    created_at=moment,
                    updated_at=moment,
                )
            )
        )[0]["id"]
        await record(
            "work_package_created",
            actor=principal,
            object_type="work_package",
            object_id=package_id,
            client_ip=client_ip,
            detail=f"organisation {organisation_id}, {status.value}",
        )
    return package_id


async def update_package(
    principal: Principal, package_id: int, clean: Mapping[str, Any], *, client_ip: str = ""
) -> None:
    async with db.write_transaction():
        current = await package(principal, package_id)
        if current["status"] not in (PackageStatus.CONCEPT, PackageStatus.AANGEBODEN):
            raise Conflict(
                _(
                    "Dit werkpakket is %(status)s en kan niet meer worden gewijzigd.",
                    status=rules.package_status_label(current["status"]).lower(),
                ),
                code="package_not_editable",
            )
        values = _package_values(clean)
        values["updated_at"] = now()
        await WorkPackage.update({getattr(WorkPackage, k): v for k, v in values.items()}).where(
            WorkPackage.id == package_id
        )
        await record(
            "work_package_updated",
            actor=principal,
            object_type="work_package",
            object_id=package_id,
            client_ip=client_ip,
            detail="changed: " + ", ".join(sorted(k for k in values if k != "updated_at")),
        )


async def change_package_status(
    principal: Principal,
    package_id: int,
    new_status: str,
    reason: str = "",
    *,
    client_ip: str = "",
) -> None:
    """Offer, take back or withdraw a package (a member), or mark it filled (staff). A
    package in a pooled job stays in it when withdrawn: the job is flagged for re-pooling,
    with the withdrawal in its history."""
    async with db.write_transaction():
        current = await package(principal, package_id)
        refusal = rules.package_transition_refusal(
            current["status"], new_status, staff=principal.role.staff
        )
        if refusal is None and new_status == PackageStatus.IN_POOL:
            refusal = _("Een werkpakket komt in een baan door het te combineren.")
        if (
            refusal is None
            and current["status"] == PackageStatus.IN_POOL
            and new_status
            not in (
                PackageStatus.INGETROKKEN,
                PackageStatus.VERVULD,
            )
        ):
            refusal = _("Haal het werkpakket eerst uit de gecombineerde baan.")
        if refusal:
            raise Conflict(refusal, code="transition_not_allowed")
        if new_status == PackageStatus.AANGEBODEN:
            _require_active(await _member_state(current["organisation"]), "status")
        moment = now()
        changes: dict[Any, Any] = {WorkPackage.status: new_status, WorkPackage.updated_at: moment}
        if new_status == PackageStatus.INGETROKKEN:
            changes[WorkPackage.withdrawn_at] = moment
        await WorkPackage.update(changes).where(WorkPackage.id == package_id)
        link = current["pooled_job"]
        if link and new_status == PackageStatus.INGETROKKEN:
            await _event(
                link["pooled_job"],
                "package_withdrawn",
                principal,
                organisation=current["organisation"],
                package=package_id,
                detail=reason,
            )
        await record(
            "work_package_status_changed",
            actor=principal,
            object_type="work_package",
            object_id=package_id,
            client_ip=client_ip,
            detail=f"{current['status']} -> {new_status}",
        )


# --- pooling ---------------------------------------------------------------------------------

OPEN_PACKAGE_COLUMNS = (
    WorkPackage.id,
    WorkPackage.organisation,
    WorkPackage.minutes_per_week,
    WorkPackage.schedule,
    WorkPackage.municipality_code,
    WorkPackage.region_code,
    WorkPackage.start_date,
    WorkPackage.end_date,
)


def _poolable() -> Any:
    return (
        (WorkPackage.status == PackageStatus.AANGEBODEN.value)
        & (WorkPackage.organisation.status == "actief")
        & WorkPackage.organisation.end_requested_at.is_null()
    )


async def open_packages(
    *, region: str | None = None, municipality: str | None = None
) -> list[rules.Package]:
    """Offered packages of active members, as pooling needs them; one query."""
    query = WorkPackage.select(*OPEN_PACKAGE_COLUMNS).where(_poolable())
    if municipality:
        query = query.where(WorkPackage.municipality_code == municipality)
    elif region:
        query = query.where(WorkPackage.region_code == region)
    return [as_package(r) for r in await query]


async def suggestions(
    principal: Principal,
    package_id: int,
    *,
    accept_region: bool,
    limit: int = 50,
    offset: int = 0,
) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    """The open packages that fit beside one package, most hours first: one page of them
    with their members' names, and how many in all. Linear in the open packages: one
    query, one pass of the rules, and the rows of one page."""
    _staff(principal)
    base = await package(principal, package_id)
    wanted = as_package(base)
    others = await open_packages(
        region=wanted.region_code if accept_region else None,
        municipality=None if accept_region else wanted.municipality_code,
    )
    found = rules.candidates(wanted, others, accept_region=accept_region)
    page = found[offset : offset + limit]
    rows = await rows_by_id([p.id for p in page])
    return base, [rows[p.id] for p in page if p.id in rows], len(found)


async def rows_by_id(ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    rows = await WorkPackage.select(*PACKAGE_COLUMNS).where(WorkPackage.id.is_in(list(ids)))
    return {r["id"]: _named(r) for r in rows}


async def combination(
    package_ids: Sequence[int], *, accept_region: bool
) -> tuple[rules.Fit, list[dict[str, Any]]]:
    """The fit of these packages (any status), and their rows in the given order."""
    rows = await rows_by_id([i for i in package_ids if 0 < i <= MAX_ID])
    found = [rows[i] for i in package_ids if i in rows]
    fit = rules.fit(
        [as_package(r) for r in found],
        min_minutes=rules.MIN_JOB_MINUTES,
        accept_region=accept_region,
    )
    return fit, found


def _package_problems(
    package_ids: Sequence[int], rows: Mapping[int, Mapping[str, Any]], field: str = "package_ids"
) -> list[FieldError]:
    errors: list[FieldError] = []
    seen: set[int] = set()
    for i, package_id in enumerate(package_ids):
        at = f"{field}[{i}]"
        if package_id in seen:
            errors.append(FieldError(at, _("Dit werkpakket staat er al in.")))
            continue
        seen.add(package_id)
        row = rows.get(package_id)
        if row is None:
            errors.append(FieldError(at, _("Dit werkpakket bestaat niet.")))
        elif row["status"] == PackageStatus.IN_POOL:
            errors.append(
                FieldError(
                    at, _("Werkpakket %(id)s zit al in een gecombineerde baan.", id=package_id)
                )
            )
        elif row["status"] != PackageStatus.AANGEBODEN:
            errors.append(
                FieldError(
                    at,
                    _(
                        "Werkpakket %(id)s is %(status)s; alleen aangeboden werk kan in een baan.",
                        id=package_id,
                        status=rules.package_status_label(row["status"]).lower(),
                    ),
                )
            )
    return errors


async def _check_members_active(rows: Iterable[Mapping[str, Any]], field: str) -> list[FieldError]:
    errors = []
    for row in rows:
        state = await _member_state(row["organisation"])
        try:
            _require_active(state, field)
        except ValidationFailed as exc:
            errors.extend(exc.errors)
    return errors


async def _event(
    job_id: int,
    action: str,
    actor: Principal | None,
    *,
    detail: str = "",
    organisation: int | None = None,
    package: int | None = None,
) -> None:
    await PooledJobEvent.insert(
        PooledJobEvent(
            pooled_job=job_id,
            at=now(),
            action=action,
            detail=detail,
            organisation=organisation,
            package=package,
            actor_id=actor.user_id if actor else None,
            actor_name=_actor_name(actor) if actor else "",
        )
    )


def place_values(fit: rules.Fit, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """What the place of a pooled job says: the cooperative employs (model c), hours and
    period of the combination, where most of the hours are."""
    by_municipality: dict[str, int] = {}
    for row in rows:
        code = row["municipality_code"]
        by_municipality[code] = by_municipality.get(code, 0) + row["minutes_per_week"]
    main = max(sorted(by_municipality), key=lambda c: by_municipality[c]) if rows else ""
    found = regions.municipality(main)
    adjustments = "\n".join(r["adjustments"] for r in rows if r["adjustments"])[:1000]
    supervision = "\n".join(r["supervision"] for r in rows if r["supervision"])[:1000]
    heaviest = max(
        (rules.Demand(r["physical_demands"]) for r in rows),
        key=list(rules.Demand).index,
        default=rules.Demand.MIDDEL,
    )
    return {
        "minutes_per_week": fit.minutes_per_week,
        "municipality_code": main,
        "region_code": found.region.code if found else "",
        "start_date": fit.start_date or date.today(),
        "end_date": fit.end_date,
        "tasks": "\n".join(f"{r['organisation_name']}: {r['tasks']}" for r in rows)[:2000],
        "adjustments": adjustments,
        "supervision": supervision,
        "physical_demands": heaviest.value,
    }


async def create_pooled_job(
    principal: Principal,
    *,
    title: str,
    description: str,
    package_ids: Sequence[int],
    accept_region: bool,
    client_ip: str = "",
) -> int:
    """Combine packages of two or more members into one job, and offer it to the
    allocation as a place of capacity 1. Every problem refuses all: nothing half saved."""
    _staff(principal)
    errors: list[FieldError] = []
    if len(package_ids) < 2:
        errors.append(FieldError("package_ids", _("Kies ten minste twee werkpakketten.")))
    try:
        async with db.write_transaction():
            rows = await rows_by_id([i for i in package_ids if 0 < i <= MAX_ID])
            errors += _package_problems(package_ids, rows)
            unique = list(dict.fromkeys(i for i in package_ids if i in rows))
            ordered = [rows[i] for i in unique]
            errors += await _check_members_active(ordered, "package_ids")
            fit = rules.fit(
                [as_package(r) for r in ordered],
                min_minutes=rules.MIN_JOB_MINUTES,
                accept_region=accept_region,
            )
            if not errors and not fit.fits:
                errors += [FieldError("package_ids", p) for p in fit.problems]
            if errors:
                raise ValidationFailed(errors, code="packages_do_not_fit")
            moment = now()
            job_id = (
                await PooledJob.insert(
                    PooledJob(
                        title=title,
                        description=description,
                        status=JobStatus.OPEN.value,
                        accept_region=accept_region,
                        created_at=moment,
                        created_by=principal.user_id,
                        updated_at=moment,
                    )
                )
            )[0]["id"]
            await _event(job_id, "created", principal, detail=title)
            for row in ordered:
                await _link(job_id, row, principal)
            await Place.insert(
                Place(
                    organisation=None,
                    source=rules.Source.GEPOOLDE_BAAN.value,
                    pooled_job=job_id,
                    place_type=rules.PlaceType.BETAALDE_BAAN.value,
                    employment_model=rules.EmploymentModel.GEPOOLDE_BAAN.value,
                    title=title,
                    capacity=1,
                    guidance=rules.Guidance.MIDDEL.value,
                    job_coach=True,
                    status=PlaceStatus.OPEN.value,
                    created_at=moment,
                    updated_at=moment,
                    **place_values(fit, ordered),
                )
            )
            await record(
                "pooled_job_created",
                actor=principal,
                object_type="pooled_job",
                object_id=job_id,
                client_ip=client_ip,
                detail="packages " + ", ".join(str(i) for i in unique),
            )
    except Exception as exc:
        if is_unique_violation(exc):
            # Another coordinator combined one of these packages a moment ago.
            raise Conflict(
                _("Een van deze werkpakketten is net in een andere baan gezet. Kijk opnieuw."),
                code="package_already_pooled",
            ) from exc
        raise
    return job_id


async def _link(job_id: int, row: Mapping[str, Any], actor: Principal) -> None:
    await PooledJobPackage.insert(
        PooledJobPackage(
            pooled_job=job_id,
            package=row["id"],
            organisation=row["organisation"],
            joined_at=now(),
        )
    )
    await WorkPackage.update(
        {WorkPackage.status: PackageStatus.IN_POOL.value, WorkPackage.updated_at: now()}
    ).where(WorkPackage.id == row["id"])
    await _event(
        job_id,
        "package_added",
        actor,
        organisation=row["organisation"],
        package=row["id"],
        detail=f"{row['organisation_name']}: {row['title']}",
    )


async def _job_packages(job_id: int, *, active_only: bool) -> list[dict[str, Any]]:
    query = PooledJobPackage.select(
        PooledJobPackage.id.as_alias("link_id"),
        PooledJobPackage.joined_at,
        PooledJobPackage.left_at,
        PooledJobPackage.left_reason,
        *(getattr(PooledJobPackage.package, c._meta.name) for c in WorkPackage._meta.columns),
        PooledJobPackage.package.organisation.name.as_alias("organisation_name"),
        PooledJobPackage.package.organisation.status.as_alias("member_status"),
        PooledJobPackage.package.organisation.end_requested_at.as_alias("end_requested_at"),
        PooledJobPackage.package.organisation.notice_months.as_alias("notice_months"),
    ).where(PooledJobPackage.pooled_job == job_id)
    if active_only:
        query = query.where(PooledJobPackage.left_at.is_null())
    rows = await query.order_by(PooledJobPackage.id)
    result = []
    for row in rows:
        clean = {k.removeprefix("package."): v for k, v in row.items()}
        result.append(_named(clean))
    return result


class Flag(msgspec.Struct, frozen=True, kw_only=True):
    """A package of a job that must be re-pooled, why, and by when."""

    package_id: int
    organisation_id: int
    organisation_name: str
    reason: str  # "ingetrokken" or "lid_vertrekt"
    since: date
    deadline: date
    minutes_per_week: int


async def _leaving_since(organisation_ids: Iterable[int]) -> dict[int, date]:
    """When each of these members stopped being active: its latest step away from
    ``actief`` in the registry's history."""
    ids = list(set(organisation_ids))
    if not ids:
        return {}
    rows = await MembershipEvent.select(MembershipEvent.organisation, MembershipEvent.at).where(
        MembershipEvent.organisation.is_in(ids)
        & MembershipEvent.to_status.is_in(sorted(rules.LEAVING_STATUSES))
    )
    result: dict[int, date] = {}
    for row in rows:
        day = row["at"].date()
        result[row["organisation"]] = max(result.get(row["organisation"], day), day)
    return result


def _flags(rows: Sequence[Mapping[str, Any]], left_since: Mapping[int, date]) -> list[Flag]:
    flags = []
    for row in rows:
        leaving = rules.member_is_leaving(row["member_status"], row["end_requested_at"] is not None)
        if row["status"] == PackageStatus.INGETROKKEN:
            reason = "ingetrokken"
            since = (row["withdrawn_at"] or row["updated_at"]).date()
        elif leaving:
            reason = "lid_vertrekt"
            since = (
                row["end_requested_at"].date()
                if row["end_requested_at"] is not None
                else left_since.get(row["organisation"], row["updated_at"].date())
            )
        else:
            continue
        flags.append(
            Flag(
                package_id=row["id"],
                organisation_id=row["organisation"],
                organisation_name=row["organisation_name"],
                reason=reason,
                since=since,
                deadline=rules.repool_deadline(since, row["notice_months"]),
                minutes_per_week=row["minutes_per_week"],
            )
        )
    return sorted(flags, key=lambda f: (f.deadline, f.package_id))


JOB_COLUMNS = (*PooledJob.all_columns(),)


async def list_pooled_jobs(
    principal: Principal,
    *,
    status: str | None = None,
    flagged: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Pooled jobs with their hours, members and flags; three queries for a page."""
    _staff(principal)
    query = PooledJob.select(*JOB_COLUMNS).order_by(PooledJob.id, ascending=False)
    if status:
        query = query.where(PooledJob.status == status)
    jobs = await query
    if not jobs:
        return [], 0
    links = await PooledJobPackage.select(
        PooledJobPackage.pooled_job,
        *(getattr(PooledJobPackage.package, c._meta.name) for c in WorkPackage._meta.columns),
        PooledJobPackage.package.organisation.name.as_alias("organisation_name"),
        PooledJobPackage.package.organisation.status.as_alias("member_status"),
        PooledJobPackage.package.organisation.end_requested_at.as_alias("end_requested_at"),
        PooledJobPackage.package.organisation.notice_months.as_alias("notice_months"),
    ).where(PooledJobPackage.left_at.is_null())
    by_job: dict[int, list[dict[str, Any]]] = {}
    for link in links:
        clean = {k.removeprefix("package."): v for k, v in link.items()}
        by_job.setdefault(link["pooled_job"], []).append(clean)
    leaving = [
        r["organisation"]
        for rows in by_job.values()
        for r in rows
        if rules.member_is_leaving(r["member_status"], r["end_requested_at"] is not None)
    ]
    since = await _leaving_since(leaving)
    result = []
    for job in jobs:
        rows = by_job.get(job["id"], [])
        job["flags"] = _flags(rows, since)
        job["minutes_per_week"] = sum(r["minutes_per_week"] for r in rows)
        job["members"] = sorted({r["organisation_name"] for r in rows})
        job["package_count"] = len(rows)
        if flagged and not job["flags"]:
            continue
        result.append(job)
    # Flagged jobs first, the nearest deadline first.
    result.sort(key=lambda j: (not j["flags"], j["flags"][0].deadline if j["flags"] else date.max))
    return result[offset : offset + limit], len(result)


async def pooled_job(principal: Principal, job_id: int) -> dict[str, Any]:
    _staff(principal)
    job = await get_visible(PooledJob.select(*JOB_COLUMNS), principal, job_id, what="pooled_job")
    every = await _job_packages(job_id, active_only=False)
    active = [r for r in every if r["left_at"] is None]
    since = await _leaving_since(
        r["organisation"]
        for r in active
        if rules.member_is_leaving(r["member_status"], r["end_requested_at"] is not None)
    )
    job["packages"] = active
    job["former_packages"] = [r for r in every if r["left_at"] is not None]
    job["flags"] = _flags(active, since)
    flagged = {f.package_id for f in job["flags"]}
    job["fit"] = rules.fit(
        [as_package(r) for r in active],
        min_minutes=rules.MIN_JOB_MINUTES,
        accept_region=job["accept_region"],
    )
    # What stays when the flagged packages go: does it still make a job?
    job["remaining_fit"] = rules.fit(
        [as_package(r) for r in active if r["id"] not in flagged],
        min_minutes=rules.MIN_JOB_MINUTES,
        accept_region=job["accept_region"],
    )
    job["place"] = (
        await Place.select(Place.id, Place.status).where(Place.pooled_job == job_id).first()
    )
    job["history"] = await _history(job_id, every)
    return job


async def _history(job_id: int, packages: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The job's own events and, merged in, its members' membership changes since they
    joined it: so a member's leaving shows in the job's history too."""
    events = [
        {**e, "source": "job"}
        for e in await PooledJobEvent.select().where(PooledJobEvent.pooled_job == job_id)
    ]
    joined: dict[int, datetime] = {}
    for p in packages:
        joined[p["organisation"]] = min(
            joined.get(p["organisation"], p["joined_at"]), p["joined_at"]
        )
    names = {p["organisation"]: p["organisation_name"] for p in packages}
    if joined:
        for e in await MembershipEvent.select().where(
            MembershipEvent.organisation.is_in(list(joined))
        ):
            if e["at"] >= joined[e["organisation"]]:
                events.append(
                    {
                        "at": e["at"],
                        "action": "membership_" + e["to_status"],
                        "detail": f"{names[e['organisation']]}: {e['reason']}",
                        "organisation": e["organisation"],
                        "package": None,
                        "actor_name": e["actor_name"],
                        "source": "membership",
                    }
                )
        for p in packages:
            if (
                p["end_requested_at"] is not None
                and p["end_requested_at"] >= joined[p["organisation"]]
            ):
                event = {
                    "at": p["end_requested_at"],
                    "action": "membership_end_requested",
                    "detail": names[p["organisation"]],
                    "organisation": p["organisation"],
                    "package": None,
                    "actor_name": "",
                    "source": "membership",
                }
                if event not in events:
                    events.append(event)
    events.sort(key=lambda e: (e["at"], e.get("id") or 0), reverse=True)
    return events


async def _refresh_place(job_id: int) -> None:
    rows = await _job_packages(job_id, active_only=True)
    job = await PooledJob.select(PooledJob.accept_region).where(PooledJob.id == job_id).first()
    fit = rules.fit(
        [as_package(r) for r in rows],
        min_minutes=rules.MIN_JOB_MINUTES,
        accept_region=bool(job and job["accept_region"]),
    )
    if not rows:
        return
    values = place_values(fit, rows)
    values["updated_at"] = now()
    await Place.update({getattr(Place, k): v for k, v in values.items()}).where(
        Place.pooled_job == job_id
    )


async def add_package_to_job(
    principal: Principal, job_id: int, package_id: int, *, client_ip: str = ""
) -> None:
    """Re-pool: another package joins a job. The job must still fit with it."""
    _staff(principal)
    try:
        async with db.write_transaction():
            job = await pooled_job(principal, job_id)
            if job["status"] == JobStatus.OPGEHEVEN:
                raise Conflict(_("Deze baan is opgeheven."), code="job_closed")
            rows = await rows_by_id([package_id] if 0 < package_id <= MAX_ID else [])
            errors = _package_problems([package_id], rows, field="package_id")
            if any(p["id"] == package_id for p in job["packages"]):
                errors = [FieldError("package_id", _("Dit werkpakket zit al in deze baan."))]
            if not errors:
                errors += await _check_members_active([rows[package_id]], "package_id")
            if errors:
                raise ValidationFailed([FieldError("package_id", e.detail) for e in errors])
            flagged = {f.package_id for f in job["flags"]}
            staying = [as_package(r) for r in job["packages"] if r["id"] not in flagged]
            fit = rules.fit(
                [*staying, as_package(rows[package_id])],
                min_minutes=0,
                accept_region=job["accept_region"],
            )
            # Enough hours may come only when the flagged packages are replaced: check the
            # pairwise rules here, the hours on the job page.
            problems = [p for p in fit.problems if "ten minste twee leden" not in p]
            if problems:
                raise ValidationFailed(
                    [FieldError("package_id", p) for p in problems], code="packages_do_not_fit"
                )
            await _link(job_id, rows[package_id], principal)
            await _refresh_place(job_id)
            await record(
                "pooled_job_package_added",
                actor=principal,
                object_type="pooled_job",
                object_id=job_id,
                client_ip=client_ip,
                detail=f"package {package_id}",
            )
    except Exception as exc:
        if is_unique_violation(exc):
            raise Conflict(
                _("Dit werkpakket is net in een andere baan gezet."),
                code="package_already_pooled",
            ) from exc
        raise


async def remove_package_from_job(
    principal: Principal, job_id: int, package_id: int, reason: str, *, client_ip: str = ""
) -> None:
    """Take a package out of a job (re-pooling). The row stays, with when and why; an
    offered package goes back to the pool, a withdrawn one stays withdrawn."""
    _staff(principal)
    async with db.write_transaction():
        job = await pooled_job(principal, job_id)
        row = next((p for p in job["packages"] if p["id"] == package_id), None)
        if row is None:
            raise NotFound(code="pooled_job_package_not_found")
        await PooledJobPackage.update(
            {PooledJobPackage.left_at: now(), PooledJobPackage.left_reason: reason}
        ).where(PooledJobPackage.id == row["link_id"])
        if row["status"] == PackageStatus.IN_POOL:
            back = (
                PackageStatus.AANGEBODEN
                if not rules.member_is_leaving(
                    row["member_status"], row["end_requested_at"] is not None
                )
                else PackageStatus.INGETROKKEN
            )
            await WorkPackage.update(
                {WorkPackage.status: back.value, WorkPackage.updated_at: now()}
            ).where(WorkPackage.id == package_id)
        await _event(
            job_id,
            "package_removed",
            principal,
            organisation=row["organisation"],
            package=package_id,
            detail=reason,
        )
        await _refresh_place(job_id)
        await record(
            "pooled_job_package_removed",
            actor=principal,
            object_type="pooled_job",
            object_id=job_id,
            client_ip=client_ip,
            detail=f"package {package_id}",
        )


JOB_TRANSITIONS = {
    JobStatus.OPEN: frozenset({JobStatus.VERVULD, JobStatus.OPGEHEVEN}),
    JobStatus.VERVULD: frozenset({JobStatus.OPEN, JobStatus.OPGEHEVEN}),
    JobStatus.OPGEHEVEN: frozenset(),
}
PLACE_FOR_JOB = {
    JobStatus.OPEN: PlaceStatus.OPEN,
    JobStatus.VERVULD: PlaceStatus.VERVULD,
    JobStatus.OPGEHEVEN: PlaceStatus.GESLOTEN,
}


async def change_job_status(
    principal: Principal, job_id: int, new_status: str, reason: str, *, client_ip: str = ""
) -> None:
    _staff(principal)
    async with db.write_transaction():
        job = await pooled_job(principal, job_id)
        try:
            wanted = JobStatus(new_status)
        except ValueError:
            raise ValidationFailed(
                [FieldError("status", _("Kies een status uit de lijst."))]
            ) from None
        if wanted not in JOB_TRANSITIONS[JobStatus(job["status"])]:
            raise Conflict(
                _(
                    "Van %(old)s naar %(new)s kan niet.",
                    old=rules.job_status_label(job["status"]).lower(),
                    new=rules.job_status_label(wanted).lower(),
                ),
                code="transition_not_allowed",
            )
        moment = now()
        await PooledJob.update(
            {PooledJob.status: wanted.value, PooledJob.updated_at: moment}
        ).where(PooledJob.id == job_id)
        await Place.update(
            {Place.status: PLACE_FOR_JOB[wanted].value, Place.updated_at: moment}
        ).where(Place.pooled_job == job_id)
        package_status = {
            JobStatus.VERVULD: PackageStatus.VERVULD,
            JobStatus.OPEN: PackageStatus.IN_POOL,
        }.get(wanted)
        active_ids = [p["id"] for p in job["packages"] if p["status"] != PackageStatus.INGETROKKEN]
        if wanted == JobStatus.OPGEHEVEN:
            await PooledJobPackage.update(
                {PooledJobPackage.left_at: moment, PooledJobPackage.left_reason: reason}
            ).where((PooledJobPackage.pooled_job == job_id) & PooledJobPackage.left_at.is_null())
            if active_ids:
                await WorkPackage.update(
                    {
                        WorkPackage.status: PackageStatus.AANGEBODEN.value,
                        WorkPackage.updated_at: moment,
                    }
                ).where(WorkPackage.id.is_in(active_ids))
        elif package_status and active_ids:
            await WorkPackage.update(
                {WorkPackage.status: package_status.value, WorkPackage.updated_at: moment}
            ).where(WorkPackage.id.is_in(active_ids))
        await _event(job_id, "status_" + wanted.value, principal, detail=reason)
        await record(
            "pooled_job_status_changed",
            actor=principal,
            object_type="pooled_job",
            object_id=job_id,
            client_ip=client_ip,
            detail=f"{job['status']} -> {wanted.value}",
        )


# --- places ----------------------------------------------------------------------------------

PLACE_COLUMNS = (*Place.all_columns(), Place.organisation.name.as_alias("organisation_name"))


@dataclass
class PlaceFilters:
    region: str | None = None
    place_type: str | None = None
    status: str | None = None
    available_on: date | None = None
    source: str | None = None
    # Open at some time in [open_from, open_until] (the monitor's "places offered").
    open_from: date | None = None
    open_until: date | None = None

    def conditions(self) -> list[Any]:
        where: list[Any] = []
        if self.open_until:
            where.append(Place.start_date <= self.open_until)
        if self.open_from:
            where.append(Place.end_date.is_null() | (Place.end_date >= self.open_from))
        if self.region:
            where.append(Place.region_code == self.region)
        if self.place_type:
            where.append(Place.place_type == self.place_type)
        if self.status:
            where.append(Place.status == self.status)
        if self.source:
            where.append(Place.source == self.source)
        if self.available_on:
            where.append(Place.start_date <= self.available_on)
            where.append(Place.end_date.is_null() | (Place.end_date >= self.available_on))
        return where


async def list_places(
    principal: Principal, filters: PlaceFilters, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    query = scoped(Place.select(*PLACE_COLUMNS), principal, organisation=Place.organisation)
    count = scoped(Place.count(), principal, organisation=Place.organisation)  # type: ignore[type-var]
    for condition in filters.conditions():
        query = query.where(condition)
        count = count.where(condition)
    rows = await query.order_by(Place.start_date).order_by(Place.id).limit(limit).offset(offset)
    return [_named(r) for r in rows], await count


async def place(principal: Principal, place_id: int) -> dict[str, Any]:
    row = await get_visible(
        Place.select(*PLACE_COLUMNS),
        principal,
        place_id,
        organisation=Place.organisation,
        what="place",
    )
    return _named(row)


async def create_place(
    principal: Principal,
    organisation_id: int | None,
    clean: Mapping[str, Any],
    *,
    client_ip: str = "",
) -> int:
    """A place offered to the pool: a member's own; staff's for a member or, without
    one, the cooperative's own."""
    if not principal.role.staff:
        organisation_id = principal.organisation_id
        if organisation_id is None:
            raise PermissionDenied()
    async with db.write_transaction():
        if organisation_id is not None:
            _require_active(await _member_state(organisation_id))
        moment = now()
        values = {k: v for k, v in clean.items() if k in PLACE_COLUMN_NAMES}
        values["supports"] = encode_supports(values.get("supports") or [])
        place_id = (
            await Place.insert(
                Place(
                    organisation=organisation_id,
                    source=rules.Source.AANBOD.value,
                    status=PlaceStatus.OPEN.value,
                    created_at=moment,
                    updated_at=moment,
                    **values,
                )
            )
        )[0]["id"]
        await record(
            "place_created",
            actor=principal,
            object_type="place",
            object_id=place_id,
            client_ip=client_ip,
            detail=f"{values.get('place_type')} x{values.get('capacity')}",
        )
    return place_id


async def update_place(
    principal: Principal, place_id: int, clean: Mapping[str, Any], *, client_ip: str = ""
) -> None:
    async with db.write_transaction():
        current = await place(principal, place_id)
        if current["source"] == rules.Source.GEPOOLDE_BAAN:
            raise Conflict(
                _("De plaats van een gecombineerde baan volgt de baan; wijzig de baan."),
                code="place_of_pooled_job",
            )
        values = {k: v for k, v in clean.items() if k in PLACE_COLUMN_NAMES}
        if "supports" in values:
            values["supports"] = encode_supports(values["supports"])
        if "status" in values:
            try:
                PlaceStatus(values["status"])
            except ValueError:
                raise ValidationFailed(
                    [FieldError("status", _("Kies een status uit de lijst."))]
                ) from None
        values["updated_at"] = now()
        await Place.update({getattr(Place, k): v for k, v in values.items()}).where(
            Place.id == place_id
        )
        await record(
            "place_updated",
            actor=principal,
            object_type="place",
            object_id=place_id,
            client_ip=client_ip,
            detail="changed: " + ", ".join(sorted(k for k in values if k != "updated_at")),
        )


# --- the pool's totals -----------------------------------------------------------------------


async def pool_totals(principal: Principal, *, available_on: date | None = None) -> dict[str, Any]:
    """The whole pool, anonymous: places and capacity by region and type, and the open
    work on offer by region. For members and staff alike; no names, no single records."""
    if principal.role.value not in ("member", "coordinator", "admin"):
        raise PermissionDenied()
    query = Place.select(
        Place.region_code,
        Place.place_type,
        Place.capacity,
        Place.status,
        Place.start_date,
        Place.end_date,
    )
    rows = await query
    day = available_on or date.today()
    by_region: dict[str, dict[str, Any]] = {}
    by_type: dict[str, dict[str, int]] = {
        t.value: {"places": 0, "capacity": 0, "open": 0} for t in rules.PlaceType
    }
    for r in rows:
        # Open: still on offer, now or from a later date.
        is_open = r["status"] == PlaceStatus.OPEN and (
            r["end_date"] is None or r["end_date"] >= day
        )
        region = by_region.setdefault(
            r["region_code"],
            {
                "places": 0,
                "capacity": 0,
                "open": 0,
                "by_type": {t.value: 0 for t in rules.PlaceType},
            },
        )
        for bucket in (region, by_type[r["place_type"]]):
            bucket["places"] += 1
            bucket["capacity"] += r["capacity"]
            bucket["open"] += r["capacity"] if is_open else 0
        region["by_type"][r["place_type"]] += r["capacity"] if is_open else 0
    work = await WorkPackage.select(WorkPackage.region_code, WorkPackage.minutes_per_week).where(
        WorkPackage.status == PackageStatus.AANGEBODEN.value
    )
    work_by_region: dict[str, dict[str, int]] = {}
    for w in work:
        bucket = work_by_region.setdefault(w["region_code"], {"packages": 0, "minutes": 0})
        bucket["packages"] += 1
        bucket["minutes"] += w["minutes_per_week"]
    names = {r.code: r.name for r in regions.regions()}
    region_rows = [
        {
            "region_code": code,
            "region_name": names.get(code, code),
            **values,
            "packages": work_by_region.get(code, {}).get("packages", 0),
            "package_minutes": work_by_region.get(code, {}).get("minutes", 0),
        }
        for code, values in by_region.items()
    ]
    for code, values in work_by_region.items():
        if code not in by_region:
            region_rows.append(
                {
                    "region_code": code,
                    "region_name": names.get(code, code),
                    "places": 0,
                    "capacity": 0,
                    "open": 0,
                    "by_type": {t.value: 0 for t in rules.PlaceType},
                    "packages": values["packages"],
                    "package_minutes": values["minutes"],
                }
            )
    region_rows.sort(key=lambda r: r["region_name"].casefold())
    return {
        "regions": region_rows,
        "types": by_type,
        "places": sum(v["places"] for v in by_type.values()),
        "capacity": sum(v["capacity"] for v in by_type.values()),
        "open": sum(v["open"] for v in by_type.values()),
        "packages": sum(v["packages"] for v in work_by_region.values()),
        "package_minutes": sum(v["minutes"] for v in work_by_region.values()),
    }
