"""The supply side in the API: work packages, pooled jobs, places and the pool's totals.

Scoped like every record: a member sees and changes its own packages and places and reads
the pool's anonymous totals; pooled jobs are the cooperative's (403 for members); a WSP
user has no business here (403). Another member's record answers 404.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

import regulations
from coop.accounts.api import BEARER_SCHEME, UNAUTHORISED
from coop.accounts.auth import provide_principal, requires
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.errors import FieldError, ValidationFailed
from coop.members import rules as member_rules
from coop.members.api import DEFAULT_LIMIT, PROBLEM, Limit, Offset
from coop.web.i18n import gettext as _
from coop.work import repository, rules, schemas, validation
from coop.work.repository import PackageFilters, PlaceFilters

WORK_ROLES = (Role.MEMBER, Role.COORDINATOR, Role.ADMIN)
STAFF = (Role.COORDINATOR, Role.ADMIN)
Region = Annotated[str | None, QueryParameter(pattern="^AM[0-9]{2}$")]


def _ip(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else ""


def _hours(minutes: int) -> float:
    return round(minutes / 60, 4)


def _slots(slots: Any) -> list[schemas.Slot]:
    return [
        schemas.Slot(day=s.day, start=rules.format_time(s.start), end=rules.format_time(s.end))  # type: ignore[arg-type]
        for s in slots
    ]


def package_out(row: dict[str, Any]) -> schemas.WorkPackage:
    link = row.get("pooled_job")
    return schemas.WorkPackage(
        id=row["id"],
        organisation_id=row["organisation"],
        organisation_name=row["organisation_name"],
        title=row["title"],
        tasks=row["tasks"],
        skills=row["skills"],
        hours_per_week=_hours(row["minutes_per_week"]),
        schedule=_slots(row["slots"]),
        address=row["address"],
        municipality_code=row["municipality_code"],
        municipality_name=row["municipality_name"],
        region_code=row["region_code"],
        region_name=row["region_name"],
        start_date=row["start_date"],
        end_date=row["end_date"],
        physical_demands=rules.Demand(row["physical_demands"]),
        cognitive_demands=rules.Demand(row["cognitive_demands"]),
        adjustments=row["adjustments"],
        supervision=row["supervision"],
        can_employ=row["can_employ"],
        status=rules.PackageStatus(row["status"]),
        pooled_job_id=link["pooled_job"] if isinstance(link, dict) else None,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def flag_out(flag: repository.Flag) -> schemas.Flag:
    return schemas.Flag(
        package_id=flag.package_id,
        organisation_id=flag.organisation_id,
        reason=flag.reason,  # type: ignore[arg-type]
        since=flag.since,
        deadline=flag.deadline,
    )


def job_out(job: dict[str, Any]) -> schemas.PooledJob:
    fit: rules.Fit = job["fit"]
    names = {p["organisation"]: p["organisation_name"] for p in job["packages"]}
    return schemas.PooledJob(
        id=job["id"],
        title=job["title"],
        description=job["description"],
        status=rules.JobStatus(job["status"]),
        accept_region=job["accept_region"],
        hours_per_week=_hours(fit.minutes_per_week),
        start_date=fit.start_date,
        end_date=fit.end_date,
        place_id=job["place"]["id"] if job["place"] else None,
        package_ids=[p["id"] for p in job["packages"]],
        schedule=[
            schemas.ScheduleEntry(
                day=e.day,  # type: ignore[arg-type]
                start=rules.format_time(e.start),
                end=rules.format_time(e.end),
                package_id=e.package_id,
                organisation_id=e.organisation_id,
                municipality_code=e.municipality_code,
            )
            for e in fit.schedule
        ],
        shares=[
            schemas.Share(
                organisation_id=s.organisation_id,
                organisation_name=names.get(s.organisation_id, ""),
                hours_per_week=_hours(s.minutes_per_week),
                share=float(s.share),
            )
            for s in fit.shares
        ],
        flags=[flag_out(f) for f in job["flags"]],
        needs_repooling=bool(job["flags"]) or not fit.fits,
        created_at=job["created_at"],
    )


def place_out(row: dict[str, Any]) -> schemas.Place:
    try:
        duration = rules.max_duration(row["place_type"], row["start_date"].year)
    except regulations.UnknownYear:
        duration = None  # a place starting in a year without figures: not known yet
    return schemas.Place(
        id=row["id"],
        organisation_id=row["organisation"],
        organisation_name=row["organisation_name"],
        source=rules.Source(row["source"]),
        pooled_job_id=row["pooled_job"],
        place_type=rules.PlaceType(row["place_type"]),
        employment_model=rules.EmploymentModel(row["employment_model"]),
        counts_as_paid_work=rules.counts_as_paid_work(row["place_type"], row["employment_model"]),
        max_months=duration.max_months if duration else None,
        max_months_extended=duration.max_months_extended if duration else None,
        title=row["title"],
        tasks=row["tasks"],
        capacity=row["capacity"],
        hours_per_week=_hours(row["minutes_per_week"]),
        municipality_code=row["municipality_code"],
        municipality_name=row["municipality_name"],
        region_code=row["region_code"],
        region_name=row["region_name"],
        start_date=row["start_date"],
        end_date=row["end_date"],
        guidance=rules.Guidance(row["guidance"]),
        job_coach=row["job_coach"],
        adjustments=row["adjustments"],
        supervision=row["supervision"],
        physical_demands=rules.Demand(row["physical_demands"]),
        supports=row.get("supports") or [],
        status=rules.PlaceStatus(row["status"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _sent(data: msgspec.Struct) -> dict[str, Any]:
    return {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}


def _slot_tuples(slots: list[schemas.Slot]) -> list[tuple[str, str, str]]:
    return [(s.day, s.start, s.end) for s in slots]


def _checked_package(values: dict[str, Any], slots: list[tuple[str, str, str]]) -> dict[str, Any]:
    clean, errors = validation.check_package(values, slots)
    if errors:
        raise ValidationFailed(errors)
    return clean


def _checked_place(values: dict[str, Any]) -> dict[str, Any]:
    clean, errors = validation.check_place(values)
    if errors:
        raise ValidationFailed(errors)
    return clean


def _staff_only_field(principal: Principal, sent: dict[str, Any], field: str) -> None:
    if not principal.role.staff and sent.get(field) is not None:
        raise ValidationFailed(
            [
                FieldError(
                    field, _("Een lid biedt alleen werk en plaatsen van de eigen organisatie aan.")
                )
            ],
            code="staff_only_field",
        )


class WorkPackageApi(Controller):
    path = "/api/v1/work-packages"
    tags = ["work packages"]
    security = [{BEARER_SCHEME: []}]
    guards = [requires(*WORK_ROLES)]
    dependencies = {"principal": Provide(provide_principal)}

    @get(
        "/",
        name="api.work_packages",
        summary="The work packages you may see",
        description="A member sees its own, staff all. Filters: `status`, `region` (AMxx), "
        "`organisation_id` (staff).",
        responses={401: UNAUTHORISED, 403: PROBLEM},
        operation_id="listWorkPackages",
    )
    async def list_packages(
        self,
        principal: NamedDependency[Principal],
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        status: FromQuery[rules.PackageStatus | None] = None,
        region: Region = None,
        organisation_id: Annotated[int | None, QueryParameter(ge=1, le=2**31 - 1)] = None,
    ) -> schemas.WorkPackageList:
        filters = PackageFilters(
            status=status.value if status else None, region=region, organisation=organisation_id
        )
        rows, total = await repository.list_packages(principal, filters, limit=limit, offset=offset)
        return schemas.WorkPackageList(
            items=[package_out(r) for r in rows], total=total, limit=limit, offset=offset
        )

    @post(
        "/",
        name="api.work_packages.create",
        summary="Offer a work package",
        description="Overlapping times, an end before the start, more hours than the days "
        "and times hold, or a member that is not active: 422 naming each field.",
        responses={401: UNAUTHORISED, 403: PROBLEM, 422: PROBLEM},
        operation_id="createWorkPackage",
    )
    async def create_package(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[schemas.WorkPackageCreate],
    ) -> Response[schemas.WorkPackage]:
        sent = msgspec.structs.asdict(data)
        _staff_only_field(principal, sent, "organisation_id")
        if principal.role.staff and data.organisation_id is None:
            raise ValidationFailed(
                [FieldError("organisation_id", _("Kies een lid van de coöperatie."))]
            )
        clean = _checked_package(sent, _slot_tuples(data.schedule))
        package_id = await repository.create_package(
            principal, data.organisation_id, clean, offer=data.offer, client_ip=_ip(request)
        )
        return Response(
            package_out(await repository.package(principal, package_id)), status_code=201
        )

    @get(
        "/{package_id:int}",
        name="api.work_package",
        summary="One work package",
        responses={401: UNAUTHORISED, 404: PROBLEM},
        operation_id="getWorkPackage",
    )
    async def get_package(
        self, principal: NamedDependency[Principal], package_id: FromPath[int]
    ) -> schemas.WorkPackage:
        return package_out(await repository.package(principal, package_id))

    @patch(
        "/{package_id:int}",
        name="api.work_package.update",
        summary="Change a work package",
        description="Only in `concept` or `aangeboden`; the whole package is checked again.",
        responses={401: UNAUTHORISED, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
        operation_id="updateWorkPackage",
    )
    async def update_package(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        package_id: FromPath[int],
        data: JSONBody[schemas.WorkPackageUpdate],
    ) -> schemas.WorkPackage:
        current = await repository.package(principal, package_id)
        values, slots = validation.package_as_typed(current)
        sent = _sent(data)
        if "schedule" in sent:
            slots = _slot_tuples(data.schedule)  # type: ignore[arg-type]
            sent.pop("schedule")
        clean = _checked_package({**values, **sent}, slots)
        await repository.update_package(principal, package_id, clean, client_ip=_ip(request))
        return package_out(await repository.package(principal, package_id))

    @post(
        "/{package_id:int}/status",
        name="api.work_package.status",
        summary="Offer, withdraw or mark a package filled",
        description="`concept → aangeboden → in_pool → vervuld`, and `ingetrokken`. A member "
        "offers and withdraws; pooling and filling are the coordinators'. A step that is not "
        "allowed is 409. Withdrawing a package in a pooled job flags that job.",
        responses={401: UNAUTHORISED, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
        operation_id="changeWorkPackageStatus",
        status_code=200,
    )
    async def change_status(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        package_id: FromPath[int],
        data: JSONBody[schemas.PackageStatusChange],
    ) -> schemas.WorkPackage:
        await repository.change_package_status(
            principal,
            package_id,
            data.status.value,
            validation.reason(data.reason, required=False),
            client_ip=_ip(request),
        )
        return package_out(await repository.package(principal, package_id))


class PooledJobApi(Controller):
    path = "/api/v1/pooled-jobs"
    tags = ["pooled jobs"]
    security = [{BEARER_SCHEME: []}]
    guards = [requires(*STAFF)]
    dependencies = {"principal": Provide(provide_principal)}

    @get(
        "/",
        name="api.pooled_jobs",
        summary="Pooled jobs (staff)",
        description="`flagged=true`: only jobs with a package to re-pool, nearest deadline first.",
        responses={401: UNAUTHORISED, 403: PROBLEM},
        operation_id="listPooledJobs",
    )
    async def list_jobs(
        self,
        principal: NamedDependency[Principal],
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        status: FromQuery[rules.JobStatus | None] = None,
        flagged: FromQuery[bool] = False,
    ) -> schemas.PooledJobList:
        rows, total = await repository.list_pooled_jobs(
            principal,
            status=status.value if status else None,
            flagged=flagged,
            limit=limit,
            offset=offset,
        )
        return schemas.PooledJobList(
            items=[
                schemas.PooledJobSummary(
                    id=r["id"],
                    title=r["title"],
                    status=rules.JobStatus(r["status"]),
                    hours_per_week=_hours(r["minutes_per_week"]),
                    package_count=r["package_count"],
                    flags=[flag_out(f) for f in r["flags"]],
                    needs_repooling=bool(r["flags"]),
                )
                for r in rows
            ],
            total=total,
            limit=limit,
            offset=offset,
        )

    @get(
        "/suggestions",
        name="api.pooled_jobs.suggestions",
        summary="Packages that fit beside one package",
        description="Offered packages of other active members with no overlapping times, an "
        "overlapping period and the same municipality (or region with `accept_region`).",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: PROBLEM},
        operation_id="suggestPackages",
    )
    async def suggestions(
        self,
        principal: NamedDependency[Principal],
        package_id: Annotated[int, QueryParameter(ge=1, le=2**31 - 1)],
        accept_region: FromQuery[bool] = False,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> schemas.SuggestionList:
        _, rows, total = await repository.suggestions(
            principal, package_id, accept_region=accept_region, limit=limit, offset=offset
        )
        return schemas.SuggestionList(
            package_id=package_id,
            items=[
                schemas.Suggestion(
                    id=r["id"],
                    organisation_id=r["organisation"],
                    organisation_name=r["organisation_name"],
                    title=r["title"],
                    hours_per_week=_hours(r["minutes_per_week"]),
                    municipality_code=r["municipality_code"],
                    schedule=_slots(r["slots"]),
                )
                for r in rows
            ],
            total=total,
            limit=limit,
            offset=offset,
        )

    @post(
        "/",
        name="api.pooled_jobs.create",
        summary="Combine packages into a pooled job",
        description="Packages of two or more active members, offered, with no overlapping "
        "times, enough hours together and feasible travel; otherwise 422 naming each problem. "
        "A package already in a job is 422 (409 when another coordinator was just ahead). The "
        "job is offered to the allocation as a place of capacity 1.",
        responses={401: UNAUTHORISED, 403: PROBLEM, 409: PROBLEM, 422: PROBLEM},
        operation_id="createPooledJob",
    )
    async def create_job(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[schemas.PooledJobCreate],
    ) -> Response[schemas.PooledJob]:
        errors: list[FieldError] = []
        title = description = ""
        try:
            title = validation.text(
                data.title, "title", required=True, missing=_("Geef de baan een naam.")
            )
        except member_rules.Invalid as exc:
            errors.append(FieldError("title", str(exc)))
        try:
            description = validation.text(data.description, "description")
        except member_rules.Invalid as exc:
            errors.append(FieldError("description", str(exc)))
        if errors:
            raise ValidationFailed(errors)
        job_id = await repository.create_pooled_job(
            principal,
            title=title,
            description=description,
            package_ids=data.package_ids,
            accept_region=data.accept_region,
            client_ip=_ip(request),
        )
        return Response(job_out(await repository.pooled_job(principal, job_id)), status_code=201)

    @get(
        "/{job_id:int}",
        name="api.pooled_job",
        summary="One pooled job: schedule, shares and flags",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: PROBLEM},
        operation_id="getPooledJob",
    )
    async def get_job(
        self, principal: NamedDependency[Principal], job_id: FromPath[int]
    ) -> schemas.PooledJob:
        return job_out(await repository.pooled_job(principal, job_id))

    @post(
        "/{job_id:int}/packages",
        name="api.pooled_job.add",
        summary="Add a package to a job (re-pooling)",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
        operation_id="addPooledJobPackage",
        status_code=200,
    )
    async def add_package(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        job_id: FromPath[int],
        data: JSONBody[schemas.PooledJobPackageAdd],
    ) -> schemas.PooledJob:
        await repository.add_package_to_job(
            principal, job_id, data.package_id, client_ip=_ip(request)
        )
        return job_out(await repository.pooled_job(principal, job_id))

    @post(
        "/{job_id:int}/packages/{package_id:int}/remove",
        name="api.pooled_job.remove",
        summary="Take a package out of a job",
        description="The package leaves the job (kept in its history); an offered package "
        "returns to the pool.",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: PROBLEM, 422: PROBLEM},
        operation_id="removePooledJobPackage",
        status_code=200,
    )
    async def remove_package(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        job_id: FromPath[int],
        package_id: FromPath[int],
        data: JSONBody[schemas.PooledJobPackageRemove],
    ) -> schemas.PooledJob:
        reason = data.reason
        await repository.remove_package_from_job(
            principal,
            job_id,
            package_id,
            validation.reason(reason, required=False),
            client_ip=_ip(request),
        )
        return job_out(await repository.pooled_job(principal, job_id))

    @post(
        "/{job_id:int}/status",
        name="api.pooled_job.status",
        summary="Fill, reopen or dissolve a pooled job",
        description="`open → vervuld → open`, and `opgeheven` (its packages return to the "
        "pool). Its place follows.",
        responses={401: UNAUTHORISED, 403: PROBLEM, 404: PROBLEM, 409: PROBLEM},
        operation_id="changePooledJobStatus",
        status_code=200,
    )
    async def change_status(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        job_id: FromPath[int],
        data: JSONBody[schemas.PooledJobStatusChange],
    ) -> schemas.PooledJob:
        await repository.change_job_status(
            principal,
            job_id,
            data.status.value,
            validation.reason(data.reason, required=False),
            client_ip=_ip(request),
        )
        return job_out(await repository.pooled_job(principal, job_id))


class PlaceApi(Controller):
    path = "/api/v1/places"
    tags = ["places"]
    security = [{BEARER_SCHEME: []}]
    guards = [requires(*WORK_ROLES)]
    dependencies = {"principal": Provide(provide_principal)}

    @get(
        "/",
        name="api.places",
        summary="The places you may see",
        description="A member sees its own places, staff all (including the places of pooled "
        "jobs). Filters: `region`, `place_type`, `status`, `available_on` (a date), `source`.",
        responses={401: UNAUTHORISED, 403: PROBLEM},
        operation_id="listPlaces",
    )
    async def list_places(
        self,
        principal: NamedDependency[Principal],
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        region: Region = None,
        place_type: FromQuery[rules.PlaceType | None] = None,
        status: FromQuery[rules.PlaceStatus | None] = None,
        available_on: FromQuery[date | None] = None,
        source: FromQuery[rules.Source | None] = None,
    ) -> schemas.PlaceList:
        filters = PlaceFilters(
            region=region,
            place_type=place_type.value if place_type else None,
            status=status.value if status else None,
            available_on=available_on,
            source=source.value if source else None,
        )
        rows, total = await repository.list_places(principal, filters, limit=limit, offset=offset)
        return schemas.PlaceList(
            items=[place_out(r) for r in rows], total=total, limit=limit, offset=offset
        )

    @get(
        "/totals",
        name="api.places.totals",
        summary="The pool's totals, anonymous",
        description="Places, capacity and open capacity by type and region, and the work on "
        "offer by region. No organisations, no single records.",
        responses={401: UNAUTHORISED, 403: PROBLEM},
        operation_id="poolTotals",
    )
    async def totals(self, principal: NamedDependency[Principal]) -> schemas.PoolTotals:
        return totals_out(await repository.pool_totals(principal))

    @post(
        "/",
        name="api.places.create",
        summary="Offer a place to the pool",
        description="A capacity below 1, an end before the start, a model that does not suit "
        "the type, or a member that is not active: 422 naming each field.",
        responses={401: UNAUTHORISED, 403: PROBLEM, 422: PROBLEM},
        operation_id="createPlace",
    )
    async def create_place(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[schemas.PlaceCreate],
    ) -> Response[schemas.Place]:
        sent = msgspec.structs.asdict(data)
        _staff_only_field(principal, sent, "organisation_id")
        clean = _checked_place(sent)
        place_id = await repository.create_place(
            principal, data.organisation_id, clean, client_ip=_ip(request)
        )
        return Response(place_out(await repository.place(principal, place_id)), status_code=201)

    @get(
        "/{place_id:int}",
        name="api.place",
        summary="One place",
        responses={401: UNAUTHORISED, 404: PROBLEM},
        operation_id="getPlace",
    )
    async def get_place(
        self, principal: NamedDependency[Principal], place_id: FromPath[int]
    ) -> schemas.Place:
        return place_out(await repository.place(principal, place_id))

    @patch(
        "/{place_id:int}",
        name="api.place.update",
        summary="Change a place",
        description="The place of a pooled job follows its job: 409.",
        responses={401: UNAUTHORISED, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
        operation_id="updatePlace",
    )
    async def update_place(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        place_id: FromPath[int],
        data: JSONBody[schemas.PlaceUpdate],
    ) -> schemas.Place:
        current = await repository.place(principal, place_id)
        sent = _sent(data)
        status = sent.pop("status", None)
        clean = _checked_place({**validation.place_as_typed(current), **sent})
        if status is not None:
            clean["status"] = status.value
        await repository.update_place(principal, place_id, clean, client_ip=_ip(request))
        return place_out(await repository.place(principal, place_id))


def totals_out(totals: dict[str, Any]) -> schemas.PoolTotals:
    return schemas.PoolTotals(
        places=totals["places"],
        capacity=totals["capacity"],
        open=totals["open"],
        packages=totals["packages"],
        package_hours_per_week=_hours(totals["package_minutes"]),
        types=[
            schemas.TypeTotals(place_type=rules.PlaceType(t), **v)
            for t, v in totals["types"].items()
        ],
        regions=[
            schemas.RegionTotals(
                region_code=r["region_code"],
                region_name=r["region_name"],
                places=r["places"],
                capacity=r["capacity"],
                open=r["open"],
                open_by_type=r["by_type"],
                packages=r["packages"],
                package_hours_per_week=_hours(r["package_minutes"]),
            )
            for r in totals["regions"]
        ],
    )
