"""Small SVG charts for the WSP dashboard, made on the server.

Pure: figures in, SVG out. The dashboard shows every figure in a table, so the charts are
decorative (``aria-hidden``) and repeat nothing a screen reader would miss. No CSS and no
script: presentation attributes only, so they pass the strict Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from selfscan.scans.charts import GRID, INK, PRIMARY, TRACK

_MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def _f(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def bar(value: float, most: float) -> str:
    """One horizontal bar, ``value`` of ``most``, filling the width it is given."""
    share = 0.0 if most <= 0 else max(0.0, min(1.0, value / most))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--mini" width="100%" '
        'height="16" aria-hidden="true" focusable="false">'
        f'<rect x="0" y="0" width="100%" height="16" fill="{TRACK}" stroke="{GRID}" '
        'stroke-width="1"/>'
        f'<rect x="0" y="2" width="{_f(share * 100)}%" height="12" fill="{PRIMARY}"/>'
        "</svg>"
    )


def month_label(month: date, lang: str) -> str:
    return f"{_MONTHS.get(lang, _MONTHS['nl'])[month.month - 1]} {month.year % 100:02d}"


def columns(months: Sequence[tuple[date, int]], lang: str) -> str:
    """Scans per month as columns, each with its number above it and the month below."""
    width, height, top, bottom = 720.0, 220.0, 24.0, 36.0
    slot = width / max(1, len(months))
    most = max((n for _, n in months), default=0)
    area = height - top - bottom
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--columns" '
        f'viewBox="0 0 {_f(width)} {_f(height)}" width="100%" aria-hidden="true" '
        'focusable="false">',
        f'<line x1="0" y1="{_f(height - bottom)}" x2="{_f(width)}" y2="{_f(height - bottom)}" '
        f'stroke="{GRID}" stroke-width="1"/>',
    ]
    for index, (month, count) in enumerate(months):
        column = 0.0 if most == 0 else area * count / most
        x = index * slot + slot * 0.2
        y = height - bottom - column
        middle = index * slot + slot / 2
        out.append(
            f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(slot * 0.6)}" height="{_f(column)}" '
            f'fill="{PRIMARY}"/>'
        )
        out.append(
            f'<text x="{_f(middle)}" y="{_f(y - 6)}" text-anchor="middle" font-size="14" '
            f'fill="{INK}">{count}</text>'
        )
        out.append(
            f'<text x="{_f(middle)}" y="{_f(height - bottom + 22)}" text-anchor="middle" '
            f'font-size="13" fill="{INK}">{escape(month_label(month, lang))}</text>'
        )
    out.append("</svg>")
    return "".join(out)
