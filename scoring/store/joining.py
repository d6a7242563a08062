"""Teams on their own terminals: the join codes (as digests) and the seats players take.

Neither is an event: a code says who may write for a team, a seat what a terminal is doing now
(watching its team's screen, answering); the drill's log stays what the teams and the
facilitator did. Each write is one short transaction, like an event's.
"""

from __future__ import annotations

from typing import NamedTuple

from .base import StoreBase


class Seat(NamedTuple):
    terminal: str
    team: int  # the team's place in the drill's teams
    doing: str  # 'watching' | 'answering' | 'left'
    seen: float  # wall time of the terminal's last poll


class Joined(NamedTuple):
    drill: str
    team: int
    status: str  # the drill's: 'in-progress' | 'ended'


class JoinRecords(StoreBase):
    def issue_codes(self, drill_id: str, digests: dict[int, str], issued: str) -> None:
        """The drill's join codes, by team place: any issued before stop working."""
        with self._writing() as conn:
            if self.LOCK_ROW:  # two reissues at once: the second replaces the first, as on SQLite
                conn.execute(f"SELECT 1 FROM drills WHERE id = ?{self.LOCK_ROW}", (drill_id,))
            conn.execute("DELETE FROM join_codes WHERE drill = ?", (drill_id,))
            conn.executemany("INSERT INTO join_codes VALUES (?, ?, ?, ?)",
                             [(digest, drill_id, team, issued) for team, digest in digests.items()])

    def joined(self, digest: str) -> Joined | None:
        """The drill and team a code's digest opens, or None: one lookup by the primary key."""
        rows = self._read("SELECT c.drill, c.team, d.status FROM join_codes c JOIN drills d ON d.id = c.drill "
                          "WHERE c.hash = ?", (digest,))
        return Joined(*rows[0]) if rows else None

    def has_codes(self, drill_id: str) -> bool:
        return bool(self._read("SELECT 1 FROM join_codes WHERE drill = ? LIMIT 1", (drill_id,)))

    def take_seat(self, drill_id: str, terminal: str, team: int, doing: str, seen: float) -> None:
        """Say what a player terminal is doing (its poll says it again: `seen` moves on)."""
        with self._writing() as conn:
            conn.execute("INSERT INTO seats VALUES (?, ?, ?, ?, ?) ON CONFLICT (drill, terminal) "
                         "DO UPDATE SET team = excluded.team, doing = excluded.doing, seen = excluded.seen",
                         (drill_id, terminal, team, doing, seen))

    def seats(self, drill_id: str) -> list[Seat]:
        return [Seat(*r) for r in self._read("SELECT terminal, team, doing, seen FROM seats WHERE drill = ? "
                                            "ORDER BY team, terminal", (drill_id,))]
