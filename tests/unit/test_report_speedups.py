"""The renderer's speed-ups change how fast a report renders, not what it holds: each line
shaped once (selfscan.report.textreuse), the shortcut for unset properties
(selfscan.report.styles) and inline used lengths (selfscan.report.percentages) each give the
same PDF byte for byte, and deflating at zlib's default level (selfscan.report.compression)
gives a valid PDF with the same text."""

from __future__ import annotations

import io

import pypdf
import pytest
import weasyprint

from selfscan.report import compression, percentages, render, styles, svgtext, textreuse
from selfscan.report.sample import sample_view


@pytest.fixture
def speedups_afterwards():
    yield
    render.install_speedups()  # as the report's renderer leaves them


@pytest.mark.parametrize("speedup", [textreuse, styles, percentages], ids=lambda m: m.__name__)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_each_speedup_gives_the_same_pdf_byte_for_byte(lang, speedup, speedups_afterwards):
    html = render.render_html(sample_view(lang))
    render.install_speedups()
    speedup.uninstall()
    assert not speedup.installed()
    weasyprints_own = render.html_to_pdf(html)
    assert speedup.install()
    assert render.html_to_pdf(html) == weasyprints_own


def test_justified_text_repeated_headers_and_logical_margins_are_the_same_too(
    speedups_afterwards,
):
    # Justified lines get spacing after layout, and a table header repeated on every page
    # draws the same line twice: both take the path that builds the layout anew; so do
    # hyphenated and ellipsed lines. A logical margin and a calc() width take the full
    # style and length functions.
    rows = "".join(
        f"<tr><td>Rij {n} met wat tekst die over de regel loopt</td></tr>" for n in range(90)
    )
    html = (
        '<html lang="nl"><title>t</title><body>'
        '<p style="text-align: justify; width: 60mm">'
        + "Een alinea die uitgevuld wordt, met woorden van ongelijke lengte. " * 6
        + '</p><p style="margin-inline-start: 12mm; width: calc(50% + 10mm)">'
        + "Een alinea met een logische marge en een berekende breedte. " * 3
        + '</p><p style="hyphens: auto; width: 28mm">'
        + "Arbeidsongeschiktheidsverzekering en werkgeversdienstverlening. " * 3
        + '</p><p style="white-space: nowrap; overflow: hidden; text-overflow: ellipsis;'
        ' width: 30mm">Een regel die te lang is en met een beletselteken eindigt</p>'
        + "<table><thead><tr><th>Kop die op elke pagina terugkomt</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></body></html>"
    )
    render.uninstall_speedups()
    weasyprints_own = render.html_to_pdf(html)
    render.install_speedups()
    compression.uninstall()  # the one speed-up that changes the bytes (not what they say)
    assert render.html_to_pdf(html) == weasyprints_own


def test_all_together_give_the_pdf_weasyprint_gives_alone(speedups_afterwards):
    html = render.render_html(sample_view("en"))
    render.uninstall_speedups()
    svgtext.install()  # draws chart labels as runs on purpose: see test_report_svgtext.py
    weasyprints_own = render.html_to_pdf(html)
    render.install_speedups()
    compression.uninstall()
    assert render.html_to_pdf(html) == weasyprints_own


def test_default_deflate_level_keeps_a_valid_pdf_with_the_same_text(speedups_afterwards):
    html = render.render_html(sample_view("nl"))
    render.install_speedups()
    compression.uninstall()
    level_9 = render.html_to_pdf(html)
    assert compression.install()
    level_6 = render.html_to_pdf(html)
    texts = [
        [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]
        for data in (level_9, level_6)
    ]
    assert texts[0] == texts[1]
    assert "/FlateDecode" in level_6.decode("latin-1")
    assert len(level_6) < len(level_9) * 1.1


def test_the_report_renders_with_every_speedup_installed():
    render.html_to_pdf('<html lang="nl"><title>.</title><p>x</p></html>')
    # Written against WeasyPrint 70: after an upgrade, check textreuse (Layout.deactivate
    # and reactivate), styles (ComputedStyle.__missing__) and percentages
    # (layout.percent.resolve_percentages) against the new version, then raise these.
    for speedup in (textreuse, styles, percentages):
        assert weasyprint.__version__.split(".")[0] == speedup.FOR_VERSION
    for speedup in (textreuse, styles, percentages, compression):
        assert speedup.installed(), speedup.__name__
