"""GET /bijdrage/{year}/verklaring.pdf and /beheer/leden/{id}/bijdrage/{year}/verklaring.pdf:
the yearly contribution statement, rendered on the scan report's worker pool as a tagged
PDF/UA-1 with embedded fonts; the figures are ``member_figures`` of real placements;
another organisation's member is a 404; a year without a statement is a clear 404, never
a 500; a render that cannot be done now is a 503 with Retry-After.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf
import pytest

from coop.accounts.roles import Role
from coop.members.tables import Organisation
from selfscan.report import service as report_service
from tests import factories
from tests.web.test_member_dashboard import (
    TODAY,
    expected,
    logged_in,
    make_place,
    make_placement,
    shown,
)

LAST_YEAR = TODAY.year - 1


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def fonts_of(reader: pypdf.PdfReader) -> list[dict]:
    found = []
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                found.append(descendant.get_object())
    return found


@pytest.fixture
async def world(migrated):
    bakery = await factories.organisation("Bakkerij De Korenaar <b>&</b>")
    await Organisation.update(
        {
            Organisation.kvk_number: "12345678",
            Organisation.street_address: "Markt 12",
            Organisation.postcode: "9401 GS",
            Organisation.city: "Assen",
        }
    ).where(Organisation.id == bakery)
    garage = await factories.organisation("Garage Assen")
    place = await make_place(bakery)
    # A whole year at 25.5 h: 25.5 / 25.5 × 365 / 365 = 1.00 baan, 1,331 hours.
    await make_placement(place, start=dt.date(LAST_YEAR, 1, 1), end=dt.date(LAST_YEAR, 12, 31))
    # Half the hours from 1 July: 12.75 / 25.5 × 184 / 365 = 0.252 → 0.25 baan.
    await make_placement(
        place,
        start=dt.date(LAST_YEAR, 7, 1),
        end=dt.date(LAST_YEAR, 12, 31),
        hours=12.75,
        last_name="Geheimnaam",
        email="geheim@example.nl",
    )
    return {"bakery": bakery, "garage": garage}


async def test_a_member_downloads_its_statement_with_its_figures(client, world):
    await logged_in(client, Role.MEMBER, world["bakery"])
    response = await client.get(f"/bijdrage/{LAST_YEAR}/verklaring.pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="bijdrageverklaring-bakkerij-de-korenaar-b-b-{LAST_YEAR}.pdf"'
    )
    assert "no-store" in response.headers["cache-control"]

    figures = await expected(world["bakery"], LAST_YEAR)
    assert str(figures.banen) == "1.25"  # 1.00 + 0.252 (summed unrounded)
    text = pdf_text(response.content)
    assert "Bakkerij De Korenaar <b>&</b>" in text  # escaped in HTML, shown as typed
    assert "12345678" in text and "Markt 12" in text
    assert str(LAST_YEAR) in text
    assert shown(figures.banen) in text and shown(figures.paid_hours) in text
    for line in figures.placements:
        assert line.participant_code in text
    assert "Geheimnaam" not in text and "Sanne" not in text  # codes only, never names
    assert "Coöperatie Inclusief Werk" in text
    assert f"Opgesteld door Coöperatie Inclusief Werk op {TODAY.day}" in text
    assert "Pagina 1 van" in text

    reader = pypdf.PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfuaid:part(>|=\")1", xmp)
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == (
        f"Bijdrageverklaring banenafspraak {LAST_YEAR} – Bakkerij De Korenaar <b>&</b>"
    )
    assert len(reader.pages) <= 2
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    fonts = fonts_of(reader)
    assert fonts
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
        assert "Source-Sans-Pro" in str(font["/BaseFont"])  # the shipped font


async def test_the_language_of_the_request_is_the_language_of_the_pdf(client, world):
    await logged_in(client, Role.MEMBER, world["bakery"])
    response = await client.get(f"/bijdrage/{LAST_YEAR}/verklaring.pdf?lang=en")
    assert response.status_code == 200
    assert pypdf.PdfReader(io.BytesIO(response.content)).trailer["/Root"]["/Lang"] == "en"
    figures = await expected(world["bakery"], LAST_YEAR)
    assert f"{figures.banen:.2f}" in pdf_text(response.content)  # English decimals: 1.25
    # An English statement has an English file name.
    assert response.headers["content-disposition"] == (
        f'attachment; filename="contribution-statement-bakkerij-de-korenaar-b-b-{LAST_YEAR}.pdf"'
    )


async def test_coordinators_get_any_members_statement_and_members_only_their_own(client, world):
    await logged_in(client, Role.COORDINATOR)
    url = f"/beheer/leden/{world['bakery']}/bijdrage/{LAST_YEAR}/verklaring.pdf"
    response = await client.get(url)
    assert response.status_code == 200
    assert "Bakkerij De Korenaar" in pdf_text(response.content)
    assert (
        await client.get(f"/beheer/leden/999999/bijdrage/{LAST_YEAR}/verklaring.pdf")
    ).status_code == 404


async def test_another_organisations_statement_is_not_found(client, world):
    await logged_in(client, Role.MEMBER, world["garage"])
    url = f"/beheer/leden/{world['bakery']}/bijdrage/{LAST_YEAR}/verklaring.pdf"
    response = await client.get(url)
    assert response.status_code == 404
    assert "Bakkerij" not in response.text
    # Its own statement holds only its own (empty) figures.
    own = await client.get(f"/bijdrage/{LAST_YEAR}/verklaring.pdf")
    text = pdf_text(own.content)
    assert "Garage Assen" in text and "Bakkerij" not in text and "0,00" in text


async def test_a_year_without_a_statement_is_a_clear_error_never_a_500(client, world):
    await logged_in(client, Role.MEMBER, world["bakery"])
    no_rules = await client.get("/bijdrage/2019/verklaring.pdf")
    assert no_rules.status_code == 404
    assert "Voor 2019 zijn geen rekenregels" in no_rules.text
    future = await client.get(f"/bijdrage/{TODAY.year + 1}/verklaring.pdf")
    assert future.status_code == 404
    assert "nog niet begonnen" in future.text
    for path in (
        "/bijdrage/twintig/verklaring.pdf",
        "/bijdrage/99999999999999999999/verklaring.pdf",
        "/bijdrage/-1/verklaring.pdf",
        "/bijdrage/0/verklaring.pdf",
    ):
        response = await client.get(path)
        assert 400 <= response.status_code < 500, (path, response.status_code)


async def test_a_render_past_its_time_limit_is_a_503_with_retry_after(client, world, monkeypatch):
    await logged_in(client, Role.MEMBER, world["bakery"])
    pool = report_service.runtime_of(client.app).pool
    monkeypatch.setattr(pool, "time_limit_s", 0.001)
    response = await client.get(f"/bijdrage/{LAST_YEAR}/verklaring.pdf")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "30"
    assert "kan nu niet worden gemaakt" in response.text


def test_the_pool_answers_large_results_under_uvloop():
    """`coop serve` runs on uvloop, whose add_reader leaves the worker's pipe non-blocking:
    a result written in parts (a PDF above 16 KiB) then failed as "the render worker died"
    unless the pool makes the pipe blocking again (selfscan.report.pool._readable)."""
    import os

    import uvloop

    from selfscan.report.pool import RenderPool

    async def run() -> list[int]:
        pool = RenderPool(1, warm=False)
        try:
            return [len(await pool.run(os.urandom, 2_000_000)) for _ in range(3)]
        finally:
            await pool.close()

    assert uvloop.run(run()) == [2_000_000] * 3


async def test_a_document_context_holds_plain_data_only(client):
    """Anything but plain data is refused before it reaches a worker, naming the field."""
    from coop.documents.service import render_document
    from coop.members.tables import Organisation as Table

    with pytest.raises(TypeError, match=r"context\.rows\[0\]: .*got Organisation"):
        await render_document(
            client.app, "statement.html", {"rows": [Table()]}, lang="nl", title="x"
        )


async def test_a_zero_line_says_why_it_counts_zero(client, world):
    trial = await make_place(
        world["bakery"], place_type="proefplaatsing", employment_model="d", title="Proefplaats"
    )
    await make_placement(
        trial,
        start=dt.date(LAST_YEAR, 3, 1),
        end=dt.date(LAST_YEAR, 5, 31),
        model="d",
        email="proef@example.nl",
    )
    # Minimum wage only with a provision: 0,00 banen, but it counts for the quota.
    await make_placement(
        await make_place(world["bakery"], title="Magazijn"),
        start=dt.date(LAST_YEAR, 2, 1),
        end=dt.date(LAST_YEAR, 12, 31),
        register_provision=True,
        email="voorziening@example.nl",
    )
    await logged_in(client, Role.MEMBER, world["bakery"])
    text = pdf_text((await client.get(f"/bijdrage/{LAST_YEAR}/verklaring.pdf")).content)
    assert "telt niet: onbetaald" in " ".join(text.split())
    assert "alleen voor het quotum: voorziening" in " ".join(text.split())
