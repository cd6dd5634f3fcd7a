"""One-time links for invitations and password resets.

The link carries a random token (32 bytes, URL-safe); the database keeps only its
SHA-256, so a copy of the database opens no account. A link works once, until it
expires; a new link of the same purpose makes the user's older unused ones stop working,
and using a link ends every other open link of that user.

Lifetimes: an invitation 72 hours (people do not always read mail the same day), a
reset 2 hours (whoever asks for one is waiting for it).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from typing import Any, Literal

from coop.accounts import user_admin_repository as repo
from coop.accounts.repository import now as utc_now

Purpose = Literal["invite", "reset"]
INVITE: Purpose = "invite"
RESET: Purpose = "reset"
PURPOSES: tuple[Purpose, ...] = (INVITE, RESET)
LIFETIMES: dict[str, timedelta] = {INVITE: timedelta(hours=72), RESET: timedelta(hours=2)}
TOKEN_BYTES = 32
PATH_PREFIX = "/wachtwoord-instellen/"

# token_urlsafe(32) gives 43 characters; anything else is not one of ours.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def well_formed(token: str) -> bool:
    return bool(_TOKEN_SHAPE.fullmatch(token))


def path_for(token: str) -> str:
    return PATH_PREFIX + token


def url_for(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + path_for(token)


def usable(link: dict[str, Any], when: datetime) -> bool:
    """Not used, not expired, and the account is still active."""
    return link["used_at"] is None and link["expires_at"] > when and bool(link["active"])


async def create(
    user_id: int, purpose: Purpose, *, created_by: int | None = None, when: datetime | None = None
) -> tuple[str, datetime]:
    """A new link; returns the token (only ever in the mail) and when it expires.

    Call inside the write transaction that also queues the mail."""
    when = when or utc_now()
    expires_at = when + LIFETIMES[purpose]
    await repo.expire_open_links(user_id, (purpose,), when)
    token = new_token()
    await repo.insert_link(
        user_id=user_id,
        purpose=purpose,
        token_hash=hash_token(token),
        created_at=when,
        expires_at=expires_at,
        created_by=created_by,
    )
    return token, expires_at


async def find(token: str, when: datetime | None = None) -> dict[str, Any] | None:
    """The usable link for ``token`` with its user (id, email, name), or None; unknown,
    used and expired links are all None, so the answer tells nothing more."""
    if not well_formed(token):
        return None
    link = await repo.link_by_hash(hash_token(token))
    if link is None or not usable(link, when or utc_now()):
        return None
    return link


async def consume(token: str, when: datetime | None = None) -> dict[str, Any] | None:
    """Use the link once: returns it, or None when it is not (or no longer) usable.

    Call inside the write transaction that also makes the change the link allows; every
    other open link of the user stops working with it."""
    when = when or utc_now()
    link = await find(token, when)
    if link is None or not await repo.mark_link_used(link["id"], when):
        return None
    await repo.expire_open_links(link["user_id"], PURPOSES, when, except_id=link["id"])
    return link
