"""Queries on personal API tokens: list, create, revoke, count.

Every query that touches one token names its owner as well (``WHERE user = ...``), so a
token id of another user finds nothing. The secret itself is never stored: only its
SHA-256 (:mod:`coop.accounts.tokens`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import msgspec

from coop.accounts import tokens
from coop.accounts.repository import now
from coop.accounts.tables import ApiToken

TokenScope = Literal["read", "write"]
SCOPES: tuple[TokenScope, ...] = ("read", "write")
# A user rarely needs more than a handful; a limit keeps a leaked session from minting many.
MAX_ACTIVE_TOKENS = 25
NAME_MAX_LENGTH = 100

LIST_COLUMNS = (
    ApiToken.id,
    ApiToken.name,
    ApiToken.prefix,
    ApiToken.scope,
    ApiToken.created_at,
    ApiToken.expires_at,
    ApiToken.revoked_at,
    ApiToken.last_used_at,
)


class CreatedToken(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    token: str  # the full token: shown once, never stored
    prefix: str
    name: str
    scope: TokenScope
    expires_at: datetime


def widest_scope(scopes: list[str] | tuple[str, ...]) -> TokenScope:
    """``write`` implies ``read``: the widest scope asked for; ``read`` when none is."""
    return "write" if "write" in scopes else "read"


def status_of(
    row: dict[str, Any], at: datetime | None = None
) -> Literal["active", "expired", "revoked"]:
    if row["revoked_at"] is not None:
        return "revoked"
    if row["expires_at"] <= (at or now()):
        return "expired"
    return "active"


async def tokens_of(user_id: int) -> list[dict[str, Any]]:
    """The user's tokens, newest first."""
    return (
        await ApiToken.select(*LIST_COLUMNS)
        .where(ApiToken.user == user_id)
        .order_by(ApiToken.created_at, ascending=False)
        .order_by(ApiToken.id, ascending=False)
    )


async def token_of(user_id: int, token_id: int) -> dict[str, Any] | None:
    return (
        await ApiToken.select(*LIST_COLUMNS)
        .where((ApiToken.id == token_id) & (ApiToken.user == user_id))
        .first()
    )


async def count_active(user_id: int, at: datetime | None = None) -> int:
    return await ApiToken.count().where(
        (ApiToken.user == user_id)
        & ApiToken.revoked_at.is_null()
        & (ApiToken.expires_at > (at or now()))
    )


async def create(*, user_id: int, name: str, scope: TokenScope, days: int) -> CreatedToken:
    """Store a new token for ``user_id``; the returned struct holds the only copy of the
    secret. Call inside the write transaction that also records the audit event."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    made = tokens.make_token()
    created = now()
    expires = tokens.expiry(days, created)
    rows = await ApiToken.insert(
        ApiToken(
            user=user_id,
            name=name[:NAME_MAX_LENGTH],
            prefix=made.prefix,
            token_hash=made.token_hash,
            scope=scope,
            created_at=created,
            expires_at=expires,
        )
    )
    return CreatedToken(
        id=rows[0]["id"],
        token=made.token,
        prefix=made.prefix,
        name=name,
        scope=scope,
        expires_at=expires,
    )


async def revoke(*, user_id: int, token_id: int) -> dict[str, Any] | None:
    """Revoke the user's own token: its id, name and prefix, with ``already`` true when
    it was revoked before; None when the user has no token with this id."""
    revoked = (
        await ApiToken.update({ApiToken.revoked_at: now()})
        .where(
            (ApiToken.id == token_id) & (ApiToken.user == user_id) & ApiToken.revoked_at.is_null()
        )
        .returning(ApiToken.id, ApiToken.name, ApiToken.prefix)
    )
    if revoked:
        return {**revoked[0], "already": False}
    existing = await token_of(user_id, token_id)
    if existing is None:
        return None
    return {**existing, "already": True}
