"""One mapping from exceptions to responses.

Under ``/api`` every error is an RFC 9457 problem document; everywhere else it is a
Dutch (or English) HTML page. Stack traces appear only in development.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotFoundException,
    TooManyRequestsException,
    ValidationException,
)
from litestar.response import Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from coop.errors import (
    DomainError,
    FieldError,
    NotAuthenticated,
    RateLimited,
    SecondFactorRequired,
    ValidationFailed,
)
from coop.web.i18n import LANGUAGES, current_language
from coop.web.i18n import gettext as _
from selfscan.errors import (
    InvalidAnswers,
    InvalidInput,
    QuestionnaireError,
    ScanNotCompleted,
    ScanNotFound,
    SelfscanError,
    TenantNotFound,
    TooManyScans,
    UnknownVersion,
)

log = logging.getLogger("coop.errors")

PROBLEM_JSON = "application/problem+json"


def _titles() -> dict[int, str]:
    return {
        400: _("Ongeldig verzoek"),
        401: _("Niet aangemeld"),
        403: _("Geen toegang"),
        404: _("Pagina niet gevonden"),
        405: _("Methode niet toegestaan"),
        409: _("Conflict"),
        413: _("Verzoek te groot"),
        415: _("Type inhoud niet ondersteund"),
        422: _("De invoer klopt niet"),
        429: _("Te veel verzoeken"),
        500: _("Er ging iets mis"),
        503: _("Dienst tijdelijk niet beschikbaar"),
    }


def _explanations() -> dict[int, str]:
    return {
        403: _("U hebt geen toegang tot deze pagina."),
        404: _(
            "De pagina die u zoekt bestaat niet (meer). "
            "Controleer het adres of ga naar de startpagina."
        ),
        429: _(
            "U hebt in korte tijd te veel verzoeken gedaan. Wacht even en probeer het dan opnieuw."
        ),
        500: _(
            "Er ging aan onze kant iets mis. Probeer het later opnieuw. "
            "Blijft het misgaan, neem dan contact met ons op."
        ),
        503: _("De dienst is tijdelijk niet beschikbaar. Probeer het over enkele minuten opnieuw."),
    }


def _codes() -> dict[int, str]:
    return {
        400: "bad_request",
        401: "not_authenticated",
        403: "permission_denied",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "request_too_large",
        415: "unsupported_media_type",
        422: "validation_failed",
        429: "rate_limited",
        500: "internal_error",
        503: "unavailable",
    }


def field_errors_from_validation(exc: ValidationException) -> list[FieldError]:
    """Litestar wraps msgspec's error as ``[{"message", "key", "source"}]``."""
    errors: list[FieldError] = []
    extra = exc.extra if isinstance(exc.extra, list) else []
    for item in extra:
        if not isinstance(item, dict):
            continue
        key = str(item.get("key") or "")
        message = str(item.get("message") or "")
        # msgspec reports the path in the message: "... - at `$.answers.q1`".
        if not key and "at `$." in message:
            key = message.rsplit("at `$.", 1)[1].rstrip("`")
            message = message.rsplit(" - at `", 1)[0]
        errors.append(FieldError(field=key or "body", detail=message or str(exc.detail)))
    return errors


def is_api(request: Request[Any, Any, Any]) -> bool:
    path = request.scope.get("path", "")
    return path == "/api" or path.startswith("/api/")


def problem(
    request: Request[Any, Any, Any],
    status: int,
    *,
    code: str | None = None,
    detail: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Any]:
    body: dict[str, Any] = {
        "type": "about:blank" if code is None else f"urn:coop:problem:{code}",
        "title": _titles().get(status, _("Fout")),
        "status": status,
        "code": code or _codes().get(status, "error"),
        "instance": request.scope.get("path", ""),
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = [
            {"field": e.field, "pointer": "#/" + e.field.replace(".", "/"), "detail": e.detail}
            for e in errors
        ]
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def error_page(
    request: Request[Any, Any, Any],
    status: int,
    *,
    detail: str | None = None,
    trace: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Any]:
    return Template(
        template_name="errors/error.html",
        context={
            "status": status,
            "title": _titles().get(status, _("Fout")),
            "explanation": detail or _explanations().get(status, ""),
            "trace": trace,
        },
        status_code=status,
        media_type=MediaType.HTML,
        headers=headers,
    )


def _respond(
    request: Request[Any, Any, Any],
    status: int,
    *,
    code: str | None = None,
    detail: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    trace: str | None = None,
) -> Response[Any]:
    if is_api(request):
        return problem(request, status, code=code, detail=detail, errors=errors, headers=headers)
    return error_page(
        request, status, detail=detail if status < 500 else None, trace=trace, headers=headers
    )


def handle_domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    if isinstance(exc, NotAuthenticated):
        return handle_not_authenticated(request, exc)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    errors = list(exc.errors) if isinstance(exc, ValidationFailed) else None
    detail: str | None = exc.detail
    if detail == exc.title and not is_api(request):
        # No detail of its own ("Niet gevonden" under the title "Pagina niet gevonden"):
        # the page's own explanation says more, in the page's language.
        detail = None
    return _respond(
        request, exc.status_code, code=exc.code, detail=detail, errors=errors, headers=headers
    )


def handle_not_authenticated(
    request: Request[Any, Any, Any], exc: NotAuthenticated
) -> Response[Any]:
    if is_api(request):
        return problem(
            request,
            401,
            code=exc.code,
            detail=_("Stuur een geldig API-token mee: Authorization: Bearer <token>."),
            headers={"WWW-Authenticate": 'Bearer realm="coop"'},
        )
    from litestar.response import Redirect

    from coop.web.templating import url

    if isinstance(exc, SecondFactorRequired):
        target = "/account/tweede-factor" if exc.enrol else "/login/tweede-factor"
        return Redirect(url(target), status_code=303)
    path = request.scope.get("path", "/")
    query = request.scope.get("query_string", b"").decode("latin-1")
    back = path + (f"?{query}" if query else "")
    return Redirect(url("/login", volgende=back if back != "/" else None), status_code=303)


def handle_validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    errors = field_errors_from_validation(exc)
    # A body that is not JSON at all is a bad request; one that is JSON of the wrong
    # shape names its fields and is unprocessable.
    if errors and not any(
        e.detail.startswith(("JSON is malformed", "Input data was truncated")) for e in errors
    ):
        return _respond(
            request,
            422,
            code="validation_failed",
            detail=_("Een of meer velden zijn niet goed ingevuld."),
            errors=errors,
        )
    return _respond(
        request,
        400,
        code="bad_request",
        detail=_("De inhoud van het verzoek is geen geldige JSON."),
    )


def handle_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    headers = dict(exc.headers or {})
    detail = None
    if isinstance(exc, TooManyRequestsException):
        detail = _explanations()[429]
        # Litestar says when the window resets; browsers and clients read Retry-After.
        reset = headers.get("RateLimit-Reset") or headers.get("ratelimit-reset")
        headers["Retry-After"] = str(max(1, int(reset))) if reset and reset.isdigit() else "60"
    elif isinstance(exc, NotFoundException):
        detail = None
    elif status < 500 and exc.detail and exc.detail != _default_detail(status):
        # Litestar's own details are English developer texts; show them only in the API.
        detail = exc.detail if is_api(request) else None
    return _respond(request, status, detail=detail, headers=headers or None)


def _default_detail(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error", extra={"path_template": request.scope.get("path_template")})
    debug = bool(getattr(request.app, "debug", False))
    trace = "".join(traceback.format_exception(exc)) if debug else None
    return _respond(request, HTTP_500_INTERNAL_SERVER_ERROR, trace=trace)


def _selfscan_status(exc: SelfscanError) -> int:
    if isinstance(exc, InvalidAnswers | InvalidInput):
        return 422
    if isinstance(exc, ScanNotFound | TenantNotFound | UnknownVersion):
        return 404
    if isinstance(exc, ScanNotCompleted):
        return 409
    if isinstance(exc, TooManyScans):
        return 429
    return 400


def handle_selfscan_error(request: Request[Any, Any, Any], exc: SelfscanError) -> Response[Any]:
    """The self-scan's errors (selfscan.errors): problem details with one field error per
    wrong answer in the API, in the language the caller chose (the body's ``lang``); an
    error page elsewhere. A broken questionnaire file is our fault: a 500."""
    if isinstance(exc, QuestionnaireError):
        return handle_unexpected(request, exc)
    lang = exc.lang if exc.lang in LANGUAGES else current_language.get()
    token = current_language.set(lang)
    try:
        problems = getattr(exc, "problems", ())
        errors = [FieldError(field=p.field, detail=p.message.get(lang)) for p in problems]
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyScans) else None
        return _respond(
            request,
            _selfscan_status(exc),
            code=exc.code,
            detail=exc.detail_in(lang),
            errors=errors or None,
            headers=headers,
        )
    finally:
        current_language.reset(token)


def handle_too_deep(request: Request[Any, Any, Any], exc: RecursionError) -> Response[Any]:
    """msgspec refuses JSON nested beyond its recursion limit with a RecursionError;
    that is bad input, not our failure."""
    return _respond(
        request, 400, code="bad_request", detail=_("De inhoud van het verzoek is te diep genest.")
    )


EXCEPTION_HANDLERS = {
    RecursionError: handle_too_deep,
    DomainError: handle_domain_error,
    SelfscanError: handle_selfscan_error,
    ValidationException: handle_validation,
    HTTPException: handle_http,
    Exception: handle_unexpected,
}
