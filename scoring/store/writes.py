"""Writing the log: a drill's first event, each later one, the scorecard caches, a deletion.

Every write is one transaction (`_writing`, the write lock taken first), so several terminals
can write to one drill and no event is lost or doubled: the next `seq` is read inside it, and
UNIQUE(drill, seq) refuses a second. A drill's row follows its events in the same transaction.
A write to a drill selects its row first, with the backend's LOCK_ROW (base.StoreBase).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scenarios.errors import Behind

from ..dbfile import StoreError
from .drill_reads import EVENT_PAYLOADS, DrillReads

if TYPE_CHECKING:
    from scenarios.events import DrillStarted, Event
    from scenarios.exercise import Exercise
    from scenarios.model import Scenario


class DrillWrites(DrillReads):
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
        with self._writing() as conn:
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
        return drill_id

    def append(self, drill_id: str, event: Event, expect: int | None = None) -> int:
        """Add one event to a drill in its own transaction; returns its seq.

        `expect`: the seq the writer believes comes next (the events it has seen). Another
        terminal having written first raises Behind and writes nothing, so the writer catches
        up and checks its command again: what it shows as saved is never skipped by the fold.

        The drill's row follows its events in the same transaction (status, team names,
        archived), and once a drill has ended each team's scorecard summary is saved with the
        event that changed it, so Review reads what the drill left, never rescoring on open."""
        if event.type == "drill-started":
            raise StoreError("a drill-started event begins a new drill: use Store.create")
        with self._writing() as conn:
            row = conn.execute(f"SELECT status, teams FROM drills WHERE id=?{self.LOCK_ROW}", (drill_id,)).fetchone()
            if row is None:
                raise StoreError(f"no drill '{drill_id}' in {self.path}")
            status, teams = row
            seq = conn.execute("SELECT COALESCE(MAX(seq), -1) + 1 FROM events WHERE drill=?",
                               (drill_id,)).fetchone()[0]
            if expect is not None and seq != expect:
                raise Behind(f"drill {drill_id}: another terminal recorded event {expect} first")
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
        return seq

    def _save_final(self, conn: Any, drill_id: str, upto: int) -> None:
        """Score the ended drill from the events inside this transaction and save the summaries
        and each team's export rows. A drill that cannot be scored (its playbook gone) still
        ends: its cache stays stale, and Review says so rather than the end being refused."""
        # history is the read model over this store and imports it: reached at call time.
        from ..history import SCORER_VERSION, final_rows

        payloads = conn.execute(EVENT_PAYLOADS, (drill_id,)).fetchall()
        created = conn.execute("SELECT created FROM drills WHERE id=?", (drill_id,)).fetchone()[0]
        try:
            rows, layout = final_rows(drill_id, created, self._decode(drill_id, payloads))
        except (StoreError, ValueError, LookupError):
            return
        self._write_summaries(conn, drill_id, upto, SCORER_VERSION, rows, layout)

    def delete(self, drill_id: str) -> None:
        """Remove a drill and everything kept about it, in one transaction. Not an event: the
        command that calls this asks first (`breachdrill results delete`)."""
        with self._writing() as conn:
            if conn.execute(f"SELECT 1 FROM drills WHERE id=?{self.LOCK_ROW}", (drill_id,)).fetchone() is None:
                raise StoreError(f"no drill '{drill_id}' in {self.path}")
            for table in ("seats", "join_codes", "exports", "misses", "summaries", "events"):
                conn.execute(f"DELETE FROM {table} WHERE drill = ?", (drill_id,))
            conn.execute("DELETE FROM drills WHERE id = ?", (drill_id,))

    def save_summaries(self, batch: dict[str, tuple]) -> None:
        """Cache the scorecard summaries of several drills in one transaction:
        batch = {drill id: (scored up to seq, scorer version, rows[, export layout])}, rows as
        `_write_summaries` takes."""
        with self._writing() as conn:
            if self.LOCK_ROW:  # every drill's row before any is written, in one order: no two batches deadlock
                for drill_id in sorted(batch):
                    conn.execute(f"SELECT 1 FROM drills WHERE id = ?{self.LOCK_ROW}", (drill_id,))
            for drill_id, (upto, scorer, rows, *layout) in batch.items():
                self._write_summaries(conn, drill_id, upto, scorer, rows, *layout)

    @staticmethod
    def _write_summaries(conn: Any, drill_id: str, upto: int, scorer: str,
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

    # --- the engine, recorded ------------------------------------------------------------------

    def recorder(self, drill_id: str, seen: Callable[[], int] | None = None) -> Callable[[Event], int]:
        """`Exercise(record=...)`: every command is saved before the state changes. With `seen`
        (how many of the drill's events the writer holds) a write after another terminal's
        raises Behind rather than being appended behind it."""
        if seen is None:
            return lambda event: self.append(drill_id, event)
        return lambda event: self.append(drill_id, event, expect=seen())

    def start(self, scenario: Scenario, **options: Any) -> tuple[str, Exercise]:
        """A new drill, recorded from its first event; returns (drill id, its Exercise).
        `options` are `Exercise.start`'s (seed, teams, scenario_hash, ...) but `record`, which
        is the store's: the first event creates the drill, each later one is appended to it."""
        from scenarios.exercise import Exercise

        box: dict[str, str] = {}

        def record(event: Event) -> None:
            if event.type == "drill-started":
                box["id"] = self.create(event)
            else:  # `exercise` is bound below, before any later event
                self.append(box["id"], event, expect=len(exercise.events))

        exercise = Exercise.start(scenario, record=record, fetch=lambda seq: self.events_since(box["id"], seq),
                                  **options)
        return box["id"], exercise

    def resume(self, ref: str, scenario: Scenario | None = None, clock: Callable[[], float] = time.time) -> Exercise:
        """The drill as it was, ready to go on: every further command is recorded here."""
        from scenarios.exercise import Exercise

        drill_id = self.find(ref)
        exercise = Exercise(self.events(drill_id), scenario, clock=clock,
                            record=self.recorder(drill_id, seen=lambda: len(exercise.events)),
                            fetch=lambda seq: self.events_since(drill_id, seq))
        return exercise


def _event_json(event: Event) -> str:
    from scenarios.events import event_json

    return event_json(event)


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")
