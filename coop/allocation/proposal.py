"""A batch proposal: the candidate graph, the optimal assignment and the reasons. Pure.

The candidate graph (:mod:`coop.allocation.graph`) holds every pair that passes the hard
constraints, with its score; the assignment (:mod:`coop.allocation.assignment`) picks the
optimum from it; the scalar rules (:mod:`coop.allocation.matching`) explain the pairs
chosen and say why the others stay unmatched.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence

import msgspec
import numpy as np

from coop.allocation.assignment import assign_arrays
from coop.allocation.graph import CandidateGraph
from coop.allocation.matching import BLOCKERS, Match, Opening, Seeker, blockers, match


class Unmatched(msgspec.Struct, frozen=True):
    """A participant the proposal leaves without a place, and why.

    ``reason`` is ``no_candidates`` (no place passes the hard constraints; ``blockers``
    counts which constraints ruled the places within reach out), ``out_of_reach`` (no
    open place within travel range at all) or ``taken`` (places fit, but the optimum
    gives them to others).
    """

    seeker_id: int
    reason: str
    blockers: dict[str, int] = msgspec.field(default_factory=dict)


class Proposal(msgspec.Struct, frozen=True):
    matches: tuple[Match, ...]
    unmatched: tuple[Unmatched, ...]
    candidates: int  # edges in the candidate graph

    @property
    def total_score(self) -> int:
        return sum(m.score for m in self.matches)


class _Index:
    def __init__(self, openings: Sequence[Opening]) -> None:
        self.all = [o for o in openings if o.slots_free > 0]
        self.by_municipality: dict[str, list[Opening]] = defaultdict(list)
        self.by_region: dict[str, list[Opening]] = defaultdict(list)
        for opening in self.all:
            self.by_municipality[opening.municipality].append(opening)
            self.by_region[opening.region].append(opening)

    def within_reach(self, seeker: Seeker) -> list[Opening]:
        if seeker.travel == "gemeente":
            return self.by_municipality.get(seeker.municipality, [])
        if seeker.travel == "regio":
            return self.by_region.get(seeker.region, [])
        return self.all


def propose(seekers: Sequence[Seeker], openings: Sequence[Opening], today: dt.date) -> Proposal:
    """The optimal proposal for a batch (see :mod:`coop.allocation.assignment`)."""
    graph = CandidateGraph.build(seekers, openings, today)
    open_slots = [o for o in openings if o.slots_free > 0]
    result = assign_arrays(
        len(seekers),
        np.asarray([o.slots_free for o in open_slots], dtype=np.int64),
        graph.seeker,
        graph.opening,
        graph.score,
    )
    # Explanations only for the pairs chosen: the scalar rules are the reference, and the
    # vectorised graph must (and is tested to) agree with them.
    matches = []
    for row, col in result:
        pair = match(seekers[row], open_slots[col], today)
        assert pair is not None, "the candidate graph disagrees with the hard constraints"
        matches.append(pair)
    placed = {row for row, _ in result}
    has_candidates = set(graph.seeker.tolist())
    index = _Index(openings)
    unmatched = tuple(
        _why(seeker, row in has_candidates, index)
        for row, seeker in enumerate(seekers)
        if row not in placed
    )
    return Proposal(tuple(matches), unmatched, int(graph.seeker.size))


def _why(seeker: Seeker, had_candidates: bool, index: _Index) -> Unmatched:
    if had_candidates:
        return Unmatched(seeker.id, "taken")
    reach = index.within_reach(seeker)
    if not reach:
        return Unmatched(seeker.id, "out_of_reach")
    counts: Counter[str] = Counter()
    for opening in reach:
        counts.update(blockers(seeker, opening))
    return Unmatched(seeker.id, "no_candidates", {b: counts[b] for b in BLOCKERS if counts[b]})
