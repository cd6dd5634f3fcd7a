"""Writing mail to the outbox, and reading it back for the admins' outbox view.

:func:`enqueue` only inserts a row: when the caller has a transaction open, Piccolo runs
the insert in it, so the mail exists exactly when the change that caused it does. The
background sender (:mod:`coop.mail.sender`) delivers it later.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import msgspec
from piccolo.query.functions.aggregate import Count

from coop import db
from coop.errors import Conflict, FieldError, NotFound, ValidationFailed
from coop.mail.sender import wake
from coop.mail.tables import OutboxMail

QUEUED = "queued"
SENT = "sent"
FAILED = "failed"
STATUSES = (QUEUED, SENT, FAILED)

MAX_RECIPIENT_LENGTH = 320
MAX_SUBJECT_LENGTH = 300
MAX_KIND_LENGTH = 50
MAX_PAGE_SIZE = 200

# Deliberately loose: one @, no spaces or characters that would make it a list or a
# display name, and a dotted domain. Whether the mailbox exists only the server knows.
_SPECIAL = r"\s@<>(),;:\"\[\]\\"
_ADDRESS = re.compile(rf"^[^{_SPECIAL}]+@(?:[^{_SPECIAL}.]+\.)+[^{_SPECIAL}.]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class MailSummary(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    status: str
    recipient: str
    subject: str
    kind: str
    attempts: int
    last_error: str
    created_at: datetime.datetime
    next_attempt_at: datetime.datetime
    sent_at: datetime.datetime | None


class MailDetail(MailSummary, frozen=True, kw_only=True):
    body_text: str
    body_html: str | None


class MailList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[MailSummary]
    total: int
    limit: int
    offset: int


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def valid_address(address: str) -> bool:
    if len(address) > MAX_RECIPIENT_LENGTH or _CONTROL.search(address):
        return False
    if not _ADDRESS.fullmatch(address):
        return False
    local = address.rpartition("@")[0]
    return not (local.startswith(".") or local.endswith(".") or ".." in local)


def _check(recipient: str, subject: str, body_text: str, kind: str) -> list[FieldError]:
    errors = []
    if not valid_address(recipient):
        errors.append(FieldError("recipient", "Dit is geen geldig e-mailadres."))
    if not subject.strip():
        errors.append(FieldError("subject", "Het onderwerp ontbreekt."))
    elif "\r" in subject or "\n" in subject:
        # A line break in a header would let the text add headers of its own.
        errors.append(FieldError("subject", "Het onderwerp mag geen regeleinde bevatten."))
    elif len(subject) > MAX_SUBJECT_LENGTH:
        errors.append(
            FieldError(
                "subject", f"Het onderwerp is te lang (hoogstens {MAX_SUBJECT_LENGTH} tekens)."
            )
        )
    if not body_text.strip():
        errors.append(FieldError("body_text", "De tekst van het bericht ontbreekt."))
    if len(kind) > MAX_KIND_LENGTH:
        errors.append(FieldError("kind", f"Hoogstens {MAX_KIND_LENGTH} tekens."))
    return errors


async def enqueue(
    recipient: str,
    subject: str,
    body_text: str,
    *,
    body_html: str | None = None,
    kind: str = "",
) -> int:
    """Put a mail in the outbox and return its id.

    Runs in the caller's open transaction, if any: a rollback takes the mail with it.
    Raises :class:`ValidationFailed` for an address that cannot be one.
    """
    recipient = recipient.strip()
    errors = _check(recipient, subject, body_text, kind)
    if errors:
        raise ValidationFailed(errors)
    now = _now()
    rows = await OutboxMail.insert(
        OutboxMail(
            status=QUEUED,
            recipient=recipient,
            subject=subject,
            body_text=body_text,
            body_html=body_html or None,
            kind=kind,
            attempts=0,
            next_attempt_at=now,
            locked_until=None,
            last_error="",
            created_at=now,
            sent_at=None,
        )
    ).returning(OutboxMail.id)
    # Possibly before the caller commits: the sender then finds nothing yet, or on SQLite
    # waits for the write lock, and the mail goes on its next pass. Either way harmless.
    wake()
    return rows[0]["id"]


_SUMMARY_COLUMNS = (
    OutboxMail.id,
    OutboxMail.status,
    OutboxMail.recipient,
    OutboxMail.subject,
    OutboxMail.kind,
    OutboxMail.attempts,
    OutboxMail.last_error,
    OutboxMail.created_at,
    OutboxMail.next_attempt_at,
    OutboxMail.sent_at,
)


def _status_filter(status: str | None) -> Any:
    if status is None:
        return None
    if status not in STATUSES:
        raise ValidationFailed(
            [FieldError("status", "Kies queued, sent of failed.")],
        )
    return OutboxMail.status == status


async def list_mail(status: str | None = None, limit: int = 50, offset: int = 0) -> MailList:
    """Newest first, without bodies (they may hold links that act as passwords)."""
    if not 1 <= limit <= MAX_PAGE_SIZE or offset < 0:
        raise ValidationFailed(
            [
                FieldError(
                    "limit",
                    f"Kies een limiet van 1 tot {MAX_PAGE_SIZE} en een offset van 0 of meer.",
                )
            ]
        )
    where = _status_filter(status)
    query = OutboxMail.select(*_SUMMARY_COLUMNS).order_by(OutboxMail.id, ascending=False)
    count = OutboxMail.count()
    if where is not None:
        query = query.where(where)
        count = count.where(where)
    rows = await query.limit(limit).offset(offset)
    total = await count
    return MailList(
        items=[msgspec.convert(row, MailSummary) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


async def count_by_status() -> dict[str, int]:
    """How many mails each status has, every status present (for the view's tabs)."""
    rows = await OutboxMail.select(OutboxMail.status, Count(alias="n")).group_by(OutboxMail.status)
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


async def get_mail(mail_id: int) -> MailDetail:
    """One mail with its bodies; :class:`NotFound` when there is none."""
    row = (
        await OutboxMail.select(*_SUMMARY_COLUMNS, OutboxMail.body_text, OutboxMail.body_html)
        .where(OutboxMail.id == mail_id)
        .first()
    )
    if row is None:
        raise NotFound("Dit bericht staat niet in de uitgaande post.")
    return msgspec.convert(row, MailDetail)


async def requeue(mail_id: int) -> None:
    """Give a failed mail a fresh set of attempts, starting now (an admin's action)."""
    async with db.write_transaction():
        row = await OutboxMail.select(OutboxMail.status).where(OutboxMail.id == mail_id).first()
        if row is None:
            raise NotFound("Dit bericht staat niet in de uitgaande post.")
        if row["status"] != FAILED:
            raise Conflict("Alleen een mislukt bericht kan opnieuw worden verstuurd.")
        await OutboxMail.update(
            {
                OutboxMail.status: QUEUED,
                OutboxMail.attempts: 0,
                OutboxMail.next_attempt_at: _now(),
                OutboxMail.locked_until: None,
                OutboxMail.last_error: "",
            }
        ).where(OutboxMail.id == mail_id)
    wake()
