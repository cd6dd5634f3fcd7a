"""A faster way for WeasyPrint 70 to draw the charts' SVG text: one run per text, not one
per letter.

WeasyPrint's SVG renderer (``weasyprint.svg.text.text``) lays out and draws every letter
of a ``<text>`` or ``<tspan>`` as its own Pango layout, because SVG allows a position and
a rotation per letter. The report's two charts hold about 2,000 letters, so drawing them
was a fifth of a whole report's render. Our charts never position single letters: each
``<text>``/``<tspan>`` has at most one ``x``, ``y``, ``dx`` and ``dy``, no ``rotate``, no
``letter-spacing`` and no ``textLength``. For such a node this lays out the whole string
once and draws it once, at the place the first letter would have had; the run then also
gets the font's kerning, as in a browser. Any other node goes to WeasyPrint's own
function, so other SVG is drawn exactly as before.

:func:`install` replaces the function in WeasyPrint's tag table only for the WeasyPrint
major version this was written against (:data:`FOR_VERSION`); with another version it
does nothing and reports stay correct, only slower (a test says so, so that an upgrade is
checked here).
"""

from __future__ import annotations

from math import inf
from typing import Any

__all__ = ["FOR_VERSION", "install", "installed", "uninstall"]

#: The WeasyPrint major version whose ``svg.text.text`` this mirrors.
FOR_VERSION = "70"
_state: dict[str, Any] = {}


def _single(node: Any, name: str) -> bool:
    value = node.attrib.get(name)
    return value is None or len(value.replace(",", " ").split()) <= 1


def _simple(node: Any) -> bool:
    """Whether every letter of ``node`` simply follows the one before it."""
    return (
        node.tag in ("text", "tspan")
        and bool(node.text)
        and all(_single(node, name) for name in ("x", "y", "dx", "dy"))
        and "rotate" not in node.attrib
        and not node.get("letter-spacing")
        and not node.get("textLength")
    )


def fast_text(svg: Any, node: Any, font_size: float) -> None:
    """``weasyprint.svg.text.text`` for a node whose letters follow each other."""
    original = _state["original"]
    if not _simple(node):
        return original(svg, node, font_size)

    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import Style, TextBox
    from weasyprint.svg.utils import normalize, size
    from weasyprint.text.line_break import split_first_line

    # The style as WeasyPrint's own function builds it.
    style = Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [
        font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")
    ]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    if weight == "normal":
        weight = 400
    elif weight == "bold":
        weight = 700
    else:
        try:
            weight = int(weight)
        except ValueError:
            weight = 400
    style["font_weight"] = weight
    style["font_size"] = font_size
    if node.get("direction") in ("ltr", "rtl"):
        style["direction"] = node.get("direction")

    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)

    def first(name: str, reference: float) -> float | None:
        if name not in node.attrib:
            return None
        value = normalize(node.attrib[name]).strip()
        return size(value, font_size, reference) if value else None

    x = first("x", svg.inner_width)
    y = first("y", svg.inner_height)
    dx = first("dx", svg.inner_width)
    dy = first("dy", svg.inner_height)

    ascent, descent = font_size * 0.8, font_size * 0.2
    y_align = 0.0
    display_anchor = node.get("display-anchor")
    alignment_baseline = node.get("dominant-baseline", node.get("alignment-baseline"))
    if display_anchor == "middle":
        y_align = -height / 2
    elif display_anchor == "top":
        pass
    elif display_anchor == "bottom":
        y_align = -height
    elif alignment_baseline in ("central", "middle"):
        y_align = (ascent + descent) / 2 - descent
    elif alignment_baseline in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
        y_align = ascent
    elif alignment_baseline in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
        y_align = -descent

    # The first letter's position, as the original computes it; the rest of the run follows.
    if x:
        svg.cursor_d_position[0] = 0
    if y:
        svg.cursor_d_position[1] = 0
    svg.cursor_d_position[0] += dx or 0
    svg.cursor_d_position[1] += dy or 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y
    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1] + y_align
    points = (
        (x_position, y_position - baseline),
        (x_position + width, y_position - baseline + height),
    )
    node.text_bounding_box = extend_bounding_box(node.text_bounding_box, points)

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    text_box = TextBox(layout, style)
    text_box.baseline = baseline
    emojis = draw_first_line(
        svg.stream, text_box, "none", "none", Matrix(a=1, d=-1, e=x_position, f=y_position)
    )
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)
    return None


def installed() -> bool:
    import weasyprint.svg as svg_module

    return svg_module.text is fast_text


def install() -> bool:
    """Use :func:`fast_text` for SVG text; False (and nothing changed) on another WeasyPrint."""
    import weasyprint
    import weasyprint.svg as svg_module

    if installed():
        return True
    if weasyprint.__version__.split(".")[0] != FOR_VERSION:
        return False
    original = svg_module.text
    _state["original"] = original
    # draw_node compares TAGS entries with the module's ``text`` to find text nodes (text
    # anchors, bounding boxes): replace both, so that comparison still holds.
    svg_module.text = fast_text
    for tag, function in list(svg_module.TAGS.items()):
        if function is original:
            svg_module.TAGS[tag] = fast_text
    return True


def uninstall() -> None:
    """WeasyPrint's own function again (the benchmark's bare render, tests)."""
    import weasyprint.svg as svg_module

    if not installed():
        return
    original = _state["original"]
    svg_module.text = original
    for tag, function in list(svg_module.TAGS.items()):
        if function is fast_text:
            svg_module.TAGS[tag] = original
