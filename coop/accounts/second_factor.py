"""The second factor's state in the database: enrolment, login codes, recovery codes, reset."""

from __future__ import annotations

from typing import Literal

from coop.accounts import totp
from coop.accounts.repository import new_stamp, now
from coop.accounts.tables import RecoveryCode, User


async def check_login_code(user_id: int, code: str) -> Literal["totp", "recovery"] | None:
    """Accept a TOTP code (each time step once) or an unused recovery code."""
    user = (
        await User.select(User.totp_secret, User.totp_last_step).where(User.id == user_id).first()
    )
    if not user or not user["totp_secret"]:
        return None
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) == 6 and len(code.replace(" ", "")) == 6:
        step = totp.accepted_step(user["totp_secret"], digits, user["totp_last_step"])
        if step is None:
            return None
        # Only one request can move the step forward: a code raced twice is used once.
        moved = (
            await User.update({User.totp_last_step: step})
            .where(
                (User.id == user_id)
                & ((User.totp_last_step.is_null()) | (User.totp_last_step < step))
            )
            .returning(User.id)
        )
        return "totp" if moved else None
    code_hash = totp.hash_recovery_code(code)
    used = (
        await RecoveryCode.update({RecoveryCode.used_at: now()})
        .where(
            (RecoveryCode.user == user_id)
            & (RecoveryCode.code_hash == code_hash)
            & (RecoveryCode.used_at.is_null())
        )
        .returning(RecoveryCode.id)
    )
    return "recovery" if used else None


async def recovery_codes_left(user_id: int) -> int:
    return await RecoveryCode.count().where(
        (RecoveryCode.user == user_id) & (RecoveryCode.used_at.is_null())
    )


async def enable(user_id: int, secret: str, step: int) -> tuple[list[str], str]:
    """Store a confirmed secret and fresh recovery codes; returns the codes (shown once)
    and the new security stamp (other sessions of this user end)."""
    codes = totp.new_recovery_codes()
    stamp = new_stamp()
    await User.update(
        {
            User.totp_secret: secret,
            User.totp_enabled_at: now(),
            User.totp_last_step: step,
            User.security_stamp: stamp,
        }
    ).where(User.id == user_id)
    await RecoveryCode.delete().where(RecoveryCode.user == user_id)
    await RecoveryCode.insert(
        *[
            RecoveryCode(user=user_id, code_hash=totp.hash_recovery_code(c), created_at=now())
            for c in codes
        ]
    )
    return codes, stamp


async def reset(user_id: int) -> None:
    """Remove the second factor; the user enrols again at the next login. Ends every session."""
    await User.update(
        {
            User.totp_secret: None,
            User.totp_enabled_at: None,
            User.totp_last_step: None,
            User.security_stamp: new_stamp(),
        }
    ).where(User.id == user_id)
    await RecoveryCode.delete().where(RecoveryCode.user == user_id)
