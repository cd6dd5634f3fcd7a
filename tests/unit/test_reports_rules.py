"""The monitor's rules as pure functions: small counts, the period asked for, and each
figure from plain rows, computed by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from coop.reports import rules
from coop.reports.rules import Measurement, Period, PlacementRow, PlaceRow, Viewer

COORDINATOR = Viewer("coordinator")
ADMIN = Viewer("admin")
WSP = Viewer("wsp")
MEMBER_1 = Viewer("member", organisation_id=1)
YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))
MESSAGES = rules.Messages(
    bad_date="datum",
    end_before_start="volgorde",
    too_long="lang",
    unknown_region="regio",
    out_of_range="bereik",
)


# --- small counts ----------------------------------------------------------------------


@pytest.mark.parametrize("people", [1, 2, 3, 4])
def test_a_small_figure_of_several_members_is_hidden_from_members_and_wsps(people):
    for viewer in (MEMBER_1, WSP, ADMIN):
        assert rules.suppressed(people=people, organisations={1, 2}, viewer=viewer)
    shown = rules.shown(people, people=people, organisations=[1, 2], viewer=WSP)
    assert shown == rules.Shown(None, True)


def test_five_people_or_none_identify_nobody():
    for viewer in (MEMBER_1, WSP, ADMIN):
        assert not rules.suppressed(people=5, organisations={1, 2}, viewer=viewer)
        assert not rules.suppressed(people=0, organisations={1, 2}, viewer=viewer)


def test_coordinators_see_everything():
    assert not rules.suppressed(people=1, organisations={1, 2, 3}, viewer=COORDINATOR)
    assert rules.shown(7, people=1, organisations={1, 2}, viewer=COORDINATOR) == rules.Shown(
        7, False
    )


def test_a_member_always_sees_its_own_figures():
    assert not rules.suppressed(people=1, organisations={1}, viewer=MEMBER_1)
    # ...but not a small figure that mixes its people with another member's.
    assert rules.suppressed(people=2, organisations={1, 2}, viewer=MEMBER_1)
    # The cooperative's own employees (None) are another organisation too.
    assert rules.suppressed(people=2, organisations={1, None}, viewer=MEMBER_1)


def test_a_small_figure_of_one_other_organisation_is_hidden_too():
    # "Regular work elsewhere: 1" at one member tells anyone who knows the member what
    # happened to whom: hidden from admins and WSPs, and from other members.
    for viewer in (ADMIN, WSP, MEMBER_1):
        assert rules.suppressed(people=1, organisations={2}, viewer=viewer)
    # ...but a member's banen are its contribution, on its statement: shown.
    for viewer in (ADMIN, WSP):
        assert not rules.suppressed(people=1, organisations={2}, viewer=viewer, member_banen=True)
    # A total of banen over several members is not one member's figure.
    assert rules.suppressed(people=3, organisations={1, 2}, viewer=ADMIN, member_banen=True)


# --- the period asked for --------------------------------------------------------------


def parse(**params: str):
    return rules.parse_query(
        params, today=date(2026, 12, 8), regions={"AM01", "AM13"}, messages=MESSAGES
    )


def test_without_a_period_it_is_this_calendar_year_and_all_regions():
    query, errors, values = parse()
    assert errors == {}
    assert query == rules.MonitorQuery(Period(date(2026, 1, 1), date(2026, 12, 31)), None)
    assert values == {"van": "2026-01-01", "tot": "2026-12-31", "regio": ""}


def test_dates_as_iso_or_as_people_type_them():
    query, errors, _ = parse(van="1-3-2025", tot="2025-06-30", regio="AM01")
    assert errors == {}
    assert query.period == Period(date(2025, 3, 1), date(2025, 6, 30))
    assert query.region == "AM01"
    assert query.period.years == [2025]


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"van": "2025-12-31", "tot": "2025-01-01"}, {"tot": "volgorde"}),
        ({"van": "2025-02-30"}, {"van": "datum"}),
        ({"van": "morgen", "tot": "x"}, {"van": "datum", "tot": "datum"}),
        ({"regio": "AM99"}, {"regio": "regio"}),
        ({"van": "1900-01-01"}, {"van": "bereik"}),
        ({"van": "2001-01-01", "tot": "2026-01-01"}, {"tot": "lang"}),
    ],
)
def test_bad_periods_and_regions_are_errors_by_the_field(params, errors):
    query, found, values = parse(**params)
    assert query is None
    assert found == errors
    for name, typed in params.items():
        assert values[name] == typed  # kept as typed


# --- figures from rows -----------------------------------------------------------------


def p(
    id: int,
    start: date,
    end: date | None = None,
    *,
    status: str = "actief",
    reason: str | None = None,
    place_type: str = "betaalde_baan",
    place: int = 1,
    person: int | None = None,
    orgs: tuple[int, ...] = (1,),
) -> PlacementRow:
    return PlacementRow(
        id=id,
        participant_id=person or id,
        place_id=place,
        place_type=place_type,
        status=status,
        start=start,
        end=end,
        exit_reason=reason,
        organisations=orgs,
    )


ROWS = [
    p(1, date(2024, 7, 1)),  # running since mid-2024
    p(2, date(2025, 3, 1), date(2025, 8, 31), status="beeindigd", reason="vast_contract_bij_lid"),
    p(3, date(2025, 1, 1), date(2025, 4, 30), status="beeindigd", reason="uitgevallen", orgs=(2,)),
    p(4, date(2025, 10, 1), place_type="proefplaatsing", place=2, orgs=(2,)),
    p(5, date(2024, 1, 15), date(2025, 2, 15), status="beeindigd", reason="regulier_werk_elders"),
    p(6, date(2025, 5, 1), status="geannuleerd"),
    p(7, date(2025, 12, 1), status="gepland"),
]


def test_started_ended_and_outflow_per_place_type():
    lines = rules.by_place_type(ROWS, YEAR, ["betaalde_baan", "proefplaatsing"])
    paid, trial = lines
    # Started: 2 and 3 (paid), 4 (trial); cancelled 6 and planned 7 never ran.
    assert (paid.started.count, trial.started.count) == (2, 1)
    # Ended: 2, 3 and 5; outflow to regular work: 2 (contract at the member) and 5.
    assert (paid.ended.count, paid.outflow.count) == (3, 2)
    assert paid.started.organisations == {1, 2}
    total = rules.total_by_type(lines, ROWS, YEAR)
    assert (total.started.count, total.ended.count, total.outflow.count) == (3, 3, 2)
    reasons = dict(rules.by_exit_reason(ROWS, YEAR))
    assert reasons["vast_contract_bij_lid"].count == 1
    assert reasons["uitgevallen"].count == 1
    assert reasons["terug_naar_gemeente"].count == 0


def test_retention_counts_the_anniversaries_in_the_period():
    # 6 months: 1 (1 Jan 2025, running), 3 (1 Jul, ended 30 Apr), 2 (1 Sep, ended 31 Aug);
    # 4's mark (1 Apr 2026) is after the period. 1 of 3 = 33.3%.
    six = rules.retention(ROWS, 6, YEAR, today=date(2026, 12, 8))
    assert (six.eligible.count, six.retained.count, six.share) == (3, 1, Decimal("33.3"))
    # 12 months: 5 (15 Jan 2025, ended 15 Feb: still there on the day) and 1 (1 Jul).
    twelve = rules.retention(ROWS, 12, YEAR, today=date(2026, 12, 8))
    assert (twelve.eligible.count, twelve.retained.count, twelve.share) == (2, 2, Decimal("100.0"))
    # Asked on 1 August 2025: 2's mark (1 Sep) has not come yet.
    early = rules.retention(ROWS, 6, YEAR, today=date(2025, 8, 1))
    assert early.eligible.count == 2
    assert rules.retention([], 6, YEAR, today=date(2026, 1, 1)).share is None
    window = rules.retention_window(6, YEAR, date(2026, 12, 8))
    assert window == Period(date(2024, 7, 1), date(2025, 6, 30))


def test_the_retention_window_lists_exactly_what_the_figure_counts():
    # Asked on 8 December 2026 for July 2025 to June 2026... (the walkthrough's case:
    # placements that started 12-19 June 2026 have their 6-month date after today).
    period = Period(date(2025, 7, 1), date(2026, 6, 30))
    today = date(2026, 12, 8)
    six = rules.retention_window(6, period, today)
    assert six == Period(date(2025, 1, 1), date(2025, 12, 31))
    # Asked on 10 March 2026: only anniversaries up to today have passed.
    assert rules.retention_window(6, period, date(2026, 3, 10)) == Period(
        date(2025, 1, 1), date(2025, 9, 10)
    )
    # Month ends: 31 December + 6 months is 30 June, so a period ending 30 June includes
    # starts up to 31 December, not just to 30 December.
    half = Period(date(2025, 1, 1), date(2025, 6, 30))
    assert rules.retention_window(6, half, today) == Period(date(2024, 7, 1), date(2024, 12, 31))
    # A period starting 28 February 2025: 29-31 August 2024 + 6 months are 28 February.
    leap = Period(date(2025, 2, 28), date(2025, 3, 31))
    assert rules.retention_window(6, leap, today).start == date(2024, 8, 28)
    # Before the period has begun nothing can have passed.
    assert rules.retention_window(6, period, date(2025, 6, 1)) is None
    # For any start date, in the window exactly when retention counts it.
    for asked, on in (
        (period, today),
        (half, today),
        (leap, today),
        (period, date(2026, 3, 10)),
        (Period(date(2025, 3, 31), date(2025, 8, 31)), date(2025, 8, 30)),
    ):
        for months in (6, 12):
            window = rules.retention_window(months, asked, on)
            day = date(2023, 1, 1)
            while day < date(2027, 1, 1):
                row = p(1, day)
                counted = rules.retention([row], months, asked, on).eligible.count == 1
                listed = window is not None and window.start <= day <= window.end
                assert counted == listed, (asked, on, months, day)
                day += timedelta(days=1)


# --- complementary suppression -----------------------------------------------------------


def test_one_hidden_cell_cannot_be_worked_out_from_the_total():
    # Rows 2, <5 (really 4), 0, 0, 0 and total 6: 6 - 2 = 4 gives the hidden one away.
    values = [2, 4, 0, 0, 0]
    hidden = [False, True, False, False, False]
    flags, total_hidden = rules.complementary(values, hidden, total_hidden=False)
    # The smallest other non-zero cell is hidden too: now 6 - 0 - 0 - 0 = 2 + 4, and
    # which is which cannot be told.
    assert flags == (True, True, False, False, False)
    assert not total_hidden
    shown = sum(v for v, f in zip(values, flags, strict=True) if not f)
    assert 6 - shown != 4
    # Nothing else to hide: the total goes.
    flags, total_hidden = rules.complementary([4, 0, 0], [True, False, False])
    assert flags == (True, False, False) and total_hidden
    # Nothing hidden, or the total hidden already, or two hidden cells: nothing more.
    assert rules.complementary([2, 3], [False, False]) == ((False, False), False)
    assert rules.complementary([2, 4], [False, True], total_hidden=True) == ((False, True), True)
    assert rules.complementary([1, 4, 9], [True, True, False]) == ((True, True, False), False)
    # The second cell is the smallest shown non-zero one (least information lost).
    flags, _ = rules.complementary([30, 3, 7, 0], [False, True, False, False])
    assert flags == (False, True, True, False)


def test_the_part_of_a_period_in_each_year():
    period = Period(date(2025, 6, 1), date(2026, 5, 31))
    assert rules.part_in_year(period, 2025) == Period(date(2025, 6, 1), date(2025, 12, 31))
    assert rules.part_in_year(period, 2026) == Period(date(2026, 1, 1), date(2026, 5, 31))


def m(person: int, on: date, percent: str, org: int = 1) -> Measurement:
    return Measurement(
        participant_id=person, measured_on=on, percent=Decimal(percent), organisations=(org,)
    )


def test_wage_value_growth_is_the_median_change_per_year():
    found = rules.wage_growth(
        [
            # 1: from 40 (the last before 2025) to 50 on 1 Dec 2025: +10 in 365 days.
            m(1, date(2024, 6, 1), "35.0"),
            m(1, date(2024, 12, 1), "40.0"),
            m(1, date(2025, 6, 1), "45.0"),
            m(1, date(2025, 12, 1), "50.0"),
            # 2: 30 -> 33 in 153 days: 3 x 365 / 153 = 7.157 a year.
            m(2, date(2025, 3, 15), "30.0", org=2),
            m(2, date(2025, 8, 15), "33.0", org=2),
            # 3: one measurement: no growth. 4: only after the period.
            m(3, date(2025, 2, 1), "35.0"),
            m(4, date(2024, 2, 1), "35.0"),
            m(4, date(2026, 2, 1), "45.0"),
            # 5: fell from 50 to 45 in half a year: -10 a year (365/181 x -5 = -10.08).
            m(5, date(2025, 1, 1), "50.0"),
            m(5, date(2025, 7, 1), "45.0"),
        ],
        YEAR,
    )
    # Median of -10.08, 7.157 and 10.0 = 7.157 -> 7.2.
    assert found.participants == 3
    assert found.median == Decimal("7.2")
    assert found.buckets == (1, 0, 1, 1)
    assert found.organisations == {1, 2}
    empty = rules.wage_growth([], YEAR)
    assert (empty.participants, empty.median) == (0, None)


def test_places_offered_and_filled_count_each_slot_once():
    places = [
        PlaceRow(id=1, place_type="betaalde_baan", capacity=2),
        PlaceRow(id=3, place_type="betaalde_baan", capacity=1),
        PlaceRow(id=2, place_type="proefplaatsing", capacity=1),
    ]
    paid, trial = rules.places_offered(places, ROWS, YEAR, ["betaalde_baan", "proefplaatsing"])
    # Place 1 ran 1, 2, 3 and 5 in 2025 but has 2 slots; place 3 nothing.
    assert (paid.places, paid.offered, paid.filled.count) == (2, 3, 2)
    assert (trial.offered, trial.filled.count) == (1, 1)
    assert rules.fill_rate(3, 2) == Decimal("66.7")
    assert rules.fill_rate(0, 0) is None


def test_tenants_with_most_scans_first_and_quiet_inactive_ones_left_out():
    lines = rules.tenant_lines(
        [
            {"id": 1, "slug": "a", "name": "A", "active": True},
            {"id": 2, "slug": "b", "name": "B", "active": True},
            {"id": 3, "slug": "c", "name": "C", "active": False},
            {"id": 4, "slug": "d", "name": "D", "active": False},
        ],
        {2: 5, 4: 1},
        {1: 1},
    )
    assert [(line.slug, line.scans, line.leads) for line in lines] == [
        ("b", 5, 0),
        ("d", 1, 0),
        ("a", 0, 1),
    ]


def test_a_chart_is_an_image_with_a_title_and_its_numbers():
    from coop.reports import charts

    svg = charts.bars(
        "Begonnen & beëindigd <per soort>",
        [
            charts.Series("Begonnen", (charts.Bar("Betaalde baan", 4, "4"),)),
            charts.Series("Beëindigd", (charts.Bar("Betaalde baan", None, "< 5"),)),
        ],
        chart_id="grafiek-test",
    )
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'role="img" aria-labelledby="grafiek-test-titel"' in svg
    assert (
        '<title id="grafiek-test-titel">Begonnen &amp; beëindigd &lt;per soort&gt;</title>' in svg
    )
    # The hidden figure has no bar, only its text; the legend has both series.
    assert svg.count('height="18"') == 1 and "&lt; 5" in svg
    assert ">Begonnen<" in svg and ">Beëindigd<" in svg
    # Percentages scale to 100, not to the largest value.
    half = charts.single("Behoud", [charts.Bar("Na 6 maanden", 50, "50%")], scale=100.0)
    assert 'width="204"' in half  # (480 - 72) / 2
