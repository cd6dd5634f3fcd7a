import os

from piccolo.conf.apps import AppConfig

from coop.members.tables import (
    Application,
    Contact,
    Contribution,
    MembershipEvent,
    Organisation,
)

APP_CONFIG = AppConfig(
    app_name="members",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Organisation, Contact, MembershipEvent, Contribution, Application],
    migration_dependencies=[],
    commands=[],
)
