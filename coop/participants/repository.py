"""Queries of the participants: the one place that reads and writes their tables.

Who gets what is decided here, not only in the controllers:
- coordinators read and change whole records (identity, register, benefit, needs);
- members read anonymous profiles of participants who consented to share one, and a
  participant's identity only while that participant's consent for their organisation
  stands;
- admins and WSP users get nothing (:class:`PermissionDenied`).

Every read and every change of a participant's record writes an audit event in the same
transaction: the action, the participant's id, and at most the names of changed fields
or the ids shown on a list, never a value (no name, need, register ground or benefit).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import msgspec
from piccolo.columns.combination import WhereRaw

from coop import db
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.accounts.user_admin_repository import is_unique_violation
from coop.audit.log import record
from coop.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from coop.members.tables import Organisation
from coop.participants import rules
from coop.participants.rules import ConsentKind, Status
from coop.participants.schemas import MatchProfile, RegisterFacts
from coop.participants.tables import Consent, Participant, ParticipantEvent
from coop.reference import regions
from coop.web.i18n import gettext as _

PAGE_SIZE = 50
OBJECT_TYPE = "participant"
SYSTEM_ACTOR = "systeem (bewaartermijn)"

SUMMARY_COLUMNS = (
    Participant.id,
    Participant.code,
    Participant.status,
    Participant.first_name,
    Participant.last_name,
    Participant.municipality_code,
    Participant.hours_min,
    Participant.hours_max,
    Participant.days,
    Participant.guidance,
    Participant.available_from,
    Participant.anonymised_at,
)
PROFILE_COLUMNS = (
    Participant.id,
    Participant.code,
    Participant.status,
    Participant.date_of_birth,
    Participant.education_level,
    Participant.municipality_code,
    Participant.sectors,
    Participant.task_kinds,
    Participant.hours_min,
    Participant.hours_max,
    Participant.days,
    Participant.available_from,
    Participant.travel_range,
    Participant.guidance,
    Participant.place_types,
    Participant.support_needs,
    Participant.anonymised_at,
)
SORTS = {
    "naam": ((Participant.last_name, Participant.first_name), True),
    "-naam": ((Participant.last_name, Participant.first_name), False),
    "code": ((Participant.code,), True),
    "status": ((Participant.status,), True),
    "beschikbaar": ((Participant.available_from,), True),
    "-aangemeld": ((Participant.created_at,), False),
}


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return now().date()


def _json(value: Any) -> str:
    return msgspec.json.encode(list(value or [])).decode()


def _fits(record_id: int) -> bool:
    return 0 < record_id < 2**31


def search_key(first_name: str, last_name: str, code: str, city: str) -> str:
    parts = (f"{first_name} {last_name}".strip().casefold(), code.casefold(), city.casefold())
    return " | ".join(p for p in parts if p)[:400]


def with_reference(row: dict[str, Any]) -> dict[str, Any]:
    municipality = regions.municipality(row.get("municipality_code"))
    row["municipality_name"] = municipality.name if municipality else ""
    row["region_code"] = municipality.region.code if municipality else None
    row["region_name"] = municipality.region.name if municipality else ""
    return row


def _coordinator(principal: Principal) -> None:
    # Admins manage the service, not people: they see none of this (architecture.md).
    if principal.role != Role.COORDINATOR:
        raise PermissionDenied(_("Alleen coördinatoren zien de gegevens van deelnemers."))


def _writer(principal: Principal) -> None:
    _coordinator(principal)
    if not principal.can_write:
        raise PermissionDenied(
            _("Dit token mag alleen lezen; voor wijzigen is de scope 'write' nodig."),
            code="insufficient_scope",
        )


async def _audit(
    action: str,
    actor: Principal | None,
    participant_id: int | str | None,
    *,
    client_ip: str = "",
    detail: str = "",
) -> None:
    await record(
        action,
        actor=actor,
        actor_email="" if actor else SYSTEM_ACTOR,
        object_type=OBJECT_TYPE,
        object_id=participant_id,
        client_ip=client_ip,
        detail=detail,
    )


async def _event(
    participant_id: int,
    kind: str,
    actor: Principal | None,
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    detail: str = "",
    at: datetime | None = None,
) -> None:
    await ParticipantEvent.insert(
        ParticipantEvent(
            participant=participant_id,
            at=at or now(),
            kind=kind,
            from_status=from_status,
            to_status=to_status,
            actor_id=actor.user_id if actor else None,
            actor_name=(actor.name or actor.email) if actor else SYSTEM_ACTOR,
            detail=detail,
        )
    )


async def _row(participant_id: int) -> dict[str, Any]:
    if not _fits(participant_id):
        raise NotFound(code="participant_not_found")
    row = (
        await Participant.select()
        .where(Participant.id == participant_id)
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFound(code="participant_not_found")
    return with_reference(row)


async def _consents(participant_id: int) -> list[dict[str, Any]]:
    rows = await (
        Consent.select(
            Consent.all_columns(),
            Consent.organisation.name.as_alias("organisation_name"),
        )
        .where(Consent.participant == participant_id)
        .order_by(Consent.given_at, ascending=False)
        .order_by(Consent.id, ascending=False)
    )
    for r in rows:
        r["organisation_name"] = r.get("organisation_name") or ""
    return rows


# --- coordinators: reading -------------------------------------------------------------


@dataclass
class Filters:
    search: str = ""
    status: str | None = None
    region: str | None = None
    guidance: str | None = None
    day: str | None = None  # can work on this day
    min_hours: int | None = None  # can work at least this many hours a week
    available_by: date | None = None  # available on or before this date
    sort: str = "naam"

    def conditions(self) -> list[Any]:
        where: list[Any] = []
        if self.search:
            cleaned = self.search.casefold().replace("%", "").replace("_", "").strip()
            if cleaned:
                where.append(Participant.search_key.like(f"%{cleaned}%"))
        if self.status:
            where.append(Participant.status == self.status)
        if self.region:
            where.append(
                Participant.municipality_code.is_in(
                    list(regions.municipality_codes_in(self.region)) or ["-"]
                )
            )
        if self.guidance:
            where.append(Participant.guidance == self.guidance)
        if self.day:
            # The JSON array holds slugs of two letters in quotes: '"wo"' matches only Wednesday.
            where.append(WhereRaw("CAST(days AS TEXT) LIKE {}", f'%"{self.day}"%'))
        if self.min_hours is not None:
            where.append(Participant.hours_max >= self.min_hours)
        if self.available_by is not None:
            where.append(
                (Participant.available_from <= self.available_by)
                | (Participant.available_from.is_null())
            )
        return where


@dataclass
class Page:
    items: list[dict[str, Any]]
    total: int
    page: int
    size: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, math.ceil(self.total / self.size))


async def list_participants(
    actor: Principal,
    filters: Filters,
    *,
    limit: int,
    offset: int,
    client_ip: str = "",
) -> tuple[list[dict[str, Any]], int]:
    """The participants that match, sorted, and how many in all; one audit event names
    the ids shown (never the search text, which may be a name)."""
    _coordinator(actor)
    query = Participant.select(*SUMMARY_COLUMNS).output(load_json=True)
    count = Participant.count()
    for condition in filters.conditions():
        query = query.where(condition)
        count = count.where(condition)
    columns, ascending = SORTS.get(filters.sort, SORTS["naam"])
    for column in columns:
        query = query.order_by(column, ascending=ascending)
    query = query.order_by(Participant.id, ascending=ascending)
    async with db.write_transaction():
        rows = await query.limit(limit).offset(offset)
        total = await count
        await _audit(
            "participant_list_read",
            actor,
            None,
            client_ip=client_ip,
            detail="ids: " + ",".join(str(r["id"]) for r in rows),
        )
    return [with_reference(r) for r in rows], total


async def page_of_participants(
    actor: Principal, filters: Filters, page: int, *, client_ip: str = ""
) -> Page:
    page = max(1, min(page, 10_000_000))
    rows, total = await list_participants(
        actor, filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, client_ip=client_ip
    )
    return Page(items=rows, total=total, page=page, size=PAGE_SIZE)


async def participant(
    actor: Principal, participant_id: int, *, client_ip: str = "", purpose: str = "view"
) -> dict[str, Any]:
    """Every field of one participant, for a coordinator; the read is audited."""
    _coordinator(actor)
    async with db.write_transaction():
        row = await _row(participant_id)
        await _audit("participant_read", actor, participant_id, client_ip=client_ip, detail=purpose)
    return row


async def detail(actor: Principal, participant_id: int, *, client_ip: str = "") -> dict[str, Any]:
    """The record with its consents and history, as one audited read."""
    _coordinator(actor)
    async with db.write_transaction():
        row = await _row(participant_id)
        consents = await _consents(participant_id)
        history = await (
            ParticipantEvent.select()
            .where(ParticipantEvent.participant == participant_id)
            .order_by(ParticipantEvent.at, ascending=False)
            .order_by(ParticipantEvent.id, ascending=False)
        )
        await _audit("participant_read", actor, participant_id, client_ip=client_ip, detail="view")
    return {"participant": row, "consents": consents, "history": history}


async def consents(
    actor: Principal, participant_id: int, *, client_ip: str = ""
) -> list[dict[str, Any]]:
    _coordinator(actor)
    async with db.write_transaction():
        await _row(participant_id)
        rows = await _consents(participant_id)
        await _audit("participant_consents_read", actor, participant_id, client_ip=client_ip)
    return rows


async def export(actor: Principal, participant_id: int, *, client_ip: str = "") -> dict[str, Any]:
    """Everything stored about one participant (a right of access request): the record,
    the consents, the history, and who read or changed the record when."""
    from coop.audit.tables import AuditEvent

    _coordinator(actor)
    async with db.write_transaction():
        row = await _row(participant_id)
        consent_rows = await _consents(participant_id)
        history = await (
            ParticipantEvent.select()
            .where(ParticipantEvent.participant == participant_id)
            .order_by(ParticipantEvent.id)
        )
        access = await (
            AuditEvent.select(
                AuditEvent.at, AuditEvent.actor_email, AuditEvent.action, AuditEvent.detail
            )
            .where(
                (AuditEvent.object_type == OBJECT_TYPE)
                & (AuditEvent.object_id == str(participant_id))
            )
            .order_by(AuditEvent.id)
        )
        await _audit("participant_exported", actor, participant_id, client_ip=client_ip)
    row.pop("search_key", None)
    row.pop("register_verified_by", None)
    for r in consent_rows:
        r.pop("participant", None)
    for h in history:
        h.pop("participant", None)
        h.pop("actor_id", None)
    return {"participant": row, "consents": consent_rows, "history": history, "access": access}


# --- coordinators: changing ------------------------------------------------------------


def _validated(values: Mapping[str, Any]) -> None:
    errors = rules.check_consistency(values, today=today())
    if errors:
        raise ValidationFailed(errors)


async def _unique_code(region_code: str | None) -> str:
    for _attempt in range(20):
        code = rules.new_code(region_code)
        if not await Participant.exists().where(Participant.code == code):
            return code
    raise Conflict(_("Er kon geen unieke code worden gemaakt. Probeer het opnieuw."))


def _stored(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: (_json(v) if k in rules.LIST_FIELDS else v)
        for k, v in values.items()
        if k in rules.FIELDS
    }


def _verification(values: Mapping[str, Any], actor: Principal) -> dict[str, Any]:
    """Whoever enters the verification date is recorded as the one who verified."""
    if values.get("register_verified_on"):
        return {
            "register_verified_by": actor.user_id,
            "register_verified_by_name": actor.name or actor.email,
        }
    if "register_verified_on" in values:
        return {"register_verified_by": None, "register_verified_by_name": ""}
    return {}


async def create(actor: Principal, values: Mapping[str, Any], *, client_ip: str = "") -> int:
    """A new participant (checked values, :func:`rules.check_participant`), ``aangemeld``."""
    _writer(actor)
    _validated(values)
    municipality = regions.municipality(values["municipality_code"])
    moment = now()
    for _attempt in range(3):
        try:
            async with db.write_transaction():
                code = await _unique_code(municipality.region.code if municipality else None)
                row = Participant(
                    **_stored(values),
                    **_verification(values, actor),
                    code=code,
                    status=Status.AANGEMELD.value,
                    created_at=moment,
                    updated_at=moment,
                    search_key=search_key(
                        values["first_name"], values["last_name"], code, values.get("city", "")
                    ),
                )
                participant_id = (await Participant.insert(row))[0]["id"]
                await _event(participant_id, "status", actor, to_status=Status.AANGEMELD.value)
                await _audit("participant_created", actor, participant_id, client_ip=client_ip)
            return participant_id
        except Exception as exc:
            if not is_unique_violation(exc):
                raise
    raise Conflict(_("Er kon geen unieke code worden gemaakt. Probeer het opnieuw."))


async def update(
    actor: Principal, participant_id: int, values: Mapping[str, Any], *, client_ip: str = ""
) -> list[str]:
    """Change the given (checked) fields; returns the names of the fields that changed.
    The history and the audit log get the names, never the values."""
    _writer(actor)
    async with db.write_transaction():
        current = await _row(participant_id)
        if current["anonymised_at"] is not None:
            raise Conflict(
                _("Deze deelnemer is geanonimiseerd en kan niet meer worden gewijzigd."),
                code="anonymised",
            )
        changes = {k: v for k, v in values.items() if k in rules.FIELDS and current.get(k) != v}
        if not changes:
            return []
        merged = {**current, **changes}
        _validated(merged)
        stored = _stored(changes)
        stored.update(_verification(changes, actor))
        stored["updated_at"] = now()
        stored["search_key"] = search_key(
            merged["first_name"], merged["last_name"], merged["code"], merged.get("city") or ""
        )
        await Participant.update({getattr(Participant, k): v for k, v in stored.items()}).where(
            Participant.id == participant_id
        )
        changed = sorted(changes)
        await _event(participant_id, "gewijzigd", actor, detail=", ".join(changed))
        await _audit(
            "participant_updated",
            actor,
            participant_id,
            client_ip=client_ip,
            detail="changed: " + ", ".join(changed),
        )
    return changed


async def change_status(
    actor: Principal,
    participant_id: int,
    new_status: str,
    reason: str = "",
    *,
    client_ip: str = "",
    on: date | None = None,
) -> None:
    """Move a participant along the life cycle. Leaving (``uitgestroomd``) starts the
    retention period; coming back stops it."""
    _writer(actor)
    try:
        reason = rules.text(reason, "reason")
        rules.no_diagnosis(reason)
    except rules.Invalid as exc:
        raise ValidationFailed([FieldError("reason", str(exc))]) from exc
    async with db.write_transaction():
        current = await _row(participant_id)
        refusal = rules.transition_refusal(
            current["status"], new_status, anonymised=current["anonymised_at"] is not None
        )
        if refusal:
            raise Conflict(refusal, code="transition_not_allowed")
        left_on = (on or today()) if new_status == Status.UITGESTROOMD else None
        await Participant.update(
            {
                Participant.status: new_status,
                Participant.left_on: left_on,
                Participant.updated_at: now(),
            }
        ).where(Participant.id == participant_id)
        await _event(
            participant_id,
            "status",
            actor,
            from_status=current["status"],
            to_status=new_status,
            detail=reason,
        )
        await _audit(
            "participant_status_changed",
            actor,
            participant_id,
            client_ip=client_ip,
            detail=f"{current['status']} -> {new_status}",
        )


async def add_consent(
    actor: Principal,
    participant_id: int,
    kind: str,
    *,
    organisation_id: int | None = None,
    given_at: datetime | None = None,
    text: str | None = None,
    version: str | None = None,
    client_ip: str = "",
) -> int:
    """Record a consent the participant gave. An identity consent names an existing
    member; a profile consent names none."""
    _writer(actor)
    try:
        kind = rules.choice(kind, ConsentKind)
    except rules.Invalid as exc:
        raise ValidationFailed([FieldError("kind", str(exc))]) from exc
    moment = now()
    if given_at is not None:
        if given_at.tzinfo is None:
            given_at = given_at.replace(tzinfo=UTC)
        if given_at > moment:
            raise ValidationFailed(
                [FieldError("given_at", _("Het moment van toestemming ligt in de toekomst."))]
            )
    async with db.write_transaction():
        current = await _row(participant_id)
        if current["anonymised_at"] is not None:
            raise Conflict(_("Deze deelnemer is geanonimiseerd."), code="anonymised")
        organisation_name = ""
        if kind == ConsentKind.IDENTITEIT:
            found = None
            if organisation_id is not None and _fits(organisation_id):
                found = (
                    await Organisation.select(Organisation.id, Organisation.name)
                    .where(Organisation.id == organisation_id)
                    .first()
                )
            if found is None:
                raise ValidationFailed(
                    [FieldError("organisation_id", _("Kies een lid van de coöperatie."))]
                )
            organisation_name = found["name"]
        else:
            organisation_id = None
        try:
            consent_text = rules.text(
                text or rules.consent_text(kind, organisation_name), "consent_text"
            )
            consent_version = rules.text(
                version or rules.CONSENT_VERSION, "consent_version", required=True
            )
        except rules.Invalid as exc:
            raise ValidationFailed([FieldError("text", str(exc))]) from exc
        consent_id = (
            await Consent.insert(
                Consent(
                    participant=participant_id,
                    kind=kind,
                    organisation=organisation_id,
                    text=consent_text,
                    version=consent_version,
                    given_at=given_at or moment,
                    recorded_by=actor.user_id,
                    recorded_by_name=actor.name or actor.email,
                )
            )
        )[0]["id"]
        await _event(
            participant_id, "toestemming", actor, detail=_consent_words(kind, organisation_name)
        )
        await _audit(
            "participant_consent_given",
            actor,
            participant_id,
            client_ip=client_ip,
            detail=f"consent {consent_id}: {kind}"
            + (f", organisation {organisation_id}" if organisation_id else ""),
        )
    return consent_id


def _consent_words(kind: str, organisation_name: str) -> str:
    # The history keeps what was agreed in the words of the consent (Dutch, like the
    # consent text itself); it names the member, which is no special-category data.
    if kind == ConsentKind.IDENTITEIT:
        return f"naam en contact delen met {organisation_name}"
    return "anoniem profiel delen met leden"


async def withdraw_consent(
    actor: Principal, participant_id: int, consent_id: int, *, client_ip: str = ""
) -> None:
    _writer(actor)
    if not _fits(consent_id):
        raise NotFound(code="consent_not_found")
    async with db.write_transaction():
        await _row(participant_id)
        found = (
            await Consent.select(
                Consent.id,
                Consent.kind,
                Consent.withdrawn_at,
                Consent.organisation,
                Consent.organisation.name.as_alias("organisation_name"),
            )
            .where((Consent.id == consent_id) & (Consent.participant == participant_id))
            .first()
        )
        if found is None:
            raise NotFound(code="consent_not_found")
        if found["withdrawn_at"] is not None:
            raise Conflict(_("Deze toestemming is al ingetrokken."), code="already_withdrawn")
        await Consent.update(
            {Consent.withdrawn_at: now(), Consent.withdrawn_by_name: actor.name or actor.email}
        ).where(Consent.id == consent_id)
        words = _consent_words(found["kind"], found.get("organisation_name") or "")
        await _event(participant_id, "toestemming", actor, detail=f"ingetrokken: {words}")
        await _audit(
            "participant_consent_withdrawn",
            actor,
            participant_id,
            client_ip=client_ip,
            detail=f"consent {consent_id}",
        )


# --- erasure and retention -------------------------------------------------------------


async def _anonymise(
    participant_id: int,
    code: str,
    actor: Principal | None,
    why: str,
    *,
    still: Any = None,
) -> bool:
    """Erase one participant's personal data; False when ``still`` (the condition that
    made it due) no longer holds, e.g. someone came back between the select and now."""
    values = {**rules.ERASED_VALUES}
    values["support_needs"] = _json([])
    values.update(anonymised_at=now(), updated_at=now(), search_key=code.casefold())
    condition = (Participant.id == participant_id) & Participant.anonymised_at.is_null()
    if still is not None:
        condition = condition & still
    changed = await (
        Participant.update({getattr(Participant, k): v for k, v in values.items()})
        .where(condition)
        .returning(Participant.id)
    )
    if not changed:
        return False
    # Identity consents end with the identity they shared.
    await Consent.update({Consent.withdrawn_at: now(), Consent.withdrawn_by_name: why}).where(
        (Consent.participant == participant_id) & (Consent.withdrawn_at.is_null())
    )
    await _event(participant_id, "geanonimiseerd", actor, detail=why)
    return True


async def erase(
    actor: Principal, participant_id: int, *, client_ip: str = "", reason: str = ""
) -> None:
    """A participant's request for erasure, carried out at once: the same effect as the
    retention run."""
    _writer(actor)
    async with db.write_transaction():
        current = await _row(participant_id)
        if current["anonymised_at"] is not None:
            raise Conflict(_("Deze deelnemer is al geanonimiseerd."), code="anonymised")
        erased = await _anonymise(
            participant_id, current["code"], actor, "verzoek van de deelnemer"
        )
        if not erased:
            raise Conflict(_("Deze deelnemer is al geanonimiseerd."), code="anonymised")
        await _audit(
            "participant_erased", actor, participant_id, client_ip=client_ip, detail="request"
        )


class RetentionResult(msgspec.Struct, frozen=True, kw_only=True):
    cutoff: date
    anonymised: list[int]


async def run_retention(
    *,
    months: int = rules.DEFAULT_RETENTION_MONTHS,
    on: date | None = None,
    batch: int = 200,
) -> RetentionResult:
    """Anonymise every participant who left (``uitgestroomd``) on or before ``on`` minus
    ``months``: identity, contact, support needs and notes go; what the monitor counts
    stays. Idempotent (anonymised participants are skipped), and safe beside the running
    service: each batch is one short write transaction that re-checks its rows.
    ``coop retention run`` calls this."""
    day = on or today()
    cutoff = rules.retention_cutoff(day, months)
    done: list[int] = []
    skipped: list[int] = []

    def due() -> Any:
        return (
            (Participant.status == Status.UITGESTROOMD.value)
            & (Participant.left_on <= cutoff)
            & Participant.anonymised_at.is_null()
        )

    while True:
        async with db.write_transaction():
            rows = await (
                Participant.select(Participant.id, Participant.code)
                .where(due() & Participant.id.not_in(skipped or [0]))
                .order_by(Participant.id)
                .limit(batch)
            )
            for row in rows:
                erased = await _anonymise(
                    row["id"], row["code"], None, "bewaartermijn verlopen", still=due()
                )
                if not erased:
                    skipped.append(row["id"])
                    continue
                await _audit(
                    "participant_anonymised",
                    None,
                    row["id"],
                    detail=f"retention: left on or before {cutoff.isoformat()}",
                )
                done.append(row["id"])
        if len(rows) < batch:
            return RetentionResult(cutoff=cutoff, anonymised=done)


# --- members: anonymous profiles -------------------------------------------------------


def _profile_reader(principal: Principal) -> None:
    if principal.role not in (Role.MEMBER, Role.COORDINATOR) or (
        principal.role == Role.MEMBER and principal.organisation_id is None
    ):
        raise PermissionDenied(_("Uw rol geeft geen toegang tot kandidaten."))


async def _active_consents(participant_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in participant_ids}
    if not participant_ids:
        return found
    rows = await Consent.select(
        Consent.participant, Consent.kind, Consent.organisation, Consent.withdrawn_at
    ).where(Consent.participant.is_in(participant_ids) & Consent.withdrawn_at.is_null())
    for r in rows:
        found[r["participant"]].append(r)
    return found


async def profiles(
    principal: Principal, *, limit: int, offset: int, client_ip: str = ""
) -> tuple[list[rules.AnonymousProfile], int]:
    """Anonymous profiles a member may see: participants in the pool who consented to
    share one, and those who consented to share their identity with this member."""
    _profile_reader(principal)
    condition = _profile_condition(principal)
    async with db.write_transaction():
        rows = await (
            Participant.select(*PROFILE_COLUMNS)
            .where(condition)
            .order_by(Participant.available_from)
            .order_by(Participant.id)
            .limit(limit)
            .offset(offset)
            .output(load_json=True)
        )
        total = await Participant.count().where(condition)
        await _audit(
            "participant_profiles_read",
            principal,
            None,
            client_ip=client_ip,
            detail="ids: " + ",".join(str(r["id"]) for r in rows),
        )
    day = today()
    return [rules.anonymous_profile(r, today=day) for r in rows], total


def _profile_condition(principal: Principal) -> Any:
    shared = Consent.select(Consent.participant).where(
        (Consent.kind == ConsentKind.PROFIEL.value) & Consent.withdrawn_at.is_null()
    )
    in_pool = Participant.status.is_in([s.value for s in rules.PROFILE_STATUSES])
    condition = Participant.anonymised_at.is_null() & (Participant.id.is_in(shared) & in_pool)
    if principal.role == Role.MEMBER:
        named = Consent.select(Consent.participant).where(
            (Consent.kind == ConsentKind.IDENTITEIT.value)
            & Consent.withdrawn_at.is_null()
            & (Consent.organisation == principal.organisation_id)
        )
        condition = Participant.anonymised_at.is_null() & (
            (Participant.id.is_in(shared) & in_pool) | Participant.id.is_in(named)
        )
    return condition


async def profile(principal: Principal, code: str, *, client_ip: str = "") -> dict[str, Any]:
    """One candidate: ``{"profile", "identity"}``; the identity only for a member the
    participant consented to, until withdrawn. 404 for anything the caller may not see."""
    _profile_reader(principal)
    code = (code or "").strip().upper()[:12]
    async with db.write_transaction():
        row = await (
            Participant.select(
                *PROFILE_COLUMNS,
                Participant.first_name,
                Participant.last_name,
                Participant.email,
                Participant.phone,
            )
            .where((Participant.code == code) & _profile_condition(principal))
            .output(load_json=True)
            .first()
        )
        if row is None:
            raise NotFound(code="profile_not_found")
        consents = (await _active_consents([row["id"]]))[row["id"]]
        shows_identity = principal.role == Role.MEMBER and rules.identity_visible(
            principal.organisation_id, consents, anonymised=row["anonymised_at"] is not None
        )
        await _audit(
            "participant_identity_read" if shows_identity else "participant_profile_read",
            principal,
            row["id"],
            client_ip=client_ip,
        )
    identity = None
    if shows_identity:
        identity = {k: row[k] for k in ("first_name", "last_name", "email", "phone")}
    return {"profile": rules.anonymous_profile(row, today=today()), "identity": identity}


# --- for other apps: allocation and counting -------------------------------------------


def _match_of(row: dict[str, Any]) -> MatchProfile:
    municipality = regions.municipality(row["municipality_code"])
    return MatchProfile(
        participant_id=row["id"],
        status=Status(row["status"]),
        municipality_code=row["municipality_code"],
        region_code=municipality.region.code if municipality else None,
        hours_min=row["hours_min"],
        hours_max=row["hours_max"],
        days=row["days"] or [],
        available_from=row["available_from"],
        travel_range=row["travel_range"],
        guidance=row["guidance"],
        support_needs=row["support_needs"] or [],
        place_types=row["place_types"] or [],
        sectors=row["sectors"] or [],
        task_kinds=row["task_kinds"] or [],
    )


async def match_profiles(
    actor: Principal,
    *,
    participant_ids: Iterable[int] | None = None,
    region: str | None = None,
    statuses: Iterable[str] = (Status.BESCHIKBAAR.value,),
    client_ip: str = "",
) -> list[MatchProfile]:
    """What allocation's hard constraints need of the waiting participants (or of the
    given ids, whatever their status); one audit event for the whole read."""
    _coordinator(actor)
    query = Participant.select(
        Participant.id,
        Participant.status,
        Participant.municipality_code,
        Participant.hours_min,
        Participant.hours_max,
        Participant.days,
        Participant.available_from,
        Participant.travel_range,
        Participant.guidance,
        Participant.support_needs,
        Participant.place_types,
        Participant.sectors,
        Participant.task_kinds,
    ).where(Participant.anonymised_at.is_null())
    if participant_ids is not None:
        ids = [i for i in participant_ids if _fits(i)]
        query = query.where(Participant.id.is_in(ids or [0]))
    else:
        query = query.where(Participant.status.is_in(list(statuses)))
    if region:
        query = query.where(
            Participant.municipality_code.is_in(
                list(regions.municipality_codes_in(region)) or ["-"]
            )
        )
    async with db.write_transaction():
        rows = await query.order_by(Participant.id).output(load_json=True)
        await _audit(
            "participant_match_read",
            actor,
            None,
            client_ip=client_ip,
            detail=f"{len(rows)} participants",
        )
    return [_match_of(r) for r in rows]


async def names(
    actor: Principal, participant_ids: Iterable[int], *, client_ip: str = "", purpose: str = ""
) -> dict[int, dict[str, Any]]:
    """Code, first and last name by id, for allocation's proposals and placements (a
    coordinator's view); one audit event names the ids read."""
    _coordinator(actor)
    ids = sorted({i for i in participant_ids if _fits(i)})
    if not ids:
        return {}
    async with db.write_transaction():
        rows = await Participant.select(
            Participant.id, Participant.code, Participant.first_name, Participant.last_name
        ).where(Participant.id.is_in(ids))
        await _audit(
            "participant_names_read",
            actor,
            None,
            client_ip=client_ip,
            detail=f"{purpose}: " + ",".join(str(i) for i in ids),
        )
    return {r["id"]: r for r in rows}


#: How many participants one query of the register facts reads at most.
REGISTER_CHUNK = 10_000


async def register_facts(
    participant_ids: Iterable[int], *, actor: Principal | None = None, client_ip: str = ""
) -> dict[int, RegisterFacts]:
    """The register periods the banenafspraak count needs, by participant id. Kept after
    anonymisation, because past years' counts rest on them. One audit event per call."""
    ids = sorted({i for i in participant_ids if _fits(i)})
    if not ids:
        return {}
    async with db.write_transaction():
        rows: list[dict[str, Any]] = []
        # In chunks: both engines cap the number of bound parameters of one statement
        # (32,767), and a yearly count over every member can name more people than that.
        for start in range(0, len(ids), REGISTER_CHUNK):
            rows += await Participant.select(
                Participant.id,
                Participant.register_in,
                Participant.register_start,
                Participant.register_end,
                Participant.register_provision,
                Participant.municipality_code,
            ).where(Participant.id.is_in(ids[start : start + REGISTER_CHUNK]))
        await _audit(
            "participant_register_read",
            actor,
            None,
            client_ip=client_ip,
            detail=f"{len(rows)} participants",
        )
    result: dict[int, RegisterFacts] = {}
    for r in rows:
        municipality = regions.municipality(r["municipality_code"])
        result[r["id"]] = RegisterFacts(
            participant_id=r["id"],
            register_in=bool(r["register_in"]),
            register_start=r["register_start"],
            register_end=r["register_end"],
            register_provision=bool(r["register_provision"]),
            region_code=municipality.region.code if municipality else None,
        )
    return result


async def organisations_for_consent() -> list[dict[str, Any]]:
    """The members a coordinator can name in an identity consent."""
    return await Organisation.select(Organisation.id, Organisation.name).order_by(Organisation.name)
