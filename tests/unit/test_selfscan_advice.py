"""Advice and the indicative quota: texts per band and size, every figure from regulations,
priorities where a step up gains the most, and the quota labelled as an indication."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from msgspec.structs import replace

import regulations
from selfscan import advice, questionnaires, scoring
from selfscan.model import (
    ADVICE_PLACEHOLDERS,
    OrganisationProfile,
    format_date,
    format_money,
    format_number,
    format_share,
)
from selfscan.quota import indicative_quota

Q = questionnaires.load("2026-1")
R2025, R2026 = regulations.for_year(2025), regulations.for_year(2026)
NOBODY = OrganisationProfile()


def pick(position: str) -> dict[str, str]:
    """Every question answered with its worst, middle or best option."""
    index = {"worst": lambda n: 0, "middle": lambda n: n // 2, "best": lambda n: n - 1}[position]
    return {q.id: q.options[index(len(q.options))].id for t in Q.themes for q in t.questions}


def advise(answers, profile=NOBODY, rules=R2026, lang="nl"):
    return advice.advise(Q, scoring.score(Q, answers), profile, rules, lang)


def theme(result, theme_id):
    return next(t for t in result.themes if t.id == theme_id)


def instrument(result, key):
    for t in result.themes:
        for i in t.instruments:
            if i.id == key:
                return i
    raise AssertionError(f"instrument {key} not in this advice")


def all_text(result) -> str:
    parts = [result.level_label, result.level_meaning]
    for t in result.themes:
        parts += [t.title, t.summary, *t.in_place, *t.steps]
        parts += [f"{i.name} {i.text}" for i in t.instruments]
    return "\n".join(parts)


def euros_nl(cents: int) -> str:
    """The test's own Dutch money format, independent of selfscan's formatter."""
    whole = f"{cents // 100:,}".replace(",", ".")
    return f"€ {whole}" if cents % 100 == 0 else f"€ {whole},{cents % 100:02d}"


# --- per band ------------------------------------------------------------------------------


def test_advice_differs_per_band():
    low, middle, high = (advise(pick(p)) for p in ("worst", "middle", "best"))
    for theme_id in [t.id for t in Q.themes]:
        bands = [theme(a, theme_id).band for a in (low, middle, high)]
        assert bands == ["low", "middle", "high"], theme_id
        summaries = {theme(a, theme_id).summary for a in (low, middle, high)}
        assert len(summaries) == 3, theme_id
        steps = [theme(a, theme_id).steps for a in (low, middle, high)]
        assert all(steps) and len({tuple(s) for s in steps}) == 3, theme_id


def test_low_points_to_the_wsp_middle_to_a_pilot_high_to_making_it_structural():
    low, middle, high = (advise(pick(p)) for p in ("worst", "middle", "best"))
    assert any("werkgeversservicepunt" in s for s in theme(low, "suitable_work").steps)
    assert any("jobcarving" in s for s in theme(middle, "suitable_work").steps)
    assert any("proefplaatsing" in s for s in theme(middle, "suitable_work").steps)
    assert any("Prestatieladder" in s for s in theme(high, "hr_policy").steps)
    assert any("vaste" in s for s in theme(high, "recruitment").steps)


def test_in_place_lists_the_answers_that_scored_high():
    assert all(t.in_place == () for t in advise(pick("worst")).themes)
    best = advise(pick("best"))
    for t, questionnaire_theme in zip(best.themes, Q.themes, strict=True):
        assert t.in_place == tuple(q.strength.nl for q in questionnaire_theme.questions)
    # 0.7 is the edge of the middle band: not yet "in place"; 0.8 is.
    answers = pick("worst") | {"schemes_support": "both", "schemes_lkv": "know"}
    assert theme(advise(answers), "schemes").in_place == (
        "U kent de jobcoach en de proefplaatsing.",
    )


def test_level_and_labels_in_both_languages():
    nl, en = advise(pick("best")), advise(pick("best"), lang="en")
    assert (nl.level, nl.level_label, en.level_label) == ("verankeren", "Verankeren", "Embedding")
    assert nl.lang == "nl" and en.lang == "en"
    assert theme(en, "team").title == "Team and culture"
    assert theme(nl, "team").title == "Team en cultuur"
    with pytest.raises(ValueError, match="unknown language"):
        advise(pick("best"), lang="de")


def test_every_placeholder_is_filled():
    for position in ("worst", "middle", "best"):
        for lang in ("nl", "en"):
            text = all_text(advise(pick(position), OrganisationProfile(employees=30), lang=lang))
            assert "{" not in text and "}" not in text
    for rules in (R2025, R2026):
        for lang in ("nl", "en"):
            assert advice.placeholder_values(rules, lang).keys() == ADVICE_PLACEHOLDERS


# --- figures come from regulations ---------------------------------------------------------


def test_lkv_figures_come_from_regulations():
    lkv = R2026.lkv
    text = instrument(advise(pick("worst")), "lkv").text
    assert f"{euros_nl(lkv.hourly_cents)} per betaald uur" in text
    assert f"tot {euros_nl(lkv.max_cents_per_year)} per jaar" in text
    assert euros_nl(lkv.hourly_cents) == "€ 1,01" and euros_nl(lkv.max_cents_per_year) == "€ 2.000"


def test_a_changed_figure_changes_the_text():
    # Proof that nothing is typed in: change the rules, and the advice follows.
    changed = replace(
        R2026,
        lkv=replace(R2026.lkv, hourly_cents=137, max_cents_per_year=250000),
        lks=replace(R2026.lks, employer_cost_allowance_share=Decimal("0.3")),
        jobcoach=replace(
            R2026.jobcoach,
            internal_max_share_of_hours=(Decimal("0.2"), Decimal("0.1"), Decimal("0.05")),
        ),
        no_riskpolis=replace(R2026.no_riskpolis, years=7),
    )
    before, after = advise(pick("worst")), advise(pick("worst"), rules=changed)
    assert "€ 1,01" in instrument(before, "lkv").text
    assert "€ 1,37" in instrument(after, "lkv").text and "€ 2.500" in instrument(after, "lkv").text
    assert "€ 1,01" not in all_text(after) and "€ 2.000" not in all_text(after)
    assert "plus 23,5% voor werkgeverslasten" in instrument(before, "lks").text
    assert "plus 30% voor werkgeverslasten" in instrument(after, "lks").text
    assert "eerste 5 jaar" in instrument(before, "no_riskpolis").text
    assert "eerste 7 jaar" in instrument(after, "no_riskpolis").text
    coach = instrument(after, "jobcoach").text
    assert "20% in het eerste jaar, 10% in het tweede en 5% in het derde" in coach


def test_wml_comes_from_regulations():
    period = R2026.wml.periods[0]
    text = instrument(advise(pick("middle")), "lks").text  # suitable_work.middle lists LKS
    assert f"({euros_nl(period.hourly_cents)} per uur vanaf 1 januari 2026)" in text
    raised = replace(R2026, wml=replace(R2026.wml, periods=(replace(period, hourly_cents=1500),)))
    assert "(€ 15 per uur vanaf" in instrument(advise(pick("middle"), rules=raised), "lks").text


def test_2025_and_2026_differ_where_the_rules_differ():
    nl_2025 = instrument(advise(pick("worst"), rules=R2025), "lkv").text
    nl_2026 = instrument(advise(pick("worst"), rules=R2026), "lkv").text
    assert "de eerste 3 jaar van het dienstverband" in nl_2025
    assert "zolang de werknemer bij u in dienst is" in nl_2026
    lks_2025 = instrument(advise(pick("middle"), rules=R2025), "lks").text
    assert "€ 14,06 per uur vanaf 1 januari 2025" in lks_2025
    en = instrument(advise(pick("worst"), rules=R2025, lang="en"), "lkv").text
    assert "€1.01 per paid hour, up to €2,000 a year, for the first 3 years" in en


def test_the_advice_texts_hold_no_figures_of_their_own():
    # Every digit, euro sign and percent sign in the advice comes from a placeholder.
    advice_file = questionnaires.load_advice("2026-1")
    templates = [i.name for i in advice_file.instruments.values()]
    templates += [i.text for i in advice_file.instruments.values()]
    for theme_text in advice_file.themes.values():
        for band in ("low", "middle", "high"):
            text = theme_text.for_band(band)
            templates += [text.summary, *(s.text for s in text.steps)]
    for template in templates:
        for lang in ("nl", "en"):
            literal = re.sub(r"\{[a-z_0-9]+\}", "", template.get(lang))
            assert not re.search(r"[0-9€%]", literal), literal


# --- size class and sector -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("employees", "size"),
    [(0, "micro"), (8, "micro"), (9, "micro"), (10, "small"), (49, "small"), (50, "medium"),
     (249, "medium"), (250, "large"), (5000, "large"), (None, None)],
)  # fmt: skip
def test_size_classes(employees, size):
    assert OrganisationProfile(employees=employees).size_class == size


def test_a_micro_company_gets_no_diversity_officer():
    micro = advise(pick("best"), OrganisationProfile(employees=8))
    large = advise(pick("best"), OrganisationProfile(employees=400))
    unknown = advise(pick("best"))
    officer = "diversiteitsfunctionaris"
    assert any(officer in s for s in theme(large, "team").steps)
    assert not any(officer in s for s in theme(micro, "team").steps)
    assert not any(officer in s for s in theme(unknown, "team").steps)
    assert micro.size_class == "micro" and large.size_class == "large"
    assert unknown.size_class is None
    # and a micro company hears about the owner guiding, and about combining work
    micro_low = advise(pick("worst"), OrganisationProfile(employees=8))
    assert any("eigenaar" in s for s in theme(micro_low, "guidance").steps)
    assert any("arbeidspool" in s for s in theme(micro_low, "suitable_work").steps)
    large_low = advise(pick("worst"), OrganisationProfile(employees=400))
    assert not any("arbeidspool" in s for s in theme(large_low, "suitable_work").steps)


def test_sector_variants():
    government = advise(pick("worst"), OrganisationProfile(employees=300, sector="O"))
    retail = advise(pick("worst"), OrganisationProfile(employees=300, sector="G"))
    care = advise(pick("worst"), OrganisationProfile(employees=300, sector="Q"))
    assert any("overheidswerkgever" in s for s in theme(government, "commitment").steps)
    assert not any("overheidswerkgever" in s for s in theme(retail, "commitment").steps)
    assert any("In de zorg" in s for s in theme(care, "suitable_work").steps)
    assert not any("In de zorg" in s for s in theme(retail, "suitable_work").steps)


# --- priorities ----------------------------------------------------------------------------


def test_priorities_for_a_hand_made_answer_set():
    answers = pick("best") | {
        # schemes (weight 1, 5 questions): two answers "heard" 0.3 -> "know" 0.7
        #   gain 1 × (0.4 + 0.4) / 5 = 0.160
        "schemes_lks": "heard",
        "schemes_lkv": "heard",
        # workplace (weight 1, 4 questions): "partly" 0.5 -> "yes" 1: 1 × 0.5 / 4 = 0.125
        "workplace_instructions": "partly",
        # team (weight 1, 4 questions): "assumed" 0.5 -> "supportive" 1: 0.5 / 4 = 0.125,
        #   a tie with workplace, which comes first in the questionnaire
        "team_support": "assumed",
        # guidance (weight 1.5, 4 questions): "named" 0.7 -> 1: 1.5 × 0.3 / 4 = 0.1125
        "guidance_supervisor": "named",
    }
    result = scoring.score(Q, answers)
    assert result.priorities == ("schemes", "workplace", "team")
    assert scoring.priorities(Q, result, n=5) == ("schemes", "workplace", "team", "guidance")
    assert advice.priorities is scoring.priorities
    assert advise(answers).priorities == ("schemes", "workplace", "team")
    # The weight counts: guidance "someone" 0.3 -> "named" 0.7 gains 1.5 × 0.4 / 4 = 0.150,
    # more than workplace and team.
    answers["guidance_supervisor"] = "someone"
    assert scoring.score(Q, answers).priorities == ("schemes", "guidance", "workplace")


def test_priorities_are_deterministic():
    answers = pick("middle")
    first = scoring.score(Q, answers).priorities
    for _ in range(5):
        assert scoring.score(Q, dict(reversed(answers.items()))).priorities == first
    assert len(first) == 3


# --- quota ---------------------------------------------------------------------------------


def expected_banen(rules, hours: Decimal) -> Decimal:
    raw = rules.quota.percent / 100 * hours / rules.banenafspraak.hours_per_baan_per_year
    return raw.quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_quota_8_employees_does_not_apply():
    quota = indicative_quota(OrganisationProfile(employees=8), R2026)
    # 8 × (40,575 ÷ 25 = 1,623) = 12,984 hours, below 40,575
    assert quota.yearly_paid_hours == 12984 and quota.estimated
    assert quota.hours_per_employee == Decimal(1623)
    assert not quota.above_threshold and not quota.applies
    assert quota.indicative_banen is None
    assert quota.explanation.nl.startswith("Indicatief: met 12.984 betaalde uren per jaar blijft")
    assert "8 medewerkers × 1.623 betaalde uren" in quota.assumption.nl


def test_quota_60_employees_applies_with_the_expected_indication():
    quota = indicative_quota(OrganisationProfile(employees=60), R2026)
    # 60 × 1,623 = 97,380 hours; 2.58% × 97,380 ÷ 1,331 = 1.8876... -> 1.89
    assert quota.yearly_paid_hours == 97380
    assert quota.applies and quota.in_scope
    assert quota.indicative_banen == Decimal("1.89") == expected_banen(R2026, Decimal(97380))
    assert quota.indicative
    assert "ongeveer 1,89 banen" in quota.explanation.nl
    assert "2,58%" in quota.explanation.nl and "1.331 uur" in quota.explanation.nl
    assert quota.explanation.en.startswith("Indicative: ")
    assert "about 1.89 jobs" in quota.explanation.en
    assert quota.assumption.en.startswith("Estimated: 60 employees × 1,623 paid hours")


def test_explicit_hours_override_the_estimate():
    quota = indicative_quota(OrganisationProfile(employees=8, yearly_paid_hours=50000), R2026)
    assert quota.yearly_paid_hours == 50000 and not quota.estimated
    assert quota.assumption is None and quota.hours_per_employee is None
    assert quota.applies
    assert quota.indicative_banen == expected_banen(R2026, Decimal(50000)) == Decimal("0.97")
    assert quota.employees == 8


def test_quota_threshold_edges():
    threshold = int(R2026.quota.threshold_paid_hours)
    at = indicative_quota(OrganisationProfile(yearly_paid_hours=threshold), R2026)
    below = indicative_quota(OrganisationProfile(yearly_paid_hours=threshold - 1), R2026)
    assert at.applies and not below.applies
    assert indicative_quota(OrganisationProfile(employees=25), R2026).applies
    assert not indicative_quota(OrganisationProfile(employees=24), R2026).applies


def test_no_quota_without_employees_or_hours():
    assert indicative_quota(NOBODY, R2026) is None
    assert advise(pick("best")).quota is None
    assert advise(pick("best"), OrganisationProfile(employees=60)).quota.applies


def test_quota_2025_and_2026_differ():
    market, government = (OrganisationProfile(employees=60, sector=s) for s in ("G", "O"))
    # 2025: the quota covered government employers only, at 2.76%
    assert not indicative_quota(market, R2025).applies
    assert indicative_quota(market, R2025).indicative_banen is None
    assert "alleen voor overheidswerkgevers" in indicative_quota(market, R2025).explanation.nl
    gov_2025 = indicative_quota(government, R2025)
    assert gov_2025.applies and gov_2025.indicative_banen == Decimal("2.02")
    assert gov_2025.indicative_banen == expected_banen(R2025, Decimal(97380))
    # 2026: every employer, at 2.58%
    assert indicative_quota(market, R2026).applies
    assert indicative_quota(government, R2026).indicative_banen == Decimal("1.89")
    # an unknown sector is not held against the employer, but the scope is said
    unknown = indicative_quota(OrganisationProfile(employees=60), R2025)
    assert unknown.applies and unknown.in_scope is None
    assert "Bent u overheidswerkgever" in unknown.explanation.nl


def test_quota_follows_changed_rules():
    changed = replace(R2026, quota=replace(R2026.quota, percent=Decimal("3.1")))
    quota = indicative_quota(OrganisationProfile(employees=60), changed)
    assert quota.indicative_banen == expected_banen(changed, Decimal(97380)) == Decimal("2.27")
    assert "3,1%" in quota.explanation.nl


# --- the formatter -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "nl", "en"),
    [
        (lambda lang: format_money(101, lang), "€ 1,01", "€1.01"),
        (lambda lang: format_money(200000, lang), "€ 2.000", "€2,000"),
        (lambda lang: format_money(1471, lang), "€ 14,71", "€14.71"),
        (lambda lang: format_money(123456789, lang), "€ 1.234.567,89", "€1,234,567.89"),
        (lambda lang: format_share(Decimal("0.235"), lang), "23,5%", "23.5%"),
        (lambda lang: format_share(Decimal("0.70"), lang), "70%", "70%"),
        (lambda lang: format_number(Decimal("40575"), lang), "40.575", "40,575"),
        (lambda lang: format_number(Decimal("25.5"), lang), "25,5", "25.5"),
        (lambda lang: format_number(Decimal("1.8"), lang, 2), "1,80", "1.80"),
        (lambda lang: format_number(999, lang), "999", "999"),
        (lambda lang: format_date(R2026.wml.periods[0].start, lang), "1 januari 2026",
         "1 January 2026"),
    ],
)  # fmt: skip
def test_formatter(call, nl, en):
    assert (call("nl"), call("en")) == (nl, en)
