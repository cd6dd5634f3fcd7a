"""Shape each line of text once, not twice: WeasyPrint 70 lays a line out with Pango to
find where it breaks, throws the Pango layout away (``Layout.deactivate``) and, when it
draws the page, builds and shapes the same line again (``Layout.reactivate``). For a
report that is every line of text and every chart label shaped twice.

:func:`install` keeps a line's Pango layout from layout to drawing instead ("parked"),
and lets drawing use it when nothing that shapes the line can have changed since: the
same style object, no justification spacing (justified text gets spacing added between
the two steps), and the layout's first drawing (a second drawing of the same box, as a
repeated table header, builds it anew as before). Once drawn, a layout is released as
before. To let drawing use the layout unchanged, it is put into single-paragraph mode as
it is made, which is what drawing sets anyway; for text without paragraph separators
(the only text it is set for here) Pango lays it out the same either way.

The PDF is byte for byte the one WeasyPrint makes without this (a test compares them);
only the time differs. Like :mod:`selfscan.report.svgtext`, this patches only the
WeasyPrint major version it was written against (:data:`FOR_VERSION`); with another, it
does nothing.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FOR_VERSION", "install", "installed", "uninstall"]

FOR_VERSION = "70"
#: Characters at which Pango starts a new paragraph (pango_find_paragraph_boundary).
_SEPARATORS = ("\n", "\r", "\u2029")
_state: dict[str, Any] = {}


def _set_text(self: Any, text: str, justify: bool = False) -> None:
    _state["set_text"](self, text, justify)
    if not any(separator in self.text for separator in _SEPARATORS):
        from weasyprint.text.ffi import pango

        pango.pango_layout_set_single_paragraph_mode(self.layout, True)


def _deactivate(self: Any) -> None:
    if self.__dict__.get("_drawn"):
        _state["deactivate"](self)
    else:
        self._parked = True  # kept for drawing; released after it


def _reactivate(self: Any, style: Any) -> None:
    parked = self.__dict__.pop("_parked", False)
    self._drawn = True
    if (
        parked
        and self.__dict__.get("style") is style
        and not self.justification_spacing
        and self.__dict__.get("layout") is not None
        and _one_line(self.layout)
    ):
        return
    _state["reactivate"](self, style)


def _one_line(layout: Any) -> bool:
    """Whether all of the layout's text is on its first line. A layout kept from line
    breaking may still have the line's width set, where drawing builds one without: the
    same line then, unless the text would wrap (a hyphenated word that only just fits).
    Pango has the lines at hand already, so this costs no shaping."""
    from weasyprint.text.ffi import ffi, pango

    return pango.pango_layout_get_line_readonly(layout, 1) == ffi.NULL


def installed() -> bool:
    from weasyprint.text.line_break import Layout

    return Layout.reactivate is _reactivate


def install() -> bool:
    """Keep lines' Pango layouts for drawing; False (nothing changed) on another WeasyPrint."""
    import weasyprint
    from weasyprint.text.line_break import Layout

    if installed():
        return True
    if weasyprint.__version__.split(".")[0] != FOR_VERSION:
        return False
    _state.update(
        set_text=Layout.set_text, deactivate=Layout.deactivate, reactivate=Layout.reactivate
    )
    Layout.set_text = _set_text
    Layout.deactivate = _deactivate
    Layout.reactivate = _reactivate
    return True


def uninstall() -> None:
    """WeasyPrint's own behaviour again (the benchmark's bare render, tests)."""
    from weasyprint.text.line_break import Layout

    if not installed():
        return
    Layout.set_text = _state["set_text"]
    Layout.deactivate = _state["deactivate"]
    Layout.reactivate = _state["reactivate"]
