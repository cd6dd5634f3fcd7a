"""The one scoping helper every repository uses.

A record belongs to an organisation, to a tenant, or to neither (the cooperative's own).
Each role sees: admin and coordinator everything of the cooperative and its members;
admin also every tenant; a member only its own organisation; a WSP user only its own
tenant. What a principal may not see simply does not exist for it: the query finds
nothing, and the caller answers 404, never 403, so nothing leaks.
"""

from __future__ import annotations

from typing import Any, TypeVar

from piccolo.columns import BigInt, BigSerial, Column, Integer, Serial
from piccolo.columns.combination import Where
from piccolo.query import Objects, Select
from piccolo.table import Table

from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.errors import NotFound

Q = TypeVar("Q", Select, Objects)  # type: ignore[type-arg]


def _fits(table: type[Table], record_id: int) -> bool:
    """Whether ``record_id`` can be an id of ``table`` at all. An id from a URL may be
    any integer; one beyond the column's range makes the database raise (PostgreSQL's
    integer, SQLite's 64 bits), which must be a 404 like any other unknown id."""
    primary_key = table._meta.primary_key
    if not isinstance(primary_key, Integer | Serial):
        return True
    bits = 63 if isinstance(primary_key, BigInt | BigSerial) else 31
    return 0 < record_id < 2**bits


def _nothing(table: type[Table]) -> Where:
    return table._meta.primary_key < 0  # type: ignore[return-value]


def visibility(
    principal: Principal,
    table: type[Table],
    *,
    organisation: Column | None = None,
    tenant: Column | None = None,
) -> Where | None:
    """The condition that limits ``table`` to what ``principal`` may see; None for all.

    ``organisation`` and ``tenant`` name the columns through which a row belongs to a
    member organisation or a WSP tenant (pass the primary key for the table itself).
    """
    role = principal.role
    if organisation is not None:
        if role in (Role.ADMIN, Role.COORDINATOR):
            return None
        if role == Role.MEMBER and principal.organisation_id is not None:
            return organisation == principal.organisation_id  # type: ignore[return-value]
        return _nothing(table)
    if tenant is not None:
        if role == Role.ADMIN:
            return None
        if role == Role.WSP and principal.tenant_id is not None:
            return tenant == principal.tenant_id  # type: ignore[return-value]
        return _nothing(table)
    # The cooperative's own records: its staff only.
    return None if role.staff else _nothing(table)


def scoped(
    query: Q,
    principal: Principal,
    *,
    organisation: Column | None = None,
    tenant: Column | None = None,
) -> Q:
    table = query.table
    condition = visibility(principal, table, organisation=organisation, tenant=tenant)
    return query.where(condition) if condition is not None else query


async def get_visible(
    query: Select,  # type: ignore[type-arg]
    principal: Principal,
    record_id: int,
    *,
    organisation: Column | None = None,
    tenant: Column | None = None,
    what: str = "record",
) -> dict[str, Any]:
    """One row by id, or :class:`NotFound` when it is missing or not the principal's to see."""
    table = query.table
    if not _fits(table, record_id):
        raise NotFound(code=f"{what}_not_found")
    row = (
        await scoped(query, principal, organisation=organisation, tenant=tenant)
        .where(table._meta.primary_key == record_id)
        .first()
    )
    if row is None:
        raise NotFound(code=f"{what}_not_found")
    return row
