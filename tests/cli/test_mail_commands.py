"""``coop mail send-due``, driven through click (the group is registered in coop.cli)."""

from __future__ import annotations

import asyncio
import email
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from coop import db
from coop.mail import outbox
from coop.mail.commands import mail
from coop.mail.tables import OutboxMail

pytestmark = pytest.mark.usefixtures("migrated")


class Collector:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=default_policy)
        )
        return "250 OK"


def invoke(**env: str):
    # In a thread: the command runs asyncio.run(), which needs a thread without a loop.
    return asyncio.to_thread(
        CliRunner().invoke, mail, ["send-due"], env=env, catch_exceptions=False
    )


async def test_send_due_delivers_what_is_queued(unused_tcp_port):
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=unused_tcp_port)
    controller.start()
    try:
        async with db.write_transaction():
            mail_id = await outbox.enqueue("anna@example.org", "Welkom", "Hallo")
        result = await invoke(SMTP_URL=f"smtp://127.0.0.1:{unused_tcp_port}")
        assert result.exit_code == 0, result.output
        assert "1 mail(s) sent." in result.output
        assert len(handler.messages) == 1
        again = await invoke(SMTP_URL=f"smtp://127.0.0.1:{unused_tcp_port}")
        assert "0 mail(s) sent." in again.output
    finally:
        controller.stop()
    row = await OutboxMail.select(OutboxMail.status).where(OutboxMail.id == mail_id).first()
    assert row["status"] == "sent"


async def test_send_due_without_smtp_url_says_so():
    result = await asyncio.to_thread(CliRunner().invoke, mail, ["send-due"], env={"SMTP_URL": ""})
    assert result.exit_code == 2
    assert "SMTP_URL is not set" in result.output
