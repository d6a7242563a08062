"""The drill the screens share: a drill the service started or resumed (scoring.live.LiveDrill:
its Exercise and its key) with what the screens add, the text as shown and the numbers of its
options. Widgets and screens type against `Drill`; none reaches into another screen for it.

The engine (scenarios.exercise) checks and records each command in the store before the state
changes, so an answer is on disk the moment `submit` returns; the screens only ever show views
of `exercise.state`, and every judgment they show is the scorer's (`judgment`, `scorecards`).
Screens send those commands through `Recording.record` (tui/app/recording.py), which runs them
in a thread worker, one at a time, since the store may wait for another process's write lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from scoring.live import LiveDrill

if TYPE_CHECKING:
    from scenarios.model import Inject, Scenario
    from scoring.report.words import Reader
    from scoring.scorecard import InjectJudgment


@dataclass
class Drill(LiveDrill):
    @classmethod
    def of(cls, live: LiveDrill) -> Drill:
        """The app's view of a drill the service started or resumed."""
        return cls(live.id, live.exercise, live.key)

    @property
    def scenario(self) -> Scenario:
        """The drill's own snapshot of its scenario (ids, key; placeholders not filled)."""
        return self.exercise.state.scenario

    @cached_property
    def shown(self) -> Scenario:
        """The scenario as the teams see it: placeholders filled and options in the order drawn
        from the drill's seed (so their numbers 1..n are the shown ones, not the file's)."""
        from scenarios.render import render

        return render(self.scenario, self.state.seed)

    @cached_property
    def reader(self) -> Reader:
        """Findings in the words the teams saw: an inject by its title, an option by its text (a
        finding names them by id, which no one in the room has seen)."""
        from scoring.report.words import Reader

        return Reader(self.shown, self.key)

    def inject(self, inject_id: str) -> Inject:
        """An inject as shown: for its text and its options' numbers."""
        return self.shown.inject(inject_id)

    def filed(self, inject_id: str) -> Inject:
        """An inject in the file's order: for the guide answer, whose ties go to the first in the file."""
        return self.scenario.inject(inject_id)

    def as_filed(self, inject_id: str, answer: list[str] | str) -> list[str] | str:
        """A multi answer in the file's order, as it was stored before options were shuffled
        (the order of a multi answer means nothing; an order answer's is kept)."""
        inject = self.filed(inject_id)
        if inject.kind != "multi" or isinstance(answer, str):
            return answer
        place = {o.id: n for n, o in enumerate(inject.options)}
        return sorted(answer, key=lambda oid: place.get(oid, len(place)))

    @property
    def teams(self) -> list[str]:
        return list(self.state.teams)

    def ready_teams(self) -> list[str]:
        """Teams with nothing unanswered in front of them and an inject still to come."""
        return [n for n, t in self.state.teams.items() if not t.awaiting and t.next is not None]

    def remaining(self, team: str, now: float) -> float | None:
        """Seconds left on the team's current inject in a timed drill (negative once over)."""
        from scoring.score import DEFAULT_LIMIT

        t = self.state.teams[team]
        if not self.state.timed or not t.awaiting:
            return None
        limit = self.scenario.inject(t.current).limit or DEFAULT_LIMIT
        return limit - (self.state.active_seconds(now) - t.released_active)

    def judgment(self, team: str, inject_id: str) -> InjectJudgment:
        """What the scorer makes of the team's answer to one inject now (practice feedback,
        right after the answer): read from the scorecard, never worked out by a screen."""
        from scoring.score import score_team

        return score_team(self.scenario, self.key, self.state, team).judgments[inject_id]


def clock(seconds: float) -> str:
    """Seconds as a countdown reads them, mm:ss, with a minus once the time is over."""
    sign = "-" if seconds < 0 else ""
    seconds = abs(int(seconds))
    return f"{sign}{seconds // 60:02d}:{seconds % 60:02d}"


def describe_answer(inject: Inject, answer: list[str] | str) -> str:
    """An answer as a person reads it: the options' numbers and texts, or the free text.
    `inject` is the shown one (Drill.inject), so the numbers are those on the team's screen;
    chosen options are listed in that order, except an order answer's, which is the answer. No
    option at all (a multi's "None of these") reads "none of these"."""
    if isinstance(answer, str):
        return answer
    if not answer:
        return "none of these"
    numbers = {o.id: (n, o.text) for n, o in enumerate(inject.options, start=1)}
    chosen = [a for a in answer if a in numbers]
    if inject.kind != "order":
        chosen.sort(key=lambda a: numbers[a][0])
    return "; ".join(f"{numbers[a][0]}. {numbers[a][1]}" for a in chosen)
