"""The event log in real processes, on both backends (the `db` fixture: a new SQLite file or a new
PostgreSQL database): a writer killed mid-drill or mid-burst, six writers on one drill, processes
opening a new database at once. The SQLite file's own soundness after a kill (integrity_check) is
checked on SQLite only; on both, each drill's row agrees with its events."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from _drill_fixtures import ROOT, as_answers, ei_key, ei_scenario
from _review_store import is_postgres, raw_sql

from scenarios.drillstate import state
from scenarios.guide import answers as guide_answers
from scoring.score import score
from scoring.store import SCHEMA_VERSION

SCENARIO = ei_scenario()
KEY = ei_key(SCENARIO)
GUIDE = as_answers(SCENARIO, guide_answers(SCENARIO, KEY))
TESTS = Path(__file__).parent
# tests/_store_worker.py, its store opened through the factory: a file or a URL alike.
WORKER = ("import sys; sys.path.insert(0, sys.argv.pop(1)); import _store_worker, scoring.store; "
          "_store_worker.Store = scoring.store.open_store; _store_worker.main()")


def start(store, teams=("blue",)):
    return store.start(SCENARIO, seed=5, teams=list(teams), scenario_hash="test",
                       playbook=KEY.playbook.model_dump(mode="json"))


def _pythonpath() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def worker(db, drill, team, *extra):
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(TESTS), str(db), drill, team, *map(str, extra)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_pythonpath(),
    )


def test_sigkill_mid_drill_loses_no_submitted_answer(db, open_db):
    with open_db(db) as store:
        drill, _ = start(store)
    proc = worker(db, drill, "blue", "--delay", "0.3")
    confirmed = []
    while len(confirmed) < 3:
        line = proc.stdout.readline()
        assert line, proc.stderr.read()
        confirmed.append(line.split()[-1])
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    with open_db(db) as store:
        exercise = store.resume(drill)
        team = exercise.state.teams["blue"]
        for inject in confirmed:
            assert team.answers[inject].answer == GUIDE[inject]
        # Resume and finish the drill where the killed process left it.
        if team.awaiting:
            exercise.submit("blue", team.current, GUIDE[team.current])
        while team.next is not None:
            inject = exercise.release("blue").inject
            exercise.submit("blue", inject, GUIDE[inject])
        exercise.end()
        events = store.events(drill)
    assert state(events).skipped == []
    assert score(SCENARIO, KEY, events)["blue"].overall == 100.0


def test_sigkill_during_a_burst_of_writes_leaves_a_sound_store(db, open_db):
    with open_db(db) as store:
        drill, _ = start(store)
    proc = worker(db, drill, "blue", "--more-drills", "500")
    confirmed = []
    while len(confirmed) < 40:
        line = proc.stdout.readline()
        assert line, proc.stderr.read()
        confirmed.append(line.split()[1:])
    proc.send_signal(signal.SIGKILL)  # wherever it is: mid-transaction, mid-fsync
    proc.wait(timeout=10)
    if not is_postgres(db):
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # Each drill's row agrees with its events: no transaction was left half done.
    assert raw_sql(db, "SELECT d.id FROM drills d WHERE d.events != "
                       "(SELECT COUNT(*) FROM events e WHERE e.drill = d.id)") == []
    with open_db(db) as store:
        for drill_id, team, inject in confirmed:
            assert inject in state(store.events(drill_id)).teams[team].answers


def test_concurrent_writers_neither_lose_nor_double_an_event(db, open_db):
    teams = [f"team-{n}" for n in range(6)]
    with open_db(db) as store:
        drill, _ = start(store, teams=teams)
    begin = time.time() + 1.5  # after every interpreter has started
    procs = [worker(db, drill, team, "--start-at", begin, "--more-drills", 3) for team in teams]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    submitted = [line for out, _ in outputs for line in out.splitlines() if line.startswith("submitted")]
    assert len(submitted) == len(teams) * 4 * 5  # the shared drill and 3 more each, 5 injects
    seqs = [r[0] for r in raw_sql(db, "SELECT seq FROM events WHERE drill=? ORDER BY seq", (drill,))]
    assert seqs == list(range(1 + len(teams) * 10))  # drill-started, then 5 releases + 5 answers a team
    with open_db(db) as store:
        events = store.events(drill)
        assert len(store.drills()) == 1 + len(teams) * 3
        for row in store.drills():
            assert state(store.events(row.id)).skipped == []
    final = state(events)
    assert final.skipped == []
    for team in teams:
        assert final.teams[team].finished
        answered = {i: a.answer for i, a in final.teams[team].answers.items()}
        assert answered == {i: GUIDE[i] for i in final.teams[team].path}


def test_processes_opening_a_new_database_at_once_migrate_it_once(db):
    begin = time.time() + 1.0
    code = ("import sys, time; from scoring.store import open_store; "
            "time.sleep(max(0, float(sys.argv[2]) - time.time())); open_store(sys.argv[1]).close()")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(db), str(begin)], stderr=subprocess.PIPE, text=True,
                              env=_pythonpath()) for _ in range(4)]
    for proc in procs:
        assert proc.wait(timeout=60) == 0, proc.stderr.read()
    assert raw_sql(db, "SELECT version FROM schema_version ORDER BY version") == [
        (v,) for v in range(1, SCHEMA_VERSION + 1)]
