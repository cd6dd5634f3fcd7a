"""Whole records checked, pure: what a form or an API client sent -> the values to store,
and every field's problem at once (Dutch, by the field's name). Forms and API share it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coop.errors import FieldError
from coop.members import rules as member_rules
from coop.participants import rules as participant_rules
from coop.reference import regions
from coop.web.i18n import gettext as _
from coop.work import rules
from coop.work.rules import Demand, EmploymentModel, Guidance, PlaceType

LENGTHS = {
    "title": 200,
    "tasks": 2000,
    "skills": 1000,
    "address": 200,
    "adjustments": 1000,
    "supervision": 1000,
    "description": 2000,
    "reason": 1000,
}


def text(value: Any, field: str, *, required: bool = False, missing: str = "") -> str:
    result = ("" if value is None else str(value)).strip()
    if required and not result:
        raise member_rules.Invalid(missing or _("Vul dit veld in."))
    if len(result) > LENGTHS[field]:
        raise member_rules.Invalid(_("Gebruik hoogstens %(max)s tekens.", max=LENGTHS[field]))
    if any(ord(c) < 32 and c not in "\r\n\t" for c in result):
        raise member_rules.Invalid(_("Deze tekst bevat tekens die niet zijn toegestaan."))
    return result


def _choice(value: Any, kind: type, message: str, default: str | None = None) -> str:
    text = str(value or "").strip()
    if not text and default is not None:
        return default
    try:
        return kind(text).value
    except ValueError:
        raise member_rules.Invalid(message) from None


def _date(value: Any, *, required: bool) -> Any:
    if value is not None and not isinstance(value, str):
        return value  # already a date (the API decoded it)
    parsed = member_rules.optional_date(value)
    if parsed is None and required:
        raise member_rules.Invalid(_("Vul een datum in, bijvoorbeeld 1-3-2026."))
    return parsed


def _hours(value: Any) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise member_rules.Invalid(_("Vul het aantal uren per week in."))
    minutes = rules.parse_hours(value)
    if minutes is None:
        raise member_rules.Invalid(_("Vul het aantal uren in als getal, bijvoorbeeld 12 of 12,5."))
    return minutes


def _capacity(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(str(value or "").strip())
    except ValueError:
        raise member_rules.Invalid(_("Vul het aantal plekken in als heel getal.")) from None


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
        except member_rules.Invalid as exc:
            errors.append(FieldError(field, str(exc)))
    return clean, errors


def _supports(value: Any) -> list[str]:
    """The support a place offers: slugs of the participants' support needs, so the
    allocation can check a participant's needs are all on offer."""
    return participant_rules.many(value, participant_rules.SUPPORT_NEEDS)


def _municipality(value: Any) -> str:
    return member_rules.municipality(value).code


def _period_and_region(clean: dict[str, Any], errors: list[FieldError]) -> None:
    if "municipality_code" in clean:
        found = regions.municipality(clean["municipality_code"])
        clean["region_code"] = found.region.code if found else ""
    if clean.get("start_date") is not None and clean.get("end_date") is not None:
        errors.extend(rules.check_period(clean["start_date"], clean["end_date"]))


def check_package(
    values: Mapping[str, Any],
    slots: Sequence[tuple[str, str, str]] | None,
    *,
    partial: bool = False,
) -> tuple[dict[str, Any], list[FieldError]]:
    """A work package's fields as stored: ``minutes_per_week``, ``schedule`` (slots) and
    ``region_code`` follow from hours, days and times, and the municipality."""
    checks: dict[str, Any] = {
        "title": lambda v: text(v, "title", required=True, missing=_("Geef het werk een naam.")),
        "tasks": lambda v: text(v, "tasks", required=True, missing=_("Beschrijf de taken.")),
        "skills": lambda v: text(v, "skills"),
        "hours_per_week": _hours,
        "address": lambda v: text(v, "address"),
        "municipality_code": _municipality,
        "start_date": lambda v: _date(v, required=True),
        "end_date": lambda v: _date(v, required=False),
        "physical_demands": lambda v: _choice(
            v, Demand, _("Kies licht, gemiddeld of zwaar."), "gemiddeld"
        ),
        "cognitive_demands": lambda v: _choice(
            v, Demand, _("Kies licht, gemiddeld of zwaar."), "gemiddeld"
        ),
        "adjustments": lambda v: text(v, "adjustments"),
        "supervision": lambda v: text(v, "supervision"),
        "can_employ": member_rules.flag,
    }
    clean, errors = _collect(values, checks, partial)
    parsed: list[rules.Slot] = []
    if slots is not None:
        parsed, slot_errors = rules.check_slots(slots)
        errors.extend(slot_errors)
        clean["schedule"] = parsed
    if "hours_per_week" in clean:
        minutes = clean.pop("hours_per_week")
        errors.extend(rules.check_hours(minutes, parsed if slots is not None else []))
        clean["minutes_per_week"] = minutes
    _period_and_region(clean, errors)
    return clean, errors


def check_place(
    values: Mapping[str, Any], *, partial: bool = False
) -> tuple[dict[str, Any], list[FieldError]]:
    checks: dict[str, Any] = {
        "place_type": lambda v: _choice(v, PlaceType, _("Kies een soort plaats uit de lijst.")),
        "employment_model": lambda v: (
            None
            if v in (None, "")
            else _choice(v, EmploymentModel, _("Kies een vorm uit de lijst."))
        ),
        "title": lambda v: text(v, "title", required=True, missing=_("Geef de plaats een naam.")),
        "tasks": lambda v: text(v, "tasks", required=True, missing=_("Beschrijf de taken.")),
        "capacity": _capacity,
        "hours_per_week": _hours,
        "municipality_code": _municipality,
        "start_date": lambda v: _date(v, required=True),
        "end_date": lambda v: _date(v, required=False),
        "guidance": lambda v: _choice(
            v, Guidance, _("Kies lichte, gemiddelde of intensieve begeleiding."), "licht"
        ),
        "job_coach": member_rules.flag,
        "adjustments": lambda v: text(v, "adjustments"),
        "supervision": lambda v: text(v, "supervision"),
        "physical_demands": lambda v: _choice(
            v, Demand, _("Kies licht, gemiddeld of zwaar."), "gemiddeld"
        ),
        "supports": _supports,
    }
    clean, errors = _collect(values, checks, partial)
    if "capacity" in clean:
        errors.extend(rules.check_capacity(clean["capacity"]))
    if "hours_per_week" in clean:
        minutes = clean.pop("hours_per_week")
        errors.extend(rules.check_hours(minutes, []))
        clean["minutes_per_week"] = minutes
    if "place_type" in clean:
        if clean.get("employment_model") is None:
            clean["employment_model"] = rules.default_model(PlaceType(clean["place_type"])).value
        else:
            errors.extend(rules.check_model(clean["place_type"], clean["employment_model"]))
    elif clean.get("employment_model") is None:
        clean.pop("employment_model", None)
    _period_and_region(clean, errors)
    return clean, errors


def reason(value: Any, *, required: bool = True) -> str:
    try:
        result = text(value, "reason", required=required)
    except member_rules.Invalid as exc:
        from coop.errors import ValidationFailed

        raise ValidationFailed([FieldError("reason", str(exc))]) from exc
    return result


# --- a stored record as typed values, so a change is checked as a whole --------------------

PACKAGE_FIELDS = (
    "title",
    "tasks",
    "skills",
    "address",
    "municipality_code",
    "start_date",
    "end_date",
    "physical_demands",
    "cognitive_demands",
    "adjustments",
    "supervision",
    "can_employ",
)
PLACE_FIELDS = (
    "place_type",
    "employment_model",
    "title",
    "tasks",
    "capacity",
    "municipality_code",
    "start_date",
    "end_date",
    "guidance",
    "job_coach",
    "adjustments",
    "supervision",
    "physical_demands",
    "supports",
)


def package_as_typed(row: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    values = {f: row.get(f) for f in PACKAGE_FIELDS}
    values["hours_per_week"] = rules.hours_value(row["minutes_per_week"])
    slots = [(s.day, rules.format_time(s.start), rules.format_time(s.end)) for s in row["slots"]]
    return values, slots


def place_as_typed(row: Mapping[str, Any]) -> dict[str, Any]:
    values = {f: row.get(f) for f in PLACE_FIELDS}
    values["hours_per_week"] = rules.hours_value(row["minutes_per_week"])
    return values
