"""The charts' SVG text drawn as whole runs (selfscan.report.svgtext) lands where WeasyPrint's
own letter-by-letter drawing puts it, and the report uses it."""

from __future__ import annotations

import io

import pypdf
import pytest

from selfscan.report import render, svgtext
from selfscan.report.sample import sample_view


@pytest.fixture
def original_afterwards():
    yield
    svgtext.install()  # as the report's renderer leaves it


def _runs(html: str, fast: bool) -> list[tuple[str, float, float]]:
    (svgtext.install if fast else svgtext.uninstall)()
    assert svgtext.installed() is fast
    data = render.html_to_pdf(html)
    runs: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text and text != "\n":
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((text, round(x, 1), round(y, 1)))

    pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize("chart", ["radar", "bars"])
def test_chart_text_starts_where_weasyprints_own_drawing_puts_it(chart, original_afterwards):
    view = sample_view("nl")
    src = getattr(view, chart).src
    html = f'<html lang="nl"><title>t</title><img src="{src}" alt="chart" style="width:170mm">'
    fast = [run for run in _runs(html, fast=True) if run[0].strip()]
    slow = _runs(html, fast=False)
    assert len(fast) >= 12
    # Every run starts where WeasyPrint draws its first letter. WeasyPrint draws no space
    # on its own, so a run that starts with one has its first letter a space further on.
    starts = {(x, y): text[0] for text, x, y in slow}
    for text, x, y in fast:
        if not text.startswith(" "):
            assert starts.get((x, y)) == text[0], (text, x, y)
        else:
            after = [sx for (sx, sy), first in starts.items() if sy == y and first == text[1]]
            assert any(0 < sx - x < 4 for sx in after), (text, x, y, after)
    # The same letters; drawn letter by letter the spaces between words get lost in the text.
    letters = "".join(t for t, _, _ in slow).replace(" ", "")
    assert "".join(t for t, _, _ in fast).replace(" ", "") == letters
    labels = " ".join(t for t, _, _ in fast)
    assert "Betrokkenheid en" in labels or "Betrokkenheid en motivatie" in labels


def test_svg_text_that_places_single_letters_is_left_to_weasyprint(original_afterwards):
    svgtext.install()
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50">'
        '<text x="10 30 50" y="20">abc</text><text x="10" y="40" rotate="10">d</text></svg>'
    )
    node = type("Node", (), {})
    simple = node()
    simple.tag, simple.text, simple.attrib = "text", "abc", {"x": "10", "y": "20"}
    simple.get = lambda name, default=None: simple.attrib.get(name, default)
    assert svgtext._simple(simple)
    for attrib in ({"x": "10 30 50"}, {"rotate": "10"}, {"textLength": "40"}, {"dy": "1,2"}):
        other = node()
        other.tag, other.text, other.attrib = "text", "abc", attrib
        other.get = lambda name, default=None, a=attrib: a.get(name, default)
        assert not svgtext._simple(other)
    import base64

    src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    data = render.html_to_pdf(f'<html lang="en"><title>t</title><img src="{src}" alt="x">')
    assert data.startswith(b"%PDF")


def test_the_renderer_uses_the_fast_path_on_this_weasyprint():
    import weasyprint

    render.html_to_pdf('<html lang="nl"><title>t</title><p>x</p>')
    # Written against WeasyPrint 70: after an upgrade, check svgtext.fast_text against the
    # new weasyprint.svg.text.text and raise FOR_VERSION (reports stay correct meanwhile).
    assert weasyprint.__version__.split(".")[0] == svgtext.FOR_VERSION
    assert svgtext.installed()
