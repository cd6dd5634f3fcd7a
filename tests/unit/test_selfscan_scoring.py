"""Scoring: theme score = mean of its answers × 100, overall = weighted mean, bands and level on
the unrounded scores, one decimal in the result; and answers that do not fit are named."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfscan import questionnaires, scoring
from selfscan.errors import InvalidAnswers
from selfscan.model import Option, Question, Questionnaire, Text, Theme

REAL = questionnaires.load("2026-1")
T = Text(nl="x", en="x")


def make(themes: list[tuple[str, float, int]], scores: tuple[float, ...]) -> Questionnaire:
    """A questionnaire of (theme id, weight, number of questions); every question has one
    option per score, with id ``s<score>`` (``s0.7``)."""
    options = tuple(Option(id=f"s{s}", label=T, score=s) for s in scores)
    return Questionnaire(
        version="test-1",
        themes=tuple(
            Theme(
                id=theme_id,
                title=T,
                intro=T,
                weight=weight,
                questions=tuple(
                    Question(id=f"{theme_id}{n}", text=T, help=T, strength=T, options=options)
                    for n in range(count)
                ),
            )
            for theme_id, weight, count in themes
        ),
    )


def answer(**chosen: tuple[float, ...]) -> dict[str, str]:
    return {f"{theme}{n}": f"s{s}" for theme, picks in chosen.items() for n, s in enumerate(picks)}


def best(questionnaire: Questionnaire) -> dict[str, str]:
    return {q.id: q.options[-1].id for t in questionnaire.themes for q in t.questions}


def worst(questionnaire: Questionnaire) -> dict[str, str]:
    return {q.id: q.options[0].id for t in questionnaire.themes for q in t.questions}


STEPS = (0, 0.3, 0.5, 0.7, 1)
SMALL = make([("a", 1, 3), ("b", 2, 3), ("c", 1, 3)], STEPS)


# --- hand-computed examples ----------------------------------------------------------------


def test_hand_computed_example():
    # a (weight 1): 1, 0.5, 0   -> mean 0.5 -> 50.0, middle
    # b (weight 2): 1, 1, 0.7   -> mean 0.9 -> 90.0, high
    # c (weight 1): 0, 0.3, 0   -> mean 0.1 -> 10.0, low
    # overall = (50×1 + 90×2 + 10×1) / 4 = 240 / 4 = 60.0 -> "starten" (50 to < 75)
    result = scoring.score(SMALL, answer(a=(1, 0.5, 0), b=(1, 1, 0.7), c=(0, 0.3, 0)))
    assert [(t.id, t.score, t.band) for t in result.themes] == [
        ("a", 50.0, "middle"),
        ("b", 90.0, "high"),
        ("c", 10.0, "low"),
    ]
    assert result.overall == 60.0
    assert result.level == "starten"
    assert result.version == "test-1"
    # A step up (each answer to the next higher option):
    # a: 1 stays, 0.5 -> 0.7 (+0.2), 0 -> 0.3 (+0.3): 0.5 / 3 questions × weight 1 = 0.167
    # b: 1, 1 stay, 0.7 -> 1 (+0.3):                  0.3 / 3 × weight 2         = 0.200
    # c: +0.3, 0.3 -> 0.5 (+0.2), +0.3:               0.8 / 3 × weight 1         = 0.267
    assert result.priorities == ("c", "b", "a")


def test_weights_make_the_overall_score_a_weighted_mean():
    # a: 1, 1, 1 -> 100; b (weight 2): 0, 0, 0 -> 0; c: 0.5 ×3 -> 50
    # overall = (100 + 0 + 50) / 4 = 37.5 -> "voorbereiden" (25 to < 50)
    result = scoring.score(SMALL, answer(a=(1, 1, 1), b=(0, 0, 0), c=(0.5, 0.5, 0.5)))
    assert result.overall == 37.5
    assert result.level == "voorbereiden"


def test_best_and_worst_on_the_real_questionnaire():
    top = scoring.score(REAL, best(REAL))
    assert top.overall == 100.0 and all(t.score == 100.0 for t in top.themes)
    assert all(t.band == "high" for t in top.themes)
    assert top.level == "verankeren" and top.priorities == ()
    bottom = scoring.score(REAL, worst(REAL))
    assert bottom.overall == 0.0 and all(t.score == 0.0 for t in bottom.themes)
    assert all(t.band == "low" for t in bottom.themes)
    assert bottom.level == "orienteren"
    assert len(bottom.priorities) == 3


# --- bands, levels and rounding ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "low"),
        (39.99, "low"),
        (Fraction(11999, 300), "low"),  # 39.9966...
        (40, "middle"),
        (Decimal("40.0"), "middle"),
        (55, "middle"),
        (70, "middle"),
        (70.01, "high"),
        (100, "high"),
    ],
)
def test_band_boundaries(value, expected):
    assert scoring.band(value) == expected


EDGES = make([("e", 1, 3)], (0, 0.2, 0.3999, 0.4, 0.5, 0.6, 0.7, 0.7001, 1))


@pytest.mark.parametrize(
    ("picks", "shown", "band"),
    [
        # 0.3999 + 0.4 + 0.4 = 1.1999; / 3 × 100 = 39.9966...: shown as 40.0, but low
        ((0.3999, 0.4, 0.4), 40.0, "low"),
        # 0.2 + 0.5 + 0.5 = 1.2; / 3 × 100 = exactly 40: middle
        ((0.2, 0.5, 0.5), 40.0, "middle"),
        # 0.5 + 1 + 0.6 = 2.1; / 3 × 100 = exactly 70 (a float mean gives 70.00000000000001)
        ((0.5, 1, 0.6), 70.0, "middle"),
        # 0.7001 + 0.7 + 0.7 = 2.1001; / 3 × 100 = 70.0033...: shown as 70.0, but high
        ((0.7001, 0.7, 0.7), 70.0, "high"),
    ],
)
def test_band_is_decided_on_the_unrounded_score(picks, shown, band):
    result = scoring.score(EDGES, answer(e=picks))
    assert (result.themes[0].score, result.themes[0].band) == (shown, band)


@pytest.mark.parametrize(
    ("picks", "shown"),
    [
        ((1, 0, 0, 0), 25.0),
        ((0.25, 0, 0, 0), 6.3),  # 6.25 rounds half up, not to even (6.2)
        ((0.35, 0, 0, 0), 8.8),  # 8.75
        ((1, 0, 0, 0.1), 27.5),
        ((1, 1, 0.05, 0), 51.3),  # 51.25
    ],
)
def test_one_decimal_rounded_half_up(picks, shown):
    quarters = make([("r", 1, 4)], (0, 0.05, 0.1, 0.25, 0.35, 1))
    assert scoring.score(quarters, answer(r=picks)).themes[0].score == shown


def test_thirds_round_to_one_decimal():
    thirds = make([("t", 1, 3)], (0, 1))
    assert scoring.score(thirds, answer(t=(1, 0, 0))).themes[0].score == 33.3
    assert scoring.score(thirds, answer(t=(1, 1, 0))).themes[0].score == 66.7


@pytest.mark.parametrize(
    ("overall", "level_id", "name"),
    [
        (0, "orienteren", "Oriënteren"),
        (24.99, "orienteren", "Oriënteren"),
        (25, "voorbereiden", "Voorbereiden"),
        (49.99, "voorbereiden", "Voorbereiden"),
        (50, "starten", "Starten"),
        (74.99, "starten", "Starten"),
        (75, "verankeren", "Verankeren"),
        (100, "verankeren", "Verankeren"),
    ],
)
def test_levels(overall, level_id, name):
    level = scoring.level(overall)
    assert (level.id, level.name.nl) == (level_id, name)
    assert level.meaning.nl and level.meaning.en and level.name.en
    assert scoring.level_by_id(level_id) is level


def test_level_is_decided_on_the_unrounded_overall():
    # 0.25 + 0.2499 + 0.25 = 0.7499; / 3 × 100 = 24.9966...: shown as 25.0, still orienteren
    almost = make([("l", 1, 3)], (0, 0.2499, 0.25, 1))
    result = scoring.score(almost, answer(l=(0.25, 0.2499, 0.25)))
    assert (result.overall, result.level) == (25.0, "orienteren")


def test_result_is_plain_data():
    result = scoring.score(REAL, best(REAL))
    decoded = msgspec.json.decode(msgspec.json.encode(result))
    assert decoded["version"] == "2026-1" and decoded["overall"] == 100.0
    assert decoded["themes"][0] == {"id": "commitment", "score": 100.0, "band": "high"}
    assert decoded["answers"] == best(REAL)


# --- answers that do not fit ---------------------------------------------------------------


def test_valid_answers_have_no_problems():
    assert scoring.validate_answers(REAL, best(REAL)) == []


def test_each_wrong_field_is_named():
    answers = best(REAL)
    del answers["schemes_lkv"]
    answers["team_buddy"] = "sometimes"  # not an option of this question
    answers["commitment_goal"] = "yes"  # an option id of another question
    answers["hr_records"] = 3  # type: ignore[assignment]
    answers["favourite_colour"] = "blue"
    problems = scoring.validate_answers(REAL, answers)
    assert [(p.field, p.code) for p in problems] == [
        ("answers.commitment_goal", "unknown_option"),
        ("answers.schemes_lkv", "missing"),
        ("answers.team_buddy", "unknown_option"),
        ("answers.hr_records", "unknown_option"),
        ("answers.favourite_colour", "unknown_question"),
    ]
    by_field = {p.field: p.message for p in problems}
    assert by_field["answers.schemes_lkv"] == Text(
        nl="Deze vraag is niet beantwoord.", en="This question has not been answered."
    )
    assert by_field["answers.team_buddy"].nl == (
        "Dit antwoord hoort niet bij deze vraag. Kies uit: no, informal, always."
    )
    assert by_field["answers.favourite_colour"].en == (
        "There is no such question in questionnaire 2026-1."
    )
    with pytest.raises(InvalidAnswers) as caught:
        scoring.score(REAL, answers)
    assert list(caught.value.problems) == problems
    assert caught.value.code == "invalid_answers"


@pytest.mark.parametrize("drop", [True, False])
def test_score_refuses_incomplete_or_extra_answers(drop):
    answers = best(REAL)
    if drop:
        answers.pop("guidance_external")
    else:
        answers["guidance_extra"] = "yes"
    with pytest.raises(InvalidAnswers) as caught:
        scoring.score(REAL, answers)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].field in ("answers.guidance_external", "answers.guidance_extra")


def test_empty_answers_name_every_question():
    problems = scoring.validate_answers(REAL, {})
    assert [p.field for p in problems] == [f"answers.{q}" for q in REAL.question_ids]


def test_priorities_recomputed_from_a_result():
    result = scoring.score(SMALL, answer(a=(1, 0.5, 0), b=(1, 1, 0.7), c=(0, 0.3, 0)))
    assert scoring.priorities(SMALL, result) == result.priorities
    assert scoring.priorities(SMALL, result, n=1) == ("c",)
    with pytest.raises(ValueError, match="scored against"):
        scoring.priorities(REAL, result)


def test_priority_ties_follow_questionnaire_order():
    same = make([("x", 1, 3), ("y", 1, 3), ("z", 1, 3)], STEPS)
    result = scoring.score(same, answer(x=(0, 0, 0), y=(0, 0, 0), z=(0, 0, 0)))
    assert result.priorities == ("x", "y", "z")
    result = scoring.score(same, answer(x=(1, 1, 1), y=(0, 0, 0), z=(0, 0, 0.3)))
    # y: 0.9 / 3; z: (0.3 + 0.3 + 0.2) / 3 = 0.8 / 3; x has nothing to gain
    assert result.priorities == ("y", "z")


# --- properties over the real questionnaire ------------------------------------------------

answer_sets = st.fixed_dictionaries(
    {
        question.id: st.sampled_from([option.id for option in question.options])
        for theme in REAL.themes
        for question in theme.questions
    }
)


@given(answer_sets)
def test_scores_stay_between_0_and_100(answers):
    result = scoring.score(REAL, answers)
    assert 0 <= result.overall <= 100
    assert all(0 <= theme.score <= 100 for theme in result.themes)
    assert result.overall == round(result.overall, 1)
    assert all(theme.score == round(theme.score, 1) for theme in result.themes)
    assert len(result.priorities) <= 3
    assert len(set(result.priorities)) == len(result.priorities)


@settings(max_examples=200)
@given(answer_sets, st.data())
def test_improving_one_answer_never_lowers_its_theme_or_the_overall(answers, data):
    question_id = data.draw(st.sampled_from(REAL.question_ids))
    question = REAL.question(question_id)
    ids = [option.id for option in question.options]
    better = data.draw(st.sampled_from(question.options[ids.index(answers[question_id]) :]))
    assert better.score >= question.option(answers[question_id]).score

    before = scoring.score(REAL, answers)
    after = scoring.score(REAL, {**answers, question_id: better.id})
    theme = next(t.id for t in REAL.themes if question in t.questions)
    assert after.theme(theme).score >= before.theme(theme).score
    assert after.overall >= before.overall
    order = ("low", "middle", "high")
    assert order.index(after.theme(theme).band) >= order.index(before.theme(theme).band)


def test_all_best_answers_give_100_and_all_worst_0():
    assert scoring.score(REAL, best(REAL)).overall == 100.0
    assert scoring.score(REAL, worst(REAL)).overall == 0.0
    # also with unequal weights and awkward decimals
    odd = make([("p", 0.3, 3), ("q", 1.7, 4), ("r", 0.1, 5)], (0, 0.1, 0.7, 1))
    assert scoring.score(odd, best(odd)).overall == 100.0
    assert scoring.score(odd, worst(odd)).overall == 0.0


@given(answer_sets)
def test_scoring_is_deterministic(answers):
    assert scoring.score(REAL, answers) == scoring.score(REAL, dict(reversed(answers.items())))


def half_up(value: Fraction) -> float:
    return math.floor(value * 10 + Fraction(1, 2)) / 10


@given(answer_sets)
def test_agrees_with_a_plain_fraction_computation(answers):
    # An independent reading of the rules: Fractions of the decimals as written.
    result = scoring.score(REAL, answers)
    weighted, total, gains = Fraction(0), Fraction(0), []
    for position, theme in enumerate(REAL.themes):
        chosen = [q.option(answers[q.id]) for q in theme.questions]
        value = sum(Fraction(str(o.score)) for o in chosen) / len(chosen) * 100
        assert result.theme(theme.id).score == half_up(value)
        assert result.theme(theme.id).band == scoring.band(value)
        weight = Fraction(str(theme.weight))
        weighted += weight * value
        total += weight
        step = Fraction(0)
        for question, option in zip(theme.questions, chosen, strict=True):
            higher = [Fraction(str(o.score)) for o in question.options if o.score > option.score]
            step += min(higher) - Fraction(str(option.score)) if higher else 0
        if step:
            gains.append((-weight * step / len(chosen), position))
    assert result.overall == half_up(weighted / total)
    assert result.level == scoring.level(weighted / total).id
    assert result.priorities == tuple(REAL.themes[p].id for _g, p in sorted(gains)[:3])
