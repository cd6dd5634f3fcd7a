"""The monitor's pages: the figures, their CSV exports and the yearly report.

    GET /monitor?van=YYYY-MM-DD&tot=YYYY-MM-DD&regio=AMxx    the monitor (default: this year)
    GET /monitor/export/{table}.csv?van=&tot=&regio=         one table, semicolon CSV
    GET /monitor/jaarverslag/{year}.pdf                      the cooperative's yearly report

Who: coordinators see every figure; admins see the same monitor with the small-count
rule applied (they see no participant data, and a figure resting on one to four people of
several members is participant data). Members and WSP users: 403, as for every back-office
page; a member's own figures are on its own dashboard.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import msgspec
from litestar import Controller, MediaType, Request, Response, get
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Stream, Template

import regulations
from coop.accounts.auth import provide_principal, requires
from coop.accounts.login import client_ip
from coop.accounts.principal import Principal
from coop.accounts.roles import Role
from coop.errors import NotFound
from coop.members.csv_io import cell as csv_cell
from coop.reference import regions
from coop.reports import monitor, rules
from coop.reports.rules import MonitorQuery, Viewer
from coop.web.i18n import current_language, format_date, ngettext
from coop.web.i18n import gettext as _
from coop.web.templating import url

BASE = "/monitor"
# The figures are about people placed through the cooperative: keep them out of caches.
NO_STORE = CacheControlHeader(no_store=True)
_CSV_NAME = re.compile(r"^([a-z]+)\.csv$")
_PDF_NAME = re.compile(r"^(\d{4})\.pdf$")


def today() -> date:
    return date.today()


def viewer_of(principal: Principal) -> Viewer:
    return Viewer(role=principal.role.value, organisation_id=principal.organisation_id)


def _messages() -> rules.Messages:
    return rules.Messages(
        bad_date=_("Vul een datum in als jaar-maand-dag, bijvoorbeeld 2026-01-01."),
        bad_end_date=_("Vul een datum in als jaar-maand-dag, bijvoorbeeld 2026-12-31."),
        end_before_start=_("De einddatum ligt voor de begindatum."),
        too_long=_("Kies een periode van hoogstens tien jaar."),
        unknown_region=_("Kies een arbeidsmarktregio uit de lijst."),
        out_of_range=_("Kies een datum tussen 2000 en 2100."),
    )


def parse(
    request: Request[Any, Any, Any],
) -> tuple[MonitorQuery | None, dict[str, str], dict[str, str]]:
    params = {k: request.query_params.get(k) or "" for k in ("van", "tot", "regio")}
    return rules.parse_query(
        params,
        today=today(),
        regions={r.code for r in regions.regions()},
        messages=_messages(),
    )


def _region_options() -> list[tuple[str, str]]:
    return [(r.code, f"{r.name} ({r.code})") for r in regions.regions()]


def _page(
    values: dict[str, str],
    errors: dict[str, str],
    figures: monitor.Monitor | None,
    status: int = 200,
) -> Template:
    exports = (
        {key: url(f"{BASE}/export/{key}.csv", **figures.query.params()) for key in monitor.TABLES}
        if figures
        else {}
    )
    years = (
        sorted({figures.query.period.start.year, figures.query.period.end.year}) if figures else []
    )
    return Template(
        "reports/monitor.html",
        context={
            "values": values,
            "errors": errors,
            "figures": figures,
            "region_options": _region_options(),
            "exports": exports,
            "reports": [
                (y, url(f"{BASE}/jaarverslag/{y}.pdf", regio=figures.query.region))
                for y in years
                if y <= today().year and y in regulations.available_years()
            ]
            if figures
            else [],
        },
        status_code=status,
        media_type=MediaType.HTML,
    )


def csv_lines(table: monitor.FigureTable) -> AsyncIterator[str]:
    async def lines() -> AsyncIterator[str]:
        # Excel in the Netherlands opens a semicolon-separated UTF-8 file with a BOM
        # straight into columns (the same format as the other exports).
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow([csv_cell(h) for h in table.header])
        for row in (*table.rows, *table.foot):
            writer.writerow([csv_cell(c.csv) for c in row])
        yield "\ufeff" + buffer.getvalue()

    return lines()


class MonitorController(Controller):
    path = BASE
    include_in_schema = False
    guards = [requires(Role.COORDINATOR, Role.ADMIN)]
    dependencies = {"principal": Provide(provide_principal)}

    @get("/", name="reports.monitor", media_type=MediaType.HTML, cache_control=NO_STORE)
    async def page(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> Template:
        query, errors, values = parse(request)
        if query is None:
            return _page(values, errors, None, 400)
        figures = await monitor.build(
            query, viewer_of(principal), today(), principal, client_ip=client_ip(request)
        )
        return _page(values, {}, figures)

    @get("/export/{name:str}", name="reports.export", cache_control=NO_STORE)
    async def export(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        name: FromPath[str],
    ) -> Template | Stream:
        match = _CSV_NAME.match(name)
        if not match or match.group(1) not in monitor.TABLES:
            raise NotFound(code="table_not_found")
        query, errors, values = parse(request)
        if query is None:
            return _page(values, errors, None, 400)
        figures = await monitor.build(
            query, viewer_of(principal), today(), principal, client_ip=client_ip(request)
        )
        table = figures.section(match.group(1)).table
        region = f"-{query.region}" if query.region else ""
        filename = (
            f"monitor-{table.key}-{query.period.start.isoformat()}-"
            f"{query.period.end.isoformat()}{region}.csv"
        )
        return Stream(
            csv_lines(table),
            media_type="text/csv",  # Litestar adds "; charset=utf-8"
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
            },
        )

    @get("/jaarverslag/{name:str}", name="reports.yearly", media_type="application/pdf")
    async def yearly_report(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        name: FromPath[str],
    ) -> Response[Any]:
        from coop.documents import service as documents

        match = _PDF_NAME.match(name)
        year = int(match.group(1)) if match else 0
        if not 2000 <= year <= 2100:
            raise NotFound(code="year_not_found")
        check_year(year, today())
        code = (request.query_params.get("regio") or "").strip()
        region = regions.region(code) if code else None
        if code and region is None:
            raise NotFound(_("Kies een arbeidsmarktregio uit de lijst."), code="region_not_found")
        query = MonitorQuery(rules.calendar_year(year), region.code if region else None)
        figures = await monitor.build(
            query, viewer_of(principal), today(), principal, client_ip=client_ip(request)
        )
        lang = current_language.get()
        title = (
            _("Jaarverslag %(year)s, regio %(region)s", year=year, region=region.name)
            if region
            else _("Jaarverslag %(year)s", year=year)
        )
        try:
            pdf = await documents.render_document(
                request.app,
                "jaarverslag.html",
                yearly_context(figures, year, title),
                lang=lang,
                title=title,
            )
        except documents.RenderError as exc:
            return documents.unavailable(request, exc)
        suffix = f"-{region.code}" if region else ""
        return documents.pdf_response(pdf, f"jaarverslag-{year}{suffix}.pdf")


def check_year(year: int, on: date) -> None:
    """As the member statement: a year that has not begun, or has no rule table (its banen
    cannot be counted), has no yearly report; NotFound with a detail that says why."""
    if year > on.year:
        raise NotFound(
            _("Het jaar %(year)s is nog niet begonnen; er is nog geen jaarverslag.", year=year),
            code="year_not_started",
        )
    if year not in regulations.available_years():
        raise NotFound(
            _(
                "Voor %(year)s zijn geen rekenregels van de banenafspraak vastgelegd, dus er "
                "is geen jaarverslag. Jaarverslagen zijn er voor: %(years)s.",
                year=year,
                years=", ".join(str(y) for y in regulations.available_years() if y <= on.year),
            ),
            code="year_without_rules",
        )


def yearly_context(figures: monitor.Monitor, year: int, title: str = "") -> dict[str, Any]:
    """Plain data for the PDF worker: the sections as dicts, the charts as SVG text."""
    from coop.documents.service import COOPERATIVE_NAME

    complete = figures.query.period.end <= figures.today
    return {
        "year": year,
        "heading": title or _("Jaarverslag %(year)s", year=year),
        "region_name": figures.region_name,
        "issuer": COOPERATIVE_NAME,
        "computed_on": figures.today,
        "complete_year": complete,
        "as_of": min(figures.query.period.end, figures.today),
        "as_of_text": format_date(min(figures.query.period.end, figures.today)),
        "any_suppressed": figures.any_suppressed,
        "key_figures": key_figures(figures),
        "sections": msgspec.to_builtins(figures.sections),
    }


def key_figures(figures: monitor.Monitor) -> list[dict[str, str]]:
    """The yearly report's opening figures, taken from the sections' own tables."""
    banen = figures.section("banen").table.foot[0][-1]
    placed = figures.section("plaatsingen").table.foot[0]
    _label, eligible, kept, twelve = figures.section("behoud").table.rows[-1]
    outflow = figures.section("uitstroom").table.foot[0][-1]
    if twelve.suppressed or eligible.suppressed or kept.suppressed or twelve.text == "—":
        retention = {"value": twelve.text, "label": _("nog aan het werk na 12 maanden")}
    else:
        # A share alone hides how few it rests on ("100%" of one placement): the counts
        # go beside it, and below five placements they replace it.
        number = int(re.sub(r"\D", "", eligible.csv) or 0)
        counts = _("%(kept)s van %(num)s", kept=kept.text, num=eligible.text)
        if number < rules.SMALL_COUNT:
            retention = {
                "value": counts,
                "label": ngettext(
                    "plaatsing nog aan het werk na 12 maanden",
                    "plaatsingen nog aan het werk na 12 maanden",
                    number,
                ),
            }
        else:
            retention = {
                "value": twelve.text,
                "label": _(
                    "nog aan het werk na 12 maanden (%(counts)s plaatsingen)", counts=counts
                ),
            }
    return [
        {"value": banen.text, "label": _("banen bij de leden en de coöperatie")},
        {"value": placed[1].text, "label": _("plaatsingen begonnen")},
        {"value": placed[2].text, "label": _("plaatsingen beëindigd")},
        retention,
        {"value": outflow.text, "label": _("uitgestroomd naar regulier werk")},
    ]
