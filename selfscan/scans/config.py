"""What the host application tells the self-scan, kept in the app's state.

The host (``coop.app.create_app``) puts a :class:`SelfscanConfig` under :data:`STATE_KEY`;
the self-scan reads nothing else from its host, so it can run embedded in another one.
"""

from __future__ import annotations

from typing import Any

import msgspec

STATE_KEY = "selfscan"


class SelfscanConfig(msgspec.Struct, frozen=True, kw_only=True):
    #: The tenant ``/scan`` leads to, and the one an API scan without ``tenant`` belongs to.
    default_tenant: str = "coop"
    #: The public origin, for absolute links (the resume link, ``report_url``).
    base_url: str = "http://127.0.0.1:8000"
    #: New scans one client may start per minute, through the pages and the API together;
    #: 0 turns the limit off (benchmarks).
    new_scans_per_minute: int = 20
    #: The name of the app's store for the counters (memory, or Redis with several workers).
    rate_limit_store: str = "rate_limit"
    #: Days a scan link works.
    link_days: int = 30


def config_of(app: Any) -> SelfscanConfig:
    """The config from the app's state, or the defaults when the host set none."""
    found = app.state.get(STATE_KEY)
    return found if isinstance(found, SelfscanConfig) else SelfscanConfig()
