"""Server-side sessions, kept in a Litestar store (memory for one process, Redis otherwise).

Litestar keeps the id a client sent when a session is cleared and set again, so the
session here is our own: :meth:`Session.rotate` gives a new id and deletes the old one
(at login and at every privilege change). The cookie holds only a random id; the store
key is its SHA-256, so a copy of the store holds no usable cookie.
"""

from __future__ import annotations

import hashlib
import secrets
import time

import msgspec

IDLE_TIMEOUT_S = 30 * 60
ABSOLUTE_TIMEOUT_S = 12 * 60 * 60
# Sliding the idle timeout costs a store write; once a minute is precise enough.
TOUCH_INTERVAL_S = 60


class SessionData(msgspec.Struct, kw_only=True):
    csrf: str
    created: float
    seen: float
    user_id: int | None = None
    stamp: str | None = None
    # When the password was accepted, and whether the second factor followed.
    authenticated_at: float | None = None
    second_factor: bool = False
    # A TOTP secret being enrolled: kept here until a code confirms it.
    enrol_secret: str | None = None
    # A token just made, kept server-side only until the next page shows it once
    # (so a reload of that page cannot make a second token).
    new_token: str | None = None
    flash: list[tuple[str, str]] = msgspec.field(default_factory=list)


class Session:
    """The session of one request. Created lazily: a page that never starts one sets no cookie."""

    def __init__(self, session_id: str | None, data: SessionData | None) -> None:
        self.id = session_id
        self.data = data
        self.dirty = False
        self.new_id = False
        self.destroyed = False
        self.old_ids: list[str] = []

    @property
    def exists(self) -> bool:
        return self.data is not None and not self.destroyed

    def ensure(self) -> SessionData:
        """The session's data, starting a session if there is none."""
        if self.data is None or self.destroyed:
            now = time.time()
            if self.id:
                self.old_ids.append(self.id)
            self.id = new_session_id()
            self.data = SessionData(csrf=secrets.token_urlsafe(32), created=now, seen=now)
            self.destroyed = False
            self.new_id = True
            self.dirty = True
        return self.data

    def rotate(self) -> None:
        """A new id for the same data (and a new CSRF token); the old id stops working."""
        data = self.ensure()
        if self.id and not self.new_id:
            self.old_ids.append(self.id)
        self.id = new_session_id()
        data.csrf = secrets.token_urlsafe(32)
        self.new_id = True
        self.dirty = True

    def destroy(self) -> None:
        if self.id:
            self.old_ids.append(self.id)
        self.id = None
        self.data = None
        self.destroyed = True

    def flash(self, kind: str, message: str) -> None:
        self.ensure().flash.append((kind, message))
        self.dirty = True

    def pop_flash(self) -> list[tuple[str, str]]:
        if not self.exists or not self.data or not self.data.flash:
            return []
        messages, self.data.flash = self.data.flash, []
        self.dirty = True
        return messages


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def store_key(session_id: str) -> str:
    return "session:" + hashlib.sha256(session_id.encode()).hexdigest()


def encode(data: SessionData) -> bytes:
    return msgspec.json.encode(data)


def decode(raw: bytes | None, now: float) -> SessionData | None:
    """The stored data, or None when missing, unreadable or past a timeout."""
    if not raw:
        return None
    try:
        data = msgspec.json.decode(raw, type=SessionData)
    except msgspec.DecodeError:
        return None
    if now - data.created > ABSOLUTE_TIMEOUT_S or now - data.seen > IDLE_TIMEOUT_S:
        return None
    return data
