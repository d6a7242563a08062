"""The SQLite event log: a real file every time, crashes and concurrent writers included."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _drill_fixtures import ROOT, as_answers, ei_key, ei_scenario

from scenarios.drillstate import state
from scenarios.events import InjectReleased
from scenarios.guide import answers as guide_answers
from scoring.score import score
from scoring.store import (
    ENV_VAR,
    SCHEMA_VERSION,
    Store,
    StoreError,
    default_path,
    resolve_path,
)

SCENARIO = ei_scenario()
KEY = ei_key(SCENARIO)
GUIDE = as_answers(SCENARIO, guide_answers(SCENARIO, KEY))
WORKER = Path(__file__).parent / "_store_worker.py"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def start(store: Store, teams=("blue",)):
    return store.start(SCENARIO, seed=5, teams=list(teams), scenario_hash="test",
                       playbook=KEY.playbook.model_dump(mode="json"))


def test_events_are_stored_in_order_and_read_back(tmp_path):
    db = tmp_path / "drills.db"
    with Store(db) as store:
        drill, ex = start(store)
        ex.release("blue")
        ex.submit("blue", "detect", "isolate-and-call")
        assert store.events(drill) == ex.events
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
        rows = conn.execute("SELECT seq, type FROM events WHERE drill=? ORDER BY seq", (drill,)).fetchall()
        started = conn.execute("SELECT payload FROM events WHERE drill=? AND seq=0", (drill,)).fetchone()[0]
        counted = conn.execute("SELECT events FROM drills WHERE id=?", (drill,)).fetchone()[0]
    assert rows == [(0, "drill-started"), (1, "inject-released"), (2, "response-submitted")]
    assert json.loads(started)["scenario"]["id"] == "test-ei-records"  # the drill's own snapshot
    assert counted == 3


def test_drills_are_listed_with_their_status_and_resumed(tmp_path):
    db = tmp_path / "drills.db"
    with Store(db) as store:
        first, ex = start(store)
        ex.release("blue")
        ex.submit("blue", "detect", "isolate-and-call")
        second, other = start(store, teams=("red", "gold"))
        other.end()
        listed = {row.id: row for row in store.drills()}
        assert listed[first].status == "in-progress" and listed[second].status == "ended"
        assert listed[second].teams == ["red", "gold"] and listed[first].events == 3
        assert store.find(first[:6]) == first
    with Store(db) as store:  # a new process, say, after the terminal closed
        resumed = store.resume(first)
        assert resumed.state.teams["blue"].answers["detect"].answer == ["isolate-and-call"]
        resumed.release("blue")  # goes on where it stopped, recorded as before
        assert [e.type for e in store.events(first)][-1] == "inject-released"


def test_a_second_terminal_sees_the_first_ones_events(tmp_path):
    db = tmp_path / "d.db"
    with Store(db) as console, Store(db) as team_terminal:
        drill, ex = start(console)
        seen = team_terminal.last_seq(drill)
        ex.release("blue")
        assert team_terminal.last_seq(drill) == seen + 1
        view = team_terminal.resume(drill)
        assert view.state.teams["blue"].current == "detect"
        view.submit("blue", "detect", "wipe-now")
        assert console.resume(drill).state.teams["blue"].next == "pressure"


def test_unknown_and_ambiguous_drills(tmp_path):
    with Store(tmp_path / "d.db") as store:
        with pytest.raises(StoreError, match="no drill 'nope' in .*d.db \\(see `breachdrill results list`\\)"):
            store.events("nope")
        with pytest.raises(StoreError, match="no drill 'nope'"):
            store.append("nope", InjectReleased(team="blue", inject="detect"))
        ids = [start(store)[0] for _ in range(20)]
        # With 20 ids over 16 hex digits, at least two share a first character.
        shared = next(i[0] for i in ids if sum(j[0] == i[0] for j in ids) > 1)
        with pytest.raises(StoreError, match=f"drill '{shared}' is ambiguous"):
            store.find(shared)


def test_reopening_does_not_migrate_again(tmp_path):
    db = tmp_path / "d.db"
    with Store(db) as store:
        drill, _ = start(store)
    with Store(db) as store:
        assert [row.id for row in store.drills()] == [drill]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == SCHEMA_VERSION


def test_a_corrupt_file_is_refused_and_left_alone(tmp_path):
    db = tmp_path / "notes.db"
    db.write_bytes(b"Quarterly notes, not a database\n" * 100)
    before = digest(db)
    with pytest.raises(StoreError) as err:
        Store(db)
    assert str(err.value) == f"{db}: not a breachdrill database"
    assert digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_a_damaged_sqlite_file_is_refused_and_left_alone(tmp_path):
    db = tmp_path / "d.db"
    with Store(db) as store:
        start(store)
    raw = bytearray(db.read_bytes())
    raw[100:4096] = os.urandom(3996)  # the schema page, scrambled
    db.write_bytes(bytes(raw))
    before = digest(db)
    with pytest.raises(StoreError, match="not a breachdrill database"):
        Store(db)
    assert digest(db) == before


def test_another_programs_sqlite_file_is_refused_and_left_alone(tmp_path):
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.close()
    before = digest(db)
    with pytest.raises(StoreError, match="other.db: not a breachdrill database"):
        Store(db)
    assert digest(db) == before


def test_a_file_from_a_newer_breachdrill_is_refused_and_left_alone(tmp_path):
    db = tmp_path / "d.db"
    with Store(db) as store:
        start(store)
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO schema_version VALUES (99, 'later')")
    conn.commit()
    conn.close()
    before = digest(db)
    with pytest.raises(StoreError) as err:
        Store(db)
    assert str(err.value).startswith(f"{db}: made by a newer breachdrill (schema 99)")
    assert "\n" not in str(err.value)
    assert digest(db) == before


def test_an_unwritable_location_is_a_clear_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(StoreError) as err:
        Store(blocker / "drills.db")
    assert str(err.value) == f"{blocker / 'drills.db'}: cannot create the database here ({blocker} is not a folder)"


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder holding one breachdrill database, made read-only: by permissions for a normal
    user, by a read-only bind mount for root (whom permissions do not stop)."""
    source = tmp_path / "src"
    source.mkdir()
    with Store(source / "d.db") as store:
        start(store)
    if os.geteuid() != 0:
        source.chmod(0o555)
        (source / "d.db").chmod(0o444)
        yield source
        source.chmod(0o755)
        return
    target = tmp_path / "ro"
    target.mkdir()
    if subprocess.run(["mount", "--bind", str(source), str(target)], capture_output=True, check=False).returncode != 0:
        pytest.skip("cannot make a read-only folder on this machine")
    try:
        remount = subprocess.run(["mount", "-o", "remount,ro,bind", str(target)], capture_output=True, check=False)
        if remount.returncode != 0:
            pytest.skip("cannot make a read-only folder on this machine")
        yield target
    finally:
        subprocess.run(["umount", str(target)], capture_output=True, check=False)


def test_a_read_only_location_is_a_clear_error(read_only_folder):
    db = read_only_folder / "d.db"
    before = digest(db)
    with pytest.raises(StoreError) as err:
        Store(db)
    assert str(err.value) == f"{db}: cannot write here (the file or its folder is read-only)"
    assert digest(db) == before
    with pytest.raises(StoreError) as err:
        Store(read_only_folder / "new.db")
    expected = f"{read_only_folder / 'new.db'}: cannot create the database here ({read_only_folder} is read-only)"
    assert str(err.value) == expected


def test_where_the_database_lives(tmp_path):
    assert resolve_path(tmp_path / "a.db", {ENV_VAR: "/elsewhere.db"}) == tmp_path / "a.db"
    assert resolve_path(None, {ENV_VAR: str(tmp_path / "env.db")}) == tmp_path / "env.db"
    assert resolve_path(None, {}) == default_path()
    assert default_path().name == "breachdrill.db" and "breachdrill" in default_path().parent.parts[-1]


def test_the_log_refuses_a_doubled_seq(tmp_path):
    db = tmp_path / "d.db"
    with Store(db) as store:
        drill, _ = start(store)
    conn = sqlite3.connect(db)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO events VALUES (?, 0, 'paused', 0, '{}')", (drill,))
    conn.close()


# --- real processes --------------------------------------------------------------------------


def worker(db, drill, team, *extra):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(db), drill, team, *map(str, extra)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_sigkill_mid_drill_loses_no_submitted_answer(tmp_path):
    db = tmp_path / "d.db"
    with Store(db) as store:
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

    with Store(db) as store:
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


def test_sigkill_during_a_burst_of_writes_leaves_a_sound_file(tmp_path):
    db = tmp_path / "d.db"
    with Store(db) as store:
        drill, _ = start(store)
    proc = worker(db, drill, "blue", "--more-drills", "500")
    confirmed = []
    while len(confirmed) < 40:
        line = proc.stdout.readline()
        assert line, proc.stderr.read()
        confirmed.append(line.split()[1:])
    proc.send_signal(signal.SIGKILL)  # wherever it is: mid-transaction, mid-fsync
    proc.wait(timeout=10)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Store(db) as store:
        for drill_id, team, inject in confirmed:
            assert inject in state(store.events(drill_id)).teams[team].answers


def test_concurrent_writers_neither_lose_nor_double_an_event(tmp_path):
    db = tmp_path / "d.db"
    teams = [f"team-{n}" for n in range(6)]
    with Store(db) as store:
        drill, _ = start(store, teams=teams)
    begin = time.time() + 1.5  # after every interpreter has started
    procs = [worker(db, drill, team, "--start-at", begin, "--more-drills", 3) for team in teams]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    submitted = [line for out, _ in outputs for line in out.splitlines() if line.startswith("submitted")]
    assert len(submitted) == len(teams) * 4 * 5  # the shared drill and 3 more each, 5 injects
    with sqlite3.connect(db) as conn:
        seqs = [r[0] for r in conn.execute("SELECT seq FROM events WHERE drill=? ORDER BY seq", (drill,))]
    assert seqs == list(range(1 + len(teams) * 10))  # drill-started, then 5 releases + 5 answers a team
    with Store(db) as store:
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


def test_a_version_1_database_is_migrated_with_nothing_lost(tmp_path):
    """A store written by schema 1 opens under schema 2: drills, events and answers intact."""
    from scoring.store import APPLICATION_ID, MIGRATIONS

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.executescript(MIGRATIONS[1])
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)")
    conn.execute("INSERT INTO schema_version VALUES (1, '2026-11-01T00:00:00+00:00')")
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    with Store(tmp_path / "new.db") as fresh:  # real events to copy into the old layout
        drill, ex = start(fresh)
        ex.release("blue")
        ex.submit("blue", "detect", "isolate-and-call")
        events = fresh.events(drill)
    snapshot = json.dumps(events[0].scenario)
    conn.execute("INSERT INTO drills VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                 (drill, "test-ei-records", "t", "test", snapshot, 5, '["blue"]', "facilitated", 0,
                  "2026-11-01T00:00:00+00:00", "in-progress"))
    from scenarios.events import event_json

    for seq, event in enumerate(events):
        conn.execute("INSERT INTO events VALUES (?,?,?,?,?)", (drill, seq, event.type, event.at, event_json(event)))
    conn.commit()
    conn.close()
    with Store(db) as store:
        row = store.drill(drill)
        assert (row.events, row.status) == (3, "in-progress")
        assert store.events(drill) == events
        resumed = store.resume(drill)
        assert resumed.state.teams["blue"].answers["detect"].answer == ["isolate-and-call"]
    with sqlite3.connect(db) as conn:
        placed = conn.execute("SELECT violation, jurisdiction FROM drills").fetchone()
        assert placed == (SCENARIO.violation, SCENARIO.jurisdiction)
        assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
