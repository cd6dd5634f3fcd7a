"""The mail outbox against a real SMTP server (aiosmtpd) on 127.0.0.1.

Runs on SQLite and on PostgreSQL. The server runs in a thread of its own; the app, the
sender and the test share the test's event loop.
"""

from __future__ import annotations

import asyncio
import datetime
import email
import logging
import socket
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from coop import db
from coop.errors import Conflict, NotFound, ValidationFailed
from coop.mail import outbox, sender
from coop.mail.tables import OutboxMail
from coop.settings import SettingsError

pytestmark = [
    pytest.mark.usefixtures("migrated"),
    # The auth tests log in over plain text on 127.0.0.1; aiosmtpd rightly warns.
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS"),
]

TIMEOUT_S = 3.0
UTC = datetime.UTC


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    """An aiosmtpd handler that keeps what it receives, and refuses chosen recipients."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=default_policy)
        )
        return "250 Message accepted"


class SmtpServer:
    def __init__(self, port: int | None = None, **controller_kwargs) -> None:
        self.port = port or free_port()
        self.handler = Collector()
        self.logins: list[tuple[str, str]] = []
        self._kwargs = controller_kwargs
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def start(self) -> None:
        self._controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, **self._kwargs
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def down_server() -> Iterator[SmtpServer]:
    """A port nobody listens on, until the test starts the server."""
    server = SmtpServer()
    yield server
    server.stop()


async def eventually(check: Callable[[], object], timeout: float = TIMEOUT_S) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def row(mail_id: int) -> dict:
    found = await OutboxMail.select().where(OutboxMail.id == mail_id).first()
    assert found is not None
    return found


async def committed_mail(recipient: str = "anna@example.org", **kwargs) -> int:
    async with db.write_transaction():
        return await outbox.enqueue(
            recipient,
            kwargs.pop("subject", "Welkom"),
            kwargs.pop("body_text", "Hallo Anna"),
            **kwargs,
        )


def now() -> datetime.datetime:
    return datetime.datetime.now(UTC)


# --- writing -------------------------------------------------------------------------


async def test_rollback_takes_the_mail_with_it():
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        async with db.write_transaction():
            await outbox.enqueue("anna@example.org", "Welkom", "Hallo")
            assert await OutboxMail.count() == 1  # visible inside the transaction
            raise Boom
    assert await OutboxMail.count() == 0


async def test_enqueue_commits_a_queued_row():
    mail_id = await committed_mail(kind="invitation")
    found = await row(mail_id)
    assert found["status"] == "queued"
    assert found["attempts"] == 0
    assert found["kind"] == "invitation"
    assert found["sent_at"] is None
    assert found["locked_until"] is None
    assert found["next_attempt_at"] <= now()


@pytest.mark.parametrize(
    "address",
    [
        "",
        "anna",
        "anna@",
        "@example.org",
        "anna@example",
        "anna @example.org",
        "anna@exa mple.org",
        "a@b@example.org",
        "Anna <anna@example.org>",
        "anna@example.org, bob@example.org",
        "anna@example.org\r\nBcc: x@example.org",
        ".anna@example.org",
        "an..na@example.org",
        "x" * 330 + "@example.org",
    ],
)
async def test_bad_address_is_refused(address):
    with pytest.raises(ValidationFailed) as caught:
        await outbox.enqueue(address, "Welkom", "Hallo")
    assert [e.field for e in caught.value.errors] == ["recipient"]
    assert caught.value.errors[0].detail == "Dit is geen geldig e-mailadres."
    assert await OutboxMail.count() == 0


async def test_line_break_in_subject_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        await outbox.enqueue("anna@example.org", "Welkom\r\nBcc: eve@example.org", "Hallo")
    assert [e.field for e in caught.value.errors] == ["subject"]


@pytest.mark.parametrize(
    "address", ["anna@example.org", "a.b+tag@sub.example.nl", "josé@bücher.de"]
)
async def test_plausible_addresses_are_accepted(address):
    mail_id = await outbox.enqueue(f" {address} ", "Welkom", "Hallo")
    assert (await row(mail_id))["recipient"] == address


# --- delivering through the running app ----------------------------------------------


async def test_committed_mail_is_delivered_once_by_the_app(make_client, make_settings, smtp_server):
    async with make_client(SMTP_URL=smtp_server.url, MAIL_FROM="Coöp <noreply@coop.example.nl>"):
        mail_id = await committed_mail(subject="Uitnodiging voor de coöperatie")
        await eventually(lambda: len(smtp_server.messages) == 1)
        await eventually(lambda: _status_is(mail_id, "sent"))

    message = smtp_server.messages[0]
    assert message["To"] == "anna@example.org"
    assert message["From"].addresses[0].addr_spec == "noreply@coop.example.nl"
    assert message["Subject"] == "Uitnodiging voor de coöperatie"
    assert message["Message-ID"].startswith(f"<outbox.{mail_id}.")
    assert message["Date"] is not None
    assert message.get_content_type() == "text/plain"
    assert message.get_content().strip() == "Hallo Anna"
    assert smtp_server.handler.envelopes == [("noreply@coop.example.nl", ["anna@example.org"])]

    found = await row(mail_id)
    assert found["attempts"] == 1
    assert found["sent_at"] is not None
    assert found["locked_until"] is None
    assert found["last_error"] == ""

    settings = make_settings(SMTP_URL=smtp_server.url)
    later = now() + datetime.timedelta(days=2)
    assert await sender.deliver_due(settings, now=later) == 0
    assert len(smtp_server.messages) == 1


async def _status_is(mail_id: int, status: str) -> bool:
    return (await row(mail_id))["status"] == status


async def test_html_alternative_arrives(make_settings, smtp_server):
    await committed_mail(body_text="Hallo Anna", body_html="<p>Hallo <b>Anna</b></p>")
    assert await sender.deliver_due(make_settings(SMTP_URL=smtp_server.url)) == 1

    message = smtp_server.messages[0]
    assert message.get_content_type() == "multipart/alternative"
    parts = {part.get_content_type(): part.get_content() for part in message.iter_parts()}
    assert parts["text/plain"].strip() == "Hallo Anna"
    assert parts["text/html"].strip() == "<p>Hallo <b>Anna</b></p>"


async def test_server_down_keeps_the_mail_and_retries_later(
    make_client, make_settings, down_server
):
    async with make_client(SMTP_URL=down_server.url):
        mail_id = await committed_mail()
        await eventually(lambda: _attempts_are(mail_id, 1))

    found = await row(mail_id)
    assert found["status"] == "queued"
    assert found["sent_at"] is None
    assert found["locked_until"] is None
    assert "SMTPConnect" in found["last_error"] or "refused" in found["last_error"].lower()
    # The first back-off is 30 s, give or take the jitter.
    assert now() + datetime.timedelta(seconds=20) < found["next_attempt_at"]
    assert found["next_attempt_at"] < now() + datetime.timedelta(seconds=40)

    down_server.start()
    settings = make_settings(SMTP_URL=down_server.url)
    assert await sender.deliver_due(settings) == 0  # not due yet
    assert down_server.messages == []

    assert (
        await sender.deliver_due(
            settings, now=found["next_attempt_at"] + datetime.timedelta(seconds=1)
        )
        == 1
    )
    assert len(down_server.messages) == 1
    found = await row(mail_id)
    assert found["status"] == "sent"
    assert found["attempts"] == 2
    assert found["last_error"] == ""


async def _attempts_are(mail_id: int, attempts: int) -> bool:
    return (await row(mail_id))["attempts"] == attempts


async def test_mail_fails_for_good_after_max_attempts(make_settings, down_server):
    settings = make_settings(SMTP_URL=down_server.url)
    mail_id = await committed_mail()
    moment = now()
    for attempt in range(1, sender.MAX_ATTEMPTS + 1):
        assert await sender.deliver_due(settings, now=moment) == 0
        found = await row(mail_id)
        assert found["attempts"] == attempt
        if attempt < sender.MAX_ATTEMPTS:
            assert found["status"] == "queued"
            assert found["next_attempt_at"] > moment
            moment = found["next_attempt_at"] + datetime.timedelta(seconds=1)
    assert found["status"] == "failed"
    assert found["last_error"]
    assert found["locked_until"] is None

    # A failed mail is not tried again, however late.
    down_server.start()
    assert await sender.deliver_due(settings, now=moment + datetime.timedelta(days=30)) == 0
    assert down_server.messages == []


async def test_unreachable_server_costs_one_attempt_per_pass(make_settings, down_server):
    # Not one timeout per mail: the first connection failure ends the pass.
    ids = [await committed_mail(f"person{i}@example.org") for i in range(3)]
    assert await sender.deliver_due(make_settings(SMTP_URL=down_server.url)) == 0
    attempts = [(await row(mail_id))["attempts"] for mail_id in ids]
    assert attempts == [1, 0, 0]


async def test_schedule_can_be_shortened_by_parameter(make_settings, down_server):
    settings = make_settings(SMTP_URL=down_server.url)
    mail_id = await committed_mail()
    short = (datetime.timedelta(seconds=1),)
    assert await sender.deliver_due(settings, backoff=short, max_attempts=2) == 0
    found = await row(mail_id)
    assert found["next_attempt_at"] < now() + datetime.timedelta(seconds=2)
    later = now() + datetime.timedelta(seconds=5)
    assert await sender.deliver_due(settings, now=later, backoff=short, max_attempts=2) == 0
    assert (await row(mail_id))["status"] == "failed"


async def test_refused_recipient_fails_at_once_and_others_still_go(make_settings, smtp_server):
    smtp_server.handler.refuse.add("nobody@example.org")
    bad = await committed_mail("nobody@example.org")
    good = await committed_mail("anna@example.org")
    assert await sender.deliver_due(make_settings(SMTP_URL=smtp_server.url)) == 1

    found = await row(bad)
    assert found["status"] == "failed"
    assert found["attempts"] == 1
    assert "550" in found["last_error"]
    assert (await row(good))["status"] == "sent"
    assert [m["To"] for m in smtp_server.messages] == ["anna@example.org"]


# --- crashes, restarts and two senders -----------------------------------------------


async def test_mail_committed_while_no_sender_runs_is_sent_after_restart(make_client, smtp_server):
    # The process that committed the mail had no sender (or died before it could send).
    async with make_client():
        mail_id = await committed_mail()
        await asyncio.sleep(0.3)
        assert (await row(mail_id))["status"] == "queued"
    assert smtp_server.messages == []

    async with make_client(SMTP_URL=smtp_server.url):
        await eventually(lambda: _status_is(mail_id, "sent"))
    assert len(smtp_server.messages) == 1


async def test_stale_claim_of_a_crashed_sender_is_taken_over(make_client, smtp_server):
    mail_id = await committed_mail()
    # What a sender leaves behind when killed after claiming and before sending.
    await OutboxMail.update({OutboxMail.locked_until: now() - datetime.timedelta(seconds=1)}).where(
        OutboxMail.id == mail_id
    )
    async with make_client(SMTP_URL=smtp_server.url):
        await eventually(lambda: _status_is(mail_id, "sent"))
    assert len(smtp_server.messages) == 1


async def test_live_claim_of_another_sender_is_respected(make_settings, smtp_server):
    mail_id = await committed_mail()
    await OutboxMail.update({OutboxMail.locked_until: now() + datetime.timedelta(minutes=1)}).where(
        OutboxMail.id == mail_id
    )
    settings = make_settings(SMTP_URL=smtp_server.url)
    assert await sender.deliver_due(settings) == 0
    assert smtp_server.messages == []
    # Once the claim has run out, the mail is anyone's again.
    assert (
        await sender.deliver_due(settings, now=now() + sender.LEASE + datetime.timedelta(minutes=2))
        == 1
    )


async def test_concurrent_senders_send_each_mail_once(make_settings, smtp_server):
    ids = [await committed_mail(f"person{i}@example.org") for i in range(12)]
    settings = make_settings(SMTP_URL=smtp_server.url)
    counts = await asyncio.gather(*(sender.deliver_due(settings) for _ in range(4)))
    assert sum(counts) == 12
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(
        f"person{i}@example.org" for i in range(12)
    )
    rows = await OutboxMail.select(OutboxMail.status, OutboxMail.attempts).where(
        OutboxMail.id.is_in(ids)
    )
    assert {(r["status"], r["attempts"]) for r in rows} == {("sent", 1)}


async def test_without_smtp_url_mail_stays_in_the_outbox(make_client, make_settings):
    async with make_client():
        mail_id = await committed_mail()
        await asyncio.sleep(0.3)
    found = await row(mail_id)
    assert (found["status"], found["attempts"], found["locked_until"]) == ("queued", 0, None)
    with pytest.raises(SettingsError):
        await sender.deliver_due(make_settings())


async def test_without_smtp_url_the_lifespan_starts_nothing(make_settings, caplog):
    caplog.set_level(logging.INFO, logger="coop.mail")
    async with sender.lifespan(make_settings()):
        assert not [t for t in asyncio.all_tasks() if t.get_name() == "coop-mail-sender"]
        assert not sender._running
        sender.wake()  # harmless with no sender
    assert caplog.messages == ["SMTP_URL is not set: mail stays in the outbox"]


async def test_sender_lifespan_stops_promptly(make_settings, smtp_server):
    settings = make_settings(SMTP_URL=smtp_server.url)
    loop = asyncio.get_running_loop()
    async with sender.lifespan(settings, poll_interval=60):
        await committed_mail()
        await eventually(lambda: len(smtp_server.messages) == 1)
        started = loop.time()
    assert loop.time() - started < 1.0
    assert not [t for t in asyncio.all_tasks() if t.get_name() == "coop-mail-sender"]
    assert not sender._running


async def test_sender_survives_a_database_error(make_settings, smtp_server, monkeypatch):
    real_claim = sender._claim_one
    calls = 0

    async def flaky_claim(moment):
        nonlocal calls
        calls += 1
        if calls == 1:
            raise OSError("database unreachable")
        return await real_claim(moment)

    monkeypatch.setattr(sender, "_claim_one", flaky_claim)
    mail_id = await committed_mail()
    async with sender.lifespan(make_settings(SMTP_URL=smtp_server.url), poll_interval=0.1):
        await eventually(lambda: _status_is(mail_id, "sent"))
    assert calls >= 2


# --- credentials ---------------------------------------------------------------------


@pytest.fixture
def auth_server() -> Iterator[SmtpServer]:
    server = SmtpServer(auth_require_tls=False, auth_required=True)

    def authenticator(smtp, session, envelope, mechanism, auth_data):
        assert isinstance(auth_data, LoginPassword)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        server.logins.append((login, password))
        # handled=False: let aiosmtpd answer 235 or 535 itself.
        ok = (login, password) == ("mail@coop.example.nl", "p@ss:w/rd%é")
        return AuthResult(success=ok, handled=False)

    server._kwargs["authenticator"] = authenticator
    server.start()
    yield server
    server.stop()


async def test_credentials_in_smtp_url_are_used(make_settings, auth_server):
    url = f"smtp://mail%40coop.example.nl:p%40ss%3Aw%2Frd%25%C3%A9@127.0.0.1:{auth_server.port}"
    mail_id = await committed_mail()
    assert await sender.deliver_due(make_settings(SMTP_URL=url)) == 1
    assert auth_server.logins == [("mail@coop.example.nl", "p@ss:w/rd%é")]
    assert (await row(mail_id))["status"] == "sent"


async def test_wrong_password_is_retried_and_not_stored(make_settings, auth_server):
    url = f"smtp://mail%40coop.example.nl:Geheim-Wachtwoord-123@127.0.0.1:{auth_server.port}"
    mail_id = await committed_mail()
    assert await sender.deliver_due(make_settings(SMTP_URL=url)) == 0
    found = await row(mail_id)
    # A refused login is our configuration, not the mail: it stays queued for a retry.
    assert found["status"] == "queued"
    assert found["attempts"] == 1
    assert "Authentication" in found["last_error"]
    assert "Geheim-Wachtwoord-123" not in found["last_error"]
    assert auth_server.messages == []


# --- logs ----------------------------------------------------------------------------


async def test_logs_name_the_mail_by_id_only(make_settings, down_server, smtp_server, caplog):
    caplog.set_level(logging.INFO, logger="coop.mail")
    failing = await committed_mail("secret.person@example.org", body_text="Vertrouwelijke inhoud")
    await sender.deliver_due(make_settings(SMTP_URL=down_server.url))
    await committed_mail("secret.person@example.org", subject="Geheim onderwerp")
    await sender.deliver_due(
        make_settings(SMTP_URL=smtp_server.url), now=now() + datetime.timedelta(hours=1)
    )

    records = [r for r in caplog.records if r.name == "coop.mail"]
    assert {r.getMessage() for r in records} >= {"mail not delivered", "mail sent"}
    assert any(getattr(r, "mail_id", None) == failing for r in records)
    dump = " ".join(f"{r.getMessage()} {vars(r)}" for r in records)
    for secret in ("secret.person", "Vertrouwelijke", "Geheim onderwerp"):
        assert secret not in dump


# --- reading for the admins' view ------------------------------------------------------


async def test_list_and_get_mail(make_settings, smtp_server):
    first = await committed_mail("anna@example.org", body_text="Link: https://x/uitnodiging/abc")
    await sender.deliver_due(make_settings(SMTP_URL=smtp_server.url))
    second = await committed_mail("bob@example.org", body_html="<p>Hoi</p>")

    everything = await outbox.list_mail()
    assert [m.id for m in everything.items] == [second, first]
    assert (everything.total, everything.limit, everything.offset) == (2, 50, 0)
    assert not hasattr(everything.items[0], "body_text")

    queued = await outbox.list_mail(status="queued")
    assert [m.id for m in queued.items] == [second]
    assert queued.total == 1
    page = await outbox.list_mail(limit=1, offset=1)
    assert [m.id for m in page.items] == [first]
    assert page.total == 2
    assert await outbox.count_by_status() == {"queued": 1, "sent": 1, "failed": 0}

    detail = await outbox.get_mail(second)
    assert detail.recipient == "bob@example.org"
    assert detail.body_html == "<p>Hoi</p>"
    assert detail.status == "queued"

    with pytest.raises(NotFound):
        await outbox.get_mail(second + 100)
    with pytest.raises(ValidationFailed):
        await outbox.list_mail(status="bezorgd")
    with pytest.raises(ValidationFailed):
        await outbox.list_mail(limit=0)


async def test_requeue_gives_a_failed_mail_new_attempts(make_settings, down_server, smtp_server):
    mail_id = await committed_mail()
    await sender.deliver_due(make_settings(SMTP_URL=down_server.url), max_attempts=1)
    assert (await row(mail_id))["status"] == "failed"

    await outbox.requeue(mail_id)
    found = await row(mail_id)
    assert (found["status"], found["attempts"], found["last_error"]) == ("queued", 0, "")
    assert await sender.deliver_due(make_settings(SMTP_URL=smtp_server.url)) == 1

    with pytest.raises(Conflict):
        await outbox.requeue(mail_id)
    with pytest.raises(NotFound):
        await outbox.requeue(mail_id + 100)
