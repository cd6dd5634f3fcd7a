"""Password hashing (argon2id, off the event loop) and the password policy.

The policy follows NIST SP 800-63B: a minimum length, a check against common passwords
and against the account's own context, and no composition rules.
"""

from __future__ import annotations

import asyncio
import os
import string
from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 256  # long enough for any passphrase, short enough to bound hashing work
_EDGE = string.digits + string.punctuation + " "
_CONTEXT_WORDS = ("cooperatie", "coöperatie", "inclusief", "inclusiefwerk", "banenafspraak")


@cache
def _hasher() -> PasswordHasher:
    if os.environ.get("COOP_ENV") == "test":
        # Tests check behaviour, not cost; the production parameters are argon2's defaults.
        return PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    return PasswordHasher()


@cache
def common_passwords() -> frozenset[str]:
    text = (files("coop.accounts") / "data" / "common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def policy_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """The Dutch reason why ``password`` is refused, or None when it is acceptable."""
    from coop.web.i18n import gettext as _

    if len(password) < MIN_LENGTH:
        return _("Kies een wachtwoord van minstens %(min)s tekens.", min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Kies een wachtwoord van hoogstens %(max)s tekens.", max=MAX_LENGTH)
    lowered = password.lower()
    common = common_passwords()
    core = lowered.strip(_EDGE)
    if (
        lowered in common
        or len(set(lowered)) < 4
        or (len(core) >= 6 and core in common)
        or any(word in lowered for word in _CONTEXT_WORDS)
    ):
        return _(
            "Dit wachtwoord is te makkelijk te raden: het staat in een lijst van veelgebruikte "
            "wachtwoorden. Kies bijvoorbeeld een zin van een paar losse woorden."
        )
    local_part = email.split("@", 1)[0].lower()
    parts = [local_part, *name.lower().split()]
    if any(len(part) >= 4 and part in lowered for part in parts):
        return _("Gebruik uw naam of e-mailadres niet in uw wachtwoord.")
    return None


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher().hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant work whether or not the account exists: a missing hash is checked
    against a dummy, so timing does not tell which accounts exist."""
    target = password_hash or _dummy_hash()
    try:
        ok = await asyncio.to_thread(_hasher().verify, target, password)
    except (VerificationError, InvalidHashError):
        return False
    return bool(ok) and password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


@cache
def _dummy_hash() -> str:
    return _hasher().hash("not-a-real-password-" + os.urandom(8).hex())
