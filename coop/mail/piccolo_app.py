import os

from piccolo.conf.apps import AppConfig

from coop.mail.tables import OutboxMail

APP_CONFIG = AppConfig(
    app_name="mail",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[OutboxMail],
    migration_dependencies=[],
    commands=[],
)
