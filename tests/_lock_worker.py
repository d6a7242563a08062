"""Process A of the lock tests: holds a store, opens and closes a second one (as Review's worker
does), waits while another process opens and closes the store (as the CLI does), then appends.

    python _lock_worker.py DB DRILL TEAM

It reads one line from stdin before each step and prints what it has committed, so the parent
decides when process B runs and knows what must survive the SIGKILL that ends this process.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _drill_fixtures import as_answers, ei_key, ei_scenario

from scenarios.guide import answers as guide_answers
from scoring.store import Store


def main() -> None:
    db, drill, team = sys.argv[1:4]
    scenario = ei_scenario()
    answers = as_answers(scenario, guide_answers(scenario, ei_key(scenario)))
    store = Store(db)
    exercise = store.resume(drill)

    def answer_next() -> None:
        inject = exercise.release(team).inject
        exercise.submit(team, inject, answers[inject])
        print(f"submitted {inject}", flush=True)

    answer_next()
    second = Store(db)  # Review's worker: its own connection, opened and closed
    second.drills()
    second.close()
    print("second closed", flush=True)
    sys.stdin.readline()  # process B opens and closes the store meanwhile
    while exercise.state.teams[team].next is not None:
        answer_next()
    print("done", flush=True)
    sys.stdin.readline()  # killed here, with the store still open


if __name__ == "__main__":
    main()
