"""Reading the log: drills by id, prefix or status, and a drill's events in order."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ..dbfile import StoreError
from .base import StoreBase

if TYPE_CHECKING:
    from scenarios.events import Event

_ROW_COLUMNS = "id, scenario_id, title, scenario_hash, seed, teams, mode, timed, created, status, events, archived"
# A drill's events in order; also read inside the transaction that scores an ended drill (writes.py).
EVENT_PAYLOADS = "SELECT payload FROM events WHERE drill=? ORDER BY seq"


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


@cache
def _event_list():
    """A drill's events after the first, decoded in one call. The engine (and pydantic) are
    imported on first use: `results list` and the app's first look at the file need neither."""
    from pydantic import TypeAdapter

    from scenarios.events import Event

    return TypeAdapter(list[Event])


class DrillReads(StoreBase):
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

    def _row(self, r: tuple) -> DrillRow:
        try:
            teams = json.loads(r[5])
        except (TypeError, ValueError):  # a cell SQLite reads whole but that holds no list of teams
            raise StoreError(f"{self.path}: drill '{r[0]}' has an unreadable row (its teams)") from None
        return DrillRow(r[0], r[1], r[2], r[3], r[4], teams, r[6], bool(r[7]), r[8], r[9], r[10], bool(r[11]))

    def events(self, ref: str) -> list[Event]:
        """A drill's events in order."""
        drill_id = self.find(ref)
        return self._decode(drill_id, self._payloads(drill_id))

    def _payloads(self, drill_id: str) -> list[tuple]:
        return self._read(EVENT_PAYLOADS, (drill_id,))

    def _decode(self, drill_id: str, payloads: list[tuple], starts: bool = True) -> list[Event]:
        """Stored payloads as events (`starts`: from the drill's first): the snapshot event on
        its own (parse_event caches its snapshot texts), the rest as one JSON array, one call
        instead of one per event."""
        try:
            from scenarios.events import parse_event

            first = [parse_event(payloads[0][0])] if payloads and starts else []
            rest = payloads[1:] if starts else payloads
            return first + _event_list().validate_json("[" + ",".join(r[0] for r in rest) + "]")
        except ValueError as exc:
            first_line = str(exc).splitlines()[0]
            raise StoreError(f"{self.path}: drill '{drill_id}' has an unreadable event ({first_line})") from None

    def drill_events(self, ref: str) -> tuple[DrillRow, list[Event]]:
        """`drill(ref)` and its `events()`, the id resolved once (what scoring a stored drill reads)."""
        row = self.drill(ref)
        return row, self._decode(row.id, self._payloads(row.id))

    def listing(self) -> list[tuple[str, str, str, bool, str, str, int]]:
        """What `results list` prints of every drill, newest first, by the created index:
        (id, created, status, archived, scenario id, teams as JSON, events)."""
        return self._read("SELECT id, created, status, archived, scenario_id, teams, events FROM drills "
                          "ORDER BY created DESC, rowid DESC")

    def events_since(self, drill_id: str, seq: int) -> list[Event]:
        """A drill's events from `seq` on: what a terminal polls for (the primary key's range)."""
        payloads = self._read("SELECT payload FROM events WHERE drill=? AND seq >= ? ORDER BY seq", (drill_id, seq))
        return self._decode(drill_id, payloads, starts=seq == 0)

    def last_seq(self, ref: str) -> int:
        """The seq of a drill's latest event: poll it to see that another terminal wrote one."""
        drill_id = self.find(ref)
        return self._read("SELECT MAX(seq) FROM events WHERE drill=?", (drill_id,))[0][0]
