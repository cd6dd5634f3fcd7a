"""The rules of leads, pure: checking a contact form and a status change, retention dates,
and the figures of a WSP's dashboard. No I/O, no clock: the time is an argument.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from selfscan.tenants.leads import texts

STATUSES = ("nieuw", "benaderd", "afgerond")
NEW = "nieuw"
MAX_LENGTHS = {
    "organisation": 200,
    "contact_name": 200,
    "email": 320,
    "phone": 40,
    "question": 2000,
}
MAX_NOTE = 4000
DEFAULT_RETENTION_MONTHS = 12
#: Days a scan without a lead lives (the link's life; see the architecture page).
SCAN_DAYS = 30
TIME_ZONE = ZoneInfo("Europe/Amsterdam")

# Deliberately loose, like the outbox's check: one @, no spaces or list separators, and a
# dotted domain. Whether the mailbox exists only its server knows.
_SPECIAL = r"\s@<>(),;:\"\[\]\\"
_EMAIL = re.compile(rf"^[^{_SPECIAL}]+@(?:[^{_SPECIAL}.]+\.)+[^{_SPECIAL}.]+$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ContactRequest(msgspec.Struct, frozen=True, kw_only=True):
    """What an employer leaves after the scan, checked."""

    organisation: str
    contact_name: str
    email: str
    phone: str = ""
    question: str = ""


class LeadUpdate(msgspec.Struct, frozen=True, kw_only=True):
    """A WSP's change to a lead."""

    status: str
    note: str


def valid_email(address: str) -> bool:
    if len(address) > MAX_LENGTHS["email"] or not _EMAIL.fullmatch(address):
        return False
    local = address.rpartition("@")[0]
    return not (local.startswith(".") or local.endswith(".") or ".." in local)


def valid_phone(number: str) -> bool:
    digits = sum(c.isdigit() for c in number)
    return bool(_PHONE.fullmatch(number)) and 10 <= digits <= 15


def _clean(text: str, *, multiline: bool = False) -> str:
    """Trimmed, without control characters (a line break only where lines are allowed)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = text.replace("\n", " ")
    return _CONTROL.sub("", text).strip()


def check_contact(
    values: Mapping[str, str], consent: bool, lang: str
) -> tuple[ContactRequest | None, dict[str, str]]:
    """The contact form: a request, or a message per field (in ``lang``)."""
    clean = {
        name: _clean(str(values.get(name) or ""), multiline=name == "question")
        for name in MAX_LENGTHS
    }
    errors: dict[str, str] = {}
    for name, required in texts.REQUIRED.items():
        if not clean[name]:
            errors[name] = required.get(lang)
    for name, maximum in MAX_LENGTHS.items():
        if name not in errors and len(clean[name]) > maximum:
            errors[name] = texts.TOO_LONG.get(lang).format(max=maximum)
    if "email" not in errors and not valid_email(clean["email"]):
        errors["email"] = texts.EMAIL_INVALID.get(lang)
    if "phone" not in errors and clean["phone"] and not valid_phone(clean["phone"]):
        errors["phone"] = texts.PHONE_INVALID.get(lang)
    if not consent:
        errors["consent"] = texts.CONSENT_MISSING.get(lang)
    if errors:
        return None, errors
    return ContactRequest(**clean), {}


def check_update(status: str, note: str, lang: str) -> tuple[LeadUpdate | None, dict[str, str]]:
    errors: dict[str, str] = {}
    status = status.strip()
    note = _clean(note, multiline=True)
    if status not in STATUSES:
        errors["status"] = texts.STATUS_INVALID.get(lang)
    if len(note) > MAX_NOTE:
        errors["note"] = texts.NOTE_TOO_LONG.get(lang).format(max=MAX_NOTE)
    if errors:
        return None, errors
    return LeadUpdate(status=status, note=note), {}


def status_label(status: str, lang: str) -> str:
    label = texts.STATUS_LABELS.get(status)
    return label.get(lang) if label else status


# --- retention -----------------------------------------------------------------------------


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` shifted by whole calendar months; the 31st becomes the month's last day."""
    index = moment.year * 12 + (moment.month - 1) + months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def lead_cutoff(now: datetime, retention_months: int) -> datetime:
    """Leads made at or before this moment are past their retention period."""
    return add_months(now, -max(1, retention_months))


def lead_expires_at(created_at: datetime, retention_months: int) -> datetime:
    """When a lead made at ``created_at`` is erased; its scan lives as long."""
    return add_months(created_at, max(1, retention_months))


def scan_expires_at(created_at: datetime) -> datetime:
    """When a scan without a lead is erased."""
    return created_at + timedelta(days=SCAN_DAYS)


# --- CSV -----------------------------------------------------------------------------------


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text, never as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# --- the dashboard -------------------------------------------------------------------------


class MonthCount(msgspec.Struct, frozen=True):
    month: date  # the first day of the month
    count: int


class ThemeAverage(msgspec.Struct, frozen=True):
    theme_id: str
    average: float | None  # None: no completed scan yet
    count: int


class Dashboard(msgspec.Struct, frozen=True, kw_only=True):
    months: list[MonthCount]
    themes: list[ThemeAverage]
    levels: list[tuple[str, int]]  # every level, in order, with its number of scans
    lead_statuses: list[tuple[str, int]]  # every status, plus "ingetrokken"
    scans: int
    leads: int


def month_start(moment: datetime) -> date:
    local = moment.astimezone(TIME_ZONE)
    return date(local.year, local.month, 1)


def last_months(now: datetime, count: int) -> list[date]:
    """The first days of the ``count`` months up to and including now's, oldest first."""
    first = month_start(now)
    index = first.year * 12 + first.month - 1
    return [_from_index(i) for i in range(index - count + 1, index + 1)]


def _from_index(index: int) -> date:
    year, month = divmod(index, 12)
    return date(year, month + 1, 1)


def dashboard(
    scans: Iterable[Mapping[str, Any]],
    lead_counts: Mapping[str, int],
    *,
    theme_ids: Sequence[str],
    level_ids: Sequence[str],
    now: datetime,
    months: int = 12,
) -> Dashboard:
    """The figures of one tenant's dashboard from its completed scans (``completed_at``,
    ``level``, ``themes``: [{"id", "score"}]) and its leads counted by status
    (``"ingetrokken"`` for withdrawn ones). Months in Dutch local time."""
    per_month: Counter[date] = Counter()
    per_level: Counter[str] = Counter()
    totals: dict[str, float] = dict.fromkeys(theme_ids, 0.0)
    counts: Counter[str] = Counter()
    number = 0
    for scan in scans:
        number += 1
        per_month[month_start(scan["completed_at"])] += 1
        per_level[scan["level"]] += 1
        for theme in scan["themes"] or ():
            if theme["id"] in totals:
                totals[theme["id"]] += float(theme["score"])
                counts[theme["id"]] += 1
    statuses = [*STATUSES, "ingetrokken"]
    return Dashboard(
        months=[MonthCount(m, per_month[m]) for m in last_months(now, months)],
        themes=[
            ThemeAverage(t, totals[t] / counts[t] if counts[t] else None, counts[t])
            for t in theme_ids
        ],
        levels=[(level, per_level[level]) for level in level_ids],
        lead_statuses=[(s, int(lead_counts.get(s, 0))) for s in statuses],
        scans=number,
        leads=sum(int(lead_counts.get(s, 0)) for s in statuses),
    )
