"""The member registry's pages. For now: one organisation's page, for whoever may see it."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Template

from coop.accounts.auth import provide_principal, requires
from coop.accounts.principal import Principal
from coop.members import repository


class OrganisationController(Controller):
    path = "/organisaties"
    include_in_schema = False
    guards = [requires()]
    dependencies = {"principal": Provide(provide_principal)}

    @get("/{organisation_id:int}", name="members.organisation")
    async def organisation(
        self, principal: NamedDependency[Principal], organisation_id: FromPath[int]
    ) -> Template:
        # Another organisation's id answers exactly like an unknown one: 404.
        organisation = await repository.organisation(principal, organisation_id)
        return Template("members/organisation.html", context={"organisation": organisation})
