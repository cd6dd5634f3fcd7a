"""Login, the second step, and logout: the pages, thin over the rules beside them."""

from __future__ import annotations

import time
from typing import Any

from litestar import Controller, MediaType, Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from litestar.stores.base import Store

from coop import db
from coop.accounts import passwords, repository, throttle
from coop.accounts import second_factor as factor
from coop.accounts.auth import pending_user_of, principal_of, session_of
from coop.accounts.roles import Role
from coop.audit.log import record
from coop.web.i18n import gettext as _
from coop.web.i18n import ngettext
from coop.web.templating import url


def client_ip(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else ""


def safe_next(value: str | None) -> str:
    """Only a path on this site: never an absolute URL or a protocol-relative one."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return "/overzicht"


def throttle_store(request: Request[Any, Any, Any]) -> Store:
    return request.app.stores.get("throttle")


def wait_message(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    return ngettext(
        "Te veel mislukte pogingen. Probeer het over %(num)s minuut opnieuw.",
        "Te veel mislukte pogingen. Probeer het over %(num)s minuten opnieuw.",
        minutes,
    )


class LoginController(Controller):
    include_in_schema = False

    @get("/login", name="login", media_type=MediaType.HTML)
    async def login_form(
        self,
        request: Request[Any, Any, Any],
        volgende: FromQuery[str | None] = None,
        uitgelogd: FromQuery[str | None] = None,
    ) -> Any:
        if principal_of(request) is not None:
            return Redirect(url(safe_next(volgende)), status_code=303)
        session = session_of(request)
        session.ensure()  # the form's CSRF token lives in the session
        messages = session.pop_flash()
        if uitgelogd:
            messages.append(("success", _("U bent uitgelogd.")))
        return Template(
            "accounts/login.html",
            context={"errors": {}, "values": {}, "next": safe_next(volgende), "messages": messages},
        )

    @post("/login", name="login.submit", media_type=MediaType.HTML)
    async def login(self, request: Request[Any, Any, Any]) -> Any:
        form = await request.form()
        email = str(form.get("email") or "").strip()
        password = str(form.get("password") or "")
        next_path = safe_next(str(form.get("volgende") or ""))
        errors: dict[str, str] = {}
        if not email:
            errors["email"] = _("Vul uw e-mailadres in.")
        elif len(email) > 320 or "@" not in email:
            # Not an address at all: no account can have it, and the audit log stays tidy.
            errors["email"] = _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.")
        if not password:
            errors["password"] = _("Vul uw wachtwoord in.")

        def again(status: int) -> Template:
            return Template(
                "accounts/login.html",
                context={
                    "errors": errors,
                    "values": {"email": email},
                    "next": next_path,
                    "messages": [],
                },
                status_code=status,
            )

        if errors:
            return again(400)
        store = throttle_store(request)
        ip = client_ip(request)
        wait = await throttle.seconds_to_wait(store, email, ip)
        if wait:
            errors["_form"] = wait_message(wait)
            return again(429)

        user = await repository.user_by_email(email)
        usable = user is not None and user["active"]
        ok = await passwords.verify_password(user["password_hash"] if usable else None, password)
        if not ok or user is None:
            await throttle.record_failure(store, email, ip)
            async with db.write_transaction():
                await record(
                    "login_failed",
                    actor_email=repository.normalise_email(email)[:320],
                    object_type="user",
                    object_id=user["id"] if user else None,
                    client_ip=ip,
                    detail="unknown account"
                    if user is None
                    else ("inactive account" if not user["active"] else "wrong password"),
                )
            # One message for every cause, so it does not tell which accounts exist.
            errors["_form"] = _("Het e-mailadres of het wachtwoord klopt niet.")
            return again(400)

        await throttle.clear_account(store, email)
        if passwords.needs_rehash(user["password_hash"]):
            await repository.set_password_hash(
                user["id"], await passwords.hash_password(password), keep_stamp=True
            )
        session = session_of(request)
        session.rotate()  # a new id at login: a planted id (fixation) is worthless
        data = session.ensure()
        data.user_id = user["id"]
        data.stamp = user["security_stamp"]
        data.authenticated_at = time.time()
        # The 12 hours count from the login, not from when the login form was first shown.
        data.created = data.authenticated_at
        data.second_factor = False
        role = Role(user["role"])
        # Required for staff; anyone who set up a second factor is asked for it too.
        if role.needs_second_factor or user["totp_enabled_at"] is not None:
            target = "/login/tweede-factor" if user["totp_enabled_at"] else "/account/tweede-factor"
            return Redirect(
                url(target, volgende=next_path if next_path != "/overzicht" else None),
                status_code=303,
            )
        async with db.write_transaction():
            await repository.mark_login(user["id"])
            await record(
                "login",
                actor_email=user["email"],
                object_type="user",
                object_id=user["id"],
                client_ip=ip,
            )
        return Redirect(url(next_path), status_code=303)

    @get("/login/tweede-factor", name="login.second_factor", media_type=MediaType.HTML)
    async def second_factor_form(
        self, request: Request[Any, Any, Any], volgende: FromQuery[str | None] = None
    ) -> Any:
        user = pending_user_of(request)
        if user is None:
            return Redirect(url("/login"), status_code=303)
        if user["totp_enabled_at"] is None:
            return Redirect(url("/account/tweede-factor"), status_code=303)
        return Template(
            "accounts/second_factor.html", context={"errors": {}, "next": safe_next(volgende)}
        )

    @post("/login/tweede-factor", name="login.second_factor.submit", media_type=MediaType.HTML)
    async def second_factor(self, request: Request[Any, Any, Any]) -> Any:
        user = pending_user_of(request)
        if user is None:
            return Redirect(url("/login"), status_code=303)
        form = await request.form()
        code = str(form.get("code") or "").strip()
        next_path = safe_next(str(form.get("volgende") or ""))
        store = throttle_store(request)
        ip = client_ip(request)
        errors: dict[str, str] = {}
        wait = await throttle.seconds_to_wait(store, user["email"], ip)
        if wait:
            errors["code"] = wait_message(wait)
        elif not code:
            errors["code"] = _("Vul de code uit uw app in, of een herstelcode.")
        else:
            outcome = await factor.check_login_code(user["id"], code)
            if outcome is None:
                await throttle.record_failure(store, user["email"], ip)
                async with db.write_transaction():
                    await record(
                        "second_factor_failed",
                        actor_email=user["email"],
                        object_type="user",
                        object_id=user["id"],
                        client_ip=ip,
                    )
                errors["code"] = _(
                    "Deze code klopt niet of is al gebruikt. Probeer de volgende code."
                )
            else:
                await throttle.clear_account(store, user["email"])
                session = session_of(request)
                session.rotate()  # more privilege now: a new id
                session.ensure().second_factor = True
                async with db.write_transaction():
                    await repository.mark_login(user["id"])
                    await record(
                        "login",
                        actor_email=user["email"],
                        object_type="user",
                        object_id=user["id"],
                        client_ip=ip,
                        detail="with recovery code" if outcome == "recovery" else "with TOTP",
                    )
                if outcome == "recovery":
                    left = await factor.recovery_codes_left(user["id"])
                    session.flash(
                        "info",
                        ngettext(
                            "U hebt een herstelcode gebruikt. U hebt nog %(num)s herstelcode over.",
                            "U hebt een herstelcode gebruikt. "
                            "U hebt nog %(num)s herstelcodes over.",
                            left,
                        ),
                    )
                return Redirect(url(next_path), status_code=303)
        return Template(
            "accounts/second_factor.html",
            context={"errors": errors, "next": next_path},
            status_code=429 if wait else 400,
        )

    @post("/logout", name="logout", media_type=MediaType.HTML)
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        principal = principal_of(request)
        pending = pending_user_of(request)
        session = session_of(request)
        if principal or pending:
            async with db.write_transaction():
                await record(
                    "logout",
                    actor=principal,
                    actor_email=pending["email"] if pending and not principal else "",
                    object_type="user",
                    object_id=principal.user_id if principal else pending["id"],  # type: ignore[index]
                    client_ip=client_ip(request),
                )
        session.destroy()
        return Redirect(url("/login", uitgelogd="1"), status_code=303)
