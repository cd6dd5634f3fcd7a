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
    #: New scans per tenant per minute, from all clients together; 0 turns it off.
    tenant_new_scans_per_minute: int = 600
    #: Step forms one client may post per minute, and one tenant from all clients.
    submits_per_minute: int = 120
    tenant_submits_per_minute: int = 6000
    #: A scan completed sooner than this after it was started is not believed: the
    #: person is asked to check the answers and send again. 0 turns it off (tests).
    min_fill_seconds: int = 0
    #: Production: only https:// origins may embed the scan.
    production: bool = False
    #: The labour-market regions (CBS code, name), from the host's reference data.
    regions: tuple[tuple[str, str], ...] = ()
    #: Render a scan's PDF in the background as soon as it is completed on the pages, so
    #: the employer's first download is a cached one. Off in tests, which would otherwise
    #: render a report for every scan they complete.
    render_ahead: bool = False


def config_of(app: Any) -> SelfscanConfig:
    """The config from the app's state, or the defaults when the host set none."""
    found = app.state.get(STATE_KEY)
    return found if isinstance(found, SelfscanConfig) else SelfscanConfig()
