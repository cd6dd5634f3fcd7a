"""The self-scan's own exceptions: a small tree with a stable ``code`` and a Dutch ``detail``.

``selfscan`` imports nothing from ``coop``; the host application maps these to problem
details (QuestionnaireError is a start-up failure, UnknownVersion a 404, InvalidAnswers a
422 with one field error per :class:`~selfscan.model.AnswerProblem`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import AnswerProblem


class SelfscanError(Exception):
    """Base of every expected failure in the self-scan."""

    code: str = "selfscan_error"
    detail: str = "De zelfscan kan dit verzoek niet verwerken."
    #: The detail in English, where a subclass has one; Dutch otherwise.
    detail_en: str | None = None
    #: The language the caller asked for (the API's ``lang``), when it is known here.
    lang: str | None = None

    def detail_in(self, lang: str) -> str:
        """The detail in ``lang`` ("nl" or "en"); Dutch when there is no English text."""
        return self.detail_en if lang == "en" and self.detail_en else self.detail


class QuestionnaireError(SelfscanError, ValueError):
    """A questionnaire or advice file that is not valid; stops start-up.

    Every problem is a (place, message) pair with the place written the way the file reads
    (``themes[3].questions[2].options[1].score``); ``str()`` gives one line per problem as
    ``<file>: <place>: <message>``.
    """

    code = "questionnaire_invalid"

    def __init__(self, file: str, problems: Iterable[tuple[str, str]]) -> None:
        self.file = file
        self.problems = tuple(problems)
        self.detail = f"Het bestand {file} van de zelfscan is niet geldig."
        super().__init__("\n".join(f"{file}: {place}: {msg}" for place, msg in self.problems))


class UnknownVersion(SelfscanError, LookupError):
    """No questionnaire file for the version; never a fallback to another version."""

    code = "unknown_version"

    def __init__(self, version: str, available: Sequence[str]) -> None:
        self.version = version
        self.available = tuple(available)
        self.detail = f"Vragenlijst {version} bestaat niet."
        listed = ", ".join(self.available) or "none"
        super().__init__(f"no questionnaire version {version!r}; available: {listed}")


class InvalidAnswers(SelfscanError, ValueError):
    """Answers that do not fit the questionnaire; ``problems`` names each field."""

    code = "invalid_answers"
    detail = "Niet alle antwoorden kloppen."
    detail_en = "Not all answers are right."

    def __init__(self, problems: Sequence[AnswerProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.field}: {p.message.en}" for p in self.problems))


# --- stored scans (selfscan.scans) ---------------------------------------------------------


class InvalidInput(SelfscanError, ValueError):
    """Other posted fields that do not fit (the tenant, the organisation profile); like
    InvalidAnswers, ``problems`` names each field."""

    code = "validation_failed"
    detail = "Een of meer velden zijn niet goed ingevuld."
    detail_en = "One or more fields are not filled in correctly."

    def __init__(self, problems: Sequence[AnswerProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.field}: {p.message.en}" for p in self.problems))


class ScanNotFound(SelfscanError, LookupError):
    """No scan for this link: unknown, malformed, of another tenant, or expired. One
    answer for all of them, so a guess learns nothing."""

    code = "scan_not_found"
    detail = "Deze link werkt niet (meer). De scan bestaat niet, of de link is verlopen."
    detail_en = (
        "This link does not work (any more). The scan does not exist, or the link has expired."
    )

    #: What the 404 page needs to keep a WSP's look and frame (set by the scan pages).
    brand: dict[str, object] | None = None

    def __init__(self, tenant: str | None = None) -> None:
        self.tenant = tenant
        super().__init__(self.detail)


class TenantNotFound(SelfscanError, LookupError):
    """No active tenant (WSP) with this slug."""

    code = "tenant_not_found"
    detail = "Deze zelfscan bestaat niet (meer)."
    detail_en = "This self-scan does not exist (any more)."


class ScanNotCompleted(SelfscanError):
    """The scan is still a draft: not every question has been answered yet."""

    code = "scan_not_completed"
    detail = "Deze scan is nog niet afgerond: nog niet alle vragen zijn beantwoord."
    detail_en = "This scan has not been completed yet: not every question has been answered."


class TooManyScans(SelfscanError):
    """A client started more new scans in a minute than allowed."""

    code = "rate_limited"
    detail = (
        "U hebt in korte tijd te veel nieuwe scans gestart. Wacht een minuut en probeer het "
        "dan opnieuw."
    )
    detail_en = "You have started too many new scans in a short time. Wait a minute and try again."

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(self.detail)


class TooManyTenantScans(TooManyScans):
    """More new scans for one tenant in a minute than allowed, from all clients together."""

    detail = (
        "Er worden op dit moment erg veel scans gestart. Wacht een minuut en probeer het dan "
        "opnieuw."
    )
    detail_en = "A great many scans are being started right now. Wait a minute and try again."


class TooManySubmits(TooManyScans):
    """More posted steps in a minute than allowed, from one client or for one tenant."""

    detail = (
        "U hebt in korte tijd erg vaak op verzenden geklikt. Wacht een minuut en probeer het "
        "dan opnieuw."
    )
    detail_en = "You have sent the form very often in a short time. Wait a minute and try again."


class FormRefused(SelfscanError):
    """A scan form that a person did not send: the hidden field was filled in, or it came
    from another site (Origin or Referer of another origin)."""

    code = "form_refused"
    detail = (
        "Dit formulier kunnen we niet verwerken. Laad de pagina opnieuw en probeer het nog eens."
    )
    detail_en = "We cannot process this form. Reload the page and try again."
