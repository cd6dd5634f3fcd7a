"""Who manages which tenant, as the self-scan's back office sees it.

``selfscan`` imports nothing from its host: the host maps its own logged-in user to a
:class:`TenantUser` and hands it to the WSP back-office controllers by dependency
injection (``dependencies={"tenant_user": Provide(...)}``; the cooperative's bridge is
``coop.accounts.tenant_bridge``). The host's guard has already let in only admins and WSP
users; this module decides which tenant each may touch.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from selfscan.errors import TenantNotFound

ADMIN = "admin"
WSP = "wsp"


class TenantUser(msgspec.Struct, frozen=True):
    user_id: int
    role: str  # "admin" | "wsp"
    tenant_slug: str | None

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


TenantRole = Literal["admin", "wsp"]


def managed_slug(user: TenantUser, slug: str | None = None) -> str:
    """The tenant slug ``user`` may manage: a WSP user's own tenant (``slug``, when given,
    must be that one), or for an admin the ``slug`` asked for. Anything else raises
    :class:`TenantNotFound` (a 404): another tenant's settings simply do not exist for it.
    """
    if user.role == WSP and user.tenant_slug:
        if slug is not None and slug != user.tenant_slug:
            raise TenantNotFound()
        return user.tenant_slug
    if user.role == ADMIN and slug:
        return slug
    raise TenantNotFound()


def may_manage(user: TenantUser, slug: str) -> bool:
    try:
        return managed_slug(user, slug) == slug
    except TenantNotFound:
        return False
