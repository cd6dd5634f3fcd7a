"""The member registry in the API: organisations, scoped by the token's user."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter

from coop.accounts.auth import provide_principal, requires
from coop.accounts.principal import Principal
from coop.members import repository

MAX_LIMIT = 100
DEFAULT_LIMIT = 50


class Organisation(msgspec.Struct, frozen=True):
    id: int
    name: str


class OrganisationList(msgspec.Struct, frozen=True):
    items: list[Organisation]
    total: int
    limit: int
    offset: int


Limit = Annotated[
    int, QueryParameter(ge=1, le=MAX_LIMIT, description="How many items, 1 to 100.")
]
Offset = Annotated[int, QueryParameter(ge=0, description="How many items to skip.")]


class OrganisationApiController(Controller):
    path = "/api/v1/organisations"
    tags = ["organisations"]
    guards = [requires()]
    dependencies = {"principal": Provide(provide_principal)}

    @get("/", name="api.organisations", summary="The organisations you may see")
    async def list_organisations(
        self,
        principal: NamedDependency[Principal],
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> OrganisationList:
        """A member sees its own organisation, a WSP user none, the cooperative's staff all;
        ordered by name."""
        rows, total = await repository.organisations(principal, limit=limit, offset=offset)
        return OrganisationList(
            items=[Organisation(id=r["id"], name=r["name"]) for r in rows],
            total=total,
            limit=limit,
            offset=offset,
        )

    @get("/{organisation_id:int}", name="api.organisation", summary="One organisation")
    async def get_organisation(
        self, principal: NamedDependency[Principal], organisation_id: FromPath[int]
    ) -> Organisation:
        """404 for an unknown organisation and for one you may not see alike."""
        row = await repository.organisation(principal, organisation_id)
        return Organisation(id=row["id"], name=row["name"])
