"""Benchmark: score 10,000 team drills; the goal is at least 10,000 scorecards per second.
Then: scoring a drill read from the store within 3x of scoring it from objects in memory.

    python tests/benchmarks/bench_score.py [--drills N] [--seed S] [--stored 1000,10000] [--rounds 5]

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
STORED_GOAL = 3.0  # (a)/(b): scoring from the store against scoring from memory


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
    print(f"scenarios: {len(scenarios)}; drills: {args.drills:,}; events: {events:,} "
          f"({events / args.drills:.1f} a drill)")
    print(f"scored {args.drills:,} team drills in {elapsed:.3f} s: {rate:,.0f} scorecards/second "
          f"(goal {GOAL:,}: {'met' if rate >= GOAL else 'NOT met'}); mean overall {total / args.drills:.1f}")
    return rate


def _empty_caches() -> None:
    from scenarios import events, scenario_index
    from scoring import history, plan

    for cache in (scenario_index._SNAPSHOTS, events._SNAPSHOT_TEXTS, scenario_index.INDEXES, history._KEYS, plan.PLANS):
        cache.clear()


def stored(sizes: list[int], rounds: int = 5) -> dict[int, float]:
    """Times (a) and (b) at each size; returns {size: (a)/(b)} of the medians."""
    import statistics
    import tempfile

    from _review_store import build, multiply, read_sql

    from scoring import history
    from scoring.store import Store

    ratios = {}
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as tmp:
        root = Path(tmp)
        template = build(root / "played.db", drills=60)
        for size in sizes:
            path = multiply(template, root / f"drills-{size}.db", size)
            with Store(path) as store:
                ids = [r[0] for r in read_sql(store, "SELECT id FROM drills ORDER BY rowid")]
                memory = [(d.scenario, d.key, d.events) for d in map(lambda i: history.load(store, i), ids)]
                hashes = len({r[0] for r in read_sql(store, "SELECT DISTINCT scenario_hash FROM drills")})
                a_times, b_times = [], []
                check_a = check_b = 0.0
                for _ in range(rounds):
                    _empty_caches()
                    t0 = time.perf_counter()
                    check_a = sum(c.overall for i in ids for c in history.load(store, i).cards.values())
                    a_times.append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    check_b = sum(c.overall for sc, key, log in memory for c in score(sc, key, log).values())
                    b_times.append(time.perf_counter() - t0)
            assert abs(check_a - check_b) < 1e-6, (check_a, check_b)  # the same scores both ways
            a, b = statistics.median(a_times), statistics.median(b_times)
            ratios[size] = a / b
            print(f"{size:,} stored drills ({hashes} scenario hashes), medians of {rounds}: "
                  f"(a) from the store {a:.3f} s = {1000 * a / size:.3f} ms/drill; "
                  f"(b) from memory {b:.3f} s = {1000 * b / size:.3f} ms/drill; "
                  f"(a)/(b) = {a / b:.2f}x (goal <= {STORED_GOAL:g}: {'met' if a / b <= STORED_GOAL else 'NOT met'})")
    return ratios


def test_score_10000_team_drills():
    """As a pytest benchmark: `pytest tests/benchmarks/bench_score.py -s`."""
    assert main([]) >= GOAL


def test_scoring_a_stored_drill_within_3x_of_memory():
    """`pytest tests/benchmarks/bench_score.py -s -k stored`."""
    assert all(r <= STORED_GOAL for r in stored([1_000, 10_000]).values())


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--stored", default="1000,10000", help="store sizes, comma separated ('' skips)")
    parser.add_argument("--rounds", type=int, default=5)
    known, rest = parser.parse_known_args()
    ok = main(rest) >= GOAL
    if known.stored:
        ok &= all(r <= STORED_GOAL for r in stored([int(n) for n in known.stored.split(",")], known.rounds).values())
    sys.exit(0 if ok else 1)
