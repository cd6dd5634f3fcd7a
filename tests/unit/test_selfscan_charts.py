"""The SVG charts: well-formed, accessible (title, desc, every figure in words), readable in
black and white (numbers and words, dashes for peers), and free of CSS and script."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfscan import questionnaires
from selfscan.scans import charts
from selfscan.scans.charts import ChartTheme, Legend

SVG = "{http://www.w3.org/2000/svg}"
LEGEND = Legend(
    own="Uw organisatie",
    peers="Gemiddelde van vergelijkbare organisaties",
    bands=("laag", "midden", "hoog"),
)
BANDS = {"low": "laag", "middle": "midden", "high": "hoog"}


def theme(label: str, score: float, peer: float | None = None) -> ChartTheme:
    band = "low" if score < 40 else ("middle" if score <= 70 else "high")
    return ChartTheme(label=label, score=score, band=band, band_label=BANDS[band], peer=peer)


THEMES = [
    theme(t.title.nl, score)
    for t, score in zip(
        questionnaires.current().themes,
        (63.3, 20.0, 100.0, 0.0, 45.5, 70.0, 71.2, 39.9),
        strict=True,
    )
]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> str:
    """Every line of text in the chart, one per <text> or <tspan>, separated by spaces."""
    lines = []
    for node in root.iter():
        if node.tag in (f"{SVG}text", f"{SVG}tspan") and node.text and node.text.strip():
            lines.append(node.text.strip())
    return " ".join(lines)


def assert_accessible(root: ET.Element, title: str) -> str:
    """role=img, labelled by its own title and desc; returns the desc."""
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby").split()
    found = {node.get("id"): node for node in root.iter() if node.get("id")}
    assert ids == [ids[0], ids[1]] and set(ids) <= set(found)
    assert found[ids[0]].tag == f"{SVG}title" and found[ids[0]].text == title
    assert found[ids[1]].tag == f"{SVG}desc"
    return found[ids[1]].text


def assert_no_css_or_script(svg: str) -> None:
    """No style attribute or element, no script, no event handler, no broken number."""
    root = parse(svg)
    for node in root.iter():
        assert node.tag.removeprefix(SVG) not in ("script", "style", "foreignObject", "a")
        for name, value in node.attrib.items():
            assert name != "style" and not name.lower().startswith("on"), name
            assert "nan" not in value.lower() and "inf" not in value.lower(), (name, value)


# --- radar ---------------------------------------------------------------------------------


def test_the_radar_is_accessible_and_lists_every_figure():
    svg = charts.radar(THEMES, title="Uw scores per thema", legend=LEGEND, lang="nl")
    assert_no_css_or_script(svg)
    root = parse(svg)
    desc = assert_accessible(root, "Uw scores per thema")
    for item in THEMES:
        assert item.label in desc
    assert "Betrokkenheid en motivatie: 63,3 (midden)" in desc
    assert "71,2 (hoog)" in desc and "39,9 (laag)" in desc
    shown = texts(root)
    for value in ("63,3", "20,0", "100,0", "0,0", "45,5"):
        assert value in shown  # every score is written beside its point
    assert "Uw organisatie" in shown
    assert LEGEND.peers not in shown  # no peers, no peer legend
    assert "stroke-dasharray" not in svg


def test_characters_xml_does_not_allow_are_left_out():
    themes = [theme("a\x01b", 1), theme("c", 2), theme("d", 3)]
    svg = charts.radar(themes, title="t\x00", legend=LEGEND)
    root = parse(svg)
    assert "ab" in texts(root) and "\x00" not in svg


def test_english_numbers_and_escaped_labels():
    themes = [theme("R&D <lab>", 12.5), theme('"Quoted"', 50), theme("Third", 75)]
    svg = charts.radar(themes, title="Scores & more", legend=LEGEND, lang="en")
    root = parse(svg)  # parses, so everything is escaped
    assert "R&D <lab>" in texts(root)
    assert "12.5" in texts(root)
    assert assert_accessible(root, "Scores & more").startswith("R&D <lab>: 12.5 (laag)")


def test_peers_are_a_dashed_outline_with_square_markers():
    themes = [theme(t.label, t.score, peer=50) for t in THEMES]
    svg = charts.radar(themes, title="t", legend=LEGEND)
    root = parse(svg)
    dashed = [p for p in root.iter(f"{SVG}polygon") if p.get("stroke-dasharray")]
    assert len(dashed) == 1 and dashed[0].get("fill") == "none"
    squares = [r for r in root.iter(f"{SVG}rect") if r.get("width") == "9"]
    assert len(squares) == len(themes) + 1  # one per theme and one in the legend
    assert LEGEND.peers in texts(root)
    assert "Gemiddelde van vergelijkbare organisaties: 50" in svg


def points(polygon: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in polygon.get("points").split()]


def test_zero_is_the_centre_and_100_the_rim():
    themes = [theme("a", 100), theme("b", 0), theme("c", 100), theme("d", 0)]
    root = parse(charts.radar(themes, title="t", legend=LEGEND))
    own = next(p for p in root.iter(f"{SVG}polygon") if p.get("fill") == charts.PRIMARY)
    g = charts.FULL
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = points(own)
    assert (ax, ay) == (g.cx, g.cy - g.r)  # the first theme at the top, on the rim
    assert (bx, by) == (g.cx, g.cy) == (dx, dy)
    assert math.isclose(cx, g.cx, abs_tol=0.01) and math.isclose(cy, g.cy + g.r, abs_tol=0.01)


def test_the_numbered_radar_labels_axes_with_numbers():
    root = parse(charts.radar(THEMES, title="t", legend=LEGEND, numbered=True, id_prefix="n"))
    shown = texts(root)
    assert THEMES[0].label not in shown
    for number in range(1, len(THEMES) + 1):
        assert re.search(rf"\b{number}\b", shown)
    assert THEMES[0].label in assert_accessible(root, "t")  # the desc keeps the names
    assert root.get("aria-labelledby") == "n-title n-desc"


def test_a_radar_needs_three_themes():
    with pytest.raises(ValueError, match="three"):
        charts.radar(THEMES[:2], title="t", legend=LEGEND)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=100, allow_nan=False),
            st.one_of(st.none(), st.floats(min_value=0, max_value=100, allow_nan=False)),
            st.text(min_size=1, max_size=40),
        ),
        min_size=3,
        max_size=10,
    )
)
def test_any_scores_make_a_well_formed_chart_inside_its_box(items):
    themes = [theme(label, score, peer) for score, peer, label in items]
    svg = charts.radar(themes, title="t", legend=LEGEND)
    assert_no_css_or_script(svg)
    root = parse(svg)
    g = charts.FULL
    for polygon in root.iter(f"{SVG}polygon"):
        for x, y in points(polygon):
            assert g.cx - g.r - 0.01 <= x <= g.cx + g.r + 0.01
            assert g.cy - g.r - 0.01 <= y <= g.cy + g.r + 0.01


# --- bars ----------------------------------------------------------------------------------


def test_a_bar_is_as_wide_as_its_score_in_percent():
    svg = charts.bar(theme("Passend werk", 63.3, peer=41), title="Score", legend=LEGEND)
    assert_no_css_or_script(svg)
    root = parse(svg)
    assert_accessible(root, "Score")
    widths = [r.get("width") for r in root.iter(f"{SVG}rect")]
    assert "63.3%" in widths
    peer = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert peer[0].get("x1") == "41%"
    # The band zones: 0-40, 40-70, 70-100.
    assert {"40%", "30%"} <= set(widths)


def test_a_decorative_bar_is_hidden_from_assistive_technology():
    svg = charts.bar(theme("a", 120), title="Score", legend=LEGEND, decorative=True)
    root = parse(svg)
    assert root.get("aria-hidden") == "true" and root.get("role") is None
    assert root.find(f"{SVG}title") is None
    assert "100%" in [r.get("width") for r in root.iter(f"{SVG}rect") if r.get("y") == "6"]


def test_the_bars_chart_writes_score_and_band_for_every_theme():
    themes = [theme(t.label, t.score, peer=55) for t in THEMES]
    svg = charts.bars(themes, title="Scores", legend=LEGEND, id_prefix="b")
    assert_no_css_or_script(svg)
    root = parse(svg)
    assert_accessible(root, "Scores")
    shown = texts(root)
    for item in THEMES:
        assert item.label.split()[0] in shown
        assert f"{item.score:.1f}".replace(".", ",") in shown
    for word in ("laag", "midden", "hoog"):
        assert word in shown
    assert LEGEND.peers in shown


def test_ids_follow_the_prefix_so_charts_can_share_a_page():
    one = charts.radar(THEMES, title="t", legend=LEGEND, id_prefix="one")
    two = charts.radar(THEMES, title="t", legend=LEGEND, id_prefix="two")
    ids = set(re.findall(r' id="([^"]+)"', one)) | set(re.findall(r' id="([^"]+)"', two))
    assert ids == {"one-title", "one-desc", "two-title", "two-desc"}
