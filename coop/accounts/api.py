"""The accounts part of the JSON API: who am I (``GET /api/v1/me``).

The API accepts only ``Authorization: Bearer <token>`` (see :mod:`coop.accounts.auth`);
without a valid token every endpoint answers 401 problem details.
"""

from __future__ import annotations

from typing import Literal

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.openapi.datastructures import ResponseSpec

from coop.accounts.auth import provide_principal, requires
from coop.accounts.principal import Principal
from coop.accounts.roles import Role

# The name of the security scheme in the OpenAPI document (components.securitySchemes).
BEARER_SCHEME = "BearerToken"
PROBLEM_JSON = "application/problem+json"


class Me(msgspec.Struct, frozen=True, kw_only=True):
    """The principal behind the token."""

    id: int
    email: str
    role: Role
    organisation_id: int | None
    tenant: str | None  # the WSP tenant's slug
    scope: Literal["read", "write"]


class ProblemDetails(msgspec.Struct, frozen=True, kw_only=True):
    """An RFC 9457 problem document (``application/problem+json``)."""

    type: str
    title: str
    status: int
    code: str
    instance: str
    detail: str | None = None


def me_of(principal: Principal) -> Me:
    return Me(
        id=principal.user_id,
        email=principal.email,
        role=principal.role,
        organisation_id=principal.organisation_id,
        tenant=principal.tenant_slug,
        scope=principal.scope,
    )


UNAUTHORISED = ResponseSpec(
    data_container=ProblemDetails,
    description="No token, or a malformed, unknown, expired or revoked one "
    "(with `WWW-Authenticate: Bearer`).",
    media_type=PROBLEM_JSON,
    generate_examples=False,
)


class MeController(Controller):
    path = "/api/v1"
    tags = ["accounts"]
    security = [{BEARER_SCHEME: []}]
    dependencies = {"principal": Provide(provide_principal)}

    @get(
        "/me",
        name="api.me",
        guards=[requires()],
        summary="Who am I",
        description=(
            "The user behind the API token: id, e-mail address, role, the member "
            "organisation (`organisation_id`, for the role `member`) or the WSP tenant's "
            "slug (`tenant`, for the role `wsp`), and the token's scope (`read` or "
            "`write`). Useful to check that a token works."
        ),
        response_description="The principal of this token.",
        responses={401: UNAUTHORISED},
        operation_id="getMe",
    )
    async def me(self, principal: NamedDependency[Principal]) -> Me:
        return me_of(principal)
