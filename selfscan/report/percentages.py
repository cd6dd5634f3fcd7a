"""WeasyPrint 70's ``resolve_percentages`` with its common case inlined.

Layout calls ``weasyprint.layout.percent.resolve_percentages`` each time it lays out a
box (and again when a box is laid out anew on the next page): for each of some seventeen
margin, padding and size properties it makes two function calls to turn a computed length
into a used one. A report lays out its boxes about 1,900 times, so that was some 65,000
calls, about a twentieth of a render. :func:`resolve_percentages` does the same work with
the two common cases (a length in px, a percentage) inline and leaves every other value
(``auto``, ``calc()`` and other math) to WeasyPrint's own ``percentage``; the used values
are the same, so the PDF is byte for byte the same (a test compares them).

:func:`install` puts it in place of WeasyPrint's function in every layout module that
imported it, only for the WeasyPrint major version it mirrors (:data:`FOR_VERSION`).
"""

from __future__ import annotations

import importlib
from math import inf
from typing import Any

__all__ = ["FOR_VERSION", "install", "installed", "resolve_percentages", "uninstall"]

FOR_VERSION = "70"
#: The modules that imported ``resolve_percentages`` by name from ``layout.percent``.
_MODULES = (
    "weasyprint.layout.percent",
    "weasyprint.layout.block",
    "weasyprint.layout.inline",
    "weasyprint.layout.page",
    "weasyprint.layout.float",
    "weasyprint.layout.grid",
    "weasyprint.layout.absolute",
    "weasyprint.layout.column",
    "weasyprint.layout.table",
)
_SIDES = ("border_top_width", "border_right_width", "border_bottom_width", "border_left_width")
_state: dict[str, Any] = {}


def resolve_percentages(box: Any, containing_block: Any) -> None:
    """Set used values as attributes of the box object (as WeasyPrint's function)."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.percent import adjust_box_sizing, percentage

    if isinstance(containing_block, boxes.Box):
        cb_width = containing_block.width
        cb_height = containing_block.height
    else:
        cb_width, cb_height = containing_block
    maybe_height = cb_height if isinstance(box, boxes.PageBox) else cb_width
    style = box.style

    def used(name: str, refer_to: Any) -> Any:
        value = style[name]
        unit = getattr(value, "unit", None)
        if unit == "px":
            return value.value
        if unit == "%":
            return refer_to * value.value / 100
        return percentage(value, style, refer_to)

    # The order of WeasyPrint's function: margins, paddings, then widths and heights.
    box.margin_left = used("margin_left", cb_width)
    box.margin_right = used("margin_right", cb_width)
    box.margin_top = used("margin_top", maybe_height)
    box.margin_bottom = used("margin_bottom", maybe_height)
    box.padding_left = used("padding_left", cb_width)
    box.padding_right = used("padding_right", cb_width)
    box.padding_top = used("padding_top", maybe_height)
    box.padding_bottom = used("padding_bottom", maybe_height)
    box.width = used("width", cb_width)
    min_width = used("min_width", cb_width)
    box.min_width = 0 if min_width == "auto" else min_width
    box.max_width = used("max_width", cb_width)

    if cb_height == "auto":
        from weasyprint.css.functions import check_math

        height = style["height"]
        if height == "auto" or check_math(height) or height.unit == "%":
            box.height = "auto"
        else:
            assert height.unit.lower() == "px"
            box.height = height.value
        min_height = used("min_height", 0)
        box.min_height = 0 if min_height == "auto" else min_height
        box.max_height = used("max_height", inf)
    else:
        box.height = used("height", cb_height)
        min_height = used("min_height", cb_height)
        box.min_height = 0 if min_height == "auto" else min_height
        box.max_height = used("max_height", cb_height)

    collapse = style["border_collapse"] == "collapse"
    for prop in _SIDES:
        # Collapsed borders' widths were set during border conflict resolution.
        if not (collapse and hasattr(box, prop)):
            setattr(box, prop, style[prop])

    adjust_box_sizing(box, "width")
    adjust_box_sizing(box, "height")


def installed() -> bool:
    from weasyprint.layout import block

    return block.resolve_percentages is resolve_percentages


def install() -> bool:
    """Use :func:`resolve_percentages` in WeasyPrint's layout; False on another version."""
    import weasyprint

    if installed():
        return True
    if weasyprint.__version__.split(".")[0] != FOR_VERSION:
        return False
    from weasyprint.layout import percent

    _state["original"] = percent.resolve_percentages
    for name in _MODULES:
        module = importlib.import_module(name)
        if getattr(module, "resolve_percentages", None) is _state["original"]:
            module.resolve_percentages = resolve_percentages  # type: ignore[attr-defined]
    return True


def uninstall() -> None:
    """WeasyPrint's own function again (the benchmark's bare render, tests)."""
    if not installed():
        return
    for name in _MODULES:
        module = importlib.import_module(name)
        if getattr(module, "resolve_percentages", None) is resolve_percentages:
            module.resolve_percentages = _state["original"]  # type: ignore[attr-defined]
