"""Forgotten passwords and one-time links: ``/wachtwoord-vergeten`` asks for a reset mail,
``/wachtwoord-instellen/{token}`` sets a password from an invitation or reset link.

What these pages answer never tells whether an address has an account: the reset page
says the same for every address, the mail is written after the response has gone (so
the time to answer does not tell either), and an unknown, used or expired link gets one
and the same page.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

import msgspec
from litestar import Controller, MediaType, Request, get, post
from litestar.background_tasks import BackgroundTask
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.stores.base import Store

from coop import db
from coop.accounts import invitations, links, passwords
from coop.accounts import user_admin_repository as repo
from coop.accounts.auth import session_of
from coop.accounts.login import client_ip, throttle_store
from coop.accounts.roles import Role
from coop.audit.log import record
from coop.mail.outbox import valid_address
from coop.web.i18n import gettext as _
from coop.web.i18n import ngettext
from coop.web.templating import url

RESET_WINDOW_S = 60 * 60
RESET_PER_ADDRESS = 3  # reset mails per address per hour; more requests are ignored quietly
RESET_PER_CLIENT = 10  # reset requests per client address per hour; more get a 429 page
NO_STORE = {"Cache-Control": "no-store"}


class _Attempts(msgspec.Struct):
    times: list[float] = msgspec.field(default_factory=list)


def _key(kind: str, value: str) -> str:
    return f"reset:{kind}:" + hashlib.sha256(value.strip().lower().encode()).hexdigest()


async def take_slot(store: Store, kind: str, value: str, limit: int) -> int:
    """Count one attempt within the limit: 0 when allowed (and counted), otherwise the
    seconds until the oldest attempt in the window falls out of it."""
    now = time.time()
    key = _key(kind, value)
    raw = await store.get(key)
    attempts = msgspec.json.decode(raw, type=_Attempts) if raw else _Attempts()
    attempts.times = [t for t in attempts.times if now - t < RESET_WINDOW_S]
    if len(attempts.times) >= limit:
        return max(1, int(attempts.times[0] + RESET_WINDOW_S - now) + 1)
    attempts.times.append(now)
    await store.set(key, msgspec.json.encode(attempts), expires_in=RESET_WINDOW_S)
    return 0


async def send_reset_if_possible(email: str, base_url: str, ip: str) -> None:
    """After the response: a reset mail for an active account; nothing for an unknown
    address; for a deactivated account only an audit record."""
    user = await repo.user_for_reset(email)
    if user is None:
        return
    async with db.write_transaction():
        if not user["active"]:
            await record(
                "password_reset_refused",
                actor_email=user["email"],
                object_type="user",
                object_id=user["id"],
                client_ip=ip,
                detail="inactive account",
            )
            return
        await invitations.send_reset(user["id"], base_url=base_url)
        await record(
            "password_reset_requested",
            actor_email=user["email"],
            object_type="user",
            object_id=user["id"],
            client_ip=ip,
        )


def _forgot_context(errors: dict[str, str], values: dict[str, str], *, sent: bool) -> dict:
    hours = int(links.LIFETIMES[links.RESET].total_seconds() // 3600)
    return {"errors": errors, "values": values, "sent": sent, "reset_hours": hours}


def _invalid_link() -> Template:
    return Template("accounts/link_invalid.html", status_code=410, headers=NO_STORE)


def _set_password_page(
    token: str, link: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Template:
    return Template(
        "accounts/set_password.html",
        context={
            "action": links.path_for(token),
            "purpose": link["purpose"],
            "email": link["email"],
            "needs_second_factor": Role(link["role"]).needs_second_factor,
            "errors": errors,
        },
        status_code=status,
        headers=NO_STORE,
    )


class PasswordRecoveryController(Controller):
    include_in_schema = False

    @get("/wachtwoord-vergeten", name="password.forgot", media_type=MediaType.HTML)
    async def forgot_form(self, request: Request[Any, Any, Any]) -> Template:
        session_of(request).ensure()  # the form's CSRF token lives in the session
        return Template(
            "accounts/forgot_password.html",
            context=_forgot_context({}, {}, sent=False),
        )

    @post("/wachtwoord-vergeten", name="password.forgot.submit", media_type=MediaType.HTML)
    async def forgot(self, request: Request[Any, Any, Any]) -> Template:
        form = await request.form()
        email = str(form.get("email") or "").strip()
        errors: dict[str, str] = {}
        if not email:
            errors["email"] = _("Vul uw e-mailadres in.")
        elif not valid_address(email):
            errors["email"] = _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")
        if errors:
            return Template(
                "accounts/forgot_password.html",
                context=_forgot_context(errors, {"email": email}, sent=False),
                status_code=400,
            )
        store = throttle_store(request)
        ip = client_ip(request)
        wait = await take_slot(store, "client", ip, RESET_PER_CLIENT)
        if wait:
            minutes = max(1, (wait + 59) // 60)
            errors["_form"] = ngettext(
                "U hebt te vaak een nieuw wachtwoord aangevraagd. "
                "Probeer het over %(num)s minuut opnieuw.",
                "U hebt te vaak een nieuw wachtwoord aangevraagd. "
                "Probeer het over %(num)s minuten opnieuw.",
                minutes,
            )
            return Template(
                "accounts/forgot_password.html",
                context=_forgot_context(errors, {"email": email}, sent=False),
                status_code=429,
                headers={"Retry-After": str(wait)},
            )
        background = None
        if not await take_slot(store, "address", email, RESET_PER_ADDRESS):
            settings = request.app.state["settings"]
            background = BackgroundTask(send_reset_if_possible, email, settings.base_url, ip)
        # The same page whether or not the address is known, mailed or throttled.
        return Template(
            "accounts/forgot_password.html",
            context=_forgot_context({}, {}, sent=True),
            background=background,
        )

    @get("/wachtwoord-instellen/{token:str}", name="password.set", media_type=MediaType.HTML)
    async def set_form(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
        link = await links.find(token)
        if link is None:
            return _invalid_link()
        session_of(request).ensure()
        return _set_password_page(token, link, {})

    @post(
        "/wachtwoord-instellen/{token:str}", name="password.set.submit", media_type=MediaType.HTML
    )
    async def set_password(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Any:
        link = await links.find(token)
        if link is None:
            return _invalid_link()
        form = await request.form()
        password = str(form.get("password") or "")
        repeat = str(form.get("password_repeat") or "")
        errors: dict[str, str] = {}
        if not password:
            errors["password"] = _("Kies een wachtwoord.")
        else:
            problem = passwords.policy_problem(password, email=link["email"], name=link["name"])
            if problem:
                errors["password"] = problem
        if "password" not in errors and repeat != password:
            errors["password_repeat"] = _(
                "De twee wachtwoorden zijn niet hetzelfde. Typ het wachtwoord nog een keer."
            )
        if errors:
            return _set_password_page(token, link, errors, status=400)

        password_hash = await passwords.hash_password(password)  # before taking the lock
        async with db.write_transaction():
            used = await links.consume(token)
            if used is not None:
                await repo.set_password_from_link(used["user_id"], password_hash)
                await record(
                    "invitation_accepted" if used["purpose"] == links.INVITE else "password_reset",
                    actor_email=used["email"],
                    object_type="user",
                    object_id=used["user_id"],
                    client_ip=client_ip(request),
                )
        if used is None:  # used by a request that came just before this one
            return _invalid_link()

        # Whoever was logged in on this browser is not any more: start afresh at the login.
        session = session_of(request)
        session.destroy()
        session.flash(
            "success",
            _("Uw wachtwoord is ingesteld. Welkom! U kunt nu inloggen.")
            if used["purpose"] == links.INVITE
            else _(
                "Uw nieuwe wachtwoord is ingesteld. U bent overal uitgelogd; "
                "log nu in met uw nieuwe wachtwoord."
            ),
        )
        return Redirect(url("/login"), status_code=303)
