"""Enrolling the second factor: scan the QR code, confirm with one code, keep the
recovery codes. Required for admins and coordinators before anything else."""

from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from coop import db
from coop.accounts import passwords, repository, totp
from coop.accounts import second_factor as factor
from coop.accounts.auth import pending_user_of, principal_of, session_of
from coop.accounts.login import client_ip, safe_next
from coop.audit.log import record
from coop.web.i18n import gettext as _
from coop.web.templating import url


def _enrolling_user(request: Request[Any, Any, Any]) -> dict[str, Any] | None:
    """Who may enrol here: a user logged in with a password whose role needs the second
    factor and who has none yet, or a fully logged-in user who wants to set one up anew."""
    pending = pending_user_of(request)
    if pending is not None:
        return pending if pending["totp_enabled_at"] is None else None
    principal = principal_of(request)
    if principal is not None and principal.via == "session":
        # Replacing a factor is a privilege change: the password is asked again, so an
        # unattended open session is not enough to take over the second factor.
        return {
            "id": principal.user_id,
            "email": principal.email,
            "totp_enabled_at": None,
            "reauth": True,
        }
    return None


class EnrolmentController(Controller):
    path = "/account/tweede-factor"
    include_in_schema = False

    @get("/", name="second_factor.enrol", media_type=MediaType.HTML)
    async def form(
        self, request: Request[Any, Any, Any], volgende: FromQuery[str | None] = None
    ) -> Any:
        user = _enrolling_user(request)
        if user is None:
            pending = pending_user_of(request)
            target = "/login/tweede-factor" if pending else "/login"
            return Redirect(url(target), status_code=303)
        session = session_of(request)
        data = session.ensure()
        if not data.enrol_secret:
            data.enrol_secret = totp.new_secret()
            session.dirty = True
        return self._page(
            user["email"], data.enrol_secret, {}, safe_next(volgende), reauth="reauth" in user
        )

    @post("/", name="second_factor.enrol.submit", media_type=MediaType.HTML)
    async def confirm(self, request: Request[Any, Any, Any]) -> Any:
        user = _enrolling_user(request)
        session = session_of(request)
        data = session.ensure()
        if user is None or not data.enrol_secret:
            return Redirect(url("/login"), status_code=303)
        form = await request.form()
        code = str(form.get("code") or "")
        next_path = safe_next(str(form.get("volgende") or ""))
        reauth = "reauth" in user
        if reauth:
            password = str(form.get("password") or "")
            password_hash = await repository.password_hash_of(user["id"])
            if not password or not await passwords.verify_password(password_hash, password):
                error = (
                    _("Vul uw huidige wachtwoord in.")
                    if not password
                    else _("Dit wachtwoord klopt niet.")
                )
                return self._page(
                    user["email"],
                    data.enrol_secret,
                    {"password": error},
                    next_path,
                    status=400,
                    reauth=True,
                )
        step = totp.accepted_step(data.enrol_secret, code, None)
        if step is None:
            error = (
                _("Vul de code van 6 cijfers uit uw app in.")
                if not code.strip()
                else _(
                    "Deze code klopt niet. Controleer de tijd op uw telefoon en "
                    "vul de nieuwste code in."
                )
            )
            return self._page(
                user["email"],
                data.enrol_secret,
                {"code": error},
                next_path,
                status=400,
                reauth=reauth,
            )
        async with db.write_transaction():
            codes, stamp = await factor.enable(user["id"], data.enrol_secret, step)
            await repository.mark_login(user["id"])
            await record(
                "second_factor_enrolled",
                actor_email=user["email"],
                object_type="user",
                object_id=user["id"],
                client_ip=client_ip(request),
            )
            await record(
                "login",
                actor_email=user["email"],
                object_type="user",
                object_id=user["id"],
                client_ip=client_ip(request),
                detail="with TOTP (enrolment)",
            )
        session.rotate()  # privilege changed: a new session id
        data.enrol_secret = None
        data.stamp = stamp
        data.second_factor = True
        return Template("accounts/recovery_codes.html", context={"codes": codes, "next": next_path})

    def _page(
        self,
        email: str,
        secret: str,
        errors: dict[str, str],
        next_path: str,
        status: int = 200,
        *,
        reauth: bool = False,
    ) -> Template:
        uri = totp.provisioning_uri(secret, email)
        return Template(
            "accounts/enrol.html",
            context={
                "qr": totp.qr_svg(uri, _("QR-code om in uw authenticator-app te scannen")),
                "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
                "errors": errors,
                "next": next_path,
                "reauth": reauth,
            },
            status_code=status,
        )
