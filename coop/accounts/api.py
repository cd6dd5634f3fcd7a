"""Placeholder: filled in by the accounts issue."""

from litestar import Controller


class MeController(Controller):
    path = "/_placeholder/MeController"
