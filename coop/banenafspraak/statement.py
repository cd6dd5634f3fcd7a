"""The yearly contribution statement (bijdrageverklaring): a PDF a member can show its
board, auditor or municipality, with the year's banenafspraak figures and a line per
placement (participant codes only: never names or special-category data).

:func:`statement_context` is the view model (plain, picklable data for the render worker);
:func:`statement_pdf` renders it with :func:`coop.documents.service.render_document`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import msgspec

import regulations
from coop.accounts.principal import Principal
from coop.banenafspraak import repository
from coop.banenafspraak.dashboard import as_of_for, convention_of, has_rules
from coop.banenafspraak.schemas import MemberFigures
from coop.documents.service import COOPERATIVE_NAME, render_document
from coop.errors import NotFound
from coop.web.i18n import gettext as _
from coop.work.rules import model_label

__all__ = ["check_year", "file_name", "statement_context", "statement_pdf"]

TEMPLATE = "statement.html"


def check_year(year: int, today: dt.date) -> None:
    """A statement exists for a year that has begun and has a rule table; else NotFound
    with a detail that says why."""
    if year > today.year:
        raise NotFound(
            _("Het jaar %(year)s is nog niet begonnen; er is nog geen verklaring.", year=year),
            code="year_not_started",
        )
    if not has_rules(year):
        available = ", ".join(str(y) for y in regulations.available_years())
        raise NotFound(
            _(
                "Voor %(year)s zijn geen rekenregels van de banenafspraak vastgelegd, dus er "
                "is geen verklaring. Verklaringen zijn er voor: %(years)s.",
                year=year,
                years=available,
            ),
            code="year_without_rules",
        )


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


# The file's name in the statement's language; ASCII (a header value), so not a msgid.
FILE_STEMS = {"nl": "bijdrageverklaring", "en": "contribution-statement"}


def file_name(member: dict[str, Any], year: int, lang: str = "nl") -> str:
    """``bijdrageverklaring-<organisation>-<year>.pdf`` (English:
    ``contribution-statement-…``), ASCII only (a header value)."""
    stem = FILE_STEMS.get(lang, FILE_STEMS["nl"])
    return f"{stem}-{_slug(member['name']) or member['id']}-{year}.pdf"


def title_of(member: dict[str, Any], year: int) -> str:
    return _("Bijdrageverklaring banenafspraak %(year)s – %(name)s", year=year, name=member["name"])


def statement_context(
    member: dict[str, Any], figures: MemberFigures, today: dt.date
) -> dict[str, Any]:
    """Everything the statement shows, as plain data. Strings stay as typed (the template
    escapes them)."""
    rules = regulations.for_year(figures.year)
    address = ", ".join(
        part
        for part in (
            member.get("street_address") or "",
            " ".join(p for p in (member.get("postcode") or "", member.get("city") or "") if p),
        )
        if part
    )
    return {
        "issuer": COOPERATIVE_NAME,
        "member": {
            "name": member["name"],
            "kvk_number": member.get("kvk_number") or "",
            "address": address,
        },
        "year": figures.year,
        "as_of": figures.as_of,
        "complete_year": figures.as_of >= dt.date(figures.year, 12, 31),
        "computed_on": today,
        "figures": {
            "paid_hours": figures.paid_hours,
            "banen": figures.banen,
            "quota_banen": figures.quota_banen,
            "required_banen": figures.required_banen,
            "difference": figures.difference,
        },
        "lines": [
            {
                "code": line.participant_code,
                "place": line.place_title,
                "model": model_label(line.employment_model),
                "weekly_hours": line.weekly_hours,
                "start": line.start,
                "end": line.end,
                "paid": line.paid,
                "banen": line.banen,
                "quota_banen": line.quota_banen,
                "counted_hours": line.counted_hours,
            }
            for line in figures.placements
        ],
        "convention": msgspec.structs.asdict(convention_of(rules)),
        "logo": _logo_url(),
    }


def _logo_url() -> str | None:
    from coop.web.templating import STATIC_DIR

    logo = STATIC_DIR / "img" / "logo.svg"
    return logo.as_uri() if logo.is_file() else None


async def statement_pdf(
    app: Any, viewer: Principal, member: dict[str, Any], year: int, today: dt.date, lang: str
) -> tuple[bytes, str]:
    """The statement's PDF and its file name, as ``viewer`` may see it. NotFound for a
    year without a statement; RenderError when it cannot be rendered now."""
    check_year(year, today)
    figures = await repository.member_figures(
        member["id"], year, as_of=as_of_for(year, today), principal=viewer
    )
    pdf = await render_document(
        app,
        TEMPLATE,
        statement_context(member, figures, today),
        lang=lang,
        title=title_of(member, year),
    )
    return pdf, file_name(member, year, lang)
