"""The participants' pages.

- ``/beheer/deelnemers``: coordinators only (admins see none of it): the list with search
  and filters, a new participant, one participant with consents and history, the form for
  every field, status changes, consents and their withdrawal, erasure, the export.
- ``/kandidaten``: members (and coordinators, to see what members see): anonymous profiles,
  and a participant's name and contact only with that participant's consent.

Form fields carry the rules' field names, so a rule's error lands next to its field;
what was typed comes back on every error.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from coop.accounts.auth import provide_principal, requires, session_of
from coop.accounts.login import client_ip
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.errors import Conflict, FieldError, ValidationFailed
from coop.participants import repository, rules
from coop.participants.repository import Filters
from coop.reference import regions, sbi
from coop.web import i18n
from coop.web.i18n import gettext as _
from coop.web.templating import url

BASE = "/beheer/deelnemers"
PROFILES = "/kandidaten"
MAX_FIELD = 5000


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


async def _form(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """The participant form as typed: single fields as text, choice groups as lists."""
    form = await request.form()
    values: dict[str, Any] = {}
    for name in rules.FIELDS:
        if name in rules.LIST_FIELDS:
            values[name] = [str(v)[:40] for v in form.getall(name)][:50] if name in form else []
        else:
            values[name] = str(form.get(name) or "")[:MAX_FIELD]
    return values


async def _simple_form(request: Request[Any, Any, Any], names: tuple[str, ...]) -> dict[str, str]:
    form = await request.form()
    return {name: str(form.get(name) or "")[:MAX_FIELD] for name in names}


def choices() -> dict[str, Any]:
    language = i18n.current_language.get()
    return {
        "municipality_options": [(m.code, m.name) for m in regions.municipalities()],
        "region_options": [(r.code, r.name) for r in regions.regions()],
        "status_options": [(s.value, rules.status_label(s)) for s in rules.Status],
        "guidance_options": [(g.value, rules.guidance_label(g)) for g in rules.Guidance],
        "travel_options": [(t.value, rules.travel_label(t)) for t in rules.TravelRange],
        "referrer_options": [(r.value, rules.referrer_label(r)) for r in rules.Referrer],
        "ground_options": [(g.value, rules.ground_label(g)) for g in rules.RegisterGround],
        "benefit_options": [(b.value, rules.benefit_label(b)) for b in rules.Benefit],
        "education_options": [(e.value, rules.education_label(e)) for e in rules.Education],
        "day_options": [(d.value, rules.day_label(d)) for d in rules.Day],
        "place_type_options": [(p.value, rules.place_type_label(p)) for p in rules.PlaceType],
        "task_options": [(t, rules.task_label(t)) for t in rules.TASK_KINDS],
        "need_options": [(n, rules.need_label(n)) for n in rules.SUPPORT_NEEDS],
        "sector_options": [(s.code, f"{s.letter} – {s.name(language)}") for s in sbi.SECTIONS],
    }


def _sector(code: str) -> str:
    return rules.sector_label(code, i18n.current_language.get())


HELPERS = {
    "status_label": rules.status_label,
    "guidance_label": rules.guidance_label,
    "travel_label": rules.travel_label,
    "referrer_label": rules.referrer_label,
    "ground_label": rules.ground_label,
    "benefit_label": rules.benefit_label,
    "education_label": rules.education_label,
    "day_label": rules.day_label,
    "place_type_label": rules.place_type_label,
    "task_label": rules.task_label,
    "need_label": rules.need_label,
    "need_area_label": rules.need_area_label,
    "sector_label": _sector,
}


def page(name: str, http_status: int = 200, /, **context: Any) -> Template:
    return Template(
        name,
        context={**HELPERS, **context},
        status_code=http_status,
        media_type=MediaType.HTML,
    )


def record_values(row: dict[str, Any]) -> dict[str, Any]:
    """A stored record as the form shows it."""
    values: dict[str, Any] = {}
    for name in rules.FIELDS:
        value = row.get(name)
        if name in rules.LIST_FIELDS:
            values[name] = list(value or [])
        elif isinstance(value, bool):
            values[name] = "1" if value else ""
        elif isinstance(value, date):
            values[name] = value.isoformat()
        else:
            values[name] = "" if value is None else str(value)
    return values


def check_form(values: dict[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
    today = repository.today()
    clean, problems = rules.check_participant(values, today=today)
    if not problems:
        problems = rules.check_consistency(clean, today=today)
    return clean, problems


# --- coordinators ----------------------------------------------------------------------


def filters_from(
    zoek: str | None,
    status: str | None,
    regio: str | None,
    begeleiding: str | None,
    dag: str | None,
    uren: str | None,
    beschikbaar: str | None,
    sorteer: str | None,
) -> Filters:
    try:
        available_by = rules.any_date(beschikbaar) if beschikbaar else None
    except rules.Invalid:
        available_by = None
    hours = _int(uren)
    return Filters(
        search=(zoek or "").strip()[:100],
        status=status if status in {s.value for s in rules.Status} else None,
        region=regio if regions.region(regio) else None,
        guidance=begeleiding if begeleiding in {g.value for g in rules.Guidance} else None,
        day=dag if dag in {d.value for d in rules.Day} else None,
        min_hours=hours if hours is not None and 0 < hours <= rules.MAX_HOURS_PER_WEEK else None,
        available_by=available_by,
        sort=sorteer if sorteer in repository.SORTS else "naam",
    )


def filter_query(filters: Filters) -> dict[str, Any]:
    return {
        "zoek": filters.search or None,
        "status": filters.status,
        "regio": filters.region,
        "begeleiding": filters.guidance,
        "dag": filters.day,
        "uren": filters.min_hours,
        "beschikbaar": filters.available_by.isoformat() if filters.available_by else None,
        "sorteer": filters.sort if filters.sort != "naam" else None,
    }


class ParticipantAdminController(Controller):
    path = BASE
    include_in_schema = False
    guards = [requires(Role.COORDINATOR)]
    dependencies = {"principal": Provide(provide_principal)}

    @get("/", name="participants.list", media_type=MediaType.HTML)
    async def list_participants(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        zoek: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
        regio: FromQuery[str | None] = None,
        begeleiding: FromQuery[str | None] = None,
        dag: FromQuery[str | None] = None,
        uren: FromQuery[str | None] = None,
        beschikbaar: FromQuery[str | None] = None,
        sorteer: FromQuery[str | None] = None,
        pagina: FromQuery[str | None] = None,
    ) -> Template:
        filters = filters_from(zoek, status, regio, begeleiding, dag, uren, beschikbaar, sorteer)
        result = await repository.page_of_participants(
            principal, filters, _int(pagina) or 1, client_ip=client_ip(request)
        )
        query = filter_query(filters)

        def page_url(number: int) -> str:
            return url(BASE, **query, pagina=number if number > 1 else None)

        def sort_url(key: str) -> str:
            wanted = ("-" + key) if filters.sort == key and ("-" + key) in repository.SORTS else key
            return url(BASE, **{**query, "sorteer": wanted if wanted != "naam" else None})

        return page(
            "participants/list.html",
            page=result,
            filters=query,
            filtered=any(v for k, v in query.items() if k != "sorteer"),
            sort=filters.sort,
            page_url=page_url,
            sort_url=sort_url,
            messages=session_of(request).pop_flash(),
            **choices(),
        )

    @get("/nieuw", name="participants.new", media_type=MediaType.HTML)
    async def new_form(self) -> Template:
        values = record_values({"days": [], "place_types": [], "hours_min": 0})
        values.update(
            hours_min="",
            referrer=rules.Referrer.GEMEENTE.value,
            guidance=rules.Guidance.GEMIDDELD.value,
            benefit=rules.Benefit.GEEN.value,
            education_level=rules.Education.ONBEKEND.value,
            travel_range=rules.TravelRange.EIGEN_GEMEENTE.value,
        )
        return self._form_page(None, values, {})

    @post("/nieuw", name="participants.create", media_type=MediaType.HTML)
    async def create(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> Any:
        values = await _form(request)
        clean, problems = check_form(values)
        if not problems:
            try:
                participant_id = await repository.create(
                    principal, clean, client_ip=client_ip(request)
                )
            except ValidationFailed as exc:
                problems = list(exc.errors)
            else:
                session_of(request).flash("success", _("De deelnemer is ingeschreven."))
                return Redirect(url(f"{BASE}/{participant_id}"), status_code=303)
        return self._form_page(None, values, _errors(problems), status=400)

    @get("/{participant_id:int}", name="participants.detail", media_type=MediaType.HTML)
    async def detail(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        participant_id: FromPath[int],
    ) -> Template:
        return await self._detail(request, principal, participant_id)

    @get("/{participant_id:int}/bewerken", name="participants.edit", media_type=MediaType.HTML)
    async def edit_form(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        participant_id: FromPath[int],
    ) -> Any:
        row = await repository.participant(
            principal, participant_id, client_ip=client_ip(request), purpose="edit"
        )
        if row["anonymised_at"] is not None:
            session_of(request).flash(
                "info", _("Deze deelnemer is geanonimiseerd en kan niet meer worden gewijzigd.")
            )
            return Redirect(url(f"{BASE}/{participant_id}"), status_code=303)
        return self._form_page(row, record_values(row), {})

    @post(
        "/{participant_id:int}/bewerken",
        name="participants.update",
        media_type=MediaType.HTML,
    )
    async def update(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        participant_id: FromPath[int],
    ) -> Any:
        row = await repository.participant(
            principal, participant_id, client_ip=client_ip(request), purpose="edit"
        )
        values = await _form(request)
        clean, problems = check_form(values)
        if not problems:
            try:
                changed = await repository.update(
                    principal, participant_id, clean, client_ip=client_ip(request)
                )
            except ValidationFailed as exc:
                problems = list(exc.errors)
            except Conflict as exc:
                problems = [FieldError("_form", exc.detail)]
            else:
                session_of(request).flash(
                    "success" if changed else "info",
                    _("De gegevens zijn opgeslagen.") if changed else _("Er is niets gewijzigd."),
                )
                return Redirect(url(f"{BASE}/{participant_id}"), status_code=303)
        return self._form_page(row, values, _errors(problems), status=400)

    @post("/{participant_id:int}/status", name="participants.status", media_type=MediaType.HTML)
    async def change_status(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        participant_id: FromPath[int],
    ) -> Any:
        values = await _simple_form(request, ("status", "reason"))
        try:
            await repository.change_status(
                principal,
                participant_id,
                values["status"],
                values["reason"],
                client_ip=client_ip(request),
            )
        except ValidationFailed as exc:
            return await self._detail(
                request, principal, participant_id, errors=_errors(exc.errors), values=values
            )
        except Conflict as exc:
            return await self._detail(
                request, principal, participant_id, errors={"status": exc.detail}, values=values
            )
        session_of(request).flash(
            "success",
            _(
                "De status is gewijzigd in: %(status)s.",
                status=rules.status_label(values["status"]),
            ),
        )
        return Redirect(url(f"{BASE}/{participant_id}"), status_code=303)

    @post(
        "/{participant_id:int}/toestemmingen",
        name="participants.consent.add",
        media_type=MediaType.HTML,
    )
    async def add_consent(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        participant_id: FromPath[int],
    ) -> Any:
        values = await _simple_form(request, ("kind", "organisation_id", "given_on", "confirm"))
        errors: dict[str, str] = {}
        given_at: datetime | None = None
        try:
            given_on = rules.any_date(values["given_on"])
            if given_on is not None:
                given_at = datetime.combine(
                    given_on, datetime.min.time(), tzinfo=i18n.LOCAL_TIMEZONE
                )
        except rules.Invalid as exc:
            errors["given_on"] = str(exc)
        if values["confirm"] != "1":
            errors["confirm"] = _(
                "Vink aan dat de deelnemer deze tekst heeft gelezen en ermee instemt."
            )
        if not errors:
            try:
                await repository.add_consent(
                    principal,
                    participant_id,
                    values["kind"],
                    organisation_id=_int(values["organisation_id"]),
                    given_at=given_at,
                    client_ip=client_ip(request),
                )
            except ValidationFailed as exc:
                errors = {
                    ("organisation_id" if e.field == "organisation_id" else e.field): e.detail
                    for e in exc.errors
                }
            except Conflict as exc:
                errors = {"kind": exc.detail}
        if errors:
            return await self._detail(
                request,
                principal,
                participant_id,
                errors=errors,
                values=values,
                open_consent=True,
            )
        session_of(request).flash("success", _("De toestemming is vastgelegd."))
        return Redirect(url(f"{BASE}/{participant_id}#toestemmingen"), status_code=303)

    @post(
        "/{participant_id:int}/toestemmingen/{consent_id:int}/intrekken",
        name="participants.consent.withdraw",
        media_type=MediaType.HTML,
    )
    async def withdraw_consent(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        participant_id: FromPath[int],
        consent_id: FromPath[int],
    ) -> Any:
        try:
            await repository.withdraw_consent(
                principal, participant_id, consent_id, client_ip=client_ip(request)
            )
        except Conflict as exc:
            session_of(request).flash("info", exc.detail)
        else:
            session_of(request).flash("success", _("De toestemming is ingetrokken."))
        return Redirect(url(f"{BASE}/{participant_id}#toestemmingen"), status_code=303)

    @post("/{participant_id:int}/wissen", name="participants.erase", media_type=MediaType.HTML)
    async def erase(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        participant_id: FromPath[int],
    ) -> Any:
        values = await _simple_form(request, ("confirm_erase",))
        if values["confirm_erase"] != "1":
            return await self._detail(
                request,
                principal,
                participant_id,
                errors={
                    "confirm_erase": _(
                        "Vink aan dat de deelnemer om wissen heeft gevraagd. Wissen kan niet "
                        "ongedaan worden gemaakt."
                    )
                },
                values=values,
            )
        try:
            await repository.erase(principal, participant_id, client_ip=client_ip(request))
        except Conflict as exc:
            session_of(request).flash("info", exc.detail)
        else:
            session_of(request).flash(
                "success",
                _(
                    "De gegevens van de deelnemer zijn gewist. Alleen de anonieme gegevens "
                    "voor de tellingen zijn bewaard."
                ),
            )
        return Redirect(url(f"{BASE}/{participant_id}"), status_code=303)

    @get("/{participant_id:int}/export.json", name="participants.export")
    async def export(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        participant_id: FromPath[int],
    ) -> Response[bytes]:
        data = await repository.export(principal, participant_id, client_ip=client_ip(request))
        return Response(
            msgspec.json.format(msgspec.json.encode(data), indent=2),
            media_type="application/json",
            headers={
                "Content-Disposition": (
                    f'attachment; filename="deelnemer-{data["participant"]["code"]}.json"'
                ),
                "Cache-Control": "no-store",
            },
        )

    @get("/{participant_id:int}/export.pdf", name="participants.export_pdf")
    async def export_pdf(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        participant_id: FromPath[int],
    ) -> Response[bytes]:
        """The same export as a PDF, rendered by the report pipeline's worker pool (so a
        render never blocks the event loop)."""
        from selfscan.report import render as report_render
        from selfscan.report import service as report_service

        data = await repository.export(principal, participant_id, client_ip=client_ip(request))
        template = request.app.template_engine.get_template("participants/export_pdf.html")
        html = template.render(**HELPERS, data=data, today=repository.today())
        pdf = await report_service.runtime_of(request.app).pool.run(report_render.html_to_pdf, html)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={
                "Content-Disposition": (
                    f'attachment; filename="deelnemer-{data["participant"]["code"]}.pdf"'
                ),
                "Cache-Control": "no-store",
            },
        )

    @staticmethod
    def _form_page(
        row: dict[str, Any] | None,
        values: dict[str, Any],
        errors: dict[str, str],
        status: int = 200,
    ) -> Template:
        return page(
            "participants/form.html",
            status,
            participant=row,
            values=values,
            errors=errors,
            **choices(),
        )

    @staticmethod
    async def _detail(
        request: Request[Any, Any, Any],
        principal: Principal,
        participant_id: int,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        open_consent: bool = False,
    ) -> Template:
        context = await repository.detail(principal, participant_id, client_ip=client_ip(request))
        row = context["participant"]
        return page(
            "participants/detail.html",
            400 if errors else 200,
            next_statuses=[
                (s.value, rules.status_label(s)) for s in rules.next_statuses(row["status"])
            ],
            erase_on=rules.erase_date(row["left_on"]),
            age=rules.age_on(row["date_of_birth"], repository.today())
            if row["date_of_birth"]
            else None,
            organisations=[
                (str(o["id"]), o["name"]) for o in await repository.organisations_for_consent()
            ],
            consent_texts={
                "profiel": rules.consent_text("profiel"),
                "identiteit": rules.consent_text("identiteit", _("het gekozen lid")),
            },
            errors=errors or {},
            values=values or {},
            open_consent=open_consent,
            messages=session_of(request).pop_flash(),
            **context,
        )


# --- members: anonymous profiles --------------------------------------------------------


class ProfileController(Controller):
    path = PROFILES
    include_in_schema = False
    guards = [requires(Role.MEMBER, Role.COORDINATOR)]
    dependencies = {"principal": Provide(provide_principal)}

    @get("/", name="participants.profiles", media_type=MediaType.HTML)
    async def list_profiles(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        pagina: FromQuery[str | None] = None,
    ) -> Template:
        number = max(1, min(_int(pagina) or 1, 10_000_000))
        items, total = await repository.profiles(
            principal,
            limit=repository.PAGE_SIZE,
            offset=(number - 1) * repository.PAGE_SIZE,
            client_ip=client_ip(request),
        )
        result = repository.Page(items=items, total=total, page=number, size=repository.PAGE_SIZE)  # type: ignore[arg-type]

        def page_url(n: int) -> str:
            return url(PROFILES, pagina=n if n > 1 else None)

        return page("participants/profiles.html", page=result, page_url=page_url)

    @get("/{code:str}", name="participants.profile", media_type=MediaType.HTML)
    async def profile(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        code: FromPath[str],
    ) -> Template:
        found = await repository.profile(principal, code, client_ip=client_ip(request))
        return page("participants/profile.html", **found)
