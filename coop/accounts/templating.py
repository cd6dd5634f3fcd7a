"""Template globals of the accounts app: who is logged in, the CSRF token, flash messages."""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context

from coop.accounts import auth
from coop.accounts.menu import menu_for
from coop.accounts.roles import role_label


@pass_context
def current_principal(context: Any) -> Any:
    request = context.get("request")
    return auth.principal_of(request) if request is not None else None


@pass_context
def csrf_token(context: Any) -> str:
    return auth.csrf_token(context["request"])


@pass_context
def flash(context: Any) -> list[tuple[str, str]]:
    request = context.get("request")
    if request is None:
        return []
    session = request.scope.get("state", {}).get(auth.STATE_SESSION)
    return session.pop_flash() if session is not None else []


def as_nav_item(item: Any) -> dict[str, str]:
    return {"path": item.path, "label": item.label}


FILTERS = {"as_nav_item": as_nav_item}

GLOBALS = {
    "current_principal": current_principal,
    "session_csrf": csrf_token,
    "flash": flash,
    "menu_for": menu_for,
    "role_label": role_label,
}
