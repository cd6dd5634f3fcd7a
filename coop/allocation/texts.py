"""Sentences for the codes of :mod:`coop.allocation.matching`, in the reader's language.

The rules return codes and points, so that they stay testable without a language; a
coordinator reads a line such as "+25 voorkeur sector klopt".
"""

from __future__ import annotations

from datetime import date

from coop.allocation.matching import Reason
from coop.web.i18n import format_date
from coop.web.i18n import gettext as _


def reason_text(reason: Reason) -> str:
    """The explanation of one soft criterion, without its points."""
    values = reason.values
    texts = {
        "sector_match": lambda: _("voorkeur sector klopt"),
        "sector_open": lambda: _("geen voorkeur voor een sector opgegeven"),
        "sector_other": lambda: _("sector staat niet bij de voorkeuren"),
        "tasks_match": lambda: _(
            "%(shared)s van de %(wanted)s gewenste soorten taken passen",
            shared=values.get("shared", ""),
            wanted=values.get("wanted", ""),
        ),
        "tasks_other": lambda: _("de taken passen niet bij de interesses"),
        "tasks_unknown": lambda: _("taken of interesses nog niet bekend"),
        "hours_full": lambda: _("uren sluiten goed aan op de beschikbaarheid"),
        "hours_part": lambda: _("uren benutten ongeveer de helft van de beschikbaarheid"),
        "hours_few": lambda: _("minder dan de helft van de beschikbare uren"),
        "travel_local": lambda: _("in de eigen gemeente"),
        "travel_region": lambda: _("in de eigen arbeidsmarktregio"),
        "travel_far": lambda: _("reistijd aan de hoge kant"),
        "days_fit": lambda: _("werkdagen passen"),
        "days_partly": lambda: _("werkdagen passen gedeeltelijk"),
        "days_other": lambda: _("werkdagen passen niet"),
        "start_soon": lambda: _("kan binnen een maand beginnen"),
        "start_later": lambda: _(
            "kan pas later beginnen (%(date)s)", date=_day_text(values.get("date", ""))
        ),
    }
    text = texts.get(reason.code)
    return text() if text else reason.code


def _day_text(iso: str) -> str:
    """The rules name dates in ISO (stored so with a proposal's pairs); the reader gets
    them as written in their language (21-02-2027 in Dutch)."""
    try:
        return format_date(date.fromisoformat(iso), "short")
    except ValueError:
        return iso


def signed(points: int) -> str:
    """Points as a coordinator reads them: +25, 0, −10 (with a real minus sign)."""
    if points > 0:
        return f"+{points}"
    if points < 0:
        return f"\u2212{-points}"
    return "0"


def blocker_text(code: str) -> str:
    """Why a pair cannot match at all: one hard constraint."""
    texts = {
        "place_type": lambda: _("soort plaats past niet bij de deelnemer"),
        "hours": lambda: _("meer uren dan de deelnemer beschikbaar is"),
        "period": lambda: _("de plaats eindigt voordat de deelnemer beschikbaar is"),
        "travel": lambda: _("buiten het reisbereik van de deelnemer"),
        "guidance": lambda: _("te weinig begeleiding beschikbaar"),
        "support": lambda: _("de nodige ondersteuning is er niet"),
        "capacity": lambda: _("geen plek meer vrij"),
    }
    text = texts.get(code)
    return text() if text else code


def unmatched_text(reason: str) -> str:
    texts = {
        "taken": lambda: _("Er passen plaatsen, maar die gaan in dit voorstel naar anderen."),
        "out_of_reach": lambda: _("Er is geen open plaats binnen het reisbereik."),
        "no_candidates": lambda: _("Geen plaats binnen bereik voldoet aan alle harde eisen."),
    }
    text = texts.get(reason)
    return text() if text else reason


def status_label(value: str) -> str:
    texts = {
        "gepland": lambda: _("Gepland"),
        "actief": lambda: _("Actief"),
        "beeindigd": lambda: _("Beëindigd"),
        "geannuleerd": lambda: _("Geannuleerd"),
    }
    text = texts.get(value)
    return text() if text else value


def exit_reason_label(value: str | None) -> str:
    texts = {
        "vast_contract_bij_lid": lambda: _("Vast contract bij het lid"),
        "regulier_werk_elders": lambda: _("Regulier werk elders"),
        "terug_naar_gemeente": lambda: _("Terug naar de gemeente"),
        "uitgevallen": lambda: _("Uitgevallen"),
        "anders": lambda: _("Anders"),
    }
    text = texts.get(value or "")
    return text() if text else (value or "")


def visibility_label(value: str) -> str:
    texts = {
        "coordinatoren": lambda: _("Alleen coördinatoren"),
        "gedeeld": lambda: _("Gedeeld met het lid"),
    }
    text = texts.get(value)
    return text() if text else value


def job_coach_label(value: str) -> str:
    texts = {
        "geen": lambda: _("Geen jobcoach"),
        "intern": lambda: _("Interne jobcoach"),
        "extern": lambda: _("Externe jobcoach"),
    }
    text = texts.get(value)
    return text() if text else value


def due_label(kind: str) -> str:
    texts = {
        "milestone_6": lambda: _("Mijlpaal 6 maanden"),
        "milestone_12": lambda: _("Mijlpaal 12 maanden"),
        "check_in": lambda: _("Gesprek (check-in) gepland"),
        "wage_value": lambda: _("Loonwaarde opnieuw meten"),
    }
    text = texts.get(kind)
    return text() if text else kind


def pair_state_label(value: str) -> str:
    texts = {
        "open": lambda: _("Nog niet aanvaard"),
        "aanvaard": lambda: _("Aanvaard"),
        "vervallen": lambda: _("Vervallen"),
    }
    text = texts.get(value)
    return text() if text else value


def event_label(action: str) -> str:
    texts = {
        "aangemaakt": lambda: _("Plaatsing aangemaakt"),
        "status_actief": lambda: _("Plaatsing gestart"),
        "status_beeindigd": lambda: _("Plaatsing beëindigd"),
        "status_geannuleerd": lambda: _("Plaatsing geannuleerd"),
        "loonwaarde": lambda: _("Loonwaarde gemeten"),
        "check_in": lambda: _("Gesprek vastgelegd"),
        "mijlpaal_6": lambda: _("Mijlpaal 6 maanden besproken"),
        "mijlpaal_12": lambda: _("Mijlpaal 12 maanden besproken"),
    }
    text = texts.get(action)
    return text() if text else action
