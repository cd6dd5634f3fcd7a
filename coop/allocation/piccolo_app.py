import os

from piccolo.conf.apps import AppConfig

from coop.allocation.tables import (
    CheckIn,
    Placement,
    PlacementEvent,
    PlacementMember,
    Proposal,
    ProposalPair,
    WageValue,
)

APP_CONFIG = AppConfig(
    app_name="allocation",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[
        Placement,
        PlacementMember,
        WageValue,
        CheckIn,
        PlacementEvent,
        Proposal,
        ProposalPair,
    ],
    migration_dependencies=[
        "coop.members.piccolo_app",
        "coop.work.piccolo_app",
        "coop.participants.piccolo_app",
    ],
    commands=[],
)
