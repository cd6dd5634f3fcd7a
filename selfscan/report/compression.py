"""Deflate a report's PDF streams at zlib's default level (6), not at level 9.

pydyf (WeasyPrint's PDF writer) compresses every content and font stream with
``zlib.compressobj(level=9)``. For a report's streams level 9 costs about three times the
CPU of level 6 (some 17 ms against 6 ms per report) for a file about 2% smaller
(82 kB against 84 kB): not worth it for a report rendered on demand.

:func:`install` gives pydyf a stand-in for its ``zlib`` module whose ``compressobj``
uses :data:`LEVEL`; everything else is the real module. The PDF stays a valid, compressed
PDF; only the deflate level changes.
"""

from __future__ import annotations

import zlib
from types import ModuleType
from typing import Any

__all__ = ["LEVEL", "install", "installed", "uninstall"]

#: zlib's default: nearly level 9's size at a third of its time on a report's streams.
LEVEL = 6


class _Zlib(ModuleType):
    """The ``zlib`` module, with :data:`LEVEL` as ``compressobj``'s level."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = LEVEL, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(LEVEL, *args, **kwargs)


_SHIM = _Zlib("zlib")


def installed() -> bool:
    import pydyf

    return pydyf.zlib is _SHIM


def install() -> bool:
    """Let pydyf deflate at :data:`LEVEL`; False when pydyf has no ``zlib`` to replace."""
    import pydyf

    if installed():
        return True
    if getattr(pydyf, "zlib", None) is not zlib:  # pragma: no cover - another pydyf
        return False
    pydyf.zlib = _SHIM
    return True


def uninstall() -> None:
    """pydyf's own level 9 again (the benchmark's bare render)."""
    import pydyf

    if installed():
        pydyf.zlib = zlib
