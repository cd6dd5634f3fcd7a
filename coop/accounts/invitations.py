"""Invitation and password-reset mails: a one-time link, written to the outbox in the
caller's transaction, so the mail exists exactly when the link does.

The texts are plain Dutch (B1, "u"), in the recipient's language when the catalogue has
it, with the full link, when it stops working, and what to do if the mail was not
expected. Plain text only: every mail client shows it, and a link in it works.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime

from babel.dates import format_date, format_time

from coop import db
from coop.accounts import links
from coop.accounts import user_admin_repository as repo
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.audit.log import record
from coop.errors import Conflict, FieldError, NotFound, ValidationFailed
from coop.mail.outbox import enqueue
from coop.web import i18n
from coop.web.i18n import gettext as _

SERVICE_NAME = "Coöperatie Inclusief Werk"
LOCAL_TIME = i18n.LOCAL_TIMEZONE


@contextlib.contextmanager
def language(code: str) -> Iterator[None]:
    token = i18n.current_language.set(code if code in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        i18n.current_language.reset(token)


def until(moment: datetime) -> str:
    """ "dinsdag 3 maart 2026 om 14:05" in Dutch local time."""
    local = moment.astimezone(LOCAL_TIME)
    locale = i18n.babel_locale()
    return _(
        "%(date)s om %(time)s",
        date=format_date(local.date(), format="full", locale=locale),
        time=format_time(local.time(), format="HH:mm", locale=locale),
    )


def _hours(purpose: str) -> int:
    return int(links.LIFETIMES[purpose].total_seconds() // 3600)


def _link(base_url: str, token: str, language_code: str) -> str:
    link = links.url_for(base_url, token)
    if language_code != i18n.DEFAULT_LANGUAGE and language_code in i18n.LANGUAGES:
        link += f"?lang={language_code}"
    return link


def _greeting(name: str) -> str:
    return _("Beste %(name)s,", name=name) if name.strip() else _("Goedendag,")


def _closing() -> str:
    return _("Met vriendelijke groet,") + "\n" + SERVICE_NAME


def invitation_mail(
    *, name: str, email: str, link: str, expires_at: datetime, inviter: str = ""
) -> tuple[str, str]:
    """Subject and plain-text body of an invitation."""
    subject = _("Uitnodiging: uw account bij %(service)s", service=SERVICE_NAME)
    intro = (
        _(
            "%(inviter)s heeft een account voor u gemaakt bij %(service)s.",
            inviter=inviter,
            service=SERVICE_NAME,
        )
        if inviter
        else _("Er is een account voor u gemaakt bij %(service)s.", service=SERVICE_NAME)
    )
    paragraphs = [
        _greeting(name),
        intro + " " + _("U logt in met dit e-mailadres: %(email)s", email=email),
        _("Kies eerst een wachtwoord. Dat doet u via deze link:") + "\n" + link,
        _(
            "De link werkt één keer en is %(hours)s uur geldig, tot %(until)s.",
            hours=_hours(links.INVITE),
            until=until(expires_at),
        )
        + " "
        + _(
            "Is de link verlopen? Vraag dan een nieuwe uitnodiging aan de beheerder, of kies "
            "'Wachtwoord vergeten?' op de inlogpagina."
        ),
        _(
            "Had u deze uitnodiging niet verwacht? Dan kunt u deze e-mail negeren. "
            "Zonder wachtwoord kan niemand uw account gebruiken."
        ),
        _closing(),
    ]
    return subject, "\n\n".join(paragraphs) + "\n"


def reset_mail(*, name: str, email: str, link: str, expires_at: datetime) -> tuple[str, str]:
    """Subject and plain-text body of a password reset."""
    subject = _("Nieuw wachtwoord instellen voor %(service)s", service=SERVICE_NAME)
    paragraphs = [
        _greeting(name),
        _(
            "Iemand heeft gevraagd om een nieuw wachtwoord voor uw account bij %(service)s "
            "(%(email)s). Was u dat zelf? Kies dan een nieuw wachtwoord via deze link:",
            service=SERVICE_NAME,
            email=email,
        )
        + "\n"
        + link,
        _(
            "De link werkt één keer en is %(hours)s uur geldig, tot %(until)s. Daarna kunt u "
            "op de inlogpagina een nieuwe link aanvragen via 'Wachtwoord vergeten?'.",
            hours=_hours(links.RESET),
            until=until(expires_at),
        ),
        _(
            "Hebt u dit niet zelf gevraagd? Dan kunt u deze e-mail negeren. Uw wachtwoord "
            "blijft dan hetzelfde. Krijgt u deze e-mail vaker zonder dat u erom vraagt? "
            "Laat het ons dan weten."
        ),
        _closing(),
    ]
    return subject, "\n\n".join(paragraphs) + "\n"


async def send_invitation(
    user_id: int, *, invited_by: int | None, inviter_name: str = "", base_url: str
) -> datetime:
    """A new invitation link for ``user_id``, mailed through the outbox; returns when it
    expires. Older invitation links of the user stop working. Call inside a write
    transaction (with the audit record of the caller)."""
    user = await repo.user_for_mail(user_id)
    if user is None:
        raise NotFound(_("Deze gebruiker bestaat niet."), code="user_not_found")
    token, expires_at = await links.create(user_id, links.INVITE, created_by=invited_by)
    with language(user["language"]):
        subject, body = invitation_mail(
            name=user["name"],
            email=user["email"],
            link=_link(base_url, token, user["language"]),
            expires_at=expires_at,
            inviter=inviter_name,
        )
    await enqueue(user["email"], subject, body, kind="invitation")
    return expires_at


async def send_reset(user_id: int, *, base_url: str) -> datetime:
    """A new reset link for ``user_id``, mailed through the outbox; returns when it
    expires. Call inside a write transaction."""
    user = await repo.user_for_mail(user_id)
    if user is None:
        raise NotFound(_("Deze gebruiker bestaat niet."), code="user_not_found")
    token, expires_at = await links.create(user_id, links.RESET)
    with language(user["language"]):
        subject, body = reset_mail(
            name=user["name"],
            email=user["email"],
            link=_link(base_url, token, user["language"]),
            expires_at=expires_at,
        )
    await enqueue(user["email"], subject, body, kind="password_reset")
    return expires_at


# --- the operations that make or re-send an invitation (one transaction each) -----------


def _inviter_name(actor: Principal | None) -> str:
    return (actor.name or actor.email) if actor else ""


async def invite_user(
    *,
    actor: Principal | None,
    actor_email: str = "",
    email: str,
    name: str,
    role: Role,
    organisation_id: int | None,
    tenant_id: int | None,
    base_url: str,
    client_ip: str = "",
) -> tuple[int, datetime]:
    """Make a user without a password and mail the invitation, in one transaction.
    Returns the new id and when the link expires. A taken address raises
    :class:`ValidationFailed` on the ``email`` field."""
    try:
        async with db.write_transaction():
            user_id = await repo.create_invited_user(
                actor=actor,
                actor_email=actor_email,
                email=email,
                name=name,
                role=role,
                organisation_id=organisation_id,
                tenant_id=tenant_id,
                client_ip=client_ip,
            )
            expires_at = await send_invitation(
                user_id,
                invited_by=actor.user_id if actor else None,
                inviter_name=_inviter_name(actor),
                base_url=base_url,
            )
    except Exception as exc:
        if repo.is_unique_violation(exc):  # the same address, made a moment ago
            raise ValidationFailed(
                [FieldError("email", _("Er is al een gebruiker met dit e-mailadres."))]
            ) from exc
        raise
    return user_id, expires_at


async def resend_invitation(
    actor: Principal, user_id: int, *, base_url: str, client_ip: str = ""
) -> datetime:
    """A fresh invitation for a user who never set a password; the older link stops working."""
    async with db.write_transaction():
        user = await repo.user_for_mail(user_id)
        if user is None:
            raise NotFound(_("Deze gebruiker bestaat niet."), code="user_not_found")
        if user["has_password"]:
            raise Conflict(
                _(
                    "Deze gebruiker heeft al een wachtwoord. Wie het wachtwoord kwijt is, "
                    "vraagt zelf een nieuw aan via 'Wachtwoord vergeten?' op de inlogpagina."
                )
            )
        if not user["active"]:
            raise Conflict(
                _("Activeer deze gebruiker eerst; daarna kunt u een uitnodiging sturen.")
            )
        expires_at = await send_invitation(
            user_id,
            invited_by=actor.user_id,
            inviter_name=_inviter_name(actor),
            base_url=base_url,
        )
        await record(
            "user_invited",
            actor=actor,
            object_type="user",
            object_id=user_id,
            client_ip=client_ip,
            detail="invitation sent again",
        )
    return expires_at
