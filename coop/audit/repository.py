"""Queries of the audit viewer: reading the log, filtered, newest first.

The log is append-only; this module only reads it (writing is :func:`coop.audit.log.record`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from piccolo.columns.combination import Where, WhereRaw

from coop.audit.tables import AuditEvent

# The cooperative's days: a filter "from 1 March" means from midnight in the Netherlands.
LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")

COLUMNS = (
    AuditEvent.id,
    AuditEvent.at,
    AuditEvent.actor_id,
    AuditEvent.actor_email,
    AuditEvent.action,
    AuditEvent.object_type,
    AuditEvent.object_id,
    AuditEvent.client_ip,
    AuditEvent.detail,
)


class AuditFilter(msgspec.Struct, frozen=True, kw_only=True):
    """What the viewer filters on; empty values filter nothing."""

    actor_email: str = ""  # contains, case-insensitive
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None  # inclusive, a day in the Netherlands
    date_to: date | None = None  # inclusive


def _day_start(day: date) -> datetime:
    """Midnight of a Dutch day, in UTC (as the column stores it on both engines)."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_ZONE).astimezone(UTC)


def _like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(filters: AuditFilter) -> list[Where | WhereRaw]:
    conditions: list[Where | WhereRaw] = []
    if filters.actor_email:
        # Typed text is a literal: % and _ match only themselves.
        conditions.append(
            WhereRaw("lower(actor_email) LIKE {} ESCAPE '\\'", _like_pattern(filters.actor_email))
        )
    if filters.action:
        conditions.append(AuditEvent.action == filters.action)  # type: ignore[arg-type]
    if filters.object_type:
        conditions.append(AuditEvent.object_type == filters.object_type)  # type: ignore[arg-type]
    if filters.object_id:
        conditions.append(AuditEvent.object_id == filters.object_id)  # type: ignore[arg-type]
    if filters.date_from:
        conditions.append(AuditEvent.at >= _day_start(filters.date_from))  # type: ignore[arg-type]
    if filters.date_to:
        end = _day_start(filters.date_to + timedelta(days=1))
        conditions.append(AuditEvent.at < end)  # type: ignore[arg-type]
    return conditions


def _where(query: Any, filters: AuditFilter) -> Any:
    for condition in _conditions(filters):
        query = query.where(condition)
    return query


async def count_events(filters: AuditFilter) -> int:
    return await _where(AuditEvent.count(), filters)


async def list_events(filters: AuditFilter, *, limit: int, offset: int) -> list[dict[str, Any]]:
    """One page of events, newest first."""
    return await (
        _where(AuditEvent.select(*COLUMNS), filters)
        .order_by(AuditEvent.at, AuditEvent.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )


async def iter_events(filters: AuditFilter, *, batch: int = 1000) -> AsyncIterator[dict[str, Any]]:
    """Every matching event, newest first, in batches (for the CSV export). Keyed on the id,
    so events written meanwhile neither repeat nor shift a row."""
    last_id: int | None = None
    while True:
        query = _where(AuditEvent.select(*COLUMNS), filters)
        if last_id is not None:
            query = query.where(AuditEvent.id < last_id)
        rows = await query.order_by(AuditEvent.id, ascending=False).limit(batch)
        for row in rows:
            yield row
        if len(rows) < batch:
            return
        last_id = rows[-1]["id"]


async def distinct_values(column: str) -> list[str]:
    """The values of ``action`` or ``object_type`` the log holds, for the filter's choices."""
    target = {"action": AuditEvent.action, "object_type": AuditEvent.object_type}[column]
    rows = await AuditEvent.select(target).distinct().where(target != "")  # type: ignore[arg-type]
    return sorted(str(row[column]) for row in rows)
