"""A separate process that plays drills into a real SQLite file, for the crash and concurrency
tests. It prints one line per answer *after* the store has committed it, so the parent knows
exactly which answers must survive a SIGKILL.

    python _store_worker.py DB DRILL TEAM [--delay S] [--start-at EPOCH] [--more-drills N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _drill_fixtures import as_answers, ei_key, ei_scenario

from scenarios.guide import answers as guide_answers
from scoring.store import Store


def play_team(store: Store, drill: str, team: str, answers: dict, delay: float) -> None:
    exercise = store.resume(drill)
    while exercise.state.teams[team].next is not None:
        inject = exercise.release(team).inject
        exercise.submit(team, inject, answers[inject])
        print(f"submitted {drill} {team} {inject}", flush=True)
        time.sleep(delay)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("drill")
    parser.add_argument("team")
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--start-at", type=float, default=0.0)
    parser.add_argument("--more-drills", type=int, default=0)
    args = parser.parse_args()
    scenario = ei_scenario()
    answers = as_answers(scenario, guide_answers(scenario, ei_key(scenario)))
    with Store(args.db) as store:
        time.sleep(max(0.0, args.start_at - time.time()))  # all workers begin together
        play_team(store, args.drill, args.team, answers, args.delay)
        for _ in range(args.more_drills):
            drill, _exercise = store.start(scenario, seed=1, teams=[args.team], scenario_hash="test")
            play_team(store, drill, args.team, answers, args.delay)
    print("done", flush=True)


if __name__ == "__main__":
    main()
