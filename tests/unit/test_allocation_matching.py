"""Hard constraints and soft criteria of a single pair (coop.allocation.matching)."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from coop.allocation.matching import (
    WEIGHTS,
    Guidance,
    Opening,
    Seeker,
    blockers,
    explain,
    match,
    score_of,
)
from coop.allocation.texts import reason_text, signed

TODAY = dt.date(2026, 11, 23)
UTRECHT, ZEIST, AMSTERDAM = "GM0344", "GM0355", "GM0363"
MIDDEN_UTRECHT, GROOT_AMSTERDAM = "AM22", "AM14"


def seeker(**changes: object) -> Seeker:
    base = Seeker(
        id=1,
        municipality=UTRECHT,
        region=MIDDEN_UTRECHT,
        travel="regio",
        hours_per_week=24,
        available_from=TODAY,
        place_types=frozenset({"betaalde_baan", "proefplaatsing"}),
        guidance=Guidance.GEMIDDELD,
        support_needs=frozenset({"schriftelijke_instructies"}),
        days=frozenset({"ma", "di", "wo", "do"}),
        sectors=frozenset({"G"}),
        task_kinds=frozenset({"logistiek", "winkel"}),
    )
    return msgspec.structs.replace(base, **changes)


def opening(**changes: object) -> Opening:
    base = Opening(
        id=10,
        place_type="betaalde_baan",
        municipality=UTRECHT,
        region=MIDDEN_UTRECHT,
        hours_per_week=20,
        start=TODAY,
        end=None,
        guidance=Guidance.INTENSIEF,
        supports=frozenset({"schriftelijke_instructies", "vaste_werkplek"}),
        slots_free=1,
        days=frozenset({"ma", "di"}),
        sector="G",
        task_kinds=frozenset({"logistiek"}),
    )
    return msgspec.structs.replace(base, **changes)


def test_a_fitting_pair_has_no_blockers_and_the_full_score_where_everything_fits():
    pair = match(seeker(task_kinds=frozenset({"logistiek"})), opening(), TODAY)
    assert pair is not None
    assert pair.score == 100
    assert [r.code for r in pair.reasons] == [
        "sector_match",
        "tasks_match",
        "hours_full",
        "travel_local",
        "days_fit",
        "start_soon",
    ]


@pytest.mark.parametrize(
    ("who", "where", "blocker"),
    [
        ({}, {"place_type": "beschut_werk"}, "place_type"),
        ({"hours_per_week": 16}, {}, "hours"),
        ({"available_from": TODAY + dt.timedelta(days=60)}, {"end": TODAY}, "period"),
        ({"travel": "gemeente"}, {"municipality": ZEIST}, "travel"),
        ({}, {"municipality": AMSTERDAM, "region": GROOT_AMSTERDAM}, "travel"),
        ({"guidance": Guidance.INTENSIEF}, {"guidance": Guidance.GEMIDDELD}, "guidance"),
        ({"support_needs": frozenset({"geen_tillen"})}, {}, "support"),
        ({}, {"slots_free": 0}, "capacity"),
    ],
)
def test_each_hard_constraint_rules_a_pair_out(who, where, blocker):
    assert blockers(seeker(**who), opening(**where)) == (blocker,)
    assert match(seeker(**who), opening(**where), TODAY) is None


def test_hard_constraints_that_hold_at_the_edge():
    # The same hours as available, a place ending the day the person becomes available,
    # exactly the guidance needed, and someone who travels anywhere.
    assert not blockers(
        seeker(hours_per_week=20, guidance=Guidance.INTENSIEF, travel="verder"),
        opening(end=TODAY, municipality=AMSTERDAM, region=GROOT_AMSTERDAM),
    )


def test_several_blockers_are_all_named_in_a_fixed_order():
    assert blockers(
        seeker(hours_per_week=8, support_needs=frozenset({"geen_tillen"})),
        opening(place_type="beschut_werk", slots_free=0),
    ) == ("place_type", "hours", "support", "capacity")


def test_travel_within_the_region_scores_less_than_at_home_and_further_costs_points():
    home = {r.code: r.points for r in explain(seeker(), opening(), TODAY)}
    region = {r.code: r.points for r in explain(seeker(), opening(municipality=ZEIST), TODAY)}
    far = explain(
        seeker(travel="verder"),
        opening(municipality=AMSTERDAM, region=GROOT_AMSTERDAM),
        TODAY,
    )
    assert home["travel_local"] == WEIGHTS["travel"]
    assert region["travel_region"] == WEIGHTS["travel"] // 2
    far_line = next(r for r in far if r.code == "travel_far")
    assert far_line.points == -10
    assert f"{signed(far_line.points)} {reason_text(far_line)}" == "−10 reistijd aan de hoge kant"


def test_sector_lines_read_as_the_coordinator_expects():
    line = explain(seeker(), opening(), TODAY)[0]
    assert f"{signed(line.points)} {reason_text(line)}" == "+25 voorkeur sector klopt"
    assert explain(seeker(), opening(sector="Q"), TODAY)[0].points == 0
    assert explain(seeker(sectors=frozenset()), opening(sector="Q"), TODAY)[0].points == 12


def test_tasks_score_by_the_share_of_wanted_kinds_on_offer():
    # Two kinds wanted, one offered: half of the 20 points.
    tasks = explain(seeker(), opening(), TODAY)[1]
    assert (tasks.code, tasks.points, tasks.values) == (
        "tasks_match",
        10,
        {"shared": "1", "wanted": "2"},
    )
    none = explain(seeker(), opening(task_kinds=frozenset({"zorg"})), TODAY)[1]
    assert (none.code, none.points) == ("tasks_other", 0)


@pytest.mark.parametrize(("hours", "points"), [(24, 20), (20, 20), (19, 10), (12, 10), (8, 0)])
def test_hours_reward_using_what_the_person_can_offer(hours, points):
    assert explain(seeker(), opening(hours_per_week=hours), TODAY)[2].points == points


def test_days_and_start():
    assert explain(seeker(), opening(days=frozenset({"ma", "vr"})), TODAY)[4].code == "days_partly"
    assert explain(seeker(), opening(days=frozenset({"vr"})), TODAY)[4].points == 0
    later = explain(seeker(), opening(start=TODAY + dt.timedelta(days=90)), TODAY)[5]
    assert later.code == "start_later"
    assert later.values == {"date": "2027-02-21"}
    # A place that has started already but the person only becomes free next week: soon.
    soon = explain(
        seeker(available_from=TODAY + dt.timedelta(days=7)),
        opening(start=TODAY - dt.timedelta(days=100)),
        TODAY,
    )[5]
    assert soon.code == "start_soon"


def test_the_score_stays_between_0_and_100():
    worst = explain(
        seeker(travel="verder", task_kinds=frozenset({"zorg"})),
        opening(
            municipality=AMSTERDAM,
            region=GROOT_AMSTERDAM,
            sector="Q",
            task_kinds=frozenset({"groen"}),
            hours_per_week=4,
            days=frozenset({"vr"}),
            start=TODAY + dt.timedelta(days=200),
        ),
        TODAY,
    )
    assert sum(r.points for r in worst) == -10
    assert score_of(worst) == 0
