"""The yearly rule tables: the shipped files hold the published figures, and a broken file is
refused with a message that names the file and the place of the mistake."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import regulations
from regulations import Heffing, OpslagBonus, RulesError, UnknownYear, YearRules

YEARS = (2025, 2026)
D = Decimal


def shipped_text(year: int) -> str:
    return (files("regulations") / "data" / f"{year}.toml").read_text(encoding="utf-8")


def broken(tmp_path: Path, year: int, old: str, new: str, name: str | None = None) -> RulesError:
    """Load the shipped file of ``year`` with one edit; the edit must really apply."""
    text = shipped_text(year)
    assert text.count(old) == 1, f"test edit {old!r} does not match the shipped {year}.toml once"
    path = tmp_path / (name or f"{year}.toml")
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(RulesError) as caught:
        regulations.load_file(path)
    return caught.value


def period_of(rules: YearRules, day: dt.date) -> int:
    """Hourly WML of the latest period starting on or before ``day`` (an independent reading)."""
    return [p.hourly_cents for p in rules.wml.periods if p.start <= day][-1]


# --- loading and caching -------------------------------------------------------------------


def test_both_years_ship_and_load():
    assert regulations.available_years() == YEARS
    for year in YEARS:
        assert regulations.for_year(year).year == year


def test_shipped_files_load_through_package_resources(tmp_path):
    path = files("regulations") / "data" / "2026.toml"
    assert regulations.load_file(path) == regulations.for_year(2026)
    copy = tmp_path / "2026.toml"
    copy.write_text(shipped_text(2026), encoding="utf-8")
    assert regulations.load_file(str(copy)) == regulations.for_year(2026)


def test_for_year_is_cached_and_frozen():
    rules = regulations.for_year(2026)
    assert regulations.for_year(2026) is rules
    with pytest.raises(AttributeError):
        rules.year = 2027  # type: ignore[misc]
    with pytest.raises(AttributeError):
        rules.lks.max_share_of_wml = D("0.9")  # type: ignore[misc]
    assert isinstance(rules.wml.periods, tuple) and isinstance(rules.places, tuple)


def test_unknown_year_names_the_year_and_the_available_years():
    with pytest.raises(UnknownYear) as caught:
        regulations.for_year(2027)
    assert isinstance(caught.value, LookupError)
    message = str(caught.value)
    assert "2027" in message and "2025, 2026" in message
    assert caught.value.year == 2027 and caught.value.available == YEARS


@pytest.mark.parametrize("year", ["2026", 2026.0, True])
def test_year_must_be_an_int(year):
    regulations.for_year(2026)  # cached first, so a look-alike key cannot slip through the cache
    with pytest.raises(TypeError):
        regulations.for_year(year)


def walk(value: object):
    if isinstance(value, msgspec.Struct):
        for field in value.__struct_fields__:
            yield from walk(getattr(value, field))
    elif isinstance(value, tuple):
        for item in value:
            yield from walk(item)
    else:
        yield value


@pytest.mark.parametrize("year", YEARS)
def test_no_float_anywhere_and_every_section_has_a_source(year):
    rules = regulations.for_year(year)
    assert not [v for v in walk(rules) if isinstance(v, float)]
    sections = [getattr(rules, f) for f in rules.__struct_fields__ if f not in ("year", "places")]
    sections += [*rules.places, rules.quota.regime]
    assert all(section.source.strip() for section in sections)


# --- the data files hold the figures of domain.md -------------------------------------------


def test_2026_figures():
    r = regulations.for_year(2026)
    assert r.wml.min_age == 21
    assert r.wml.periods[0].start == dt.date(2026, 1, 1) and r.wml.periods[0].hourly_cents == 1471
    assert (r.lks.max_share_of_wml, r.lks.employer_cost_allowance_share) == (D("0.70"), D("0.235"))
    assert r.lks.wage_value_remeasure_max_years == 3
    assert (r.lkv.hourly_cents, r.lkv.max_cents_per_year) == (101, 200_000)
    assert r.lkv.whole_employment and r.lkv.duration_years is None
    assert r.quota.percent == D("2.58") and r.quota.sector == "alle"
    assert isinstance(r.quota.regime, OpslagBonus)
    # Set by regulation and not yet known: absent, never a made-up zero.
    assert r.quota.regime.inclusiviteitsopslag_cents is None
    assert r.quota.regime.banenafspraakbonus_cents_per_baan is None


def test_2025_figures():
    r = regulations.for_year(2025)
    assert [(p.start, p.end, p.hourly_cents) for p in r.wml.periods] == [
        (dt.date(2025, 1, 1), dt.date(2025, 6, 30), 1406),
        (dt.date(2025, 7, 1), dt.date(2025, 12, 31), 1440),
    ]
    assert not r.lkv.whole_employment and r.lkv.duration_years == 3
    assert isinstance(r.quota.regime, Heffing)
    assert r.quota.regime.levy_cents_per_missing_baan == 500_000
    assert r.quota.regime.activated is False
    # No 2025 percentage is stated in domain.md; the stand-in must say so in the file.
    assert r.quota.percent == D("2.76") and r.quota.sector == "overheid"
    assert r.quota.note and "NOT SOURCED" in r.quota.note


@pytest.mark.parametrize("year", YEARS)
def test_figures_of_both_years(year):
    r = regulations.for_year(year)
    assert r.banenafspraak.hours_per_baan_per_week == D("25.5")
    assert r.banenafspraak.hours_per_baan_per_year == 1331
    assert r.banenafspraak.register_years_after_leaving == 2
    assert (r.quota.min_employees, r.quota.threshold_paid_hours) == (25, 40_575)
    assert r.no_riskpolis.years == 5
    assert r.no_riskpolis.register_members_started_after == dt.date(2015, 1, 1)
    assert r.jobcoach.internal_max_share_of_hours == (D("0.15"), D("0.075"), D("0.06"))
    assert r.jobcoach.max_years == 3
    assert (r.jobcoach.min_contract_hours_per_week, r.jobcoach.min_contract_months) == (12, 6)
    proef, participatie = r.place("proefplaatsing"), r.place("participatieplaats")
    assert (proef.max_months, proef.max_months_extended, proef.min_intended_contract_months) == (
        2,
        6,
        6,
    )
    assert (participatie.max_months, participatie.max_months_extended) == (24, 36)
    assert [
        (n.fte, n.trede_1_percent, n.trede_2_percent, n.trede_3_percent) for n in r.pso.norms
    ] == [
        (10, D("6.7"), D("9.0"), D("15.5")),
        (25, D("5.2"), D("6.6"), D("9.8")),
        (50, D("3.0"), D("3.7"), D("6.8")),
        (100, D("1.5"), D("2.1"), D("3.9")),
        (105, D("1.4"), D("1.9"), D("3.7")),
    ]


def test_unknown_place_type_is_an_error():
    with pytest.raises(LookupError, match="werkervaringsplaats"):
        regulations.for_year(2026).place("werkervaringsplaats")


# --- broken files are refused, naming file and place ----------------------------------------


@pytest.mark.parametrize(
    ("year", "old", "new", "expected"),
    [
        pytest.param(
            2026,
            "max_share_of_wml = 0.70",
            "max_share_of_wml = 1.70",
            "2026.toml: lks.max_share_of_wml: must be between 0 and 1",
            id="share>1",
        ),
        pytest.param(
            2026,
            "hourly_cents = 1471",
            'hourly_cents = "1471"',
            "2026.toml: wml.periods[0].hourly_cents: Expected `int`, got `str`",
            id="wrong-type",
        ),
        pytest.param(
            2026,
            "hourly_cents = 1471",
            "hourly_cents = 14.71",
            "2026.toml: wml.periods[0].hourly_cents: Expected `int`, got `decimal`",
            id="euros-not-cents",
        ),
        pytest.param(
            2026,
            "min_age = 21\n",
            "min_age = 21\nmin_agee = 21\n",
            "2026.toml: wml.min_agee: unknown field",
            id="unknown-field",
        ),
        pytest.param(
            2026,
            "year = 2026\n",
            "year = 2026\nbonus = 1\n",
            "2026.toml: bonus: unknown field",
            id="unknown-top-level-field",
        ),
        pytest.param(
            2026,
            "min_age = 21\n",
            "",
            "2026.toml: wml.min_age: missing required field",
            id="missing-field",
        ),
        pytest.param(
            2026,
            'kind = "opslag_bonus"',
            'kind = "boete"',
            "2026.toml: quota.regime.kind: Invalid value 'boete'",
            id="unknown-regime",
        ),
        pytest.param(
            2025,
            "start = 2025-07-01",
            "start = 2025-06-15",
            "2025.toml: wml.periods[1].start: overlaps",
            id="overlapping-wml",
        ),
        pytest.param(
            2025,
            "start = 2025-07-01",
            "start = 2025-07-02",
            "2025.toml: wml.periods[1].start: leaves a gap",
            id="gap-in-wml",
        ),
        pytest.param(
            2025,
            "start = 2025-01-01",
            "start = 2025-01-02",
            "2025.toml: wml.periods[0].start: must be 2025-01-01",
            id="late-first-period",
        ),
        pytest.param(
            2025,
            "end = 2025-12-31",
            "end = 2026-01-31",
            "2025.toml: wml.periods[1].end: must be in 2025",
            id="period-past-year",
        ),
        pytest.param(
            2026,
            "year = 2026",
            "year = 2025",
            "2026.toml: year: is 2025, but the file name says 2026",
            id="year-mismatch",
        ),
        pytest.param(
            2026,
            "hourly_cents = 101",
            "hourly_cents = 0",
            "2026.toml: lkv.hourly_cents: must be positive",
            id="zero-amount",
        ),
        pytest.param(
            2026,
            "whole_employment = true",
            "whole_employment = false",
            "2026.toml: lkv.duration_years: give it exactly when",
            id="lkv-duration",
        ),
        pytest.param(
            2026,
            "[0.15, 0.075, 0.06]",
            "[0.15, 0.075]",
            "2026.toml: jobcoach.internal_max_share_of_hours: must hold one share",
            id="jobcoach-years",
        ),
        pytest.param(
            2026,
            "percent = 2.58",
            "percent = nan",
            "2026.toml: quota.percent: must be between 0 and 100",
            id="nan",
        ),
        pytest.param(
            2026,
            "fte = 50",
            "fte = 20",
            "2026.toml: pso.norms[2].fte: size classes must be in increasing order",
            id="pso-order",
        ),
        pytest.param(
            2026,
            'slug = "participatieplaats"',
            'slug = "proefplaatsing"',
            "2026.toml: places[1].slug: 'proefplaatsing' is listed twice",
            id="duplicate-slug",
        ),
        pytest.param(
            2026,
            'slug = "participatieplaats"',
            'slug = "Participatie plaats"',
            "2026.toml: places[1].slug: Expected `str` matching regex",
            id="bad-slug",
        ),
        pytest.param(2026, "[lks]", "[lks", "2026.toml: TOML syntax:", id="toml-syntax"),
    ],
)
def test_broken_file_names_the_place(tmp_path, year, old, new, expected):
    error = broken(tmp_path, year, old, new)
    assert isinstance(error, ValueError)
    assert str(error).startswith(expected), str(error)


def test_file_of_another_year_is_refused(tmp_path):
    error = broken(tmp_path, 2026, "year = 2026", "year = 2026", name="2025.toml")
    assert str(error) == "2025.toml: year: is 2026, but the file name says 2025"
    assert error.file == "2025.toml" and error.problems[0][0] == "year"


def test_every_problem_of_a_file_is_reported(tmp_path):
    text = shipped_text(2026).replace("max_share_of_wml = 0.70", "max_share_of_wml = 2")
    path = tmp_path / "2026.toml"
    path.write_text(text.replace("max_cents_per_year = 200000", "max_cents_per_year = -1"))
    with pytest.raises(RulesError) as caught:
        regulations.load_file(path)
    assert [place for place, _ in caught.value.problems] == [
        "lks.max_share_of_wml",
        "lkv.max_cents_per_year",
    ]


def test_file_name_must_be_a_year(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(shipped_text(2026), encoding="utf-8")
    with pytest.raises(RulesError, match=r"^rules\.toml: file name: must be <year>\.toml"):
        regulations.load_file(path)


# --- minimum wage -----------------------------------------------------------------------------


def test_wml_changes_on_1_july_2025():
    r = regulations.for_year(2025)
    first, second = r.wml.periods
    assert r.wml_on(dt.date(2025, 6, 30)) == first.hourly_cents
    assert r.wml_on(dt.date(2025, 7, 1)) == second.hourly_cents
    assert first.hourly_cents != second.hourly_cents


def test_wml_outside_the_year_is_an_error_not_a_fallback():
    r = regulations.for_year(2025)
    with pytest.raises(ValueError, match="2026-01-01 is not in 2025"):
        r.wml_on(dt.date(2026, 1, 1))
    with pytest.raises(TypeError):
        r.wml_on(dt.datetime(2025, 3, 1, 12, 0))


def test_wml_after_the_last_known_period_is_an_error():
    r = regulations.for_year(2026)
    day_after = r.wml.periods[-1].end + dt.timedelta(days=1)
    if day_after.year != r.year:
        pytest.skip("the 2026 table covers the whole year")
    with pytest.raises(ValueError, match="no WML known"):
        r.wml_on(day_after)


@given(year=st.sampled_from(YEARS), data=st.data())
def test_wml_on_any_covered_day_is_the_figure_of_its_period(year, data):
    r = regulations.for_year(year)
    day = data.draw(st.dates(dt.date(year, 1, 1), r.wml.periods[-1].end))
    assert r.wml_on(day) in {p.hourly_cents for p in r.wml.periods}
    assert r.wml_on(day) == period_of(r, day)


# --- loonkostensubsidie -----------------------------------------------------------------------


def test_lks_share_is_the_gap_to_wml_capped():
    lks = regulations.for_year(2026).lks
    floor = 1 - lks.max_share_of_wml  # the wage value below which the subsidy stops growing
    assert lks.share_of_wml(floor) == lks.max_share_of_wml
    assert lks.share_of_wml(floor / 2) == lks.max_share_of_wml
    assert lks.share_of_wml(D("0.5")) == D("0.5")
    assert lks.share_of_wml(D("1")) == 0
    with pytest.raises(ValueError):
        lks.share_of_wml(D("1.2"))


# --- counting banen and the quota -------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_a_full_year_at_the_weekly_norm_is_one_baan_and_its_yearly_hours(year):
    r = regulations.for_year(year)
    norm = r.banenafspraak.hours_per_baan_per_week
    banen = r.banen(norm, dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert banen == 1
    assert r.counted_hours(banen) == r.banenafspraak.hours_per_baan_per_year == 1331


def test_banen_are_pro_rata_in_hours_and_days():
    r = regulations.for_year(2026)
    norm = r.banenafspraak.hours_per_baan_per_week
    first_half = r.banen(norm * 2, dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    second_half = r.banen(norm * 2, dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert abs(first_half + second_half - 2) < D("1e-20")
    assert first_half < 1 < second_half  # 181 against 184 days
    with pytest.raises(ValueError):
        r.banen(norm, dt.date(2026, 12, 1), dt.date(2027, 1, 31))


@pytest.mark.parametrize("year", YEARS)
def test_quota_starts_at_the_threshold(year):
    r = regulations.for_year(year)
    threshold = r.quota.threshold_paid_hours
    assert r.quota_required_banen(threshold - D("0.01")) is None
    at = r.quota_required_banen(threshold)
    assert at == r.quota.percent / 100 * threshold / r.banenafspraak.hours_per_baan_per_year
    assert 0 < at < 1
    # An employer with the paid hours of 100 banen needs exactly `percent` banen.
    assert r.quota_required_banen(100 * r.banenafspraak.hours_per_baan_per_year) == r.quota.percent
    with pytest.raises(ValueError):
        r.quota_required_banen(D("-1"))


# --- PSO ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fte", "size_class"),
    [
        ("0.5", 10),
        ("10", 10),
        ("24.9", 10),
        ("25", 25),
        ("99", 50),
        ("104.9", 100),
        ("105", 105),
        ("5000", 105),
    ],
)
def test_pso_norm_takes_the_largest_class_not_above_the_size(fte, size_class):
    assert regulations.for_year(2026).pso_norm(D(fte)).fte == size_class


@given(fte=st.decimals(min_value=D("0.1"), max_value=D("10000"), places=1))
def test_pso_norm_never_skips_a_class(fte):
    norms = regulations.for_year(2026).pso.norms
    chosen = regulations.for_year(2026).pso_norm(fte)
    assert chosen in norms
    assert chosen is norms[0] or chosen.fte <= fte
    assert not [n for n in norms if chosen.fte < n.fte <= fte]


def test_pso_norm_needs_a_positive_size():
    with pytest.raises(ValueError):
        regulations.for_year(2026).pso_norm(D(0))
