"""SMTP_URL parsing, message building and the back-off schedule: no server, no database."""

from __future__ import annotations

import datetime

import pytest

from coop.mail import sender, smtp
from coop.mail.outbox import valid_address
from coop.settings import SettingsError

UTC = datetime.UTC


def test_plain_url_upgrades_when_offered_on_port_25():
    config = smtp.parse_url("smtp://mail.example.nl")
    assert (config.hostname, config.port) == ("mail.example.nl", 25)
    assert config.use_tls is False
    assert config.start_tls is None
    assert (config.username, config.password) == (None, None)


def test_smtps_is_implicit_tls_on_port_465():
    config = smtp.parse_url("smtps://user:pw@mail.example.nl")
    assert (config.port, config.use_tls, config.start_tls) == (465, True, None)


@pytest.mark.parametrize(
    ("query", "start_tls"),
    [("", None), ("?starttls=auto", None), ("?starttls=require", True), ("?starttls=off", False)],
)
def test_starttls_option(query, start_tls):
    assert smtp.parse_url(f"smtp://mail.example.nl:587{query}").start_tls is start_tls


def test_credentials_are_percent_decoded():
    config = smtp.parse_url("smtp://mail%40coop.nl:p%40ss%3Aw%2Frd%25%20x@mail.example.nl:587")
    assert config.username == "mail@coop.nl"
    assert config.password == "p@ss:w/rd% x"
    assert config.port == 587


def test_password_stays_out_of_repr():
    config = smtp.parse_url("smtp://user:Geheim123@mail.example.nl")
    assert "Geheim123" not in repr(config)
    assert config.secrets() == ("Geheim123",)


def test_ipv6_host():
    config = smtp.parse_url("smtp://[::1]:2525")
    assert (config.hostname, config.port) == ("::1", 2525)


@pytest.mark.parametrize(
    "url",
    [
        "http://mail.example.nl",
        "smtp+tls://mail.example.nl",
        "mail.example.nl:25",
        "smtp://",
        "smtp://mail.example.nl:99999",
        "smtp://mail.example.nl:port",
        "smtp://mail.example.nl/inbox",
        "smtp://mail.example.nl?starttls=yes",
        "smtp://mail.example.nl?tls=1",
        "smtps://mail.example.nl?starttls=require",
        "smtp://:password@mail.example.nl",
        "smtp://user@mail.example.nl",
    ],
)
def test_bad_urls_name_the_variable(url):
    with pytest.raises(SettingsError) as caught:
        smtp.parse_url(url)
    assert caught.value.variable == "SMTP_URL"


def test_bad_url_message_does_not_echo_the_password():
    with pytest.raises(SettingsError) as caught:
        smtp.parse_url("smtp://user:Geheim123@mail.example.nl/x")
    assert "Geheim123" not in str(caught.value)


def test_message_headers_and_text_only_body():
    when = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    message = smtp.build_message(
        mail_from="Coöperatie Inclusief Werk <noreply@coop.example.nl>",
        recipient="anna@example.org",
        subject="Uitnodiging: welkom bij de coöperatie",
        body_text="Hallo Anna,\n\nWelkom.",
        message_id="<outbox.1.x@coop.example.nl>",
        date=when,
    )
    assert message["From"].addresses[0].display_name == "Coöperatie Inclusief Werk"
    assert message["To"] == "anna@example.org"
    assert message["Subject"] == "Uitnodiging: welkom bij de coöperatie"
    assert message["Message-ID"] == "<outbox.1.x@coop.example.nl>"
    assert message["Date"].datetime == when
    assert message.get_content_type() == "text/plain"
    assert "Welkom." in message.get_content()
    # Non-ASCII headers go out encoded, so any server takes them.
    assert "=?utf-8?" in message.as_string()


def test_message_with_html_is_multipart_alternative():
    message = smtp.build_message(
        mail_from="noreply@coop.example.nl",
        recipient="anna@example.org",
        subject="Welkom",
        body_text="Hallo",
        body_html="<p>Hallo</p>",
    )
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["Message-ID"].endswith("@coop.example.nl>")
    assert message["Date"] is not None


def test_message_id_is_stable_per_row():
    created = datetime.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
    first = smtp.message_id("Coop <noreply@coop.example.nl>", 7, created)
    assert first == smtp.message_id("Coop <noreply@coop.example.nl>", 7, created)
    assert first == "<outbox.7.20260301093015123456@coop.example.nl>"
    assert first != smtp.message_id("Coop <noreply@coop.example.nl>", 8, created)


def test_backoff_grows_and_stays_within_its_jitter():
    assert sender.BACKOFF[0] == datetime.timedelta(seconds=30)
    assert list(sender.BACKOFF) == sorted(sender.BACKOFF)
    for attempts, base in enumerate(sender.BACKOFF, start=1):
        for _ in range(20):
            delay = sender.backoff_delay(attempts)
            assert base * (1 - sender.JITTER) <= delay <= base * (1 + sender.JITTER)
    # Beyond the table the last step repeats.
    assert sender.backoff_delay(50) <= sender.BACKOFF[-1] * (1 + sender.JITTER)
    assert sender.backoff_delay(2, [datetime.timedelta(seconds=1)], jitter=0) == datetime.timedelta(
        seconds=1
    )


def test_every_retry_happens_before_the_mail_fails():
    # MAX_ATTEMPTS - 1 waits: the total is how long a relay may be down without loss.
    total = sum(
        (sender.BACKOFF[min(i, len(sender.BACKOFF) - 1)] for i in range(sender.MAX_ATTEMPTS - 1)),
        datetime.timedelta(),
    )
    assert datetime.timedelta(hours=12) < total < datetime.timedelta(days=2)


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("anna@example.org", True),
        ("anna.de-vries+coop@mail.example.nl", True),
        ("anna@example", False),
        ("anna@example.", False),
        ("anna@.example.org", False),
        ("anna@example..org", False),
        ("anna\x00@example.org", False),
        ("anna@example.org\n", False),
    ],
)
def test_valid_address(address, ok):
    assert valid_address(address) is ok
