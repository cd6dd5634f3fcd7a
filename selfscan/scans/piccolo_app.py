"""Stored self-scans: drafts under an unguessable link, and completed results."""

import os

from piccolo.conf.apps import AppConfig

from selfscan.scans.tables import Scan

APP_CONFIG = AppConfig(
    app_name="scans",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Scan],
    migration_dependencies=["selfscan.tenants.piccolo_app"],
    commands=[],
)
