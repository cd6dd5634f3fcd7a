"""What each role may use, as one list: the overview page and the navigation show only this."""

from __future__ import annotations

import msgspec

from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.web.i18n import gettext as _


class MenuItem(msgspec.Struct, frozen=True):
    path: str
    label: str
    description: str


def menu_for(principal: Principal | None) -> list[MenuItem]:
    if principal is None:
        return []
    items: list[MenuItem] = []
    if principal.role == Role.MEMBER and principal.organisation_id is not None:
        items.append(
            MenuItem(
                f"/organisaties/{principal.organisation_id}",
                _("Mijn organisatie"),
                _("De gegevens van uw organisatie bij de coöperatie."),
            )
        )
    if principal.role == Role.ADMIN:
        items.append(
            MenuItem(
                "/beheer/gebruikers",
                _("Gebruikers"),
                _("Gebruikers uitnodigen, rollen wijzigen en accounts deactiveren."),
            )
        )
    if principal.role.staff:
        items.append(
            MenuItem(
                "/beheer/leden",
                _("Leden"),
                _("Leden zoeken en beheren, en aanmeldingen beoordelen."),
            )
        )
        items.append(
            MenuItem("/beheer/audit", _("Auditlog"), _("Wie heeft wat gedaan, en wanneer."))
        )
    items.append(
        MenuItem("/account", _("Mijn account"), _("Uw wachtwoord, tweede factor en API-tokens."))
    )
    return items
