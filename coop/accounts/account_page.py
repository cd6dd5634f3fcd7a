"""The user's own account page: details, second factor, API tokens and password.

Every form here needs a logged-in session (with the second factor where the role needs
it); the guards see to that. Input is kept after an error, passwords never are.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, MediaType, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

from coop import db
from coop.accounts import passwords, repository, throttle, tokens
from coop.accounts import second_factor as factor
from coop.accounts import token_repository as token_repo
from coop.accounts.auth import provide_principal, requires, session_of
from coop.accounts.login import client_ip, throttle_store, wait_message
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.audit.log import record
from coop.errors import NotFound
from coop.web import i18n
from coop.web.i18n import gettext as _
from coop.web.i18n import ngettext
from coop.web.templating import url

# Token and password fields live on one page, so their names differ.
TOKEN_FIELDS = ("name", "scope", "days")
PASSWORD_FIELDS = ("current_password", "new_password", "repeat_password")

LOCAL_TIME = i18n.LOCAL_TIMEZONE


def local(value: datetime | None) -> datetime | None:
    return value.astimezone(LOCAL_TIME) if value is not None else None


class TokenRow(msgspec.Struct, frozen=True, kw_only=True):
    """One token as the page shows it (times in Dutch local time)."""

    id: int
    name: str
    shown: str  # coop_<prefix>_…
    scope: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    status: str  # active | expired | revoked
    revoked_at: datetime | None


def token_rows(rows: list[dict[str, Any]]) -> list[TokenRow]:
    at = repository.now()
    return [
        TokenRow(
            id=row["id"],
            name=row["name"],
            shown=f"{tokens.TOKEN_PREFIX}_{row['prefix']}_…",
            scope=row["scope"],
            created_at=local(row["created_at"]),  # type: ignore[arg-type]
            expires_at=local(row["expires_at"]),  # type: ignore[arg-type]
            last_used_at=local(row["last_used_at"]),
            status=token_repo.status_of(row, at),
            revoked_at=local(row["revoked_at"]),
        )
        for row in rows
    ]


def check_token_form(form: dict[str, str]) -> tuple[dict[str, str], int | None]:
    """Dutch errors by field, and the lifetime in days when it is valid."""
    errors: dict[str, str] = {}
    name = form["name"]
    if not name:
        errors["name"] = _("Geef het token een naam, zodat u later weet waarvoor het is.")
    elif len(name) > token_repo.NAME_MAX_LENGTH:
        errors["name"] = _(
            "Gebruik voor de naam hoogstens %(max)s tekens.", max=token_repo.NAME_MAX_LENGTH
        )
    if form["scope"] not in token_repo.SCOPES:
        errors["scope"] = _("Kies wat het token mag: alleen lezen, of lezen en wijzigen.")
    days: int | None = None
    try:
        days = int(form["days"])
    except ValueError:
        days = None
    if days is None or not 1 <= days <= tokens.MAX_DAYS:
        errors["days"] = _("Vul een aantal dagen in van 1 tot en met %(max)s.", max=tokens.MAX_DAYS)
        days = None
    return errors, days


class AccountController(Controller):
    path = "/account"
    include_in_schema = False
    guards = [requires()]
    dependencies = {"principal": Provide(provide_principal)}

    @get("/", name="account", media_type=MediaType.HTML)
    async def page(self, principal: NamedDependency[Principal]) -> Template:
        return await self._page(principal)

    @post("/tokens", name="account.token.create", media_type=MediaType.HTML)
    async def create_token(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> Any:
        form = await request.form()
        values = {
            "name": " ".join(str(form.get("name") or "").split()),
            "scope": str(form.get("scope") or "").strip(),
            "days": str(form.get("days") or "").strip(),
        }
        errors, days = check_token_form(values)
        if not errors and await token_repo.count_active(principal.user_id) >= (
            token_repo.MAX_ACTIVE_TOKENS
        ):
            errors["name"] = _(
                "U hebt al %(max)s actieve tokens. Trek eerst een token in dat u niet meer "
                "gebruikt.",
                max=token_repo.MAX_ACTIVE_TOKENS,
            )
        if errors or days is None:
            return await self._page(principal, errors=errors, values=values, status=400)
        scope = token_repo.widest_scope([values["scope"]])
        async with db.write_transaction():
            created = await token_repo.create(
                user_id=principal.user_id, name=values["name"], scope=scope, days=days
            )
            await record(
                "token_created",
                actor=principal,
                object_type="api_token",
                object_id=created.id,
                client_ip=client_ip(request),
                detail=f"scope {scope}, {days} days, prefix {created.prefix}",
            )
        session = session_of(request)
        session.ensure().new_token = msgspec.json.encode(created).decode()
        session.dirty = True
        return Redirect(url("/account/tokens/nieuw"), status_code=303)

    @get("/tokens/nieuw", name="account.token.created", media_type=MediaType.HTML)
    async def token_created(self, request: Request[Any, Any, Any]) -> Any:
        session = session_of(request)
        raw = session.data.new_token if session.data else None
        if not raw:
            return Redirect(url("/account"), status_code=303)
        session.data.new_token = None  # type: ignore[union-attr]
        session.dirty = True
        created = msgspec.json.decode(raw, type=token_repo.CreatedToken)
        return Template(
            "accounts/token_created.html",
            context={
                "created": created,
                "expires_at": local(created.expires_at),
                "api_url": str(request.base_url).rstrip("/") + "/api/v1/me",
            },
            # The only copy of the secret: no cache may keep it.
            headers={"Cache-Control": "no-store"},
        )

    @post(
        "/tokens/{token_id:int}/intrekken",
        name="account.token.revoke",
        media_type=MediaType.HTML,
    )
    async def revoke_token(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        token_id: FromPath[int],
    ) -> Redirect:
        async with db.write_transaction():
            revoked = await token_repo.revoke(user_id=principal.user_id, token_id=token_id)
            if revoked is None:
                # Another user's token does not exist for this user.
                raise NotFound(code="api_token_not_found")
            if not revoked["already"]:
                await record(
                    "token_revoked",
                    actor=principal,
                    object_type="api_token",
                    object_id=token_id,
                    client_ip=client_ip(request),
                    detail=f"prefix {revoked['prefix']}",
                )
        session_of(request).flash(
            "success",
            _("Het token ‘%(name)s’ is ingetrokken. Het werkt niet meer.", name=revoked["name"]),
        )
        return Redirect(url("/account") + "#api-tokens", status_code=303)

    @post("/wachtwoord", name="account.password", media_type=MediaType.HTML)
    async def change_password(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> Any:
        form = await request.form()
        current = str(form.get("current_password") or "")
        new = str(form.get("new_password") or "")
        repeat = str(form.get("repeat_password") or "")
        errors: dict[str, str] = {}
        store = throttle_store(request)
        ip = client_ip(request)
        wait = await throttle.seconds_to_wait(store, principal.email, ip)
        if wait:
            errors["current_password"] = wait_message(wait)
            return await self._page(principal, errors=errors, status=429)
        if not current:
            errors["current_password"] = _("Vul uw huidige wachtwoord in.")
        if not new:
            errors["new_password"] = _("Vul een nieuw wachtwoord in.")
        else:
            problem = passwords.policy_problem(new, email=principal.email, name=principal.name)
            if problem:
                errors["new_password"] = problem
            elif new == current:
                errors["new_password"] = _("Kies een ander wachtwoord dan uw huidige wachtwoord.")
        if new and not repeat:
            errors["repeat_password"] = _("Vul het nieuwe wachtwoord nog een keer in.")
        elif new and repeat != new:
            errors["repeat_password"] = _(
                "De twee nieuwe wachtwoorden zijn niet gelijk. Typ ze nog een keer."
            )
        if current and not await passwords.verify_password(
            await repository.password_hash_of(principal.user_id), current
        ):
            await throttle.record_failure(store, principal.email, ip)
            errors["current_password"] = _("Uw huidige wachtwoord klopt niet.")
            async with db.write_transaction():
                await record(
                    "password_change_failed",
                    actor=principal,
                    object_type="user",
                    object_id=principal.user_id,
                    client_ip=ip,
                    detail="wrong current password",
                )
        if errors:
            return await self._page(principal, errors=errors, status=400)

        new_hash = await passwords.hash_password(new)
        async with db.write_transaction():
            # A new security stamp: every other session of this user ends.
            await repository.set_password_hash(principal.user_id, new_hash)
            user = await repository.user_by_id(principal.user_id)
            await record(
                "password_changed",
                actor=principal,
                object_type="user",
                object_id=principal.user_id,
                client_ip=ip,
            )
        await throttle.clear_account(store, principal.email)
        # This session stays: a new id, carrying the new stamp.
        session = session_of(request)
        session.rotate()
        session.ensure().stamp = user["security_stamp"] if user else None
        session.flash(
            "success",
            _("Uw wachtwoord is gewijzigd. Op andere computers en telefoons bent u nu uitgelogd."),
        )
        return Redirect(url("/account"), status_code=303)

    async def _page(
        self,
        principal: Principal,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        status: int = 200,
    ) -> Template:
        details = await repository.account_details(principal.user_id)
        if details is None:  # removed between the guard and here
            raise NotFound()
        has_factor = details["totp_enabled_at"] is not None
        codes_left = await factor.recovery_codes_left(principal.user_id) if has_factor else 0
        rows = token_rows(await token_repo.tokens_of(principal.user_id))
        errors = errors or {}
        # The summary lists the errors in the order of the fields on the page.
        order = {name: i for i, name in enumerate((*TOKEN_FIELDS, *PASSWORD_FIELDS))}
        errors = dict(sorted(errors.items(), key=lambda item: order.get(item[0], -1)))
        defaults = {"name": "", "scope": "read", "days": str(tokens.DEFAULT_DAYS)}
        return Template(
            "accounts/account.html",
            context={
                "principal": principal,
                "details": details,
                "role": Role(details["role"]),
                "second_factor": {
                    "enabled": has_factor,
                    "enabled_at": local(details["totp_enabled_at"]),
                    "required": Role(details["role"]).needs_second_factor,
                    "codes_left": codes_left,
                    "codes_left_text": ngettext(
                        "U hebt nog %(num)s herstelcode.",
                        "U hebt nog %(num)s herstelcodes.",
                        codes_left,
                    ),
                },
                "password_changed_at": local(details["password_changed_at"]),
                "tokens": rows,
                "errors": errors,
                "values": {**defaults, **(values or {})},
                "max_days": tokens.MAX_DAYS,
                "name_max": token_repo.NAME_MAX_LENGTH,
            },
            status_code=status,
        )
