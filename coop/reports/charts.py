"""The monitor's charts: horizontal bars as SVG, made on the server. Pure: figures in, SVG
out.

Each chart is an image with a title (``role="img"`` and ``<title>``, named by
``aria-labelledby``); the table beside it holds the same numbers, so the chart adds no
information a screen reader would miss. Readable in black and white: every bar carries its
number as text, and a second series is drawn white with a dark outline instead of in a
second colour. No CSS and no script, so the strict Content-Security-Policy and WeasyPrint
both take it as it is.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from html import escape

import msgspec

INK = "#1b1b1b"
PRIMARY = "#154273"
GRID = "#8a97a6"
WHITE = "#ffffff"

WIDTH = 480.0
VALUE_ROOM = 72.0
LABEL = 22.0  # the line above a group of bars that names it
ROW = 25.0
BAR = 18.0
FONT = 16  # about 12 px on a phone, where the chart is scaled down

_ids = itertools.count(1)


class Bar(msgspec.Struct, frozen=True):
    label: str
    value: float | None  # None: not shown (suppressed or unknown); the text says why
    text: str  # the number as the table shows it


class Series(msgspec.Struct, frozen=True):
    name: str
    bars: tuple[Bar, ...]


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bars(
    title: str,
    series: Sequence[Series],
    *,
    chart_id: str | None = None,
    scale: float | None = None,
) -> str:
    """Groups of horizontal bars: one group per label (written above its bars, so long
    labels need no clipping), one bar per series."""
    chart_id = chart_id or f"grafiek-{next(_ids)}"
    labels = [b.label for b in series[0].bars] if series else []
    most = scale or max(
        (b.value for s in series for b in s.bars if b.value is not None and b.value > 0),
        default=0.0,
    )
    legend = 28.0 if len(series) > 1 else 0.0
    group = LABEL + ROW * len(series) + 8.0
    height = 4.0 + legend + group * max(1, len(labels))
    room = WIDTH - VALUE_ROOM
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="monitor-chart" role="img" '
        f'aria-labelledby="{chart_id}-titel" viewBox="0 0 {_f(WIDTH)} {_f(height)}" '
        f'width="100%" font-family="\'Source Sans Pro\', sans-serif" font-size="{FONT}">',
        f'<title id="{chart_id}-titel">{escape(title)}</title>',
    ]
    if len(series) > 1:
        x = 0.0
        for index, s in enumerate(series):
            fill = PRIMARY if index == 0 else WHITE
            out.append(
                f'<rect x="{_f(x + 1)}" y="4" width="16" height="16" fill="{fill}" '
                f'stroke="{INK}" stroke-width="1.5"/>'
            )
            out.append(f'<text x="{_f(x + 24)}" y="18" fill="{INK}">{escape(s.name)}</text>')
            x += 44 + 9 * len(s.name)
    for row, label in enumerate(labels):
        top = 4.0 + legend + row * group
        out.append(
            f'<text x="0" y="{_f(top + LABEL - 5)}" fill="{INK}" font-weight="bold">'
            f"{escape(label)}</text>"
        )
        for index, s in enumerate(series):
            item = s.bars[row]
            y = top + LABEL + index * ROW + (ROW - BAR) / 2
            length = 0.0 if not item.value or most <= 0 else room * max(0.0, item.value) / most
            fill = PRIMARY if index == 0 else WHITE
            out.append(
                f'<line x1="0.75" y1="{_f(y - 2)}" x2="0.75" y2="{_f(y + BAR + 2)}" '
                f'stroke="{GRID}" stroke-width="1.5"/>'
            )
            if length > 0:
                out.append(
                    f'<rect x="1" y="{_f(y)}" width="{_f(length)}" height="{_f(BAR)}" '
                    f'fill="{fill}" stroke="{INK}" stroke-width="1.5"/>'
                )
            out.append(
                f'<text x="{_f(length + 8)}" y="{_f(y + BAR - 3)}" fill="{INK}">'
                f"{escape(item.text)}</text>"
            )
    out.append("</svg>")
    return "".join(out)


def single(
    title: str, items: Sequence[Bar], *, chart_id: str | None = None, scale: float | None = None
) -> str:
    """One bar per label; ``scale`` is the value of a full bar (100 for percentages),
    else the largest value."""
    return bars(title, [Series("", tuple(items))], chart_id=chart_id, scale=scale)
