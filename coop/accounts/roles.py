"""The four roles. One role per user; what each may see is decided by role and scope."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    ADMIN = "admin"  # the cooperative's staff: users, tenants, configuration
    COORDINATOR = "coordinator"  # allocates and follows participants
    MEMBER = "member"  # a user of one member organisation
    WSP = "wsp"  # a user of one WSP tenant

    @property
    def needs_second_factor(self) -> bool:
        return self in (Role.ADMIN, Role.COORDINATOR)

    @property
    def staff(self) -> bool:
        """The cooperative's own people, who work in the back office."""
        return self in (Role.ADMIN, Role.COORDINATOR)


def role_label(role: str) -> str:
    from coop.web.i18n import gettext as _

    return {
        Role.ADMIN: _("Beheerder"),
        Role.COORDINATOR: _("Coördinator"),
        Role.MEMBER: _("Lid (werkgever)"),
        Role.WSP: _("Werkgeversservicepunt"),
    }.get(Role(role), role)
