"""The scan link's token: 192 random bits in the URL, only their SHA-256 in the database.

Whoever has the link can read and change the scan, so the token is the credential:
``secrets.token_urlsafe(24)``, 32 URL-safe characters. The database keeps the hex SHA-256
of it, never the token itself: a leaked copy of the database then opens no live scan, and
the token cannot be read back from it (a plain hash suffices: the token is random, not a
password that could be guessed from a list). A token of another shape is refused before
any query, so a tampered link costs nothing.
"""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN_BYTES = 24
TOKEN_LENGTH = 32  # characters of token_urlsafe(24)
_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32}$")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def well_formed(token: str) -> bool:
    return bool(_SHAPE.fullmatch(token))
