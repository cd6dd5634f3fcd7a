"""The supply side's pages.

- ``/werk/pakketten``: work packages; a member its own, staff all (and on a member's behalf).
- ``/werk/plaatsen``: the pool: its anonymous totals for everyone who may use it, and the
  places a member offers (its own) or, for staff, all of them.
- ``/beheer/banen``: coordinators combine packages into pooled jobs, see their schedule
  and shares, and what must be re-pooled by when.

Form fields carry the rules' field names, so a rule's error lands next to its field; what
was typed comes back on every error. WSP users have no business here (403).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, MediaType, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from coop.accounts.auth import provide_principal, requires, session_of
from coop.accounts.login import client_ip
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.errors import Conflict, FieldError, NotFound, ValidationFailed
from coop.members import rules as member_rules
from coop.participants import rules as participant_rules
from coop.reference import regions
from coop.web.i18n import gettext as _
from coop.web.templating import url
from coop.work import repository, rules, validation
from coop.work.repository import PackageFilters, PlaceFilters

WORK_ROLES = (Role.MEMBER, Role.COORDINATOR, Role.ADMIN)
STAFF = (Role.COORDINATOR, Role.ADMIN)
PAGE_SIZE = 50
PACKAGES = "/werk/pakketten"
PLACES = "/werk/plaatsen"
JOBS = "/beheer/banen"

PACKAGE_FORM_FIELDS = (
    "organisation_id",
    "title",
    "tasks",
    "skills",
    "hours_per_week",
    "address",
    "municipality_code",
    "start_date",
    "end_date",
    "physical_demands",
    "cognitive_demands",
    "adjustments",
    "supervision",
    "can_employ",
    *(f"van_{d}" for d in rules.DAYS),
    *(f"tot_{d}" for d in rules.DAYS),
)
PLACE_FORM_FIELDS = (
    "organisation_id",
    "place_type",
    "employment_model",
    "title",
    "tasks",
    "capacity",
    "hours_per_week",
    "municipality_code",
    "start_date",
    "end_date",
    "guidance",
    "job_coach",
    "adjustments",
    "supervision",
    "physical_demands",
)

HELPERS = {
    "package_status_label": rules.package_status_label,
    "job_status_label": rules.job_status_label,
    "place_status_label": rules.place_status_label,
    "place_type_label": rules.place_type_label,
    "model_label": rules.model_label,
    "demand_label": rules.demand_label,
    "guidance_label": rules.guidance_label,
    "day_label": rules.day_label,
    "hours_text": rules.hours_text,
    "format_time": rules.format_time,
    "need_label": participant_rules.need_label,
    "counts_as_paid_work": rules.counts_as_paid_work,
    "days": rules.DAYS,
}


def page(name: str, http_status: int = 200, /, **context: Any) -> Template:
    return Template(
        name, context={**HELPERS, **context}, status_code=http_status, media_type=MediaType.HTML
    )


def _int(value: Any) -> int | None:
    try:
        return int(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


def _errors(items: list[FieldError] | tuple[FieldError, ...]) -> dict[str, str]:
    result: dict[str, str] = {}
    for e in items:
        result.setdefault(e.field, e.detail)
    return result


async def _form(request: Request[Any, Any, Any], names: tuple[str, ...]) -> dict[str, str]:
    form = await request.form()
    return {name: str(form.get(name) or "")[:5000] for name in names}


async def _place_form(request: Request[Any, Any, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """The place form as typed; ``supports`` is a group of checkboxes, so a list."""
    form = await request.form()
    values: dict[str, Any] = {name: str(form.get(name) or "")[:5000] for name in names}
    values["supports"] = (
        [str(v)[:40] for v in form.getall("supports")][:50] if "supports" in form else []
    )
    return values


async def choices(principal: Principal) -> dict[str, Any]:
    return {
        "municipality_options": [(m.code, m.name) for m in regions.municipalities()],
        "region_options": [(r.code, r.name) for r in regions.regions()],
        "demand_options": [(d.value, rules.demand_label(d)) for d in rules.Demand],
        "guidance_options": [(g.value, rules.guidance_label(g)) for g in rules.Guidance],
        "type_options": [(t.value, rules.place_type_label(t)) for t in rules.PlaceType],
        "model_options": [(m.value, rules.model_label(m)) for m in rules.EmploymentModel],
        "support_options": [
            (n, participant_rules.need_label(n)) for n in participant_rules.SUPPORT_NEEDS
        ],
        "package_status_options": [
            (s.value, rules.package_status_label(s)) for s in rules.PackageStatus
        ],
        "member_options": (
            [(m["id"], m["name"]) for m in await repository.active_members()]
            if principal.role.staff
            else []
        ),
    }


def _slots_from_form(
    values: dict[str, str],
) -> tuple[list[tuple[str, str, str]], list[str], dict[str, str]]:
    """The schedule grid (a start and end per day) as slots, the day of each slot, and the
    problems of a day with only one of the two times."""
    slots: list[tuple[str, str, str]] = []
    days: list[str] = []
    errors: dict[str, str] = {}
    for day in rules.DAYS:
        start, end = values[f"van_{day}"].strip(), values[f"tot_{day}"].strip()
        if not start and not end:
            continue
        if not start:
            errors[f"van_{day}"] = _("Vul ook de begintijd in.")
            continue
        if not end:
            errors[f"tot_{day}"] = _("Vul ook de eindtijd in.")
            continue
        slots.append((day, start, end))
        days.append(day)
    return slots, days, errors


def _form_errors(problems: list[FieldError], days: list[str]) -> dict[str, str]:
    """Field errors of the rules, by the form's own names (``schedule[1].end`` is the end
    time of the second day filled in)."""
    renamed = []
    for problem in problems:
        name = problem.field
        if name.startswith("schedule["):
            index = int(name[len("schedule[") : name.index("]")])
            part = name.rsplit(".", 1)[-1]
            day = days[index] if index < len(days) else rules.DAYS[0]
            name = f"van_{day}" if part in ("start", "day") else f"tot_{day}"
        elif name == "minutes_per_week":
            name = "hours_per_week"
        renamed.append(FieldError(name, problem.detail))
    return _errors(renamed)


def package_form_values(row: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {
        f: "" if row.get(f) is None else row[f] for f in validation.PACKAGE_FIELDS
    }
    values["organisation_id"] = row["organisation"]
    values["hours_per_week"] = rules.hours_text(row["minutes_per_week"])
    values["can_employ"] = "1" if row["can_employ"] else ""
    for f in ("start_date", "end_date"):
        values[f] = row[f].isoformat() if row.get(f) else ""
    for slot in row["slots"]:
        values[f"van_{slot.day}"] = rules.format_time(slot.start)
        values[f"tot_{slot.day}"] = rules.format_time(slot.end)
    return values


def place_form_values(row: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {
        f: "" if row.get(f) is None else row[f] for f in validation.PLACE_FIELDS
    }
    values["organisation_id"] = row["organisation"] or ""
    values["hours_per_week"] = rules.hours_text(row["minutes_per_week"])
    values["job_coach"] = "1" if row["job_coach"] else ""
    for f in ("start_date", "end_date"):
        values[f] = row[f].isoformat() if row.get(f) else ""
    return values


def _refusal(principal: Principal, exc: ValidationFailed) -> dict[str, str]:
    """The repository's field errors; a member's form has no organisation field, so a
    refusal about its organisation shows above the form."""
    errors = _errors(exc.errors)
    if not principal.role.staff and "organisation_id" in errors:
        errors["_form"] = errors.pop("organisation_id")
    return errors


def _hours_typed(text: str) -> str:
    return text.strip().replace(",", ".")


# --- work packages ---------------------------------------------------------------------------


class PackagePages(Controller):
    path = PACKAGES
    include_in_schema = False
    guards = [requires(*WORK_ROLES)]
    dependencies = {"principal": Provide(provide_principal)}

    @get("/", name="work.packages", media_type=MediaType.HTML)
    async def list_packages(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        status: FromQuery[str | None] = None,
        regio: FromQuery[str | None] = None,
        pagina: FromQuery[str | None] = None,
    ) -> Template:
        wanted = status if status in {s.value for s in rules.PackageStatus} else None
        region = regio if regions.region(regio) else None
        number = max(1, min(_int(pagina) or 1, 100_000))
        rows, total = await repository.list_packages(
            principal,
            PackageFilters(status=wanted, region=region),
            limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
        )
        query = {"status": wanted, "regio": region}
        return page(
            "work/packages.html",
            items=rows,
            total=total,
            page_number=number,
            pages=max(1, -(-total // PAGE_SIZE)),
            filters=query,
            page_url=lambda n: url(PACKAGES, **query, pagina=n if n > 1 else None),
            messages=session_of(request).pop_flash(),
            **await choices(principal),
        )

    @get("/nieuw", name="work.package.new", media_type=MediaType.HTML)
    async def new(self, principal: NamedDependency[Principal]) -> Template:
        values = {"physical_demands": "gemiddeld", "cognitive_demands": "gemiddeld"}
        return await self._form_page(principal, None, values, {})

    @post("/nieuw", name="work.package.create", media_type=MediaType.HTML)
    async def create(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> Any:
        values = await _form(request, (*PACKAGE_FORM_FIELDS, "offer"))
        organisation_id = _int(values["organisation_id"]) if principal.role.staff else None
        errors: dict[str, str] = {}
        if principal.role.staff and organisation_id is None:
            errors["organisation_id"] = _("Kies een lid van de coöperatie.")
        clean, problem_map = self._check(values)
        errors.update(problem_map)
        if not errors:
            try:
                package_id = await repository.create_package(
                    principal,
                    organisation_id,
                    clean,
                    offer=values["offer"] == "aanbieden",
                    client_ip=client_ip(request),
                )
            except ValidationFailed as exc:
                errors = _refusal(principal, exc)
            else:
                session_of(request).flash(
                    "success",
                    _("Het werkpakket is aangeboden.")
                    if values["offer"] == "aanbieden"
                    else _("Het werkpakket is bewaard als concept."),
                )
                return Redirect(url(f"{PACKAGES}/{package_id}"), status_code=303)
        return await self._form_page(principal, None, values, errors, status=400)

    @get("/{package_id:int}", name="work.package", media_type=MediaType.HTML)
    async def detail(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        package_id: FromPath[int],
    ) -> Template:
        return await self._detail(request, principal, package_id)

    @get("/{package_id:int}/bewerken", name="work.package.edit", media_type=MediaType.HTML)
    async def edit_form(
        self, principal: NamedDependency[Principal], package_id: FromPath[int]
    ) -> Template:
        row = await repository.package(principal, package_id)
        return await self._form_page(principal, row, package_form_values(row), {})

    @post("/{package_id:int}/bewerken", name="work.package.update", media_type=MediaType.HTML)
    async def edit(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        package_id: FromPath[int],
    ) -> Any:
        row = await repository.package(principal, package_id)
        values = await _form(request, PACKAGE_FORM_FIELDS)
        clean, errors = self._check(values)
        if not errors:
            try:
                await repository.update_package(
                    principal, package_id, clean, client_ip=client_ip(request)
                )
            except ValidationFailed as exc:
                errors = _errors(exc.errors)
            except Conflict as exc:
                errors = {"_form": exc.detail}
            else:
                session_of(request).flash("success", _("De gegevens zijn opgeslagen."))
                return Redirect(url(f"{PACKAGES}/{package_id}"), status_code=303)
        return await self._form_page(principal, row, values, errors, status=400)

    @post("/{package_id:int}/status", name="work.package.status", media_type=MediaType.HTML)
    async def change_status(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        package_id: FromPath[int],
    ) -> Any:
        values = await _form(request, ("status", "reason"))
        try:
            reason = validation.reason(values["reason"], required=False)
            await repository.change_package_status(
                principal, package_id, values["status"], reason, client_ip=client_ip(request)
            )
        except ValidationFailed as exc:
            return await self._detail(
                request,
                principal,
                package_id,
                errors=_errors(exc.errors),
                values=values,
                status=400,
            )
        except Conflict as exc:
            return await self._detail(
                request,
                principal,
                package_id,
                errors={"status": exc.detail},
                values=values,
                status=409,
            )
        session_of(request).flash(
            "success",
            _(
                "De status is gewijzigd in: %(status)s.",
                status=rules.package_status_label(values["status"]),
            ),
        )
        return Redirect(url(f"{PACKAGES}/{package_id}"), status_code=303)

    @staticmethod
    def _check(values: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
        slots, days, grid_errors = _slots_from_form(values)
        typed = {**values, "hours_per_week": _hours_typed(values["hours_per_week"])}
        clean, problems = validation.check_package(typed, slots)
        errors = _form_errors(problems, days)
        errors.update(grid_errors)
        return clean, errors

    @staticmethod
    async def _form_page(
        principal: Principal,
        row: dict[str, Any] | None,
        values: dict[str, Any],
        errors: dict[str, str],
        status: int = 200,
    ) -> Template:
        return page(
            "work/package_form.html",
            status,
            package=row,
            values=values,
            errors=errors,
            **await choices(principal),
        )

    @staticmethod
    async def _detail(
        request: Request[Any, Any, Any],
        principal: Principal,
        package_id: int,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        status: int = 200,
    ) -> Template:
        row = await repository.package(principal, package_id)
        return page(
            "work/package.html",
            status,
            package=row,
            next_statuses=[
                (s.value, rules.package_status_label(s))
                for s in rules.next_package_statuses(row["status"], staff=principal.role.staff)
            ],
            editable=row["status"] in ("concept", "aangeboden"),
            errors=errors or {},
            values=values or {},
            messages=session_of(request).pop_flash(),
        )


# --- places and the pool ---------------------------------------------------------------------


class PlacePages(Controller):
    path = PLACES
    include_in_schema = False
    guards = [requires(*WORK_ROLES)]
    dependencies = {"principal": Provide(provide_principal)}

    @get("/", name="work.places", media_type=MediaType.HTML)
    async def pool(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        regio: FromQuery[str | None] = None,
        soort: FromQuery[str | None] = None,
        beschikbaar: FromQuery[str | None] = None,
        pagina: FromQuery[str | None] = None,
        van: FromQuery[str | None] = None,
        tot: FromQuery[str | None] = None,
    ) -> Template:
        region = regio if regions.region(regio) else None
        kind = soort if soort in {t.value for t in rules.PlaceType} else None

        def day(text: str | None) -> date | None:
            # A value that is not a date is left out, as the other filters do.
            try:
                return member_rules.optional_date(text)
            except member_rules.Invalid:
                return None

        available = day(beschikbaar)
        # van/tot: places open at some time in the period (the monitor's links).
        open_from, open_until = day(van), day(tot)
        number = max(1, min(_int(pagina) or 1, 100_000))
        filters = PlaceFilters(
            region=region,
            place_type=kind,
            available_on=available,
            open_from=open_from,
            open_until=open_until,
        )
        rows, total = await repository.list_places(
            principal, filters, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
        )
        query = {
            "regio": region,
            "soort": kind,
            "beschikbaar": available.isoformat() if available else None,
            "van": open_from.isoformat() if open_from else None,
            "tot": open_until.isoformat() if open_until else None,
        }
        return page(
            "work/pool.html",
            totals=await repository.pool_totals(principal),
            items=rows,
            total=total,
            page_number=number,
            pages=max(1, -(-total // PAGE_SIZE)),
            filters=query,
            open_from=open_from,
            open_until=open_until,
            page_url=lambda n: url(PLACES, **query, pagina=n if n > 1 else None),
            messages=session_of(request).pop_flash(),
            **await choices(principal),
        )

    @get("/nieuw", name="work.place.new", media_type=MediaType.HTML)
    async def new(self, principal: NamedDependency[Principal]) -> Template:
        values = {"capacity": "1", "guidance": "licht", "physical_demands": "gemiddeld"}
        return await self._form_page(principal, None, values, {})

    @post("/nieuw", name="work.place.create", media_type=MediaType.HTML)
    async def create(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> Any:
        values = await _place_form(request, PLACE_FORM_FIELDS)
        organisation_id = _int(values["organisation_id"]) if principal.role.staff else None
        clean, problems = validation.check_place(
            {**values, "hours_per_week": _hours_typed(values["hours_per_week"])}
        )
        errors = _form_errors(problems, [])
        if not errors:
            try:
                place_id = await repository.create_place(
                    principal, organisation_id, clean, client_ip=client_ip(request)
                )
            except ValidationFailed as exc:
                errors = _refusal(principal, exc)
            else:
                session_of(request).flash("success", _("De plaats staat in de pool."))
                return Redirect(url(f"{PLACES}/{place_id}"), status_code=303)
        return await self._form_page(principal, None, values, errors, status=400)

    @get("/{place_id:int}", name="work.place", media_type=MediaType.HTML)
    async def detail(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        place_id: FromPath[int],
    ) -> Template:
        row = await repository.place(principal, place_id)
        try:
            duration = rules.max_duration(row["place_type"], row["start_date"].year)
        except LookupError:
            duration = None
        return page(
            "work/place.html",
            place=row,
            duration=duration,
            messages=session_of(request).pop_flash(),
        )

    @get("/{place_id:int}/bewerken", name="work.place.edit", media_type=MediaType.HTML)
    async def edit_form(
        self, principal: NamedDependency[Principal], place_id: FromPath[int]
    ) -> Template:
        row = await repository.place(principal, place_id)
        return await self._form_page(principal, row, place_form_values(row), {})

    @post("/{place_id:int}/bewerken", name="work.place.update", media_type=MediaType.HTML)
    async def edit(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        place_id: FromPath[int],
    ) -> Any:
        row = await repository.place(principal, place_id)
        values = await _place_form(request, (*PLACE_FORM_FIELDS, "status"))
        clean, problems = validation.check_place(
            {**values, "hours_per_week": _hours_typed(values["hours_per_week"])}
        )
        errors = _form_errors(problems, [])
        if values["status"] in {s.value for s in rules.PlaceStatus}:
            clean["status"] = values["status"]
        if not errors:
            try:
                await repository.update_place(
                    principal, place_id, clean, client_ip=client_ip(request)
                )
            except ValidationFailed as exc:
                errors = _errors(exc.errors)
            except Conflict as exc:
                errors = {"_form": exc.detail}
            else:
                session_of(request).flash("success", _("De gegevens zijn opgeslagen."))
                return Redirect(url(f"{PLACES}/{place_id}"), status_code=303)
        return await self._form_page(principal, row, values, errors, status=400)

    @staticmethod
    async def _form_page(
        principal: Principal,
        row: dict[str, Any] | None,
        values: dict[str, Any],
        errors: dict[str, str],
        status: int = 200,
    ) -> Template:
        return page(
            "work/place_form.html",
            status,
            place=row,
            values=values,
            errors=errors,
            status_options=[(s.value, rules.place_status_label(s)) for s in rules.PlaceStatus],
            **await choices(principal),
        )


# --- coordinators: pooled jobs ---------------------------------------------------------------


class PooledJobPages(Controller):
    path = JOBS
    include_in_schema = False
    guards = [requires(*STAFF)]
    dependencies = {"principal": Provide(provide_principal)}

    @get("/", name="work.jobs", media_type=MediaType.HTML)
    async def list_jobs(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        status: FromQuery[str | None] = None,
    ) -> Template:
        wanted = status if status in {s.value for s in rules.JobStatus} else None
        rows, total = await repository.list_pooled_jobs(principal, status=wanted, limit=500)
        open_packages, _count = await repository.list_packages(
            principal, PackageFilters(status="aangeboden"), limit=500, offset=0
        )
        return page(
            "work/jobs.html",
            items=rows,
            total=total,
            flagged=[j for j in rows if j["flags"]],
            current_status=wanted or "",
            status_options=[(s.value, rules.job_status_label(s)) for s in rules.JobStatus],
            open_packages=open_packages,
            today=date.today(),
            messages=session_of(request).pop_flash(),
        )

    @get("/nieuw", name="work.job.new", media_type=MediaType.HTML)
    async def new(
        self,
        principal: NamedDependency[Principal],
        pakket: FromQuery[str | None] = None,
        regio: FromQuery[str | None] = None,
    ) -> Template:
        return await self._compose(principal, _int(pakket), regio == "1", [], {}, {})

    @post("/nieuw", name="work.job.create", media_type=MediaType.HTML)
    async def create(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> Any:
        form = await request.form()
        base = _int(form.get("base"))
        accept_region = str(form.get("accept_region") or "") == "1"
        chosen = [i for i in (_int(v) for v in form.getall("package_ids")) if i]
        ids = ([base] if base else []) + [i for i in chosen if i != base]
        values = {
            "title": str(form.get("title") or "")[:500],
            "description": str(form.get("description") or "")[:3000],
        }
        errors: dict[str, str] = {}
        if str(form.get("action") or "") == "combineren":
            try:
                title = validation.text(
                    values["title"], "title", required=True, missing=_("Geef de baan een naam.")
                )
            except member_rules.Invalid as exc:
                errors["title"] = str(exc)
            try:
                description = validation.text(values["description"], "description")
            except member_rules.Invalid as exc:
                errors["description"] = str(exc)
            if not errors:
                try:
                    job_id = await repository.create_pooled_job(
                        principal,
                        title=title,
                        description=description,
                        package_ids=ids,
                        accept_region=accept_region,
                        client_ip=client_ip(request),
                    )
                except (ValidationFailed, Conflict) as exc:
                    problems = getattr(exc, "errors", ()) or (
                        FieldError("package_ids", exc.detail),
                    )
                    errors["package_ids"] = " ".join(dict.fromkeys(p.detail for p in problems))
                else:
                    session_of(request).flash("success", _("De gecombineerde baan is gemaakt."))
                    return Redirect(url(f"{JOBS}/{job_id}"), status_code=303)
        return await self._compose(
            principal,
            base,
            accept_region,
            ids,
            values,
            errors,
            status=400 if errors else 200,
        )

    @get("/{job_id:int}", name="work.job", media_type=MediaType.HTML)
    async def detail(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        job_id: FromPath[int],
    ) -> Template:
        return await self._detail(request, principal, job_id)

    @post("/{job_id:int}/pakketten", name="work.job.add", media_type=MediaType.HTML)
    async def add_package(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        job_id: FromPath[int],
    ) -> Any:
        values = await _form(request, ("package_id",))
        try:
            await repository.add_package_to_job(
                principal, job_id, _int(values["package_id"]) or 0, client_ip=client_ip(request)
            )
        except (ValidationFailed, Conflict) as exc:
            problems = getattr(exc, "errors", ()) or (FieldError("package_id", exc.detail),)
            return await self._detail(
                request,
                principal,
                job_id,
                errors={"package_id": " ".join(dict.fromkeys(p.detail for p in problems))},
                status=400,
            )
        session_of(request).flash("success", _("Het werkpakket is aan de baan toegevoegd."))
        return Redirect(url(f"{JOBS}/{job_id}"), status_code=303)

    @post(
        "/{job_id:int}/pakketten/{package_id:int}/verwijderen",
        name="work.job.remove",
        media_type=MediaType.HTML,
    )
    async def remove_package(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        job_id: FromPath[int],
        package_id: FromPath[int],
    ) -> Any:
        values = await _form(request, ("reason",))
        try:
            reason = validation.reason(values["reason"], required=True)
        except ValidationFailed as exc:
            return await self._detail(
                request,
                principal,
                job_id,
                errors={f"reason_{package_id}": exc.errors[0].detail},
                status=400,
            )
        await repository.remove_package_from_job(
            principal, job_id, package_id, reason, client_ip=client_ip(request)
        )
        session_of(request).flash("success", _("Het werkpakket is uit de baan gehaald."))
        return Redirect(url(f"{JOBS}/{job_id}"), status_code=303)

    @post("/{job_id:int}/status", name="work.job.status", media_type=MediaType.HTML)
    async def change_status(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        job_id: FromPath[int],
    ) -> Any:
        values = await _form(request, ("status", "reason"))
        try:
            reason = validation.reason(values["reason"], required=False)
            await repository.change_job_status(
                principal, job_id, values["status"], reason, client_ip=client_ip(request)
            )
        except (ValidationFailed, Conflict) as exc:
            problems = getattr(exc, "errors", ()) or (FieldError("status", exc.detail),)
            return await self._detail(
                request, principal, job_id, errors={"status": problems[0].detail}, status=409
            )
        session_of(request).flash(
            "success",
            _(
                "De status is gewijzigd in: %(status)s.",
                status=rules.job_status_label(values["status"]),
            ),
        )
        return Redirect(url(f"{JOBS}/{job_id}"), status_code=303)

    @staticmethod
    async def _compose(
        principal: Principal,
        base: int | None,
        accept_region: bool,
        chosen: list[int],
        values: dict[str, str],
        errors: dict[str, str],
        status: int = 200,
    ) -> Template:
        """The composing page: pick a package, see what fits beside it, check the
        combination (schedule and shares), and combine."""
        open_packages, _count = await repository.list_packages(
            principal, PackageFilters(status="aangeboden"), limit=500, offset=0
        )
        base_row, suggestions, fit, rows = None, [], None, []
        if base:
            try:
                base_row, suggestions, _total = await repository.suggestions(
                    principal, base, accept_region=accept_region, limit=200
                )
            except NotFound:
                base_row = None  # an unknown package: the picker again
        if base_row and len(chosen) > 1:
            fit, rows = await repository.combination(chosen, accept_region=accept_region)
        names = {r["organisation"]: r["organisation_name"] for r in rows}
        return page(
            "work/compose.html",
            status,
            open_packages=open_packages,
            base=base_row,
            suggestions=suggestions,
            accept_region=accept_region,
            chosen=set(chosen),
            fit=fit,
            fit_rows=rows,
            names=names,
            values=values,
            errors=errors,
        )

    @staticmethod
    async def _detail(
        request: Request[Any, Any, Any],
        principal: Principal,
        job_id: int,
        *,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> Template:
        job = await repository.pooled_job(principal, job_id)
        names = {p["organisation"]: p["organisation_name"] for p in job["packages"]}
        candidates: list[dict[str, Any]] = []
        if job["status"] != rules.JobStatus.OPGEHEVEN:
            region = job["place"] and (await repository.place(principal, job["place"]["id"]))
            packages = await repository.open_packages(
                region=region["region_code"] if region else None
            )
            flagged = {f.package_id for f in job["flags"]}
            staying = [repository.as_package(p) for p in job["packages"] if p["id"] not in flagged]
            fitting = [
                p
                for p in packages
                if all(rules.pair_fits(s, p, accept_region=job["accept_region"]) for s in staying)
            ]
            by_id = await repository.rows_by_id([p.id for p in fitting[:200]])
            candidates = [by_id[p.id] for p in fitting[:200] if p.id in by_id]
        return page(
            "work/job.html",
            status,
            job=job,
            names=names,
            candidates=candidates,
            candidate_options=[(c["id"], _package_choice(c)) for c in candidates],
            event_label=event_label,
            next_statuses=[
                (s.value, rules.job_status_label(s))
                for s in rules.JobStatus
                if s in repository.JOB_TRANSITIONS[rules.JobStatus(job["status"])]
            ],
            today=date.today(),
            errors=errors or {},
            messages=session_of(request).pop_flash(),
        )


def _package_choice(row: dict[str, Any]) -> str:
    return _(
        "%(member)s – %(title)s (%(hours)s uur, %(municipality)s)",
        member=row["organisation_name"],
        title=row["title"],
        hours=rules.hours_text(row["minutes_per_week"]),
        municipality=row["municipality_name"],
    )


def event_label(action: str) -> str:
    """A line of a pooled job's history in words."""
    labels = {
        "created": _("Baan gemaakt"),
        "package_added": _("Werkpakket toegevoegd"),
        "package_removed": _("Werkpakket uit de baan gehaald"),
        "package_withdrawn": _("Werkpakket ingetrokken door het lid"),
        "status_open": _("Baan weer open"),
        "status_vervuld": _("Baan vervuld"),
        "status_opgeheven": _("Baan opgeheven"),
        "membership_end_requested": _("Lid heeft opgezegd"),
        "membership_geschorst": _("Lidmaatschap geschorst"),
        "membership_beeindigd": _("Lidmaatschap beëindigd"),
        "membership_actief": _("Lidmaatschap weer actief"),
    }
    return labels.get(action, action)


WORK_PAGES = [PackagePages, PlacePages, PooledJobPages]
