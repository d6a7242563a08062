"""A team's own terminal as a separate process, through the drill service exactly as the player's
app uses it (join with a code, follow the store, answer what is in front of the team), for the
tests with many real processes on one drill. It prints one line per answer *after* the store
committed it, so the parent knows which answers must be there, also after a SIGKILL.

    python _player_worker.py DB CODE [--delay S] [--start-at EPOCH] [--first] [--timing]

--first answers each inject with its first option (any scenario; the default is the guide's
answers to the test East Independence scenario); --timing also prints `sent TEAM INJECT T`,
the wall time just before each submit, for the benchmark's submit-to-console latency.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _drill_fixtures import as_answers, ei_key, ei_scenario

from scenarios.guide import answers as guide_answers
from scoring.drills import DrillService


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("code")
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--start-at", type=float, default=0.0)
    parser.add_argument("--first", action="store_true")
    parser.add_argument("--timing", action="store_true")
    args = parser.parse_args()
    service = DrillService(db=args.db, builtin=False)
    time.sleep(max(0.0, args.start_at - time.time()))  # every terminal begins together
    seat = service.join(args.code)
    scenario = seat.drill.state.scenario
    if args.first:
        answers = {i.id: "We notify residents." if i.kind == "free" else [o.id for o in i.options][
            : 1 if i.kind == "single" else None] for i in scenario.injects}
    else:
        answers = as_answers(scenario, guide_answers(scenario, ei_key(ei_scenario())))
    print(f"joined {seat.team} at {len(seat.drill.exercise.events)}", flush=True)
    while True:
        seat.drill.catch_up()
        state, team = seat.drill.state, seat.team
        mine = state.teams[team]
        if state.status == "ended" or (mine.current is not None and not mine.awaiting and mine.next is None):
            break
        if state.status == "running" and mine.awaiting:
            service.take_seat(seat, "answering")
            if args.timing:
                print(f"sent {team} {mine.current} {time.time():.6f}", flush=True)
            seat.drill.exercise.submit(team, mine.current, answers[mine.current])
            print(f"saved {team} {mine.current}", flush=True)
            service.take_seat(seat, "watching")
            time.sleep(args.delay)
        else:
            time.sleep(0.02)
    service.take_seat(seat, "left")
    service.close()
    print("done", flush=True)


if __name__ == "__main__":
    main()
