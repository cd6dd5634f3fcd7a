"""The banenafspraak count in the API: a member's figures of a year, and for the
cooperative's staff the overview of every member and the cooperative's own count.

Scoped like all member data: a member reads only its own organisation, coordinators and
admins every member; another member's figures, and any member for a WSP user, answer
404 exactly like a member that does not exist.

Banen and hours are JSON numbers rounded to two decimals (the counting convention; the
sums behind them are unrounded), as the placements API gives hours as numbers. ``year``
is read by hand so that every wrong year, not a number or without a rule table, is one
kind of answer: 422 with a field error on ``year``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter

import regulations
from coop.accounts.api import BEARER_SCHEME, UNAUTHORISED
from coop.accounts.auth import provide_principal, requires
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.banenafspraak import repository
from coop.banenafspraak.schemas import MemberFigures, MemberTotal, PlacementLine
from coop.errors import FieldError, ValidationFailed
from coop.members.api import DEFAULT_LIMIT, MEMBER_NOT_FOUND, PROBLEM, Limit, Offset
from coop.reference import regions
from coop.web.i18n import gettext as _

YearParameter = Annotated[
    str | None,
    QueryParameter(
        description=(
            "The year, e.g. `2026`; the current year when left out. A year that is not a "
            "number or has no rule table is a 422 naming `year`."
        )
    ),
]
AsOfParameter = Annotated[
    str | None,
    QueryParameter(
        description=(
            "Count work up to this day (`YYYY-MM-DD`); by default, and at most, today or "
            "31 December of the year, whichever is earlier: the future is never counted. "
            "A date that is not one, or lies before the year, is a 422 naming `as_of`."
        )
    ),
]
Region = Annotated[
    str | None,
    QueryParameter(
        pattern="^AM[0-9]{2}$",
        description=(
            "Only this labour-market region (CBS code, AMxx); an unknown one is a 422 "
            "naming `region`."
        ),
    ),
]

NUMBERS = "Banen and hours are numbers with at most two decimals."


# What each figure means, for the OpenAPI document: integrators meet ``paid_hours`` next to
# the member's own yearly paid hours and must not mistake one for the other.
MEMBER_ID = "The member (organisation) id; null is the cooperative's own count."
AS_OF = "The last day counted (`YYYY-MM-DD`): work after it is not counted."
PAID_HOURS = (
    "Counted hours by the convention: banen × the year's hours per baan per year (1,331 "
    "in 2026), two decimals. Not the member's yearly paid hours (its payroll, on the "
    "member's record), which only sets the quota."
)
BANEN = (
    "Banen for the banenafspraak: weekly paid hours ÷ 25.5 × the part of the year worked "
    "while in the doelgroepregister, summed unrounded, shown with two decimals."
)
QUOTA_BANEN = (
    "Banen for the quota: as `banen`, plus work of people who reach minimum wage only with "
    "a provision."
)
REQUIRED_BANEN = (
    "Indicative required number of banen for the quota (quota percentage × the member's "
    "yearly paid hours ÷ hours per baan); null below the quota threshold or when the "
    "year's quota does not apply to the member. UWV sets the official figure."
)
DIFFERENCE = (
    "Indicative: `quota_banen` minus `required_banen`; negative is a shortfall. Null when "
    "`required_banen` is."
)


class CountedPlacement(msgspec.Struct, frozen=True, kw_only=True):
    """One placement as it counts at this member."""

    placement_id: Annotated[int, msgspec.Meta(description="The placement's id.")]
    participant_code: Annotated[
        str, msgspec.Meta(description="The participant's code (never a name).")
    ]
    place_title: Annotated[str, msgspec.Meta(description="The place's title.")]
    employment_model: Annotated[
        str,
        msgspec.Meta(
            description="a employment at the member, b secondment, c pooled job, "
            "d unpaid (never counts), e sheltered work."
        ),
    ]
    weekly_hours: Annotated[
        float,
        msgspec.Meta(
            description="The weekly hours that count at this member: its share of a pooled job."
        ),
    ]
    start: Annotated[dt.date, msgspec.Meta(description="The first day of the placement.")]
    end: Annotated[
        dt.date | None,
        msgspec.Meta(description="The end date, or the day counted up to for a running placement."),
    ]
    paid: Annotated[
        bool, msgspec.Meta(description="Whether it is paid work; unpaid work counts 0.")
    ]
    banen: Annotated[
        float, msgspec.Meta(description="This placement's banen for the banenafspraak.")
    ]
    quota_banen: Annotated[float, msgspec.Meta(description="This placement's banen for the quota.")]
    counted_hours: Annotated[
        float,
        msgspec.Meta(
            description="This placement's counted hours: `banen` × hours per baan per year."
        ),
    ]


class BanenafspraakFigures(msgspec.Struct, frozen=True, kw_only=True):
    """A member's count of a year (``member_id`` null: the cooperative's own)."""

    year: Annotated[int, msgspec.Meta(description="The year counted.")]
    member_id: Annotated[int | None, msgspec.Meta(description=MEMBER_ID)]
    as_of: Annotated[dt.date, msgspec.Meta(description=AS_OF)]
    paid_hours: Annotated[float, msgspec.Meta(description=PAID_HOURS)]
    banen: Annotated[float, msgspec.Meta(description=BANEN)]
    quota_banen: Annotated[float, msgspec.Meta(description=QUOTA_BANEN)]
    required_banen: Annotated[float | None, msgspec.Meta(description=REQUIRED_BANEN)]
    difference: Annotated[float | None, msgspec.Meta(description=DIFFERENCE)]
    placements: Annotated[
        list[CountedPlacement],
        msgspec.Meta(description="A line per placement that ran in the year at this member."),
    ]


class BanenafspraakTotal(msgspec.Struct, frozen=True, kw_only=True):
    """One member's figures without the lines (``member_id`` null: the cooperative's own)."""

    member_id: Annotated[int | None, msgspec.Meta(description=MEMBER_ID)]
    name: Annotated[
        str,
        msgspec.Meta(
            description="The member's name; for the cooperative's own row its label, "
            "in the language of `Accept-Language`."
        ),
    ]
    paid_hours: Annotated[float, msgspec.Meta(description=PAID_HOURS)]
    banen: Annotated[float, msgspec.Meta(description=BANEN)]
    quota_banen: Annotated[float, msgspec.Meta(description=QUOTA_BANEN)]
    required_banen: Annotated[float | None, msgspec.Meta(description=REQUIRED_BANEN)]
    difference: Annotated[float | None, msgspec.Meta(description=DIFFERENCE)]
    placement_count: Annotated[
        int,
        msgspec.Meta(
            description="How many placements ran in the year at this member (unpaid ones included)."
        ),
    ]


class BanenafspraakOverview(msgspec.Struct, frozen=True, kw_only=True):
    """One page of the overview."""

    year: Annotated[int, msgspec.Meta(description="The year counted.")]
    as_of: Annotated[dt.date, msgspec.Meta(description=AS_OF)]
    banen: Annotated[
        float, msgspec.Meta(description="Sum of `banen` over every row, on every page.")
    ]
    quota_banen: Annotated[
        float, msgspec.Meta(description="Sum of `quota_banen` over every row, on every page.")
    ]
    paid_hours: Annotated[
        float,
        msgspec.Meta(
            description="Counted hours of the sum of `banen` (banen × hours per baan per year)."
        ),
    ]
    items: Annotated[
        list[BanenafspraakTotal],
        msgspec.Meta(
            description="The cooperative's own row first, then every active member "
            "and every member with placements in the year, by name; zeros where "
            "nothing counted."
        ),
    ]
    total: Annotated[int, msgspec.Meta(description="How many rows over every page.")]
    limit: Annotated[int, msgspec.Meta(description="The page size asked for.")]
    offset: Annotated[int, msgspec.Meta(description="How many rows were skipped.")]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _line_out(line: PlacementLine) -> CountedPlacement:
    return CountedPlacement(
        placement_id=line.placement_id,
        participant_code=line.participant_code,
        place_title=line.place_title,
        employment_model=line.employment_model,
        weekly_hours=float(line.weekly_hours),
        start=line.start,
        end=line.end,
        paid=line.paid,
        banen=float(line.banen),
        quota_banen=float(line.quota_banen),
        counted_hours=float(line.counted_hours),
    )


def figures_out(figures: MemberFigures) -> BanenafspraakFigures:
    return BanenafspraakFigures(
        year=figures.year,
        member_id=figures.member_id,
        as_of=figures.as_of,
        paid_hours=float(figures.paid_hours),
        banen=float(figures.banen),
        quota_banen=float(figures.quota_banen),
        required_banen=_number(figures.required_banen),
        difference=_number(figures.difference),
        placements=[_line_out(line) for line in figures.placements],
    )


def _total_out(total: MemberTotal) -> BanenafspraakTotal:
    return BanenafspraakTotal(
        member_id=total.member_id,
        # The label the pages give the cooperative's own row (coop.reports.monitor).
        name=total.name if total.member_id is not None else _("Coöperatie (eigen dienst)"),
        paid_hours=float(total.paid_hours),
        banen=float(total.banen),
        quota_banen=float(total.quota_banen),
        required_banen=_number(total.required_banen),
        difference=_number(total.difference),
        placement_count=total.placements,
    )


def year_of(value: str | None, today: dt.date | None = None) -> int:
    """The year asked for (the current one when left out), with a rule table, or
    :class:`ValidationFailed` on ``year``."""
    if value is None or not value.strip():
        year = (today or dt.date.today()).year
    elif value.strip().isascii() and value.strip().isdigit() and len(value.strip()) == 4:
        year = int(value.strip())
    else:
        raise ValidationFailed(
            [FieldError("year", _("Vul een jaartal in van vier cijfers, bijvoorbeeld 2026."))]
        )
    if year not in regulations.available_years():
        known = ", ".join(str(y) for y in regulations.available_years())
        raise ValidationFailed(
            [
                FieldError(
                    "year",
                    _("Voor %(year)s zijn er geen regels; er zijn regels voor %(known)s.")
                    % {"year": year, "known": known},
                )
            ]
        )
    return year


def as_of_of(value: str | None) -> dt.date | None:
    """The day asked for (None when left out), or :class:`ValidationFailed` on ``as_of``."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        if len(text) != 10:  # fromisoformat also takes 20260630; the API says YYYY-MM-DD
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            [FieldError("as_of", _("Vul een datum in als JJJJ-MM-DD, bijvoorbeeld 2026-06-30."))]
        ) from None


def day_in(year: int, day: dt.date | None) -> dt.date | None:
    """``as_of`` for the year: a day before the year would count nothing, which looks
    like an answer but is a mistake, so it is a :class:`ValidationFailed` on ``as_of``.
    A day after the year is cut to 31 December (documented)."""
    if day is not None and day.year < year:
        raise ValidationFailed(
            [
                FieldError(
                    "as_of",
                    _(
                        "De datum %(day)s ligt vóór %(year)s; kies een datum in %(year)s "
                        "of laat as_of weg."
                    )
                    % {"day": day.isoformat(), "year": year},
                )
            ]
        )
    return day


def region_of(code: str | None) -> str | None:
    """A known labour-market region (AMxx), or :class:`ValidationFailed` on ``region``:
    an unknown one would list nobody, which looks like an answer but is a mistake."""
    if code is not None and regions.region(code) is None:
        codes = sorted(r.code for r in regions.regions())
        raise ValidationFailed(
            [
                FieldError(
                    "region",
                    _(
                        "Er is geen arbeidsmarktregio %(code)s; gebruik een CBS-code "
                        "van %(first)s tot en met %(last)s."
                    )
                    % {"code": code, "first": codes[0], "last": codes[-1]},
                )
            ]
        )
    return code


class BanenafspraakApi(Controller):
    path = "/api/v1"
    tags = ["banenafspraak"]
    security = [{BEARER_SCHEME: []}]
    guards = [requires()]
    dependencies = {"principal": Provide(provide_principal)}

    @get(
        "/members/{member_id:int}/banenafspraak",
        name="api.member.banenafspraak",
        summary="A member's banenafspraak count of a year",
        description=(
            "Paid hours of people in the doelgroepregister, from employments at the member "
            "and secondments to it, pooled jobs by the member's share, pro rata for part "
            "years and register periods; work up to today (or 31 December of a past "
            "year). A line per placement. `required_banen` and `difference` are "
            "indicative, null below the quota threshold. " + NUMBERS + " A member reads "
            "only its own organisation; any other member answers 404."
        ),
        responses={401: UNAUTHORISED, 404: MEMBER_NOT_FOUND, 422: PROBLEM},
        operation_id="getMemberBanenafspraak",
    )
    async def member_count(
        self,
        principal: NamedDependency[Principal],
        member_id: FromPath[int],
        year: YearParameter = None,
        as_of: AsOfParameter = None,
    ) -> BanenafspraakFigures:
        chosen = year_of(year)
        day = day_in(chosen, as_of_of(as_of))
        figures = await repository.member_figures(member_id, chosen, as_of=day, principal=principal)
        return figures_out(figures)

    @get(
        "/banenafspraak",
        name="api.banenafspraak",
        summary="The banenafspraak count of every member (staff)",
        description=(
            "Coordinators and admins: every active member and every member with placements "
            "in the year (zeros where nothing counted), by name, after the cooperative's "
            "own count (`member_id` null, named by its label: whom it employs and does "
            "not second). `region` limits to members in a labour-market region (and the "
            "cooperative's own places there). " + NUMBERS + " Page with `limit` "
            "and `offset`; the sums are over all pages."
        ),
        responses={401: UNAUTHORISED, 403: PROBLEM, 422: PROBLEM},
        operation_id="listBanenafspraak",
        guards=[requires(Role.COORDINATOR, Role.ADMIN)],
    )
    async def overview(
        self,
        principal: NamedDependency[Principal],
        year: YearParameter = None,
        as_of: AsOfParameter = None,
        region: Region = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> BanenafspraakOverview:
        chosen = year_of(year)
        day = day_in(chosen, as_of_of(as_of))
        overview = await repository.totals(
            chosen, as_of=day, region=region_of(region), principal=principal
        )
        return BanenafspraakOverview(
            year=chosen,
            as_of=overview.as_of,
            banen=float(overview.banen),
            quota_banen=float(overview.quota_banen),
            paid_hours=float(overview.paid_hours),
            items=[_total_out(t) for t in overview.items[offset : offset + limit]],
            total=len(overview.items),
            limit=limit,
            offset=offset,
        )
