"""The rendered PDF: tagged PDF/UA-1 with language and metadata, A4, fonts embedded, and
the texts and figures of the view model (read back with pypdf)."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from selfscan.report import render
from selfscan.report.sample import sample_view


def _pdf(lang: str) -> tuple[object, bytes]:
    view = sample_view(lang)
    return view, render.html_to_pdf(render.render_html(view))


@pytest.fixture(scope="module")
def nl_pdf():
    return _pdf("nl")


def text_of(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_is_tagged_pdf_ua_with_language_title_and_metadata(nl_pdf):
    view, data = nl_pdf
    reader = pypdf.PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfuaid:part(>|=\")1", xmp), xmp
    info = reader.metadata
    assert info.title == view.title
    assert info.author == view.brand.name


def test_pdf_is_a4_with_the_report_fonts_embedded(nl_pdf):
    _, data = nl_pdf
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert 7 <= len(reader.pages) <= 12
    for page in reader.pages:
        box = page.mediabox
        assert round(float(box.width) / 72 * 25.4) == 210
        assert round(float(box.height) / 72 * 25.4) == 297
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None:
                    descriptor = descriptor.get_object()
                    fonts[str(descriptor["/FontName"])] = any(
                        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                    )
    assert any("Source-Sans-Pro" in name for name in fonts), fonts
    assert not any("DejaVu" in name for name in fonts), fonts
    assert fonts and all(fonts.values()), f"not embedded: {fonts}"


def test_pdf_text_holds_every_theme_and_score(nl_pdf):
    view, data = nl_pdf
    text = " ".join(text_of(data).split())
    for theme in view.themes:
        assert theme.title in text or theme.title.split()[0] in text
        assert theme.score in text
    assert view.overall in text and view.level_label in text
    assert view.organisation in text
    for word in ("Samenvatting", "Actieplan", "Verantwoording", "pagina 2 van"):
        assert word in text


def test_english_report_is_in_english():
    view, data = _pdf("en")
    text = " ".join(text_of(data).split())
    root = pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert root["/Lang"] == "en"
    for word in ("Summary", "Action plan", "About this report", "page 2 of"):
        assert word in text
    assert view.themes[0].score in text and "." in view.themes[0].score


def test_charts_are_tagged_figures_with_their_figures_in_the_alternative_text(nl_pdf):
    view, data = nl_pdf
    root = pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]
    figures: list[str] = []

    def walk(node) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, pypdf.generic.ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if node.get("/S") == "/Figure":
                figures.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node["/K"])

    walk(root["/StructTreeRoot"])
    # The tenant's logo on the cover, and the two charts.
    assert figures[0] == f"Logo van {view.brand.name}"
    charts = figures[1:]
    assert len(charts) == 2
    for alt in charts:
        for theme in view.themes:
            assert f"{theme.title}: {theme.score}" in alt


def test_every_page_after_the_cover_has_running_headers_and_a_page_number(nl_pdf):
    view, data = nl_pdf
    reader = pypdf.PdfReader(io.BytesIO(data))
    total = len(reader.pages)
    cover = " ".join(reader.pages[0].extract_text().split())
    assert f"van {total}" not in cover  # the cover has no header or footer
    for number, page in enumerate(reader.pages[1:], start=2):
        text = " ".join(page.extract_text().split())
        assert view.brand.name in text
        assert f"Zelfscan inclusief werkgeverschap · {view.organisation}" in text
        assert f"pagina {number} van {total}" in text


def test_without_an_organisation_the_header_has_only_the_title():
    view = sample_view("nl", organisation=None)
    reader = pypdf.PdfReader(io.BytesIO(render.html_to_pdf(render.render_html(view))))
    text = " ".join(reader.pages[2].extract_text().split())
    assert "Zelfscan inclusief werkgeverschap" in text
    assert "Zelfscan inclusief werkgeverschap ·" not in text
