"""The coordinators' allocation pages, and the placements for everyone who may see them.

- ``/allocatie``: choose a region (or all waiting participants), get the optimal proposal
  with its explanations, accept pairs one by one or all;
- ``/plaatsingen``: the placements (a member only its own: name, hours, tasks, contact),
  a placement's follow-up for coordinators, and ``/plaatsingen/opvolging``, the work list.

Form fields carry the repository's field names, so an error lands next to its field; what
was typed comes back on every error.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from litestar import Controller, MediaType, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

import regulations
from coop.accounts.auth import provide_principal, requires, session_of
from coop.accounts.login import client_ip
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.allocation import batch, repository, rules, subsidies, texts
from coop.allocation.rules import ExitReason, Status, Visibility
from coop.errors import Conflict, FieldError, ValidationFailed
from coop.reference import regions
from coop.web.i18n import gettext as _
from coop.web.i18n import ngettext
from coop.web.templating import url
from coop.work import rules as work_rules

ALLOCATION = "/allocatie"
PLACEMENTS = "/plaatsingen"

HELPERS = {
    "reason_text": texts.reason_text,
    "signed": texts.signed,
    "blocker_text": texts.blocker_text,
    "unmatched_text": texts.unmatched_text,
    "status_label": texts.status_label,
    "exit_reason_label": texts.exit_reason_label,
    "visibility_label": texts.visibility_label,
    "job_coach_label": texts.job_coach_label,
    "due_label": texts.due_label,
    "pair_state_label": texts.pair_state_label,
    "event_label": texts.event_label,
    "model_label": work_rules.model_label,
    "place_type_label": work_rules.place_type_label,
    "guidance_label": work_rules.guidance_label,
    "hours_text": work_rules.hours_text,
}


def page(name: str, http_status: int = 200, /, **context: Any) -> Template:
    return Template(
        name, context={**HELPERS, **context}, status_code=http_status, media_type=MediaType.HTML
    )


def _errors(items: list[FieldError] | tuple[FieldError, ...]) -> dict[str, str]:
    result: dict[str, str] = {}
    for e in items:
        result.setdefault(e.field, e.detail)
    return result


def _date(values: dict[str, str], name: str, errors: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(values.get(name, "").strip())
    except ValueError:
        errors[name] = _("Vul een datum in, bijvoorbeeld 2026-03-01.")
        return None


async def _form(request: Request[Any, Any, Any], names: tuple[str, ...]) -> dict[str, str]:
    form = await request.form()
    return {name: str(form.get(name) or "")[:4000] for name in names}


def _today() -> date:
    return repository.now().date()


class AllocationPages(Controller):
    path = ALLOCATION
    guards = [requires(Role.COORDINATOR)]
    dependencies = {"principal": Provide(provide_principal)}

    @get("/", name="allocation.start", media_type=MediaType.HTML)
    async def start(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> Template:
        return await self._start_page(request, principal, {}, {})

    @staticmethod
    async def _start_page(
        request: Request[Any, Any, Any],
        principal: Principal,
        values: dict[str, str],
        errors: dict[str, str],
        status: int = 200,
    ) -> Template:
        return page(
            "allocation/start.html",
            status,
            values=values,
            errors=errors,
            proposals=await batch.recent_proposals(principal),
            region_options=[(r.code, r.name) for r in regions.regions()],
            messages=session_of(request).pop_flash(),
        )

    @post("/voorstel", name="allocation.propose", media_type=MediaType.HTML)
    async def propose(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> Any:
        values = await _form(request, ("region_code",))
        region = values["region_code"] or None
        if region is not None and regions.region(region) is None:
            return await self._start_page(
                request, principal, values, {"region_code": _("Kies een arbeidsmarktregio.")}, 400
            )
        proposal_id = await batch.create_proposal(
            principal, region=region, today=_today(), client_ip=client_ip(request)
        )
        return Redirect(url(f"{ALLOCATION}/voorstellen/{proposal_id}"), status_code=303)

    @get("/voorstellen/{proposal_id:int}", name="allocation.proposal", media_type=MediaType.HTML)
    async def proposal(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        proposal_id: FromPath[int],
    ) -> Template:
        row = await batch.proposal(principal, proposal_id, client_ip=client_ip(request))
        region = regions.region(row["region_code"]) if row["region_code"] else None
        return page(
            "allocation/proposal.html",
            proposal=row,
            region_name=region.name if region else None,
            total_score=sum(p["score"] for p in row["pairs"]),
            open_pairs=sum(1 for p in row["pairs"] if p["state"] == "open"),
            messages=session_of(request).pop_flash(),
        )

    @post(
        "/voorstellen/{proposal_id:int}/paren/{pair_id:int}/aanvaarden",
        name="allocation.accept_pair",
        media_type=MediaType.HTML,
    )
    async def accept_pair(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        proposal_id: FromPath[int],
        pair_id: FromPath[int],
    ) -> Redirect:
        session = session_of(request)
        try:
            await batch.accept_pair(
                principal, proposal_id, pair_id, today=_today(), client_ip=client_ip(request)
            )
        except (Conflict, ValidationFailed) as exc:
            session.flash(
                "error", _("Dit paar kon niet worden aanvaard: %(reason)s", reason=exc.detail)
            )
        else:
            session.flash("success", _("De plaatsing is aangemaakt."))
        return Redirect(url(f"{ALLOCATION}/voorstellen/{proposal_id}"), status_code=303)

    @post(
        "/voorstellen/{proposal_id:int}/aanvaarden",
        name="allocation.accept_all",
        media_type=MediaType.HTML,
    )
    async def accept_all(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        proposal_id: FromPath[int],
    ) -> Redirect:
        results = await batch.accept_all(
            principal, proposal_id, today=_today(), client_ip=client_ip(request)
        )
        accepted = sum(1 for r in results.values() if isinstance(r, int))
        refused = len(results) - accepted
        session = session_of(request)
        session.flash(
            "success",
            ngettext("%(num)s plaatsing aangemaakt.", "%(num)s plaatsingen aangemaakt.", accepted),
        )
        if refused:
            session.flash(
                "error",
                ngettext(
                    "%(num)s paar niet aanvaard: de plaats of de deelnemer is intussen bezet.",
                    "%(num)s paren niet aanvaard: de plaats of de deelnemer is intussen bezet.",
                    refused,
                ),
            )
        return Redirect(url(f"{ALLOCATION}/voorstellen/{proposal_id}"), status_code=303)


def _list_filters(params: Any) -> tuple[str | None, repository.ListFilters]:
    """The list's filters from the query string (the monitor's links); a value that is not
    valid is left out, as the other lists do."""

    def day(name: str) -> date | None:
        try:
            return date.fromisoformat((params.get(name) or "").strip())
        except ValueError:
            return None

    def member(text: str | None) -> int | None:
        if not text or not re.fullmatch(r"[0-9]{1,10}", text):
            return None
        return int(text) if 0 < int(text) < 2**31 else None

    status = params.get("status")
    reason = params.get("reden")
    dates = params.get("datum")
    return (
        status if status in {s.value for s in Status} else None,
        repository.ListFilters(
            dates=dates if dates in ("begin", "eind", "loopt", "loonwaarde") else None,
            start=day("van"),
            end=day("tot"),
            region=params.get("regio") if regions.region(params.get("regio")) else None,
            organisation=member(params.get("lid")),
            place_type=params.get("soort")
            if params.get("soort") in {t.value for t in work_rules.PlaceType}
            else None,
            reason=reason
            if reason == "regulier" or reason in {r.value for r in ExitReason}
            else None,
            retained=int(params.get("behoud")) if params.get("behoud") in ("6", "12") else None,
        ),
    )


STATUS_FIELDS = ("action", "on", "exit_reason", "returns_to_pool", "exit_note")
WAGE_FIELDS = ("measured_on", "percent", "measured_by", "note")
CHECK_IN_FIELDS = ("held_on", "notes", "visibility")


class PlacementPages(Controller):
    path = PLACEMENTS
    guards = [requires(Role.COORDINATOR, Role.ADMIN, Role.MEMBER)]
    dependencies = {"principal": Provide(provide_principal)}

    @get("/", name="placements.list", media_type=MediaType.HTML)
    async def list(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> Template:
        status, filters = _list_filters(request.query_params)
        rows, total = await repository.list_placements(
            principal, status=status, filters=filters, limit=200, client_ip=client_ip(request)
        )
        return page(
            "allocation/placements.html",
            items=rows,
            total=total,
            filtered=bool(status) or filters.active,
            messages=session_of(request).pop_flash(),
        )

    @get("/opvolging", name="placements.follow_up", media_type=MediaType.HTML)
    async def follow_up(self, principal: NamedDependency[Principal]) -> Template:
        repository.coordinator(principal)
        rows = await repository.follow_ups(principal)
        by_id = {r["id"]: r for r in rows}
        items = rules.work_list([r["follow_up"] for r in rows], _today())
        return page(
            "allocation/follow_up.html",
            items=[(item, by_id[item.placement_id]) for item in items],
            today=_today(),
        )

    @get("/{placement_id:int}", name="placements.detail", media_type=MediaType.HTML)
    async def detail(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        placement_id: FromPath[int],
    ) -> Template:
        return await self._detail(request, principal, placement_id, {}, {})

    async def _detail(
        self,
        request: Request[Any, Any, Any],
        principal: Principal,
        placement_id: int,
        values: dict[str, str],
        errors: dict[str, str],
        status: int = 200,
    ) -> Template:
        row = await repository.placement(principal, placement_id, client_ip=client_ip(request))
        coordinator = principal.role == Role.COORDINATOR
        wage_values = await repository.wage_values(principal, placement_id)
        estimate = None
        if coordinator:
            estimate = await _estimate(principal, row, wage_values)
        today = _today()
        return page(
            "allocation/placement.html",
            status,
            placement=row,
            coordinator=coordinator,
            wage_values=wage_values,
            check_ins=await repository.shared_check_ins(principal, placement_id),
            history=await repository.history(principal, placement_id),
            estimate=estimate,
            milestones=[
                (m, rules.milestone(row["start_date"], m), row[f"reviewed_{m}"])
                for m in rules.MILESTONES_MONTHS
            ],
            ends_early=rules.ended_early(row["start_date"], today),
            exit_options=[(e.value, texts.exit_reason_label(e.value)) for e in ExitReason],
            visibility_options=[(v.value, texts.visibility_label(v.value)) for v in Visibility],
            today=today,
            values=values,
            errors=errors,
            messages=session_of(request).pop_flash(),
        )

    @post("/{placement_id:int}/status", name="placements.status", media_type=MediaType.HTML)
    async def change_status(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        placement_id: FromPath[int],
    ) -> Any:
        repository.coordinator(principal)
        values = await _form(request, STATUS_FIELDS)
        errors: dict[str, str] = {}
        targets = {
            "starten": Status.ACTIEF,
            "beeindigen": Status.BEEINDIGD,
            "annuleren": Status.GEANNULEERD,
        }
        target = targets.get(values["action"])
        on = _date(values, "on", errors)
        reason = None
        if target == Status.BEEINDIGD and values["exit_reason"]:
            try:
                reason = ExitReason(values["exit_reason"])
            except ValueError:
                errors["exit_reason"] = _("Kies de reden van het einde.")
        returns = {"ja": True, "nee": False}.get(values["returns_to_pool"])
        if target is None:
            errors["_form"] = _("Kies wat er met de plaatsing gebeurt.")
        if not errors and target is not None and on is not None:
            try:
                await repository.change_status(
                    principal,
                    placement_id,
                    target,
                    on=on,
                    exit_reason=reason,
                    exit_note=values["exit_note"],
                    returns_to_pool=returns,
                    client_ip=client_ip(request),
                )
            except ValidationFailed as exc:
                errors = _errors(exc.errors)
            except Conflict as exc:
                errors = {"_form": exc.detail}
            else:
                session_of(request).flash("success", _("De status is gewijzigd."))
                return Redirect(url(f"{PLACEMENTS}/{placement_id}"), status_code=303)
        return await self._detail(request, principal, placement_id, values, errors, 400)

    @post("/{placement_id:int}/loonwaarde", name="placements.wage_value", media_type=MediaType.HTML)
    async def wage_value(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        placement_id: FromPath[int],
    ) -> Any:
        repository.coordinator(principal)
        values = await _form(request, WAGE_FIELDS)
        errors: dict[str, str] = {}
        measured_on = _date(values, "measured_on", errors)
        try:
            percent = float(values["percent"].replace(",", ".").replace("%", "").strip())
        except ValueError:
            errors["percent"] = _("Vul een loonwaarde in van 0 tot en met 100 procent.")
            percent = None
        if not errors and measured_on is not None and percent is not None:
            try:
                await repository.add_wage_value(
                    principal,
                    placement_id,
                    measured_on=measured_on,
                    percent=percent,
                    measured_by=values["measured_by"],
                    note=values["note"],
                    client_ip=client_ip(request),
                )
            except ValidationFailed as exc:
                errors = {
                    ("percent" if e.field == "percent" else e.field): e.detail for e in exc.errors
                }
            else:
                session_of(request).flash("success", _("De loonwaardemeting is vastgelegd."))
                return Redirect(url(f"{PLACEMENTS}/{placement_id}"), status_code=303)
        return await self._detail(request, principal, placement_id, values, errors, 400)

    @post("/{placement_id:int}/gesprek", name="placements.check_in", media_type=MediaType.HTML)
    async def check_in(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        placement_id: FromPath[int],
    ) -> Any:
        repository.coordinator(principal)
        values = await _form(request, CHECK_IN_FIELDS)
        errors: dict[str, str] = {}
        held_on = _date(values, "held_on", errors)
        try:
            visibility = Visibility(values["visibility"] or Visibility.COORDINATOREN.value)
        except ValueError:
            errors["visibility"] = _("Kies wie de aantekeningen mag lezen.")
            visibility = Visibility.COORDINATOREN
        if not values["notes"].strip():
            errors["notes"] = _("Schrijf kort op wat er besproken is.")
        if not errors and held_on is not None:
            await repository.add_check_in(
                principal,
                placement_id,
                held_on=held_on,
                notes=values["notes"],
                visibility=visibility,
                client_ip=client_ip(request),
            )
            session_of(request).flash("success", _("Het gesprek is vastgelegd."))
            return Redirect(url(f"{PLACEMENTS}/{placement_id}"), status_code=303)
        return await self._detail(request, principal, placement_id, values, errors, 400)

    @post("/{placement_id:int}/mijlpaal", name="placements.milestone", media_type=MediaType.HTML)
    async def milestone(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        placement_id: FromPath[int],
    ) -> Any:
        repository.coordinator(principal)
        form = await request.form()
        try:
            months = int(str(form.get("months") or ""))
        except ValueError:
            months = 0
        try:
            await repository.review_milestone(
                principal, placement_id, months, on=_today(), client_ip=client_ip(request)
            )
        except ValidationFailed as exc:
            return await self._detail(
                request, principal, placement_id, {}, _errors(exc.errors), 400
            )
        session_of(request).flash("success", _("De mijlpaal is besproken en vastgelegd."))
        return Redirect(url(f"{PLACEMENTS}/{placement_id}"), status_code=303)


async def _estimate(
    principal: Principal, row: dict[str, Any], wage_values: list[dict[str, Any]]
) -> subsidies.Subsidies | None:
    """The indicative subsidies today (or on the start, when it lies ahead)."""
    on = max(_today(), row["start_date"])
    try:
        year_rules = regulations.for_year(on.year)
        return subsidies.estimate(
            year_rules,
            on=on,
            employment_model=row["employment_model"] if row["paid"] else "d",
            hours_per_week=Decimal(row["minutes_per_week"]) / 60,
            wage_value_percent=Decimal(str(wage_values[0]["percent"])) if wage_values else None,
            in_register=await repository.in_register(principal, row["participant"]),
            start=row["start_date"],
        )
    except (LookupError, ValueError):
        return None


ALLOCATION_PAGES = [AllocationPages, PlacementPages]
