"""Piccolo's configuration: the engine from DATABASE_URL and every app's registry entry.

Piccolo finds this module through ``PICCOLO_CONF=coop.piccolo_conf`` (set by the
``coop`` command and by the root ``piccolo_conf.py`` for the piccolo CLI).
"""

import os

from piccolo.conf.apps import AppRegistry

from coop.db import engine_from_url
from coop.settings import DEFAULT_DATABASE_URL

DB = engine_from_url(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)

# Every piccolo app of the service, in dependency order.
APP_REGISTRY = AppRegistry(
    apps=[
        "coop.mail.piccolo_app",
        "coop.audit.piccolo_app",
        "coop.members.piccolo_app",
        "coop.work.piccolo_app",
        "coop.participants.piccolo_app",
        "coop.allocation.piccolo_app",
        "selfscan.tenants.piccolo_app",
        "selfscan.scans.piccolo_app",
        "selfscan.tenants.leads.piccolo_app",
        "coop.accounts.piccolo_app",
    ]
)
