import os

from piccolo.conf.apps import AppConfig

from coop.participants.tables import Consent, Participant, ParticipantEvent

APP_CONFIG = AppConfig(
    app_name="participants",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Participant, Consent, ParticipantEvent],
    migration_dependencies=["coop.members.piccolo_app"],
    commands=[],
)
