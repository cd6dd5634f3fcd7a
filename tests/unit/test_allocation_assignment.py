"""Batch allocation: the candidate graph and the optimal assignment (coop.allocation)."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coop.allocation.assignment import Edge, assign
from coop.allocation.graph import CandidateGraph
from coop.allocation.matching import Guidance, Opening, Seeker, match
from coop.allocation.proposal import propose

TODAY = dt.date(2026, 11, 23)


def test_the_optimum_is_not_the_greedy_choice():
    # Greedy takes the best pair (1-X, 100) and leaves 2 without a place; the optimum
    # places both: 1-Y and 2-X.
    result = assign([1, 2], {10: 1, 11: 1}, [Edge(1, 10, 100), Edge(1, 11, 90), Edge(2, 10, 50)])
    assert sorted((p.seeker_id, p.opening_id) for p in result.pairs) == [(1, 11), (2, 10)]
    assert result.total_score == 140
    assert result.unmatched == ()


def test_placing_one_more_person_outweighs_any_score():
    # 1-X alone scores 100; 1-Y (0) with 2-X (10) scores only 10 but places two people.
    result = assign([1, 2], {10: 1, 11: 1}, [Edge(1, 10, 100), Edge(1, 11, 0), Edge(2, 10, 10)])
    assert sorted((p.seeker_id, p.opening_id) for p in result.pairs) == [(1, 11), (2, 10)]


def test_a_place_of_capacity_two_takes_the_two_best_and_leaves_the_third():
    result = assign([1, 2, 3], {10: 2}, [Edge(1, 10, 40), Edge(2, 10, 90), Edge(3, 10, 70)])
    assert sorted(p.seeker_id for p in result.pairs) == [2, 3]
    assert result.unmatched == (1,)


def test_edges_to_unknown_or_full_openings_are_ignored_and_duplicates_keep_the_best():
    result = assign(
        [1, 2],
        {10: 1, 11: 0},
        [Edge(1, 11, 100), Edge(1, 99, 100), Edge(3, 10, 100), Edge(2, 10, 5), Edge(2, 10, 60)],
    )
    assert [(p.seeker_id, p.opening_id, p.score) for p in result.pairs] == [(2, 10, 60)]
    assert result.unmatched == (1,)


def test_nobody_to_place():
    assert assign([], {10: 1}, []).pairs == ()
    assert assign([1], {}, []).unmatched == (1,)


def _brute_force(seekers, capacity, edges):
    """(placed, total) over every way to give each seeker one of its edges or nothing."""
    options = [[None] + [e for e in edges if e.seeker_id == s] for s in seekers]
    best = (0, 0)
    for choice in itertools.product(*options):
        used: dict[int, int] = {}
        for edge in choice:
            if edge is not None:
                used[edge.opening_id] = used.get(edge.opening_id, 0) + 1
        if any(n > capacity.get(o, 0) for o, n in used.items()):
            continue
        chosen = [e for e in choice if e is not None]
        best = max(best, (len(chosen), sum(e.score for e in chosen)))
    return best


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=1, max_value=5).flatmap(
        lambda n_seekers: st.tuples(
            st.just(n_seekers),
            st.dictionaries(st.integers(10, 13), st.integers(0, 2), min_size=1, max_size=4),
            st.lists(
                st.tuples(st.integers(1, n_seekers), st.integers(10, 13), st.integers(0, 100)),
                max_size=12,
                unique_by=lambda t: (t[0], t[1]),
            ),
        )
    )
)
def test_the_assignment_is_optimal_against_brute_force(case):
    n_seekers, capacity, raw = case
    seekers = list(range(1, n_seekers + 1))
    edges = [Edge(*t) for t in raw if t[1] in capacity]
    result = assign(seekers, capacity, edges)
    assert (len(result.pairs), result.total_score) == _brute_force(seekers, capacity, edges)
    # A valid assignment: each seeker once, no opening over capacity, only given edges.
    assert len({p.seeker_id for p in result.pairs}) == len(result.pairs)
    for opening, slots in capacity.items():
        assert sum(p.opening_id == opening for p in result.pairs) <= slots
    assert {(p.seeker_id, p.opening_id, p.score) for p in result.pairs} <= set(raw)
    assert sorted([p.seeker_id for p in result.pairs] + list(result.unmatched)) == seekers


# --- the vectorised candidate graph agrees with the scalar rules -------------------------

PLACES = [("GM0344", "AM22"), ("GM0355", "AM22"), ("GM0363", "AM14"), ("GM0599", "AM31")]
TYPES = ["betaalde_baan", "proefplaatsing", "participatieplaats", "beschut_werk"]
SUPPORT = ["geen_tillen", "schriftelijke_instructies", "rustige_omgeving"]
DAYS = ["ma", "di", "wo", "do", "vr"]
TASKS = ["groen", "logistiek", "winkel", "zorg"]


def _subset(rnd, values, low=0):
    return frozenset(rnd.sample(values, rnd.randint(low, len(values))))


def random_population(seed, n_seekers, n_openings):
    rnd = random.Random(seed)
    seekers = []
    for i in range(n_seekers):
        municipality, region = rnd.choice(PLACES)
        seekers.append(
            Seeker(
                id=i + 1,
                municipality=municipality,
                region=region,
                travel=rnd.choice(["gemeente", "regio", "verder"]),
                hours_per_week=rnd.choice([0, 8, 16, 24, 32]),
                available_from=TODAY + dt.timedelta(days=rnd.randint(-40, 80)),
                place_types=_subset(rnd, TYPES, 1),
                guidance=rnd.choice(list(Guidance)),
                support_needs=_subset(rnd, SUPPORT),
                days=_subset(rnd, DAYS),
                sectors=_subset(rnd, list("AGQ")),
                task_kinds=_subset(rnd, TASKS),
            )
        )
    openings = []
    for j in range(n_openings):
        municipality, region = rnd.choice(PLACES)
        start = TODAY + dt.timedelta(days=rnd.randint(-40, 80))
        openings.append(
            Opening(
                id=100 + j,
                place_type=rnd.choice(TYPES),
                municipality=municipality,
                region=region,
                hours_per_week=rnd.choice([4, 8, 12, 16, 20, 32]),
                start=start,
                end=rnd.choice([None, start + dt.timedelta(days=rnd.randint(0, 90))]),
                guidance=rnd.choice(list(Guidance)),
                supports=_subset(rnd, SUPPORT),
                slots_free=rnd.choice([0, 1, 1, 2]),
                days=_subset(rnd, DAYS),
                sector=rnd.choice([None, "A", "G", "Q"]),
                task_kinds=_subset(rnd, TASKS),
            )
        )
    return seekers, openings


@pytest.mark.parametrize("seed", range(12))
def test_the_candidate_graph_equals_the_scalar_rules_pair_by_pair(seed):
    seekers, openings = random_population(seed, 40, 50)
    graph = CandidateGraph.build(seekers, openings, TODAY)
    open_slots = [o for o in openings if o.slots_free > 0]
    vectorised = {
        (seekers[r].id, open_slots[c].id): s
        for r, c, s in zip(
            graph.seeker.tolist(), graph.opening.tolist(), graph.score.tolist(), strict=True
        )
    }
    scalar = {
        (s.id, o.id): m.score
        for s in seekers
        for o in openings
        if (m := match(s, o, TODAY)) is not None
    }
    assert scalar, "the population should produce candidates"
    assert vectorised == scalar


def test_a_proposal_explains_pairs_and_says_why_people_stay_unmatched():
    home = ("GM0344", "AM22")
    base = dict(
        municipality=home[0],
        region=home[1],
        travel="gemeente",
        hours_per_week=24,
        available_from=TODAY,
        place_types=frozenset({"betaalde_baan"}),
        guidance=Guidance.LICHT,
    )
    seekers = [
        Seeker(id=1, **base),
        Seeker(id=2, **base),  # competes with 1 for the only fitting place
        Seeker(id=3, **{**base, "municipality": "GM0363", "region": "AM14"}),  # nothing there
        Seeker(id=4, **{**base, "guidance": Guidance.INTENSIEF}),  # needs more guidance
    ]
    place = dict(
        municipality=home[0],
        region=home[1],
        hours_per_week=20,
        start=TODAY,
        end=None,
        guidance=Guidance.GEMIDDELD,
    )
    openings = [Opening(id=10, place_type="betaalde_baan", **place)]
    proposal = propose(seekers, openings, TODAY)
    assert len(proposal.matches) == 1
    assert proposal.matches[0].seeker_id in (1, 2)
    assert [r.code for r in proposal.matches[0].reasons][:4] == [
        "sector_open",
        "tasks_unknown",
        "hours_full",
        "travel_local",
    ]
    why = {u.seeker_id: (u.reason, u.blockers) for u in proposal.unmatched}
    loser = 2 if proposal.matches[0].seeker_id == 1 else 1
    assert why[loser] == ("taken", {})
    assert why[3] == ("out_of_reach", {})
    assert why[4] == ("no_candidates", {"guidance": 1})
    assert proposal.candidates == 2
