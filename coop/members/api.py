"""Placeholder: filled in by the accounts issue."""

from litestar import Controller


class OrganisationApiController(Controller):
    path = "/_placeholder/OrganisationApiController"
