"""The monitor as one view model: sections, each with a chart and the table of its numbers.

The page, the CSV exports and the yearly report all read the same :class:`Monitor`, so
their figures cannot differ. Every number links to the list behind it where the viewer
may open that list; a figure the small-count rule hides shows "< 5" and says why.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import msgspec

from coop.accounts.principal import Principal
from coop.allocation import texts as allocation_texts
from coop.allocation.rules import ExitReason
from coop.reports import charts, repository, rules
from coop.reports.rules import Group, MonitorQuery, Viewer
from coop.web.i18n import format_date, format_number
from coop.web.i18n import gettext as _
from coop.web.templating import url
from coop.work import rules as work_rules

PLACE_TYPES = tuple(t.value for t in work_rules.PlaceType)
TABLES = ("banen", "plaatsingen", "behoud", "loonwaarde", "uitstroom", "plaatsen", "wsp")
#: Members shown in the chart of banen (all of them are in the table).
CHART_MEMBERS = 10
SUPPRESSED = "< 5"  # a count resting on fewer than five people


def hidden() -> str:
    """What a suppressed figure that is not a count (banen, a share, a median) shows:
    "< 5" next to 1,66 banen would read as "fewer than five banen"."""
    return _("verborgen")


class Cell(msgspec.Struct, frozen=True):
    text: str
    url: str | None = None
    numeric: bool = False
    raw: str | None = None  # what the CSV gets, when it differs from the text
    suppressed: bool = False
    # Hidden only so that a hidden small count cannot be worked out by subtraction.
    complementary: bool = False

    @property
    def csv(self) -> str:
        return self.raw if self.raw is not None else self.text


class FigureTable(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    foot: tuple[tuple[Cell, ...], ...] = ()


class Section(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    title: str
    intro: str
    chart: str
    table: FigureTable
    notes: tuple[str, ...] = ()
    # (text, URL): lists that belong with the section without being behind one figure.
    links: tuple[tuple[str, str], ...] = ()


class Monitor(msgspec.Struct, frozen=True, kw_only=True):
    query: MonitorQuery
    region_name: str | None
    today: dt.date
    sections: tuple[Section, ...]
    any_suppressed: bool

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


# --- formatting --------------------------------------------------------------------------


def _number(value: int) -> str:
    return format_number(value)


def _decimal(value: Decimal, places: int = 2) -> str:
    return format_number(value, places)


def _raw(value: Decimal, places: int = 2) -> str:
    """A CSV number as Dutch spreadsheets read it: decimal comma, no grouping."""
    return f"{value:.{places}f}".replace(".", ",")


class _Context:
    """What every section needs: the query, who looks, and the links' common part."""

    def __init__(self, query: MonitorQuery, viewer: Viewer, today: dt.date) -> None:
        self.query = query
        self.viewer = viewer
        self.today = today
        self.suppressed_any = False

    def placements_url(self, **params: object) -> str:
        return url("/plaatsingen", **{"regio": self.query.region, **params})

    def period_params(self, datum: str) -> dict[str, object]:
        return {
            "datum": datum,
            "van": self.query.period.start.isoformat(),
            "tot": self.query.period.end.isoformat(),
        }

    def count(self, group: Group, link: str | None) -> Cell:
        return self.figure(group.count, group, link)

    def figure(
        self,
        value: int,
        group: Group,
        link: str | None,
        *,
        text: str | None = None,
        raw: str | None = None,
        member_banen: bool = False,
    ) -> Cell:
        if rules.suppressed(
            people=group.people,
            organisations=group.organisations,
            viewer=self.viewer,
            member_banen=member_banen,
        ):
            self.suppressed_any = True
            shown = SUPPRESSED if text is None else hidden()
            return Cell(shown, numeric=True, suppressed=True)
        return Cell(text if text is not None else _number(value), link, numeric=True, raw=raw)


def _conceal(cell: Cell) -> Cell:
    if cell.suppressed:
        return cell
    return Cell(hidden(), numeric=True, raw="", suppressed=True, complementary=True)


def protect(
    cells: list[Cell], values: list[int] | list[Decimal], total: Cell | None
) -> tuple[list[Cell], Cell | None]:
    """Complementary suppression (:func:`rules.complementary`) over one column and its
    total: a hidden cell is never the total minus the shown ones. ``total`` None: the
    column's total is shown elsewhere (treated as shown)."""
    flags, total_hidden = rules.complementary(
        values, [c.suppressed for c in cells], total.suppressed if total is not None else False
    )
    cells = [_conceal(c) if f else c for c, f in zip(cells, flags, strict=True)]
    if total is not None and total_hidden:
        total = _conceal(total)
    return cells, total


def _bar(label: str, cell: Cell, value: float | None) -> charts.Bar:
    return charts.Bar(label, None if cell.suppressed else value, cell.text)


# --- the sections ------------------------------------------------------------------------


def banen_section(
    ctx: _Context,
    counts_by_year: dict[int, dict[int | None, object] | None],
    names: dict[int, str],
) -> Section:
    years = list(counts_by_year)
    counted_years = [y for y, c in counts_by_year.items() if c is not None]
    last = counted_years[-1] if counted_years else None
    lines = rules.banen_lines(counts_by_year)
    own_name = _("Coöperatie (eigen dienst)")

    def name_of(member: int | None) -> str:
        return own_name if member is None else names.get(member, _("Lid %(id)s", id=member))

    lines.sort(
        key=lambda line: (
            line.member_id is None,
            -(line.banen.get(last, Decimal(0)) if last else Decimal(0)),
            name_of(line.member_id).casefold(),
        )
    )

    def year_link(year: int, **params: object) -> str:
        # The part of the period in that year: what the year's column counts.
        part = rules.part_in_year(ctx.query.period, year)
        return ctx.placements_url(
            datum="loopt", van=part.start.isoformat(), tot=part.end.isoformat(), **params
        )

    rows = []
    for line in lines:
        member = line.member_id
        cells = [
            Cell(name_of(member), ctx.placements_url(lid=member) if member is not None else None)
        ]
        for year in years:
            if counts_by_year[year] is None:
                cells.append(Cell("—", numeric=True, raw=""))
                continue
            banen = line.banen.get(year, Decimal(0))
            group = Group(
                count=0, people=line.people.get(year, 0), organisations=frozenset({member})
            )
            cells.append(
                ctx.figure(
                    0,
                    group,
                    year_link(year, lid=member) if member is not None else None,
                    text=_decimal(rules_shown(banen)),
                    raw=_raw(rules_shown(banen)),
                    member_banen=True,
                )
            )
        rows.append(tuple(cells))
    total_cells = [Cell(_("Totaal"))]
    for year in years:
        counts = counts_by_year[year]
        if counts is None:
            total_cells.append(Cell("—", numeric=True, raw=""))
            continue
        banen = sum((getattr(c, "banen", Decimal(0)) for c in counts.values()), Decimal(0))
        group = Group(
            count=0,
            people=rules.people_in_year(counts),
            organisations=frozenset(counts),
        )
        total_cells.append(
            ctx.figure(
                0,
                group,
                year_link(year),
                text=_decimal(rules_shown(banen)),
                raw=_raw(rules_shown(banen)),
            )
        )
    notes = [
        _(
            "Voor %(year)s zijn er geen rekenregels; banen zijn voor dat jaar niet te tellen.",
            year=y,
        )
        for y, c in counts_by_year.items()
        if c is None
    ]
    chart = ""
    if last is not None:
        # The chart shows the members with the most banen in the last counted year.
        column = 1 + years.index(last)
        top = [
            cells
            for line, cells in zip(lines, rows, strict=True)
            if line.member_id is not None and line.banen.get(last, Decimal(0)) > 0
        ][:CHART_MEMBERS]
        if top:
            chart = charts.single(
                _(
                    "Banen per lid in %(year)s, de %(num)s leden met de meeste banen",
                    year=last,
                    num=len(top),
                ),
                [
                    _bar(
                        cells[0].text,
                        cells[column],
                        float(cells[column].raw.replace(",", ".")) if cells[column].raw else None,
                    )
                    for cells in top
                ],
                chart_id="grafiek-banen",
            )
    return Section(
        key="banen",
        title=_("Banen per lid"),
        intro=_(
            "Banen volgens de telling van de banenafspraak: betaalde uren van mensen in het "
            "doelgroepregister, bij het lid dat ze in dienst heeft of inleent; 25,5 uur per "
            "week is één baan. Per kalenderjaar het deel van de periode in dat jaar, geteld "
            "tot en met %(date)s.",
            date=format_date(min(ctx.query.period.end, ctx.today)),
        ),
        chart=chart,
        table=FigureTable(
            key="banen",
            caption=_("Banen per lid en per jaar"),
            header=(_("Lid"), *(_("Banen %(year)s", year=y) for y in years)),
            rows=tuple(rows),
            foot=(tuple(total_cells),),
        ),
        notes=tuple(notes),
    )


def rules_shown(value: Decimal) -> Decimal:
    """Two decimals, as the counting convention shows banen."""
    from coop.banenafspraak.counting import shown

    return shown(value)


def placements_section(ctx: _Context, rows: list[rules.PlacementRow]) -> Section:
    period = ctx.query.period
    lines = rules.by_place_type(rows, period, PLACE_TYPES)
    total = rules.total_by_type(lines, rows, period)
    labels = [work_rules.place_type_label(line.place_type) for line in lines]
    started, total_started = protect(
        [
            ctx.count(
                line.started,
                ctx.placements_url(soort=line.place_type, **ctx.period_params("begin")),
            )
            for line in lines
        ],
        [line.started.count for line in lines],
        ctx.count(total.started, ctx.placements_url(**ctx.period_params("begin"))),
    )
    ended, total_ended = protect(
        [
            ctx.count(
                line.ended, ctx.placements_url(soort=line.place_type, **ctx.period_params("eind"))
            )
            for line in lines
        ],
        [line.ended.count for line in lines],
        ctx.count(total.ended, ctx.placements_url(**ctx.period_params("eind"))),
    )
    table_rows, started_bars, ended_bars = [], [], []
    for line, label, begun, done in zip(lines, labels, started, ended, strict=True):
        table_rows.append((Cell(label), begun, done))
        started_bars.append(_bar(label, begun, line.started.count))
        ended_bars.append(_bar(label, done, line.ended.count))
    assert total_started is not None and total_ended is not None
    foot = (Cell(_("Totaal")), total_started, total_ended)
    return Section(
        key="plaatsingen",
        title=_("Plaatsingen begonnen en beëindigd"),
        intro=_(
            "Plaatsingen die in de periode begonnen (en ook echt liepen) en die in de "
            "periode eindigden, per soort plaats."
        ),
        chart=charts.bars(
            _("Begonnen en beëindigde plaatsingen per soort plaats"),
            [
                charts.Series(_("Begonnen"), tuple(started_bars)),
                charts.Series(_("Beëindigd"), tuple(ended_bars)),
            ],
            chart_id="grafiek-plaatsingen",
        ),
        table=FigureTable(
            key="plaatsingen",
            caption=_("Plaatsingen per soort plaats"),
            header=(_("Soort plaats"), _("Begonnen"), _("Beëindigd")),
            rows=tuple(table_rows),
            foot=(foot,),
        ),
    )


def _percent(value: Decimal | None) -> tuple[str, str]:
    if value is None:
        return "—", ""
    return _("%(value)s%%", value=_decimal(value, 1)), _raw(value, 1)


def retention_section(ctx: _Context, rows: list[rules.PlacementRow]) -> Section:
    table_rows, bars = [], []
    for months in (6, 12):
        found = rules.retention(rows, months, ctx.query.period, ctx.today)
        # The list behind the figure: the placements whose anniversary lies in the
        # period and has passed; behoud=N narrows it to those still at work then.
        window = rules.retention_window(months, ctx.query.period, ctx.today)
        link = kept_link = None
        if window is not None:
            link = ctx.placements_url(
                datum="begin", van=window.start.isoformat(), tot=window.end.isoformat()
            )
            kept_link = ctx.placements_url(
                datum="begin",
                van=window.start.isoformat(),
                tot=window.end.isoformat(),
                behoud=months,
            )
        label = _("Na %(num)s maanden", num=months)
        eligible = ctx.count(found.eligible, link)
        kept = ctx.count(found.retained, kept_link)
        text, raw = _percent(found.share)
        share = ctx.figure(0, found.eligible, None, text=text, raw=raw)
        if kept.suppressed:
            # The share times the placements shown would give the hidden count.
            share = _conceal(share)
        table_rows.append((Cell(label), eligible, kept, share))
        bars.append(_bar(label, share, float(found.share) if found.share is not None else None))
    return Section(
        key="behoud",
        title=_("Behoud na 6 en 12 maanden"),
        intro=_(
            "Van de plaatsingen waarvan de mijlpaal van 6 of 12 maanden in de periode valt "
            "(en al voorbij is): hoeveel er op die dag nog liepen. Ongeveer 70% na 12 "
            "maanden is een realistische referentie voor proefplaatsingen die tot een "
            "contract leidden."
        ),
        chart=charts.single(
            _("Aandeel plaatsingen dat na 6 en na 12 maanden nog loopt, in procenten"),
            bars,
            chart_id="grafiek-behoud",
            scale=100.0,
        ),
        table=FigureTable(
            key="behoud",
            caption=_("Behoud van plaatsingen"),
            header=(
                _("Mijlpaal"),
                _("Plaatsingen met mijlpaal"),
                _("Nog aan het werk"),
                _("Behoud"),
            ),
            rows=tuple(table_rows),
        ),
    )


def _bucket_label(low: Decimal | None, high: Decimal | None) -> str:
    if low is None:
        return _("Gedaald")
    if high is None:
        return _("%(low)s procentpunt of meer", low=_number(int(low)))
    return _("%(low)s tot %(high)s procentpunt", low=_number(int(low)), high=_number(int(high)))


def wage_section(ctx: _Context, measurements: list[rules.Measurement]) -> Section:
    growth = rules.wage_growth(measurements, ctx.query.period)
    # No figure here links to a list: growth is per participant over measurements of
    # several placements, and the placements list cannot select "grew 5 to 10 points".
    # The section links once, saying what that list is, to the placements measured.
    table_rows, bars = [], []
    everyone = Group(
        count=growth.participants, people=growth.participants, organisations=growth.organisations
    )
    labels = [_bucket_label(low, high) for low, high in rules.GROWTH_BUCKETS]
    cells, participants = protect(
        [
            ctx.count(Group(count=n, people=n, organisations=growth.organisations), None)
            for n in growth.buckets
        ],
        list(growth.buckets),
        ctx.count(everyone, None),
    )
    for label, cell, n in zip(labels, cells, growth.buckets, strict=True):
        table_rows.append((Cell(label), cell))
        bars.append(_bar(label, cell, n))
    assert participants is not None
    if growth.median is None:
        median = Cell("—", numeric=True, raw="")
    else:
        median = ctx.figure(
            0,
            everyone,
            None,
            text=_("%(value)s procentpunt", value=_decimal(growth.median, 1)),
            raw=_raw(growth.median, 1),
        )
    foot = (
        (Cell(_("Deelnemers met twee of meer metingen")), participants),
        (Cell(_("Mediane groei per jaar")), median),
    )
    links = (
        (
            _("Plaatsingen met een loonwaardemeting in de periode"),
            ctx.placements_url(**ctx.period_params("loonwaarde")),
        ),
    )
    return Section(
        key="loonwaarde",
        title=_("Groei van de loonwaarde"),
        intro=_(
            "Per deelnemer de verandering van de loonwaarde (in procentpunten van het "
            "minimumloon) tussen de laatste meting voor de periode, of de eerste erin, en de "
            "laatste meting in de periode, omgerekend naar een jaar."
        ),
        chart=charts.single(
            _("Aantal deelnemers per groei van de loonwaarde per jaar"),
            bars,
            chart_id="grafiek-loonwaarde",
        ),
        table=FigureTable(
            key="loonwaarde",
            caption=_("Groei van de loonwaarde per deelnemer, per jaar"),
            header=(_("Groei per jaar"), _("Deelnemers")),
            rows=tuple(table_rows),
            foot=foot,
        ),
        links=links,
    )


def outflow_section(
    ctx: _Context, rows: list[rules.PlacementRow], ended_total: Cell | None = None
) -> Section:
    """``ended_total``: the placements section's total of ended placements, which is this
    column's total too (every ended placement has one reason)."""
    period = ctx.query.period
    reasons = rules.by_exit_reason(rows, period)
    cells, _total = protect(
        [
            ctx.count(group, ctx.placements_url(reden=reason, **ctx.period_params("eind")))
            for reason, group in reasons
        ],
        [group.count for _reason, group in reasons],
        ended_total,
    )
    ended = rules.ended_in(rows, period)
    regular = rules._group(r for r in ended if rules.regular_work(r.exit_reason))
    # The outflow line is the sum of the regular-work reasons: protect those two too.
    regular_at = [i for i, (reason, _g) in enumerate(reasons) if rules.regular_work(reason)]
    parts, regular_cell = protect(
        [cells[i] for i in regular_at],
        [reasons[i][1].count for i in regular_at],
        ctx.count(regular, ctx.placements_url(reden="regulier", **ctx.period_params("eind"))),
    )
    for i, cell in zip(regular_at, parts, strict=True):
        cells[i] = cell
    table_rows, bars = [], []
    for (reason, group), cell in zip(reasons, cells, strict=True):
        label = allocation_texts.exit_reason_label(reason)
        if ExitReason(reason).regular_work:
            label = _("%(reason)s (regulier werk)", reason=label)
        table_rows.append((Cell(label), cell))
        bars.append(_bar(label, cell, group.count))
    assert regular_cell is not None
    foot = ((Cell(_("Uitstroom naar regulier werk")), regular_cell),)
    return Section(
        key="uitstroom",
        title=_("Uitstroom naar regulier werk"),
        intro=_(
            "Plaatsingen die in de periode eindigden, naar de reden van het einde. Een vast "
            "contract bij het lid en regulier werk elders tellen als uitstroom naar regulier "
            "werk."
        ),
        chart=charts.single(
            _("Beëindigde plaatsingen per reden van het einde"), bars, chart_id="grafiek-uitstroom"
        ),
        table=FigureTable(
            key="uitstroom",
            caption=_("Beëindigde plaatsingen per reden"),
            header=(_("Reden van het einde"), _("Plaatsingen")),
            rows=tuple(table_rows),
            foot=foot,
        ),
    )


def places_section(
    ctx: _Context, places: list[rules.PlaceRow], rows: list[rules.PlacementRow]
) -> Section:
    period = ctx.query.period
    lines = rules.places_offered(places, rows, period, PLACE_TYPES)

    def places_link(**params: object) -> str:
        # The places open at some time in the period, in the region: what is counted.
        return url(
            "/werk/plaatsen",
            **params,
            van=period.start.isoformat(),
            tot=period.end.isoformat(),
            regio=ctx.query.region,
        )

    total_filled = Group(
        count=sum(line.filled.count for line in lines),
        people=sum(line.filled.people for line in lines),
        organisations=frozenset(o for line in lines for o in line.filled.organisations),
    )
    # "Vervuld" has no link: a place used twice in a row fills its slot once, so the
    # placements that ran there are more than the slots counted. "Aangeboden" neither:
    # slots are not rows of a list; "Plaatsen" links to the places that offer them.
    filled_cells, total_cell = protect(
        [ctx.count(line.filled, None) for line in lines],
        [line.filled.count for line in lines],
        ctx.count(total_filled, None),
    )
    assert total_cell is not None
    table_rows, offered_bars, filled_bars = [], [], []
    for line, filled in zip(lines, filled_cells, strict=True):
        label = work_rules.place_type_label(line.place_type)
        link = places_link(soort=line.place_type)
        # Slots are not rows of a list: only the number of places links to them.
        offered = Cell(_number(line.offered), numeric=True)
        rate_text, rate_raw = _percent(rules.fill_rate(line.offered, line.filled.count))
        rate = (
            Cell(hidden(), numeric=True, suppressed=True)
            if filled.suppressed
            else Cell(rate_text, numeric=True, raw=rate_raw)
        )
        table_rows.append(
            (
                Cell(label),
                Cell(_number(line.places), link, numeric=True),
                offered,
                filled,
                rate,
            )
        )
        offered_bars.append(_bar(label, offered, line.offered))
        filled_bars.append(_bar(label, filled, line.filled.count))
    total_offered = sum(line.offered for line in lines)
    filled = total_cell
    rate_text, rate_raw = _percent(rules.fill_rate(total_offered, total_filled.count))
    foot = (
        (
            Cell(_("Totaal")),
            Cell(_number(sum(line.places for line in lines)), places_link(), numeric=True),
            Cell(_number(total_offered), numeric=True),
            filled,
            Cell(hidden(), numeric=True, suppressed=True)
            if filled.suppressed
            else Cell(rate_text, numeric=True, raw=rate_raw),
        ),
    )
    return Section(
        key="plaatsen",
        title=_("Plaatsen aangeboden en vervuld"),
        intro=_(
            "Plekken (de capaciteit) van plaatsen die in de periode openstonden, en hoeveel "
            "daarvan een plaatsing gebruikte die in de periode liep."
        ),
        chart=charts.bars(
            _("Aangeboden en vervulde plekken per soort plaats"),
            [
                charts.Series(_("Aangeboden"), tuple(offered_bars)),
                charts.Series(_("Vervuld"), tuple(filled_bars)),
            ],
            chart_id="grafiek-plaatsen",
        ),
        table=FigureTable(
            key="plaatsen",
            caption=_("Plaatsen en hun plekken per soort plaats"),
            header=(
                _("Soort plaats"),
                _("Plaatsen"),
                _("Aangeboden"),
                _("Vervuld"),
                _("Bezetting"),
            ),
            rows=tuple(table_rows),
            foot=foot,
        ),
    )


def wsp_section(ctx: _Context, lines: list[rules.TenantLine]) -> Section:
    # The WSP pages are for admins (and the WSP itself); coordinators get the numbers.
    linked = ctx.viewer.role == "admin"
    table_rows, scan_bars, lead_bars = [], [], []
    for line in lines:
        scans = Cell(
            _number(line.scans),
            url(f"/wsp/{line.slug}/dashboard") if linked else None,
            numeric=True,
        )
        leads = Cell(
            _number(line.leads), url(f"/wsp/{line.slug}/leads") if linked else None, numeric=True
        )
        table_rows.append((Cell(line.name), scans, leads))
        scan_bars.append(charts.Bar(line.name, line.scans, scans.text))
        lead_bars.append(charts.Bar(line.name, line.leads, leads.text))
    foot = (
        (
            Cell(_("Totaal")),
            Cell(_number(sum(line.scans for line in lines)), numeric=True),
            Cell(_number(sum(line.leads for line in lines)), numeric=True),
        ),
    )
    return Section(
        key="wsp",
        title=_("Scans en leads per werkgeversservicepunt"),
        intro=_(
            "Ingevulde zelfscans en werkgevers die daarna contact vroegen (leads), per "
            "werkgeversservicepunt, in de periode."
        ),
        chart=charts.bars(
            _("Ingevulde scans en leads per werkgeversservicepunt"),
            [
                charts.Series(_("Scans"), tuple(scan_bars)),
                charts.Series(_("Leads"), tuple(lead_bars)),
            ],
            chart_id="grafiek-wsp",
        )
        if lines
        else "",
        table=FigureTable(
            key="wsp",
            caption=_("Scans en leads per werkgeversservicepunt"),
            header=(_("Werkgeversservicepunt"), _("Ingevulde scans"), _("Leads")),
            rows=tuple(table_rows),
            foot=foot,
        ),
    )


async def build(
    query: MonitorQuery,
    viewer: Viewer,
    today: dt.date,
    actor: Principal | None = None,
    *,
    client_ip: str = "",
) -> Monitor:
    """Every section of the monitor, in a fixed number of queries. ``actor``: who asks
    (the count's read of the register is audited for them, from ``client_ip``)."""
    from coop.reference import regions

    ctx = _Context(query, viewer, today)
    counts = await repository.banen_counts(query, today, actor, client_ip)
    member_ids = {m for c in counts.values() if c for m in c}
    names = await repository.organisation_names(member_ids)
    rows = await repository.placements(query, with_members=viewer.role != "coordinator")
    measurements = await repository.measurements(query, {r.id: r.organisations for r in rows})
    places = await repository.places(query)
    tenants = await repository.tenants(query)
    lines = rules.tenant_lines(
        tenants,
        await repository.scans_per_tenant(query) if tenants else {},
        await repository.leads_per_tenant(query) if tenants else {},
    )
    placed = placements_section(ctx, rows)
    sections = (
        banen_section(ctx, counts, names),  # type: ignore[arg-type]
        placed,
        retention_section(ctx, rows),
        wage_section(ctx, measurements),
        outflow_section(ctx, rows, placed.table.foot[0][2]),
        places_section(ctx, places, rows),
        wsp_section(ctx, lines),
    )
    region = regions.region(query.region)
    return Monitor(
        query=query,
        region_name=region.name if region else None,
        today=today,
        sections=sections,
        any_suppressed=ctx.suppressed_any,
    )
