"""``/plaatsingen/nieuw``: a coordinator places one participant by hand.

For the placement a coordinator agreed by phone: the same fields and the same checks as
``POST /api/v1/placements`` (:class:`coop.allocation.schemas.PlacementCreate`, then
:func:`coop.allocation.repository.create_placement`, which takes the slot and writes the
audit event), plus the matching's hard constraints, so that a pair the batch would never
propose is not made by hand either. Two checks go further than the batch: only an open
place can be chosen (whatever its free slots say), and the start may not lie before the
participant's available-from date (the batch only scores that date; a typed start is a
promise to the member). "Controleren" shows how the pair fits (the score and its lines,
:mod:`coop.allocation.matching`) without saving, and is the form's first button, so that
Enter in a field checks; only "Plaatsing maken" saves.

Form fields carry the schema's field names, so an error of the repository lands next to
its field too; what was typed comes back on every error.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec
from litestar import Controller, MediaType, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.response import Redirect, Template

from coop.accounts.auth import provide_principal, requires, session_of
from coop.accounts.login import client_ip
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.allocation import batch, choices, matching, repository, schemas, texts
from coop.allocation.rules import EmploymentModel, JobCoach
from coop.errors import Conflict, ValidationFailed
from coop.participants import repository as participants
from coop.participants.rules import Guidance
from coop.web.i18n import format_date
from coop.web.i18n import gettext as _
from coop.web.templating import url
from coop.work import rules as work_rules

PATH = "/plaatsingen/nieuw"

FIELDS = (
    "participant_id",
    "place_id",
    "start_date",
    "hours_per_week",
    "employment_model",
    "planned_end",
    "guidance",
    "job_coach",
    "job_coach_name",
    "guidance_contact",
    "guidance_contact_phone",
)
_FIELD_ORDER = {name: i for i, name in enumerate(FIELDS)}
MAX_LENGTH = {"job_coach_name": 200, "guidance_contact": 200, "guidance_contact_phone": 30}

#: The field a failed hard constraint is shown beside. Capacity is left to the database,
#: which decides who gets the last slot (see :func:`repository.create_placement`).
BLOCKER_FIELD = {
    "place_type": "place_id",
    "hours": "hours_per_week",
    "period": "start_date",
    "travel": "place_id",
    "guidance": "place_id",
    "support": "place_id",
}

HELPERS = {
    "reason_text": texts.reason_text,
    "signed": texts.signed,
    "blocker_text": texts.blocker_text,
    "model_label": work_rules.model_label,
    "place_type_label": work_rules.place_type_label,
    "guidance_label": work_rules.guidance_label,
    "job_coach_label": texts.job_coach_label,
    "hours_text": work_rules.hours_text,
}


class Fit(msgspec.Struct, frozen=True, kw_only=True):
    """How the chosen participant and place fit, as the matching sees them."""

    score: int
    reasons: tuple[matching.Reason, ...]
    blockers: tuple[str, ...]


def _today() -> date:
    return repository.now().date()


def _id(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and 0 < int(text) < 2**31 else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _hours(text: str) -> float | None:
    """ "20", "20,5" or "20.5" hours; None when it is no number."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return float(value) if value.is_finite() else None


def parse(values: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The form's text as typed values, and a Dutch error per field that is wrong. The
    employment model, guidance and job coach may stay empty: the place decides them."""
    errors: dict[str, str] = {}
    typed: dict[str, Any] = {}
    typed["participant_id"] = _id(values["participant_id"])
    if typed["participant_id"] is None:
        errors["participant_id"] = _("Kies een deelnemer.")
    typed["place_id"] = _id(values["place_id"])
    if typed["place_id"] is None:
        errors["place_id"] = _("Kies een plaats.")
    typed["start_date"] = _day(values["start_date"])
    if typed["start_date"] is None:
        errors["start_date"] = _("Vul een datum in, bijvoorbeeld 2026-03-01.")
    hours = _hours(values["hours_per_week"])
    if hours is None or not 0 < hours <= 60:
        errors["hours_per_week"] = _("Vul het aantal uren per week in: meer dan 0, hoogstens 60.")
    typed["hours_per_week"] = hours
    typed["planned_end"] = None
    if values["planned_end"].strip():
        typed["planned_end"] = _day(values["planned_end"])
        if typed["planned_end"] is None:
            errors["planned_end"] = _("Vul een datum in, bijvoorbeeld 2026-03-01.")
    for name, kind, message in (
        ("employment_model", EmploymentModel, _("Kies een vorm van dienstverband.")),
        ("guidance", Guidance, _("Kies de begeleiding.")),
        ("job_coach", JobCoach, _("Kies of er een jobcoach is.")),
    ):
        typed[name] = None
        if values[name]:
            try:
                typed[name] = kind(values[name])
            except ValueError:
                errors[name] = message
    for name, limit in MAX_LENGTH.items():
        typed[name] = values[name].strip()
        if len(typed[name]) > limit:
            errors[name] = _("Gebruik hoogstens %(num)s tekens.", num=limit)
    return typed, errors


def place_refused(place: dict[str, Any]) -> str | None:
    """Why a place may not be chosen at all, or None when it is open. Only open places are
    offered; a vervuld or gesloten one can still come in through an old link or a form
    left open, and must not be placed on (its free slots do not make it open)."""
    if place["status"] == work_rules.PlaceStatus.OPEN:
        return None
    if place["status"] == work_rules.PlaceStatus.VERVULD:
        return _(
            "De plaats “%(title)s” is vervuld. Kies een open plaats met een vrije plek.",
            title=place["title"],
        )
    return _(
        "De plaats “%(title)s” is gesloten. Kies een open plaats met een vrije plek.",
        title=place["title"],
    )


def starts_too_early(start: date | None, available_from: date | None) -> bool:
    """A start before the participant is available. The batch matching only scores the
    available-from date (a place that starts earlier still matches, the placement then
    starts later), but a start typed by hand is a promise to the member: it must hold."""
    return start is not None and available_from is not None and start < available_from


def day_text(day: date) -> str:
    """A date as the reader writes it: 21-02-2027 in Dutch."""
    return format_date(day, "short")


def boundary(typed: dict[str, Any]) -> tuple[schemas.PlacementCreate | None, dict[str, str]]:
    """The API's input struct, so that the form accepts exactly what the API accepts."""
    data = {k: v for k, v in typed.items() if v is not None}
    try:
        return msgspec.convert(data, schemas.PlacementCreate), {}
    except msgspec.ValidationError as exc:
        # Everything was checked field by field already; this names what slipped through.
        field = str(exc).rpartition("$.")[2] or "_form"
        return None, {field if field in FIELDS else "_form": _("Deze waarde klopt niet.")}


def fit(profile: Any, place: dict[str, Any], hours: float | None, today: date) -> Fit:
    """The matching on this pair, with the hours the coordinator typed (the place's own
    hours when none yet): the hard constraints it fails and the soft criteria's lines."""
    seeker = batch.seeker_of(profile, today)
    opening = msgspec.structs.replace(
        batch.opening_of(place, max(1, place["free"])),
        hours_per_week=hours if hours else place["minutes_per_week"] / 60,
    )
    reasons = matching.explain(seeker, opening, today)
    failed = tuple(b for b in matching.blockers(seeker, opening) if b in BLOCKER_FIELD)
    return Fit(score=matching.score_of(reasons), reasons=reasons, blockers=failed)


def blocker_errors(failed: tuple[str, ...]) -> dict[str, str]:
    """One Dutch message per field, naming every hard constraint that fails there."""
    by_field: dict[str, list[str]] = {}
    for code in failed:
        by_field.setdefault(BLOCKER_FIELD[code], []).append(texts.blocker_text(code))
    return {
        field: _("Voldoet niet aan een harde eis: %(reasons)s.", reasons="; ".join(reasons))
        for field, reasons in by_field.items()
    }


def _values_from_place(place: dict[str, Any]) -> dict[str, str]:
    """What the place says about a placement on it, as the form shows it."""
    return {
        "place_id": str(place["id"]),
        "hours_per_week": work_rules.hours_value(place["minutes_per_week"]),
        "employment_model": place["employment_model"],
        "guidance": place["guidance"],
        "job_coach": JobCoach.EXTERN.value if place["job_coach"] else JobCoach.GEEN.value,
    }


class ManualPlacementPage(Controller):
    path = PATH
    include_in_schema = False
    guards = [requires(Role.COORDINATOR)]
    dependencies = {"principal": Provide(provide_principal)}

    @get("/", name="placements.new", media_type=MediaType.HTML)
    async def new(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> Template:
        values = {name: "" for name in FIELDS}
        values["start_date"] = _today().isoformat()
        errors: dict[str, str] = {}
        chosen_place = _id(request.query_params.get("plaats") or "")
        chosen_person = _id(request.query_params.get("deelnemer") or "")
        if chosen_place is not None:
            place = await choices.place(chosen_place)
            refused = place_refused(place) if place is not None else None
            if refused:
                errors["place_id"] = refused
                chosen_place = None
            elif place is not None:
                values.update(_values_from_place(place))
                values["start_date"] = max(_today(), place["start_date"]).isoformat()
        if chosen_person is not None:
            values["participant_id"] = str(chosen_person)
        # Both chosen (from a link): show how they fit straight away.
        explain = chosen_place is not None and chosen_person is not None
        return await self._page(request, principal, values, errors, explain=explain)

    @post("/", name="placements.create", media_type=MediaType.HTML)
    async def create(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> Any:
        repository.coordinator(principal)
        form = await request.form()
        values = {name: str(form.get(name) or "")[:4000] for name in FIELDS}
        # Only the save button saves; anything else (Enter, an old form) checks.
        saving = form.get("action") == "opslaan"
        typed, errors = parse(values)
        profile, place = await self._chosen(request, principal, typed, errors)
        fitted = None
        if profile is not None and place is not None:
            if typed["employment_model"] is None:
                typed["employment_model"] = EmploymentModel(place["employment_model"])
            fitted = fit(profile, place, typed["hours_per_week"], _today())
            for field, message in blocker_errors(fitted.blockers).items():
                errors.setdefault(field, message)
            if starts_too_early(typed["start_date"], profile.available_from):
                names = await participants.names(
                    principal,
                    [profile.participant_id],
                    client_ip=client_ip(request),
                    purpose="manual placement",
                )
                person = names.get(profile.participant_id)
                errors.setdefault(
                    "start_date",
                    _(
                        "%(name)s is pas beschikbaar vanaf %(date)s.",
                        name=f"{person['first_name']} {person['last_name']}"
                        if person
                        else _("De deelnemer"),
                        date=day_text(profile.available_from),
                    ),
                )
            if typed["start_date"] is not None:
                # The repository's own checks (period of the place, the participant's
                # hours, the model that suits the place), shown before saving.
                _paid, problems = repository.check_placement(
                    {
                        **typed,
                        "hours_per_week": typed["hours_per_week"] or 0,
                        "employment_model": typed["employment_model"].value,
                    },
                    place,
                    profile,
                )
                for problem in problems:
                    errors.setdefault(problem.field, problem.detail)
        data = None
        if not errors:
            data, errors = boundary(typed)
        if data is None or not saving:
            status = 400 if errors else 200
            return await self._page(
                request, principal, values, errors, fitted=fitted, status=status
            )
        try:
            placement_id = await repository.create_placement(
                principal, _stored(data), client_ip=client_ip(request)
            )
        except ValidationFailed as exc:
            errors = {}
            for e in exc.errors:
                errors.setdefault(e.field, e.detail)
            status = 400
        except Conflict as exc:
            # Taken meanwhile (the place's last slot, or the participant elsewhere): the
            # summary links to the field, where the message stands; nothing typed is lost.
            field = "participant_id" if exc.code == "participant_placed" else "place_id"
            errors = {field: exc.detail}
            status = 409
        else:
            session_of(request).flash("success", _("De plaatsing is aangemaakt."))
            return Redirect(url(f"/plaatsingen/{placement_id}"), status_code=303)
        return await self._page(request, principal, values, errors, fitted=fitted, status=status)

    @staticmethod
    async def _chosen(
        request: Request[Any, Any, Any],
        principal: Principal,
        typed: dict[str, Any],
        errors: dict[str, str],
    ) -> tuple[Any, dict[str, Any] | None]:
        """The chosen participant's matching profile (an audited read) and the place."""
        profile = place = None
        if typed["participant_id"] is not None:
            found = await participants.match_profiles(
                principal, participant_ids=[typed["participant_id"]], client_ip=client_ip(request)
            )
            profile = found[0] if found else None
            if profile is None:
                errors["participant_id"] = _("Deze deelnemer bestaat niet.")
        if typed["place_id"] is not None:
            place = await choices.place(typed["place_id"])
            refused = place_refused(place) if place is not None else None
            if place is None:
                errors["place_id"] = _("Deze plaats bestaat niet.")
            elif refused:
                # Nothing to check the pair against: the place cannot be chosen at all.
                errors["place_id"] = refused
                place = None
        return profile, place

    @staticmethod
    async def _page(
        request: Request[Any, Any, Any],
        principal: Principal,
        values: dict[str, str],
        errors: dict[str, str],
        *,
        fitted: Fit | None = None,
        explain: bool = False,
        status: int = 200,
    ) -> Template:
        today = _today()
        people = await choices.waiting_participants(principal, client_ip=client_ip(request))
        places = await choices.open_places(today)
        notices = []
        person_id, place_id = _id(values["participant_id"]), _id(values["place_id"])
        if person_id is not None and all(p["id"] != person_id for p in people):
            # Chosen through a link or kept from a post, but no longer waiting: keep it
            # in the list, so nothing typed is lost, and say why it stands apart.
            extra = await participants.names(
                principal, [person_id], client_ip=client_ip(request), purpose="manual placement"
            )
            if person_id in extra:
                people = [*people, extra[person_id]]
                notices.append(
                    _(
                        "Deze deelnemer wacht niet op een plaats: de status is niet "
                        "beschikbaar, of er is al een plaatsing gepland."
                    )
                )
        if place_id is not None and all(p["id"] != place_id for p in places):
            place = await choices.place(place_id)
            if place is not None and place_refused(place) is None:
                # Open, but full or ended since the form was opened: kept selected so the
                # choice is not lost; the repository refuses it (409).
                places = [*places, place]
                notices.append(
                    _("Deze plaats heeft geen plek meer vrij.")
                    if place["free"] < 1
                    else _("De periode van deze plaats is voorbij.")
                )
        chosen_place = next((p for p in places if p["id"] == place_id), None)
        if fitted is None and explain and chosen_place is not None and person_id is not None:
            found = await participants.match_profiles(
                principal, participant_ids=[person_id], client_ip=client_ip(request)
            )
            if found:
                fitted = fit(found[0], chosen_place, _hours(values["hours_per_week"]), today)
        groups: dict[str, list[tuple[int, str]]] = {}
        for p in places:
            groups.setdefault(p["region_name"], []).append((p["id"], _place_label(p)))
        return Template(
            "allocation/new.html",
            context={
                **HELPERS,
                "values": values,
                # In the order of the form, so the summary reads as the page does.
                "errors": dict(
                    sorted(errors.items(), key=lambda e: _FIELD_ORDER.get(e[0], len(FIELDS)))
                ),
                "participant_options": [(p["id"], _person_label(p)) for p in people],
                "place_groups": sorted(groups.items()),
                "chosen_place": chosen_place,
                "fit": fitted,
                "notices": notices,
                "model_options": [
                    (m.value, work_rules.model_label(m.value)) for m in EmploymentModel
                ],
                "guidance_options": [
                    (g.value, work_rules.guidance_label(g.value)) for g in Guidance
                ],
                "job_coach_options": [(j.value, texts.job_coach_label(j.value)) for j in JobCoach],
                "messages": session_of(request).pop_flash(),
            },
            status_code=status,
            media_type=MediaType.HTML,
        )


def _stored(data: schemas.PlacementCreate) -> dict[str, Any]:
    """The struct as the repository takes it (enum values as their slugs), as the API
    passes it."""
    values = msgspec.structs.asdict(data)
    values["employment_model"] = data.employment_model.value
    values["guidance"] = data.guidance.value if data.guidance else None
    values["job_coach"] = data.job_coach.value if data.job_coach else None
    return values


def _person_label(row: dict[str, Any]) -> str:
    return f"{row['first_name']} {row['last_name']} ({row['code']})"


def _place_label(row: dict[str, Any]) -> str:
    who = row["organisation_name"] or _("De coöperatie")
    free = row["free"]
    return _(
        "%(title)s – %(member)s · %(type)s · %(hours)s uur · %(free)s vrij",
        title=row["title"],
        member=who,
        type=work_rules.place_type_label(row["place_type"]),
        hours=work_rules.hours_text(row["minutes_per_week"]),
        free=free,
    )


MANUAL_PLACEMENT_PAGES = [ManualPlacementPage]
