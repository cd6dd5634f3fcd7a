"""Proposal time for a batch: constraints, scoring and assignment together.

    .venv/bin/python bench/allocation.py [--sizes 100 1000 5000] [--seed 7]

Participants and places are drawn over the real 2026 municipalities and labour-market
regions with a realistic mix (most people travel within their own municipality or
region; place types, hours, guidance and support needs vary), so that each participant
has a few dozen candidates. The small case is checked against a dense solver
(scipy's ``linear_sum_assignment`` on the full matrix): same number placed, same total.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from scipy.optimize import linear_sum_assignment

from coop.allocation.matching import Guidance, Opening, Seeker, match
from coop.allocation.proposal import propose
from coop.reference import regions

TODAY = dt.date(2026, 11, 23)
TYPES = [
    "betaalde_baan",
    "proefplaatsing",
    "participatieplaats",
    "werkervaringsplaats",
    "beschut_werk",
]
SUPPORTS = [
    "schriftelijke_instructies",
    "vaste_werkplek",
    "rustige_omgeving",
    "geen_tillen",
    "aangepaste_werktijden",
    "rolstoeltoegankelijk",
    "visuele_instructies",
    "vaste_begeleider",
]
SECTORS = list("ACFGHINQRS")
TASKS = [
    "schoonmaak",
    "groen",
    "logistiek",
    "administratie",
    "productie",
    "horeca",
    "zorg",
    "techniek",
    "winkel",
]
DAYS = ["ma", "di", "wo", "do", "vr"]


def population(n: int, seed: int) -> tuple[list[Seeker], list[Opening]]:
    rnd = random.Random(seed)
    municipalities = regions.municipalities()
    # Places and people cluster in the larger towns: about one town per 150 people, so
    # that the density of candidates stays the same from small batches to large ones.
    hubs = rnd.sample(municipalities, max(2, n // 150))
    seekers = []
    for i in range(n):
        m = rnd.choice(hubs)
        seekers.append(
            Seeker(
                id=i + 1,
                municipality=m.code,
                region=m.region.code,
                travel=rnd.choices(["gemeente", "regio", "verder"], [5, 4, 1])[0],
                hours_per_week=rnd.choice([12, 16, 20, 24, 28, 32, 36]),
                available_from=TODAY + dt.timedelta(days=rnd.randint(-60, 90)),
                place_types=frozenset(rnd.sample(TYPES, rnd.randint(1, 3))),
                guidance=rnd.choice(list(Guidance)),
                support_needs=frozenset(rnd.sample(SUPPORTS, rnd.choice([0, 0, 1, 1, 2]))),
                days=frozenset(rnd.sample(DAYS, rnd.randint(3, 5))),
                sectors=frozenset(rnd.sample(SECTORS, rnd.randint(0, 3))),
                task_kinds=frozenset(rnd.sample(TASKS, rnd.randint(1, 3))),
            )
        )
    openings = []
    for j in range(n):
        m = rnd.choice(hubs)
        start = TODAY + dt.timedelta(days=rnd.randint(-30, 120))
        openings.append(
            Opening(
                id=j + 1,
                place_type=rnd.choice(TYPES),
                municipality=m.code,
                region=m.region.code,
                hours_per_week=rnd.choice([8, 12, 16, 20, 24, 32]),
                start=start,
                end=rnd.choice([None, start + dt.timedelta(days=rnd.randint(60, 720))]),
                guidance=rnd.choice(list(Guidance)),
                supports=frozenset(rnd.sample(SUPPORTS, rnd.randint(1, 5))),
                slots_free=rnd.choice([1, 1, 1, 1, 2, 3]),
                days=frozenset(rnd.sample(DAYS, rnd.randint(2, 5))),
                sector=rnd.choice(SECTORS),
                task_kinds=frozenset(rnd.sample(TASKS, rnd.randint(1, 3))),
            )
        )
    return seekers, openings


def dense_optimum(seekers: list[Seeker], openings: list[Opening]) -> tuple[int, int]:
    """(placed, total score) by a dense solver over every pair and every slot."""
    slots = [o for o in openings for _ in range(o.slots_free)]
    n = len(seekers)
    bonus = 100 * n + 1
    value = np.zeros((n, len(slots) + n))
    for i, s in enumerate(seekers):
        for j, o in enumerate(slots):
            pair = match(s, o, TODAY)
            if pair is not None:
                value[i, j] = bonus + pair.score
    rows, cols = linear_sum_assignment(value, maximize=True)
    placed = sum(1 for r, c in zip(rows, cols, strict=True) if value[r, c] > 0)
    total = int(sum(value[r, c] for r, c in zip(rows, cols, strict=True)) - placed * bonus)
    return placed, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    header = ("participants × places", "candidates/person", "placed", "proposal (median)")
    print(f"{header[0]:>22}  {header[1]:>17}  {header[2]:>7}  {header[3]:>17}")
    for n in args.sizes:
        seekers, openings = population(n, args.seed)
        times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            proposal = propose(seekers, openings, TODAY)
            times.append(time.perf_counter() - started)
        print(
            f"{n:>10,} × {n:<9,}  {proposal.candidates / n:>17.1f}  {len(proposal.matches):>7,}"
            f"  {statistics.median(times) * 1000:>14.0f} ms"
        )
        if n <= 300:
            placed, total = dense_optimum(seekers, openings)
            same = placed == len(proposal.matches) and total == proposal.total_score
            print(
                f"{'':>22}  dense solver: {placed} placed, total {total}; "
                f"sparse: {len(proposal.matches)} placed, total {proposal.total_score} "
                f"-> {'optimal' if same else 'MISMATCH'}"
            )
            if not same:
                sys.exit(1)


if __name__ == "__main__":
    main()
