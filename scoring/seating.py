"""Teams on their own terminals: join codes issued by the facilitator, a player's seat.

A player's terminal holds one team's seat: it may read that team's injects and answers and
record that team's answers, nothing of another team's (the front end asks the seat, never the
drill, what to show). Two more codes open the drill in other roles: an observer's (every team's
timeline and injects as released, read-only, scores once the debrief is open to players) and a
facilitator's (the console, from another terminal or a browser). A code works while its drill
has not ended; a wrong one writes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from scenarios.errors import BreachdrillError

if TYPE_CHECKING:
    from .live import LiveDrill
    from .store import Seat, Store

# A seat whose terminal has not polled for this long is shown as gone (a closed or killed terminal).
SEAT_TIMEOUT = 15.0
# The roles that are not a team, stored where a team's place would be (join_codes.team, seats.team).
OBSERVER, FACILITATOR = -1, -2
ROLES = {OBSERVER: "observer", FACILITATOR: "facilitator"}


class NotJoined(BreachdrillError):
    """A code that opens nothing: mistyped, reissued, or its drill over. One line, nothing written."""


@dataclass
class JoinCodes:
    """A drill's codes as issued, as shown: one per team, the observers' and the facilitator's."""

    teams: dict[str, str]
    observer: str
    facilitator: str


@dataclass
class PlayerSeat:
    drill: LiveDrill
    place: int  # the team's place in the drill's teams (a rename keeps it), or OBSERVER / FACILITATOR
    terminal: str  # this terminal's own id, for the console's list of who has joined

    @property
    def role(self) -> str:
        """'team', 'observer' or 'facilitator': what the terminal may see and do."""
        return ROLES.get(self.place, "team")

    @property
    def team(self) -> str:
        """The team's name now; a seat in another role has none."""
        if self.place < 0:
            raise ValueError(f"a {self.role}'s seat has no team")
        return list(self.drill.state.teams)[self.place]


class Seating:
    """The DrillService's operations for players' own terminals."""

    def issue_codes(self, drill: LiveDrill, store: Store | None = None) -> JoinCodes:
        """A new code per team and one per role; those issued before stop working. Only their
        digests are stored, so the codes are shown now or never."""
        from .joincodes import code_hash, new_code, shown  # hashlib, hmac, secrets: not at start-up

        codes = {place: new_code() for place in [*range(len(drill.state.teams)), OBSERVER, FACILITATOR]}
        issued = datetime.fromtimestamp(self.clock(), UTC).isoformat(timespec="seconds")
        (store or self.store()).issue_codes(drill.id, {p: code_hash(c) for p, c in codes.items()}, issued)
        return JoinCodes({name: shown(codes[place]) for place, name in enumerate(drill.state.teams)},
                         shown(codes[OBSERVER]), shown(codes[FACILITATOR]))

    def join(self, text: str, store: Store | None = None) -> PlayerSeat:
        """The seat a code opens, its drill as the store has it now."""
        from .joincodes import code_hash, typed

        code = typed(text)
        if code is None:
            raise NotJoined("that is not a join code: a code is 10 letters and digits, like ABCDE-FGHJK")
        store = store or self.store()
        found = store.joined(code_hash(code))
        if found is None:
            raise NotJoined("that join code opens no drill: check it with the facilitator (codes reissued "
                            "at the console stop working)")
        if found.status == "ended":
            raise NotJoined("that drill has ended: its join codes no longer work")
        seat = PlayerSeat(self.resume(found.drill, store), found.team, uuid.uuid4().hex[:12])
        self.take_seat(seat, "watching", store)
        return seat

    def take_seat(self, seat: PlayerSeat, doing: str, store: Store | None = None) -> None:
        """Say what the player's terminal is doing: 'watching', 'answering' or 'left'."""
        (store or self.store()).take_seat(seat.drill.id, seat.terminal, seat.place, doing, self.clock())

    def seats(self, drill: LiveDrill, store: Store | None = None) -> dict[str, str]:
        """What each team's terminals are doing, for the console: {team: 'answering' |
        'joined' | 'left'}; a team with no terminal is not listed."""
        names = list(drill.state.teams)
        now = self.clock()
        status: dict[str, str] = {}
        rank = {"answering": 3, "joined": 2, "left": 1}
        for seat in (store or self.store()).seats(drill.id):
            doing = _doing(seat, now)
            name = names[seat.team] if 0 <= seat.team < len(names) else None  # a team's, not a role's
            if name is not None and rank[doing] > rank.get(status.get(name, ""), 0):
                status[name] = doing
        return status


def _doing(seat: Seat, now: float) -> str:
    if seat.doing == "left" or now - seat.seen > SEAT_TIMEOUT:
        return "left"
    return "answering" if seat.doing == "answering" else "joined"


