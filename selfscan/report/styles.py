"""A shortcut in WeasyPrint 70's computed styles for properties no rule sets.

WeasyPrint computes an element's style lazily: the first time layout or drawing reads a
property, ``ComputedStyle.__missing__`` works out its value (cascaded value, logical
properties, ``var()``, math functions, inheritance). A report reads about 30,000 such
properties per render, a tenth of its time; most of them are set by no rule at all, so
their value is simply the parent's (inherited properties) or the initial value, which
takes the full function all the same.

:func:`install` puts a shortcut in front of that function for exactly those cases: a
property that no rule sets on the element (not even through a logical property such as
``margin-inline-start``), with no special computing (``float``, ``display``, ``position``,
``page``, text decorations, initial values that need computing) and no math function in
the value it takes. It stores and returns the value the full function would; any other
property goes to the full function. The PDF is byte for byte the same (a test compares
them). Only for the WeasyPrint major version this was written against (:data:`FOR_VERSION`).
"""

from __future__ import annotations

from typing import Any

__all__ = ["FOR_VERSION", "install", "installed", "uninstall"]

FOR_VERSION = "70"
_state: dict[str, Any] = {}


def _make_missing(original: Any) -> Any:
    from weasyprint.css.computed_values import PHYSICAL_FUNCTIONS
    from weasyprint.css.functions import check_math
    from weasyprint.css.properties import INHERITED, INITIAL_NOT_COMPUTED, INITIAL_VALUES

    # The logical properties that can stand for a physical one, in either inline direction.
    logical: dict[str, tuple[str, ...]] = {
        key: tuple({function(block="ttb", inline=d) for d in ("ltr", "rtl")})
        for key, function in PHYSICAL_FUNCTIONS.items()
    }
    special = {"float", "display", "position", "page"}
    inherited = {key for key in INITIAL_VALUES if key in INHERITED}
    initial = {
        key: value
        for key, value in INITIAL_VALUES.items()
        if key not in INHERITED
        and key not in INITIAL_NOT_COMPUTED
        and key not in special
        and not key.startswith("text_decoration_")
        and not check_math(value)
    }
    plain_inherited = {
        key for key in inherited if key not in special and not key.startswith("text_decoration_")
    }

    def __missing__(self: Any, key: str) -> Any:
        cascaded = self.cascaded
        if key not in cascaded and not any(name in cascaded for name in logical.get(key, ())):
            if key in initial:
                value = self[key] = initial[key]
                return value
            parent = self.parent_style
            if key in plain_inherited and parent is not None:
                value = parent[key]
                if not check_math(value):
                    self[key] = value
                    return value
        return original(self, key)

    return __missing__


def installed() -> bool:
    from weasyprint.css import ComputedStyle

    return ComputedStyle.__missing__ is _state.get("fast")


def install() -> bool:
    """Put the shortcut in place; False (nothing changed) on another WeasyPrint."""
    import weasyprint
    from weasyprint.css import ComputedStyle

    if installed():
        return True
    if weasyprint.__version__.split(".")[0] != FOR_VERSION:
        return False
    _state["original"] = ComputedStyle.__missing__
    _state["fast"] = _make_missing(_state["original"])
    ComputedStyle.__missing__ = _state["fast"]
    return True


def uninstall() -> None:
    """WeasyPrint's own function again (the benchmark's bare render, tests)."""
    from weasyprint.css import ComputedStyle

    if installed():
        ComputedStyle.__missing__ = _state["original"]
