"""What the manual placement form offers: the participants who wait for a place and the
open places with a free slot. Read-only queries on the tables of participants, work and
allocation.

These live apart from :mod:`coop.allocation.repository` on purpose, so that the form
could be added while that module was being changed; nothing here writes, apart from the
audit event of reading participants' names (through :func:`coop.participants.repository.
names`, which records it).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from coop.accounts.principal import Principal
from coop.allocation.batch import held_slots
from coop.allocation.rules import Status
from coop.allocation.tables import Placement
from coop.participants import repository as participants
from coop.participants.rules import Status as ParticipantStatus
from coop.participants.tables import Participant
from coop.reference import regions
from coop.work.rules import PlaceStatus
from coop.work.tables import Place

PLACE_COLUMNS = (
    *Place.all_columns(),
    Place.organisation.name.as_alias("organisation_name"),
    # The matching's soft criterion "sector" reads the member's sector.
    Place.organisation.sector.as_alias("sector"),
)


def _fits(record_id: int) -> bool:
    return 0 < record_id < 2**31


def _with_free(rows: list[dict[str, Any]], held: dict[int, int]) -> list[dict[str, Any]]:
    for r in rows:
        r["free"] = max(0, r["capacity"] - held.get(r["id"], 0))
        region = regions.region(r["region_code"])
        r["region_name"] = region.name if region else r["region_code"]
    return rows


async def open_places(today: date) -> list[dict[str, Any]]:
    """Open places still available on or after ``today`` with at least one free slot,
    by region name and title (the form groups them by region)."""
    rows = await (
        Place.select(*PLACE_COLUMNS)
        .where(Place.status == PlaceStatus.OPEN.value)
        .output(load_json=True)
        .order_by(Place.title)
        .order_by(Place.id)
    )
    rows = [r for r in rows if r["end_date"] is None or r["end_date"] >= today]
    rows = _with_free(rows, await held_slots([r["id"] for r in rows]))
    return sorted((r for r in rows if r["free"] > 0), key=lambda r: r["region_name"])


async def place(place_id: int) -> dict[str, Any] | None:
    """One place, whatever its status, with its free slots; None when there is none."""
    if not _fits(place_id):
        return None
    row = (
        await Place.select(*PLACE_COLUMNS)
        .where(Place.id == place_id)
        .output(load_json=True)
        .first()
    )
    if row is None:
        return None
    return _with_free([row], await held_slots([place_id]))[0]


async def waiting_participants(actor: Principal, *, client_ip: str = "") -> list[dict[str, Any]]:
    """The participants with status ``beschikbaar`` who hold no planned or active
    placement (the same people a batch proposal considers), with code and name, by name.
    Reading the names is audited by the participants' repository."""
    rows = await Participant.select(Participant.id).where(
        (Participant.status == ParticipantStatus.BESCHIKBAAR.value)
        & Participant.anonymised_at.is_null()
    )
    ids = [r["id"] for r in rows]
    if ids:
        placed = await Placement.select(Placement.participant).where(
            Placement.participant.is_in(ids)
            & Placement.status.is_in([Status.GEPLAND.value, Status.ACTIEF.value])
        )
        taken = {r["participant"] for r in placed}
        ids = [i for i in ids if i not in taken]
    named = await participants.names(
        actor, ids, client_ip=client_ip, purpose="manual placement form"
    )
    return sorted(
        named.values(), key=lambda r: (r["last_name"].lower(), r["first_name"].lower(), r["id"])
    )
