"""Entry point for the ``piccolo`` CLI run from the repository root (e.g. to write migrations).

The configuration itself lives in :mod:`coop.piccolo_conf`, so the installed ``coop``
command finds it without the repository root on ``sys.path``.
"""

from coop.piccolo_conf import APP_REGISTRY, DB

__all__ = ["APP_REGISTRY", "DB"]
