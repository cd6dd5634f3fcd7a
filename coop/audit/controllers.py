"""Placeholder: filled in by the accounts issue."""

from litestar import Controller


class AuditController(Controller):
    path = "/_placeholder/AuditController"
