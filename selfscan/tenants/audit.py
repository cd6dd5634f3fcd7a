"""What the tenant back office tells its host's audit log.

``selfscan`` keeps no audit log of its own and imports nothing from its host: the host
hands the back-office controllers a :data:`TenantAuditWriter` by dependency injection
(``dependencies={"tenant_audit": Provide(...)}``; the cooperative's is
:func:`coop.accounts.tenant_bridge.provide_tenant_audit`). The controllers call it inside
the transaction of the change, so a change and its record commit or roll back together.

A change names the fields that changed, never their values: a tenant's contact details
are personal data, and the audit log is read by more people than the settings are.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

import msgspec

TENANT_CREATED = "tenant_created"
TENANT_UPDATED = "tenant_updated"
TENANT_SETTINGS_CHANGED = "tenant_settings_changed"
TENANT_LOGO_SET = "tenant_logo_set"
TENANT_LOGO_REMOVED = "tenant_logo_removed"


class TenantChange(msgspec.Struct, frozen=True, kw_only=True):
    action: str
    tenant_id: int
    tenant_slug: str
    fields: tuple[str, ...] = ()


TenantAuditWriter = Callable[[TenantChange], Awaitable[None]]


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    """The names of the fields in ``after`` whose value differs from ``before``, sorted."""
    return tuple(
        sorted(name for name, value in after.items() if _norm(before.get(name)) != _norm(value))
    )


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, Iterable) and not isinstance(value, bytes | Mapping):
        return tuple(value)
    return value


def detail_of(change: TenantChange) -> str:
    """The audit line's detail: the tenant and the names of the fields that changed."""
    text = f"tenant {change.tenant_slug}"
    if change.fields:
        text += ": " + ", ".join(change.fields)
    return text
