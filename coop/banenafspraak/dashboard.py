"""What the member dashboard (``/bijdrage``) shows: the member's banenafspraak figures of
this year (as of today) and last year, its places and its work packages.

The figures come from :func:`coop.banenafspraak.repository.member_figures`, the same
numbers the API and the PDF statement show. A year without a rule table is shown as such,
never guessed from a neighbouring year.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import msgspec

import regulations
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.banenafspraak import repository
from coop.banenafspraak.schemas import MemberFigures
from coop.work import repository as work
from coop.work.repository import PackageFilters, PlaceFilters

__all__ = ["Convention", "YearContribution", "as_member", "convention_of", "year_contribution"]

#: Places and packages shown on the dashboard; the full lists are one link away.
LIST_LIMIT = 25


class Convention(msgspec.Struct, frozen=True, kw_only=True):
    """The year's figures behind the counting convention (regulations/<year>.toml)."""

    hours_per_week: Decimal
    hours_per_year: Decimal
    threshold_paid_hours: Decimal
    quota_percent: Decimal


class YearContribution(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    figures: MemberFigures | None  # None: no rule table for the year
    convention: Convention | None


def convention_of(rules: regulations.YearRules) -> Convention:
    return Convention(
        hours_per_week=rules.banenafspraak.hours_per_baan_per_week,
        hours_per_year=rules.banenafspraak.hours_per_baan_per_year,
        threshold_paid_hours=rules.quota.threshold_paid_hours,
        quota_percent=rules.quota.percent,
    )


def has_rules(year: int) -> bool:
    return year in regulations.available_years()


def as_of_for(year: int, today: dt.date) -> dt.date:
    """The last day a year's figures count: today in the running year, else its last day."""
    return min(today, dt.date(year, 12, 31))


async def year_contribution(
    viewer: Principal, member_id: int, year: int, today: dt.date
) -> YearContribution:
    """One year's figures as ``viewer`` may see them (NotFound for another organisation's
    member; the register read is audited for the viewer)."""
    if not has_rules(year):
        return YearContribution(year=year, figures=None, convention=None)
    figures = await repository.member_figures(
        member_id, year, as_of=as_of_for(year, today), principal=viewer
    )
    return YearContribution(
        year=year, figures=figures, convention=convention_of(regulations.for_year(year))
    )


def as_member(viewer: Principal, member_id: int) -> Principal:
    """The member's own view, for staff who look at one member: the existing scoped queries
    then return exactly what that member itself sees. Read-only."""
    if viewer.role == Role.MEMBER:
        return viewer
    return Principal(
        user_id=viewer.user_id,
        email=viewer.email,
        name=viewer.name,
        role=Role.MEMBER,
        organisation_id=member_id,
        scope="read",
        via=viewer.via,
    )


async def places_and_packages(
    viewer: Principal, member_id: int
) -> tuple[list[dict[str, Any]], int, list[dict[str, Any]], int]:
    """The member's places and work packages (the first few of each) and their totals."""
    member_view = as_member(viewer, member_id)
    places, places_total = await work.list_places(
        member_view, PlaceFilters(), limit=LIST_LIMIT, offset=0
    )
    packages, packages_total = await work.list_packages(
        member_view, PackageFilters(organisation=member_id), limit=LIST_LIMIT, offset=0
    )
    return places, places_total, packages, packages_total
