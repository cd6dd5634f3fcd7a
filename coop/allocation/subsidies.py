"""Indicative subsidies of a placement, from the year's figures in ``regulations``. Pure.

Coordinators use these to talk with a member about what a placement costs; they are
indications, not decisions of the municipality or UWV, and the pages say so.

* **Loonkostensubsidie (LKS)**: WML × (1 − wage value), at most the cap share of WML, plus
  the allowance for employer costs, for the paid hours (pro rata for part-time).
* **LKV banenafspraak**: a fixed amount per paid hour for someone in the
  doelgroepregister, up to a maximum per year.
* **No-riskpolis**: for register members who started after the scheme's date, within
  its number of years from the start.

Only paid employment earns any of them: models a, b, c and e. An unpaid participation
place or trial placement (model d) gets none.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import msgspec

from regulations import YearRules

#: Employment models with a wage (domain.md: a direct, b seconded, c pooled, e sheltered).
PAID_MODELS = frozenset({"a", "b", "c", "e"})
WEEKS_PER_YEAR = Decimal(52)


class Wml(msgspec.Struct, frozen=True):
    hourly_cents: int
    since: dt.date
    #: True when the day falls after the last published period of the year: the amount
    #: is then the most recent one known, which the page says.
    provisional: bool


class Subsidies(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    paid: bool
    wml: Wml | None
    lks_share_of_wml: Decimal | None  # before the allowance; None without a wage value
    lks_cents_per_year: int | None
    lkv_cents_per_year: int | None  # None when not eligible
    no_riskpolis_until: dt.date | None  # None when it does not apply


def wml_for(rules: YearRules, day: dt.date) -> Wml:
    """The hourly WML on ``day``; after the last published period, that period's amount,
    marked provisional (a day before the first period is an error)."""
    if day.year != rules.year:
        raise ValueError(f"{day.isoformat()} is not in {rules.year}")
    known = [p for p in rules.wml.periods if p.start <= day]
    if not known:
        raise ValueError(f"no WML known for {day.isoformat()}")
    period = known[-1]
    return Wml(period.hourly_cents, period.start, provisional=day > period.end)


def _cents(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def estimate(
    rules: YearRules,
    *,
    on: dt.date,
    employment_model: str,
    hours_per_week: Decimal,
    wage_value_percent: Decimal | None,
    in_register: bool,
    start: dt.date,
) -> Subsidies:
    """The indicative subsidies of a placement on day ``on`` (its year picks the rules)."""
    paid = employment_model in PAID_MODELS
    if not paid:
        return Subsidies(
            year=rules.year,
            paid=False,
            wml=None,
            lks_share_of_wml=None,
            lks_cents_per_year=None,
            lkv_cents_per_year=None,
            no_riskpolis_until=None,
        )
    if hours_per_week < 0:
        raise ValueError("hours per week must be zero or more")
    wml = wml_for(rules, on)
    hours_per_year = hours_per_week * WEEKS_PER_YEAR

    share = lks_cents = None
    if wage_value_percent is not None:
        share = rules.lks.share_of_wml(wage_value_percent / 100)
        lks = wml.hourly_cents * share * hours_per_year
        lks_cents = _cents(lks * (1 + rules.lks.employer_cost_allowance_share))

    lkv_cents = None
    if in_register:
        lkv_cents = min(
            _cents(rules.lkv.hourly_cents * hours_per_year), rules.lkv.max_cents_per_year
        )

    until = None
    policy = rules.no_riskpolis
    if in_register and start > policy.register_members_started_after:
        ends = _add_years(start, policy.years)
        if on < ends:
            until = ends
    return Subsidies(
        year=rules.year,
        paid=True,
        wml=wml,
        lks_share_of_wml=share,
        lks_cents_per_year=lks_cents,
        lkv_cents_per_year=lkv_cents,
        no_riskpolis_until=until,
    )


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
