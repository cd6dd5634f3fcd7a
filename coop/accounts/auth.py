"""Who is asking: the middleware that loads the session or checks the Bearer token,
the principal it yields, CSRF protection, and the guards that controllers use.

Paths without cookies (``/api/``, ``/scan/``, ``/embed.js``, ``/static/``, ``/health/``)
never load or start a session; ``/api/`` accepts only ``Authorization: Bearer``.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from litestar.connection import ASGIConnection, Request
from litestar.datastructures import Cookie
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.base import ASGIMiddleware
from litestar.stores.base import Store
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from coop.accounts import principal_repository, repository, sessions, tokens
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.errors import NotAuthenticated, PermissionDenied, SecondFactorRequired
from coop.web.i18n import gettext as _

COOKIELESS_PREFIXES = ("/api/", "/scan/", "/embed.js", "/static/", "/health/", "/schema")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_FIELD = "_csrf"
CSRF_HEADER = "x-csrf-token"
# How long a password-verified login may wait for its second factor.
SECOND_FACTOR_WINDOW_S = 10 * 60

STATE_SESSION = "coop_session"
STATE_PRINCIPAL = "coop_principal"
STATE_PENDING = "coop_pending_user"


def is_cookieless(path: str) -> bool:
    return path == "/scan" or path == "/api" or path.startswith(COOKIELESS_PREFIXES)


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def cookie_name(secure: bool) -> str:
    # The __Host- prefix binds the cookie to this exact origin (Secure, Path=/, no Domain).
    return "__Host-coop_session" if secure else "coop_session"


class AuthMiddleware(ASGIMiddleware):
    scopes = ("http",)  # type: ignore[assignment]

    def __init__(self, *, secure: bool, base_url: str, store_name: str = "sessions") -> None:
        self.secure = secure
        self.origin = base_url.rstrip("/")
        self.store_name = store_name
        self.cookie = cookie_name(secure)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        path = scope["path"]
        state = scope.setdefault("state", {})
        if is_api(path):
            state[STATE_PRINCIPAL] = await principal_from_bearer(scope)
            await next_app(scope, receive, send)
            return
        if is_cookieless(path):
            await next_app(scope, receive, send)
            return

        store: Store = scope["litestar_app"].stores.get(self.store_name)
        request: Request[Any, Any, Any] = Request(scope, receive)
        session_id = request.cookies.get(self.cookie)
        now = time.time()
        data = (
            sessions.decode(await store.get(sessions.store_key(session_id)), now)
            if session_id
            else None
        )
        session = sessions.Session(session_id if data else None, data)
        if session_id and data is None:
            session.old_ids.append(session_id)  # expired or unknown: clear the cookie
        if data and now - data.seen > sessions.TOUCH_INTERVAL_S:
            data.seen = now
            session.dirty = True
        state[STATE_SESSION] = session
        await resolve_session_principal(session, state)

        if scope["method"] in UNSAFE_METHODS:
            await self.check_csrf(request, session)

        async def send_with_session(message: Message) -> None:
            if message["type"] == "http.response.start":
                await self.persist(store, session, message)
                if session.exists or session.old_ids:
                    no_store(message)
            await send(message)

        await next_app(scope, receive, send_with_session)

    async def check_csrf(self, request: Request[Any, Any, Any], session: sessions.Session) -> None:
        origin = request.headers.get("origin")
        if origin and origin.rstrip("/") != self.origin and not _same_host(origin, request):
            raise PermissionDenied(
                _("Dit formulier komt niet van deze website."), code="csrf_origin"
            )
        sent = request.headers.get(CSRF_HEADER)
        if not sent:
            content_type = request.headers.get("content-type", "")
            if content_type.startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")
            ):
                form = await request.form()
                value = form.get(CSRF_FIELD)
                sent = value if isinstance(value, str) else None
        expected = session.data.csrf if session.exists and session.data else None
        if not sent or not expected or not hmac.compare_digest(sent, expected):
            raise PermissionDenied(
                _(
                    "Het formulier is verlopen of niet geldig. Laad de pagina opnieuw en "
                    "probeer het nog eens."
                ),
                code="csrf_failed",
            )

    async def persist(self, store: Store, session: sessions.Session, message: Message) -> None:
        headers = message.setdefault("headers", [])
        for old in session.old_ids:
            await store.delete(sessions.store_key(old))
        if session.exists and session.id and session.data and session.dirty:
            await store.set(
                sessions.store_key(session.id),
                sessions.encode(session.data),
                expires_in=sessions.IDLE_TIMEOUT_S,
            )
        if session.exists and session.new_id and session.id:
            cookie = Cookie(
                key=self.cookie,
                value=session.id,
                path="/",
                httponly=True,
                secure=self.secure,
                samesite="lax",
            )
        elif session.old_ids and not session.exists:
            cookie = Cookie(
                key=self.cookie,
                value="",
                path="/",
                httponly=True,
                secure=self.secure,
                samesite="lax",
                max_age=0,
                expires=0,
            )
        else:
            return
        headers.append((b"set-cookie", cookie.to_header(header="").strip().encode("latin-1")))


def no_store(message: Message) -> None:
    """A page seen with a session is never stored: not by a shared cache, and not by the
    browser, so Back after logout does not show it again."""
    headers = message.setdefault("headers", [])
    headers[:] = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
    headers.append((b"cache-control", b"no-store"))


def _same_host(origin: str, request: Request[Any, Any, Any]) -> bool:
    """Development behind another loopback name (localhost vs 127.0.0.1) is the same site."""
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc == host


async def resolve_session_principal(session: sessions.Session, state: dict[str, Any]) -> None:
    data = session.data
    if not session.exists or data is None or data.user_id is None:
        return
    user = await principal_repository.session_user(data.user_id)
    if not user or not user["active"] or user["security_stamp"] != data.stamp:
        # Deactivated, or what the session may do has changed: this session ends.
        session.destroy()
        return
    role = Role(user["role"])
    needs_second_factor = role.needs_second_factor or user["totp_enabled_at"] is not None
    if needs_second_factor and not data.second_factor:
        waited = time.time() - (data.authenticated_at or 0)
        if waited > SECOND_FACTOR_WINDOW_S:
            session.destroy()  # a password alone does not keep a session alive
            return
        state[STATE_PENDING] = user
        return
    state[STATE_PRINCIPAL] = principal_from_user(user, via="session")


def principal_from_user(
    user: dict[str, Any], *, via: str, scope: str = "write", token_id: int | None = None
) -> Principal:
    return Principal(
        user_id=user["id"],
        email=user["email"],
        name=user["name"],
        role=Role(user["role"]),
        organisation_id=user["organisation"],
        tenant_id=user["tenant"],
        tenant_slug=user.get("tenant_slug"),
        scope=scope,  # type: ignore[arg-type]
        via=via,  # type: ignore[arg-type]
        token_id=token_id,
    )


async def principal_from_bearer(scope: Scope) -> Principal | None:
    header = ""
    for name, value in scope["headers"]:
        if name == b"authorization":
            header = value.decode("latin-1")
            break
    kind, _, token = header.partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        return None
    token = token.strip()
    prefix = tokens.split_token(token)
    if prefix is None:
        return None
    # The token and its user in one query: this runs on every API request.
    row = await principal_repository.token_and_user(prefix)
    if row is None or not tokens.matches(token, row["token_hash"]):
        return None
    now = datetime.now(UTC)
    if row["revoked_at"] is not None or row["expires_at"] <= now or not row["active"]:
        return None
    last = row["last_used_at"]
    if last is None or now - last > tokens.LAST_USED_RESOLUTION:
        await repository.touch_token(row["token_id"], now)
    return principal_from_user(row, via="token", scope=row["scope"], token_id=row["token_id"])


# --- what controllers use -------------------------------------------------------------


def session_of(connection: ASGIConnection[Any, Any, Any, Any]) -> sessions.Session:
    session = connection.scope.get("state", {}).get(STATE_SESSION)
    if session is None:
        # A cookieless path asked for a session: a programming error, not user input.
        raise RuntimeError(f"no session on {connection.scope['path']}")
    return session


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    return connection.scope.get("state", {}).get(STATE_PRINCIPAL)


def pending_user_of(connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any] | None:
    return connection.scope.get("state", {}).get(STATE_PENDING)


def csrf_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The token for a form on this page; starts a session if there is none."""
    return session_of(connection).ensure().csrf


def require_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    principal = principal_of(connection)
    if principal is not None:
        return principal
    pending = pending_user_of(connection)
    if pending is not None and not is_api(connection.scope["path"]):
        # Logged in with a password, but the role needs a second factor first.
        raise SecondFactorRequired(enrol=pending["totp_enabled_at"] is None)
    raise NotAuthenticated(_("Log in om verder te gaan."))


Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Coroutine[Any, Any, None]]


def requires(*roles: Role) -> Guard:
    """A guard: logged in (with the second factor where the role needs it), in one of
    ``roles`` (any role when none are given); unsafe methods need a ``write`` scope."""

    async def guard(
        connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler
    ) -> None:
        principal = require_principal(connection)
        if roles and principal.role not in roles:
            raise PermissionDenied(_("Uw rol geeft geen toegang tot deze pagina."))
        if connection.scope["method"] in UNSAFE_METHODS and not principal.can_write:
            raise PermissionDenied(
                _("Dit token mag alleen lezen; voor wijzigen is de scope 'write' nodig."),
                code="insufficient_scope",
            )

    return guard


async def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    """Dependency for handlers behind a guard."""
    return require_principal(request)
