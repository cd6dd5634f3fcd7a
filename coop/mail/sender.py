"""The background sender: delivers what the outbox holds through ``SMTP_URL``.

One pass (:func:`deliver_due`) claims due mails one at a time, sends each outside any
transaction, and marks it ``sent``, or schedules a retry with back-off, or after
``MAX_ATTEMPTS`` marks it ``failed``. The lifespan runs passes every few seconds, and
sooner when :func:`wake` is called.

Claiming sets ``locked_until`` (a lease) with a conditional UPDATE inside a write
transaction, so two processes never send one mail twice; a sender that dies holding a
lease leaves the mail to be picked up when the lease runs out. Delivery is therefore at
least once: a crash after the server accepted a mail and before it was marked sent
sends it again, with the same Message-ID.

Logs name the mail by id and status only: never the recipient, subject or body.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import logging
import random
import re
from collections.abc import AsyncIterator, Sequence
from typing import Any

import aiosmtplib

from coop import db
from coop.mail import smtp
from coop.mail.tables import OutboxMail
from coop.settings import Settings, SettingsError

logger = logging.getLogger("coop.mail")

# Wait after the n-th failed attempt (the last entry repeats); a relay that is down for
# a day still gets the mail, and one that is down for an hour is not hammered.
BACKOFF: tuple[datetime.timedelta, ...] = tuple(
    datetime.timedelta(seconds=s)
    for s in (30, 2 * 60, 8 * 60, 30 * 60, 2 * 3600, 6 * 3600, 12 * 3600)
)
# After this many failed attempts a mail is marked failed (about 21 hours with BACKOFF).
MAX_ATTEMPTS = 8
# Spread retries so mails that failed together do not all retry in the same second.
JITTER = 0.2
# A claim outlives the SMTP timeout by far, so only a dead sender's claim ever expires.
LEASE = datetime.timedelta(minutes=5)
POLL_INTERVAL_S = 5.0
# After a wake, give the transaction that enqueued the mail a moment to commit.
SETTLE_S = 0.2
# Mails per pass at most, so one pass never runs for long.
BATCH_SIZE = 100
SHUTDOWN_GRACE_S = 5.0
MARK_RETRY_DELAYS_S = (0.5, 2.0)
MAX_ERROR_LENGTH = 200

QUEUED, SENT, FAILED = "queued", "sent", "failed"

# (loop, event) of every running sender in this process; wake() sets them all.
_running: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()


def wake() -> None:
    """Ask every running sender for a pass now. Harmless at any time, even mid-transaction."""
    try:
        current = asyncio.get_running_loop()
    except RuntimeError:
        current = None
    for loop, event in list(_running):
        if loop is current:
            event.set()
        else:
            with contextlib.suppress(RuntimeError):  # that loop is closing
                loop.call_soon_threadsafe(event.set)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def backoff_delay(
    attempts: int,
    backoff: Sequence[datetime.timedelta] = BACKOFF,
    *,
    jitter: float = JITTER,
) -> datetime.timedelta:
    """How long to wait after ``attempts`` failed attempts (1 for the first)."""
    base = backoff[min(max(attempts, 1), len(backoff)) - 1]
    return base * random.uniform(1 - jitter, 1 + jitter)  # noqa: S311 - spread, not secrecy


# Errors of the server, the network or our configuration: the next mail would fail the
# same way, perhaps only after its own timeout, so the pass stops at the first of them.
_SERVER_ERRORS = (
    OSError,  # TimeoutError and ConnectionRefusedError included
    aiosmtplib.SMTPConnectError,
    aiosmtplib.SMTPServerDisconnected,
    aiosmtplib.SMTPTimeoutError,
    aiosmtplib.SMTPHeloError,
    aiosmtplib.SMTPAuthenticationError,
    aiosmtplib.SMTPSenderRefused,
)


def _refused_for_good(exc: BaseException) -> bool:
    """The server refused the recipient with a 5xx: asking again will not help.

    Only recipient refusals count: a 5xx on AUTH or MAIL FROM is our configuration, and
    failing every mail for good over a wrong password would lose them.
    """
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(r.code >= 500 for r in exc.recipients)
    if isinstance(exc, aiosmtplib.SMTPRecipientRefused):
        return exc.code >= 500
    return False


def _short_error(exc: BaseException, config: smtp.SmtpConfig) -> str:
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused) and exc.recipients:
        first = exc.recipients[0]
        text = f"{type(exc).__name__}: {first.code} {first.message}"
    elif isinstance(exc, aiosmtplib.SMTPResponseException):
        text = f"{type(exc).__name__}: {exc.code} {exc.message}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    for secret in config.secrets():
        text = text.replace(secret, "***")
    text = re.sub(r"\s+", " ", text).strip()
    return text[:MAX_ERROR_LENGTH]


def _free(now: datetime.datetime) -> Any:
    return OutboxMail.locked_until.is_null() | (OutboxMail.locked_until < now)


def _due(now: datetime.datetime) -> Any:
    return (OutboxMail.status == QUEUED) & (OutboxMail.next_attempt_at <= now) & _free(now)


async def _claim_one(now: datetime.datetime) -> dict[str, Any] | None:
    """Take the lease on the most overdue free mail, or return None when none is due.

    On PostgreSQL the SELECT skips rows another worker is claiming right now; on both
    engines the UPDATE repeats the conditions and its RETURNING says whether we won, so
    a mail is claimed by one sender only even if the SELECT raced.
    """
    engine = db.engine()
    async with db.write_transaction():
        query = (
            OutboxMail.select(
                OutboxMail.id,
                OutboxMail.recipient,
                OutboxMail.subject,
                OutboxMail.body_text,
                OutboxMail.body_html,
                OutboxMail.attempts,
                OutboxMail.created_at,
            )
            .where(_due(now))
            .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
        )
        if not db.is_sqlite(engine):
            query = query.lock_rows("UPDATE", skip_locked=True)
        row = await query.first()
        if row is None:
            return None
        claimed = await (
            OutboxMail.update({OutboxMail.locked_until: now + LEASE})
            .where((OutboxMail.id == row["id"]) & _due(now))
            .returning(OutboxMail.id)
        )
    return row if claimed else None


async def _persist(query: Any) -> None:
    """Run the UPDATE that records an outcome, trying again on a passing database error.

    Losing the record of a sent mail means sending it again when the lease runs out, so
    a briefly locked or unreachable database is worth a few short waits.
    """
    for delay in MARK_RETRY_DELAYS_S:
        try:
            await query
            return
        except Exception:
            logger.warning("could not record a mail's outcome; retrying", exc_info=True)
            await asyncio.sleep(delay)
    await query


async def _mark_sent(mail_id: int, attempts: int, now: datetime.datetime) -> None:
    await _persist(
        OutboxMail.update(
            {
                OutboxMail.status: SENT,
                OutboxMail.sent_at: now,
                OutboxMail.attempts: attempts,
                OutboxMail.locked_until: None,
                OutboxMail.last_error: "",
            }
        ).where((OutboxMail.id == mail_id) & (OutboxMail.status == QUEUED))
    )


async def _mark_failed_attempt(
    mail_id: int,
    attempts: int,
    error: str,
    now: datetime.datetime,
    *,
    give_up: bool,
    backoff: Sequence[datetime.timedelta],
) -> tuple[str, datetime.datetime | None]:
    values: dict[Any, Any] = {
        OutboxMail.attempts: attempts,
        OutboxMail.last_error: error,
        OutboxMail.locked_until: None,
    }
    next_attempt_at = None
    if give_up:
        values[OutboxMail.status] = FAILED
    else:
        next_attempt_at = now + backoff_delay(attempts, backoff)
        values[OutboxMail.next_attempt_at] = next_attempt_at
    await _persist(
        OutboxMail.update(values).where((OutboxMail.id == mail_id) & (OutboxMail.status == QUEUED))
    )
    return (FAILED if give_up else QUEUED), next_attempt_at


def _config(settings: Settings) -> smtp.SmtpConfig:
    if not settings.smtp_url:
        raise SettingsError("SMTP_URL", "is not set: mail stays in the outbox")
    return smtp.parse_url(settings.smtp_url)


async def _pass(
    settings: Settings,
    config: smtp.SmtpConfig,
    *,
    now: datetime.datetime | None,
    backoff: Sequence[datetime.timedelta],
    max_attempts: int,
    limit: int,
    stop: asyncio.Event | None = None,
) -> int:
    if now is not None and now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    sender_address = smtp.address_of(settings.mail_from)
    sent = 0
    for _ in range(limit):
        if stop is not None and stop.is_set():
            break
        # Real time moves on during a pass; a given ``now`` (tests, back-fills) does not.
        moment = now or _now()
        row = await _claim_one(moment)
        if row is None:
            break
        mail_id, attempts = row["id"], row["attempts"] + 1
        try:
            message = smtp.build_message(
                mail_from=settings.mail_from,
                recipient=row["recipient"],
                subject=row["subject"],
                body_text=row["body_text"],
                body_html=row["body_html"],
                message_id=smtp.message_id(settings.mail_from, mail_id, row["created_at"]),
                date=moment,
            )
            await smtp.send(config, message, sender=sender_address, recipient=row["recipient"])
        except Exception as exc:
            # Anything, a bug in building the message included: one bad mail must use
            # up its own attempts, not stop the sender.
            give_up = _refused_for_good(exc) or attempts >= max_attempts
            status, next_at = await _mark_failed_attempt(
                mail_id,
                attempts,
                _short_error(exc, config),
                now or _now(),
                give_up=give_up,
                backoff=backoff,
            )
            log = logger.error if status == FAILED else logger.warning
            log(
                "mail not delivered",
                extra={
                    "mail_id": mail_id,
                    "status": status,
                    "attempts": attempts,
                    "error": type(exc).__name__,
                    "next_attempt_at": next_at.isoformat() if next_at else None,
                },
            )
            if isinstance(exc, _SERVER_ERRORS):
                break  # the rest waits for a later pass
            continue
        await _mark_sent(mail_id, attempts, now or _now())
        logger.info("mail sent", extra={"mail_id": mail_id, "status": SENT, "attempts": attempts})
        sent += 1
    return sent


async def deliver_due(
    settings: Settings,
    *,
    now: datetime.datetime | None = None,
    backoff: Sequence[datetime.timedelta] = BACKOFF,
    max_attempts: int = MAX_ATTEMPTS,
    limit: int = BATCH_SIZE,
) -> int:
    """One pass over the due mails; returns how many were sent.

    ``now`` (timezone-aware) stands in for the clock, to see what a later pass would do.
    Raises :class:`SettingsError` without ``SMTP_URL``; database errors propagate.
    """
    return await _pass(
        settings,
        _config(settings),
        now=now,
        backoff=backoff,
        max_attempts=max_attempts,
        limit=limit,
    )


async def _run(
    settings: Settings,
    config: smtp.SmtpConfig,
    woken: asyncio.Event,
    stop: asyncio.Event,
    *,
    poll_interval: float,
    settle: float,
    backoff: Sequence[datetime.timedelta],
    max_attempts: int,
) -> None:
    while not stop.is_set():
        try:
            await _pass(
                settings,
                config,
                now=None,
                backoff=backoff,
                max_attempts=max_attempts,
                limit=BATCH_SIZE,
                stop=stop,
            )
        except Exception:
            # A locked or unreachable database: the mails wait in the outbox, try again.
            logger.exception("mail sender pass failed; retrying")
        if stop.is_set():
            break
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(woken.wait(), timeout=poll_interval)
            woken.clear()
            if not stop.is_set():
                await asyncio.sleep(settle)


@contextlib.asynccontextmanager
async def lifespan(
    settings: Settings,
    *,
    poll_interval: float = POLL_INTERVAL_S,
    settle: float = SETTLE_S,
    backoff: Sequence[datetime.timedelta] = BACKOFF,
    max_attempts: int = MAX_ATTEMPTS,
) -> AsyncIterator[None]:
    """Run the sender for the life of the application; nothing without ``SMTP_URL``."""
    if not settings.smtp_url:
        logger.info("SMTP_URL is not set: mail stays in the outbox")
        yield
        return
    config = smtp.parse_url(settings.smtp_url)
    loop = asyncio.get_running_loop()
    woken, stop = asyncio.Event(), asyncio.Event()
    entry = (loop, woken)
    task = asyncio.create_task(
        _run(
            settings,
            config,
            woken,
            stop,
            poll_interval=poll_interval,
            settle=settle,
            backoff=backoff,
            max_attempts=max_attempts,
        ),
        name="coop-mail-sender",
    )
    _running.add(entry)
    logger.info(
        "mail sender started", extra={"smtp_host": config.hostname, "smtp_port": config.port}
    )
    try:
        yield
    finally:
        _running.discard(entry)
        stop.set()
        woken.set()
        # Let a send in progress finish, so its mail is marked rather than left claimed.
        done, _ = await asyncio.wait({task}, timeout=SHUTDOWN_GRACE_S)
        if not done:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
