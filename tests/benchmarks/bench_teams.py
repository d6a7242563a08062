"""Eight teams answering from their own terminals at once, fifty injects each, on SQLite and on
PostgreSQL, alternating in one run: events per second, and the time from a player's submit to
the console having it (the moment the console's poll takes it in; its view is redrawn in the
same tick).

Run: pytest tests/benchmarks/bench_teams.py -s      (BENCH_TEAMS_ROUNDS, default 3)

Each team is a real process (tests/_player_worker.py: the drill service as the player's app
uses it: join with its code, follow the store, answer, mark its seat), and the console is this
process: it follows the store and releases each team's next inject as soon as the team has
answered, as a facilitator keeping every team busy would. Two console paces:
- `app`: it polls every tui.app.follow.POLL seconds, as the app's console does; the latency is
  what a facilitator sees.
- `flat out`: it polls continuously; the events per second are what the store sustains.
SQLite is a file on disk (its fsyncs included); PostgreSQL the test server on 127.0.0.1 with
fsync on. Each drill: 8 x 50 answers, 8 x 50 releases, and 8 x 100 seat writes beside them.
"""

from __future__ import annotations

import copy
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from _drill_fixtures import ei_scenario_data
from _fault_support import clean_env
from _postgres import fresh_database

from scoring.drills import DrillService
from tui.app.follow import POLL

WORKER = Path(__file__).resolve().parent.parent / "_player_worker.py"
TEAMS = [f"Team {n}" for n in range(1, 9)]
INJECTS = 50
ROUNDS = int(os.environ.get("BENCH_TEAMS_ROUNDS", "3"))


def _long_scenario() -> dict:
    """The test East Independence scenario with its first inject asked 45 more times before it:
    fifty injects on every branch."""
    data = ei_scenario_data()
    first = next(i for i in data["injects"] if i["id"] == "detect")
    extra = INJECTS - 5  # the scenario's own branch has five
    clones = []
    for n in range(1, extra + 1):
        inject = copy.deepcopy(first) | {"id": f"q{n:02d}", "at": 0, "next": f"q{n + 1:02d}" if n < extra else "detect"}
        inject["options"] = [{k: v for k, v in o.items() if k != "next"} for o in inject["options"]]
        clones.append(inject)
    return data | {"id": "bench-fifty", "start": "q01", "injects": clones + data["injects"]}


def _one_drill(db: str, library: Path, cache: Path, pace: float) -> tuple[float, list[float], int]:
    service = DrillService(db=db, library=[str(library)], builtin=False, cache_dir=cache)
    drill = service.start(service.resolve("bench-fifty"), teams=TEAMS, seed=1)
    codes = service.issue_codes(drill).teams
    start = time.time() + 1.5
    players = [subprocess.Popen([sys.executable, str(WORKER), db, codes[t], "--first", "--timing",
                                 "--start-at", str(start)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=clean_env()) for t in TEAMS]
    seen: dict[tuple[str, str], float] = {}
    try:
        time.sleep(max(0.0, start - time.time()))
        began = time.monotonic()
        scanned = len(drill.exercise.events)
        deadline = began + 600
        while not drill.state.finished:
            assert time.monotonic() < deadline, "the teams did not finish"
            drill.catch_up()
            for name, team in drill.state.teams.items():
                if not team.awaiting and team.next is not None:
                    drill.exercise.release(name)  # a write after a player's catches up with it first
            now = time.time()
            for event in drill.exercise.events[scanned:]:
                if event.type == "response-submitted":
                    seen[(event.team, event.inject)] = now
            scanned = len(drill.exercise.events)
            time.sleep(pace)
        elapsed = time.monotonic() - began
        outputs = [p.communicate(timeout=60) for p in players]
    finally:
        for p in players:
            p.kill()
        events = len(drill.exercise.events)
        service.close()
    sent = {}
    for out, err in outputs:
        assert "done" in out, err
        for line in out.splitlines():
            if line.startswith("sent "):
                head, at = line[5:].rsplit(" ", 1)
                team, inject = head.rsplit(" ", 1)
                sent[(team, inject)] = float(at)
    assert len(sent) == len(TEAMS) * INJECTS == len(seen)
    return events / elapsed, [seen[key] - sent[key] for key in sent], events


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def test_eight_teams_fifty_answers_each_on_both_backends(postgres_url):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        library = root / "library"
        library.mkdir()
        (library / "fifty.yaml").write_text(yaml.safe_dump(_long_scenario(), sort_keys=False))
        results: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for round_ in range(ROUNDS):
            for pace_name, pace in (("app", POLL), ("flat out", 0.0)):
                for backend in ("sqlite", "postgres"):
                    if backend == "sqlite":
                        rate, latencies, events = _one_drill(str(root / f"r{round_}-{pace}.db"), library,
                                                             root / "cache", pace)
                    else:
                        with fresh_database(postgres_url) as url:
                            rate, latencies, events = _one_drill(url, library, root / "cache", pace)
                    results.setdefault((pace_name, backend), []).append((rate, _p95(latencies)))
                    print(f"round {round_ + 1} {pace_name:<8} {backend:<8} {events} events, {rate:6.1f}/s, "
                          f"p95 submit→console {_p95(latencies) * 1000:6.0f} ms", flush=True)
    print(f"\nmedians of {ROUNDS} rounds, 8 teams x {INJECTS} answers:")
    for pace_name in ("app", "flat out"):
        med = {b: (statistics.median(r for r, _ in results[(pace_name, b)]),
                   statistics.median(p for _, p in results[(pace_name, b)])) for b in ("sqlite", "postgres")}
        print(f"  console polling {pace_name:<8}: SQLite {med['sqlite'][0]:6.1f} events/s, p95 "
              f"{med['sqlite'][1] * 1000:5.0f} ms; PostgreSQL {med['postgres'][0]:6.1f} events/s, p95 "
              f"{med['postgres'][1] * 1000:5.0f} ms; PostgreSQL/SQLite events/s "
              f"{med['postgres'][0] / med['sqlite'][0]:.2f}x")
        if pace_name == "app":
            assert max(med[b][1] for b in med) < 1.0, "an answer took over a second to reach the console"
