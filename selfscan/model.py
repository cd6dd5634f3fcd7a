"""The self-scan's data: the questionnaire and its advice texts, answers, results and advice.

Three groups of structs live here:

- **The questionnaire file** (``questionnaires/<version>.toml``): :class:`Questionnaire` with
  :class:`Theme`, :class:`Question` and :class:`Option`; every text a bilingual :class:`Text`.
  The field names are those of the public API (``id``, ``title``, ``weight``, ``questions``,
  ``text``, ``options``, ``label``, ``score``), so the web layer only picks a language.
- **The advice file** (``questionnaires/<version>.advice.toml``): :class:`AdviceFile`, with
  texts that hold placeholders such as ``{lkv_hourly}`` which :mod:`selfscan.advice` fills
  from :mod:`regulations`.
- **Results**: :class:`ScanResult` from :func:`selfscan.scoring.score`, :class:`Advice` from
  :func:`selfscan.advice.advise`, :class:`QuotaIndication` from
  :func:`selfscan.quota.indicative_quota`, and :class:`AnswerProblem` for the web layer's
  422 problem details.

The structs are frozen; the files are read with ``forbid_unknown_fields`` so a typo in a field
name is an error, not a silent default. Checks msgspec cannot express (unique ids, score
ranges, placeholders) are in :mod:`selfscan.questionnaires`.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Annotated, Literal

import msgspec

Lang = Literal["nl", "en"]
LANGUAGES: tuple[Lang, ...] = ("nl", "en")

Band = Literal["low", "middle", "high"]
BANDS: tuple[Band, ...] = ("low", "middle", "high")

SizeClass = Literal["micro", "small", "medium", "large"]
SIZE_CLASSES: tuple[SizeClass, ...] = ("micro", "small", "medium", "large")

# Ids are lower-case slugs: they appear in URLs, in field paths (``answers.<question id>``) and
# in stored scans, so no dots, spaces or capitals.
Slug = Annotated[str, msgspec.Meta(pattern="^[a-z][a-z0-9_]*$")]
# An SBI section (Standaard Bedrijfsindeling of CBS): one letter from A to U.
SbiSection = Annotated[str, msgspec.Meta(pattern="^[A-U]$")]

#: The answers of one scan: question id -> option id.
Answers = Mapping[str, str]


class _Struct(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Immutable, and an unknown field in a file is an error."""


# --- texts ---------------------------------------------------------------------------------


class Text(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A text in Dutch and in English; Dutch is the default language."""

    nl: str
    en: str

    def get(self, lang: str) -> str:
        if lang == "nl":
            return self.nl
        if lang == "en":
            return self.en
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")


# --- figures in words ----------------------------------------------------------------------
# A tiny formatter instead of Babel: the self-scan needs five shapes, in two languages, many
# times per advice, and must not import coop's i18n. Dutch style: "€ 2.000", "€ 1,01",
# "23,5%", "40.575"; English: "€2,000", "€1.01", "23.5%", "40,575".

_SEPARATORS = {"nl": (".", ","), "en": (",", ".")}  # (thousands, decimal)
_MONTHS = {
    "nl": (
        "januari februari maart april mei juni juli augustus september oktober november december"
    ).split(),
    "en": (
        "January February March April May June July August September October November December"
    ).split(),
}


def format_number(value: int | Decimal, lang: str, decimals: int | None = None) -> str:
    """A number with the language's separators; trailing zeros dropped unless ``decimals``."""
    thousands, point = _SEPARATORS[lang]
    amount = Decimal(value)
    if decimals is not None:
        amount = amount.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    elif amount == amount.to_integral_value():
        amount = amount.quantize(Decimal(1))
    else:
        amount = amount.normalize()
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    grouped = thousands.join([whole, *groups])
    return f"{sign}{grouped}{point}{fraction}" if fraction else f"{sign}{grouped}"


def format_money(cents: int, lang: str) -> str:
    """Whole euros without cents ("€ 2.000"), otherwise with two decimals ("€ 14,71")."""
    decimals = 0 if cents % 100 == 0 else 2
    amount = format_number(Decimal(cents) / 100, lang, decimals)
    return f"€ {amount}" if lang == "nl" else f"€{amount}"


def format_percent(value: Decimal, lang: str) -> str:
    """A percentage given in percent (2.58 -> "2,58%")."""
    return f"{format_number(value, lang)}%"


def format_share(share: Decimal, lang: str) -> str:
    """A percentage given as a share (0.235 -> "23,5%")."""
    return format_percent(share * 100, lang)


def format_date(day: dt.date, lang: str) -> str:
    return f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"


# --- the questionnaire file ----------------------------------------------------------------


class Option(_Struct, kw_only=True):
    """One answer to a question; ``score`` runs from 0 (least ready) to 1 (most ready)."""

    id: Slug
    label: Text
    score: float


class Question(_Struct, kw_only=True):
    """A question with its options, ordered from least to most ready.

    ``help`` explains the terms the question uses in plain words. ``strength`` is a short
    statement of what is in place when the answer scores high ("De directie steunt ..."),
    shown in the advice under "what is already in place".
    """

    id: Slug
    text: Text
    help: Text
    strength: Text
    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option | None:
        for option in self.options:
            if option.id == option_id:
                return option
        return None


class Theme(_Struct, kw_only=True):
    """One of the eight themes; ``weight`` is its relative weight in the overall score."""

    id: Slug
    title: Text
    intro: Text
    weight: float
    questions: tuple[Question, ...]


class _Index(msgspec.Struct, frozen=True):
    """What scoring needs, computed once per questionnaire (see Questionnaire._index).

    Scores are exact and sums are integer additions. Every option score is read as the
    decimal it was written as and scaled to whole ``points`` over one common
    ``denominator``; weights likewise to whole numbers (their common denominator cancels
    out of a weighted mean). So a theme whose answers average exactly 0.7 scores exactly 70,
    where a float mean would give 70.00000000000001 and put it in the high band.

    Theme t with answer points P scores ``100 × P / (sizes[t] × denominator)``. The overall
    score is ``100 × Σ weights[t] × spread[t] × P_t / overall_denominator``, where
    ``spread[t] = lcm(sizes) / sizes[t]`` puts every theme's mean over one denominator.
    """

    denominator: int
    # question id -> (theme position, option id -> (points, points of the next higher score))
    questions: dict[str, tuple[int, dict[str, tuple[int, int]]]]
    weights: tuple[int, ...]  # per theme, in questionnaire order
    sizes: tuple[int, ...]  # number of questions per theme
    spread: tuple[int, ...]
    overall_denominator: int


class Questionnaire(msgspec.Struct, frozen=True, forbid_unknown_fields=True, dict=True):
    """One version of the questionnaire. A stored scan keeps ``version``; a new version is a
    new file and never changes the results of an old one."""

    version: str
    themes: tuple[Theme, ...]

    def theme(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise LookupError(f"no theme {theme_id!r} in questionnaire {self.version}")

    def question(self, question_id: str) -> Question:
        for theme in self.themes:
            for question in theme.questions:
                if question.id == question_id:
                    return question
        raise LookupError(f"no question {question_id!r} in questionnaire {self.version}")

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(q.id for t in self.themes for q in t.questions)

    @functools.cached_property
    def _index(self) -> _Index:
        scores = [exact(o.score) for t in self.themes for q in t.questions for o in q.options]
        denominator = math.lcm(1, *(value.denominator for value in scores))
        questions: dict[str, tuple[int, dict[str, tuple[int, int]]]] = {}
        for position, theme in enumerate(self.themes):
            for question in theme.questions:
                points = [int(exact(o.score) * denominator) for o in question.options]
                options: dict[str, tuple[int, int]] = {}
                for option, own in zip(question.options, points, strict=True):
                    higher = [p for p in points if p > own]
                    options[option.id] = (own, min(higher) if higher else own)
                questions[question.id] = (position, options)
        weights = [exact(t.weight) for t in self.themes]
        weight_denominator = math.lcm(1, *(w.denominator for w in weights))
        sizes = tuple(len(t.questions) for t in self.themes)
        common_size = math.lcm(1, *sizes)
        whole_weights = tuple(int(w * weight_denominator) for w in weights)
        return _Index(
            denominator=denominator,
            questions=questions,
            weights=whole_weights,
            sizes=sizes,
            spread=tuple(common_size // size for size in sizes),
            overall_denominator=common_size * denominator * sum(whole_weights),
        )


def exact(value: float | int | Decimal) -> Fraction:
    """The decimal a number was written as (0.1 -> 1/10), not the float's binary value."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


# --- the advice file -----------------------------------------------------------------------

#: The placeholders an advice text may use, each filled by :mod:`selfscan.advice` from the
#: year's :mod:`regulations` in the language of the advice. Figures never appear in the
#: files themselves: the loader refuses digits, ``€`` and ``%`` outside placeholders.
ADVICE_PLACEHOLDERS = frozenset(
    {
        "wml_hourly",  # WML per hour (21+) on 1 January: "€ 14,71"
        "wml_from",  # "1 januari 2026"
        "lks_max_share",  # "70%"
        "lks_allowance",  # "23,5%"
        "lks_remeasure_years",  # "3"
        "lkv_hourly",  # "€ 1,01"
        "lkv_max_year",  # "€ 2.000"
        "lkv_duration",  # "zolang de werknemer bij u in dienst is" or "gedurende 3 jaar"
        "no_riskpolis_years",  # "5"
        "jobcoach_years",  # "3"
        "jobcoach_shares",  # "15% in het eerste jaar, 7,5% in het tweede jaar en 6% ..."
        "jobcoach_min_hours",  # "12"
        "jobcoach_min_months",  # "6"
        "proefplaatsing_months",  # "2"
        "proefplaatsing_months_extended",  # "6"
        "proefplaatsing_min_contract_months",  # "6"
        "hours_per_baan_week",  # "25,5"
        "quota_min_employees",  # "25"
        "quota_threshold_hours",  # "40.575"
        "quota_percent",  # "2,58%"
    }
)


class Step(_Struct, kw_only=True):
    """One concrete step. ``sizes`` and ``sectors`` limit it to some organisations: empty
    means every organisation; a step with ``sizes`` is left out when the size is unknown,
    one with ``sectors`` when the sector is unknown."""

    nl: str
    en: str
    sizes: tuple[SizeClass, ...] = ()
    sectors: tuple[SbiSection, ...] = ()

    @property
    def text(self) -> Text:
        return Text(nl=self.nl, en=self.en)

    def fits(self, size_class: str | None, sector: str | None) -> bool:
        if self.sizes and size_class not in self.sizes:
            return False
        return not (self.sectors and sector not in self.sectors)


class BandAdvice(_Struct, kw_only=True):
    summary: Text
    steps: tuple[Step, ...]
    instruments: tuple[Slug, ...] = ()


class ThemeAdviceText(_Struct, kw_only=True):
    low: BandAdvice
    middle: BandAdvice
    high: BandAdvice

    def for_band(self, band: Band) -> BandAdvice:
        return getattr(self, band)


class InstrumentText(_Struct, kw_only=True):
    name: Text
    text: Text


class AdviceFile(_Struct, kw_only=True):
    """Advice texts of one questionnaire version: per theme and band, and per instrument."""

    version: str
    instruments: dict[Slug, InstrumentText]
    themes: dict[Slug, ThemeAdviceText]


# --- answers and results -------------------------------------------------------------------


class AnswerProblem(msgspec.Struct, frozen=True):
    """One wrong field in posted answers, for a 422 problem detail.

    ``field`` is a path like ``answers.commitment_goal``; ``code`` is one of ``missing``,
    ``unknown_question`` and ``unknown_option``.
    """

    field: str
    code: str
    message: Text


class Level(msgspec.Struct, frozen=True):
    """A readiness level of the whole scan: from ``min_score`` (inclusive) up to the next."""

    id: str
    min_score: int
    name: Text
    meaning: Text


class ThemeResult(msgspec.Struct, frozen=True):
    id: str
    score: float  # 0..100, one decimal; the band is decided on the unrounded score
    band: Band


class ScanResult(msgspec.Struct, frozen=True):
    """The outcome of one scan, independent of language.

    ``level`` is a level id (see :data:`selfscan.scoring.LEVELS`); ``priorities`` are theme
    ids, most gain first; ``answers`` are kept so advice can say what is already in place.
    """

    version: str
    overall: float  # 0..100, one decimal
    level: str
    themes: tuple[ThemeResult, ...]
    priorities: tuple[str, ...]
    answers: dict[str, str]

    def theme(self, theme_id: str) -> ThemeResult:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise LookupError(f"no theme {theme_id!r} in this result")


# --- the organisation ----------------------------------------------------------------------


class OrganisationProfile(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What an employer tells about itself; every field is optional.

    ``yearly_paid_hours`` are the paid hours of the organisation's own staff in a year (hired-in
    staff excluded, as in the quota test); when left out they are estimated from
    ``employees`` (see :mod:`selfscan.quota`). ``sector`` is the SBI section letter.
    """

    employees: Annotated[int, msgspec.Meta(ge=0)] | None = None
    yearly_paid_hours: Annotated[int, msgspec.Meta(ge=0)] | None = None
    sector: SbiSection | None = None

    @property
    def size_class(self) -> SizeClass | None:
        """The EU's size classes by number of employees (headcount, not FTE).

        ``micro`` under 10, ``small`` 10 to 49, ``medium`` 50 to 249, ``large`` 250 and more;
        None when the number of employees is not given.
        """
        if self.employees is None:
            return None
        if self.employees < 10:
            return "micro"
        if self.employees < 50:
            return "small"
        if self.employees < 250:
            return "medium"
        return "large"


# --- advice and quota ----------------------------------------------------------------------


class Instrument(msgspec.Struct, frozen=True):
    """A scheme or service that helps, in one language, with the year's figures filled in."""

    id: str
    name: str
    text: str


class ThemeAdvice(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str
    score: float
    band: Band
    summary: str
    in_place: tuple[str, ...]  # what already goes well: answers that scored high
    steps: tuple[str, ...]
    instruments: tuple[Instrument, ...]


class QuotaIndication(msgspec.Struct, frozen=True, kw_only=True):
    """An indication, not a decision, of whether the quota applies and how many banen it asks.

    ``yearly_paid_hours`` are the hours used: given, or estimated as ``employees`` ×
    ``hours_per_employee`` (then ``estimated`` is true). ``applies`` is true when the hours
    reach ``threshold_paid_hours`` and the sector is in ``sector_scope`` or not given.
    ``indicative_banen`` is rounded to 2 decimals, and None when the quota does not apply.
    ``explanation`` (and ``assumption`` when estimated) say so in words.
    """

    year: int
    indicative: bool = True
    employees: int | None
    yearly_paid_hours: int
    estimated: bool
    hours_per_employee: Decimal | None
    threshold_paid_hours: Decimal
    above_threshold: bool
    sector_scope: str  # "alle" or "overheid", from the year's rules
    in_scope: bool | None  # None when the sector is not given
    applies: bool
    percent: Decimal
    hours_per_baan: Decimal
    indicative_banen: Decimal | None
    explanation: Text
    assumption: Text | None


class Advice(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the result page and the report show, in one language."""

    version: str
    year: int
    lang: Lang
    overall: float
    level: str
    level_label: str
    level_meaning: str
    size_class: SizeClass | None
    themes: tuple[ThemeAdvice, ...]  # questionnaire order
    priorities: tuple[str, ...]  # theme ids, most gain first
    quota: QuotaIndication | None
