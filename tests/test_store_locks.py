"""Two connections in one process and a second process: no answer is lost to SQLite's locks
(SQLite only: the file's POSIX locks are the subject; test_store.py runs the same writers on both).

Closing any file descriptor on the database drops every POSIX lock the process holds on it
(SQLite's "How To Corrupt An SQLite Database File", 2.2). If the store read the file's header
with ordinary I/O while a connection was open, another process closing the store would think
it was the last, checkpoint and delete the WAL, and the app's later answers would go to a
deleted file. These tests run the real processes and kill the writer with SIGKILL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from _drill_fixtures import ROOT, as_answers, ei_key, ei_scenario
from _fault_support import integrity
from helpers import run_cli

from scenarios.drillstate import state
from scenarios.guide import answers as guide_answers
from scoring.store import Store

SCENARIO = ei_scenario()
KEY = ei_key(SCENARIO)
GUIDE = as_answers(SCENARIO, guide_answers(SCENARIO, KEY))
WORKER = Path(__file__).parent / "_lock_worker.py"


def _pythonpath() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def test_a_second_connection_and_another_process_lose_no_answer(tmp_path):
    db = tmp_path / "drills.db"
    with Store(db) as store:
        drill, _ = store.start(SCENARIO, seed=3, teams=["blue"], scenario_hash="test")
    a = subprocess.Popen([sys.executable, str(WORKER), str(db), drill, "blue"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_pythonpath())
    confirmed = []
    try:
        line = a.stdout.readline()
        while line.startswith("submitted"):
            confirmed.append(line.split()[1])
            line = a.stdout.readline()
        assert line.strip() == "second closed", a.stderr.read()
        b = run_cli("results", "list", "--db", str(db))  # process B: opens and closes the store
        assert b.returncode == 0, b.stderr
        a.stdin.write("\n")
        a.stdin.flush()
        line = a.stdout.readline()
        while line.startswith("submitted"):
            confirmed.append(line.split()[1])
            line = a.stdout.readline()
        assert line.strip() == "done", a.stderr.read()
        assert not (tmp_path / "drills.db-wal").exists() or os.path.getsize(tmp_path / "drills.db-wal") > 0
    finally:
        a.send_signal(signal.SIGKILL)
        a.wait(timeout=10)
    assert a.returncode == -signal.SIGKILL
    assert len(confirmed) > 2
    assert integrity(db) == "ok"
    with Store(db) as store:
        answers = state(store.events(drill)).teams["blue"].answers
    assert list(answers) == confirmed
    for inject in confirmed:
        assert answers[inject].answer == GUIDE[inject]
