"""Queries of the member registry: the one place that reads and writes its tables.

Every read is scoped by the principal (:mod:`coop.accounts.scoping`): a member sees only
its own organisation, a WSP user none, the cooperative's staff all. An organisation
outside that scope does not exist for the caller (:class:`coop.errors.NotFound`).
Every change runs in one write transaction with its audit record.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from piccolo.querystring import QueryString

from coop import db
from coop.accounts.principal import Principal
from coop.accounts.scoping import get_visible, scoped, visibility
from coop.accounts.user_admin_repository import is_unique_violation
from coop.audit.log import record
from coop.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from coop.members import rules
from coop.members.rules import Status
from coop.members.tables import Contact, Contribution, MembershipEvent, Organisation
from coop.reference import regions
from coop.web.i18n import gettext as _

PAGE_SIZE = 50
SUMMARY_COLUMNS = (Organisation.id, Organisation.name)

LIST_COLUMNS = (
    Organisation.id,
    Organisation.name,
    Organisation.kvk_number,
    Organisation.city,
    Organisation.municipality_code,
    Organisation.sector,
    Organisation.employees,
    Organisation.public_employer,
    Organisation.status,
    Organisation.created_at,
)

DETAIL_COLUMNS = (
    *LIST_COLUMNS,
    Organisation.establishment_number,
    Organisation.street_address,
    Organisation.postcode,
    Organisation.yearly_paid_hours,
    Organisation.website,
    Organisation.notice_months,
    Organisation.pledge_year,
    Organisation.pledge_jobs,
    Organisation.pledge_places,
    Organisation.ambassador,
    Organisation.award,
    Organisation.end_requested_at,
    Organisation.updated_at,
)

CONTACT_COLUMNS = (
    Contact.id,
    Contact.organisation,
    Contact.name,
    Contact.function,
    Contact.email,
    Contact.phone,
    Contact.is_primary,
    Contact.mail_newsletter,
    Contact.mail_invoices,
    Contact.mail_placements,
)

SORTS = {
    "naam": (Organisation.name, True),
    "-naam": (Organisation.name, False),
    "medewerkers": (Organisation.employees, True),
    "-medewerkers": (Organisation.employees, False),
    "lid-sinds": (Organisation.created_at, True),
    "-lid-sinds": (Organisation.created_at, False),
    "status": (Organisation.status, True),
}


def now() -> datetime:
    return datetime.now(UTC)


def search_key(name: str, kvk_number: str | None, city: str) -> str:
    return " | ".join(p for p in (name.casefold(), kvk_number or "", city.casefold()) if p)[:400]


def with_reference(row: dict[str, Any]) -> dict[str, Any]:
    """The municipality's and region's names beside the stored code (no query)."""
    (
        row["municipality_name"],
        row["region_code"],
        row["region_name"],
    ) = _reference(row.get("municipality_code"))
    return row


@functools.lru_cache(maxsize=1024)
def _reference(code: str | None) -> tuple[str, str | None, str]:
    # The reference data is fixed for the life of the process; every list row asks.
    municipality = regions.municipality(code)
    if municipality is None:
        return "", None, ""
    return municipality.name, municipality.region.code, municipality.region.name


# --- reading ---------------------------------------------------------------------------


async def organisation(principal: Principal, organisation_id: int) -> dict[str, Any]:
    """One organisation the principal may see, or NotFound."""
    return await get_visible(
        Organisation.select(*SUMMARY_COLUMNS),
        principal,
        organisation_id,
        organisation=Organisation.id,
        what="organisation",
    )


async def organisations(
    principal: Principal, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of the organisations the principal may see, by name, and how many in all."""
    rows = await (
        scoped(Organisation.select(*SUMMARY_COLUMNS), principal, organisation=Organisation.id)
        .order_by(Organisation.name)
        .order_by(Organisation.id)
        .limit(limit)
        .offset(offset)
    )
    total = await scoped(Organisation.count(), principal, organisation=Organisation.id)  # type: ignore[type-var]
    return rows, total


async def member(principal: Principal, organisation_id: int) -> dict[str, Any]:
    """Every field of one member the principal may see, or NotFound."""
    row = await get_visible(
        Organisation.select(*DETAIL_COLUMNS),
        principal,
        organisation_id,
        organisation=Organisation.id,
        what="member",
    )
    return with_reference(row)


@dataclass
class Filters:
    search: str = ""
    status: str | None = None
    sector: str | None = None
    region: str | None = None
    municipality: str | None = None
    size: str | None = None
    public: bool | None = None
    sort: str = "naam"

    def conditions(self) -> list[Any]:
        where: list[Any] = []
        if self.search:
            cleaned = self.search.casefold().replace("%", "").replace("_", "").strip()
            if cleaned:
                where.append(Organisation.search_key.like(f"%{cleaned}%"))
        if self.status:
            where.append(Organisation.status == self.status)
        if self.sector:
            where.append(Organisation.sector == self.sector)
        if self.region:
            codes = list(regions.municipality_codes_in(self.region))
            # An unknown region has no municipalities: nothing matches (an empty IN list
            # is no valid SQL).
            where.append(
                Organisation.municipality_code.is_in(codes) if codes else Organisation.id < 0
            )
        if self.municipality:
            where.append(Organisation.municipality_code == self.municipality)
        if self.size and self.size in rules.SIZE_CLASSES:
            low, high = rules.SIZE_CLASSES[self.size]
            where.append(Organisation.employees >= low)
            if high is not None:
                where.append(Organisation.employees <= high)
        if self.public is not None:
            where.append(Organisation.public_employer == self.public)
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


async def list_members(
    principal: Principal,
    filters: Filters,
    *,
    limit: int,
    offset: int,
    columns: tuple[Any, ...] = LIST_COLUMNS,
) -> tuple[list[dict[str, Any]], int]:
    """The members the principal may see that match, sorted, and how many match in all.

    One query: the total rides along as a scalar subquery with the same conditions, which
    both engines run once per query (PostgreSQL counts from the index alone). A second
    query for the count cost nearly as much as the page itself; ``COUNT(*) OVER ()`` would
    make the database read every matching row. Only a page past the end, which has no row
    to carry the total, counts separately.

    The conditions are Piccolo's (scoping and :meth:`Filters.conditions`); the statement
    around them is fixed text per selection and sort (:func:`_list_sql`): building it
    with Piccolo's select for every page cost more than running it."""
    visible = visibility(principal, Organisation, organisation=Organisation.id)
    conditions = ([visible] if visible is not None else []) + filters.conditions()
    column, ascending = SORTS.get(filters.sort, SORTS["naam"])
    sql = _list_sql(columns, bool(conditions), column._meta.db_column_name, ascending)
    # As Piccolo wrote them: limit and offset in the text (integers only), so that the
    # planner sees them; everything else is a parameter.
    sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    if conditions:
        where = functools.reduce(operator.and_, conditions).querystring
        query = QueryString(sql, where, where)
    else:
        query = QueryString(sql)
    rows = [dict(r) for r in await db.engine().run_querystring(query, in_pool=True)]
    if rows:
        count = rows[0]["total_count"]
    elif offset == 0:
        count = 0
    else:
        counting = Organisation.count()
        for condition in conditions:
            counting = counting.where(condition)
        count = await counting
    for row in rows:
        del row["total_count"]
        with_reference(row)
    return rows, count


@functools.cache
def _list_sql(columns: tuple[Any, ...], filtered: bool, sort_column: str, ascending: bool) -> str:
    """The list statement as Piccolo's select wrote it, without limit and offset, and
    with ``{}`` for the conditions (twice: the count and the page). The tie-breaker runs
    the same way as the sort, so one index (column, id) serves both directions."""
    table = f'"{Organisation._meta.tablename}"'
    where = " WHERE {}" if filtered else ""
    direction = "ASC" if ascending else "DESC"
    # Only our own table and column names go into the text.
    return (
        f"SELECT ALL {select_list(columns).template}, "  # noqa: S608
        f'(SELECT COUNT(*) FROM {table}{where}) AS "total_count" '
        f"FROM {table}{where} "
        f'ORDER BY {table}."{sort_column}" {direction}, {table}."id" {direction}'
    )


@functools.cache
def select_list(columns: tuple[Any, ...]) -> QueryString:
    """The columns of a list query as one fixed piece of SQL. The rows come back the same
    as from ``select(*columns)``, but Piccolo no longer rebuilds two dozen column
    expressions for every page (which cost about a third of the query's time)."""
    return QueryString(
        ", ".join(f'"{Organisation._meta.tablename}"."{c._meta.db_column_name}"' for c in columns)
    )


async def page_of_members(principal: Principal, filters: Filters, page: int) -> Page:
    page = max(1, min(page, 10_000_000))
    rows, total = await list_members(
        principal, filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    return Page(items=rows, total=total, page=page, size=PAGE_SIZE)


async def contacts(principal: Principal, organisation_id: int) -> list[dict[str, Any]]:
    await member(principal, organisation_id)  # 404 outside the scope
    return await (
        scoped(Contact.select(*CONTACT_COLUMNS), principal, organisation=Contact.organisation)
        .where(Contact.organisation == organisation_id)
        .order_by(Contact.is_primary, ascending=False)
        .order_by(Contact.name)
        .order_by(Contact.id)
    )


async def history(principal: Principal, organisation_id: int) -> list[dict[str, Any]]:
    return await (
        scoped(MembershipEvent.select(), principal, organisation=MembershipEvent.organisation)
        .where(MembershipEvent.organisation == organisation_id)
        .order_by(MembershipEvent.at, ascending=False)
        .order_by(MembershipEvent.id, ascending=False)
    )


async def contributions(principal: Principal, organisation_id: int) -> list[dict[str, Any]]:
    return await (
        scoped(Contribution.select(), principal, organisation=Contribution.organisation)
        .where(Contribution.organisation == organisation_id)
        .order_by(Contribution.year, ascending=False)
    )


async def kvk_taken(kvk_number: str, *, except_id: int | None = None) -> bool:
    query = Organisation.exists().where(Organisation.kvk_number == kvk_number)
    if except_id is not None:
        query = query.where(Organisation.id != except_id)
    return await query


def duplicate_kvk() -> ValidationFailed:
    return ValidationFailed(
        [
            FieldError(
                "kvk_number",
                _(
                    "Er is al een organisatie met dit KvK-nummer bij de coöperatie. "
                    "Neem contact met ons op als u denkt dat dit niet klopt."
                ),
            )
        ]
    )


# --- writing ---------------------------------------------------------------------------


def _staff(principal: Principal) -> None:
    if not principal.role.staff:
        raise PermissionDenied(_("Alleen coördinatoren en beheerders mogen dit."))


async def insert_member(
    values: Mapping[str, Any],
    *,
    status: Status,
    actor: Principal | None,
    actor_name: str = "",
    reason: str = "",
    from_status: Status | None = None,
) -> int:
    """A new organisation with its first history event. Call inside a write transaction."""
    if values.get("kvk_number") and await kvk_taken(values["kvk_number"]):
        raise duplicate_kvk()
    moment = now()
    row = Organisation(
        **{k: v for k, v in values.items() if k in rules.ORGANISATION_FIELDS},
        status=status.value,
        created_at=moment,
        updated_at=moment,
        pledge_year=moment.year,
        search_key=search_key(values["name"], values.get("kvk_number"), values.get("city", "")),
    )
    organisation_id = (await Organisation.insert(row))[0]["id"]
    await MembershipEvent.insert(
        MembershipEvent(
            organisation=organisation_id,
            from_status=from_status.value if from_status else None,
            to_status=status.value,
            at=moment,
            actor_id=actor.user_id if actor else None,
            actor_name=(actor.name or actor.email) if actor else actor_name,
            reason=reason,
        )
    )
    return organisation_id


async def create_member(actor: Principal, values: Mapping[str, Any], *, client_ip: str = "") -> int:
    """A member made by the cooperative's staff (API, import), status ``actief``."""
    _staff(actor)
    try:
        async with db.write_transaction():
            organisation_id = await insert_member(
                values, status=Status.ACTIEF, actor=actor, reason=_("Ingevoerd door de coöperatie.")
            )
            await record(
                "member_created",
                actor=actor,
                object_type="organisation",
                object_id=organisation_id,
                client_ip=client_ip,
            )
    except Exception as exc:
        if is_unique_violation(exc):
            raise duplicate_kvk() from exc
        raise
    return organisation_id


async def update_member(
    actor: Principal,
    organisation_id: int,
    values: Mapping[str, Any],
    *,
    client_ip: str = "",
) -> list[str]:
    """Change the given fields of a member the actor may see; returns the changed names.
    A member may change its own details, never what only staff set."""
    forbidden = [f for f in values if f in ("status", "ambassador", "award", "notice_months")]
    if forbidden and not actor.role.staff:
        raise PermissionDenied(
            _("Status, opzegtermijn en erkenning wijzigt alleen de coöperatie."),
            code="staff_only_field",
        )
    allowed = set(rules.ORGANISATION_FIELDS) | {"ambassador", "award"}
    try:
        async with db.write_transaction():
            current = await member(actor, organisation_id)
            changes = {k: v for k, v in values.items() if k in allowed and current.get(k) != v}
            if (
                "kvk_number" in changes
                and changes["kvk_number"]
                and await kvk_taken(changes["kvk_number"], except_id=organisation_id)
            ):
                raise duplicate_kvk()
            if not changes:
                return []
            merged = {**current, **changes}
            changes["search_key"] = search_key(
                merged["name"], merged.get("kvk_number"), merged.get("city") or ""
            )
            changes["updated_at"] = now()
            await Organisation.update(
                {getattr(Organisation, k): v for k, v in changes.items()}
            ).where(Organisation.id == organisation_id)
            changed = sorted(k for k in changes if k not in ("search_key", "updated_at"))
            await record(
                "member_updated",
                actor=actor,
                object_type="organisation",
                object_id=organisation_id,
                client_ip=client_ip,
                detail="changed: " + ", ".join(changed),
            )
    except Exception as exc:
        if is_unique_violation(exc):
            raise duplicate_kvk() from exc
        raise
    return changed


async def change_status(
    actor: Principal,
    organisation_id: int,
    new_status: str,
    reason: str,
    *,
    client_ip: str = "",
) -> None:
    """Move a member along its lifecycle, with the reason kept in its history."""
    if not actor.role.staff:
        raise PermissionDenied(_("Alleen coördinatoren en beheerders wijzigen de status."))
    try:
        reason = rules.text(reason, "reason", required=True, missing=_("Vul een reden in."))
    except rules.Invalid as exc:
        raise ValidationFailed([FieldError("reason", str(exc))]) from exc
    async with db.write_transaction():
        current = await member(actor, organisation_id)
        refusal = rules.transition_refusal(current["status"], new_status, actor.role)
        if refusal:
            raise Conflict(refusal, code="transition_not_allowed")
        moment = now()
        await Organisation.update(
            {Organisation.status: new_status, Organisation.updated_at: moment}
        ).where(Organisation.id == organisation_id)
        await MembershipEvent.insert(
            MembershipEvent(
                organisation=organisation_id,
                from_status=current["status"],
                to_status=new_status,
                at=moment,
                actor_id=actor.user_id,
                actor_name=actor.name or actor.email,
                reason=reason,
            )
        )
        await record(
            "member_status_changed",
            actor=actor,
            object_type="organisation",
            object_id=organisation_id,
            client_ip=client_ip,
            detail=f"{current['status']} -> {new_status}",
        )


async def set_contribution(
    actor: Principal,
    organisation_id: int,
    year: int,
    amount_cents: int,
    *,
    invoiced_on: date | None,
    paid_on: date | None,
    client_ip: str = "",
) -> None:
    _staff(actor)
    async with db.write_transaction():
        await member(actor, organisation_id)
        existing = (
            await Contribution.select(Contribution.id)
            .where((Contribution.organisation == organisation_id) & (Contribution.year == year))
            .first()
        )
        if existing:
            await Contribution.update(
                {
                    Contribution.amount_cents: amount_cents,
                    Contribution.invoiced_on: invoiced_on,
                    Contribution.paid_on: paid_on,
                }
            ).where(Contribution.id == existing["id"])
        else:
            await Contribution.insert(
                Contribution(
                    organisation=organisation_id,
                    year=year,
                    amount_cents=amount_cents,
                    invoiced_on=invoiced_on,
                    paid_on=paid_on,
                )
            )
        await record(
            "member_contribution_set",
            actor=actor,
            object_type="organisation",
            object_id=organisation_id,
            client_ip=client_ip,
            detail=f"year {year}: {amount_cents} cents",
        )


async def request_end(actor: Principal, organisation_id: int, *, client_ip: str = "") -> None:
    """A member asks to end its membership; a coordinator confirms it with a transition."""
    async with db.write_transaction():
        current = await member(actor, organisation_id)
        if current["status"] not in (Status.GOEDGEKEURD, Status.ACTIEF, Status.GESCHORST):
            raise Conflict(_("Dit lidmaatschap is al beëindigd."), code="already_ended")
        if current["end_requested_at"] is not None:
            return
        await Organisation.update({Organisation.end_requested_at: now()}).where(
            Organisation.id == organisation_id
        )
        await record(
            "member_end_requested",
            actor=actor,
            object_type="organisation",
            object_id=organisation_id,
            client_ip=client_ip,
        )


# --- contacts --------------------------------------------------------------------------


async def add_contact(
    actor: Principal, organisation_id: int, values: Mapping[str, Any], *, client_ip: str = ""
) -> int:
    async with db.write_transaction():
        await member(actor, organisation_id)
        has_primary = await Contact.exists().where(
            (Contact.organisation == organisation_id) & (Contact.is_primary == True)  # noqa: E712
        )
        primary = bool(values.get("is_primary")) or not has_primary
        if primary and has_primary:
            await Contact.update({Contact.is_primary: False}).where(
                Contact.organisation == organisation_id
            )
        contact_id = (
            await Contact.insert(
                Contact(
                    organisation=organisation_id,
                    **{**values, "is_primary": primary},
                    created_at=now(),
                )
            )
        )[0]["id"]
        await record(
            "member_contact_added",
            actor=actor,
            object_type="organisation",
            object_id=organisation_id,
            client_ip=client_ip,
            detail=f"contact {contact_id}",
        )
    return contact_id


async def contact(principal: Principal, organisation_id: int, contact_id: int) -> dict[str, Any]:
    """One contact of a member the principal may see, or NotFound."""
    await member(principal, organisation_id)
    if not 0 < contact_id < 2**31:
        raise NotFound(code="contact_not_found")
    row = await (
        scoped(Contact.select(*CONTACT_COLUMNS), principal, organisation=Contact.organisation)
        .where((Contact.id == contact_id) & (Contact.organisation == organisation_id))
        .first()
    )
    if row is None:
        raise NotFound(code="contact_not_found")
    return row


async def update_contact(
    actor: Principal,
    organisation_id: int,
    contact_id: int,
    values: Mapping[str, Any],
    *,
    client_ip: str = "",
) -> None:
    async with db.write_transaction():
        await member(actor, organisation_id)
        exists = 0 < contact_id < 2**31 and await Contact.exists().where(
            (Contact.id == contact_id) & (Contact.organisation == organisation_id)
        )
        if not exists:
            raise NotFound(code="contact_not_found")
        if values.get("is_primary"):
            await Contact.update({Contact.is_primary: False}).where(
                Contact.organisation == organisation_id
            )
        elif "is_primary" in values:
            values = {k: v for k, v in values.items() if k != "is_primary"}  # keep one primary
        if values:
            await Contact.update({getattr(Contact, k): v for k, v in values.items()}).where(
                Contact.id == contact_id
            )
        await record(
            "member_contact_updated",
            actor=actor,
            object_type="organisation",
            object_id=organisation_id,
            client_ip=client_ip,
            detail=f"contact {contact_id}",
        )


async def remove_contact(
    actor: Principal, organisation_id: int, contact_id: int, *, client_ip: str = ""
) -> str:
    """Remove a contact of a member the actor may see; returns its name. The primary
    contact stays until another one is made primary: a member always has one to talk to."""
    async with db.write_transaction():
        await member(actor, organisation_id)  # 404 outside the scope
        row = (
            await Contact.select(Contact.id, Contact.name, Contact.is_primary)
            .where((Contact.id == contact_id) & (Contact.organisation == organisation_id))
            .first()
            if 0 < contact_id < 2**31
            else None
        )
        if row is None:
            raise NotFound(code="contact_not_found")
        if row["is_primary"]:
            raise Conflict(
                _(
                    "Dit is de eerste contactpersoon. Maak eerst een andere contactpersoon de "
                    "eerste; daarna kunt u deze verwijderen."
                ),
                code="primary_contact",
            )
        await Contact.delete().where(Contact.id == contact_id)
        await record(
            "member_contact_removed",
            actor=actor,
            object_type="organisation",
            object_id=organisation_id,
            client_ip=client_ip,
            detail=f"contact {contact_id}",
        )
    return row["name"]
