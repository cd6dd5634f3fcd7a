"""Languages: Dutch first, English second.

Message ids are the Dutch texts themselves, so a missing translation falls back to Dutch
and the Dutch catalogue only exists for completeness. Catalogues are read from the
``.po`` files and compiled in memory at start, so no compiled ``.mo`` file can go stale.
The language of a request lives in a context variable, set once per request.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import Translations

LANGUAGES: tuple[str, ...] = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


@cache
def translations(language: str) -> Translations:
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return Translations()  # type: ignore[return-value]
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def gettext(message: str, **variables: object) -> str:
    text = translations(current_language.get()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    text = translations(current_language.get()).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


_ = gettext


def pick_language(query: Mapping[str, str], accept_language: str | None = None) -> str:
    """``?lang=`` decides; an API client's Accept-Language may choose English."""
    asked = (query.get("lang") or "").lower()
    if asked in LANGUAGES:
        return asked
    if accept_language:
        for part in accept_language.split(","):
            tag = part.split(";")[0].strip().lower()[:2]
            if tag in LANGUAGES:
                return tag
    return DEFAULT_LANGUAGE


def babel_locale() -> Locale:
    return _locale(current_language.get())


@cache
def _locale(language: str) -> Locale:
    # Parsing a locale costs far more than formatting with it; pages format many cells.
    return Locale.parse("nl_NL" if language == "nl" else "en_GB")


def format_date(value: date, format: str = "long") -> str:
    return _format_date(value, format=format, locale=babel_locale())


# Times are stored in UTC; people read them in Dutch local time.
LOCAL_TIMEZONE = ZoneInfo("Europe/Amsterdam")


def format_datetime(value: datetime, format: str = "medium") -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return _format_datetime(value, format=format, locale=babel_locale(), tzinfo=LOCAL_TIMEZONE)


def format_number(value: int | float | Decimal, decimals: int | None = None) -> str:
    if decimals is None:
        return format_decimal(value, locale=babel_locale())
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale=babel_locale())


def format_money(cents: int) -> str:
    """Money lives in integer cents; shown in euros for the locale (``€ 1.234,50``)."""
    return format_currency(Decimal(cents) / 100, "EUR", locale=babel_locale())
