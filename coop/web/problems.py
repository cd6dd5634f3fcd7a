"""One mapping from exceptions to responses.

Under ``/api`` every error is an RFC 9457 problem document; everywhere else it is a
Dutch (or English) HTML page. Stack traces appear only in development.
"""

from __future__ import annotations

import logging
import re
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
from coop.web.i18n import LANGUAGES, current_language, ngettext
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


def _domain_defaults() -> dict[str, str]:
    """coop.errors' default details (the Dutch texts there), translated."""
    return {
        "Het verzoek kan niet worden verwerkt": _("Het verzoek kan niet worden verwerkt"),
        "Niet gevonden": _("Niet gevonden"),
        "Geen toegang": _("Geen toegang"),
        "Conflict met de huidige toestand": _("Conflict met de huidige toestand"),
        "De invoer klopt niet": _("De invoer klopt niet"),
        "Een of meer velden zijn niet goed ingevuld.": _(
            "Een of meer velden zijn niet goed ingevuld."
        ),
        "Te veel verzoeken": _("Te veel verzoeken"),
        "Niet aangemeld": _("Niet aangemeld"),
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


# msgspec's validation messages (msgspec/_core.c), the common kinds: what is expected, a
# bound, a length, a pattern, an unknown or missing field, an enum value, a date.
_EXPECTED = re.compile(r"^Expected `(?P<type>[^`]+)`, got `[^`]+`$")
_BOUND = re.compile(r"^Expected `(?P<type>int|float|number)` (?P<op>>=|<=|>|<) (?P<limit>\S+)$")
_LENGTH = re.compile(r"^Expected `(?P<type>[^`]+)` of length (?P<op>>=|<=) (?P<limit>\d+)$")
_PATTERN = re.compile(r"^Expected `str` matching regex (?P<pattern>'.*')$")
_UNKNOWN = re.compile(r"^Object contains unknown field `(?P<name>[^`]+)`$")
_MISSING = re.compile(r"^Object missing required field `(?P<name>[^`]+)`$")
_ENUM = re.compile(r"^Invalid enum value (?P<value>.+)$")
_TIME = re.compile(r"^Invalid RFC3339 encoded (?P<kind>date|datetime|time)$")


def _type_names() -> dict[str, str]:
    return {
        "int": _("een geheel getal"),
        "float": _("een getal"),
        "number": _("een getal"),
        "str": _("tekst"),
        "bool": _("true of false"),
        "null": "null",
        "array": _("een lijst"),
        "object": _("een object"),
        "date": _("een datum (JJJJ-MM-DD)"),
        "datetime": _("een tijdstip (RFC 3339)"),
        "time": _("een tijd (UU:MM:SS)"),
        "uuid": _("een UUID"),
    }


def _expected(types: str) -> str:
    names = _type_names()
    parts = [names.get(part.strip(), part.strip()) for part in types.split("|")]
    if len(parts) == 1:
        return parts[0]
    return _("%(first)s of %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def validation_message(message: str) -> str:
    """msgspec's English message about one field, in the request's language (Dutch by
    default); a kind we do not know passes unchanged rather than being guessed at."""
    text = message.strip()
    if m := _EXPECTED.match(text):
        return _("Moet %(expected)s zijn.") % {"expected": _expected(m["type"])}
    if m := _BOUND.match(text):
        limit = m["limit"].removesuffix(".0")
        return {
            ">=": _("Moet %(limit)s of meer zijn."),
            "<=": _("Moet %(limit)s of minder zijn."),
            ">": _("Moet meer dan %(limit)s zijn."),
            "<": _("Moet minder dan %(limit)s zijn."),
        }[m["op"]] % {"limit": limit}
    if m := _LENGTH.match(text):
        n = int(m["limit"])
        if m["type"] == "str":
            if m["op"] == ">=":
                return ngettext(
                    "Moet minstens %(num)s teken lang zijn.",
                    "Moet minstens %(num)s tekens lang zijn.",
                    n,
                )
            return ngettext(
                "Mag hoogstens %(num)s teken lang zijn.",
                "Mag hoogstens %(num)s tekens lang zijn.",
                n,
            )
        if m["op"] == ">=":
            return ngettext(
                "Moet minstens %(num)s element bevatten.",
                "Moet minstens %(num)s elementen bevatten.",
                n,
            )
        return ngettext(
            "Mag hoogstens %(num)s element bevatten.",
            "Mag hoogstens %(num)s elementen bevatten.",
            n,
        )
    if m := _PATTERN.match(text):
        return _("Heeft niet de juiste vorm (patroon %(pattern)s).") % {"pattern": m["pattern"]}
    if m := _UNKNOWN.match(text):
        return _("Onbekend veld `%(name)s`.") % {"name": m["name"]}
    if m := _MISSING.match(text):
        return _("Het verplichte veld `%(name)s` ontbreekt.") % {"name": m["name"]}
    if m := _ENUM.match(text):
        return _("De waarde %(value)s is niet toegestaan.") % {"value": m["value"]}
    if m := _TIME.match(text):
        return _("Moet %(expected)s zijn.") % {"expected": _expected(m["kind"])}
    return message


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
    # The exceptions' own default texts are Dutch constants: give them in the caller's
    # language like every other text of the response.
    detail: str | None = _domain_defaults().get(exc.detail, exc.detail)
    if exc.detail == exc.title and not is_api(request):
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
            errors=[FieldError(field=e.field, detail=validation_message(e.detail)) for e in errors],
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
