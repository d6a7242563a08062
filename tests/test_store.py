"""The event log, on both backends: the `db` fixture is a new SQLite file or a new PostgreSQL
database, opened through the factory every front end uses (real processes: test_store_processes.py).

SQLite only, being about the file itself: WAL mode, a file that is not a database or whose
pages are scrambled, an unwritable or read-only folder, where the default file lives.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
from _drill_fixtures import as_answers, ei_key, ei_scenario
from _review_store import is_postgres, raw_sql

from scenarios.events import InjectReleased, event_json
from scenarios.guide import answers as guide_answers
from scoring.pgconnect import redact
from scoring.store import (
    APPLICATION_ID,
    ENV_VAR,
    MIGRATIONS,
    SCHEMA_VERSION,
    Store,
    StoreError,
    default_path,
    open_store,
    pg_schema,
    resolve,
    resolve_path,
)

SCENARIO = ei_scenario()
KEY = ei_key(SCENARIO)
GUIDE = as_answers(SCENARIO, guide_answers(SCENARIO, KEY))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def start(store, teams=("blue",)):
    return store.start(SCENARIO, seed=5, teams=list(teams), scenario_hash="test",
                       playbook=KEY.playbook.model_dump(mode="json"))


def untouched(db) -> object:
    """What a refused database must still be afterwards: the file's bytes; on PostgreSQL every
    relation of the schema with its comment, and the versions recorded if there are any."""
    if not is_postgres(db):
        return digest(db)
    relations = raw_sql(db, "SELECT relname, relkind, obj_description(oid, 'pg_class') FROM pg_class "
                            "WHERE relnamespace = 'public'::regnamespace ORDER BY 1")
    versions = raw_sql(db, "SELECT * FROM schema_version ORDER BY 1") if any(
        r[0] == "schema_version" for r in relations) else []
    return relations, versions


def test_events_are_stored_in_order_and_read_back(db, open_db):
    with open_db(db) as store:
        drill, ex = start(store)
        ex.release("blue")
        ex.submit("blue", "detect", "isolate-and-call")
        assert store.events(drill) == ex.events
    assert raw_sql(db, "SELECT MAX(version) FROM schema_version") == [(SCHEMA_VERSION,)]
    rows = raw_sql(db, "SELECT seq, type FROM events WHERE drill=? ORDER BY seq", (drill,))
    started = raw_sql(db, "SELECT payload FROM events WHERE drill=? AND seq=0", (drill,))[0][0]
    assert rows == [(0, "drill-started"), (1, "inject-released"), (2, "response-submitted")]
    assert json.loads(started)["scenario"]["id"] == "test-ei-records"  # the drill's own snapshot
    assert raw_sql(db, "SELECT events FROM drills WHERE id=?", (drill,)) == [(3,)]


def test_a_sqlite_store_is_in_wal_mode(tmp_path):
    with Store(tmp_path / "d.db") as store:
        start(store)
    with sqlite3.connect(tmp_path / "d.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_drills_are_listed_with_their_status_and_resumed(db, open_db):
    with open_db(db) as store:
        first, ex = start(store)
        ex.release("blue")
        ex.submit("blue", "detect", "isolate-and-call")
        second, other = start(store, teams=("red", "gold"))
        other.end()
        listed = {row.id: row for row in store.drills()}
        assert listed[first].status == "in-progress" and listed[second].status == "ended"
        assert listed[second].teams == ["red", "gold"] and listed[first].events == 3
        assert store.find(first[:6]) == first
        assert [r[0] for r in store.listing()] == [r.id for r in store.drills()]
    with open_db(db) as store:  # a new process, say, after the terminal closed
        resumed = store.resume(first)
        assert resumed.state.teams["blue"].answers["detect"].answer == ["isolate-and-call"]
        resumed.release("blue")  # goes on where it stopped, recorded as before
        assert [e.type for e in store.events(first)][-1] == "inject-released"


def test_a_second_terminal_sees_the_first_ones_events(db, open_db):
    with open_db(db) as console, open_db(db) as team_terminal:
        drill, ex = start(console)
        seen = team_terminal.last_seq(drill)
        ex.release("blue")
        assert team_terminal.last_seq(drill) == seen + 1
        assert team_terminal.events_since(drill, seen + 1) == ex.events[seen + 1:]
        view = team_terminal.resume(drill)
        assert view.state.teams["blue"].current == "detect"
        view.submit("blue", "detect", "wipe-now")
        assert console.resume(drill).state.teams["blue"].next == "pressure"


def test_unknown_and_ambiguous_drills(db, open_db):
    with open_db(db) as store:
        with pytest.raises(StoreError) as err:
            store.events("nope")
        assert str(err.value) == f"no drill 'nope' in {store.path} (see `breachdrill results list`)"
        with pytest.raises(StoreError, match="no drill 'nope'"):
            store.append("nope", InjectReleased(team="blue", inject="detect"))
        ids = [start(store)[0] for _ in range(20)]
        # With 20 ids over 16 hex digits, at least two share a first character.
        shared = next(i[0] for i in ids if sum(j[0] == i[0] for j in ids) > 1)
        with pytest.raises(StoreError, match=f"drill '{shared}' is ambiguous"):
            store.find(shared)
        # Ids compare as SQLite's BINARY does on both (never "A" between "a" and "b").
        lettered = [i[:3].upper() for i in ids if i[0].isalpha()][:1]
        for ref in lettered:
            with pytest.raises(StoreError, match=f"no drill '{ref}'"):
                store.find(ref)


def test_reopening_does_not_migrate_again(db, open_db):
    with open_db(db) as store:
        drill, _ = start(store)
    with open_db(db) as store:
        assert [row.id for row in store.drills()] == [drill]
    assert raw_sql(db, "SELECT COUNT(*) FROM schema_version") == [(SCHEMA_VERSION,)]


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
    # Its header still says it is breachdrill's: damaged, with how to save what it holds.
    with pytest.raises(StoreError, match=r"cannot open \(the file is damaged: run `sqlite3 .* \.recover"):
        Store(db)
    assert digest(db) == before


def test_another_programs_database_is_refused_and_left_alone(db, open_db):
    raw_sql(db, "CREATE TABLE invoices (id INTEGER)")
    raw_sql(db, "INSERT INTO invoices VALUES (7)")
    if is_postgres(db):  # a table named like ours, without the mark, is not ours either
        raw_sql(db, "CREATE TABLE schema_version (version integer, applied text)")
    before = untouched(db)
    with pytest.raises(StoreError) as err:
        open_db(db)
    shown = redact(db) if is_postgres(db) else db  # a URL is shown without its password
    assert str(err.value) == f"{shown}: not a breachdrill database"
    assert untouched(db) == before
    assert raw_sql(db, "SELECT id FROM invoices") == [(7,)]


def test_a_database_from_a_newer_breachdrill_is_refused_and_left_alone(db, open_db):
    with open_db(db) as store:
        start(store)
        shown = store.path
    raw_sql(db, "INSERT INTO schema_version VALUES (99, 'later')")
    before = untouched(db)
    with pytest.raises(StoreError) as err:
        open_db(db)
    assert str(err.value) == f"{shown}: made by a newer breachdrill (schema 99); upgrade breachdrill to open it"
    assert untouched(db) == before


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
    url = "postgresql://drill:s3cret@db.example:5432/drills"
    assert resolve_path(tmp_path / "a.db", {ENV_VAR: "/elsewhere.db"}) == tmp_path / "a.db"
    assert resolve_path(None, {ENV_VAR: str(tmp_path / "env.db")}) == tmp_path / "env.db"
    assert resolve_path(None, {}) == default_path()
    assert default_path().name == "breachdrill.db" and "breachdrill" in default_path().parent.parts[-1]
    assert resolve(url, {ENV_VAR: "/elsewhere.db"}) == url and resolve(None, {ENV_VAR: url}) == url
    assert resolve("~/d.db", {}) == Path("~/d.db").expanduser()
    for wrong in (lambda: resolve_path(None, {ENV_VAR: url}), lambda: resolve(Path(url), {})):
        with pytest.raises(StoreError) as err:  # a URL is never taken for a file name
            wrong()
        assert "s3cret" not in str(err.value) and str(err.value).startswith("postgresql://drill:***@db.example")


def test_the_log_refuses_a_doubled_seq(db, open_db):
    with open_db(db) as store:
        drill, _ = start(store)
    with pytest.raises((sqlite3.IntegrityError, psycopg.IntegrityError)):
        raw_sql(db, "INSERT INTO events VALUES (?, 0, 'paused', 0, '{}')", (drill,))


def _version_1(db) -> None:
    """An empty database as schema 1 left it, on either backend."""
    if is_postgres(db):
        for statement in pg_schema.MIGRATIONS[1] + pg_schema.VERSION_TABLE:
            raw_sql(db, statement)
    else:
        conn = sqlite3.connect(db)
        conn.executescript(MIGRATIONS[1])
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)")
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        conn.commit()
        conn.close()
    raw_sql(db, "INSERT INTO schema_version VALUES (1, '2026-11-01T00:00:00+00:00')")


def test_a_version_1_database_is_migrated_with_nothing_lost(db, open_db, tmp_path):
    """A store written by schema 1 opens under the newest: drills, events and answers intact."""
    _version_1(db)
    with Store(tmp_path / "new.db") as fresh:  # real events to copy into the old layout
        drill, ex = start(fresh)
        ex.release("blue")
        ex.submit("blue", "detect", "isolate-and-call")
        events = fresh.events(drill)
    snapshot = json.dumps(events[0].scenario)
    raw_sql(db, "INSERT INTO drills (id, scenario_id, title, scenario_hash, snapshot, seed, teams, mode, timed, "
                "created, status) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (drill, "test-ei-records", "t", "test", snapshot, 5, '["blue"]', "facilitated", 0,
             "2026-11-01T00:00:00+00:00", "in-progress"))
    for seq, event in enumerate(events):
        raw_sql(db, "INSERT INTO events VALUES (?,?,?,?,?)", (drill, seq, event.type, event.at, event_json(event)))
    with open_db(db) as store:
        row = store.drill(drill)
        assert (row.events, row.status) == (3, "in-progress")
        assert store.events(drill) == events
        resumed = store.resume(drill)
        assert resumed.state.teams["blue"].answers["detect"].answer == ["isolate-and-call"]
    placed = raw_sql(db, "SELECT violation, jurisdiction FROM drills")
    assert placed == [(SCENARIO.violation, SCENARIO.jurisdiction)]
    assert raw_sql(db, "SELECT MAX(version) FROM schema_version") == [(SCHEMA_VERSION,)]


def test_the_factory_opens_either_backend(tmp_path, postgres_db):
    with open_store(tmp_path / "f.db") as lite, open_store(None, {ENV_VAR: postgres_db}) as pg:
        assert isinstance(lite, Store) and lite.path == tmp_path / "f.db"
        assert type(pg).__name__ == "PostgresStore" and "***" in pg.path and pg.path != postgres_db
    with open_store(None, {ENV_VAR: str(tmp_path / "env.db")}) as env:
        assert env.path == tmp_path / "env.db"


def test_a_writer_waits_for_another_for_timeout_seconds_then_says_busy(db, open_db):
    with open_db(db) as holder, open_db(db, timeout=1.0) as other:
        drill, _ = start(holder)
        with holder._writing() as conn:  # a write to the drill, its transaction held open
            conn.execute(f"SELECT status FROM drills WHERE id = ?{holder.LOCK_ROW}", (drill,))
            began = time.monotonic()
            with pytest.raises(StoreError) as err:
                other.append(drill, InjectReleased(team="blue", inject="detect"))
            assert 0.9 <= time.monotonic() - began < 10
        assert str(err.value) == f"{other.path}: the database stayed busy for 1 s"
        assert other.append(drill, InjectReleased(team="blue", inject="detect")) == 1
