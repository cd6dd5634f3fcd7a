import os

from piccolo.conf.apps import AppConfig

from coop.accounts.tables import ApiToken, OneTimeLink, RecoveryCode, User

APP_CONFIG = AppConfig(
    app_name="accounts",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[User, RecoveryCode, ApiToken, OneTimeLink],
    migration_dependencies=["coop.members.piccolo_app", "selfscan.tenants.piccolo_app"],
    commands=[],
)
