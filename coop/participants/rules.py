"""The participants' rules, pure: no database, no web.

- the controlled lists (register grounds, benefits, education levels, task kinds, support
  needs, place types, days, travel ranges, guidance intensities) and their Dutch labels;
- :func:`check_participant`: every field as typed or sent, to the values to store, with
  every field's problem at once (forms and API alike);
- the status life cycle ``aangemeld → beschikbaar → geplaatst → uitgestroomd``;
- what a member may see: :func:`anonymous_profile`, the age band instead of the age,
  needs in general terms, and :func:`identity_visible` (consent for that member, until
  withdrawn);
- retention: when a participant who left is due for anonymisation.

Support needs are functional needs ("werkt het best met schriftelijke instructies"),
never diagnoses: :func:`medical_terms` finds common medical words in free text, and a
text that holds one is refused with a Dutch explanation.
"""

from __future__ import annotations

import calendar
import enum
import re
import secrets
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import msgspec

from coop.errors import FieldError
from coop.members import rules as member_rules
from coop.members.rules import Invalid
from coop.reference import regions, sbi
from coop.web.i18n import gettext as _

__all__ = ["Invalid"]

MAX_HOURS_PER_WEEK = 40  # a full-time week; more is not an availability but a mistake
DEFAULT_RETENTION_MONTHS = 24
MIN_AGE, MAX_AGE = 15, 80

LENGTHS = {
    "first_name": 100,
    "last_name": 100,
    "street_address": 200,
    "city": 100,
    "referrer_name": 200,
    "certificates": 1000,
    "support_notes": 1000,
    "notes": 4000,
    "consent_text": 4000,
    "consent_version": 20,
    "reason": 1000,
}


# --- controlled lists ------------------------------------------------------------------


class Status(enum.StrEnum):
    AANGEMELD = "aangemeld"
    BESCHIKBAAR = "beschikbaar"
    GEPLAATST = "geplaatst"
    UITGESTROOMD = "uitgestroomd"


class Guidance(enum.StrEnum):
    """Guidance intensity, as UWV grades it."""

    LICHT = "licht"
    GEMIDDELD = "gemiddeld"
    INTENSIEF = "intensief"


class TravelRange(enum.StrEnum):
    EIGEN_GEMEENTE = "eigen-gemeente"
    EIGEN_REGIO = "eigen-regio"
    VERDER = "verder"


class Referrer(enum.StrEnum):
    GEMEENTE = "gemeente"
    UWV = "uwv"
    SCHOOL = "school"
    ANDERS = "anders"


class RegisterGround(enum.StrEnum):
    """Why a person is in the doelgroepregister (UWV)."""

    PARTICIPATIEWET = "participatiewet"  # judged unable to earn the minimum wage
    VSO_PRO = "vso-pro"  # school-leaver of special or practical education
    WSW = "wsw"  # sheltered-work indication
    WAJONG = "wajong"  # Wajong with work capacity
    PRAKTIJKROUTE = "praktijkroute"  # wage value measured below minimum wage at work
    WIA = "wia"  # added from 2026


class Benefit(enum.StrEnum):
    GEEN = "geen"
    BIJSTAND = "bijstand"
    WAJONG = "wajong"
    WW = "ww"
    WIA = "wia"
    WSW = "wsw"
    ANDERS = "anders"


class Education(enum.StrEnum):
    ONBEKEND = "onbekend"
    GEEN = "geen"
    BASISONDERWIJS = "basisonderwijs"
    PRO = "pro"
    VSO = "vso"
    VMBO = "vmbo"
    MBO1 = "mbo-1"
    MBO2 = "mbo-2"
    MBO34 = "mbo-3-4"
    HAVO_VWO = "havo-vwo"
    HBO_WO = "hbo-wo"


class PlaceType(enum.StrEnum):
    """The kinds of place a participant may be matched to (the work issue's place types)."""

    BETAALD = "betaald"  # a paid job, also a secondment or a pooled job
    PROEFPLAATSING = "proefplaatsing"
    PARTICIPATIEPLAATS = "participatieplaats"
    WERKERVARINGSPLAATS = "werkervaringsplaats"
    BESCHUT = "beschut"


class Day(enum.StrEnum):
    MA = "ma"
    DI = "di"
    WO = "wo"
    DO = "do"
    VR = "vr"
    ZA = "za"
    ZO = "zo"


TASK_KINDS = (
    "schoonmaak",
    "groen",
    "logistiek",
    "productie",
    "horeca",
    "winkel",
    "administratie",
    "techniek",
    "zorg",
    "ict",
)

# Functional support needs, each with the general term members see.
SUPPORT_NEEDS: dict[str, str] = {
    "schriftelijke-instructies": "werkwijze",
    "vaste-structuur": "werkwijze",
    "een-taak-tegelijk": "werkwijze",
    "extra-inwerktijd": "begeleiding",
    "vast-aanspreekpunt": "begeleiding",
    "jobcoach": "begeleiding",
    "rustige-werkplek": "werkplek",
    "aangepaste-werkplek": "werkplek",
    "rolstoeltoegankelijk": "werkplek",
    "niet-zwaar-tillen": "lichamelijk",
    "zittend-werk": "lichamelijk",
    "regelmatige-pauzes": "werktijden",
    "korte-werkdagen": "werktijden",
    "geen-avondwerk": "werktijden",
    "eenvoudige-taal": "communicatie",
    "visuele-uitleg": "communicatie",
}


def status_label(value: str) -> str:
    return {
        Status.AANGEMELD: _("Aangemeld"),
        Status.BESCHIKBAAR: _("Beschikbaar"),
        Status.GEPLAATST: _("Geplaatst"),
        Status.UITGESTROOMD: _("Uitgestroomd"),
    }.get(value, value)  # type: ignore[call-overload]


def guidance_label(value: str) -> str:
    return {
        Guidance.LICHT: _("Licht"),
        Guidance.GEMIDDELD: _("Gemiddeld"),
        Guidance.INTENSIEF: _("Intensief"),
    }.get(value, value)  # type: ignore[call-overload]


def travel_label(value: str) -> str:
    return {
        TravelRange.EIGEN_GEMEENTE: _("Binnen de eigen gemeente"),
        TravelRange.EIGEN_REGIO: _("Binnen de eigen arbeidsmarktregio"),
        TravelRange.VERDER: _("Ook verder weg"),
    }.get(value, value)  # type: ignore[call-overload]


def referrer_label(value: str) -> str:
    return {
        Referrer.GEMEENTE: _("Gemeente"),
        Referrer.UWV: _("UWV"),
        Referrer.SCHOOL: _("School"),
        Referrer.ANDERS: _("Anders"),
    }.get(value, value)  # type: ignore[call-overload]


def ground_label(value: str | None) -> str:
    return {
        RegisterGround.PARTICIPATIEWET: _("Participatiewet: kan niet het minimumloon verdienen"),
        RegisterGround.VSO_PRO: _("Schoolverlater vso of pro"),
        RegisterGround.WSW: _("Wsw-indicatie"),
        RegisterGround.WAJONG: _("Wajong met arbeidsvermogen"),
        RegisterGround.PRAKTIJKROUTE: _("Praktijkroute"),
        RegisterGround.WIA: _("WIA"),
    }.get(value or "", value or "")  # type: ignore[call-overload]


def benefit_label(value: str) -> str:
    return {
        Benefit.GEEN: _("Geen uitkering"),
        Benefit.BIJSTAND: _("Bijstand (Participatiewet)"),
        Benefit.WAJONG: _("Wajong"),
        Benefit.WW: _("WW"),
        Benefit.WIA: _("WIA"),
        Benefit.WSW: _("Wsw"),
        Benefit.ANDERS: _("Andere uitkering"),
    }.get(value, value)  # type: ignore[call-overload]


def education_label(value: str) -> str:
    return {
        Education.ONBEKEND: _("Onbekend"),
        Education.GEEN: _("Geen diploma"),
        Education.BASISONDERWIJS: _("Basisonderwijs"),
        Education.PRO: _("Praktijkonderwijs"),
        Education.VSO: _("Voortgezet speciaal onderwijs"),
        Education.VMBO: _("Vmbo"),
        Education.MBO1: _("Mbo niveau 1 (entree)"),
        Education.MBO2: _("Mbo niveau 2"),
        Education.MBO34: _("Mbo niveau 3 of 4"),
        Education.HAVO_VWO: _("Havo of vwo"),
        Education.HBO_WO: _("Hbo of wo"),
    }.get(value, value)  # type: ignore[call-overload]


def place_type_label(value: str) -> str:
    return {
        PlaceType.BETAALD: _("Betaalde baan"),
        PlaceType.PROEFPLAATSING: _("Proefplaatsing"),
        PlaceType.PARTICIPATIEPLAATS: _("Participatieplaats"),
        PlaceType.WERKERVARINGSPLAATS: _("Werkervaringsplaats"),
        PlaceType.BESCHUT: _("Beschut werk"),
    }.get(value, value)  # type: ignore[call-overload]


def day_label(value: str) -> str:
    return {
        Day.MA: _("maandag"),
        Day.DI: _("dinsdag"),
        Day.WO: _("woensdag"),
        Day.DO: _("donderdag"),
        Day.VR: _("vrijdag"),
        Day.ZA: _("zaterdag"),
        Day.ZO: _("zondag"),
    }.get(value, value)  # type: ignore[call-overload]


def task_label(value: str) -> str:
    return {
        "schoonmaak": _("Schoonmaak"),
        "groen": _("Groen en tuin"),
        "logistiek": _("Magazijn en logistiek"),
        "productie": _("Productie en inpakken"),
        "horeca": _("Horeca en keuken"),
        "winkel": _("Winkel en vakken vullen"),
        "administratie": _("Administratie en post"),
        "techniek": _("Techniek en onderhoud"),
        "zorg": _("Zorg en welzijn (ondersteunend)"),
        "ict": _("ICT en digitaal werk"),
    }.get(value, value)


def need_label(value: str) -> str:
    return {
        "schriftelijke-instructies": _("Werkt het best met schriftelijke instructies"),
        "vaste-structuur": _("Heeft een vaste dagstructuur nodig"),
        "een-taak-tegelijk": _("Werkt het best aan één taak tegelijk"),
        "extra-inwerktijd": _("Heeft extra tijd nodig om in te werken"),
        "vast-aanspreekpunt": _("Heeft een vast aanspreekpunt op het werk nodig"),
        "jobcoach": _("Heeft een jobcoach nodig"),
        "rustige-werkplek": _("Heeft een rustige werkplek nodig"),
        "aangepaste-werkplek": _("Heeft een aangepaste werkplek nodig"),
        "rolstoeltoegankelijk": _("Heeft een rolstoeltoegankelijke werkplek nodig"),
        "niet-zwaar-tillen": _("Kan niet zwaar tillen"),
        "zittend-werk": _("Heeft vooral zittend werk nodig"),
        "regelmatige-pauzes": _("Heeft regelmatig een korte pauze nodig"),
        "korte-werkdagen": _("Werkt liever korte dagen"),
        "geen-avondwerk": _("Kan niet 's avonds werken"),
        "eenvoudige-taal": _("Heeft uitleg in eenvoudige taal nodig"),
        "visuele-uitleg": _("Heeft uitleg met beelden of voordoen nodig"),
    }.get(value, value)


def need_area_label(value: str) -> str:
    """The general term members see instead of the need itself."""
    return {
        "werkwijze": _("Duidelijke werkwijze"),
        "begeleiding": _("Begeleiding op het werk"),
        "werkplek": _("Aanpassing van de werkplek"),
        "lichamelijk": _("Lichamelijk licht werk"),
        "werktijden": _("Aangepaste werktijden"),
        "communicatie": _("Eenvoudige communicatie"),
    }.get(value, value)


def sector_label(code: str, language: str = "nl") -> str:
    section = sbi.section(code)
    return section.name(language) if section else code


# --- medical terms ---------------------------------------------------------------------

# Common diagnosis and medical words in Dutch (and a few English ones people use). Not
# complete, and not meant to be: it catches the usual slip ("heeft autisme") and explains
# what to write instead. Whole words; "ms" only on its own.
MEDICAL_WORDS = (
    "diagnose",
    "gediagnosticeerd",
    "autisme",
    "autistisch",
    "asperger",
    "ass",
    "adhd",
    "add",
    "pdd-nos",
    "depressie",
    "depressief",
    "angststoornis",
    "stoornis",
    "syndroom",
    "bipolair",
    "borderline",
    "schizofrenie",
    "psychose",
    "psychotisch",
    "ptss",
    "burn-out",
    "burnout",
    "epilepsie",
    "diabetes",
    "kanker",
    "hernia",
    "reuma",
    "artrose",
    "parkinson",
    "ms",
    "nah",
    "hersenletsel",
    "verslaving",
    "verslaafd",
    "medicatie",
    "medicijnen",
    "ziekte",
    "handicap",
    "verstandelijke beperking",
    "lvb",
    "iq",
    "dyslexie",
    "hiv",
)
_MEDICAL = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(w) for w in MEDICAL_WORDS) + r")(?![\w-])",
    re.IGNORECASE,
)


def medical_terms(text: str) -> list[str]:
    """The medical or diagnosis words in ``text``, lower-case, in order, without repeats."""
    found: list[str] = []
    for match in _MEDICAL.finditer(text or ""):
        word = match.group(1).lower()
        if word not in found:
            found.append(word)
    return found


def no_diagnosis(text: str) -> str:
    words = medical_terms(text)
    if words:
        raise Invalid(
            _(
                "Dit lijkt op een medische term of diagnose: %(words)s. Beschrijf wat de "
                "deelnemer nodig heeft in het werk, niet wat hij of zij heeft. Bijvoorbeeld: "
                "'werkt het best met korte, schriftelijke instructies'.",
                words=", ".join(words),
            )
        )
    return text


# --- single values ---------------------------------------------------------------------


def text(value: Any, field: str, *, required: bool = False, label: str = "") -> str:
    result = "" if value is None else str(value).strip()
    if required and not result:
        raise Invalid(_("Vul %(label)s in.", label=label) if label else _("Vul dit veld in."))
    limit = LENGTHS[field]
    if len(result) > limit:
        raise Invalid(_("Gebruik hoogstens %(max)s tekens.", max=limit))
    if any(ord(c) < 32 and c not in "\r\n\t" for c in result):
        raise Invalid(_("Deze tekst bevat tekens die niet zijn toegestaan."))
    return result


def choice(value: Any, allowed: Iterable[str], *, default: str | None = None) -> str:
    text_value = "" if value is None else str(value).strip()
    if not text_value and default is not None:
        return default
    if text_value not in set(allowed):
        raise Invalid(_("Kies een waarde uit de lijst."))
    return text_value


def optional_choice(value: Any, allowed: Iterable[str]) -> str | None:
    text_value = "" if value is None else str(value).strip()
    return choice(text_value, allowed) if text_value else None


def many(value: Any, allowed: Iterable[str]) -> list[str]:
    """A set of choices from a list, in the list's order; anything else is refused."""
    if value is None or value == "":
        return []
    items = [value] if isinstance(value, str) else list(value)
    wanted = {str(v).strip() for v in items if str(v).strip()}
    ordered = list(allowed)
    unknown = wanted - set(ordered)
    if unknown:
        raise Invalid(_("Kies alleen waarden uit de lijst."))
    return [v for v in ordered if v in wanted]


def any_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    return member_rules.optional_date(None if value is None else str(value))


def hours(value: Any, *, required: bool = False) -> int | None:
    if required and (value is None or (isinstance(value, str) and not value.strip())):
        raise Invalid(_("Vul het aantal uren per week in."))
    try:
        return member_rules.whole_number(value, high=MAX_HOURS_PER_WEEK, required=required)
    except Invalid as exc:
        raise Invalid(
            _(
                "Vul een aantal uren per week in van 0 tot en met %(max)s.",
                max=MAX_HOURS_PER_WEEK,
            )
        ) from exc


def date_of_birth(value: Any, today: date) -> date | None:
    born = any_date(value)
    if born is None:
        return None
    age = age_on(born, today)
    if not MIN_AGE <= age <= MAX_AGE:
        raise Invalid(
            _(
                "Deze geboortedatum geeft een leeftijd van %(age)s jaar. Controleer de datum.",
                age=age,
            )
        )
    return born


def municipality(value: Any) -> str:
    return member_rules.municipality(None if value is None else str(value)).code


CODE_LETTERS = "BCDFGHJKLMNPQRSTVXZ"
CODE_DIGITS = "23456789"


def new_code(region_code: str | None, choose: Any = secrets.choice) -> str:
    """An anonymous code: two letters of the region, then letter, digit, letter, digit,
    letter (``DR-K4T7B``). Letters and digits alternate, so no word or abbreviation can
    form; no vowels, and no 0/O or 1/I to misread."""
    prefix = {"AM01": "GR", "AM03": "DR"}.get(region_code or "", "CW")
    pattern = (CODE_LETTERS, CODE_DIGITS, CODE_LETTERS, CODE_DIGITS, CODE_LETTERS)
    return prefix + "-" + "".join(choose(chars) for chars in pattern)


# --- whole records ---------------------------------------------------------------------

FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "street_address",
    "postcode",
    "city",
    "date_of_birth",
    "municipality_code",
    "referrer",
    "referrer_name",
    "register_in",
    "register_ground",
    "register_start",
    "register_end",
    "register_provision",
    "register_verified_on",
    "benefit",
    "education_level",
    "certificates",
    "sectors",
    "task_kinds",
    "hours_min",
    "hours_max",
    "days",
    "available_from",
    "travel_range",
    "guidance",
    "place_types",
    "support_needs",
    "support_notes",
    "notes",
)
LIST_FIELDS = ("sectors", "task_kinds", "days", "place_types", "support_needs")
# Fields whose values never go into a log, a list or anything a member sees.
SENSITIVE_FIELDS = frozenset(
    {
        "date_of_birth",
        "register_in",
        "register_ground",
        "register_start",
        "register_end",
        "register_provision",
        "register_verified_on",
        "benefit",
        "support_needs",
        "support_notes",
        "notes",
    }
)


def _postcode(value: Any) -> str:
    if value is None or not str(value).strip():
        return ""
    return member_rules.postcode(str(value))


def check_participant(
    values: Mapping[str, Any], *, today: date, partial: bool = False
) -> tuple[dict[str, Any], list[FieldError]]:
    """The participant's fields as stored and every field's problem. ``partial``: only
    the fields present (a PATCH); the cross-field checks then need ``current``-merged
    values, which :func:`check_consistency` does."""
    checks: dict[str, Any] = {
        "first_name": lambda v: text(v, "first_name", required=True, label=_("de voornaam")),
        "last_name": lambda v: text(v, "last_name", required=True, label=_("de achternaam")),
        "email": lambda v: member_rules.email(v, required=False),
        "phone": member_rules.phone,
        "street_address": lambda v: text(v, "street_address"),
        "postcode": _postcode,
        "city": lambda v: text(v, "city"),
        "date_of_birth": lambda v: date_of_birth(v, today),
        "municipality_code": municipality,
        "referrer": lambda v: choice(v, Referrer, default=Referrer.GEMEENTE.value),
        "referrer_name": lambda v: text(v, "referrer_name"),
        "register_in": member_rules.flag,
        "register_ground": lambda v: optional_choice(v, RegisterGround),
        "register_start": any_date,
        "register_end": any_date,
        "register_provision": member_rules.flag,
        "register_verified_on": any_date,
        "benefit": lambda v: choice(v, Benefit, default=Benefit.GEEN.value),
        "education_level": lambda v: choice(v, Education, default=Education.ONBEKEND.value),
        "certificates": lambda v: text(v, "certificates"),
        "sectors": lambda v: many(v, [s.code for s in sbi.SECTIONS]),
        "task_kinds": lambda v: many(v, TASK_KINDS),
        "hours_min": lambda v: hours(v) or 0,
        "hours_max": lambda v: hours(v, required=True),
        "days": lambda v: many(v, Day),
        "available_from": any_date,
        "travel_range": lambda v: choice(v, TravelRange, default=TravelRange.EIGEN_GEMEENTE.value),
        "guidance": lambda v: choice(v, Guidance, default=Guidance.GEMIDDELD.value),
        "place_types": lambda v: many(v, PlaceType),
        "support_needs": lambda v: many(v, SUPPORT_NEEDS),
        "support_notes": lambda v: no_diagnosis(text(v, "support_notes")),
        "notes": lambda v: no_diagnosis(text(v, "notes")),
    }
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


def check_consistency(record: Mapping[str, Any], *, today: date) -> list[FieldError]:
    """Problems between fields of a whole record (after merging a PATCH into it)."""
    errors: list[FieldError] = []
    low, high = record.get("hours_min") or 0, record.get("hours_max")
    if high is not None and low > high:
        errors.append(
            FieldError(
                "hours_min",
                _("Het minimum aantal uren is hoger dan het maximum."),
            )
        )
    start, end = record.get("register_start"), record.get("register_end")
    if start and end and end < start:
        errors.append(
            FieldError("register_end", _("De einddatum ligt vóór de begindatum van het register."))
        )
    verified = record.get("register_verified_on")
    if verified and verified > today:
        errors.append(
            FieldError(
                "register_verified_on", _("De controledatum kan niet in de toekomst liggen.")
            )
        )
    if record.get("register_in"):
        if not record.get("register_ground"):
            errors.append(
                FieldError("register_ground", _("Kies de grond voor opname in het register."))
            )
        if not start:
            errors.append(
                FieldError("register_start", _("Vul de datum in vanaf wanneer het register geldt."))
            )
    elif record.get("register_ground") or start or end or record.get("register_provision"):
        errors.append(
            FieldError(
                "register_in",
                _(
                    "U hebt registergegevens ingevuld. Vink aan dat de deelnemer in het "
                    "doelgroepregister staat, of maak die velden leeg."
                ),
            )
        )
    born = record.get("date_of_birth")
    available = record.get("available_from")
    if born and available and available < born:
        errors.append(FieldError("available_from", _("Deze datum ligt vóór de geboortedatum.")))
    if high and not record.get("days"):
        errors.append(FieldError("days", _("Kies op welke dagen de deelnemer kan werken.")))
    return errors


# --- status life cycle -----------------------------------------------------------------

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.AANGEMELD: frozenset({Status.BESCHIKBAAR, Status.UITGESTROOMD}),
    Status.BESCHIKBAAR: frozenset({Status.GEPLAATST, Status.UITGESTROOMD}),
    # A placement that ends early brings the participant back to the pool.
    Status.GEPLAATST: frozenset({Status.BESCHIKBAAR, Status.UITGESTROOMD}),
    # Someone who comes back after leaving starts again as available.
    Status.UITGESTROOMD: frozenset({Status.BESCHIKBAAR}),
}


def next_statuses(current: str) -> list[Status]:
    allowed = TRANSITIONS.get(Status(current), frozenset())
    return [s for s in Status if s in allowed]


def transition_refusal(current: str, new: str, *, anonymised: bool = False) -> str | None:
    """Why a participant may not move from ``current`` to ``new``; None when it may."""
    try:
        old, wanted = Status(current), Status(new)
    except ValueError:
        return _("Kies een status uit de lijst.")
    if anonymised:
        return _("Deze deelnemer is geanonimiseerd; de status verandert niet meer.")
    if wanted not in TRANSITIONS[old]:
        return _(
            "Van %(old)s naar %(new)s kan niet.",
            old=status_label(old).lower(),
            new=status_label(wanted).lower(),
        )
    return None


# --- what members see ------------------------------------------------------------------


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


AGE_BANDS = ((0, 17), (18, 26), (27, 34), (35, 44), (45, 54), (55, 64), (65, 200))


def age_band(born: date | None, day: date) -> str | None:
    """The age band (``"27–34"``) members see instead of the exact age. 18–26 is its own
    band because the Participatiewet treats people under 27 differently."""
    if born is None:
        return None
    age = age_on(born, day)
    for low, high in AGE_BANDS:
        if low <= age <= high:
            if low == 0:
                return f"< {high + 1}"
            if high == 200:
                return f"{low}+"
            return f"{low}–{high}"
    return None


def need_areas(needs: Iterable[str]) -> list[str]:
    """The general terms of the needs, each once, in a stable order."""
    order = list(dict.fromkeys(SUPPORT_NEEDS.values()))
    wanted = {SUPPORT_NEEDS[n] for n in needs if n in SUPPORT_NEEDS}
    return [a for a in order if a in wanted]


class AnonymousProfile(msgspec.Struct, frozen=True, kw_only=True):
    """What a member sees of a candidate: no name, contact, exact age, register ground,
    benefit or specific needs."""

    code: str
    status: Status
    age_band: str | None
    education_level: Education
    region_code: str | None
    region_name: str
    sectors: list[str]
    task_kinds: list[str]
    hours_min: int
    hours_max: int
    days: list[Day]
    available_from: date | None
    travel_range: TravelRange
    guidance: Guidance
    place_types: list[PlaceType]
    need_areas: list[str]


PROFILE_STATUSES = frozenset({Status.BESCHIKBAAR, Status.GEPLAATST})


def anonymous_profile(record: Mapping[str, Any], *, today: date) -> AnonymousProfile:
    municipality_ = regions.municipality(record.get("municipality_code"))
    available = record.get("available_from")
    # The month, not the day: the exact date adds nothing for a member and helps to
    # recognise a person.
    if available is not None:
        available = available.replace(day=1)
    return AnonymousProfile(
        code=record["code"],
        status=Status(record["status"]),
        age_band=age_band(record.get("date_of_birth"), today),
        education_level=Education(record.get("education_level") or Education.ONBEKEND),
        region_code=municipality_.region.code if municipality_ else None,
        region_name=municipality_.region.name if municipality_ else "",
        sectors=list(record.get("sectors") or []),
        task_kinds=list(record.get("task_kinds") or []),
        hours_min=record.get("hours_min") or 0,
        hours_max=record.get("hours_max") or 0,
        days=[Day(d) for d in record.get("days") or []],
        available_from=available,
        travel_range=TravelRange(record.get("travel_range") or TravelRange.EIGEN_GEMEENTE),
        guidance=Guidance(record.get("guidance") or Guidance.GEMIDDELD),
        place_types=[PlaceType(p) for p in record.get("place_types") or []],
        need_areas=need_areas(record.get("support_needs") or []),
    )


def profile_visible(status: str, *, anonymised: bool, shares_profile: bool) -> bool:
    """Whether members see this participant's anonymous profile at all: consent to share
    it, and in the pool (available or placed), never after anonymisation."""
    return shares_profile and not anonymised and status in PROFILE_STATUSES


def identity_visible(
    organisation_id: int | None,
    consents: Iterable[Mapping[str, Any]],
    *,
    anonymised: bool,
) -> bool:
    """Whether the member ``organisation_id`` may see the participant's name and contact:
    an identity consent for exactly that member that has not been withdrawn."""
    if organisation_id is None or anonymised:
        return False
    return any(
        c["kind"] == ConsentKind.IDENTITEIT
        and c.get("organisation") == organisation_id
        and c.get("withdrawn_at") is None
        for c in consents
    )


class ConsentKind(enum.StrEnum):
    PROFIEL = "profiel"
    IDENTITEIT = "identiteit"


CONSENT_VERSION = "2026-1"


def consent_text(kind: str, organisation_name: str = "") -> str:
    """The text the participant agrees to, in Dutch (kept with the consent as given)."""
    if kind == ConsentKind.IDENTITEIT:
        return (
            f"Ik geef de coöperatie toestemming om mijn naam en contactgegevens te delen met "
            f"{organisation_name}, zodat deze werkgever contact met mij kan opnemen over werk. "
            "Ik kan deze toestemming altijd intrekken."
        )
    return (
        "Ik geef de coöperatie toestemming om een anoniem profiel van mij te laten zien aan "
        "de werkgevers die lid zijn: mijn opleidingsniveau, regio, beschikbaarheid, "
        "interesses en in algemene woorden wat ik nodig heb in het werk. Mijn naam, "
        "contactgegevens, leeftijd en gezondheid staan er niet in. Ik kan deze toestemming "
        "altijd intrekken."
    )


# --- retention -------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_cutoff(today: date, months: int = DEFAULT_RETENTION_MONTHS) -> date:
    """Participants who left on or before this date are due for anonymisation."""
    if months < 1:
        raise ValueError("the retention period is at least one month")
    return add_months(today, -months)


def erase_date(left_on: date | None, months: int = DEFAULT_RETENTION_MONTHS) -> date | None:
    """The day a participant who left on ``left_on`` is anonymised (None while in)."""
    return None if left_on is None else add_months(left_on, months)


def due_for_anonymisation(
    status: str,
    left_on: date | None,
    anonymised: bool,
    today: date,
    months: int = DEFAULT_RETENTION_MONTHS,
) -> bool:
    return (
        not anonymised
        and status == Status.UITGESTROOMD
        and left_on is not None
        and left_on <= retention_cutoff(today, months)
    )


# What anonymisation keeps: the facts the monitor counts (status, region, dates of the
# register period and the provision flag for the banenafspraak, education, guidance).
ERASED_VALUES: dict[str, Any] = {
    "first_name": "",
    "last_name": "",
    "email": None,
    "phone": None,
    "street_address": "",
    "postcode": "",
    "city": "",
    "date_of_birth": None,
    "referrer_name": "",
    "register_ground": None,
    "register_verified_by": None,
    "register_verified_by_name": "",
    "benefit": Benefit.GEEN.value,
    "certificates": "",
    "support_needs": [],
    "support_notes": "",
    "notes": "",
}
