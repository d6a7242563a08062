"""The event log in SQLite: one transaction per event, safe with several writers, resumable.

Every write is the append of one event (`BEGIN IMMEDIATE`, next `seq` computed inside the
transaction, UNIQUE(drill, seq)), so several terminals can write to one drill and no event is
lost or doubled. A file that is not ours, or from a newer breachdrill, is refused before
anything is written to it (even switching to WAL would rewrite its header).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from .dbfile import (
    APPLICATION_ID,
    ENV_VAR,
    SCHEMA_VERSION,
    StoreError,
    check_location,
    default_path,
    identify,
    resolve_path,
)

if TYPE_CHECKING:
    from scenarios.events import DrillStarted, Event
    from scenarios.exercise import Exercise
    from scenarios.model import Scenario

__all__ = ["ENV_VAR", "SCHEMA_VERSION", "Store", "StoreError", "DrillRow", "default_path", "resolve_path"]


# Each migration takes the schema from version N-1 to N, up to dbfile.SCHEMA_VERSION. Never edit
# one that has shipped: add N+1.
MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE drills (
        id TEXT PRIMARY KEY,
        scenario_id TEXT NOT NULL,
        title TEXT NOT NULL,
        scenario_hash TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        seed INTEGER NOT NULL,
        teams TEXT NOT NULL,
        mode TEXT NOT NULL,
        timed INTEGER NOT NULL,
        created TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('in-progress', 'ended'))
    );
    CREATE TABLE events (
        drill TEXT NOT NULL REFERENCES drills(id),
        seq INTEGER NOT NULL,
        type TEXT NOT NULL,
        at REAL NOT NULL,
        payload TEXT NOT NULL,
        UNIQUE (drill, seq)
    );
    CREATE INDEX drills_created ON drills(created);
    """,
    # Review filters by violation and jurisdiction without reading every snapshot, and knows a
    # drill's event count without counting its events (kept in each append's transaction).
    # summaries and misses cache each team's scorecard for Review; they are valid while
    # drills.scored_upto is the drill's last seq and scored_by the scorer's version. The events
    # stay the truth: the cache can always be rebuilt from them. The scenario snapshot is dropped
    # from drills: the drill-started event holds it, and a 50 KB column in every row made each
    # scan of drills walk its overflow pages.
    2: """
    ALTER TABLE drills ADD COLUMN events INTEGER NOT NULL DEFAULT 0;
    UPDATE drills SET events = (SELECT COUNT(*) FROM events e WHERE e.drill = drills.id);
    ALTER TABLE drills ADD COLUMN violation TEXT NOT NULL DEFAULT '';
    ALTER TABLE drills ADD COLUMN jurisdiction TEXT NOT NULL DEFAULT '';
    UPDATE drills SET violation = COALESCE(json_extract(snapshot, '$.violation'), ''),
                      jurisdiction = COALESCE(json_extract(snapshot, '$.jurisdiction'), '');
    ALTER TABLE drills DROP COLUMN snapshot;
    ALTER TABLE drills ADD COLUMN scored_upto INTEGER NOT NULL DEFAULT -1;
    ALTER TABLE drills ADD COLUMN scored_by TEXT NOT NULL DEFAULT '';
    CREATE TABLE summaries (
        drill TEXT NOT NULL REFERENCES drills(id),
        team TEXT NOT NULL,
        overall REAL NOT NULL,
        summary TEXT NOT NULL,
        PRIMARY KEY (drill, team)
    );
    CREATE INDEX summaries_team ON summaries(team);
    CREATE TABLE misses (
        drill TEXT NOT NULL REFERENCES drills(id),
        team TEXT NOT NULL,
        dimension TEXT NOT NULL,
        subject TEXT NOT NULL,
        how TEXT NOT NULL,
        label TEXT NOT NULL,
        source TEXT
    );
    CREATE INDEX misses_drill ON misses(drill);
    CREATE INDEX drills_scenario ON drills(scenario_id);
    CREATE INDEX drills_violation ON drills(violation);
    CREATE INDEX drills_jurisdiction ON drills(jurisdiction)
    """,
    # An archived drill (a test run, a mistake) stays on disk and out of every statistic; the
    # archived and restored events are the truth, this column lets Review filter without them.
    # Interrupted drills are found at every start: by an index, not a scan of every drill.
    3: """
    ALTER TABLE drills ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX drills_status ON drills(status)
    """,
    # 100,000 drills. Every query Review sends on opening reads an index range it can stop in:
    # - the newest page of results walks drills by (archived, created) and stops at its LIMIT;
    # - the filters' choices are loose index scans (one index seek per distinct value);
    # - the counts read drills.results (kept by triggers on summaries) in a covering index;
    # - each team's latest scores come from summaries(team, created), and its latest on one
    #   scenario from summaries(team, scenario_id, created) (both copied there from drills:
    #   neither a drill's start nor its scenario ever changes);
    # - "most missed" reads miss_totals, kept by triggers on misses and on drills.archived:
    #   as much a cache as misses themselves, and exact by construction;
    # - stale drills are a partial index (behind their events) and a range (another scorer).
    # exports caches each team's rows as `results export` writes them (zlib-compressed text,
    # one row per format), saved with the summaries; drills.exported is their layout version
    # (scoring.report.tabular.LAYOUT), '' when none was saved. Like every cache it is rebuilt
    # from the events when stale.
    4: """
    ALTER TABLE drills ADD COLUMN results INTEGER NOT NULL DEFAULT 0;
    UPDATE drills SET results = (SELECT COUNT(*) FROM summaries s WHERE s.drill = drills.id);
    ALTER TABLE drills ADD COLUMN exported TEXT NOT NULL DEFAULT '';
    ALTER TABLE summaries ADD COLUMN created TEXT NOT NULL DEFAULT '';
    ALTER TABLE summaries ADD COLUMN scenario_id TEXT NOT NULL DEFAULT '';
    UPDATE summaries SET (created, scenario_id) =
        (SELECT d.created, d.scenario_id FROM drills d WHERE d.id = summaries.drill);
    CREATE INDEX summaries_latest ON summaries(team, created);
    CREATE INDEX summaries_compared ON summaries(team, scenario_id, created);
    CREATE INDEX misses_team ON misses(team);
    CREATE INDEX drills_shown ON drills(archived, created);
    CREATE INDEX drills_counted ON drills(archived, results);
    CREATE INDEX drills_scenarios ON drills(archived, scenario_id, title);
    CREATE INDEX drills_violations ON drills(archived, violation);
    CREATE INDEX drills_jurisdictions ON drills(archived, jurisdiction);
    CREATE INDEX drills_scored_by ON drills(scored_by);
    CREATE INDEX drills_unscored ON drills(created) WHERE scored_upto != events - 1;
    CREATE TRIGGER summaries_counted AFTER INSERT ON summaries BEGIN
        UPDATE drills SET results = results + 1 WHERE id = NEW.drill;
    END;
    CREATE TRIGGER summaries_uncounted AFTER DELETE ON summaries BEGIN
        UPDATE drills SET results = results - 1 WHERE id = OLD.drill;
    END;
    CREATE TABLE exports (
        drill TEXT NOT NULL REFERENCES drills(id),
        team TEXT NOT NULL,
        format TEXT NOT NULL,
        rows BLOB NOT NULL,
        PRIMARY KEY (drill, team, format)
    );
    CREATE TABLE miss_totals (
        dimension TEXT NOT NULL,
        subject TEXT NOT NULL,
        how TEXT NOT NULL,
        label TEXT NOT NULL,
        source TEXT,
        n INTEGER NOT NULL
    );
    CREATE INDEX miss_totals_key ON miss_totals(dimension, subject, how, label, source);
    INSERT INTO miss_totals
        SELECT m.dimension, m.subject, m.how, m.label, m.source, COUNT(*)
        FROM misses m JOIN drills d ON d.id = m.drill WHERE d.archived = 0
        GROUP BY m.dimension, m.subject, m.how, m.label, m.source;
    CREATE TRIGGER misses_counted AFTER INSERT ON misses
    WHEN (SELECT archived FROM drills WHERE id = NEW.drill) = 0 BEGIN
        UPDATE miss_totals SET n = n + 1
        WHERE dimension = NEW.dimension AND subject = NEW.subject AND how = NEW.how AND label = NEW.label
              AND source IS NEW.source;
        INSERT INTO miss_totals SELECT NEW.dimension, NEW.subject, NEW.how, NEW.label, NEW.source, 1
        WHERE NOT EXISTS (SELECT 1 FROM miss_totals WHERE dimension = NEW.dimension AND subject = NEW.subject
                          AND how = NEW.how AND label = NEW.label AND source IS NEW.source);
    END;
    CREATE TRIGGER misses_uncounted AFTER DELETE ON misses
    WHEN (SELECT archived FROM drills WHERE id = OLD.drill) = 0 BEGIN
        UPDATE miss_totals SET n = n - 1
        WHERE dimension = OLD.dimension AND subject = OLD.subject AND how = OLD.how AND label = OLD.label
              AND source IS OLD.source;
    END;
    CREATE TRIGGER drills_archived_misses AFTER UPDATE OF archived ON drills
    WHEN OLD.archived != NEW.archived BEGIN
        INSERT INTO miss_totals
            SELECT m.dimension, m.subject, m.how, m.label, m.source, 0 FROM misses m
            WHERE m.drill = NEW.id AND NOT EXISTS (
                SELECT 1 FROM miss_totals t WHERE t.dimension = m.dimension AND t.subject = m.subject
                AND t.how = m.how AND t.label = m.label AND t.source IS m.source)
            GROUP BY m.dimension, m.subject, m.how, m.label, m.source;
        UPDATE miss_totals SET n = n + (CASE WHEN NEW.archived THEN -1 ELSE 1 END) * (
            SELECT COUNT(*) FROM misses m
            WHERE m.drill = NEW.id AND m.dimension = miss_totals.dimension AND m.subject = miss_totals.subject
                  AND m.how = miss_totals.how AND m.label = miss_totals.label AND m.source IS miss_totals.source)
        WHERE EXISTS (
            SELECT 1 FROM misses m
            WHERE m.drill = NEW.id AND m.dimension = miss_totals.dimension AND m.subject = miss_totals.subject
                  AND m.how = miss_totals.how AND m.label = miss_totals.label AND m.source IS miss_totals.source);
    END
    """,
}


def _statements(script: str) -> Iterator[str]:
    """A migration's statements, in order: split at each `;` that ends a statement (a
    trigger's body holds several)."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                yield pending
            pending = ""
    if pending.strip(" \n;"):
        yield pending


@cache
def _event_list():
    """A drill's events after the first, decoded in one call. The engine (and pydantic) are
    imported on first use: `results list` and the app's first look at the file need neither."""
    from pydantic import TypeAdapter

    from scenarios.events import Event

    return TypeAdapter(list[Event])


_ROW_COLUMNS = "id, scenario_id, title, scenario_hash, seed, teams, mode, timed, created, status, events, archived"


@dataclass(frozen=True)
class DrillRow:
    id: str
    scenario_id: str
    title: str
    scenario_hash: str
    seed: int
    teams: list[str]
    mode: str
    timed: bool
    created: str
    status: str  # "in-progress" | "ended"
    events: int
    archived: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "drill_id": self.id,
            "scenario_id": self.scenario_id,
            "title": self.title,
            "scenario_hash": self.scenario_hash,
            "seed": self.seed,
            "teams": self.teams,
            "mode": self.mode,
            "timed": self.timed,
            "created": self.created,
            "status": self.status,
            "events": self.events,
            "archived": self.archived,
        }


class Store:
    """One SQLite file of drills. Open it, use it, close it (or use `with`)."""

    def __init__(self, path: str | os.PathLike | None = None, *, timeout: float = 30.0) -> None:
        self.path = resolve_path(path)
        self.timeout = timeout
        self._conn = self._open()

    # --- opening ----------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        path = self.path
        check_location(path)  # stat() and access() only: see scoring.dbfile for why
        try:
            # isolation_level=None: we issue BEGIN ourselves, one transaction per event.
            conn = sqlite3.connect(path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open ({exc})") from None
        try:
            self._prepare(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        # Identify the file before anything is written: even switching to WAL rewrites the header.
        version = identify(conn, self.path)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")  # an answer is on disk once submit returns
            conn.execute("PRAGMA foreign_keys=ON")
            # A file already at our schema is opened without the write lock: a reader never
            # waits for a writer (opening 100,000 drills costs what opening none does).
            if version != SCHEMA_VERSION:
                self._migrate(conn)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: cannot write here ({exc})") from None

    def _migrate(self, conn: sqlite3.Connection) -> None:
        with self._transaction(conn):
            exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name='schema_version'").fetchone()
            if not exists:
                conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)")
                conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            version = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
            if version > SCHEMA_VERSION:  # another process upgraded it while we waited
                raise StoreError(f"{self.path}: made by a newer breachdrill (schema {version})")
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _statements(MIGRATIONS[target]):
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_version VALUES (?, ?)", (target, _now()))

    @contextmanager
    def _transaction(self, conn: sqlite3.Connection | None = None) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE (the write lock up front, so two writers never both read the same next
        seq), retried while another writer holds the lock, up to `timeout` seconds."""
        conn = conn or self._conn
        deadline = time.monotonic() + self.timeout
        delay = 0.005
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise _write_error(self.path, exc) from None
                if time.monotonic() > deadline:
                    raise StoreError(f"{self.path}: the database stayed busy for {self.timeout:.0f} s") from None
                time.sleep(delay)
                delay = min(delay * 2, 0.2)
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise _write_error(self.path, exc) from None

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ------------------------------------------------------------------------------

    def create(self, started: DrillStarted) -> str:
        """A new drill from its first event; returns the drill id."""
        drill_id = uuid.uuid4().hex[:12]
        snapshot = started.scenario
        row = (
            drill_id,
            str(snapshot.get("id", "")),
            str(snapshot.get("title", "")),
            started.scenario_hash,
            started.seed,
            json.dumps(started.teams),
            started.mode,
            int(started.timed),
            _iso(started.at),  # when the drill started, by the drill's own clock
            "in-progress",
            str(snapshot.get("violation", "")),
            str(snapshot.get("jurisdiction", "")),
        )
        try:
            with self._transaction() as conn:
                conn.execute(
                    """INSERT INTO drills (id, scenario_id, title, scenario_hash, seed, teams, mode,
                                           timed, created, status, violation, jurisdiction)
                       VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
                    row,
                )
                conn.execute(
                    "INSERT INTO events VALUES (?, 0, ?, ?, ?)",
                    (drill_id, started.type, started.at, _event_json(started)),
                )
                conn.execute("UPDATE drills SET events = 1 WHERE id = ?", (drill_id,))
        except sqlite3.Error as exc:
            raise _write_error(self.path, exc) from None
        return drill_id

    def append(self, drill_id: str, event: Event) -> int:
        """Add one event to a drill in its own transaction; returns its seq.

        The drill's row follows its events in the same transaction (status, team names,
        archived), and once a drill has ended each team's scorecard summary is saved with the
        event that changed it, so Review reads what the drill left, never rescoring on open."""
        if event.type == "drill-started":
            raise StoreError("a drill-started event begins a new drill: use Store.create")
        try:
            with self._transaction() as conn:
                row = conn.execute("SELECT status, teams FROM drills WHERE id=?", (drill_id,)).fetchone()
                if row is None:
                    raise StoreError(f"no drill '{drill_id}' in {self.path}")
                status, teams = row
                seq = conn.execute("SELECT COALESCE(MAX(seq), -1) + 1 FROM events WHERE drill=?",
                                   (drill_id,)).fetchone()[0]
                conn.execute(
                    "INSERT INTO events VALUES (?, ?, ?, ?, ?)",
                    (drill_id, seq, event.type, event.at, _event_json(event)),
                )
                conn.execute("UPDATE drills SET events = ? WHERE id = ?", (seq + 1, drill_id))
                if event.type == "ended":
                    status = "ended"
                    conn.execute("UPDATE drills SET status='ended' WHERE id=?", (drill_id,))
                elif event.type == "team-renamed":
                    names = [event.name if t == event.team else t for t in json.loads(teams)]
                    conn.execute("UPDATE drills SET teams = ? WHERE id = ?", (json.dumps(names), drill_id))
                elif event.type in ("archived", "restored"):
                    conn.execute("UPDATE drills SET archived = ? WHERE id = ?",
                                 (int(event.type == "archived"), drill_id))
                if status == "ended":
                    self._save_final(conn, drill_id, seq)
        except sqlite3.Error as exc:
            raise _write_error(self.path, exc) from None
        return seq

    def _save_final(self, conn: sqlite3.Connection, drill_id: str, upto: int) -> None:
        """Score the ended drill from the events inside this transaction and save the summaries
        and each team's export rows. A drill that cannot be scored (its playbook gone) still
        ends: its cache stays stale, and Review says so rather than the end being refused."""
        # history is the read model over this store and imports it: reached at call time.
        from .history import SCORER_VERSION, final_rows

        payloads = conn.execute("SELECT payload FROM events WHERE drill=? ORDER BY seq", (drill_id,)).fetchall()
        created = conn.execute("SELECT created FROM drills WHERE id=?", (drill_id,)).fetchone()[0]
        try:
            rows, layout = final_rows(drill_id, created, self._decode(drill_id, payloads))
        except (StoreError, ValueError, LookupError):
            return
        self._write_summaries(conn, drill_id, upto, SCORER_VERSION, rows, layout)

    def delete(self, drill_id: str) -> None:
        """Remove a drill and everything kept about it, in one transaction. Not an event: the
        command that calls this asks first (`breachdrill results delete`)."""
        try:
            with self._transaction() as conn:
                if conn.execute("SELECT 1 FROM drills WHERE id=?", (drill_id,)).fetchone() is None:
                    raise StoreError(f"no drill '{drill_id}' in {self.path}")
                for table in ("exports", "misses", "summaries", "events"):
                    conn.execute(f"DELETE FROM {table} WHERE drill = ?", (drill_id,))
                conn.execute("DELETE FROM drills WHERE id = ?", (drill_id,))
        except sqlite3.Error as exc:
            raise _write_error(self.path, exc) from None

    def recorder(self, drill_id: str) -> Callable[[Event], int]:
        """`Exercise(record=...)`: every command is saved before the state changes."""
        return lambda event: self.append(drill_id, event)

    # --- reading --------------------------------------------------------------------------------

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Every read goes through here: a damaged file is one line naming it, never a crash."""
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot read the drills ({exc})") from None

    def find(self, ref: str) -> str:
        """A drill id from the id or a unique prefix of it. Both lookups are ranges of the
        primary key (a LIKE would scan the table: it is case-insensitive, the key is not)."""
        if not ref:
            raise StoreError(f"no drill '' in {self.path} (see `breachdrill results list`)")
        if self._read("SELECT 1 FROM drills WHERE id = ?", (ref,)):
            return ref
        after = ref[:-1] + chr(ord(ref[-1]) + 1) if ord(ref[-1]) < 0x10FFFF else ref + "\U0010ffff"
        ids = [r[0] for r in self._read("SELECT id FROM drills WHERE id >= ? AND id < ? ORDER BY id LIMIT 6",
                                        (ref, after))]
        if len(ids) == 1:
            return ids[0]
        if not ids:
            raise StoreError(f"no drill '{ref}' in {self.path} (see `breachdrill results list`)")
        raise StoreError(f"drill '{ref}' is ambiguous: {', '.join(ids[:5])}")

    def drills(self, status: str | None = None) -> list[DrillRow]:
        """Every drill (or those with this status, by its index), newest first."""
        where, params = ("WHERE status = ?", (status,)) if status else ("", ())
        rows = self._read(f"SELECT {_ROW_COLUMNS} FROM drills {where} ORDER BY created DESC, rowid DESC", params)
        return [self._row(r) for r in rows]

    def drill(self, ref: str) -> DrillRow:
        drill_id = self.find(ref)
        found = self._read(f"SELECT {_ROW_COLUMNS} FROM drills WHERE id = ?", (drill_id,))
        if not found:  # deleted by another terminal between the two reads
            raise StoreError(f"no drill '{ref}' in {self.path} (see `breachdrill results list`)")
        return self._row(found[0])

    @staticmethod
    def _row(r: tuple) -> DrillRow:
        return DrillRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6], bool(r[7]), r[8], r[9], r[10],
                        bool(r[11]))

    def events(self, ref: str) -> list[Event]:
        """A drill's events in order."""
        drill_id = self.find(ref)
        return self._decode(drill_id, self._payloads(drill_id))

    def _payloads(self, drill_id: str) -> list[tuple]:
        return self._read("SELECT payload FROM events WHERE drill=? ORDER BY seq", (drill_id,))

    def _decode(self, drill_id: str, payloads: list[tuple]) -> list[Event]:
        """Stored payloads as events: the snapshot event on its own (parse_event caches its
        snapshot texts), the rest as one JSON array, one call instead of one per event."""
        try:
            from scenarios.events import parse_event

            first = [parse_event(payloads[0][0])] if payloads else []
            return first + _event_list().validate_json("[" + ",".join(r[0] for r in payloads[1:]) + "]")
        except ValueError as exc:
            first_line = str(exc).splitlines()[0]
            raise StoreError(f"{self.path}: drill '{drill_id}' has an unreadable event ({first_line})") from None

    def drill_events(self, ref: str) -> tuple[DrillRow, list[Event]]:
        """`drill(ref)` and its `events()`, the id resolved once (what scoring a stored drill reads)."""
        row = self.drill(ref)
        return row, self._decode(row.id, self._payloads(row.id))

    def save_summaries(self, batch: dict[str, tuple]) -> None:
        """Cache the scorecard summaries of several drills in one transaction:
        batch = {drill id: (scored up to seq, scorer version, rows[, export layout])}, rows as
        `_write_summaries` takes."""
        try:
            with self._transaction() as conn:
                for drill_id, (upto, scorer, rows, *layout) in batch.items():
                    self._write_summaries(conn, drill_id, upto, scorer, rows, *layout)
        except sqlite3.Error as exc:
            raise _write_error(self.path, exc) from None

    @staticmethod
    def _write_summaries(conn: sqlite3.Connection, drill_id: str, upto: int, scorer: str,
                         rows: dict[str, tuple], layout: str = "") -> None:
        """rows = {team: (overall, summary JSON, [(dimension, subject, how, label, source), ...][,
        {format: the team's export rows, compressed}])}, in the scorecards' order; `layout`
        names the export rows' layout, '' when rows carry none."""
        for table in ("summaries", "misses", "exports"):
            conn.execute(f"DELETE FROM {table} WHERE drill = ?", (drill_id,))
        drill = conn.execute("SELECT created, scenario_id FROM drills WHERE id = ?", (drill_id,)).fetchone()
        if drill is None:  # deleted by another terminal since it was read: nothing to cache
            return
        conn.executemany(
            "INSERT INTO summaries (drill, team, overall, summary, created, scenario_id) VALUES (?, ?, ?, ?, ?, ?)",
            [(drill_id, team, row[0], row[1], *drill) for team, row in rows.items()],
        )
        conn.executemany(
            "INSERT INTO misses VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(drill_id, team, *m) for team, row in rows.items() for m in row[2]],
        )
        exports = [(drill_id, team, fmt, blob)
                   for team, row in rows.items() if len(row) > 3 for fmt, blob in row[3].items()]
        conn.executemany("INSERT INTO exports VALUES (?, ?, ?, ?)", exports)
        conn.execute("UPDATE drills SET scored_upto = ?, scored_by = ?, exported = ? WHERE id = ?",
                     (upto, scorer, layout if all(len(row) > 3 for row in rows.values()) else "", drill_id))

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """A read for the history views (scoring.history), which own the SQL they send."""
        return self._read(sql, params)

    def stream(self, sql: str, params: tuple = (), size: int = 256) -> Iterator[tuple]:
        """`query` a few rows at a time, for reads too big to hold (an export of every drill):
        one statement, so one consistent snapshot of the file however long it is read."""
        try:
            cursor = self._conn.execute(sql, params)
            while rows := cursor.fetchmany(size):
                yield from rows
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot read the drills ({exc})") from None

    def listing(self) -> list[tuple[str, str, str, bool, str, str, int]]:
        """What `results list` prints of every drill, newest first, by the created index:
        (id, created, status, archived, scenario id, teams as JSON, events)."""
        return self._read("SELECT id, created, status, archived, scenario_id, teams, events FROM drills "
                          "ORDER BY created DESC, rowid DESC")

    def last_seq(self, ref: str) -> int:
        """The seq of a drill's latest event: poll it to see that another terminal wrote one."""
        drill_id = self.find(ref)
        return self._read("SELECT MAX(seq) FROM events WHERE drill=?", (drill_id,))[0][0]

    def resume(self, ref: str, scenario: Scenario | None = None, clock: Callable[[], float] = time.time) -> Exercise:
        """The drill as it was, ready to go on: every further command is recorded here."""
        from scenarios.exercise import Exercise

        drill_id = self.find(ref)
        return Exercise(self.events(drill_id), scenario, record=self.recorder(drill_id), clock=clock)

    def start(
        self,
        scenario: Scenario,
        *,
        seed: int,
        teams: list[str],
        scenario_hash: str,
        playbook: dict[str, Any] | None = None,
        mode: str = "facilitated",
        timed: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> tuple[str, Exercise]:
        """A new drill, recorded from its first event; returns (drill id, its Exercise)."""
        from scenarios.exercise import Exercise

        box: dict[str, str] = {}

        def record(event: Event) -> None:
            if event.type == "drill-started":
                box["id"] = self.create(event)
            else:
                self.append(box["id"], event)

        exercise = Exercise.start(
            scenario, seed=seed, teams=teams, scenario_hash=scenario_hash, playbook=playbook,
            mode=mode, timed=timed, record=record, clock=clock,  # type: ignore[arg-type]
        )
        return box["id"], exercise


def _event_json(event: Event) -> str:
    from scenarios.events import event_json

    return event_json(event)


def _write_error(path: Path, exc: sqlite3.Error) -> StoreError:
    if "locked" in str(exc) or "busy" in str(exc):
        return StoreError(f"{path}: the database is busy (another breachdrill is writing); try again")
    return StoreError(f"{path}: cannot write here ({exc})")


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
