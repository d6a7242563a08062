"""A live drill: every command (release, submit, pause, ...) is checked against the state, turned
into one event and handed to `record` (the store) *before* the state changes, so what is on screen
is never ahead of what was saved. Nothing here draws a screen or touches a disk.

The scenario clock of a timed drill (its rules: scenarios/clock.py) releases through `run_clock`,
and the console's n through `release_ready`: each decides what to release inside its write, after
catching up with the other terminals, so an inject already released elsewhere (or before a
restart) is never released again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .clock import due_teams
from .drillstate import apply_event, check_event, find_team, fold, state
from .errors import Behind, ExerciseError
from .events import (
    AnswerCorrected,
    Archived,
    ClockHeld,
    DebriefShared,
    DrillStarted,
    Ended,
    Event,
    FreeMarked,
    InjectReleased,
    Mode,
    Paused,
    ResponseSubmitted,
    Restored,
    Resumed,
    ScoreboardSet,
    TeamRenamed,
)
from .model import Inject, Scenario
from .scenario_index import normalize_answer

CATCH_UP_TRIES = 50  # each try follows other terminals' writes: only a flood of them exhausts it


class Exercise:
    """A live drill: each command is checked, recorded, then applied to the state.

    `record` (usually `Store.recorder(drill_id)`) is called with each new event before the state
    changes; if it raises, the command fails and the state is as it was. Several terminals can
    play one drill: when `record` raises Behind (another terminal wrote first), `fetch(seq)`
    brings the events from `seq` on, the state catches up and the command is checked again, so
    a command is only ever recorded against the drill as it is.
    """

    def __init__(
        self,
        events: list[Event],
        scenario: Scenario | None = None,
        record: Callable[[Event], Any] | None = None,
        clock: Callable[[], float] = time.time,
        fetch: Callable[[int], list[Event]] | None = None,
    ) -> None:
        self.events = list(events)
        self.state = state(self.events, scenario)
        self._record = record
        self._clock = clock
        self._fetch = fetch

    @classmethod
    def start(
        cls,
        scenario: Scenario,
        *,
        seed: int,
        teams: list[str],
        scenario_hash: str,
        playbook: dict[str, Any] | None = None,
        mode: Mode = "facilitated",
        timed: bool = False,
        record: Callable[[Event], Any] | None = None,
        clock: Callable[[], float] = time.time,
        fetch: Callable[[int], list[Event]] | None = None,
    ) -> Exercise:
        names = [t.strip() for t in teams]
        _check_text(names, "a team's name")
        if not names or any(not t for t in names):
            raise ExerciseError("a drill needs at least one team, each with a name")
        clash = same_names(names)
        if clash is not None:
            raise ExerciseError(f"team '{names[clash[1]]}' is named twice: {clash_message(names, *clash)}")
        started = DrillStarted(
            at=clock(),
            scenario=scenario.model_dump(mode="json"),
            scenario_hash=scenario_hash,
            playbook=playbook,
            seed=seed,
            teams=names,
            mode=mode,
            timed=timed,
        )
        if record is not None:
            record(started)
        return cls([started], scenario, record, clock, fetch)

    def sync(self, events: list[Event]) -> None:
        """Take in the events other terminals recorded since this one's last (in the store's
        order), exactly as a fresh fold of the whole log would."""
        fold(self.state, events, start=len(self.events))
        self.events.extend(events)

    def catch_up(self) -> int:
        """Take in what other terminals recorded since (`fetch`); how many events that was."""
        new = self._fetch(len(self.events)) if self._fetch is not None else []
        if new:
            self.sync(new)
        return len(new)

    def _add(self, build: Event | Callable[[], Event | None]) -> Any:
        """Check, record, apply. `build` makes the event from the state (a release's due inject,
        an answer's timing), so after catching up with other terminals it is made afresh: a
        command refused against a state that was behind is tried once more against the drill
        as it is, and refused for good only then. A `build` that finds nothing left to do (the
        clock's release, made meanwhile by another terminal) returns None: nothing is recorded,
        and None is returned."""
        make = build if callable(build) else lambda: build
        for _ in range(CATCH_UP_TRIES):
            event = make()
            if event is None:
                return None
            _check_text(list(vars(event).values()), f"the {event.type} event's text")
            try:
                checked = check_event(self.state, event)
            except ExerciseError:
                if self.catch_up() == 0:
                    raise
                continue
            if self._record is None:
                break
            try:
                self._record(event)
                break
            except Behind:
                if self._fetch is None:
                    raise
                self.catch_up()
        else:
            raise Behind("other terminals keep recording first; try again")
        self.events.append(event)
        self.state.events += 1
        apply_event(self.state, event, checked)
        return event

    def release(self, team: str, inject: str | None = None) -> InjectReleased:
        """Show a team its next inject (the one its branch leads to, unless named)."""
        now = self._clock()
        return self._add(
            lambda: InjectReleased(at=now, team=team, inject=inject or find_team(self.state, team).next or ""))

    def release_ready(self, team: str) -> InjectReleased | None:
        """The console's n: the team's next inject, only if the team is still ready for it when
        the write is made (the clock, or another console, may have released it meanwhile: then
        nothing is recorded and None is returned). `release` moves a team on unanswered; this
        never does."""
        now = self._clock()

        def ready() -> InjectReleased | None:
            t = self.state.teams.get(team)
            if t is None or t.awaiting or t.next is None:
                return None
            return InjectReleased(at=now, team=team, inject=t.next)

        find_team(self.state, team)
        return self._add(ready)

    def run_clock(self) -> list[InjectReleased]:
        """Release what the scenario clock says is due (scenarios/clock.py): each ready team's
        next inject once the drill's active time reaches its `at`. Each release is decided in
        its own write, against the drill as the store has it: one already recorded by another
        terminal (or before a restart) is not recorded again."""
        now = self._clock()
        released = []
        for team in due_teams(self.state, now):

            def due(team: str = team) -> InjectReleased | None:
                if team not in due_teams(self.state, now):
                    return None
                return InjectReleased(at=now, team=team, inject=self.state.teams[team].next or "")

            event = self._add(due)
            if event is not None:
                released.append(event)
        return released

    def hold_clock(self, held: bool = True) -> ClockHeld:
        """Hold the scenario clock (nothing released on it; n still releases), or let it run."""
        return self._add(ClockHeld(at=self._clock(), held=held))

    def submit(self, team: str, inject: str, answer: Any, seconds: float | None = None) -> ResponseSubmitted:
        """Record a team's answer. In a timed drill with no `seconds`, the time since the inject
        was released, pauses excluded, is recorded."""
        now = self._clock()
        entry = self.state.index.injects.get(inject)
        if entry is None:
            raise ExerciseError(f"unknown inject '{inject}'")
        normalized = normalize_answer(entry.inject, answer)

        def response() -> ResponseSubmitted:
            timed = seconds
            team_state = find_team(self.state, team)
            if timed is None and self.state.timed and team_state.current == inject:
                timed = round(max(0.0, self.state.active_seconds(now) - team_state.released_active), 3)
            return ResponseSubmitted(at=now, team=team, inject=inject, answer=normalized, seconds=timed)

        return self._add(response)

    def mark(self, team: str, inject: str, credited: list[str]) -> FreeMarked:
        """A facilitator's mark of a free answer: the rubric options it earned."""
        return self._add(FreeMarked(at=self._clock(), team=team, inject=inject, credited=list(credited)))

    def pause(self) -> Paused:
        return self._add(Paused(at=self._clock()))

    def resume(self) -> Resumed:
        return self._add(Resumed(at=self._clock()))

    def end(self) -> Ended:
        return self._add(Ended(at=self._clock()))

    def correct(self, team: str, inject: str, answer: Any, reason: str = "") -> AnswerCorrected:
        """Replace a recorded answer (a keying slip, a team's paper sheet read wrong)."""
        entry = self.state.index.injects.get(inject)
        if entry is None:
            raise ExerciseError(f"unknown inject '{inject}'")
        normalized = normalize_answer(entry.inject, answer)
        return self._add(AnswerCorrected(at=self._clock(), team=team, inject=inject, answer=normalized,
                                         reason=reason.strip()))

    def rename(self, team: str, name: str) -> TeamRenamed:
        return self._add(TeamRenamed(at=self._clock(), team=team, name=name.strip()))

    def archive(self, reason: str = "") -> Archived:
        return self._add(Archived(at=self._clock(), reason=reason.strip()))

    def restore(self) -> Restored:
        return self._add(Restored(at=self._clock()))

    def set_scoreboard(self, hidden: bool) -> ScoreboardSet:
        return self._add(ScoreboardSet(at=self._clock(), hidden=hidden))

    def share_debrief(self) -> DebriefShared:
        """Let the players' terminals show the scores and the debrief."""
        return self._add(DebriefShared(at=self._clock()))

    def inject_for(self, team: str) -> Inject | None:
        """The inject in front of a team, or None."""
        current = find_team(self.state, team).current
        return self.state.index.injects[current].inject if current else None


def same_names(names: list[str]) -> tuple[int, int] | None:
    """The first two teams (positions) whose names are the same once case and surrounding spaces
    are set aside: "Alpha" and " alpha" would be two teams no one can tell apart when called."""
    seen: dict[str, int] = {}
    for position, name in enumerate(names):
        folded = name.strip().casefold()
        if folded in seen:
            return seen[folded], position
        seen[folded] = position
    return None


def clash_message(names: list[str], first: int, second: int) -> str:
    """Which teams `same_names` found, by number and name (each as it was typed)."""
    a, b = names[first].strip(), names[second].strip()
    said = f"both named '{a}'" if a == b else f"named '{a}' and '{b}'"
    return f"teams {first + 1} and {second + 1} are {said} (names are compared without case)"


def _check_text(values: list, what: str) -> None:
    """Refuse text that cannot be stored: a lone surrogate (an argument that was not valid UTF-8,
    kept by Python as `\udc80`-style characters) has no UTF-8 form, in JSON or in a database."""
    for value in values:
        if isinstance(value, list | tuple):
            _check_text(list(value), what)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ExerciseError(f"{what} is not valid text (a byte that is not UTF-8 at character "
                                    f"{exc.start + 1}): type it again") from None
