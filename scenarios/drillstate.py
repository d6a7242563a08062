"""A drill's state as a fold over its events.

`check_event` and `apply_event` are shared by the fold and the live commands (`exercise.py`): an
event that was valid when written but lost a race with another terminal (two answers to one
inject) is skipped, deterministically, and listed in `DrillState.skipped`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .errors import ExerciseError
from .events import DrillStarted, Event, Method, Mode, Status
from .model import Scenario
from .scenario_index import InjectIndex, ScenarioIndex, index, snapshot_scenario


class Answer(NamedTuple):
    """A team's answer to one inject (a NamedTuple: immutable, and cheap to build in a fold)."""

    inject: str
    answer: list[str] | str
    seconds: float | None
    credited: tuple[str, ...]  # options that count as chosen (the free answer's matched rubric options)
    method: Method


@dataclass
class TeamState:
    name: str
    path: list[str] = field(default_factory=list)  # injects released to the team, in order
    answers: dict[str, Answer] = field(default_factory=dict)
    next: str | None = None  # the inject to release to this team next; None when its branch ends
    released_active: float = 0.0  # drill running-seconds when the current inject was released

    @property
    def current(self) -> str | None:
        return self.path[-1] if self.path else None

    @property
    def awaiting(self) -> bool:
        """True while the team has an inject in front of it that it has not answered."""
        return self.current is not None and self.current not in self.answers

    @property
    def finished(self) -> bool:
        return self.current is not None and not self.awaiting and self.next is None


class Correction(NamedTuple):
    """A correction as the debrief and the report list it."""

    at: float
    kind: str  # an event type of CORRECTIONS
    team: str | None  # the team's name when it was made (a rename: the old name)
    inject: str | None
    before: list[str] | str | None  # the answer replaced, or the old name
    after: list[str] | str | None  # the answer recorded instead, or the new name
    reason: str


@dataclass
class DrillState:
    scenario: Scenario
    scenario_hash: str
    seed: int
    mode: Mode
    timed: bool
    teams: dict[str, TeamState]
    status: Status = "running"
    started_at: float = 0.0
    paused_at: float | None = None
    paused_total: float = 0.0
    events: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (event position, why)
    archived: bool = False
    scoreboard_hidden: bool = False
    debrief_shared: bool = False  # players' terminals may show the scores
    clock_held: bool = False  # a timed drill's clock held by the facilitator (scenarios/clock.py)
    corrections: list[Correction] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.index = index(self.scenario)

    @property
    def clock(self) -> int:
        """The scenario clock in minutes: the `at` of the latest inject released to any team."""
        idx = self.index.injects
        return max((idx[i].inject.at for t in self.teams.values() for i in t.path), default=0)

    def active_seconds(self, now: float) -> float:
        """Running time of the drill at wall time `now`, pauses excluded."""
        end = self.paused_at if self.paused_at is not None else now
        return max(0.0, end - self.started_at - self.paused_total)

    @property
    def finished(self) -> bool:
        return all(team.finished for team in self.teams.values())


def find_team(state: DrillState, name: str) -> TeamState:
    team = state.teams.get(name)
    if team is None:
        raise ExerciseError(f"unknown team '{name}' (teams: {', '.join(state.teams)})")
    return team


def _running(state: DrillState) -> None:
    if state.status == "ended":
        raise ExerciseError("the drill has ended")
    if state.status == "paused":
        raise ExerciseError("the drill is paused: resume it first")


def check_event(state: DrillState, event: Event) -> Any:
    """Raise ExerciseError when the event does not fit the state (shared by commands and fold).

    For a response, returns the answer in its stored shape, so it is validated only once.
    The commonest events come first: a fold replays thousands of them when scoring."""
    kind = event.type
    if kind == "response-submitted":
        _running(state)
        team = state.teams.get(event.team) or find_team(state, event.team)
        if event.inject in team.answers:
            raise ExerciseError(f"team '{team.name}' has already answered inject '{event.inject}'")
        if event.inject != team.current:
            current = f"'{team.current}'" if team.current else "nothing yet"
            raise ExerciseError(f"inject '{event.inject}' is not in front of team '{team.name}' (it has {current})")
        return state.index.injects[event.inject].check(event.answer)
    if kind == "inject-released":
        _running(state)
        team = state.teams.get(event.team) or find_team(state, event.team)
        if team.next is None:
            raise ExerciseError(f"team '{team.name}' has reached the end of its branch")
        if event.inject != team.next:
            raise ExerciseError(f"team '{team.name}' is due inject '{team.next}', not '{event.inject}'")
        return None
    if kind == "free-marked":
        # Marks are allowed at any time, the hot wash after the drill included.
        team = find_team(state, event.team)
        if event.inject not in team.answers:
            raise ExerciseError(f"team '{team.name}' has not answered inject '{event.inject}'")
        entry = state.index.injects[event.inject]
        if entry.inject.kind != "free":
            raise ExerciseError(f"inject '{event.inject}' is {entry.inject.kind}, not free text: nothing to mark")
        for oid in event.credited:
            if oid not in entry.options:
                raise ExerciseError(
                    f"inject '{event.inject}': unknown option '{oid}' (options: {', '.join(entry.options)})"
                )
        return None
    if kind == "answer-corrected":  # at any time, the debrief after the drill included
        team = find_team(state, event.team)
        if event.inject not in team.answers:
            raise ExerciseError(f"team '{team.name}' has not answered inject '{event.inject}': nothing to correct")
        return state.index.injects[event.inject].check(event.answer)
    if kind == "team-renamed":
        team = find_team(state, event.team)
        name = event.name.strip()
        if not name:
            raise ExerciseError("a team needs a name")
        clash = next((t for t in state.teams if t != team.name and t.casefold() == name.casefold()), None)
        if clash is not None:
            raise ExerciseError(f"there is already a team '{clash}'")
        return name
    if kind == "archived" and state.archived:
        raise ExerciseError("the drill is already archived")
    if kind == "restored" and not state.archived:
        raise ExerciseError("the drill is not archived")
    if kind == "debrief-shared" and state.debrief_shared:
        raise ExerciseError("the debrief is already open to the players")
    if kind in ("archived", "restored", "scoreboard-set", "debrief-shared"):
        return None
    if kind == "clock-held":
        if not state.timed:
            raise ExerciseError("the drill is not timed: it has no clock to hold")
        if state.mode == "practice":
            raise ExerciseError("a practice drill paces itself: it has no clock to hold")
        if state.status == "ended":
            raise ExerciseError("the drill has ended")
        if event.held == state.clock_held:
            raise ExerciseError("the clock is already held" if event.held else "the clock is already running")
        return None
    if kind == "drill-started":
        raise ExerciseError("the drill has already started")
    if state.status == "ended":
        raise ExerciseError("the drill has ended")
    if kind == "paused" and state.status == "paused":
        raise ExerciseError("the drill is already paused")
    if kind == "resumed" and state.status != "paused":
        raise ExerciseError("the drill is not paused")
    return None


def _credit(idx: ScenarioIndex, entry: InjectIndex, answer: list[str] | str) -> tuple[tuple[str, ...], Method]:
    """What an answer counts as choosing: a free answer's keyword matches, else its options."""
    if entry.inject.kind == "free":
        return idx.keyword_credit(entry.inject.id, answer), "keywords"
    return tuple(answer), "choice"


def apply_event(state: DrillState, event: Event, checked: Any = None) -> None:
    """Change the state by one event already checked (`checked`: what `_check` returned)."""
    idx = state.index
    kind = event.type
    if kind == "inject-released":
        team = state.teams[event.team]
        team.path.append(event.inject)
        team.next = idx.injects[event.inject].inject.next  # until answered, the unanswered route
        if state.timed:  # decision time is measured from here, pauses excluded
            team.released_active = state.active_seconds(event.at)
    elif kind == "response-submitted":
        team = state.teams[event.team]
        entry = idx.injects[event.inject]
        answer = checked if checked is not None else entry.check(event.answer)
        credited, method = _credit(idx, entry, answer)
        team.answers[event.inject] = Answer(event.inject, answer, event.seconds, credited, method)
        team.next = idx.branch(event.inject, credited)
    elif kind == "free-marked":
        team = state.teams[event.team]
        old = team.answers[event.inject]
        team.answers[event.inject] = Answer(old.inject, old.answer, old.seconds, tuple(event.credited), "facilitator")
        if team.current == event.inject:  # the branch is decided when the next inject is released
            team.next = idx.branch(event.inject, event.credited)
    elif kind == "answer-corrected":
        team = state.teams[event.team]
        entry = idx.injects[event.inject]
        old = team.answers[event.inject]
        answer = checked if checked is not None else entry.check(event.answer)
        # A corrected free answer is matched afresh: a mark of the old text does not carry over.
        credited, method = _credit(idx, entry, answer)
        team.answers[event.inject] = Answer(event.inject, answer, old.seconds, credited, method)
        if team.current == event.inject:  # the path already walked stays as played
            team.next = idx.branch(event.inject, credited)
        state.corrections.append(
            Correction(event.at, kind, team.name, event.inject, old.answer, answer, event.reason))
    elif kind == "team-renamed":
        name = checked if checked is not None else event.name.strip()
        state.teams = {(name if n == event.team else n): t for n, t in state.teams.items()}
        state.teams[name].name = name
        state.corrections.append(Correction(event.at, kind, event.team, None, event.team, name, ""))
    elif kind in ("archived", "restored"):
        state.archived = kind == "archived"
        state.corrections.append(
            Correction(event.at, kind, None, None, None, None, getattr(event, "reason", "")))
    elif kind == "scoreboard-set":
        state.scoreboard_hidden = event.hidden
    elif kind == "debrief-shared":
        state.debrief_shared = True
    elif kind == "clock-held":
        state.clock_held = event.held
    elif kind == "paused":
        state.status, state.paused_at = "paused", event.at
    elif kind == "resumed":
        state.paused_total += max(0.0, event.at - (state.paused_at or event.at))
        state.status, state.paused_at = "running", None
    elif kind == "ended":
        if state.paused_at is not None:
            state.paused_total += max(0.0, event.at - state.paused_at)
            state.paused_at = None
        state.status = "ended"


def _initial(started: DrillStarted, scenario: Scenario | None) -> DrillState:
    scenario = scenario if scenario is not None else snapshot_scenario(started)
    teams = {name: TeamState(name, next=scenario.start) for name in started.teams}
    return DrillState(
        scenario=scenario,
        scenario_hash=started.scenario_hash,
        seed=started.seed,
        mode=started.mode,
        timed=started.timed,
        teams=teams,
        started_at=started.at,
        events=1,
    )


def state(events: Iterable[Event], scenario: Scenario | None = None) -> DrillState:
    """The drill's state from its events alone. `scenario` saves re-reading the snapshot."""
    it = iter(events)
    first = next(it, None)
    if first is None or first.type != "drill-started":
        raise ExerciseError("a drill's events must begin with drill-started")
    current = _initial(first, scenario)
    fold(current, it, start=1)
    return current


def fold(current: DrillState, events: Iterable[Event], start: int) -> None:
    """Apply events (the first at position `start`) to a state, skipping the ones that do not
    fit it, as `state` does: also how a live drill catches up with other terminals' events."""
    for position, event in enumerate(events, start=start):
        current.events += 1
        try:
            checked = check_event(current, event)
        except ExerciseError as exc:
            current.skipped.append((position, str(exc)))
            continue
        apply_event(current, event, checked)


