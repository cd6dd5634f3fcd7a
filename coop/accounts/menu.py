"""What each role may use, as one list: the overview page and the navigation show only this."""

from __future__ import annotations

import functools
from collections.abc import Callable

import msgspec

from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.web import i18n
from coop.web.i18n import gettext as _


class MenuItem(msgspec.Struct, frozen=True):
    path: str
    label: str
    description: str


def _remembered(
    build: Callable[[Principal | None], list[MenuItem]],
) -> Callable[[Principal | None], list[MenuItem]]:
    """The menu depends only on the principal (a frozen struct) and the language, and
    the layout asks for it on every page: made once per principal and language."""

    @functools.lru_cache(maxsize=1024)
    def cached(language: str, principal: Principal) -> tuple[MenuItem, ...]:
        return tuple(build(principal))

    @functools.wraps(build)
    def menu_for(principal: Principal | None) -> list[MenuItem]:
        if principal is None:
            return []
        return list(cached(i18n.current_language.get(), principal))

    return menu_for


@_remembered
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
    # Participants: coordinators only; admins see none of their data.
    if principal.role == Role.COORDINATOR:
        items.append(
            MenuItem(
                "/beheer/deelnemers",
                _("Deelnemers"),
                _("Deelnemers inschrijven, volgen en hun toestemmingen vastleggen."),
            )
        )
    if principal.role == Role.MEMBER and principal.organisation_id is not None:
        items.append(
            MenuItem(
                "/bijdrage",
                _("Mijn bijdrage"),
                _("Wat uw organisatie bijdraagt aan de banenafspraak, met de jaarverklaring."),
            )
        )
        items.append(
            MenuItem(
                "/kandidaten",
                _("Kandidaten"),
                _("Anonieme profielen van mensen die werk zoeken via de coöperatie."),
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
    # The supply side (coop.work): members their own packages and places, staff all.
    if principal.role in (Role.MEMBER, Role.COORDINATOR, Role.ADMIN):
        items.append(
            MenuItem(
                "/werk/pakketten",
                _("Werkpakketten"),
                _("Werk aanbieden dat de coöperatie kan combineren tot een baan."),
            )
        )
        items.append(
            MenuItem(
                "/werk/plaatsen",
                _("De pool"),
                _("Plaatsen aanbieden en zien wat er in de pool zit."),
            )
        )
    if principal.role.staff:
        items.append(
            MenuItem(
                "/beheer/banen",
                _("Gecombineerde banen"),
                _("Werkpakketten van leden combineren, en zien wat opnieuw moet."),
            )
        )
    # Allocation and placements (coop.allocation): coordinators allocate and follow up;
    # members and admins read placements (members only their own).
    if principal.role == Role.COORDINATOR:
        items.append(
            MenuItem(
                "/allocatie",
                _("Toewijzen"),
                _("Een voorstel maken dat wachtende deelnemers en open plaatsen koppelt."),
            )
        )
        items.append(
            MenuItem(
                "/plaatsingen/opvolging",
                _("Opvolging"),
                _("Mijlpalen, gesprekken en loonwaardemetingen die aan de beurt zijn."),
            )
        )
    if principal.role in (Role.MEMBER, Role.COORDINATOR, Role.ADMIN):
        items.append(
            MenuItem(
                "/plaatsingen",
                _("Plaatsingen"),
                _("Wie waar werkt, hoeveel uur, en wie de begeleiding doet."),
            )
        )
    # The monitor (coop.reports): coordinators see every figure, admins the same with
    # small counts suppressed.
    if principal.role in (Role.COORDINATOR, Role.ADMIN):
        items.append(
            MenuItem(
                "/monitor",
                _("Monitor"),
                _("Banen, plaatsingen, behoud en uitstroom per periode en regio, met exports."),
            )
        )
    # The WSP's own leads and dashboard (selfscan.tenants.leads).
    if principal.role == Role.WSP and principal.tenant_slug:
        items.append(
            MenuItem(
                f"/wsp/{principal.tenant_slug}/dashboard",
                _("Dashboard"),
                _("Hoe vaak uw zelfscan is ingevuld, met welke uitkomst, en uw leads."),
            )
        )
        items.append(
            MenuItem(
                f"/wsp/{principal.tenant_slug}/leads",
                _("Leads"),
                _("Werkgevers die na de zelfscan contact willen."),
            )
        )
    # The WSP tenants (selfscan.tenants): admins all of them, a WSP user its own settings.
    if principal.role == Role.ADMIN:
        items.append(
            MenuItem(
                "/beheer/wsp",
                _("Werkgeversservicepunten"),
                _(
                    "Werkgeversservicepunten aanmaken, hun gebruikers uitnodigen en hun scan "
                    "instellen."
                ),
            )
        )
    if principal.role == Role.WSP and principal.tenant_slug:
        items.append(
            MenuItem(
                f"/wsp/{principal.tenant_slug}/instellingen",
                _("Instellingen"),
                _("Uw huisstijl, contactgegevens en de websites waarop uw zelfscan staat."),
            )
        )
    # The mail outbox, with its failed mails (coop.mail.controllers).
    if principal.role == Role.ADMIN:
        items.append(
            MenuItem(
                "/beheer/uitgaande-post",
                _("Uitgaande post"),
                _("Alle verstuurde e-mail, en mislukte berichten opnieuw versturen."),
            )
        )
    items.append(
        MenuItem("/account", _("Mijn account"), _("Uw wachtwoord, tweede factor en API-tokens."))
    )
    return items
