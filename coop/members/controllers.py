"""Placeholder: filled in by the accounts issue."""

from litestar import Controller


class OrganisationController(Controller):
    path = "/_placeholder/OrganisationController"
