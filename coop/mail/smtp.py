"""SMTP: the ``SMTP_URL`` setting, the message we build, and one delivery through aiosmtplib.

``SMTP_URL`` forms:

- ``smtp://user:pass@host:587``: plain connection, upgraded with STARTTLS when the server
  offers it (aiosmtplib's default); port 25 when none is given;
- ``smtp://host:587?starttls=require``: refuse to send unless STARTTLS succeeds;
- ``smtp://host:25?starttls=off``: never upgrade (a relay on localhost with a bad cert);
- ``smtps://user:pass@host``: TLS from the first byte; port 465 when none is given.

User name and password are percent-decoded, so a password may contain ``@``, ``:`` or ``/``
written as ``%40``, ``%3A``, ``%2F``.
"""

from __future__ import annotations

import dataclasses
import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from urllib.parse import parse_qsl, unquote, urlsplit

import aiosmtplib

from coop.settings import SettingsError

DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
# Long enough for a slow relay, short enough that a black-holed host does not hold a
# claimed mail for long; the sender's lease on a mail is well above this.
SMTP_TIMEOUT_S = 30.0
_STARTTLS = {"auto": None, "require": True, "off": False}


@dataclasses.dataclass(frozen=True, kw_only=True)
class SmtpConfig:
    hostname: str
    port: int
    use_tls: bool = False
    # None: upgrade when offered; True: required; False: never.
    start_tls: bool | None = None
    username: str | None = None
    # Kept out of repr so a config that reaches a log or a traceback shows no secret.
    password: str | None = dataclasses.field(default=None, repr=False)
    timeout: float = SMTP_TIMEOUT_S

    def secrets(self) -> tuple[str, ...]:
        """The strings to scrub from an error message before it is stored."""
        return (self.password,) if self.password else ()


def _bad(message: str) -> SettingsError:
    return SettingsError("SMTP_URL", message)


def parse_url(url: str) -> SmtpConfig:
    """Turn ``SMTP_URL`` into a config; raise :class:`SettingsError` naming SMTP_URL."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise _bad("must start with smtp:// or smtps://")
    if not parts.hostname:
        raise _bad("needs a host, e.g. smtp://mail.example.nl:587")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise _bad("has an invalid port") from None
    if parts.path not in ("", "/") or parts.fragment:
        raise _bad("takes no path, e.g. smtp://user:password@mail.example.nl:587")

    start_tls: bool | None = None
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key != "starttls":
            raise _bad(f"unknown option {key!r}; only starttls=auto|require|off is known")
        if value not in _STARTTLS:
            raise _bad("starttls must be auto, require or off")
        start_tls = _STARTTLS[value]
    if scheme == "smtps" and start_tls is not None:
        raise _bad("smtps:// is TLS already; starttls applies to smtp:// only")

    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if (username is None) != (password is None):
        raise _bad("needs both a user name and a password, or neither")
    return SmtpConfig(
        hostname=parts.hostname,
        port=port,
        use_tls=scheme == "smtps",
        start_tls=start_tls,
        username=username,
        password=password,
    )


def address_of(mailbox: str) -> str:
    """The bare address of ``"Name <a@b>"`` or ``a@b``."""
    return parseaddr(mailbox)[1] or mailbox


def message_id(mail_from: str, mail_id: int, created_at: datetime.datetime) -> str:
    """A Message-ID that stays the same for every attempt at one outbox row.

    If a sender dies after the server accepted a mail but before marking it sent, the
    mail goes out again; an identical Message-ID lets the receiving side drop the copy.
    The creation time keeps ids apart across databases that reuse row ids.
    """
    domain = address_of(mail_from).rpartition("@")[2] or "localhost"
    stamp = created_at.astimezone(datetime.UTC).strftime("%Y%m%d%H%M%S%f")
    return f"<outbox.{mail_id}.{stamp}@{domain}>"


def build_message(
    *,
    mail_from: str,
    recipient: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    message_id: str | None = None,
    date: datetime.datetime | None = None,
) -> EmailMessage:
    """The message as it goes out: text, plus an HTML alternative when there is one."""
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = format_datetime(date or datetime.datetime.now(datetime.UTC))
    domain = address_of(mail_from).rpartition("@")[2]
    message["Message-ID"] = message_id or make_msgid(domain=domain or None)
    message.set_content(body_text)
    if body_html:
        message.add_alternative(body_html, subtype="html")
    return message


async def send(config: SmtpConfig, message: EmailMessage, *, sender: str, recipient: str) -> None:
    """Deliver one message; aiosmtplib's exceptions (and OSError) pass through."""
    await aiosmtplib.send(
        message,
        sender=sender,
        recipients=[recipient],
        hostname=config.hostname,
        port=config.port,
        username=config.username,
        password=config.password,
        use_tls=config.use_tls,
        start_tls=config.start_tls,
        timeout=config.timeout,
    )
