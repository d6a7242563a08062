"""The scenario clock of a timed drill: when each team's next inject is due, and which are due now.

The rules, as a trainer would ask about them:

- The clock is the drill's active time (`DrillState.active_seconds`: pauses excluded), read in
  minutes against each inject's `at` (minutes from the start of the drill). An inject is due once
  the clock reaches its `at`; it is released on the clock to each team along that team's branch.
- A team is shown one inject at a time. An inject due while the team is still answering the
  one before waits for that answer and is released as soon as it comes (at once, however late):
  meanwhile the console says the team is behind the clock. So a team never has two injects in
  front of it, and its decision time counts from the moment each inject actually reached it
  (the release is stamped when it was made, not when it was due).
- Only facilitated timed drills run a clock. An untimed drill is released by hand (n). A practice
  drill paces itself (each answer's feedback, then the next inject at once) and one person
  practising is not held to the MSEL's minutes: no clock there either.
- n still releases by hand at any time: an inject released before it is due simply reaches the
  team early. While the facilitator holds the clock (a `clock-held` event, so every console
  following the drill and one resumed after a crash agree) nothing is released on the clock and
  n is the only way; the countdowns go on (holding is not pausing). Pausing stops the clock
  itself: active time stands still, so nothing falls due, and nothing is released while paused.
- A drill whose console was closed without pausing kept running: resumed, each team whose next
  inject fell due meanwhile gets it at once (one per team; the rest follow its answers).
- A release on the clock is decided inside the engine's write (`Exercise.run_clock`), after
  catching up with every other terminal's events: an inject another console, or this one
  before a restart, already released is never released twice.

Nothing here draws a screen, and nothing imports Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .drillstate import DrillState

# What a team's next inject is waiting for, as the console words it:
#   "in"        released on the clock in `seconds`
#   "due"       due now: released at the next tick
#   "behind"    due (by -`seconds`), but the team is still answering the inject before
#   "answering" the team is answering; its next inject is not due yet
#   "held"      the facilitator holds the clock: n releases it
#   "paused"    the drill is paused: the clock stands still
Wait = Literal["in", "due", "behind", "answering", "held", "paused"]


@dataclass(frozen=True)
class NextUp:
    inject: str  # the inject the team's branch leads to (while answering: the unanswered route)
    wait: Wait
    seconds: float  # until it is due on the clock (negative: overdue by that much)


def runs(state: DrillState) -> bool:
    """Whether the drill has a clock that releases injects (see the rules above)."""
    return state.timed and state.mode == "facilitated"


def due_in(state: DrillState, inject_id: str, now: float) -> float:
    """Seconds of active time until an inject is due (negative once it is)."""
    return state.index.injects[inject_id].inject.at * 60 - state.active_seconds(now)


def next_up(state: DrillState, team: str, now: float) -> NextUp | None:
    """What comes next for a team on the clock, or None (no clock, the drill has ended, or the
    team's branch is over)."""
    t = state.teams.get(team)
    if not runs(state) or t is None or t.next is None or state.status == "ended":
        return None
    seconds = due_in(state, t.next, now)
    if state.status == "paused":
        wait: Wait = "paused"
    elif t.awaiting:
        wait = "behind" if seconds <= 0 else "answering"
    elif state.clock_held:
        wait = "held"
    else:
        wait = "due" if seconds <= 0 else "in"
    return NextUp(t.next, wait, seconds)


def due_teams(state: DrillState, now: float) -> list[str]:
    """The teams whose next inject the clock releases now: ready (nothing unanswered in front
    of them), their next inject due, the drill running and the clock not held."""
    if not runs(state) or state.status != "running" or state.clock_held:
        return []
    return [name for name, t in state.teams.items()
            if t.next is not None and not t.awaiting and due_in(state, t.next, now) <= 0]
