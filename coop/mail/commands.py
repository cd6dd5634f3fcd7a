"""``coop mail ...``: the outbox from the command line."""

from __future__ import annotations

import asyncio

import click


@click.group("mail")
def mail() -> None:
    """The mail outbox."""


@mail.command("send-due")
def send_due() -> None:
    """Deliver the mails that are due now, once, and report how many went out.

    For a process without the background sender, e.g. from cron. Safe beside running
    senders: each mail is claimed before it is sent.
    """
    # Imported here: coop.cli imports this module to register the group.
    from coop.cli import EXIT_CONFIG, fail, load_settings
    from coop.settings import SettingsError

    settings = load_settings()
    if not settings.smtp_url:
        fail("SMTP_URL is not set: mail stays in the outbox", EXIT_CONFIG)

    async def go() -> int:
        from coop import db
        from coop.mail import sender

        db.use_engine(db.engine_from_url(settings.database_url))
        total = 0
        async with db.pool(db.engine()):
            # A pass stops at BATCH_SIZE mails; keep going while passes come back full.
            while (sent := await sender.deliver_due(settings)) == sender.BATCH_SIZE:
                total += sent
            return total + sent

    try:
        sent = asyncio.run(go())
    except SettingsError as exc:
        fail(f"configuration error: {exc}", EXIT_CONFIG)
    except OSError as exc:
        fail(f"cannot reach the database ({type(exc).__name__}: {exc})")
    click.echo(f"{sent} mail(s) sent.")
