"""The candidate graph of a batch, computed on arrays. Pure.

The rules in :mod:`coop.allocation.matching` are the reference; this module computes the
same hard constraints and the same scores for every pair at once, because a batch of
5,000 participants against 5,000 places is 25 million pairs, too many for a loop in
Python. A property test holds the two to the same answers.

Pairs are only formed where they can match at all: participants are grouped by region,
and a group meets the places of its own region; only those who travel further meet
every place (in chunks, to bound the memory).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

from coop.allocation.matching import (
    SOON,
    TRAVEL_FAR_PENALTY,
    WEIGHTS,
    Opening,
    Seeker,
)

FAR_FUTURE = dt.date.max.toordinal()
CHUNK = 512


class _Vocabulary:
    """Bit positions for the values of one kind (place types, sectors, ...)."""

    def __init__(self, *groups: Iterable[Iterable[str]]) -> None:
        values = sorted({v for group in groups for values in group for v in values})
        if len(values) > 63:
            raise ValueError("more than 63 distinct values do not fit a bit mask")
        self.bit = {value: 1 << i for i, value in enumerate(values)}

    def mask(self, values: Iterable[str]) -> int:
        total = 0
        for value in values:
            total |= self.bit[value]
        return total

    def masks(self, rows: Iterable[Iterable[str]]) -> np.ndarray:
        return np.asarray([self.mask(values) for values in rows], dtype=np.int64)


class _Side:
    """One side of the graph (participants or places) as columns of numbers."""

    def __init__(self, **columns: np.ndarray) -> None:
        self.columns = columns

    def take(self, index: np.ndarray, axis: int) -> dict[str, np.ndarray]:
        shape = (-1, 1) if axis == 0 else (1, -1)
        return {name: values[index].reshape(shape) for name, values in self.columns.items()}


def _codes(values: Sequence[str], known: dict[str, int]) -> np.ndarray:
    return np.asarray([known.setdefault(v, len(known)) for v in values], dtype=np.int64)


class CandidateGraph:
    """Every pair that passes the hard constraints: parallel arrays of seeker row,
    opening column (an index into the openings with a free slot, in the given order) and
    score."""

    def __init__(self, seeker: np.ndarray, opening: np.ndarray, score: np.ndarray) -> None:
        self.seeker = seeker
        self.opening = opening
        self.score = score

    @classmethod
    def build(
        cls, seekers: Sequence[Seeker], openings: Sequence[Opening], today: dt.date
    ) -> CandidateGraph:
        open_slots = [o for o in openings if o.slots_free > 0]
        if not seekers or not open_slots:
            empty = np.zeros(0, dtype=np.int64)
            return cls(empty, empty, empty)
        types = _Vocabulary([s.place_types for s in seekers], [[o.place_type] for o in open_slots])
        supports = _Vocabulary([s.support_needs for s in seekers], [o.supports for o in open_slots])
        sectors = _Vocabulary([s.sectors for s in seekers], [[o.sector or ""] for o in open_slots])
        tasks = _Vocabulary([s.task_kinds for s in seekers], [o.task_kinds for o in open_slots])
        days = _Vocabulary([s.days for s in seekers], [o.days for o in open_slots])
        places: dict[str, int] = {}
        areas: dict[str, int] = {}
        travel = {"gemeente": 0, "regio": 1, "verder": 2}

        people = _Side(
            municipality=_codes([s.municipality for s in seekers], places),
            region=_codes([s.region for s in seekers], areas),
            travel=np.asarray([travel[s.travel] for s in seekers], dtype=np.int64),
            hours=np.asarray([s.hours_per_week for s in seekers], dtype=np.float64),
            available=np.asarray([s.available_from.toordinal() for s in seekers]),
            types=types.masks(s.place_types for s in seekers),
            guidance=np.asarray([int(s.guidance) for s in seekers], dtype=np.int64),
            needs=supports.masks(s.support_needs for s in seekers),
            days=days.masks(s.days for s in seekers),
            sectors=sectors.masks(s.sectors for s in seekers),
            tasks=tasks.masks(s.task_kinds for s in seekers),
            n_tasks=np.asarray([len(s.task_kinds) for s in seekers], dtype=np.int64),
        )
        jobs = _Side(
            municipality=_codes([o.municipality for o in open_slots], places),
            region=_codes([o.region for o in open_slots], areas),
            hours=np.asarray([o.hours_per_week for o in open_slots], dtype=np.float64),
            start=np.asarray([o.start.toordinal() for o in open_slots]),
            end=np.asarray([o.end.toordinal() if o.end else FAR_FUTURE for o in open_slots]),
            type=types.masks([o.place_type] for o in open_slots),
            guidance=np.asarray([int(o.guidance) for o in open_slots], dtype=np.int64),
            supports=supports.masks(o.supports for o in open_slots),
            days=days.masks(o.days for o in open_slots),
            sector=np.asarray(
                [sectors.mask([o.sector]) if o.sector else 0 for o in open_slots],
                dtype=np.int64,
            ),
            tasks=tasks.masks(o.task_kinds for o in open_slots),
        )

        found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for seeker_rows, opening_cols in _blocks(people, jobs):
            for start in range(0, seeker_rows.size, CHUNK):
                rows = seeker_rows[start : start + CHUNK]
                found.append(
                    _pairs(
                        people.take(rows, 0),
                        jobs.take(opening_cols, 1),
                        rows,
                        opening_cols,
                        today.toordinal(),
                    )
                )
        return cls(
            np.concatenate([f[0] for f in found]),
            np.concatenate([f[1] for f in found]),
            np.concatenate([f[2] for f in found]),
        )


def _blocks(people: _Side, jobs: _Side) -> list[tuple[np.ndarray, np.ndarray]]:
    """(seeker rows, opening columns) blocks that hold every pair within travel range."""
    by_region: dict[int, list[int]] = defaultdict(list)
    for col, region in enumerate(jobs.columns["region"].tolist()):
        by_region[region].append(col)
    local: dict[int, list[int]] = defaultdict(list)
    far: list[int] = []
    for row, (region, reach) in enumerate(
        zip(people.columns["region"].tolist(), people.columns["travel"].tolist(), strict=True)
    ):
        (far if reach == 2 else local[region]).append(row)
    blocks = [
        (np.asarray(rows), np.asarray(by_region[region]))
        for region, rows in local.items()
        if region in by_region
    ]
    if far:
        blocks.append((np.asarray(far), np.arange(jobs.columns["region"].size)))
    return blocks


def _pairs(
    s: dict[str, np.ndarray],
    o: dict[str, np.ndarray],
    rows: np.ndarray,
    cols: np.ndarray,
    today: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    same_municipality = s["municipality"] == o["municipality"]
    same_region = s["region"] == o["region"]
    ok = (
        ((s["types"] & o["type"]) != 0)
        & (o["hours"] <= s["hours"])
        & (o["end"] >= s["available"])
        & ((s["travel"] == 2) | ((s["travel"] == 1) & same_region) | same_municipality)
        & (o["guidance"] >= s["guidance"])
        & ((s["needs"] & ~o["supports"]) == 0)
    )
    r, c = np.nonzero(ok)
    if r.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty

    def pick(side: dict[str, np.ndarray], name: str, index: np.ndarray) -> np.ndarray:
        return side[name].reshape(-1)[index]

    sec_s, sec_o = pick(s, "sectors", r), pick(o, "sector", c)
    sector = np.where(
        sec_s == 0, WEIGHTS["sector"] // 2, np.where((sec_s & sec_o) != 0, WEIGHTS["sector"], 0)
    )
    task_s, task_o, n_tasks = pick(s, "tasks", r), pick(o, "tasks", c), pick(s, "n_tasks", r)
    shared = np.bitwise_count((task_s & task_o).astype(np.uint64)).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        share_of_tasks = WEIGHTS["tasks"] * shared / n_tasks
    tasks = np.where(
        (task_s == 0) | (task_o == 0),
        WEIGHTS["tasks"] // 2,
        np.round(np.nan_to_num(share_of_tasks)).astype(np.int64),
    )
    hours_s, hours_o = pick(s, "hours", r), pick(o, "hours", c)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(hours_s > 0, hours_o / np.where(hours_s > 0, hours_s, 1), 0)
    hours = np.where(
        share >= 0.8, WEIGHTS["hours"], np.where(share >= 0.5, WEIGHTS["hours"] // 2, 0)
    )
    travel = np.where(
        same_municipality[r, c],
        WEIGHTS["travel"],
        np.where(same_region[r, c], WEIGHTS["travel"] // 2, TRAVEL_FAR_PENALTY),
    )
    days_s, days_o = pick(s, "days", r), pick(o, "days", c)
    days = np.where(
        (days_o == 0) | (days_s == 0) | ((days_o & ~days_s) == 0),
        WEIGHTS["days"],
        np.where((days_o & days_s) != 0, WEIGHTS["days"] // 2, 0),
    )
    begins = np.maximum(np.maximum(pick(o, "start", c), pick(s, "available", r)), today)
    start = np.where(begins - today <= SOON.days, WEIGHTS["start"], 0)
    score = np.clip(sector + tasks + hours + travel + days + start, 0, 100)
    return rows[r], cols[c], score.astype(np.int64)
