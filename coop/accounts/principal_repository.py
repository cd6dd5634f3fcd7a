"""The two queries every signed-in request runs: the session's user, and an API token
with its user. Both are checked afresh on every request (a deactivated user or a revoked
token stops at the next request), so they are written to be cheap: one round trip each,
as fixed SQL (building it with Piccolo's query builder cost more than running it), with
the same columns as :data:`coop.accounts.repository.USER_COLUMNS`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from piccolo.querystring import QueryString

from coop import db
from coop.accounts.tables import ApiToken, User
from selfscan.tenants.tables import Tenant

_USER_FIELDS = (
    'u."id", u."email", u."name", u."role", u."organisation", u."tenant", '
    't."slug" AS "tenant_slug", u."active", u."security_stamp", u."totp_enabled_at", '
    'u."language"'
)


@cache
def _user_sql() -> str:
    # Only our own table names go into the text; every value is a parameter.
    return (
        f"SELECT {_USER_FIELDS} "  # noqa: S608
        f'FROM "{User._meta.tablename}" u '
        f'LEFT JOIN "{Tenant._meta.tablename}" t ON t."id" = u."tenant" '
        'WHERE u."id" = {}'
    )


@cache
def _token_sql() -> str:
    return (
        'SELECT k."id" AS "token_id", k."token_hash", k."scope", k."expires_at", '  # noqa: S608
        f'k."revoked_at", k."last_used_at", {_USER_FIELDS} '
        f'FROM "{ApiToken._meta.tablename}" k '
        f'JOIN "{User._meta.tablename}" u ON u."id" = k."user" '
        f'LEFT JOIN "{Tenant._meta.tablename}" t ON t."id" = u."tenant" '
        'WHERE k."prefix" = {}'
    )


async def _first(sql: str, *args: Any) -> dict[str, Any] | None:
    rows = await db.engine().run_querystring(QueryString(sql, *args), in_pool=True)
    if not rows:
        return None
    row = dict(rows[0])
    # SQLite hands booleans back as stored when the engine cannot tell the type.
    row["active"] = bool(row["active"])
    return row


async def session_user(user_id: int) -> dict[str, Any] | None:
    """The user a session names, with its tenant's slug; None when there is none."""
    if not 0 < user_id < 2**63:
        return None
    return await _first(_user_sql(), user_id)


async def token_and_user(prefix: str) -> dict[str, Any] | None:
    """The token with this prefix and its user's columns (the token's own id as
    ``token_id``); None when there is none. The caller checks the secret, expiry,
    revocation and whether the user is active."""
    return await _first(_token_sql(), prefix)
