"""Microseconds per call of the self-scan's pure core: score() and advise().

Run from the repository root::

    .venv/bin/python bench/selfscan_scoring.py [--number N] [--repeat R]

Uses the current questionnaire and the 2026 rules, with three answer sets (all worst, a
middle mix, all best) and a medium-sized organisation (so the quota indication is made too).
Prints the best of R repeats of N calls each, per function, in microseconds. No I/O is
measured: the questionnaire, its advice texts and the rules are loaded once before timing.
The HTTP side of the scan is bench/selfscan.py's business.
"""

from __future__ import annotations

import argparse
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import regulations
from selfscan import advice, questionnaires, scoring
from selfscan.model import OrganisationProfile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=2000, help="calls per repeat")
    parser.add_argument("--repeat", type=int, default=5, help="repeats; the best is shown")
    args = parser.parse_args()

    questionnaire = questionnaires.current()
    questionnaires.load_advice(questionnaire.version)
    rules = regulations.for_year(2026)
    profile = OrganisationProfile(employees=60, sector="G")
    questions = [q for t in questionnaire.themes for q in t.questions]
    answer_sets = {
        "worst": {q.id: q.options[0].id for q in questions},
        "middle": {q.id: q.options[len(q.options) // 2].id for q in questions},
        "best": {q.id: q.options[-1].id for q in questions},
    }

    print(f"questionnaire {questionnaire.version}: {len(questions)} questions, rules {rules.year}")
    print(f"{'answers':<8} {'score µs':>9} {'advise µs':>10} {'both µs':>9}")
    for name, answers in answer_sets.items():
        result = scoring.score(questionnaire, answers)

        def run_score(answers: dict[str, str] = answers) -> None:
            scoring.score(questionnaire, answers)

        def run_advise(result: scoring.ScanResult = result) -> None:
            advice.advise(questionnaire, result, profile, rules, "nl")

        def run_both(answers: dict[str, str] = answers) -> None:
            advice.advise(questionnaire, scoring.score(questionnaire, answers), profile, rules)

        figures = [
            min(timeit.repeat(fn, number=args.number, repeat=args.repeat)) / args.number * 1e6
            for fn in (run_score, run_advise, run_both)
        ]
        print(f"{name:<8} {figures[0]:>9.1f} {figures[1]:>10.1f} {figures[2]:>9.1f}")


if __name__ == "__main__":
    main()
