"""Placeholder: filled in by the accounts issue."""

from litestar import Controller


class UserAdminController(Controller):
    path = "/_placeholder/UserAdminController"
