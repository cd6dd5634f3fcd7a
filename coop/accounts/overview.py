"""The page every user lands on after logging in: what their role lets them do."""

from __future__ import annotations

from litestar import Controller, MediaType, get
from litestar.di import NamedDependency, Provide
from litestar.response import Template

from coop.accounts.auth import provide_principal, requires
from coop.accounts.principal import Principal


class OverviewController(Controller):
    include_in_schema = False
    dependencies = {"principal": Provide(provide_principal)}

    @get("/overzicht", name="overview", guards=[requires()], media_type=MediaType.HTML)
    async def overview(self, principal: NamedDependency[Principal]) -> Template:
        return Template("accounts/overview.html", context={"principal": principal})
