"""Indicative subsidies of a placement (coop.allocation.subsidies), worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from coop.allocation.subsidies import estimate, wml_for
from regulations import for_year

RULES = for_year(2026)
ON = dt.date(2026, 3, 1)


def placement(**changes):
    args = dict(
        on=ON,
        employment_model="a",
        hours_per_week=Decimal(20),
        wage_value_percent=Decimal(60),
        in_register=True,
        start=dt.date(2026, 2, 1),
    )
    args.update(changes)
    return estimate(RULES, **args)


def test_lks_for_a_wage_value_of_60_percent_at_20_hours():
    # WML €14.71/h; subsidy share 1 - 0.60 = 0.40; 20 h × 52 weeks = 1,040 h a year:
    # 1471 × 0.40 × 1040 = 611,936 cents, plus 23.5% = 755,740.96 -> 755,741 cents.
    result = placement()
    assert result.lks_share_of_wml == Decimal("0.40")
    assert result.lks_cents_per_year == 755_741


def test_lks_is_capped_at_70_percent_of_wml():
    # A wage value of 20% would give 80% of WML; the cap is 70%.
    # 1471 × 0.70 = 1029.70; × 1040 h = 1,070,888; × 1.235 = 1,322,546.68 -> 1,322,547 cents.
    result = placement(wage_value_percent=Decimal(20))
    assert result.lks_share_of_wml == Decimal("0.70")
    assert result.lks_cents_per_year == 1_322_547


def test_lks_needs_a_wage_value():
    result = placement(wage_value_percent=None)
    assert result.lks_cents_per_year is None
    assert result.lkv_cents_per_year is not None


def test_lkv_is_per_paid_hour_up_to_the_yearly_maximum():
    # €1.01 × 1,040 h = €1,050.40; at 40 h: €1.01 × 2,080 = €2,100.80, capped at €2,000.
    assert placement().lkv_cents_per_year == 105_040
    assert placement(hours_per_week=Decimal(40)).lkv_cents_per_year == 200_000
    assert placement(in_register=False).lkv_cents_per_year is None


def test_no_riskpolis_runs_five_years_from_the_start_for_register_members():
    assert placement().no_riskpolis_until == dt.date(2031, 2, 1)
    assert placement(in_register=False).no_riskpolis_until is None
    # Started in 2020: the five years ended in 2025.
    assert placement(start=dt.date(2020, 6, 1)).no_riskpolis_until is None
    # Started before the scheme's date (1 January 2015): it never applied.
    assert placement(start=dt.date(2014, 12, 31), on=ON).no_riskpolis_until is None


@pytest.mark.parametrize("model", ["d"])
def test_unpaid_places_get_no_subsidies(model):
    result = placement(employment_model=model)
    assert not result.paid
    assert (result.lks_cents_per_year, result.lkv_cents_per_year) == (None, None)
    assert result.no_riskpolis_until is None


def test_after_the_last_published_wml_the_latest_amount_is_used_and_marked():
    known = wml_for(RULES, dt.date(2026, 6, 30))
    later = wml_for(RULES, dt.date(2026, 11, 23))
    assert (known.hourly_cents, known.provisional) == (1471, False)
    assert (later.hourly_cents, later.since, later.provisional) == (
        1471,
        dt.date(2026, 1, 1),
        True,
    )
    with pytest.raises(ValueError):
        wml_for(RULES, dt.date(2027, 1, 1))


def test_wage_value_outside_0_to_100_is_refused():
    with pytest.raises(ValueError):
        placement(wage_value_percent=Decimal(120))
