import os

from piccolo.conf.apps import AppConfig

from coop.work.tables import Place, PooledJob, PooledJobEvent, PooledJobPackage, WorkPackage

APP_CONFIG = AppConfig(
    app_name="work",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[WorkPackage, PooledJob, PooledJobPackage, PooledJobEvent, Place],
    migration_dependencies=["coop.members.piccolo_app"],
    commands=[],
)
