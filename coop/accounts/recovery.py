"""Placeholder: filled in by the accounts issue."""

from litestar import Controller


class PasswordRecoveryController(Controller):
    path = "/_placeholder/PasswordRecoveryController"
