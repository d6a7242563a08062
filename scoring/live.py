"""A drill being played or reviewed, by the app, a command or a player's own terminal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from scenarios.events import Event
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

    def live_scorecards(self) -> dict[str, LiveScore]:
        """Every team's score over what it has answered so far (`live_scores`), from a copy of
        the events (safe in a worker): what a scoreboard shows while the drill runs."""
        return live_scores(self.exercise.state.scenario, self.key, list(self.exercise.events))


class LiveScore(NamedTuple):
    card: Scorecard  # over the injects answered so far
    answered: int
    asked: int  # what the team's path asks in all, as the final score counts it (`full_path`)


def live_scores(scenario, key: Key, events: list[Event]) -> dict[str, LiveScore]:
    """Each team scored as if its drill stopped at its last answer: the injects it has not
    answered yet (still to come on its branch, or in front of it now) are left out, so a right
    answer never lowers the score. The final score (`score`) counts them as missed."""
    from scenarios.drillstate import state

    from .plan import plan_for
    from .score import full_path, score_state

    drill = state(events, scenario)
    plan = plan_for(scenario, key)
    asked = {name: len(full_path(plan, team)) for name, team in drill.teams.items()}
    for team in drill.teams.values():
        team.path = [inject for inject in team.path if inject in team.answers]
        team.next = None
    cards = score_state(scenario, key, drill)
    return {name: LiveScore(card, len(card.path), asked[name]) for name, card in cards.items()}
