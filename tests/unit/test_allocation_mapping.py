"""The one bridge between participants' and work's spellings and the matching's structs:
every participant place type and travel range lands on a value the matching knows, so a
participant who wants a paid job can match a ``betaalde_baan``."""

from __future__ import annotations

from datetime import date

from coop.allocation.batch import opening_of, seeker_of
from coop.allocation.matching import Guidance, can_match
from coop.participants.rules import Guidance as ParticipantGuidance
from coop.participants.rules import PlaceType, Status, TravelRange
from coop.participants.schemas import MatchProfile
from coop.work.rules import PlaceType as WorkPlaceType

TODAY = date(2026, 11, 23)


def profile(**extra) -> MatchProfile:
    values = {
        "participant_id": 7,
        "status": Status.BESCHIKBAAR,
        "municipality_code": "GM0106",
        "region_code": "AM01",
        "hours_min": 8,
        "hours_max": 24,
        "days": [],
        "available_from": None,
        "travel_range": TravelRange.EIGEN_REGIO,
        "guidance": ParticipantGuidance.GEMIDDELD,
        "support_needs": ["vaste-structuur"],
        "place_types": list(PlaceType),
        "sectors": [],
        "task_kinds": [],
    }
    return MatchProfile(**{**values, **extra})


def place(place_type: str, **extra) -> dict:
    return {
        "id": 3,
        "place_type": place_type,
        "municipality_code": "GM1730",
        "region_code": "AM01",
        "minutes_per_week": 20 * 60,
        "start_date": date(2026, 1, 1),
        "end_date": None,
        "guidance": "intensief",
        "supports": ["vaste-structuur", "rustige-werkplek"],
        "sector": "c",
        **extra,
    }


def test_every_participant_place_type_is_a_work_place_type():
    seeker = seeker_of(profile(), TODAY)
    assert seeker.place_types == {t.value for t in WorkPlaceType}
    for kind in WorkPlaceType:
        assert can_match(seeker, opening_of(place(kind.value), 1)), kind


def test_travel_ranges_hours_and_availability_map_onto_the_matching():
    assert {seeker_of(profile(travel_range=t), TODAY).travel for t in TravelRange} == {
        "gemeente",
        "regio",
        "verder",
    }
    local = seeker_of(profile(travel_range=TravelRange.EIGEN_GEMEENTE), TODAY)
    assert not can_match(local, opening_of(place("betaalde_baan"), 1))  # another municipality
    seeker = seeker_of(profile(available_from=date(2020, 1, 1)), TODAY)
    assert seeker.available_from == TODAY  # a date in the past means "now"
    assert seeker.hours_per_week == 24.0 and seeker.guidance == Guidance.GEMIDDELD
    assert not can_match(seeker, opening_of(place("betaalde_baan", minutes_per_week=25 * 60), 1))


def test_a_place_without_the_needed_support_or_a_free_slot_does_not_match():
    seeker = seeker_of(profile(), TODAY)
    assert not can_match(seeker, opening_of(place("betaalde_baan", supports=[]), 1))
    assert not can_match(seeker, opening_of(place("betaalde_baan"), 0))
    opening = opening_of(place("betaalde_baan"), 2)
    assert opening.hours_per_week == 20 and opening.slots_free == 2 and opening.sector == "c"
