"""The questionnaire files: the shipped version loads and says what the domain page asks, and
a broken file is refused with a message that names the file and the place of the mistake."""

from __future__ import annotations

import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

from selfscan import questionnaires
from selfscan.errors import QuestionnaireError, UnknownVersion
from selfscan.model import BANDS, SIZE_CLASSES, Questionnaire, Text

VERSION = "2026-1"
DOMAIN_ORDER = (
    "commitment",
    "schemes",
    "suitable_work",
    "recruitment",
    "guidance",
    "workplace",
    "team",
    "hr_policy",
)


def shipped(name: str) -> str:
    return (files("selfscan.questionnaires") / name).read_text(encoding="utf-8")


def texts(questionnaire: Questionnaire) -> list[tuple[str, Text]]:
    found = []
    for t, theme in enumerate(questionnaire.themes):
        found += [(f"themes[{t}].title", theme.title), (f"themes[{t}].intro", theme.intro)]
        for q, question in enumerate(theme.questions):
            at = f"themes[{t}].questions[{q}]"
            found += [(f"{at}.{f}", getattr(question, f)) for f in ("text", "help", "strength")]
            found += [(f"{at}.options[{o}]", o_.label) for o, o_ in enumerate(question.options)]
    return found


def broken(tmp_path: Path, old: str, new: str, *, count: int = 1, name: str = "2026-1.toml"):
    """Load the shipped questionnaire with one edit (which must apply) from a temp file."""
    text = shipped(f"{VERSION}.toml")
    assert text.count(old) >= 1, f"test edit {old!r} does not match the shipped file"
    path = tmp_path / name
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        questionnaires.load_file(path)
    return caught.value


def broken_advice(tmp_path: Path, old: str, new: str, *, count: int = 1):
    text = shipped(f"{VERSION}.advice.toml")
    assert text.count(old) >= 1, f"test edit {old!r} does not match the shipped advice file"
    path = tmp_path / f"{VERSION}.advice.toml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        questionnaires.load_advice_file(path, questionnaires.load(VERSION))
    return caught.value


# --- the shipped version -------------------------------------------------------------------


def test_shipped_version_loads_and_is_current():
    assert VERSION in questionnaires.versions()
    questionnaire = questionnaires.load(VERSION)
    assert questionnaire.version == VERSION
    assert questionnaires.load(VERSION) is questionnaire  # cached
    assert questionnaires.current() is questionnaires.load(questionnaires.versions()[-1])
    questionnaires.check_all()


def test_unknown_version_is_an_error_not_a_fallback():
    with pytest.raises(UnknownVersion) as caught:
        questionnaires.load("2099-1")
    assert caught.value.version == "2099-1"
    assert VERSION in caught.value.available
    assert caught.value.code == "unknown_version"
    with pytest.raises(UnknownVersion):
        questionnaires.load_advice("2099-1")


def test_eight_themes_in_domain_order_with_three_to_five_questions():
    questionnaire = questionnaires.load(VERSION)
    assert tuple(t.id for t in questionnaire.themes) == DOMAIN_ORDER
    for theme in questionnaire.themes:
        assert 3 <= len(theme.questions) <= 5, theme.id
        assert theme.weight > 0
    # About ten minutes: around 32 questions.
    assert 30 <= len(questionnaire.question_ids) <= 34


def test_ids_are_unique():
    questionnaire = questionnaires.load(VERSION)
    theme_ids = [t.id for t in questionnaire.themes]
    assert len(set(theme_ids)) == len(theme_ids)
    question_ids = questionnaire.question_ids
    assert len(set(question_ids)) == len(question_ids)
    for theme in questionnaire.themes:
        for question in theme.questions:
            option_ids = [o.id for o in question.options]
            assert len(set(option_ids)) == len(option_ids), question.id


def test_options_run_from_least_to_most_ready():
    for theme in questionnaires.load(VERSION).themes:
        for question in theme.questions:
            scores = [o.score for o in question.options]
            assert scores == sorted(scores), question.id
            assert scores[0] == 0 and scores[-1] == 1, question.id
            assert all(0 <= s <= 1 for s in scores)


def test_every_text_is_in_dutch_and_english():
    for place, text in texts(questionnaires.load(VERSION)):
        assert text.nl.strip() and text.en.strip(), place
        assert text.nl != text.en, f"{place} is not translated: {text.nl!r}"


def test_weet_ik_niet_scores_zero_and_reads_the_same_everywhere():
    found = 0
    for theme in questionnaires.load(VERSION).themes:
        for question in theme.questions:
            for option in question.options:
                if "weet ik niet" in option.label.nl.lower():
                    found += 1
                    assert option.score == 0, question.id
                    assert option.label == Text(nl="Weet ik niet", en="I don't know")
    assert found >= 4  # offered where a respondent may really not know


def test_no_figures_in_the_questionnaire():
    # Amounts, percentages and durations change by year: they belong in the advice.
    for place, text in texts(questionnaires.load(VERSION)):
        for lang in ("nl", "en"):
            value = text.get(lang)
            assert not any(ch.isdigit() or ch in "€%" for ch in value), f"{place}.{lang}: {value}"


@pytest.mark.parametrize(
    "term",
    [
        "doelgroepregister",
        "banenafspraak",
        "loonkostensubsidie",
        "loonwaarde",
        "loonkostenvoordeel",
        "no-riskpolis",
        "jobcoach",
        "proefplaatsing",
        "jobcarving",
        "werkgeversservicepunt",
        "kandidatenverkenner",
        "social return",
        "mvo",
        "werkplekaanpassing",
    ],
)
def test_every_term_is_explained_in_a_help_text(term):
    helps = [
        question.help.nl.lower()
        for theme in questionnaires.load(VERSION).themes
        for question in theme.questions
    ]
    # Explained: the help text names the term and says what it is ("... is ...", "betekent").
    explaining = [h for h in helps if term in h and (" is " in h or "betekent" in h)]
    assert explaining, f"no help text explains {term!r}"


def test_pso_is_explained_in_the_advice():
    advice = questionnaires.load_advice(VERSION)
    pso = advice.instruments["pso"]
    assert "Prestatieladder Socialer Ondernemen" in pso.name.nl
    assert "keurmerk" in pso.text.nl


def test_advice_covers_every_theme_band_and_size():
    advice = questionnaires.load_advice(VERSION)
    assert set(advice.themes) == set(DOMAIN_ORDER)
    for theme_id, theme in advice.themes.items():
        for band in BANDS:
            text = theme.for_band(band)
            for size in (*SIZE_CLASSES, None):
                assert any(step.fits(size, None) for step in text.steps), (theme_id, band, size)
            assert set(text.instruments) <= set(advice.instruments)


def test_selfscan_imports_nothing_from_coop():
    code = (
        "import sys, selfscan.advice, selfscan.scoring, selfscan.quota, selfscan.questionnaires;"
        "bad = sorted(m for m in sys.modules if m == 'coop' or m.startswith('coop.'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


# --- broken questionnaire files ------------------------------------------------------------


def test_duplicate_question_id_names_both_places(tmp_path):
    error = broken(tmp_path, 'id = "commitment_goal"', 'id = "commitment_management"')
    assert str(error) == (
        "2026-1.toml: themes[0].questions[1].id: question id 'commitment_management' is "
        "already used at themes[0].questions[0]"
    )
    assert error.file == "2026-1.toml"
    assert error.code == "questionnaire_invalid"


def test_duplicate_theme_id(tmp_path):
    error = broken(tmp_path, 'id = "team"', 'id = "guidance"')
    assert "2026-1.toml: themes[6].id: theme id 'guidance' is used twice" in str(error)


def test_duplicate_option_id(tmp_path):
    old = '{ id = "discussed", score = 0.3,'
    error = broken(tmp_path, old, '{ id = "decided", score = 0.3,')
    assert (
        "2026-1.toml: themes[0].questions[0].options[3].id: option id 'decided' is used twice"
        in str(error)
    )


def test_score_above_one(tmp_path):
    error = broken(tmp_path, '{ id = "heard", score = 0.5,', '{ id = "heard", score = 1.5,')
    assert str(error) == (
        "2026-1.toml: themes[1].questions[0].options[1].score: must be between 0 and 1"
    )


def test_scores_must_not_decrease(tmp_path):
    error = broken(tmp_path, '{ id = "discussed", score = 0.3,', '{ id = "discussed", score = 0.8,')
    assert "themes[0].questions[0].options[3].score: is lower than the option before it" in str(
        error
    )


def test_best_option_must_score_one(tmp_path):
    old = '{ id = "champion", score = 1,'
    error = broken(tmp_path, old, '{ id = "champion", score = 0.9,')
    assert "themes[0].questions[0].options[4].score: the most ready option must score 1" in str(
        error
    )


def test_weight_zero(tmp_path):
    error = broken(tmp_path, 'id = "team"\nweight = 1.0', 'id = "team"\nweight = 0')
    assert str(error) == "2026-1.toml: themes[6].weight: must be a positive number"


def test_missing_english(tmp_path):
    old = 'text.en = "Do you know the no-risk policy (no-riskpolis)?"\n'
    error = broken(tmp_path, old, "")
    assert str(error) == "2026-1.toml: themes[1].questions[3].text.en: missing required field"


def test_empty_text(tmp_path):
    error = broken(tmp_path, 'en = "Knowledge of schemes"', 'en = "  "')
    assert str(error) == "2026-1.toml: themes[1].title.en: must not be empty"


def test_unknown_field(tmp_path):
    error = broken(tmp_path, 'id = "schemes_lkv"\n', 'id = "schemes_lkv"\nhelp_text = "x"\n')
    assert str(error) == "2026-1.toml: themes[1].questions[2].help_text: unknown field"


def test_wrong_type(tmp_path):
    error = broken(tmp_path, 'id = "team"\nweight = 1.0', 'id = "team"\nweight = "heavy"')
    assert str(error) == "2026-1.toml: themes[6].weight: Expected `float`, got `str`"


def test_figure_in_a_text(tmp_path):
    old = "Het helpt u gratis met kandidaten en regelingen."
    error = broken(tmp_path, old, "Het helpt u in 35 regio's met kandidaten en regelingen.")
    assert "themes[3].questions[1].help.nl: contains a figure ('3')" in str(error)


def test_too_few_questions(tmp_path):
    # Drop the last question of team: the block from its header to the next theme.
    text = shipped(f"{VERSION}.toml")
    start = text.index('[[themes.questions]]\nid = "team_climate"')
    end = text.index("# --- 8.")
    path = tmp_path / "2026-1.toml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    questionnaires.load_file(path)  # three questions are still enough
    start = text.index('[[themes.questions]]\nid = "team_buddy"')
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        questionnaires.load_file(path)
    assert (
        str(caught.value) == "2026-1.toml: themes[6].questions: must hold 3 to 5 questions, not 2"
    )


def test_version_must_match_file_name(tmp_path):
    error = broken(tmp_path, 'version = "2026-1"', 'version = "2026-2"')
    assert str(error) == "2026-1.toml: version: is '2026-2', but the file name says '2026-1'"


def test_file_name_must_be_a_version(tmp_path):
    path = tmp_path / "latest.toml"
    path.write_text(shipped(f"{VERSION}.toml"), encoding="utf-8")
    with pytest.raises(QuestionnaireError, match=r"latest\.toml: file name: must be"):
        questionnaires.load_file(path)


def test_toml_syntax_error(tmp_path):
    error = broken(tmp_path, 'version = "2026-1"', 'version = "2026-1')
    assert str(error).startswith("2026-1.toml: TOML syntax: ")


def test_several_problems_are_reported_together(tmp_path):
    text = shipped(f"{VERSION}.toml")
    text = text.replace('id = "team"\nweight = 1.0', 'id = "team"\nweight = -1', 1)
    text = text.replace('{ id = "heard", score = 0.5,', '{ id = "heard", score = 2,', 1)
    path = tmp_path / "2026-1.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        questionnaires.load_file(path)
    places = [place for place, _ in caught.value.problems]
    assert places == ["themes[1].questions[0].options[1].score", "themes[6].weight"]


# --- broken advice files -------------------------------------------------------------------


def test_advice_unknown_placeholder(tmp_path):
    error = broken_advice(tmp_path, "{lkv_hourly} per betaald uur", "{lkv_per_uur} per betaald uur")
    assert "2026-1.advice.toml: instruments.lkv.text.nl: unknown placeholder {lkv_per_uur}" in str(
        error
    )
    # and the two languages no longer use the same placeholders
    assert "instruments.lkv.text: nl and en must use the same placeholders" in str(error)


def test_advice_figure_typed_in(tmp_path):
    error = broken_advice(tmp_path, "{lkv_hourly} per betaald uur", "€ 1,01 per betaald uur")
    assert "instruments.lkv.text.nl: contains a figure ('€')" in str(error)


def test_advice_unknown_instrument(tmp_path):
    error = broken_advice(
        tmp_path, 'instruments = ["wsp", "samenwerken"]', 'instruments = ["wsp", "subsidie"]'
    )
    assert str(error) == (
        "2026-1.advice.toml: themes.suitable_work.low.instruments[1]: unknown instrument 'subsidie'"
    )


def test_advice_missing_theme(tmp_path):
    error = broken_advice(tmp_path, "[themes.team.", "[themes.teams.", count=-1)
    message = str(error)
    assert "themes.team: missing: every theme of the questionnaire needs advice" in message
    assert "themes.teams: is not a theme of the questionnaire" in message


def test_advice_band_without_a_step_for_a_size(tmp_path):
    # The micro-only step of guidance.low is the only step left when the others are sized.
    old = 'en = "Ask the employer service point how to get a job coach and who pays for it."\n'
    text = shipped(f"{VERSION}.advice.toml")
    start = text.index("[[themes.guidance.low.steps]]")
    end = text.index("[themes.guidance.middle]")
    block = text[start:end]
    sized = block.replace(old, old + 'sizes = ["large"]\n').replace(
        'en = "Choose one named supervisor and agree how much time they get each week, '
        'especially in the first months."\n',
        'en = "Choose one named supervisor and agree how much time they get each week, '
        'especially in the first months."\nsizes = ["large"]\n',
    )
    assert sized.count("sizes") == 3
    path = tmp_path / f"{VERSION}.advice.toml"
    path.write_text(text[:start] + sized + text[end:], encoding="utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        questionnaires.load_advice_file(path, questionnaires.load(VERSION))
    message = str(caught.value)
    assert "themes.guidance.low.steps: has no step for size class 'small'" in message
    assert "themes.guidance.low.steps: has no step for an organisation of unknown size" in message
    assert "size class 'micro'" not in message and "size class 'large'" not in message


def test_advice_unknown_size_class(tmp_path):
    error = broken_advice(tmp_path, 'sizes = ["micro"]', 'sizes = ["tiny"]')
    assert str(error) == (
        "2026-1.advice.toml: themes.commitment.middle.steps[2].sizes[0]: Invalid enum value 'tiny'"
    )


def test_advice_missing_band(tmp_path):
    text = shipped(f"{VERSION}.advice.toml")
    start = text.index("[themes.workplace.high]")
    end = text.index("# --- 7. team")
    path = tmp_path / f"{VERSION}.advice.toml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        questionnaires.load_advice_file(path, questionnaires.load(VERSION))
    assert str(caught.value) == (
        "2026-1.advice.toml: themes.workplace.high: missing required field"
    )
