"""Reading the store: lookups by the primary key, interrupted drills by an index, and a damaged
file as one line naming it rather than a crash. On both backends (the `db` fixture) but where a
test is about SQLite itself: its query plans, and a page of the file overwritten."""

from __future__ import annotations

import sqlite3

import pytest
from _drill_fixtures import ei_scenario

from scoring.store import Store, StoreError

SCENARIO = ei_scenario()


def test_a_drill_is_found_by_id_or_prefix_and_nothing_else(db, open_db):
    with open_db(db) as store:
        ids = [store.start(SCENARIO, seed=n, teams=["blue"], scenario_hash="t")[0] for n in range(20)]
        for drill_id in ids:
            assert store.find(drill_id) == drill_id
        unique = next(d for d in ids if sum(o.startswith(d[:4]) for o in ids) == 1)
        assert store.find(unique[:4]) == unique
        for ref in ("zz", "%", "_", "'", "?", ":x", "\U0010ffff"):  # never a wildcard, a quote, a placeholder
            with pytest.raises(StoreError, match="no drill"):
                store.find(ref)


def test_a_drill_is_found_by_id_or_prefix_through_the_primary_key(tmp_path):
    db = tmp_path / "d.db"
    with Store(db) as store:
        ids = [store.start(SCENARIO, seed=n, teams=["blue"], scenario_hash="t")[0] for n in range(20)]
        for drill_id in ids:
            assert store.find(drill_id) == drill_id
        unique = next(d for d in ids if sum(o.startswith(d[:4]) for o in ids) == 1)
        sent: list[str] = []
        store._conn.set_trace_callback(sent.append)  # the SQL the store really sends
        assert store.find(unique[:4]) == unique
        store.drills(status="in-progress")
        store._conn.set_trace_callback(None)
        with pytest.raises(StoreError, match="no drill 'zz'"):
            store.find("zz")
        with pytest.raises(StoreError, match="no drill '%'"):
            store.find("%")  # not a wildcard
        plans = [" ".join(r[-1] for r in store._conn.execute("EXPLAIN QUERY PLAN " + sql)) for sql in sent]
    assert len(plans) == 3
    for found in plans[:2]:
        assert "SCAN" not in found and "sqlite_autoindex_drills_1" in found, found
    assert "drills_status" in plans[2], plans[2]


def test_interrupted_drills_are_those_in_progress(db, open_db):
    with open_db(db) as store:
        running, _ = store.start(SCENARIO, seed=1, teams=["blue"], scenario_hash="t")
        done, ex = store.start(SCENARIO, seed=2, teams=["blue"], scenario_hash="t")
        ex.end()
        assert [r.id for r in store.drills(status="in-progress")] == [running]
        assert {r.id for r in store.drills()} == {running, done}


def test_a_damaged_table_is_one_line_not_a_crash(tmp_path):
    db = tmp_path / "d.db"
    with Store(db) as store:
        drill, _ = store.start(SCENARIO, seed=1, teams=["blue"], scenario_hash="t")
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='events'").fetchone()[0]
    conn.close()
    with open(db, "r+b") as handle:  # no store is open: overwrite the events table's root page
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * page_size)
    with Store(db) as store:
        with pytest.raises(StoreError) as err:
            store.events(drill)
    assert str(err.value).startswith(f"{db}: cannot read the drills (") and "\n" not in str(err.value)


def test_a_streamed_read_is_one_snapshot_while_others_write(db, open_db):
    with open_db(db) as store, open_db(db) as other:
        ids = [store.start(SCENARIO, seed=n, teams=["blue"], scenario_hash="t")[0] for n in range(5)]
        rows = store._stream("SELECT id FROM drills ORDER BY created, rowid", size=2)
        first = next(rows)
        late, _ = other.start(SCENARIO, seed=9, teams=["blue"], scenario_hash="t")  # committed meanwhile
        assert late not in [r.id for r in store.drills()]  # a read while it is open sees its snapshot too
        assert [first, *rows] == [(i,) for i in ids]
        assert store.drills()[0].id == late  # the next read, the new drill
