"""The report's view model: everything the template prints, in one language, as plain structs.

Pure: made from the advice (:func:`selfscan.advice.advise`), the stored result, the
questionnaire and the year's rules; no I/O, no clock (the date comes in). The template only
lays it out. The charts are the result page's own SVG (:mod:`selfscan.scans.charts`), made
from the same scores, so page and report never disagree.

User input (the organisation's name, a tenant's name and contact details) stays plain text
here; the template escapes it (autoescape). Only the charts' SVG is passed as markup, and
:mod:`selfscan.scans.charts` escapes every text it puts in.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
from decimal import Decimal

import msgspec

from regulations import YearRules
from selfscan.advice import placeholder_values
from selfscan.model import (
    Advice,
    AdviceFile,
    format_date,
    format_number,
    format_percent,
)
from selfscan.report.texts import INSTRUMENT_FIGURES, T
from selfscan.scans import charts
from selfscan.scans import texts as scan_texts

__all__ = ["Brand", "ReportView", "build_view", "file_name"]

#: The six instruments of the overview page, in this order.
INSTRUMENT_IDS = ("lks", "lkv", "no_riskpolis", "jobcoach", "proefplaatsing", "werkplekaanpassing")
DEFAULT_COLOUR = "#154273"
DEFAULT_SECONDARY = "#01689b"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_WHITE = "#ffffff"
_INK = "#1b1b1b"
#: WCAG 2.1 AA for normal text.
TEXT_CONTRAST = 4.5


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.1) of ``#rrggbb``."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_on_white(colour: str) -> str:
    """``colour``, darkened just enough to read as text on white (4.5:1)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    for step in range(21):
        keep = 1 - step / 20
        candidate = f"#{round(r * keep):02x}{round(g * keep):02x}{round(b * keep):02x}"
        if contrast(candidate, _WHITE) >= TEXT_CONTRAST:
            return candidate
    return _INK  # pragma: no cover - black always passes


def _valid(colour: str | None, default: str) -> str:
    return colour if colour and _COLOUR.match(colour) else default


class Contact(msgspec.Struct, frozen=True, kw_only=True):
    """A WSP's contact details; every field optional and printed as text."""

    person: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    address: str | None = None
    privacy_url: str | None = None


class Brand(msgspec.Struct, frozen=True, kw_only=True):
    """Who offers the scan: the WSP tenant or the cooperative.

    ``colour`` and ``secondary`` must be ``#rrggbb`` (anything else falls back to the
    default, so nothing a tenant typed reaches the stylesheet). ``logo`` is a URL for
    ``<img src>``: only ``data:`` URLs and files of the package's static folders are ever
    fetched (see :mod:`selfscan.report.fetcher`); :func:`selfscan.report.service.brand_of`
    makes only ``data:`` URLs of the tenant's stored logo."""

    name: str
    slug: str
    colour: str = DEFAULT_COLOUR
    secondary: str = DEFAULT_SECONDARY
    logo: str | None = None
    contact: Contact = msgspec.field(default_factory=Contact)

    @property
    def safe_colour(self) -> str:
        """The primary colour, for areas and lines."""
        return _valid(self.colour, DEFAULT_COLOUR)

    @property
    def safe_secondary(self) -> str:
        """The secondary colour, for accents that carry no text."""
        return _valid(self.secondary, DEFAULT_SECONDARY)

    @property
    def text_colour(self) -> str:
        """The primary colour for text and chart marks on white: darkened when a light
        brand colour would not be readable."""
        return readable_on_white(self.safe_colour)

    @property
    def on_colour(self) -> str:
        """Text on an area of the primary colour: white, or ink on a light colour
        (whichever stands out more)."""
        colour = self.safe_colour
        return _WHITE if contrast(colour, _WHITE) >= contrast(colour, _INK) else _INK


class InstrumentView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    text: str
    figures: str = ""


class ThemeView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    number: int
    title: str
    intro: str
    score: str  # formatted, one decimal
    score_value: float
    band: str
    band_label: str
    summary: str
    in_place: tuple[str, ...]
    steps: tuple[str, ...]
    instruments: tuple[InstrumentView, ...]
    priority: int | None  # 1, 2, 3 or None


class PlanRow(msgspec.Struct, frozen=True, kw_only=True):
    priority: int
    theme: str
    step: str


class QuotaRow(msgspec.Struct, frozen=True, kw_only=True):
    label: str
    value: str


class QuotaView(msgspec.Struct, frozen=True, kw_only=True):
    applies: bool
    rows: tuple[QuotaRow, ...]
    explanation: str
    assumption: str | None


class ReportView(msgspec.Struct, frozen=True, kw_only=True):
    lang: str
    title: str  # the document title (PDF metadata)
    subject: str
    keywords: str
    brand: Brand
    organisation: str | None
    date: str
    date_iso: str
    version: str
    year: int
    overall: str
    overall_value: float
    level_label: str
    level_meaning: str
    radar: Chart
    bars: Chart
    themes: tuple[ThemeView, ...]
    priorities: tuple[ThemeView, ...]
    plan: tuple[PlanRow, ...]
    instruments: tuple[InstrumentView, ...]
    quota: QuotaView | None
    t: dict[str, str]  # the report's texts in ``lang``
    made_with: str


def _n(value: float | Decimal, lang: str, decimals: int | None = 1) -> str:
    return format_number(
        Decimal(repr(float(value))) if isinstance(value, float) else value, lang, decimals
    )


class Chart(msgspec.Struct, frozen=True, kw_only=True):
    """A chart for ``<img src alt>``: the SVG as a ``data:`` URL, and its text alternative
    (the chart's own title and description, which name every figure)."""

    svg: str
    alt: str

    @property
    def src(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _chart(svg: str, colour: str) -> Chart:
    """The result page's chart in the report's brand colour and typeface; the drawing and
    its figures are untouched. As an image rather than inline: the PDF's structure gets one
    figure with its alternative text, and layout does not cascade styles into every shape."""
    svg = svg.replace(charts.PRIMARY, colour)
    svg = svg.replace("<svg ", '<svg font-family="Source Sans Pro, DejaVu Sans, sans-serif" ', 1)
    title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S)
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S)
    alt = ". ".join(html.unescape(m.group(1)) for m in (title, desc) if m)
    return Chart(svg=svg, alt=alt)


def _nb(text: str) -> str:
    """Keep "€ 2.000" and "25,5 uur" on one line."""
    return re.sub(r"€ (?=\d)", "€\u00a0", text)


def _clean(text: str | None, limit: int = 200) -> str | None:
    """User text as one plain line: control characters out, whitespace folded, cut."""
    if text is None:
        return None
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text[:limit] or None


def build_view(
    advice: Advice,
    *,
    texts: AdviceFile,
    intros: dict[str, str],
    rules: YearRules,
    brand: Brand,
    organisation: str | None,
    day: dt.date,
) -> ReportView:
    """The view model of one report. ``intros`` are the themes' introductions (theme id ->
    text in ``advice.lang``); ``day`` is the date printed on the report."""
    lang = advice.lang
    values = placeholder_values(rules, lang)
    t = {key: text.get(lang) for key, text in T.items()}
    t["instruments"] = t["instruments"].format(year=rules.year)
    t["instruments_intro"] = t["instruments_intro"].format(year=rules.year)
    t["sources_text"] = t["sources_text"].format(year=rules.year)
    t["logo_alt"] = t["logo_alt"].format(brand=brand.name)
    organisation = _clean(organisation)
    colour = brand.text_colour
    date_text = format_date(day, lang)

    legend = charts.Legend(
        own=scan_texts.CHART_OWN.get(lang),
        peers=scan_texts.CHART_PEERS.get(lang),
        bands=tuple(scan_texts.BANDS[b].get(lang) for b in ("low", "middle", "high")),  # type: ignore[arg-type]
    )
    chart_themes = [
        charts.ChartTheme(
            label=theme.title,
            score=theme.score,
            band=theme.band,
            band_label=scan_texts.BANDS[theme.band].get(lang),
        )
        for theme in advice.themes
    ]
    ranks = {theme_id: n for n, theme_id in enumerate(advice.priorities, start=1)}
    themes = []
    for number, theme in enumerate(advice.themes, start=1):
        themes.append(
            ThemeView(
                id=theme.id,
                number=number,
                title=theme.title,
                intro=intros.get(theme.id, ""),
                score=_n(theme.score, lang),
                score_value=theme.score,
                band=theme.band,
                band_label=scan_texts.BANDS[theme.band].get(lang),
                summary=_nb(theme.summary),
                in_place=tuple(_nb(item) for item in theme.in_place),
                steps=tuple(_nb(step) for step in theme.steps),
                instruments=tuple(
                    InstrumentView(id=i.id, name=i.name, text=_nb(i.text))
                    for i in theme.instruments
                ),
                priority=ranks.get(theme.id),
            )
        )
    by_id = {theme.id: theme for theme in themes}
    priorities = tuple(by_id[theme_id] for theme_id in advice.priorities if theme_id in by_id)
    plan = tuple(
        PlanRow(priority=theme.priority or 0, theme=theme.title, step=step)
        for theme in priorities
        for step in theme.steps[:3]
    )
    instruments = tuple(
        InstrumentView(
            id=key,
            name=texts.instruments[key].name.get(lang).format_map(values),
            text=_nb(texts.instruments[key].text.get(lang).format_map(values)),
            figures=_nb(INSTRUMENT_FIGURES[key].get(lang).format_map(values)),
        )
        for key in INSTRUMENT_IDS
        if key in texts.instruments
    )
    title = T["report_title"].get(lang)
    if organisation:
        title = f"{title}: {organisation}"
    return ReportView(
        lang=lang,
        title=title,
        subject=T["report_subtitle"].get(lang),
        keywords=", ".join(theme.title for theme in themes),
        brand=brand,
        organisation=organisation,
        date=date_text,
        date_iso=day.isoformat(),
        version=advice.version,
        year=advice.year,
        overall=_n(advice.overall, lang),
        overall_value=advice.overall,
        level_label=advice.level_label,
        level_meaning=advice.level_meaning,
        radar=_chart(
            charts.radar(
                chart_themes,
                title=scan_texts.CHART_RADAR_TITLE.get(lang),
                legend=legend,
                lang=lang,
                id_prefix="report-radar",
            ),
            colour,
        ),
        bars=_chart(
            charts.bars(
                chart_themes,
                title=scan_texts.CHART_BARS_TITLE.get(lang),
                legend=legend,
                lang=lang,
                id_prefix="report-bars",
            ),
            colour,
        ),
        themes=tuple(themes),
        priorities=priorities,
        plan=plan,
        instruments=instruments,
        quota=_quota(advice, lang),
        t=t,
        made_with=T["made_with"]
        .get(lang)
        .format(brand=brand.name, version=advice.version, date=date_text),
    )


def _quota(advice: Advice, lang: str) -> QuotaView | None:
    quota = advice.quota
    if quota is None:
        return None
    hours = format_number(quota.yearly_paid_hours, lang)
    if quota.estimated:
        hours += f" ({T['quota_hours_estimated'].get(lang)})"
    rows = [
        QuotaRow(label=T["quota_hours"].get(lang), value=hours),
        QuotaRow(
            label=T["quota_threshold"].get(lang),
            value=format_number(quota.threshold_paid_hours, lang),
        ),
        QuotaRow(label=T["quota_percent"].get(lang), value=format_percent(quota.percent, lang)),
        QuotaRow(
            label=T["quota_banen"].get(lang),
            value=format_number(quota.indicative_banen, lang, 2)
            if quota.indicative_banen is not None
            else T["quota_not_applicable"].get(lang),
        ),
    ]
    return QuotaView(
        applies=quota.applies,
        rows=tuple(rows),
        explanation=_nb(quota.explanation.get(lang)),
        assumption=quota.assumption.get(lang) if quota.assumption else None,
    )


def file_name(organisation: str | None, fallback: str, day: dt.date) -> str:
    """``zelfscan-<organisation>-<date>.pdf`` in ASCII: letters and digits, hyphens."""
    import unicodedata

    source = organisation or fallback
    ascii_text = unicodedata.normalize("NFKD", source).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return f"zelfscan-{slug or 'organisatie'}-{day.isoformat()}.pdf"
