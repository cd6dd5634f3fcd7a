"""Reading the back office's forms: every field checked, every problem a Dutch (or English)
message next to its field, and what was typed kept for the page that shows them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from selfscan.model import Text
from selfscan.tenants import rules
from selfscan.tenants.schemas import TenantBasics, TenantSettings

EMAIL_RE = re.compile(
    r"^[^@\s<>\"',;]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{5,19}$")

SETTINGS_FIELDS = (
    "contact_name", "contact_email", "contact_phone", "lead_email", "privacy_url",
    "consent_text", "primary_colour", "secondary_colour", "allowed_origins",
)  # fmt: skip
BASICS_FIELDS = ("slug", "name", "region_code", "active")
MAX_LENGTHS = {
    "contact_name": 200, "contact_email": 254, "contact_phone": 40, "lead_email": 254,
    "privacy_url": 500, "consent_text": 2000, "primary_colour": 20, "secondary_colour": 20,
    "allowed_origins": 4000, "slug": 60, "name": 200, "region_code": 10,
}  # fmt: skip

REQUIRED = Text(nl="Vul dit veld in.", en="Fill in this field.")
TOO_LONG = Text(nl="Dit is te lang.", en="This is too long.")
EMAIL = Text(
    nl="Dit is geen geldig e-mailadres. Bijvoorbeeld: naam@voorbeeld.nl.",
    en="This is not a valid email address. For example: name@example.nl.",
)
PHONE = Text(
    nl="Dit is geen geldig telefoonnummer. Bijvoorbeeld: 010 123 45 67.",
    en="This is not a valid phone number. For example: 010 123 45 67.",
)
PRIVACY_URL = Text(
    nl="Vul het volledige adres in dat begint met https://, bijvoorbeeld "
    "https://www.wsp-voorbeeld.nl/privacy.",
    en="Enter the full address starting with https://, for example "
    "https://www.wsp-example.nl/privacy.",
)
REGION = Text(nl="Kies een arbeidsmarktregio.", en="Choose a labour-market region.")
NAME = Text(
    nl="Vul de naam van het werkgeversservicepunt in.",
    en="Enter the name of the employer service point.",
)


def _values(form: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name in fields:
        raw = form.get(name)
        text = raw if isinstance(raw, str) else ""
        values[name] = text.replace("\r\n", "\n").strip()
    return values


def _too_long(values: dict[str, str], errors: dict[str, str], lang: str) -> None:
    for name, value in values.items():
        if len(value) > MAX_LENGTHS.get(name, 500) and name not in errors:
            errors[name] = TOO_LONG.get(lang)


def valid_email(value: str) -> bool:
    return bool(EMAIL_RE.match(value)) and len(value) <= 254


def parse_settings(
    form: Mapping[str, Any], *, production: bool, lang: str
) -> tuple[TenantSettings | None, dict[str, str], dict[str, str]]:
    values = _values(form, SETTINGS_FIELDS)
    errors: dict[str, str] = {}
    for name in ("contact_email", "lead_email"):
        if not values[name]:
            errors[name] = REQUIRED.get(lang)
        elif not valid_email(values[name]):
            errors[name] = EMAIL.get(lang)
    if not values["contact_name"]:
        errors["contact_name"] = REQUIRED.get(lang)
    if values["contact_phone"] and not PHONE_RE.match(values["contact_phone"]):
        errors["contact_phone"] = PHONE.get(lang)
    if values["privacy_url"]:
        parts = urlsplit(values["privacy_url"])
        if parts.scheme != "https" or not parts.hostname or " " in values["privacy_url"]:
            errors["privacy_url"] = PRIVACY_URL.get(lang)
    else:
        errors["privacy_url"] = REQUIRED.get(lang)
    if not values["consent_text"]:
        errors["consent_text"] = REQUIRED.get(lang)
    colours: dict[str, str] = {}
    for name in ("primary_colour", "secondary_colour"):
        colour = rules.normal_colour(values[name])
        problem = rules.colour_problem(colour)
        if problem:
            errors[name] = problem.get(lang)
        colours[name] = colour
    origins, problems = rules.parse_origins(values["allowed_origins"], production=production)
    if problems:
        errors["allowed_origins"] = " ".join(p.get(lang) for p in problems)
    _too_long(values, errors, lang)
    if errors:
        return None, values, errors
    return (
        TenantSettings(
            contact_name=values["contact_name"],
            contact_email=values["contact_email"].lower(),
            contact_phone=values["contact_phone"],
            lead_email=values["lead_email"].lower(),
            privacy_url=values["privacy_url"],
            consent_text=values["consent_text"],
            primary_colour=colours["primary_colour"],
            secondary_colour=colours["secondary_colour"],
            allowed_origins=origins,
        ),
        values,
        {},
    )


def parse_basics(
    form: Mapping[str, Any], *, regions: Mapping[str, str], lang: str, slug_fixed: str | None = None
) -> tuple[TenantBasics | None, dict[str, str], dict[str, str]]:
    """The admin's fields; ``slug_fixed`` for an existing tenant (its address never changes,
    since embedded snippets and links carry it)."""
    values = _values(form, BASICS_FIELDS)
    values["active"] = "1" if values["active"] else ""
    if slug_fixed is not None:
        values["slug"] = slug_fixed
    errors: dict[str, str] = {}
    if slug_fixed is None:
        values["slug"] = values["slug"].lower()
        problem = rules.slug_problem(values["slug"])
        if problem:
            errors["slug"] = problem.get(lang)
    if not values["name"]:
        errors["name"] = NAME.get(lang)
    if values["region_code"] not in regions:
        errors["region_code"] = REGION.get(lang)
    _too_long(values, errors, lang)
    if errors:
        return None, values, errors
    return (
        TenantBasics(
            slug=values["slug"],
            name=values["name"],
            region_code=values["region_code"],
            active=bool(values["active"]),
        ),
        values,
        {},
    )
