"""The monitor's exports: every table as a semicolon CSV with a BOM (as Excel in the
Netherlands opens it), with the figures of the page; and the cooperative's yearly report
as a PDF with the same figures."""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader

from coop.accounts.roles import Role
from coop.reports.monitor import TABLES
from tests import factories
from tests.factories import login
from tests.web.test_monitor import world  # noqa: F401

PERIOD = "van=2025-01-01&tot=2025-12-31"


def rows_of(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
async def coordinator(client, world):  # noqa: F811
    await login(client, await factories.user(Role.COORDINATOR))
    return client


async def test_every_table_exports_with_its_header(coordinator):
    for table in TABLES:
        r = await coordinator.get(f"/monitor/export/{table}.csv?{PERIOD}")
        assert r.status_code == 200, (table, r.text)
        assert r.headers["content-type"] == "text/csv; charset=utf-8"
        assert f"monitor-{table}-2025-01-01-2025-12-31.csv" in r.headers["content-disposition"]
        assert "no-store" in r.headers["cache-control"]
        rows = rows_of(r.content)
        assert len(rows) >= 2 and all(len(row) == len(rows[0]) for row in rows)
        assert b";" in r.content.split(b"\r\n")[0]


async def test_the_csv_holds_the_figures_of_the_page(coordinator):
    banen = rows_of((await coordinator.get(f"/monitor/export/banen.csv?{PERIOD}")).content)
    assert banen[0] == ["Lid", "Banen 2025"]
    # Decimal comma and no grouping, so a Dutch spreadsheet reads numbers.
    assert ["Bakkerij De Korenaar", "1,34"] in banen
    assert ["Metaal Assen", "0,33"] in banen
    assert banen[-1] == ["Totaal", "1,66"]
    kept = rows_of((await coordinator.get(f"/monitor/export/behoud.csv?{PERIOD}")).content)
    assert kept[0] == ["Mijlpaal", "Plaatsingen met mijlpaal", "Nog aan het werk", "Behoud"]
    assert kept[1] == ["Na 6 maanden", "3", "1", "33,3"]
    wsp = rows_of((await coordinator.get(f"/monitor/export/wsp.csv?{PERIOD}&regio=AM01")).content)
    assert wsp[1] == ["WSP Groningen", "2", "1"]


async def test_an_unknown_table_is_not_found(coordinator):
    for name in ("geheim.csv", "banen.xlsx", "banen", "..%2Fbanen.csv"):
        r = await coordinator.get(f"/monitor/export/{name}")
        assert r.status_code == 404, name


async def test_the_yearly_report_is_a_pdf_with_the_figures(coordinator):
    r = await coordinator.get("/monitor/jaarverslag/2025.pdf")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert 'filename="jaarverslag-2025.pdf"' in r.headers["content-disposition"]
    reader = PdfReader(io.BytesIO(r.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Jaarverslag 2025" in text
    assert "Bakkerij De Korenaar" in text and "1,34" in text
    assert "Behoud na 6 en 12 maanden" in text and "33,3%" in text
    assert reader.metadata.title == "Jaarverslag 2025"
    # A year of the future or before the register: not found.
    assert (await coordinator.get("/monitor/jaarverslag/2999.pdf")).status_code == 404
    assert (await coordinator.get("/monitor/jaarverslag/1999.pdf")).status_code == 404
    assert (await coordinator.get("/monitor/jaarverslag/abcd.pdf")).status_code == 404
