"""A drill being played or reviewed, by the app, a command or a player's own terminal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scenarios.exercise import Exercise
    from scenarios.playbook import Key

    from .scorecard import Scorecard


@dataclass
class LiveDrill:
    """Its engine and the key it is scored against (the drill's own playbook snapshot).
    Every command is recorded in the store before the state changes; `catch_up` takes in what
    other terminals recorded since (a console polls it, as a player's terminal does)."""

    id: str
    exercise: Exercise
    key: Key

    @property
    def state(self):
        return self.exercise.state

    def catch_up(self) -> int:
        """How many events other terminals had recorded since this one last looked."""
        return self.exercise.catch_up()

    def scorecards(self) -> dict[str, Scorecard]:
        """Every team's scorecard, folded afresh from a copy of the events (safe in a worker)."""
        from .score import score

        return score(self.exercise.state.scenario, self.key, list(self.exercise.events))
