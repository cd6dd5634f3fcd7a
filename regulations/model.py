"""The yearly figures as frozen structs, with the pure look-ups that need nothing but them.

Money is in integer cents, shares are Decimal fractions (0.70), percentages are Decimal
percent values (2.58 means 2.58%), hours are Decimal. Every section names its source, so a
figure can be checked against the publication it came from.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

import msgspec

Slug = Annotated[str, msgspec.Meta(pattern="^[a-z][a-z0-9_]*$")]


class _Frozen(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Immutable, and a typo in a data file is an error, not a silent default.

    msgspec does not pass kw_only on to subclasses, so each struct repeats it; it lets the
    optional note sit next to source, before the figures.
    """


class WmlPeriod(_Frozen, kw_only=True):
    start: dt.date
    end: dt.date  # inclusive
    hourly_cents: int


class Wml(_Frozen, kw_only=True):
    """Statutory minimum wage (wettelijk minimumloon), per hour, changed on 1 January and 1 July.

    The periods cover the year from 1 January without gaps; they may stop before 31 December
    while the next figure is not yet published, and then a later date has no WML.
    """

    source: str
    note: str | None = None
    min_age: int
    periods: tuple[WmlPeriod, ...]


class Loonkostensubsidie(_Frozen, kw_only=True):
    source: str
    note: str | None = None
    max_share_of_wml: Decimal  # a wage value below 1 - this share gets no more subsidy
    employer_cost_allowance_share: Decimal
    wage_value_remeasure_max_years: int

    def share_of_wml(self, wage_value: Decimal) -> Decimal:
        """Subsidy as a share of WML for a wage value (a share of WML), before the allowance."""
        if not wage_value.is_finite() or not 0 <= wage_value <= 1:
            raise ValueError(f"wage value must be a share between 0 and 1, got {wage_value}")
        return min(1 - wage_value, self.max_share_of_wml)


class LkvBanenafspraak(_Frozen, kw_only=True):
    source: str
    note: str | None = None
    hourly_cents: int
    max_cents_per_year: int
    # TOML has no null, so "whole employment" is stated in words and duration_years left out;
    # the loader checks that the two agree, so duration_years is None means whole employment.
    whole_employment: bool
    duration_years: int | None = None


class Banenafspraak(_Frozen, kw_only=True):
    source: str
    note: str | None = None
    hours_per_baan_per_week: Decimal
    hours_per_baan_per_year: Decimal
    register_years_after_leaving: int  # registered until the end of the leaving year plus this


class Heffing(_Frozen, kw_only=True, tag="heffing", tag_field="kind"):
    """Old regime (Wet bqa): a levy per missing baan, only once activated by a separate decision."""

    source: str
    note: str | None = None
    levy_cents_per_missing_baan: int
    activated: bool


class OpslagBonus(_Frozen, kw_only=True, tag="opslag_bonus", tag_field="kind"):
    """Wet banenafspraak: a surcharge (inclusiviteitsopslag) and a bonus per realised baan.

    The amounts are set by regulation; None (left out of the file) means not yet set, never
    zero. What the surcharge is charged per is not stated yet either; see the note.
    """

    source: str
    note: str | None = None
    inclusiviteitsopslag_cents: int | None = None
    banenafspraakbonus_cents_per_baan: int | None = None


class Quota(_Frozen, kw_only=True):
    source: str
    note: str | None = None
    min_employees: int
    threshold_paid_hours: Decimal  # the test for min_employees, hired-in staff excluded
    sector: Literal["overheid", "alle"]  # which employers the percentage applies to
    percent: Decimal
    regime: Heffing | OpslagBonus


class NoRiskpolis(_Frozen, kw_only=True):
    source: str
    note: str | None = None
    years: int
    register_members_started_after: dt.date


class Jobcoach(_Frozen, kw_only=True):
    source: str
    note: str | None = None
    max_years: int
    internal_max_share_of_hours: tuple[Decimal, ...]  # per year of coaching: 1st, 2nd, ...
    min_contract_hours_per_week: Decimal
    min_contract_months: int


class PlaceType(_Frozen, kw_only=True):
    slug: Slug
    source: str
    note: str | None = None
    max_months: int
    max_months_extended: int  # the total when the extension is granted
    min_intended_contract_months: int | None = None


class PsoNorm(_Frozen, kw_only=True):
    """Norm of one size class: percent target-group FTE of total FTE per trede."""

    fte: Decimal  # the class's size; the largest class also covers every larger organisation
    trede_1_percent: Decimal
    trede_2_percent: Decimal
    trede_3_percent: Decimal


class Pso(_Frozen, kw_only=True):
    source: str
    note: str | None = None
    norms: tuple[PsoNorm, ...]


class YearRules(_Frozen, kw_only=True):
    year: int
    wml: Wml
    lks: Loonkostensubsidie
    lkv: LkvBanenafspraak
    banenafspraak: Banenafspraak
    quota: Quota
    no_riskpolis: NoRiskpolis
    jobcoach: Jobcoach
    places: tuple[PlaceType, ...]
    pso: Pso

    def _check_in_year(self, day: dt.date) -> None:
        if isinstance(day, dt.datetime):
            # Comparing a datetime with a date raises deep inside; say what is wrong instead.
            raise TypeError(f"expected a date, got a datetime: {day!r}")
        if day.year != self.year:
            raise ValueError(
                f"{day.isoformat()} is not in {self.year}; use the rules of {day.year}"
            )

    def wml_on(self, day: dt.date) -> int:
        """Hourly WML (age 21+) in cents on a day of this year."""
        self._check_in_year(day)
        for period in self.wml.periods:
            if period.start <= day <= period.end:
                return period.hourly_cents
        raise ValueError(
            f"no WML known for {day.isoformat()}: the {self.year} table ends on "
            f"{self.wml.periods[-1].end.isoformat()}"
        )

    def place(self, slug: str) -> PlaceType:
        for place in self.places:
            if place.slug == slug:
                return place
        known = ", ".join(p.slug for p in self.places)
        raise LookupError(f"no place type {slug!r} in {self.year}; known: {known}")

    def pso_norm(self, fte: Decimal) -> PsoNorm:
        """The norm of the largest size class not larger than fte.

        PSO publishes norms for sample sizes only; taking the class below keeps the choice
        stable and conservative (smaller organisations face higher percentages). Organisations
        under the smallest class take the smallest class.
        """
        if not fte.is_finite() or fte <= 0:
            raise ValueError(f"FTE must be positive, got {fte}")
        chosen = self.pso.norms[0]
        for norm in self.pso.norms:
            if norm.fte <= fte:
                chosen = norm
        return chosen

    def banen(self, weekly_hours: Decimal, start: dt.date, end: dt.date) -> Decimal:
        """Banen of one period (start and end inclusive) at fixed weekly hours, unrounded.

        The product's convention: weekly hours / hours per baan, weighted by the share of the
        year's days the period covers, so a full year at the weekly norm is exactly 1 baan.
        """
        self._check_in_year(start)
        self._check_in_year(end)
        if end < start:
            raise ValueError(f"period ends ({end}) before it starts ({start})")
        if not weekly_hours.is_finite() or weekly_hours < 0:
            raise ValueError(f"weekly hours must be zero or more, got {weekly_hours}")
        days = Decimal((end - start).days + 1)
        days_in_year = Decimal((dt.date(self.year, 12, 31) - dt.date(self.year, 1, 1)).days + 1)
        return weekly_hours / self.banenafspraak.hours_per_baan_per_week * days / days_in_year

    def counted_hours(self, banen: Decimal) -> Decimal:
        """Yearly paid hours that a number of banen stands for."""
        return banen * self.banenafspraak.hours_per_baan_per_year

    def quota_required_banen(self, yearly_paid_hours: Decimal) -> Decimal | None:
        """Indicative required banen for an employer, or None below the quota threshold.

        Whether the employer's sector falls under the quota is the caller's question
        (see quota.sector); this only does the arithmetic, unrounded.
        """
        if not yearly_paid_hours.is_finite() or yearly_paid_hours < 0:
            raise ValueError(f"yearly paid hours must be zero or more, got {yearly_paid_hours}")
        if yearly_paid_hours < self.quota.threshold_paid_hours:
            return None
        return (
            self.quota.percent
            / 100
            * yearly_paid_hours
            / self.banenafspraak.hours_per_baan_per_year
        )
