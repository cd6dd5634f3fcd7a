"""Personal API tokens: ``coop_<prefix>_<secret>``, shown once, stored as a SHA-256 hash.

A token is long and random, so a fast hash is enough (unlike a password); the prefix
finds the row without comparing secrets.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

import msgspec

TOKEN_PREFIX = "coop"  # noqa: S105 - a label, not a secret
DEFAULT_DAYS = 90
MAX_DAYS = 366
# Recording last use costs a write; once a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class NewToken(msgspec.Struct, frozen=True):
    token: str  # shown once, never stored
    prefix: str
    token_hash: str


def make_token() -> NewToken:
    prefix = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    return NewToken(token=token, prefix=prefix, token_hash=hash_token(token))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def split_token(token: str) -> str | None:
    """The prefix of a well-formed token, else None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != 12 or len(parts[2]) < 32:
        return None
    return parts[1]


def matches(token: str, token_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), token_hash)


def expiry(days: int, now: datetime | None = None) -> datetime:
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"a token lives 1 to {MAX_DAYS} days")
    return (now or datetime.now(UTC)) + timedelta(days=days)
