"""The principal: who is asking, in what role, for which organisation or tenant.

Every controller gets it by dependency injection; every repository scopes its queries
by it (:mod:`coop.accounts.scoping`).
"""

from __future__ import annotations

from typing import Literal

import msgspec

from coop.accounts.roles import Role

Scope = Literal["read", "write"]


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    user_id: int
    email: str
    name: str
    role: Role
    organisation_id: int | None = None
    tenant_id: int | None = None
    tenant_slug: str | None = None
    # A session may do what the role allows; an API token also only what its scope allows.
    scope: Scope = "write"
    via: Literal["session", "token", "cli"] = "session"
    token_id: int | None = None

    @property
    def can_write(self) -> bool:
        return self.scope == "write"

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles
