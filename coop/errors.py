"""The domain's exceptions: a small tree with a stable code and a Dutch detail.

Rules and repositories raise these; :mod:`coop.web.problems` maps them to HTTP once,
so no controller builds an error response by hand.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec


class FieldError(msgspec.Struct, frozen=True):
    """One invalid field: a dotted path (``answers.q1``) and what is wrong with it."""

    field: str
    detail: str


class DomainError(Exception):
    """Base of every expected failure. ``code`` is stable; ``detail`` is for people."""

    status_code: int = 400
    code: str = "domain_error"
    title: str = "Het verzoek kan niet worden verwerkt"

    def __init__(self, detail: str | None = None, *, code: str | None = None) -> None:
        self.detail = detail or self.title
        if code:
            self.code = code
        super().__init__(self.detail)


class NotFound(DomainError):
    """Also the answer for a record the principal may not see, so nothing leaks."""

    status_code = 404
    code = "not_found"
    title = "Niet gevonden"


class PermissionDenied(DomainError):
    status_code = 403
    code = "permission_denied"
    title = "Geen toegang"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
    title = "Conflict met de huidige toestand"


class ValidationFailed(DomainError):
    status_code = 422
    code = "validation_failed"
    title = "De invoer klopt niet"

    def __init__(
        self,
        errors: Sequence[FieldError],
        detail: str | None = None,
        *,
        code: str | None = None,
    ) -> None:
        self.errors = tuple(errors)
        super().__init__(detail or "Een of meer velden zijn niet goed ingevuld.", code=code)


class RateLimited(DomainError):
    status_code = 429
    code = "rate_limited"
    title = "Te veel verzoeken"

    def __init__(self, retry_after: int, detail: str | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(detail)


class NotAuthenticated(DomainError):
    """No valid session or token. Pages answer with a redirect to the login page."""

    status_code = 401
    code = "not_authenticated"
    title = "Niet aangemeld"


class SecondFactorRequired(NotAuthenticated):
    """Logged in with a password, but the role needs the second factor first."""

    code = "second_factor_required"

    def __init__(self, enrol: bool) -> None:
        self.enrol = enrol
        super().__init__()
