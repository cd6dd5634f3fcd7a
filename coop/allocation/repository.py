"""Queries of allocation: placements, their follow-up and the proposals they come from.

The slot guarantee lives in the database (see :mod:`coop.allocation.tables`): a new
placement takes the lowest free slot of its place inside a write transaction; when a
concurrent transaction took the same slot (or, for paid work, placed the same
participant), the unique index refuses the insert and we look again, so the second
caller gets a clear 409 instead of a double booking.

Who gets what: coordinators everything; admins the placements without the participant's
wage values and check-in notes; members only the placements at their own organisation,
with the name, hours, tasks and guidance contact; WSP users nothing. Participants' data
is read through :mod:`coop.participants.repository` (audited) or, for the name on a
placement, with an audit event of our own.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import msgspec

import regulations
from coop import db
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.accounts.user_admin_repository import is_unique_violation
from coop.allocation import rules
from coop.allocation.rules import EmploymentModel, Status
from coop.allocation.tables import (
    CheckIn,
    Placement,
    PlacementEvent,
    PlacementMember,
    WageValue,
)
from coop.audit.log import record
from coop.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from coop.participants import repository as participants
from coop.participants import rules as participant_rules
from coop.participants.rules import Status as ParticipantStatus
from coop.participants.tables import Participant
from coop.web.i18n import gettext as _
from coop.work import rules as work_rules
from coop.work.tables import Place, PooledJobPackage

OBJECT_TYPE = "placement"
#: How often a create looks again after the database refused a slot someone else took.
SLOT_ATTEMPTS = 8

PLACEMENT_COLUMNS = (
    *Placement.all_columns(),
    Placement.place.title.as_alias("place_title"),
    Placement.place.tasks.as_alias("tasks"),
    Placement.place.place_type.as_alias("place_type"),
    Placement.place.organisation.as_alias("place_organisation"),
    Placement.place.region_code.as_alias("region_code"),
    Placement.participant.first_name.as_alias("first_name"),
    Placement.participant.last_name.as_alias("last_name"),
    Placement.participant.code.as_alias("participant_code"),
)


def now() -> datetime:
    return datetime.now(UTC)


def _fits(record_id: int) -> bool:
    return 0 < record_id < 2**31


def _actor_name(principal: Principal | None) -> str:
    return (principal.name or principal.email) if principal else "systeem"


def coordinator(principal: Principal) -> None:
    if principal.role != Role.COORDINATOR:
        raise PermissionDenied(_("Alleen coördinatoren maken en wijzigen plaatsingen."))
    if not principal.can_write:
        raise PermissionDenied(
            _("Dit token mag alleen lezen; voor wijzigen is de scope 'write' nodig."),
            code="insufficient_scope",
        )


def _reader(principal: Principal) -> None:
    if principal.role not in (Role.COORDINATOR, Role.ADMIN, Role.MEMBER):
        raise PermissionDenied(_("U heeft geen toegang tot plaatsingen."))


async def _event(placement_id: int, action: str, actor: Principal | None, detail: str = "") -> None:
    await PlacementEvent.insert(
        PlacementEvent(
            placement=placement_id,
            at=now(),
            action=action,
            detail=detail,
            actor_id=actor.user_id if actor else None,
            actor_name=_actor_name(actor),
        )
    )


async def _audit(action: str, actor: Principal | None, placement_id: int | None, **kw: Any) -> None:
    await record(action, actor=actor, object_type=OBJECT_TYPE, object_id=placement_id, **kw)


# --- creating a placement --------------------------------------------------------------


async def _place_for(place_id: int) -> dict[str, Any]:
    row = None
    if _fits(place_id):
        row = await Place.select().where(Place.id == place_id).output(load_json=True).first()
    if row is None:
        raise ValidationFailed([FieldError("place_id", _("Deze plaats bestaat niet."))])
    return row


async def _participant_for(actor: Principal, participant_id: int, client_ip: str) -> Any:
    found = (
        await participants.match_profiles(
            actor, participant_ids=[participant_id], client_ip=client_ip
        )
        if _fits(participant_id)
        else []
    )
    if not found:
        raise ValidationFailed([FieldError("participant_id", _("Deze deelnemer bestaat niet."))])
    return found[0]


def check_placement(
    values: Mapping[str, Any], place: Mapping[str, Any], profile: Any
) -> tuple[bool, list[FieldError]]:
    """Whether the placement is paid work, and every field that is wrong (all at once)."""
    errors: list[FieldError] = []
    start: date = values["start_date"]
    planned_end: date | None = values.get("planned_end")
    hours: float = values["hours_per_week"]
    model = EmploymentModel(values["employment_model"])
    if place["status"] == work_rules.PlaceStatus.GESLOTEN:
        errors.append(FieldError("place_id", _("Deze plaats is gesloten.")))
    if place["status"] == work_rules.PlaceStatus.VERVULD:
        errors.append(FieldError("place_id", _("Deze plaats is vervuld.")))
    if start < place["start_date"] or (place["end_date"] and start > place["end_date"]):
        errors.append(
            FieldError(
                "start_date",
                _("De begindatum valt buiten de periode van de plaats (%(period)s).")
                % {"period": _period(place)},
            )
        )
    if planned_end is not None:
        if planned_end < start:
            errors.append(FieldError("planned_end", _("De einddatum ligt voor de begindatum.")))
        elif place["end_date"] and planned_end > place["end_date"]:
            errors.append(
                FieldError("planned_end", _("De einddatum ligt na het einde van de plaats."))
            )
    if profile.status == ParticipantStatus.UITGESTROOMD:
        errors.append(FieldError("participant_id", _("Deze deelnemer is uitgestroomd.")))
    if profile.hours_max and hours > profile.hours_max:
        errors.append(
            FieldError(
                "hours_per_week",
                _("Dit is meer dan de %(hours)s uur per week dat de deelnemer beschikbaar is.")
                % {"hours": profile.hours_max},
            )
        )
    if model.value not in {
        m.value for m in work_rules.MODELS_FOR_TYPE[work_rules.PlaceType(place["place_type"])]
    }:
        errors.append(
            FieldError(
                "employment_model", _("Deze vorm van dienstverband past niet bij de plaats.")
            )
        )
    paid = model.paid and work_rules.counts_as_paid_work(place["place_type"])
    return paid, errors


def _period(place: Mapping[str, Any]) -> str:
    start = place["start_date"].isoformat()
    return f"{start} – {place['end_date'].isoformat()}" if place["end_date"] else f"{start} –"


async def _members_of(place: Mapping[str, Any], minutes: int) -> dict[int, int]:
    """The member organisations of a placement and each one's weekly minutes."""
    if place["organisation"] is not None:
        return {place["organisation"]: minutes}
    if place["pooled_job"] is None:
        return {}
    rows = await PooledJobPackage.select(
        PooledJobPackage.organisation,
        PooledJobPackage.package.minutes_per_week.as_alias("minutes"),
    ).where(
        (PooledJobPackage.pooled_job == place["pooled_job"]) & PooledJobPackage.left_at.is_null()
    )
    by_member: dict[int, int] = {}
    for r in rows:
        by_member[r["organisation"]] = by_member.get(r["organisation"], 0) + r["minutes"]
    return by_member


async def create_placement(
    actor: Principal,
    values: Mapping[str, Any],
    *,
    client_ip: str = "",
    proposal_pair: int | None = None,
) -> int:
    """A new ``gepland`` placement holding a free slot of its place.

    Raises :class:`ValidationFailed` naming each bad field, or :class:`Conflict` when the
    place has no slot left or the participant already holds a paid placement."""
    coordinator(actor)
    place = await _place_for(values["place_id"])
    profile = await _participant_for(actor, values["participant_id"], client_ip)
    paid, errors = check_placement(values, place, profile)
    if errors:
        raise ValidationFailed(errors)
    minutes = round(values["hours_per_week"] * 60)
    members = await _members_of(place, minutes)
    for _attempt in range(SLOT_ATTEMPTS):
        try:
            return await _insert(
                actor, values, place, paid, minutes, members, client_ip, proposal_pair
            )
        except Exception as exc:
            # Someone else took the slot (or placed the participant) between our look and
            # our insert: look again, with their placement now visible.
            if not is_unique_violation(exc):
                raise
    raise Conflict(_("Deze plaats is op dit moment vol."), code="place_full")


async def _insert(
    actor: Principal,
    values: Mapping[str, Any],
    place: Mapping[str, Any],
    paid: bool,
    minutes: int,
    members: Mapping[int, int],
    client_ip: str,
    proposal_pair: int | None,
) -> int:
    participant_id = values["participant_id"]
    async with db.write_transaction():
        taken = {
            r["slot"]
            for r in await Placement.select(Placement.slot).where(
                (Placement.place == place["id"]) & Placement.slot.is_not_null()
            )
        }
        free = next((s for s in range(place["capacity"]) if s not in taken), None)
        if free is None:
            raise Conflict(_("Deze plaats is vol: er is geen plek meer vrij."), code="place_full")
        if paid and await Placement.exists().where(Placement.holder == participant_id):
            raise Conflict(
                _("Deze deelnemer heeft al een geplande of actieve betaalde plaatsing."),
                code="participant_placed",
            )
        stamp = now()
        inserted = await Placement.insert(
            Placement(
                participant=participant_id,
                place=place["id"],
                status=Status.GEPLAND.value,
                employment_model=values["employment_model"],
                paid=paid,
                minutes_per_week=minutes,
                start_date=values["start_date"],
                planned_end=values.get("planned_end"),
                guidance=values.get("guidance") or place["guidance"],
                job_coach=values.get("job_coach") or ("extern" if place["job_coach"] else "geen"),
                job_coach_name=values.get("job_coach_name") or "",
                guidance_contact=values.get("guidance_contact") or "",
                guidance_contact_phone=values.get("guidance_contact_phone") or "",
                slot=free,
                holder=participant_id if paid else None,
                proposal_pair=proposal_pair,
                created_at=stamp,
                created_by=actor.user_id,
                updated_at=stamp,
            )
        ).returning(Placement.id)
        placement_id = inserted[0]["id"]
        if members:
            await PlacementMember.insert(
                *[
                    PlacementMember(placement=placement_id, organisation=org, minutes_per_week=m)
                    for org, m in members.items()
                ]
            )
        await _event(placement_id, "aangemaakt", actor, f"plaats {place['id']}, slot {free}")
        await _audit(
            "placement_created",
            actor,
            placement_id,
            client_ip=client_ip,
            detail=f"participant {participant_id}, place {place['id']}",
        )
    return placement_id


# --- reading ---------------------------------------------------------------------------


def _visible(principal: Principal) -> Any:
    """The condition limiting placements to what ``principal`` may see; None for all."""
    if principal.role in (Role.COORDINATOR, Role.ADMIN):
        return None
    if principal.role == Role.MEMBER and principal.organisation_id is not None:
        return Placement.id.is_in(
            PlacementMember.select(PlacementMember.placement).where(
                PlacementMember.organisation == principal.organisation_id
            )
        )
    return Placement.id < 0


async def _members(placement_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    if not placement_ids:
        return {}
    rows = await PlacementMember.select(
        PlacementMember.placement,
        PlacementMember.organisation,
        PlacementMember.organisation.name.as_alias("organisation_name"),
        PlacementMember.minutes_per_week,
    ).where(PlacementMember.placement.is_in(placement_ids))
    result: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        result.setdefault(r["placement"], []).append(r)
    return result


class ListFilters(msgspec.Struct, frozen=True, kw_only=True):
    """The list page's filters, so that every figure of the monitor (coop.reports) links
    to the placements behind it. ``dates`` says which date ``start``..``end`` applies to:
    ``begin`` (started: it ran, and began in the period), ``eind`` (ended in the period),
    ``loopt`` (ran at some time in the period) or ``loonwaarde`` (a wage value measured
    in the period). ``reason`` is an exit reason, or ``regulier`` for both reasons that
    count as outflow to regular work."""

    dates: str | None = None
    start: date | None = None
    end: date | None = None
    region: str | None = None
    organisation: int | None = None
    place_type: str | None = None
    reason: str | None = None
    #: 6 or 12: only placements still in place that many months after their start (the
    #: monitor's "nog aan het werk"). Month arithmetic differs per engine, so
    #: :func:`list_placements` applies it in Python (rules.retained), not in SQL.
    retained: int | None = None

    def conditions(self) -> list[Any]:
        ran = Placement.status.is_in([Status.ACTIEF.value, Status.BEEINDIGD.value])
        start, end = self.start or date.min, self.end or date.max
        where: list[Any] = []
        if self.dates == "begin":
            where += [ran, Placement.start_date >= start, Placement.start_date <= end]
        elif self.dates == "eind":
            where += [
                Placement.status == Status.BEEINDIGD.value,
                Placement.end_date >= start,
                Placement.end_date <= end,
            ]
        elif self.dates == "loopt":
            where += [
                ran,
                Placement.start_date <= end,
                Placement.end_date.is_null() | (Placement.end_date >= start),
            ]
        elif self.dates == "loonwaarde":
            where.append(
                Placement.id.is_in(
                    WageValue.select(WageValue.placement)
                    .where(WageValue.measured_on >= start)
                    .where(WageValue.measured_on <= end)
                )
            )
        if self.region:
            where.append(Placement.place.region_code == self.region)
        if self.place_type:
            where.append(Placement.place.place_type == self.place_type)
        if self.organisation is not None:
            where.append(
                Placement.id.is_in(
                    PlacementMember.select(PlacementMember.placement).where(
                        PlacementMember.organisation == self.organisation
                    )
                )
            )
        if self.reason == "regulier":
            regular = [r.value for r in rules.ExitReason if r.regular_work]
            where.append(Placement.exit_reason.is_in(regular))
        elif self.reason:
            where.append(Placement.exit_reason == self.reason)
        return where

    @property
    def active(self) -> bool:
        return any(v is not None for v in msgspec.structs.astuple(self))


async def list_placements(
    principal: Principal,
    *,
    status: str | None = None,
    participant_id: int | None = None,
    place_id: int | None = None,
    filters: ListFilters | None = None,
    limit: int = 50,
    offset: int = 0,
    client_ip: str = "",
) -> tuple[list[dict[str, Any]], int]:
    _reader(principal)
    query = Placement.select(*PLACEMENT_COLUMNS)
    count = Placement.count()
    conditions = list(filters.conditions()) if filters else []
    visible = _visible(principal)
    if visible is not None:
        conditions.append(visible)
    if status:
        conditions.append(Placement.status == status)
    if participant_id is not None:
        conditions.append(Placement.participant == participant_id)
    if place_id is not None:
        conditions.append(Placement.place == place_id)
    if filters and filters.retained:
        candidates = Placement.select(Placement.id, Placement.start_date, Placement.end_date)
        for condition in conditions:
            candidates = candidates.where(condition)
        months, today = filters.retained, date.today()
        kept = [
            r["id"]
            for r in await candidates
            if rules.retained(r["start_date"], r["end_date"], months, today)
        ]
        conditions.append(Placement.id.is_in(kept or [0]))
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    async with db.write_transaction():
        rows = await (
            query.order_by(Placement.start_date, ascending=False)
            .order_by(Placement.id, ascending=False)
            .limit(limit)
            .offset(offset)
        )
        total = await count
        if rows:
            await _audit(
                "placement_list_read",
                principal,
                None,
                client_ip=client_ip,
                detail="placements " + ",".join(str(r["id"]) for r in rows),
            )
    members = await _members([r["id"] for r in rows])
    for r in rows:
        r["members"] = members.get(r["id"], [])
    return rows, total


async def placement(
    principal: Principal, placement_id: int, *, client_ip: str = ""
) -> dict[str, Any]:
    """One placement the principal may see, with its members (404 otherwise)."""
    _reader(principal)
    if not _fits(placement_id):
        raise NotFound(code="placement_not_found")
    query = Placement.select(*PLACEMENT_COLUMNS).where(Placement.id == placement_id)
    visible = _visible(principal)
    if visible is not None:
        query = query.where(visible)
    async with db.write_transaction():
        row = await query.first()
        if row is None:
            raise NotFound(code="placement_not_found")
        await _audit("placement_read", principal, placement_id, client_ip=client_ip)
    row["members"] = (await _members([placement_id])).get(placement_id, [])
    return row


async def shared_check_ins(principal: Principal, placement_id: int) -> list[dict[str, Any]]:
    """The check-ins the principal may read: members only the shared ones."""
    query = CheckIn.select().where(CheckIn.placement == placement_id)
    if principal.role != Role.COORDINATOR:
        query = query.where(CheckIn.visibility == rules.Visibility.GEDEELD.value)
    return await query.order_by(CheckIn.held_on, ascending=False)


# --- the life of a placement -----------------------------------------------------------


async def _current(placement_id: int) -> dict[str, Any]:
    row = None
    if _fits(placement_id):
        row = await Placement.select().where(Placement.id == placement_id).first()
    if row is None:
        raise NotFound(code="placement_not_found")
    return row


async def change_status(
    actor: Principal,
    placement_id: int,
    target: Status,
    *,
    on: date,
    exit_reason: rules.ExitReason | None = None,
    exit_note: str = "",
    returns_to_pool: bool | None = None,
    client_ip: str = "",
) -> None:
    """Start, end (with an exit reason) or cancel. Ending or cancelling frees the slot; an
    end before 12 months must say whether the participant returns to the pool."""
    coordinator(actor)
    async with db.write_transaction():
        row = await _current(placement_id)
        rules.check_transition(Status(row["status"]), target)
        changes: dict[Any, Any] = {Placement.status: target.value, Placement.updated_at: now()}
        errors: list[FieldError] = []
        if target == Status.ACTIEF:
            # The day it really started, which the milestones count from.
            changes[Placement.start_date] = on
        if target == Status.BEEINDIGD:
            if on < row["start_date"]:
                errors.append(FieldError("end_date", _("De einddatum ligt voor de begindatum.")))
            if exit_reason is None:
                errors.append(FieldError("exit_reason", _("Kies de reden van het einde.")))
            if rules.ended_early(row["start_date"], on) and returns_to_pool is None:
                errors.append(
                    FieldError(
                        "returns_to_pool",
                        _("Geef aan of de deelnemer terugkeert in de pool."),
                    )
                )
            if errors:
                raise ValidationFailed(errors)
            changes.update(
                {
                    Placement.end_date: on,
                    Placement.exit_reason: exit_reason.value if exit_reason else None,
                    Placement.exit_note: exit_note[:2000],
                    Placement.returns_to_pool: returns_to_pool,
                }
            )
        if target in (Status.BEEINDIGD, Status.GEANNULEERD):
            # The slot and the paid-placement hold are released for the next placement.
            changes[Placement.slot] = None
            changes[Placement.holder] = None
        await Placement.update(changes).where(Placement.id == placement_id)
        await _follow_participant(actor, row["participant"], target, exit_reason, returns_to_pool)
        detail = target.value + (f", {exit_reason.value}" if exit_reason else "")
        await _event(placement_id, f"status_{target.value}", actor, f"{detail} ({on.isoformat()})")
        await _audit("placement_status", actor, placement_id, client_ip=client_ip, detail=detail)


async def _follow_participant(
    actor: Principal,
    participant_id: int,
    target: Status,
    exit_reason: rules.ExitReason | None,
    returns_to_pool: bool | None,
) -> None:
    """Keep the participant's status in step: placed while a placement runs; back in the
    pool, or gone (regular work, or not returning), when it ends. A step the participant's
    life cycle does not allow (e.g. already placed elsewhere) is left out."""
    wanted = None
    if target == Status.ACTIEF:
        wanted = ParticipantStatus.GEPLAATST
    elif target == Status.BEEINDIGD:
        if returns_to_pool:
            wanted = ParticipantStatus.BESCHIKBAAR
        elif returns_to_pool is False or (exit_reason and exit_reason.regular_work):
            wanted = ParticipantStatus.UITGESTROOMD
    if wanted is None:
        return
    current = (
        await Participant.select(Participant.status, Participant.anonymised_at)
        .where(Participant.id == participant_id)
        .first()
    )
    if current is None or participant_rules.transition_refusal(
        current["status"], wanted.value, anonymised=current["anonymised_at"] is not None
    ):
        return
    await participants.change_status(actor, participant_id, wanted.value, on=None)


async def add_wage_value(
    actor: Principal,
    placement_id: int,
    *,
    measured_on: date,
    percent: float,
    measured_by: str = "",
    note: str = "",
    client_ip: str = "",
) -> date:
    """Record a measurement; returns when the next one is due at the latest."""
    coordinator(actor)
    rules.validate_wage_value(percent)
    try:
        max_years = regulations.for_year(measured_on.year).lks.wage_value_remeasure_max_years
    except LookupError as exc:
        raise ValidationFailed(
            [FieldError("measured_on", _("Voor dit jaar zijn geen regels bekend."))]
        ) from exc
    next_due = rules.next_measurement_due(measured_on, max_years)
    async with db.write_transaction():
        row = await _current(placement_id)
        if measured_on < row["start_date"]:
            raise ValidationFailed(
                [FieldError("measured_on", _("De meting ligt voor het begin van de plaatsing."))]
            )
        await WageValue.insert(
            WageValue(
                placement=placement_id,
                measured_on=measured_on,
                percent=Decimal(str(round(percent, 1))),
                next_due=next_due,
                measured_by=measured_by[:200],
                note=note[:2000],
                recorded_by=actor.user_id,
                recorded_at=now(),
            )
        )
        await _event(placement_id, "loonwaarde", actor, measured_on.isoformat())
        await _audit("placement_wage_value", actor, placement_id, client_ip=client_ip)
    return next_due


async def add_check_in(
    actor: Principal,
    placement_id: int,
    *,
    held_on: date,
    notes: str,
    visibility: rules.Visibility,
    client_ip: str = "",
) -> None:
    coordinator(actor)
    async with db.write_transaction():
        await _current(placement_id)
        await CheckIn.insert(
            CheckIn(
                placement=placement_id,
                held_on=held_on,
                by_id=actor.user_id,
                by_name=_actor_name(actor),
                notes=notes[:4000],
                visibility=visibility.value,
                recorded_at=now(),
            )
        )
        await _event(placement_id, "check_in", actor, held_on.isoformat())
        await _audit("placement_check_in", actor, placement_id, client_ip=client_ip)


async def review_milestone(
    actor: Principal, placement_id: int, months: int, *, on: date, client_ip: str = ""
) -> None:
    """Mark the 6- or 12-month milestone as reviewed."""
    coordinator(actor)
    column = {6: Placement.reviewed_6, 12: Placement.reviewed_12}.get(months)
    if column is None:
        raise ValidationFailed([FieldError("months", _("Kies de mijlpaal van 6 of 12 maanden."))])
    async with db.write_transaction():
        await _current(placement_id)
        await Placement.update({column: on, Placement.updated_at: now()}).where(
            Placement.id == placement_id
        )
        await _event(placement_id, f"mijlpaal_{months}", actor, on.isoformat())
        await _audit("placement_milestone", actor, placement_id, client_ip=client_ip)


async def wage_values(actor: Principal, placement_id: int) -> list[dict[str, Any]]:
    """The wage-value history, newest first: coordinators only (sensitive)."""
    if actor.role != Role.COORDINATOR:
        return []
    return (
        await WageValue.select()
        .where(WageValue.placement == placement_id)
        .order_by(WageValue.measured_on, ascending=False)
    )


async def history(actor: Principal, placement_id: int) -> list[dict[str, Any]]:
    if actor.role != Role.COORDINATOR:
        return []
    return (
        await PlacementEvent.select()
        .where(PlacementEvent.placement == placement_id)
        .order_by(PlacementEvent.at)
    )


async def in_register(actor: Principal, participant_id: int) -> bool:
    facts = await participants.register_facts([participant_id], actor=actor)
    found = facts.get(participant_id)
    return bool(found and found.register_in)


async def follow_ups(actor: Principal) -> list[dict[str, Any]]:
    """The active placements with what the work list needs, keyed for the page."""
    coordinator(actor)
    rows = await Placement.select(
        Placement.id,
        Placement.start_date,
        Placement.reviewed_6,
        Placement.reviewed_12,
        Placement.place.title.as_alias("place_title"),
        Placement.participant.first_name.as_alias("first_name"),
        Placement.participant.last_name.as_alias("last_name"),
    ).where(Placement.status == Status.ACTIEF.value)
    ids = [r["id"] for r in rows] or [0]
    last_check_in: dict[int, date] = {}
    for r in await CheckIn.select(CheckIn.placement, CheckIn.held_on).where(
        CheckIn.placement.is_in(ids)
    ):
        if r["held_on"] > last_check_in.get(r["placement"], date.min):
            last_check_in[r["placement"]] = r["held_on"]
    latest_wage: dict[int, tuple[date, date]] = {}
    for r in await WageValue.select(
        WageValue.placement, WageValue.measured_on, WageValue.next_due
    ).where(WageValue.placement.is_in(ids)):
        if r["measured_on"] >= latest_wage.get(r["placement"], (date.min, date.min))[0]:
            latest_wage[r["placement"]] = (r["measured_on"], r["next_due"])
    for r in rows:
        r["follow_up"] = rules.FollowUp(
            placement_id=r["id"],
            start=r["start_date"],
            last_check_in=last_check_in.get(r["id"]),
            next_wage_value_due=latest_wage[r["id"]][1] if r["id"] in latest_wage else None,
            milestones_done=frozenset(
                m for m, col in ((6, "reviewed_6"), (12, "reviewed_12")) if r[col] is not None
            ),
        )
    return rows
