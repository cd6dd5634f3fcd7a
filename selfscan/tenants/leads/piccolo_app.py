"""Leads of the self-scan: contact requests with consent, for the scan's WSP."""

import os

from piccolo.conf.apps import AppConfig

from selfscan.tenants.leads.tables import Lead

APP_CONFIG = AppConfig(
    app_name="leads",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Lead],
    migration_dependencies=["selfscan.scans.piccolo_app"],
    commands=[],
)
