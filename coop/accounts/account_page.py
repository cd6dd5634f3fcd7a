"""Placeholder: filled in by the accounts issue."""

from litestar import Controller


class AccountController(Controller):
    path = "/_placeholder/AccountController"
