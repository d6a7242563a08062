"""Benchmark: score 10,000 team drills; the goal is at least 10,000 scorecards per second.

    python tests/benchmarks/bench_score.py [--drills N] [--seed S]

Each drill is one team's full event log (drill-started, every release, its answers, ended) on
a built-in scenario (or the test fixture when the library is empty), with answers drawn at
random: any option, any order, keyword text, or no answer. The timed part is `score(...)`
from events to scorecard, the fold over the events included. Building the events is not timed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _drill_fixtures import ei_key, ei_scenario, library, play

from scoring.score import score

GOAL = 10_000


def random_answers(scenario, rng: random.Random) -> dict:
    answers = {}
    for inject in scenario.injects:
        ids = [o.id for o in inject.options]
        roll = rng.random()
        if roll < 0.1:
            continue  # unanswered
        if inject.kind == "single":
            answers[inject.id] = [rng.choice(ids)]
        elif inject.kind == "multi":
            answers[inject.id] = rng.sample(ids, rng.randint(0, len(ids)))
        elif inject.kind == "order":
            answers[inject.id] = rng.sample(ids, len(ids))
        else:
            words = [kw for o in inject.options for kw in o.keywords] + ["we", "will", "check", "later"]
            answers[inject.id] = " ".join(rng.choices(words, k=rng.randint(1, 10)))
    return answers


def main(argv: list[str] | None = None) -> float:
    """Scores the drills, prints the figures and returns the rate in scorecards per second."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drills", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    scenarios = [(s, k) for _, s, k in library() if s is not None] or [(ei_scenario(), ei_key())]
    rng = random.Random(args.seed)
    drills = []
    for n in range(args.drills):
        scenario, key = scenarios[n % len(scenarios)]
        drills.append((scenario, key, play(scenario, random_answers(scenario, rng))))
    events = sum(len(d[2]) for d in drills)

    started = time.perf_counter()
    total = 0.0
    for scenario, key, log in drills:
        total += score(scenario, key, log)["blue"].overall
    elapsed = time.perf_counter() - started

    rate = args.drills / elapsed
    print(f"scenarios: {len(scenarios)}; drills: {args.drills:,}; events: {events:,} ({events / args.drills:.1f} a drill)")
    print(f"scored {args.drills:,} team drills in {elapsed:.3f} s: {rate:,.0f} scorecards/second "
          f"(goal {GOAL:,}: {'met' if rate >= GOAL else 'NOT met'}); mean overall {total / args.drills:.1f}")
    return rate


def test_score_10000_team_drills():
    """As a pytest benchmark: `pytest tests/benchmarks/bench_score.py -s`."""
    assert main([]) >= GOAL


if __name__ == "__main__":
    sys.exit(0 if main() >= GOAL else 1)
