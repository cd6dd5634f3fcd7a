"""The member registry's rules, pure: no database, no web. Each check takes what a person
typed (or an API client sent) and returns the value to store, or raises :class:`Invalid`
with a Dutch message for the field. :func:`check_organisation` and :func:`check_contact`
apply them to a whole record and collect every field's problem at once, for the forms,
the API and the CSV import alike.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from coop.accounts.roles import Role
from coop.errors import FieldError
from coop.mail.outbox import valid_address
from coop.reference import regions, sbi
from coop.web.i18n import gettext as _

DEFAULT_NOTICE_MONTHS = 3
MAX_NOTICE_MONTHS = 24
MAX_EMPLOYEES = 1_000_000
MAX_YEARLY_HOURS = 2_000_000_000
MAX_PLEDGE = 10_000

# Longest text per field; the tables use the same lengths.
LENGTHS = {
    "name": 200,
    "street_address": 200,
    "city": 100,
    "website": 200,
    "award": 500,
    "function": 100,
    "email": 254,
    "phone": 30,
    "motivation": 2000,
    "reason": 1000,
}


class Invalid(ValueError):
    """A value that cannot be stored; ``str(exc)`` is the Dutch message for the field."""


# --- single values ---------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s.\-]")


def kvk_number(value: str) -> str:
    """The 8 digits of a Chamber of Commerce (KvK) number; spaces and dots are ignored."""
    digits = _SEPARATORS.sub("", value or "")
    if not digits:
        raise Invalid(_("Vul het KvK-nummer in."))
    if not re.fullmatch(r"[0-9]{8}", digits):
        raise Invalid(_("Een KvK-nummer heeft 8 cijfers, bijvoorbeeld 12345678."))
    return digits


def establishment_number(value: str | None) -> str | None:
    """The 12 digits of a KvK establishment number (vestigingsnummer), or None when empty."""
    digits = _SEPARATORS.sub("", value or "")
    if not digits:
        return None
    if not re.fullmatch(r"[0-9]{12}", digits):
        raise Invalid(
            _(
                "Een vestigingsnummer heeft 12 cijfers, bijvoorbeeld 000012345678. "
                "U mag het ook leeg laten."
            )
        )
    return digits


_POSTCODE = re.compile(r"([1-9][0-9]{3})\s*([A-Za-z]{2})")
_FORBIDDEN_POSTCODE_LETTERS = {"SA", "SD", "SS"}


def postcode(value: str) -> str:
    """A Dutch postcode as ``1234 AB``: four digits (not starting with 0), two letters
    (never SA, SD or SS)."""
    text = (value or "").strip()
    if not text:
        raise Invalid(_("Vul de postcode in."))
    match = _POSTCODE.fullmatch(text)
    if not match or match.group(2).upper() in _FORBIDDEN_POSTCODE_LETTERS:
        raise Invalid(_("Dit is geen geldige Nederlandse postcode. Bijvoorbeeld: 1234 AB."))
    return f"{match.group(1)} {match.group(2).upper()}"


_PHONE_CHARS = re.compile(r"[\s\-().]")


def phone(value: str | None) -> str | None:
    """A Dutch phone number, typed as people do (``06-12345678``, ``+31 20 123 4567``,
    ``(020) 123 45 67``); stored trimmed as typed. None when empty."""
    text = " ".join((value or "").split())
    if not text:
        return None
    digits = _PHONE_CHARS.sub("", text)
    if digits.startswith("+31"):
        national = "0" + digits[3:]
    elif digits.startswith("0031"):
        national = "0" + digits[4:]
    else:
        national = digits
    if national.startswith("0") and national[1:2] == "0":
        national = ""  # an international number that is not Dutch
    ok = re.fullmatch(r"0[1-9][0-9]{8}", national) or re.fullmatch(
        r"0(800|900|906|909)[0-9]{4,7}", national
    )
    if not ok or len(text) > LENGTHS["phone"]:
        raise Invalid(
            _(
                "Dit is geen geldig Nederlands telefoonnummer. "
                "Bijvoorbeeld: 020 123 4567 of 06 12345678."
            )
        )
    return text


def website(value: str | None) -> str | None:
    """An http(s) address; ``www.voorbeeld.nl`` becomes ``https://www.voorbeeld.nl``."""
    text = (value or "").strip()
    if not text:
        return None
    if "://" not in text and ":" not in text.split("/")[0]:
        text = "https://" + text
    parts = urlsplit(text)
    host = parts.hostname or ""
    if (
        parts.scheme.lower() not in ("http", "https")
        or "." not in host
        or not re.fullmatch(r"[A-Za-z0-9.\-]+", host)
        or any(c.isspace() for c in text)
        or len(text) > LENGTHS["website"]
    ):
        raise Invalid(
            _(
                "Dit is geen geldig webadres. Begin met http:// of https://, bijvoorbeeld https://www.voorbeeld.nl."
            )
        )
    return text


def email(value: str | None, *, required: bool = True) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise Invalid(_("Vul het e-mailadres in."))
        return None
    if len(text) > LENGTHS["email"] or not valid_address(text):
        raise Invalid(_("Dit is geen geldig e-mailadres. Bijvoorbeeld: naam@voorbeeld.nl."))
    return text.lower()


def text(value: str | None, field: str, *, required: bool = False, missing: str = "") -> str:
    """Free text, trimmed; HTML is kept as typed and escaped wherever it is shown.
    ``missing`` is the whole sentence shown when a required text is empty."""
    result = (value or "").strip()
    if required and not result:
        raise Invalid(missing or _("Vul dit veld in."))
    limit = LENGTHS[field]
    if len(result) > limit:
        raise Invalid(_("Gebruik hoogstens %(max)s tekens.", max=limit))
    if any(ord(c) < 32 and c not in "\r\n\t" for c in result):
        raise Invalid(_("Deze tekst bevat tekens die niet zijn toegestaan."))
    return result


def whole_number(value: Any, *, low: int = 0, high: int, required: bool = False) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid(_("Vul een aantal in."))
        return None
    if isinstance(value, bool):
        raise Invalid(_("Vul een heel getal in."))
    if isinstance(value, int):
        number = value
    else:
        cleaned = str(value).strip().replace(" ", "")
        # Dots are thousands separators only in groups of three ("40.575"); "12.5" is no
        # whole number and must not quietly become 125.
        if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", cleaned):
            cleaned = cleaned.replace(".", "")
        if not re.fullmatch(r"[0-9]{1,12}", cleaned):
            raise Invalid(_("Vul een heel getal in, zonder letters of komma."))
        number = int(cleaned)
    if not low <= number <= high:
        raise Invalid(_("Vul een getal in van %(low)s tot en met %(high)s.", low=low, high=high))
    return number


def euros_to_cents(value: str | None) -> int:
    """An amount typed in euros (``1250``, ``1.250,50``, ``1250.5``) in whole cents."""
    text = (value or "").strip().replace("€", "").replace(" ", "")
    if not text:
        raise Invalid(_("Vul een bedrag in."))
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1 or re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", text):
        text = text.replace(".", "")  # thousands separators
    match = re.fullmatch(r"([0-9]{1,9})(?:\.([0-9]{1,2}))?", text)
    if not match:
        raise Invalid(_("Vul een bedrag in euro's in, bijvoorbeeld 1250 of 1.250,50."))
    return int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))


def optional_date(value: str | None) -> date | None:
    """A date as a date field sends it (``2026-03-01``) or as people type it (``1-3-2026``)."""
    text = (value or "").strip()
    if not text:
        return None
    for pattern in (r"(\d{4})-(\d{1,2})-(\d{1,2})", r"(\d{1,2})-(\d{1,2})-(\d{4})"):
        match = re.fullmatch(pattern, text)
        if match:
            parts = [int(p) for p in match.groups()]
            year, month, day = parts if len(match.group(1)) == 4 else parts[::-1]
            try:
                return date(year, month, day)
            except ValueError:
                break
    raise Invalid(_("Vul een geldige datum in, bijvoorbeeld 1-3-2026."))


def municipality(value: str | None) -> regions.Municipality:
    found = regions.municipality((value or "").strip().upper())
    if found is None:
        raise Invalid(_("Kies een gemeente uit de lijst."))
    return found


def sector(value: str | None) -> str:
    found = sbi.section(value)
    if found is None:
        raise Invalid(_("Kies een sector uit de lijst."))
    return found.code


def notice_months(value: Any) -> int:
    number = whole_number(value, low=0, high=MAX_NOTICE_MONTHS)
    return DEFAULT_NOTICE_MONTHS if number is None else number


def flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "on", "ja", "true", "yes", "j", "waar")


# --- size classes, for filters ---------------------------------------------------------

SIZE_CLASSES: dict[str, tuple[int, int | None]] = {
    "klein": (0, 24),  # below the quota's 25 employees
    "middel": (25, 99),
    "groot": (100, 499),
    "zeer-groot": (500, None),
}


def size_labels() -> dict[str, str]:
    return {
        "klein": _("Tot 25 medewerkers"),
        "middel": _("25 tot 100 medewerkers"),
        "groot": _("100 tot 500 medewerkers"),
        "zeer-groot": _("500 of meer medewerkers"),
    }


# --- membership lifecycle --------------------------------------------------------------


class Status(enum.StrEnum):
    AANGEMELD = "aangemeld"
    GOEDGEKEURD = "goedgekeurd"
    ACTIEF = "actief"
    GESCHORST = "geschorst"
    BEEINDIGD = "beeindigd"
    AFGEWEZEN = "afgewezen"


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.AANGEMELD: frozenset({Status.GOEDGEKEURD, Status.AFGEWEZEN}),
    Status.GOEDGEKEURD: frozenset({Status.ACTIEF, Status.BEEINDIGD}),
    Status.ACTIEF: frozenset({Status.GESCHORST, Status.BEEINDIGD}),
    Status.GESCHORST: frozenset({Status.ACTIEF, Status.BEEINDIGD}),
    Status.BEEINDIGD: frozenset(),
    Status.AFGEWEZEN: frozenset(),
}

# Who changes a member's status: the cooperative's coordinators and admins only. A member
# asks to end its membership; a coordinator confirms it with a transition.
STATUS_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})


def status_labels() -> dict[str, str]:
    """Every status's label in the current language, by its value."""
    return {
        Status.AANGEMELD: _("Aangemeld"),
        Status.GOEDGEKEURD: _("Goedgekeurd"),
        Status.ACTIEF: _("Actief"),
        Status.GESCHORST: _("Geschorst"),
        Status.BEEINDIGD: _("Beëindigd"),
        Status.AFGEWEZEN: _("Afgewezen"),
    }


def status_label(status: str) -> str:
    return status_labels().get(status, status)


def next_statuses(current: str) -> list[Status]:
    """The statuses a member in ``current`` may move to, in lifecycle order."""
    allowed = TRANSITIONS.get(Status(current), frozenset())
    return [s for s in Status if s in allowed]


def transition_refusal(current: str, new: str, role: Role | str) -> str | None:
    """Why ``role`` may not move a member from ``current`` to ``new``; None when it may."""
    if Role(role) not in STATUS_ROLES:
        return _("Alleen coördinatoren en beheerders wijzigen de status van een lid.")
    try:
        old, wanted = Status(current), Status(new)
    except ValueError:
        return _("Kies een status uit de lijst.")
    if wanted not in TRANSITIONS[old]:
        return _(
            "Van %(old)s naar %(new)s kan niet.",
            old=status_label(old).lower(),
            new=status_label(wanted).lower(),
        )
    return None


def transition_allowed(current: str, new: str, role: Role | str) -> bool:
    return transition_refusal(current, new, role) is None


# --- whole records ---------------------------------------------------------------------

ORGANISATION_FIELDS = (
    "name",
    "kvk_number",
    "establishment_number",
    "street_address",
    "postcode",
    "city",
    "municipality_code",
    "sector",
    "employees",
    "yearly_paid_hours",
    "public_employer",
    "website",
    "notice_months",
    "pledge_jobs",
    "pledge_places",
)
# What only the cooperative's staff set: never a member about itself.
STAFF_ONLY_FIELDS = ("status", "ambassador", "award", "notice_months")


def _collect(
    values: Mapping[str, Any], checks: dict[str, Any], partial: bool
) -> tuple[dict[str, Any], list[FieldError]]:
    clean: dict[str, Any] = {}
    errors: list[FieldError] = []
    for field, check in checks.items():
        if partial and field not in values:
            continue
        try:
            clean[field] = check(values.get(field))
        except Invalid as exc:
            errors.append(FieldError(field, str(exc)))
    return clean, errors


def check_organisation(
    values: Mapping[str, Any], *, partial: bool = False
) -> tuple[dict[str, Any], list[FieldError]]:
    """The organisation's fields as stored (the region follows from ``municipality_code``)
    and every field's problem. ``partial``: only the fields
    present (a PATCH)."""
    checks: dict[str, Any] = {
        "name": lambda v: text(
            v, "name", required=True, missing=_("Vul de naam van de organisatie in.")
        ),
        "kvk_number": kvk_number,
        "establishment_number": establishment_number,
        "street_address": lambda v: text(
            v, "street_address", required=True, missing=_("Vul het adres in.")
        ),
        "postcode": postcode,
        "city": lambda v: text(v, "city", required=True, missing=_("Vul de plaats in.")),
        "municipality_code": lambda v: municipality(v).code,
        "sector": sector,
        "employees": lambda v: whole_number(v, high=MAX_EMPLOYEES, required=True),
        "yearly_paid_hours": lambda v: whole_number(v, high=MAX_YEARLY_HOURS),
        "public_employer": flag,
        "website": website,
        "pledge_jobs": lambda v: whole_number(v, high=MAX_PLEDGE) or 0,
        "pledge_places": lambda v: whole_number(v, high=MAX_PLEDGE) or 0,
    }
    if not partial or "notice_months" in values:
        checks["notice_months"] = notice_months
    return _collect(values, checks, partial)


def check_recognition(values: Mapping[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
    """The staff-only recognition fields that are present: ambassador and award."""
    checks: dict[str, Any] = {"ambassador": flag, "award": lambda v: text(v, "award")}
    return _collect(values, checks, partial=True)


def check_contact(
    values: Mapping[str, Any], *, partial: bool = False
) -> tuple[dict[str, Any], list[FieldError]]:
    checks: dict[str, Any] = {
        "name": lambda v: text(v, "name", required=True, missing=_("Vul de naam in.")),
        "function": lambda v: text(v, "function"),
        "email": email,
        "phone": phone,
        "is_primary": flag,
        "mail_newsletter": flag,
        "mail_invoices": flag,
        "mail_placements": flag,
    }
    return _collect(values, checks, partial)
