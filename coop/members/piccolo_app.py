import os

from piccolo.conf.apps import AppConfig

from coop.members.tables import Organisation

APP_CONFIG = AppConfig(
    app_name="members",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Organisation],
    migration_dependencies=[],
    commands=[],
)
