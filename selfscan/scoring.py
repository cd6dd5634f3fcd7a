"""Scoring the self-scan: answers -> theme scores, bands, overall score, level and priorities.

Pure and exact: no I/O, no clock, and no floating-point drift. Option scores are read as the
decimals they were written as, so a theme whose answers average exactly 0.7 scores exactly
70 and stays in the middle band.

- **Theme score** = the mean of its answers' scores × 100 (0 to 100).
- **Overall** = the mean of the theme scores, weighted by the themes' weights.
- **Band** of a theme, on the unrounded score: ``low`` below 40, ``middle`` from 40 up to and
  including 70, ``high`` above 70.
- **Level** of the scan, on the unrounded overall score (see :data:`LEVELS`):

  ==============  ============  ===========
  overall         level         English
  ==============  ============  ===========
  0 to < 25       Oriënteren    Exploring
  25 to < 50      Voorbereiden  Preparing
  50 to < 75      Starten       Starting
  75 to 100       Verankeren    Embedding
  ==============  ============  ===========

  Four equal steps of 25, so "how far along" reads the same anywhere on the scale.
- **Rounding**: scores in a result have one decimal, rounded half up (66.65 -> 66.7); bands
  and level are decided before rounding, so a theme at 39.97 shows 40.0 and is ``low``.
- **Priorities**: see :func:`priorities`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from .errors import InvalidAnswers
from .model import (
    AnswerProblem,
    Band,
    Level,
    Questionnaire,
    ScanResult,
    Text,
    ThemeResult,
)

__all__ = [
    "HIGH_ABOVE",
    "LEVELS",
    "LOW_BELOW",
    "band",
    "level",
    "level_by_id",
    "priorities",
    "score",
    "validate_answers",
]

LOW_BELOW = 40  # a theme scoring below this is "low"
HIGH_ABOVE = 70  # a theme scoring above this is "high"; in between (inclusive) "middle"
PRIORITY_COUNT = 3

LEVELS: tuple[Level, ...] = (
    Level(
        id="orienteren",
        min_score=0,
        name=Text(nl="Oriënteren", en="Exploring"),
        meaning=Text(
            nl="U verkent wat werk voor mensen met een arbeidsbeperking voor uw organisatie "
            "kan betekenen.",
            en="You are exploring what work for people with a work-related disability could "
            "mean for your organisation.",
        ),
    ),
    Level(
        id="voorbereiden",
        min_score=25,
        name=Text(nl="Voorbereiden", en="Preparing"),
        meaning=Text(
            nl="De basis is er deels; met een paar afspraken bent u klaar voor een eerste plek.",
            en="Part of the groundwork is there; a few arrangements will make you ready for "
            "a first placement.",
        ),
    ),
    Level(
        id="starten",
        min_score=50,
        name=Text(nl="Starten", en="Starting"),
        meaning=Text(
            nl="U bent klaar om iemand aan te nemen en te begeleiden: begin met een eerste plek.",
            en="You are ready to hire and guide someone: start with a first placement.",
        ),
    ),
    Level(
        id="verankeren",
        min_score=75,
        name=Text(nl="Verankeren", en="Embedding"),
        meaning=Text(
            nl="Inclusief werkgeven hoort bij uw organisatie; maak het een vast onderdeel van "
            "uw beleid.",
            en="Inclusive employment is part of your organisation; make it a permanent part "
            "of your policy.",
        ),
    ),
)

Number = int | float | Decimal | Fraction


def band(score: Number) -> Band:
    """The band of an unrounded theme score: low < 40 <= middle <= 70 < high."""
    if score < LOW_BELOW:
        return "low"
    if score <= HIGH_ABOVE:
        return "middle"
    return "high"


def level(overall: Number) -> Level:
    """The readiness level of an unrounded overall score."""
    chosen = LEVELS[0]
    for candidate in LEVELS:
        if overall >= candidate.min_score:
            chosen = candidate
    return chosen


def level_by_id(level_id: str) -> Level:
    for candidate in LEVELS:
        if candidate.id == level_id:
            return candidate
    raise LookupError(f"no level {level_id!r}")


# --- answers -------------------------------------------------------------------------------


def validate_answers(
    questionnaire: Questionnaire, answers: Mapping[str, object]
) -> list[AnswerProblem]:
    """Every problem with posted answers, one per field, for a 422 problem detail.

    Each question must be answered with one of its own option ids. Problems come in
    questionnaire order (missing or wrong option), then the unknown question ids in the
    order given. An empty list means the answers can be scored.
    """
    problems: list[AnswerProblem] = []
    for theme in questionnaire.themes:
        for question in theme.questions:
            field = f"answers.{question.id}"
            if question.id not in answers:
                problems.append(AnswerProblem(field, "missing", _MISSING))
                continue
            chosen = answers[question.id]
            if not isinstance(chosen, str) or question.option(chosen) is None:
                ids = ", ".join(o.id for o in question.options)
                message = Text(
                    nl=f"Dit antwoord hoort niet bij deze vraag. Kies uit: {ids}.",
                    en=f"This answer does not belong to this question. Choose from: {ids}.",
                )
                problems.append(AnswerProblem(field, "unknown_option", message))
    known = questionnaire._index.questions
    for key in answers:
        if key not in known:
            message = Text(
                nl=f"Deze vraag bestaat niet in vragenlijst {questionnaire.version}.",
                en=f"There is no such question in questionnaire {questionnaire.version}.",
            )
            problems.append(AnswerProblem(f"answers.{_shorten(key)}", "unknown_question", message))
    return problems


_MISSING = Text(nl="Deze vraag is niet beantwoord.", en="This question has not been answered.")


def _shorten(key: object) -> str:
    text = str(key)
    return text if len(text) <= 80 else text[:79] + "…"


# --- scoring -------------------------------------------------------------------------------


def score(questionnaire: Questionnaire, answers: Mapping[str, str]) -> ScanResult:
    """Score a complete set of answers; InvalidAnswers (naming each field) otherwise."""
    index = questionnaire._index
    points, steps = _tally(questionnaire, answers)
    themes = []
    weighted = 0
    for position, theme in enumerate(questionnaire.themes):
        # exact theme score = numerator / denominator, on the scale 0..100
        numerator = 100 * points[position]
        denominator = index.sizes[position] * index.denominator
        themes.append(
            ThemeResult(
                id=theme.id,
                score=_one_decimal(numerator, denominator),
                band=_band(numerator, denominator),
            )
        )
        weighted += index.weights[position] * index.spread[position] * points[position]
    overall = 100 * weighted
    return ScanResult(
        version=questionnaire.version,
        overall=_one_decimal(overall, index.overall_denominator),
        level=level(Fraction(overall, index.overall_denominator)).id,
        themes=tuple(themes),
        priorities=_priorities(questionnaire, steps, PRIORITY_COUNT),
        answers=dict(answers),
    )


def priorities(
    questionnaire: Questionnaire, result: ScanResult, n: int = PRIORITY_COUNT
) -> tuple[str, ...]:
    """The ``n`` themes where one step up gains the most overall points.

    A step up for a theme: every answer in it moves to the next option with a higher score
    (answers already at the best option stay). Its gain is what that adds to the overall
    score: the theme's weight × the rise of its mean score ÷ the total weight. Themes are
    ranked by gain, highest first, ties broken by questionnaire order; themes with nothing
    to gain (every answer at its best) are left out, so fewer than ``n`` may come back.
    Because the gain counts the real scores of the next options and the theme's weight, a
    heavily weighted theme with a large next step ranks above a light theme with a small one.
    """
    if result.version != questionnaire.version:
        raise ValueError(
            f"result of questionnaire {result.version} scored against {questionnaire.version}"
        )
    _points, steps = _tally(questionnaire, result.answers)
    return _priorities(questionnaire, steps, n)


def _tally(questionnaire: Questionnaire, answers: Mapping[str, str]) -> tuple[list[int], list[int]]:
    """Per theme: the sum of its answers' points, and the sum of their steps up."""
    index = questionnaire._index
    points = [0] * len(index.sizes)
    steps = [0] * len(index.sizes)
    for question_id, option_id in answers.items():
        entry = index.questions.get(question_id)
        chosen = entry[1].get(option_id) if entry and isinstance(option_id, str) else None
        if chosen is None:
            raise InvalidAnswers(validate_answers(questionnaire, answers))
        own, higher = chosen
        points[entry[0]] += own
        steps[entry[0]] += higher - own
    if len(answers) != len(index.questions):  # every key is known, so some are missing
        raise InvalidAnswers(validate_answers(questionnaire, answers))
    return points, steps


def _priorities(questionnaire: Questionnaire, steps: list[int], n: int) -> tuple[str, ...]:
    index = questionnaire._index
    # A theme's gain in overall points is 100 × weight × step / (size × denominator × total
    # weight); spread = lcm(sizes) / size turns it into whole numbers with the same order.
    gains = sorted(
        (-weight * spread * step, position)
        for position, (step, weight, spread) in enumerate(
            zip(steps, index.weights, index.spread, strict=True)
        )
        if step > 0
    )
    return tuple(questionnaire.themes[position].id for _gain, position in gains[:n])


def _band(numerator: int, denominator: int) -> Band:
    """band() on an exact score given as a fraction of two integers."""
    if numerator < LOW_BELOW * denominator:
        return "low"
    if numerator <= HIGH_ABOVE * denominator:
        return "middle"
    return "high"


def _one_decimal(numerator: int, denominator: int) -> float:
    """Round half up to one decimal (scores are never negative)."""
    return (numerator * 20 + denominator) // (2 * denominator) / 10
