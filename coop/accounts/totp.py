"""The second factor: TOTP (RFC 6238) with pyotp, its QR code as inline SVG with segno,
and one-time recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
import time

import pyotp
import segno

ISSUER = "Coöperatie Inclusief Werk"
STEP_S = 30
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes (l/1, o/0, i)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret, interval=STEP_S).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str, title: str) -> str:
    """The QR code as an inline <svg> (no external image, so the CSP stays strict)."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(
        buffer,
        kind="svg",
        scale=5,
        border=2,
        xmldecl=False,
        svgns=True,
        title=title,
        svgclass="qr-code",
        lineclass=None,
        omitsize=False,
    )
    return buffer.getvalue().decode()


def accepted_step(
    secret: str, code: str, last_step: int | None, now: float | None = None
) -> int | None:
    """The time step the code belongs to, if valid and newer than ``last_step``.

    One step of clock drift either way is allowed. A step at or before the last accepted
    one is refused, so an intercepted code cannot be replayed.
    """
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    now = time.time() if now is None else now
    totp = pyotp.TOTP(secret, interval=STEP_S)
    current = int(now // STEP_S)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            if last_step is not None and step <= last_step:
                return None
            return step
    return None


def new_recovery_codes() -> list[str]:
    return [
        "-".join("".join(secrets.choice(_ALPHABET) for _ in range(5)) for _ in range(2))
        for _ in range(RECOVERY_CODES)
    ]


def normalise_recovery_code(code: str) -> str:
    cleaned = "".join(ch for ch in code.lower() if ch in _ALPHABET)
    return f"{cleaned[:5]}-{cleaned[5:]}" if len(cleaned) == 10 else cleaned


def hash_recovery_code(code: str) -> str:
    # Recovery codes have about 49 bits of entropy and are single-use; a fast hash with a
    # pepper-free digest is enough next to the login throttle.
    return hashlib.sha256(normalise_recovery_code(code).encode()).hexdigest()
