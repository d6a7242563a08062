"""Stores full of drills for Review: played through the real engine into a real SQLite file.

Teams improve over time (each drill follows the guide a little more often), so the trend chart
and the "most missed" list have something true to show. Everything is seeded: same store, same
screen.
"""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import tempfile
import uuid
from pathlib import Path
from unittest import mock

from _drill_fixtures import as_answers, library

from scenarios.guide import answers as guide_answers
from scenarios.loader import scenario_hash
from scoring.store import Store

TEAMS = ("Blue", "Red", "Gold", "Green [bold]Crew[/bold]")
START = 1_788_000_000.0  # 2026-08-29, a fixed day: the dates on screen never move
DAY = 86_400.0


def build(path: Path, drills: int = 50, seed: int = 0) -> Path:
    rng = random.Random(seed)
    entries = [(s, k) for _, s, k in library()]
    # Drill ids are random UUIDs; seeded here so that screens showing an id repeat exactly.
    ids = random.Random(seed + 1)
    seeded = mock.patch("scoring.store.writes.uuid.uuid4", lambda: uuid.UUID(int=ids.getrandbits(128)))
    with seeded, Store(path) as store:
        for i in range(drills):
            scenario, key = entries[i % len(entries)]
            teams = [TEAMS[(i + j) % len(TEAMS)] for j in range(1 + i % 2)]
            good = guide_answers(scenario, key)
            bad = guide_answers(scenario, key, harmful=True)
            skill = min(0.95, 0.3 + i / max(drills, 1))
            clock = iter(START + i * DAY + n for n in range(10_000)).__next__
            _, ex = store.start(
                scenario, seed=i, teams=teams, scenario_hash=scenario_hash(scenario),
                playbook=key.playbook.model_dump(mode="json"), clock=clock,
            )
            for team in teams:
                picks = {iid: (good if rng.random() < skill else bad)[iid] for iid in good}
                answers = as_answers(scenario, picks)
                while ex.state.teams[team].next is not None:
                    released = ex.release(team)
                    ex.submit(team, released.inject, answers[released.inject])
            ex.end()  # the store saves each team's scorecard summary with the end event
    return path


def read_sql(store: Store, sql: str, params: tuple = ()) -> list[tuple]:
    """The tests' own SQL on a store's connection (a reference query, a count), either backend
    (`?` placeholders, as the store's own): the Store takes none from its callers."""
    return store._read(sql, params)


def is_postgres(db) -> bool:
    return str(db).startswith(("postgresql://", "postgres://"))


def raw_sql(db, sql: str, params: tuple = ()) -> list[tuple]:
    """The tests' own SQL on the database `db` names (a SQLite file or a PostgreSQL URL), outside
    any store and committed: to look at what the store wrote, or to change it behind its back.
    `?` placeholders on both; the rows it returns, [] for a statement that returns none."""
    if is_postgres(db):
        from scoring.pgconnect import connect
        from scoring.store.pg_sql import params as pg_params
        from scoring.store.pg_sql import translate

        text, style = translate(sql)
        with connect(str(db)) as conn:  # commits when the block ends
            cursor = conn.execute(text, pg_params(style, params))
            return cursor.fetchall() if cursor.description else []
    conn = sqlite3.connect(db)
    try:
        with conn:
            return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def stores_dir() -> Path:
    """Where benchmarks keep the stores they build: $BENCH_STORES, else /dev/shm/bench-stores
    (a disk's fsyncs would take an hour at 100,000 drills), else the temporary folder."""
    if os.environ.get("BENCH_STORES"):
        return Path(os.environ["BENCH_STORES"])
    shm = Path("/dev/shm")
    return shm / "bench-stores" if shm.is_dir() else Path(tempfile.gettempdir()) / "bench-stores"


def cached(drills: int, seed: int = 0) -> Path:
    """A store `build(drills=drills, seed=seed)` wrote, built once and kept for later runs
    (100,000 drills take minutes). Its name holds the size, the seed and a hash of this file
    and of the versions that decide what the store caches with each drill (schema, scorer,
    export layout), so a change to any of them builds it anew; the older one of that size is
    removed. Treat it as read-only: a benchmark that changes a store copies it first."""
    from scoring import history
    from scoring.dbfile import SCHEMA_VERSION
    from scoring.report.tabular import LAYOUT

    versions = f"{SCHEMA_VERSION}/{history.SCORER_VERSION}/{LAYOUT}".encode()
    key = hashlib.sha256(Path(__file__).read_bytes() + versions).hexdigest()[:12]
    folder = stores_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"drills-{drills}-seed{seed}-{key}.db"
    if path.exists():
        return path
    for old in folder.glob(f"drills-{drills}-seed{seed}-*.db*"):
        old.unlink()
    partial = folder / f"building-{drills}-seed{seed}-{key}-{os.getpid()}.db"
    build(partial, drills=drills, seed=seed)  # closed: its WAL is checkpointed into the file
    os.replace(partial, path)
    return path


def multiply(template: Path, path: Path, total: int) -> Path:
    """A store of `total` drills cloned from a template's, with new ids and later dates.

    Writing 10,000 drills one event per transaction (as the app does) would take minutes of
    fsyncs; the copy holds the same rows the engine wrote, so Review reads exactly what it would.
    The cached export rows are not copied (their text names the drill): an export rebuilds them."""
    import shutil

    shutil.copyfile(template, path)
    conn = sqlite3.connect(path)
    originals = [r[0] for r in conn.execute("SELECT id FROM drills")]
    with conn:
        for n in range(total - len(originals)):
            src = originals[n % len(originals)]
            new = f"c{n:011d}"
            conn.execute(
                """INSERT INTO drills SELECT ?, scenario_id, title, scenario_hash, seed, teams, mode, timed,
                   strftime('%Y-%m-%dT%H:%M:%S+00:00', created, ?), status, events, violation, jurisdiction,
                   scored_upto, scored_by, archived, 0, '' FROM drills WHERE id = ?""",
                (new, f"+{n // 50 + 1} days", src))
            # drills.results follows the summaries (the store's triggers); a summary's created is its drill's.
            for table in ("events", "summaries", "misses"):
                columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")][1:]
                picked = ["(SELECT created FROM drills WHERE id = ?1)" if c == "created" else c for c in columns]
                conn.execute(f"INSERT INTO {table} ({', '.join(['drill'] + columns)}) SELECT ?1, {', '.join(picked)} "
                             f"FROM {table} WHERE drill = ?2", (new, src))
    conn.close()
    return path
