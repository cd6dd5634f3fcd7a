"""The optimal assignment of a batch: as many people placed as possible, and among those
assignments the one with the highest total score. Pure, no I/O.

Why not a greedy loop: taking the best pair first can leave two people unplaced where
another choice places both. We solve it exactly as a minimum-cost full matching
(scipy's LAPJVsp on a sparse graph):

* every participant is a row; every free slot of a place is a column (a place of
  capacity 3 gives three columns), and every participant has one column of its own that
  stands for "unmatched", so that a full matching of the rows always exists;
* an edge to a real slot costs ``K - (BONUS + score)`` and the unmatched column costs
  ``K``. Minimising the total cost therefore maximises ``placed × BONUS + total score``;
  with ``BONUS`` larger than any total of scores one more placed person always outweighs
  any gain in score, which is exactly the lexicographic order asked for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

MAX_SCORE = 100


class Edge(msgspec.Struct, frozen=True, array_like=True):
    seeker_id: int
    opening_id: int
    score: int  # 0..100


class Assignment(msgspec.Struct, frozen=True):
    pairs: tuple[Edge, ...]  # at most one per seeker; per opening at most its capacity
    unmatched: tuple[int, ...]  # seeker ids, in the order they were given

    @property
    def total_score(self) -> int:
        return sum(pair.score for pair in self.pairs)


def assign(
    seekers: Sequence[int], capacity: Mapping[int, int], edges: Sequence[Edge]
) -> Assignment:
    """Optimal pairs for ``seekers`` over openings with ``capacity`` free slots each.

    ``edges`` are the pairs that passed the hard constraints, with their scores; an edge
    naming a seeker or opening not given, or an opening without capacity, is ignored; a
    pair given twice keeps its best score.
    """
    row_of = {seeker: row for row, seeker in enumerate(seekers)}
    openings = [opening for opening, slots in capacity.items() if slots > 0]
    col_of = {opening: col for col, opening in enumerate(openings)}
    best: dict[tuple[int, int], int] = {}
    for edge in edges:
        if edge.seeker_id in row_of and edge.opening_id in col_of:
            key = (row_of[edge.seeker_id], col_of[edge.opening_id])
            best[key] = max(edge.score, best.get(key, edge.score))
    pairs = assign_arrays(
        len(seekers),
        np.asarray([capacity[o] for o in openings], dtype=np.int64),
        np.asarray([row for row, _ in best], dtype=np.int64),
        np.asarray([col for _, col in best], dtype=np.int64),
        np.asarray(list(best.values()), dtype=np.int64),
    )
    placed = {row for row, _ in pairs}
    return Assignment(
        tuple(Edge(seekers[r], openings[c], best[(r, c)]) for r, c in pairs),
        tuple(seeker for row, seeker in enumerate(seekers) if row not in placed),
    )


def assign_arrays(
    n_seekers: int,
    capacity: np.ndarray,
    seeker: np.ndarray,
    opening: np.ndarray,
    score: np.ndarray,
) -> list[tuple[int, int]]:
    """The optimum on arrays: edge ``i`` joins seeker row ``seeker[i]`` and opening column
    ``opening[i]`` (``0 <= opening < len(capacity)``, each pair at most once) with
    ``score[i]``. Returns the chosen (seeker row, opening column) pairs."""
    if n_seekers == 0:
        return []
    capacity = np.maximum(capacity, 0)
    first_slot = np.concatenate(([0], np.cumsum(capacity)[:-1])).astype(np.int64)
    slots = int(capacity.sum())
    bonus = float(MAX_SCORE * n_seekers + 1)
    k = bonus + MAX_SCORE + 1  # keeps every cost positive; scipy drops explicit zeros

    # Fan every edge out over its opening's slots.
    fan = capacity[opening]
    keep = fan > 0
    seeker, opening, score, fan = seeker[keep], opening[keep], score[keep], fan[keep]
    rows = np.repeat(seeker, fan)
    offsets = np.arange(rows.size) - np.repeat(np.cumsum(fan) - fan, fan)
    cols = np.repeat(first_slot[opening], fan) + offsets
    costs = np.repeat(k - bonus - score.astype(np.float64), fan)
    # One "unmatched" column per seeker, after the real slots.
    rows = np.concatenate((rows, np.arange(n_seekers)))
    cols = np.concatenate((cols, slots + np.arange(n_seekers)))
    costs = np.concatenate((costs, np.full(n_seekers, k)))
    graph = csr_matrix((costs, (rows, cols)), shape=(n_seekers, slots + n_seekers))
    _, matched = min_weight_full_bipartite_matching(graph)

    opening_of_slot = np.repeat(np.arange(capacity.size), capacity)
    return [
        (row, int(opening_of_slot[col])) for row, col in enumerate(matched.tolist()) if col < slots
    ]
