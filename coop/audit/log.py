"""Writing the audit log: one call, in the caller's transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from coop.audit.tables import AuditEvent

if TYPE_CHECKING:
    from coop.accounts.principal import Principal


async def record(
    action: str,
    *,
    actor: Principal | None = None,
    actor_email: str = "",
    object_type: str = "",
    object_id: int | str | None = None,
    client_ip: str = "",
    detail: str = "",
) -> None:
    """Append one event. Call it inside the transaction of the change it records, so the
    change and its record commit or roll back together. ``detail`` must never hold
    special-category values or secrets."""
    await AuditEvent.insert(
        AuditEvent(
            at=datetime.now(UTC),
            actor_id=actor.user_id if actor else None,
            actor_email=actor.email if actor else actor_email,
            action=action,
            object_type=object_type,
            object_id="" if object_id is None else str(object_id),
            client_ip=client_ip[:45],
            detail=detail[:2000],
        )
    )
