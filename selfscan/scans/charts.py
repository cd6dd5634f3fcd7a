"""SVG charts of a scan result, made on the server: a radar of the themes, and bars.

Pure: data and texts in, an SVG string out; no I/O, no clock, no request. The result page
puts them inline, and the PDF report reuses them, so they are made to work in both:

- **Accessible.** Every chart has ``role="img"`` with a ``<title>`` and a ``<desc>`` that
  lists every figure in words, so a screen reader gets the whole chart; the page shows the
  same figures as text beside it.
- **Readable in black and white.** Nothing is told by colour alone: every score is written
  as a number next to its point or bar, the band as a word, the comparison with peers as a
  dashed line with square markers (own scores: a solid line with round markers).
- **No CSS.** Colours and sizes are SVG presentation attributes, not ``style``, so the
  charts pass a Content-Security-Policy without ``'unsafe-inline'`` and need no stylesheet
  in the PDF. Text inherits the font of the page it is in.
- **Unique ids.** Give each chart on a page its own ``id_prefix``.

Texts come in already translated; numbers are formatted here for ``lang`` ("63,3" in
Dutch, "63.3" in English) with :func:`selfscan.model.format_number`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import Decimal
from html import escape

import msgspec

from selfscan.model import Band, format_number
from selfscan.scoring import HIGH_ABOVE, LOW_BELOW

__all__ = ["ChartTheme", "Legend", "bar", "bars", "radar", "score_text"]

INK = "#1b1b1b"
MUTED = "#535353"
PRIMARY = "#154273"
GRID = "#b4c0cc"
TRACK = "#f3f6fa"
BAND_FILL: dict[str, str] = {"low": "#f3f6fa", "middle": "#e6eef7", "high": "#cfe0f1"}


class ChartTheme(msgspec.Struct, frozen=True, kw_only=True):
    """One theme in a chart: its label, score (0..100), band, and the peers' mean or None.

    ``band_label`` is the band in words ("laag", "midden", "hoog")."""

    label: str
    score: float
    band: Band
    band_label: str
    peer: float | None = None


class Legend(msgspec.Struct, frozen=True, kw_only=True):
    """The translated words a chart needs besides the theme labels."""

    own: str  # "Uw organisatie"
    peers: str  # "Gemiddelde van vergelijkbare organisaties"
    bands: tuple[str, str, str] = ("low", "middle", "high")  # the band names, in order


def _n(value: float, lang: str, decimals: int = 1) -> str:
    return format_number(Decimal(repr(float(value))), lang, decimals)


def score_text(value: float, lang: str = "nl") -> str:
    """A score as the charts write it: one decimal, in the language's style ("63,3")."""
    return _n(value, lang)


# Characters XML 1.0 does not allow at all; a label never needs them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _x(text: str) -> str:
    return escape(_NOT_XML.sub("", text), quote=True)


def _f(value: float) -> str:
    """A coordinate with at most two decimals, without trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _clamp(score: float) -> float:
    return max(0.0, min(100.0, float(score)))


def _wrap(text: str, width: int) -> list[str]:
    """Split a label into lines of at most ``width`` characters, on spaces."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines or [""]


def _open(
    id_prefix: str, width: float, height: float, title: str, desc: str, css_class: str
) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{_x(css_class)}" '
        f'viewBox="0 0 {_f(width)} {_f(height)}" width="{_f(width)}" height="{_f(height)}" '
        f'role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{_x(title)}</title>',
        f'<desc id="{id_prefix}-desc">{_x(desc)}</desc>',
    ]


def _describe(themes: Sequence[ChartTheme], legend: Legend, lang: str) -> str:
    parts = []
    for theme in themes:
        part = f"{theme.label}: {_n(theme.score, lang)} ({theme.band_label})"
        if theme.peer is not None:
            part += f"; {legend.peers}: {_n(theme.peer, lang, 0)}"
        parts.append(part)
    return ". ".join(parts) + "."


# --- radar ---------------------------------------------------------------------------------


class _Radar(msgspec.Struct, frozen=True):
    """The geometry of one radar layout, in SVG user units."""

    width: float
    height: float
    cx: float
    cy: float
    r: float
    gap: float  # between the rim and a label
    line: float  # line height of the labels
    size: int  # font size of the labels
    wrap: int  # characters per label line

    def point(self, index: int, count: int, radius: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count  # the first theme at the top
        return self.cx + radius * math.cos(angle), self.cy + radius * math.sin(angle)


#: Full theme names around the rim: for wide screens and the report.
FULL = _Radar(760.0, 664.0, 380.0, 296.0, 175.0, 22.0, 21.0, 18, 17)
#: Theme numbers around the rim, in a larger type: for narrow screens, beside a numbered
#: list of the themes.
NUMBERED = _Radar(460.0, 532.0, 230.0, 232.0, 160.0, 16.0, 24.0, 22, 4)


def _polygon(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_f(x)},{_f(y)}" for x, y in points)


def radar(
    themes: Sequence[ChartTheme],
    *,
    title: str,
    legend: Legend,
    lang: str = "nl",
    id_prefix: str = "radar",
    numbered: bool = False,
) -> str:
    """A radar ("spider") chart: one axis per theme from 0 in the middle to 100 at the rim,
    the own scores as a filled shape, the peers' means (where given) as a dashed outline.

    Each axis is labelled with the theme and its score; with ``numbered`` with the theme's
    number (1, 2, ...) and its score instead, for a page that lists the numbered themes."""
    count = len(themes)
    if count < 3:
        raise ValueError("a radar chart needs at least three themes")
    g = NUMBERED if numbered else FULL
    show_peers = any(t.peer is not None for t in themes)
    variant = " chart--numbered" if numbered else ""
    out = _open(
        id_prefix,
        g.width,
        g.height,
        title,
        _describe(themes, legend, lang),
        f"chart chart--radar{variant}",
    )
    out.append('<g aria-hidden="true">')
    # Grid: rings at 25, 50, 75 and 100, and one spoke per theme.
    for ring in (25, 50, 75, 100):
        ring_points = [g.point(i, count, g.r * ring / 100) for i in range(count)]
        width = "1.5" if ring == 100 else "1"
        out.append(
            f'<polygon points="{_polygon(ring_points)}" fill="none" stroke="{GRID}" '
            f'stroke-width="{width}"/>'
        )
    for i in range(count):
        x, y = g.point(i, count, g.r)
        out.append(
            f'<line x1="{_f(g.cx)}" y1="{_f(g.cy)}" x2="{_f(x)}" y2="{_f(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
    for ring in (25, 50, 75, 100):
        out.append(
            f'<text x="{_f(g.cx + 5)}" y="{_f(g.cy - g.r * ring / 100 + 15)}" font-size="14" '
            f'fill="{MUTED}">{ring}</text>'
        )
    # The peers first, so the own shape lies on top.
    if show_peers:
        peer_points = [
            g.point(i, count, g.r * _clamp(t.peer or 0) / 100) for i, t in enumerate(themes)
        ]
        out.append(
            f'<polygon points="{_polygon(peer_points)}" fill="none" stroke="{MUTED}" '
            f'stroke-width="2.5" stroke-dasharray="9 6" stroke-linejoin="round"/>'
        )
        for (x, y), theme in zip(peer_points, themes, strict=True):
            if theme.peer is not None:
                out.append(
                    f'<rect x="{_f(x - 4.5)}" y="{_f(y - 4.5)}" width="9" height="9" '
                    f'fill="#ffffff" stroke="{MUTED}" stroke-width="2"/>'
                )
    own_points = [g.point(i, count, g.r * _clamp(t.score) / 100) for i, t in enumerate(themes)]
    out.append(
        f'<polygon points="{_polygon(own_points)}" fill="{PRIMARY}" fill-opacity="0.16" '
        f'stroke="{PRIMARY}" stroke-width="3" stroke-linejoin="round"/>'
    )
    for x, y in own_points:
        out.append(f'<circle cx="{_f(x)}" cy="{_f(y)}" r="5" fill="{PRIMARY}"/>')
    # Labels outside the rim: the theme (or its number) and its score.
    for i, theme in enumerate(themes):
        x, y = g.point(i, count, g.r + g.gap)
        dx = x - g.cx
        anchor = "middle" if abs(dx) < 1 else ("start" if dx > 0 else "end")
        lines = [str(i + 1)] if numbered else _wrap(theme.label, g.wrap)
        total = len(lines) + 1  # the score goes on a line of its own
        dy = y - g.cy
        if abs(dy) < 1:
            top = y - (total - 1) * g.line / 2 + 6
        elif dy < 0:
            top = y - (total - 1) * g.line
        else:
            top = y + g.size * 0.8
        out.append(f'<text x="{_f(x)}" y="{_f(top)}" text-anchor="{anchor}" font-size="{g.size}">')
        for n, line in enumerate(lines):
            dy_attr = "0" if n == 0 else _f(g.line)
            weight = ' font-weight="700"' if numbered else ""
            out.append(f'<tspan x="{_f(x)}" dy="{dy_attr}" fill="{INK}"{weight}>{_x(line)}</tspan>')
        out.append(
            f'<tspan x="{_f(x)}" dy="{_f(g.line)}" font-weight="700" fill="{PRIMARY}">'
            f"{_x(_n(theme.score, lang))}</tspan>"
        )
        out.append("</text>")
    # Legend, below the chart.
    y = g.height - 48
    out.append(
        f'<line x1="20" y1="{_f(y)}" x2="64" y2="{_f(y)}" stroke="{PRIMARY}" stroke-width="3"/>'
        f'<circle cx="42" cy="{_f(y)}" r="5" fill="{PRIMARY}"/>'
        f'<text x="72" y="{_f(y + 6)}" font-size="17" fill="{INK}">'
        f"{_x(legend.own)}</text>"
    )
    if show_peers:
        y2 = y + 28
        out.append(
            f'<line x1="20" y1="{_f(y2)}" x2="64" y2="{_f(y2)}" stroke="{MUTED}" '
            f'stroke-width="2.5" stroke-dasharray="9 6"/>'
            f'<rect x="37.5" y="{_f(y2 - 4.5)}" width="9" height="9" fill="#ffffff" '
            f'stroke="{MUTED}" stroke-width="2"/>'
            f'<text x="72" y="{_f(y2 + 6)}" font-size="17" fill="{INK}">'
            f"{_x(legend.peers)}</text>"
        )
    out.append("</g></svg>")
    return "".join(out)


# --- bars ----------------------------------------------------------------------------------


def bar(
    theme: ChartTheme,
    *,
    title: str,
    legend: Legend,
    lang: str = "nl",
    id_prefix: str = "bar",
    decorative: bool = False,
) -> str:
    """One theme's score as a horizontal bar over the three band zones (0–40, 40–70,
    70–100), with the peers' mean as a dashed marker. Sized in percentages, so it fills the
    width it is given. With ``decorative`` the bar is hidden from assistive technology: for
    a page that writes the score, band and peers' mean beside it as text."""
    score = _clamp(theme.score)
    head = (
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--bar" width="100%" height="28"'
    )
    if decorative:
        out = [f'{head} aria-hidden="true" focusable="false">', "<g>"]
    else:
        out = [
            f'{head} role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
            f'<title id="{id_prefix}-title">{_x(title)}</title>',
            f'<desc id="{id_prefix}-desc">{_x(_describe([theme], legend, lang))}</desc>',
            '<g aria-hidden="true">',
        ]
    out += [
        f'<rect x="0" y="0" width="{LOW_BELOW}%" height="28" fill="{BAND_FILL["low"]}"/>',
        f'<rect x="{LOW_BELOW}%" y="0" width="{HIGH_ABOVE - LOW_BELOW}%" height="28" '
        f'fill="{BAND_FILL["middle"]}"/>',
        f'<rect x="{HIGH_ABOVE}%" y="0" width="{100 - HIGH_ABOVE}%" height="28" '
        f'fill="{BAND_FILL["high"]}"/>',
        f'<line x1="{LOW_BELOW}%" y1="0" x2="{LOW_BELOW}%" y2="28" stroke="{GRID}" '
        f'stroke-width="1"/>',
        f'<line x1="{HIGH_ABOVE}%" y1="0" x2="{HIGH_ABOVE}%" y2="28" stroke="{GRID}" '
        f'stroke-width="1"/>',
        f'<rect x="0" y="6" width="{_f(score)}%" height="16" fill="{PRIMARY}"/>',
    ]
    if theme.peer is not None:
        peer = _clamp(theme.peer)
        out.append(
            f'<line x1="{_f(peer)}%" y1="1" x2="{_f(peer)}%" y2="27" stroke="{INK}" '
            f'stroke-width="3" stroke-dasharray="4 3"/>'
        )
    out.append(
        f'<rect x="0" y="0" width="100%" height="28" fill="none" stroke="{GRID}" stroke-width="1"/>'
    )
    out.append("</g></svg>")
    return "".join(out)


BARS_WIDTH = 720.0
_BARS_LABEL = 250.0  # width of the label column
_BARS_TRACK = 320.0  # width of the bar track
_ROW = 46.0


def bars(
    themes: Sequence[ChartTheme],
    *,
    title: str,
    legend: Legend,
    lang: str = "nl",
    id_prefix: str = "bars",
) -> str:
    """All themes as labelled horizontal bars in one chart (for the report): label, bar
    over the band zones, the score and the band in words; peers as a dashed marker."""
    top = 34.0
    height = top + _ROW * len(themes) + (44 if any(t.peer is not None for t in themes) else 18)
    out = _open(
        id_prefix, BARS_WIDTH, height, title, _describe(themes, legend, lang), "chart chart--bars"
    )
    out.append('<g aria-hidden="true">')
    x0 = _BARS_LABEL
    # The band zones as a header, so the zones read without colour.
    zones = ((0, LOW_BELOW), (LOW_BELOW, HIGH_ABOVE), (HIGH_ABOVE, 100))
    for (low, high), name in zip(zones, legend.bands, strict=True):
        middle = x0 + _BARS_TRACK * (low + high) / 200
        out.append(
            f'<text x="{_f(middle)}" y="20" text-anchor="middle" font-size="13" '
            f'fill="{MUTED}">{_x(name)}</text>'
        )
    for n, theme in enumerate(themes):
        y = top + n * _ROW
        lines = _wrap(theme.label, 30)[:2]
        first = y + (_ROW / 2) - (len(lines) - 1) * 8 + 4
        out.append(f'<text x="0" y="{_f(first)}" font-size="15" fill="{INK}">')
        for i, line in enumerate(lines):
            out.append(f'<tspan x="0" dy="{"0" if i == 0 else "16"}">{_x(line)}</tspan>')
        out.append("</text>")
        for (low, high), band in zip(zones, ("low", "middle", "high"), strict=True):
            out.append(
                f'<rect x="{_f(x0 + _BARS_TRACK * low / 100)}" y="{_f(y + 6)}" '
                f'width="{_f(_BARS_TRACK * (high - low) / 100)}" height="{_f(_ROW - 12)}" '
                f'fill="{BAND_FILL[band]}"/>'
            )
        for edge in (LOW_BELOW, HIGH_ABOVE):
            ex = x0 + _BARS_TRACK * edge / 100
            out.append(
                f'<line x1="{_f(ex)}" y1="{_f(y + 6)}" x2="{_f(ex)}" y2="{_f(y + _ROW - 6)}" '
                f'stroke="{GRID}" stroke-width="1"/>'
            )
        out.append(
            f'<rect x="{_f(x0)}" y="{_f(y + 13)}" '
            f'width="{_f(_BARS_TRACK * _clamp(theme.score) / 100)}" height="{_f(_ROW - 26)}" '
            f'fill="{PRIMARY}"/>'
        )
        if theme.peer is not None:
            px = x0 + _BARS_TRACK * _clamp(theme.peer) / 100
            out.append(
                f'<line x1="{_f(px)}" y1="{_f(y + 7)}" x2="{_f(px)}" y2="{_f(y + _ROW - 7)}" '
                f'stroke="{INK}" stroke-width="3" stroke-dasharray="4 3"/>'
            )
        out.append(
            f'<text x="{_f(x0 + _BARS_TRACK + 14)}" y="{_f(y + _ROW / 2 + 5)}" font-size="15" '
            f'fill="{INK}"><tspan font-weight="700">{_x(_n(theme.score, lang))}</tspan>'
            f"<tspan> {_x(theme.band_label)}</tspan></text>"
        )
    if any(t.peer is not None for t in themes):
        y = top + _ROW * len(themes) + 22
        out.append(
            f'<line x1="{_f(x0)}" y1="{_f(y - 9)}" x2="{_f(x0)}" y2="{_f(y + 9)}" '
            f'stroke="{INK}" stroke-width="3" stroke-dasharray="4 3"/>'
            f'<text x="{_f(x0 + 10)}" y="{_f(y + 5)}" font-size="14" fill="{INK}">'
            f"{_x(legend.peers)}</text>"
        )
    out.append("</g></svg>")
    return "".join(out)
