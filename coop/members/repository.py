"""Queries of the member registry: the one place that reads and writes its tables.

Every read is scoped by the principal (:mod:`coop.accounts.scoping`): a member sees only
its own organisation, a WSP user none, the cooperative's staff all. An organisation
outside that scope does not exist for the caller (:class:`coop.errors.NotFound`).
"""

from __future__ import annotations

from typing import Any

from coop.accounts.principal import Principal
from coop.accounts.scoping import get_visible, scoped
from coop.members.tables import Organisation

SUMMARY_COLUMNS = (Organisation.id, Organisation.name)


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
