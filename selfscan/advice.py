"""Advice from a scored scan: per theme what is in place, what to do next, and what helps.

Pure: the questionnaire, the result, the organisation and the year's rules come in as
arguments; nothing is read from a clock or a database. The texts live in
``questionnaires/<version>.advice.toml`` (see :mod:`selfscan.questionnaires`), per theme and
band:

- **low** (< 40): a first step with the employer service point (WSP);
- **middle** (40–70): a pilot: one carved job, one trial placement;
- **high** (> 70): make it structural: a standard procedure, recognition such as the PSO.

A step may be limited to size classes (see :attr:`OrganisationProfile.size_class`) or SBI
sections, so an owner of eight people is not told to appoint a diversity officer. Every
figure in a text is a placeholder filled here from ``rules`` (:func:`placeholder_values`),
formatted for the language: nothing in the texts changes by year except through
``regulations``.

"What is already in place" lists the ``strength`` of every question whose answer scores in
the high band (above 0.7).
"""

from __future__ import annotations

from decimal import Decimal

from regulations import LkvBanenafspraak, YearRules

from . import questionnaires
from .model import (
    LANGUAGES,
    Advice,
    AdviceFile,
    Instrument,
    OrganisationProfile,
    Questionnaire,
    ScanResult,
    ThemeAdvice,
    format_date,
    format_money,
    format_number,
    format_percent,
    format_share,
)
from .quota import indicative_quota
from .scoring import HIGH_ABOVE, level_by_id
from .scoring import priorities as priorities

__all__ = ["advise", "placeholder_values", "priorities"]

_ORDINALS = {
    "nl": ("eerste", "tweede", "derde", "vierde", "vijfde", "zesde"),
    "en": ("first", "second", "third", "fourth", "fifth", "sixth"),
}


def advise(
    questionnaire: Questionnaire,
    result: ScanResult,
    profile: OrganisationProfile,
    rules: YearRules,
    lang: str = "nl",
    *,
    texts: AdviceFile | None = None,
) -> Advice:
    """The advice for one scored scan, in ``lang``, with the figures of ``rules.year``.

    ``texts`` defaults to the advice file of the result's questionnaire version.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    if result.version != questionnaire.version:
        raise ValueError(
            f"result of questionnaire {result.version} advised with {questionnaire.version}"
        )
    texts = texts or questionnaires.load_advice(questionnaire.version)
    values = placeholder_values(rules, lang)
    size, sector = profile.size_class, profile.sector

    themes = []
    for theme, outcome in zip(questionnaire.themes, result.themes, strict=True):
        band_text = texts.themes[theme.id].for_band(outcome.band)
        in_place = [
            question.strength.get(lang)
            for question in theme.questions
            if _scored_high(questionnaire, question.id, result.answers[question.id])
        ]
        themes.append(
            ThemeAdvice(
                id=theme.id,
                title=theme.title.get(lang),
                score=outcome.score,
                band=outcome.band,
                summary=band_text.summary.get(lang).format_map(values),
                in_place=tuple(in_place),
                steps=tuple(
                    step.text.get(lang).format_map(values)
                    for step in band_text.steps
                    if step.fits(size, sector)
                ),
                instruments=tuple(
                    Instrument(
                        id=key,
                        name=texts.instruments[key].name.get(lang).format_map(values),
                        text=texts.instruments[key].text.get(lang).format_map(values),
                    )
                    for key in band_text.instruments
                ),
            )
        )
    chosen_level = level_by_id(result.level)
    return Advice(
        version=result.version,
        year=rules.year,
        lang=lang,  # type: ignore[arg-type]
        overall=result.overall,
        level=chosen_level.id,
        level_label=chosen_level.name.get(lang),
        level_meaning=chosen_level.meaning.get(lang),
        size_class=size,
        themes=tuple(themes),
        priorities=result.priorities,
        quota=indicative_quota(profile, rules),
    )


def _scored_high(questionnaire: Questionnaire, question_id: str, option_id: str) -> bool:
    """Whether an answer's score is in the high band on its own (above 0.7), exactly."""
    index = questionnaire._index
    points = index.questions[question_id][1][option_id][0]
    return points * 100 > HIGH_ABOVE * index.denominator


def placeholder_values(rules: YearRules, lang: str) -> dict[str, str]:
    """Every placeholder of the advice texts, formatted from the year's rules."""
    wml = rules.wml.periods[0]
    coach = rules.jobcoach
    trial = rules.place("proefplaatsing")
    values = {
        "wml_hourly": format_money(wml.hourly_cents, lang),
        "wml_from": format_date(wml.start, lang),
        "lks_max_share": format_share(rules.lks.max_share_of_wml, lang),
        "lks_allowance": format_share(rules.lks.employer_cost_allowance_share, lang),
        "lks_remeasure_years": format_number(rules.lks.wage_value_remeasure_max_years, lang),
        "lkv_hourly": format_money(rules.lkv.hourly_cents, lang),
        "lkv_max_year": format_money(rules.lkv.max_cents_per_year, lang),
        "lkv_duration": _lkv_duration(rules.lkv, lang),
        "no_riskpolis_years": format_number(rules.no_riskpolis.years, lang),
        "jobcoach_years": format_number(coach.max_years, lang),
        "jobcoach_shares": _by_year(coach.internal_max_share_of_hours, lang),
        "jobcoach_min_hours": format_number(coach.min_contract_hours_per_week, lang),
        "jobcoach_min_months": format_number(coach.min_contract_months, lang),
        "proefplaatsing_months": format_number(trial.max_months, lang),
        "proefplaatsing_months_extended": format_number(trial.max_months_extended, lang),
        "proefplaatsing_min_contract_months": format_number(
            trial.min_intended_contract_months or 0, lang
        ),
        "hours_per_baan_week": format_number(rules.banenafspraak.hours_per_baan_per_week, lang),
        "quota_min_employees": format_number(rules.quota.min_employees, lang),
        "quota_threshold_hours": format_number(rules.quota.threshold_paid_hours, lang),
        "quota_percent": format_percent(rules.quota.percent, lang),
    }
    return values  # the keys are ADVICE_PLACEHOLDERS; a unit test holds them equal


def _lkv_duration(lkv: LkvBanenafspraak, lang: str) -> str:
    if lkv.whole_employment or lkv.duration_years is None:
        return {
            "nl": "zolang de werknemer bij u in dienst is",
            "en": "for as long as the employee works for you",
        }[lang]
    years = format_number(lkv.duration_years, lang)
    if lang == "nl":
        return f"de eerste {years} jaar van het dienstverband"
    return f"for the first {years} years of employment"


def _by_year(shares: tuple[Decimal, ...], lang: str) -> str:
    """ "15% in het eerste jaar, 7,5% in het tweede en 6% in het derde"."""
    parts = []
    for year, share in enumerate(shares):
        ordinal = _ORDINALS[lang][year] if year < len(_ORDINALS[lang]) else None
        if lang == "nl":
            when = f"het {ordinal}" if ordinal else f"jaar {year + 1}"
            when += " jaar" if year == 0 and ordinal else ""
        else:
            when = f"the {ordinal}" if ordinal else f"year {year + 1}"
            when += " year" if year == 0 and ordinal else ""
        parts.append(f"{format_share(share, lang)} in {when}")
    if len(parts) <= 1:
        return "".join(parts)
    conjunction = " en " if lang == "nl" else " and "
    return ", ".join(parts[:-1]) + conjunction + parts[-1]
