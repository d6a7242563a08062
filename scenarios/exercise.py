"""A drill as an append-only list of events, and its state as a fold over them.

Nothing here draws a screen or touches a disk. Every command (release, submit, pause, ...) is
checked against the state, turned into one event and handed to `record` (the store) *before*
the state changes, so what is on screen is never ahead of what was saved. The fold uses the same
checks: an event that was valid when written but lost a race with another terminal (two
answers to one inject) is skipped, deterministically, and listed in `DrillState.skipped`.
"""

from __future__ import annotations

import json
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from .content_cache import CACHE_SIZE as _CACHE_SIZE
from .content_cache import ContentCache, content_id
from .errors import BreachdrillError
from .model import Inject, Option, Scenario

Mode = Literal["facilitated", "practice"]
Status = Literal["running", "paused", "ended"]
Method = Literal["choice", "keywords", "facilitator"]


# --- events ----------------------------------------------------------------------------------


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Wall-clock seconds since the epoch. Only timed drills ever derive anything from it.
    at: float = Field(default_factory=time.time)


class DrillStarted(_Event):
    type: Literal["drill-started"] = "drill-started"
    scenario: dict[str, Any] = Field(description="the scenario as JSON: later edits never change this drill")
    scenario_hash: str
    playbook: dict[str, Any] | None = Field(
        default=None, description="the merged playbook as JSON, for the same reason"
    )
    seed: int
    teams: list[str] = Field(min_length=1)
    mode: Mode = "facilitated"
    timed: bool = False


class InjectReleased(_Event):
    type: Literal["inject-released"] = "inject-released"
    team: str
    inject: str


class ResponseSubmitted(_Event):
    type: Literal["response-submitted"] = "response-submitted"
    team: str
    inject: str
    answer: list[str] | str = Field(description="option ids (single, multi, order) or text (free)")
    seconds: float | None = Field(default=None, ge=0, description="decision time, pauses excluded")


class FreeMarked(_Event):
    type: Literal["free-marked"] = "free-marked"
    team: str
    inject: str
    credited: list[str] = Field(description="the rubric options the facilitator says the answer earned")


class Paused(_Event):
    type: Literal["paused"] = "paused"


class Resumed(_Event):
    type: Literal["resumed"] = "resumed"


class Ended(_Event):
    type: Literal["ended"] = "ended"


# Corrections are events too, never edits in place: the log keeps what was first recorded, the
# fold applies the correction at its place, and the debrief and report list every one with its time.


class AnswerCorrected(_Event):
    type: Literal["answer-corrected"] = "answer-corrected"
    team: str
    inject: str
    answer: list[str] | str = Field(description="the answer as it should have been recorded")
    reason: str = ""


class TeamRenamed(_Event):
    type: Literal["team-renamed"] = "team-renamed"
    team: str
    name: str = Field(description="the team's new name; later events use it")


class Archived(_Event):
    """A test or mistaken drill: kept on disk, left out of every statistic."""

    type: Literal["archived"] = "archived"
    reason: str = ""


class Restored(_Event):
    type: Literal["restored"] = "restored"


class ScoreboardSet(_Event):
    """The facilitator hid or showed the scoreboard: what the room must not see stays hidden
    on a resume."""

    type: Literal["scoreboard-set"] = "scoreboard-set"
    hidden: bool


Event = Annotated[
    DrillStarted | InjectReleased | ResponseSubmitted | FreeMarked | Paused | Resumed | Ended
    | AnswerCorrected | TeamRenamed | Archived | Restored | ScoreboardSet,
    Field(discriminator="type"),
]
CORRECTIONS = ("answer-corrected", "team-renamed", "archived", "restored")
_EVENT = TypeAdapter(Event)


def parse_event(data: dict[str, Any] | str | bytes) -> Event:
    """An event from its JSON (text or already decoded)."""
    if isinstance(data, str) and data.startswith(_STARTED_HEAD):
        started = _parse_started(data)
        if started is not None:
            return started
    if isinstance(data, (str, bytes)):
        return _EVENT.validate_json(data)
    return _EVENT.validate_python(data)


# A drill-started event is mostly its two snapshots (50 KB of JSON), and decoding them is most
# of reading a stored drill; every drill of one scenario carries the same text. So the texts of
# the snapshots, exactly as `event_json` wrote them, map to their decoded values (bounded LRU),
# and only the small rest of the event (time, seed, teams) is decoded per drill. A text is only
# ever held after it was decoded on its own as one complete JSON value equal to what the whole
# event decodes to, so a text found here decodes the event exactly as a full decode would.
_STARTED_HEAD = '{"at":'
_STARTED_SHAPE = re.compile(
    r'\{"at":[-+0-9.eE]+,"type":"drill-started","scenario":(?=\{)')
_HASH_SHAPE = re.compile(r',"scenario_hash":"(?:[^"\\]|\\.)*","playbook":')
_SNAPSHOT_TEXTS: OrderedDict[str, Any] = OrderedDict()


def _parse_started(text: str) -> DrillStarted | None:
    """The event decoded with its snapshot texts looked up, or None (then decode it whole)."""
    head = _STARTED_SHAPE.match(text)
    if head is None:
        return None
    a = head.end()
    b = text.find(',"scenario_hash":"', a)
    middle = _HASH_SHAPE.match(text, b) if b > 0 else None
    c = text.find(',"seed":', middle.end()) if middle is not None else -1
    if c < 0:
        return None
    scenario_text, playbook_text = text[a:b], text[middle.end():c]
    held = _SNAPSHOT_TEXTS.get(scenario_text, _SNAPSHOT_TEXTS), _SNAPSHOT_TEXTS.get(playbook_text, _SNAPSHOT_TEXTS)
    if held[0] is _SNAPSHOT_TEXTS or held[1] is _SNAPSHOT_TEXTS:  # not held (the dict itself: a "missing" mark)
        started = _EVENT.validate_json(text)
        if not isinstance(started, DrillStarted):
            return started
        for snippet, value in ((scenario_text, started.scenario), (playbook_text, started.playbook)):
            if snippet not in _SNAPSHOT_TEXTS:
                try:
                    alone = json.loads(snippet)
                except ValueError:
                    continue
                if alone == value:
                    _SNAPSHOT_TEXTS[snippet] = alone
                    while len(_SNAPSHOT_TEXTS) > 2 * _CACHE_SIZE:
                        _SNAPSHOT_TEXTS.popitem(last=False)
        return started
    _SNAPSHOT_TEXTS.move_to_end(scenario_text)
    _SNAPSHOT_TEXTS.move_to_end(playbook_text)
    rest = _EVENT.validate_json(text[:a] + "{}" + text[b:middle.end()] + "null" + text[c:])
    return rest.model_copy(update={"scenario": held[0], "playbook": held[1]})


def event_json(event: Event) -> str:
    return event.model_dump_json()


class ExerciseError(BreachdrillError, ValueError):
    """A command that does not fit the drill's state; the message names the team and inject."""


# --- the scenario, indexed once ----------------------------------------------------------------


@dataclass(frozen=True)
class InjectIndex:
    inject: Inject
    options: dict[str, Option]
    # Free injects: one compiled pattern per rubric option (case-insensitive, whole words).
    rubric: tuple[tuple[str, re.Pattern[str]], ...]
    branches: tuple[tuple[str, str], ...]  # (option id, its next) for the options that branch

    def check(self, answer: Any) -> list[str] | str:
        """`normalize_answer`, with a fast path for the well-formed answers a fold replays."""
        kind = self.inject.kind
        if kind == "free":
            if type(answer) is str and answer.strip() and len(answer) <= 20_000:
                return answer
        elif type(answer) is list:
            n = len(answer)
            if (
                (n == 1 if kind == "single" else n == len(self.options) if kind == "order" else True)
                and self.options.keys() >= set(answer)
                and len(set(answer)) == n
            ):
                return answer
        return normalize_answer(self.inject, answer)  # the slow path says what is wrong


def _keyword_pattern(keywords: list[str]) -> re.Pattern[str]:
    phrases = [r"\s+".join(re.escape(word) for word in kw.split()) for kw in keywords if kw.strip()]
    return re.compile(r"(?<!\w)(?:" + "|".join(phrases or ["(?!)"]) + r")(?!\w)", re.IGNORECASE)


class ScenarioIndex:
    """Lookups the fold and the scorer make on every event, computed once per scenario."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.injects: dict[str, InjectIndex] = {}
        for inject in scenario.injects:
            options = {option.id: option for option in inject.options}
            rubric = tuple(
                (option.id, _keyword_pattern(option.keywords)) for option in inject.options if option.keywords
            )
            branches = tuple((o.id, o.next) for o in inject.options if o.next is not None)
            self.injects[inject.id] = InjectIndex(inject, options, rubric, branches)

    def keyword_credit(self, inject_id: str, text: str) -> tuple[str, ...]:
        """Rubric options whose keywords appear in a free answer, in the file's order."""
        return tuple(oid for oid, pattern in self.injects[inject_id].rubric if pattern.search(text))

    def branch(self, inject_id: str, chosen: Iterable[str]) -> str | None:
        """Where a team goes after an inject: the first chosen option (file order) with a
        `next`, else the inject's `next` (docs/scoring.md, "The path")."""
        entry = self.injects[inject_id]
        if entry.branches:
            picked = set(chosen)
            for option_id, following in entry.branches:
                if option_id in picked:
                    return following
        return entry.inject.next


_INDEXES: OrderedDict[Any, tuple[Scenario, ScenarioIndex]] = OrderedDict()
_SNAPSHOTS = ContentCache()


def index(scenario: Scenario) -> ScenarioIndex:
    """The scenario's index, cached by the snapshot's content id (or, for a scenario that is no
    snapshot, per object): scoring thousands of drills reuses it."""
    ident = content_id(scenario) or id(scenario)
    hit = _INDEXES.get(ident)
    if hit is not None and (hit[0] is scenario or type(ident) is tuple):
        _INDEXES.move_to_end(ident)
        return hit[1]
    if len(_INDEXES) >= _CACHE_SIZE:
        _INDEXES.popitem(last=False)
    built = ScenarioIndex(scenario)
    _INDEXES[ident] = (scenario, built)  # the strong reference keeps id() from being reused
    return built


def snapshot_scenario(started: DrillStarted) -> Scenario:
    """The drill's own copy of its scenario, validated once per distinct content (not per
    `scenario_hash`, which tests set to dummies shared by different scenarios)."""
    return _SNAPSHOTS.get(started.scenario_hash, started.scenario, lambda: Scenario.model_validate(started.scenario))


# --- answers --------------------------------------------------------------------------------------


def normalize_answer(inject: Inject, answer: Any) -> list[str] | str:
    """The answer in its stored shape, or ExerciseError saying what the inject takes."""
    where = f"inject '{inject.id}'"
    ids = [option.id for option in inject.options]
    if inject.kind == "free":
        if not isinstance(answer, str):
            raise ExerciseError(f"{where} is a free-text question: answer with text, not {type(answer).__name__}")
        if not answer.strip():
            raise ExerciseError(f"{where}: the answer is empty")
        if len(answer) > 20_000:
            raise ExerciseError(f"{where}: the answer is longer than 20,000 characters")
        return answer
    if isinstance(answer, str):
        answer = [answer]
    if not isinstance(answer, (list, tuple)) or not all(isinstance(a, str) for a in answer):
        raise ExerciseError(f"{where} takes option ids, not {type(answer).__name__}")
    chosen = list(answer)
    for oid in chosen:
        if oid not in ids:
            raise ExerciseError(f"{where}: unknown option '{oid}' (options: {', '.join(ids)})")
    if len(set(chosen)) != len(chosen):
        dup = next(o for o in chosen if chosen.count(o) > 1)
        raise ExerciseError(f"{where}: option '{dup}' is given twice")
    if inject.kind == "single" and len(chosen) != 1:
        raise ExerciseError(f"{where} takes exactly one option id, got {len(chosen)}")
    if inject.kind == "order" and len(chosen) != len(ids):
        missing = [o for o in ids if o not in chosen]
        raise ExerciseError(f"{where} asks for an order of all its options; missing: {', '.join(missing)}")
    return chosen


# --- state ---------------------------------------------------------------------------------------


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


def _team(state: DrillState, name: str) -> TeamState:
    team = state.teams.get(name)
    if team is None:
        raise ExerciseError(f"unknown team '{name}' (teams: {', '.join(state.teams)})")
    return team


def _running(state: DrillState) -> None:
    if state.status == "ended":
        raise ExerciseError("the drill has ended")
    if state.status == "paused":
        raise ExerciseError("the drill is paused: resume it first")


def _check(state: DrillState, event: Event) -> Any:
    """Raise ExerciseError when the event does not fit the state (shared by commands and fold).

    For a response, returns the answer in its stored shape, so it is validated only once.
    The commonest events come first: a fold replays thousands of them when scoring."""
    kind = event.type
    if kind == "response-submitted":
        _running(state)
        team = state.teams.get(event.team) or _team(state, event.team)
        if event.inject in team.answers:
            raise ExerciseError(f"team '{team.name}' has already answered inject '{event.inject}'")
        if event.inject != team.current:
            current = f"'{team.current}'" if team.current else "nothing yet"
            raise ExerciseError(f"inject '{event.inject}' is not in front of team '{team.name}' (it has {current})")
        return state.index.injects[event.inject].check(event.answer)
    if kind == "inject-released":
        _running(state)
        team = state.teams.get(event.team) or _team(state, event.team)
        if team.next is None:
            raise ExerciseError(f"team '{team.name}' has reached the end of its branch")
        if event.inject != team.next:
            raise ExerciseError(f"team '{team.name}' is due inject '{team.next}', not '{event.inject}'")
        return None
    if kind == "free-marked":
        # Marks are allowed at any time, the hot wash after the drill included.
        team = _team(state, event.team)
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
        team = _team(state, event.team)
        if event.inject not in team.answers:
            raise ExerciseError(f"team '{team.name}' has not answered inject '{event.inject}': nothing to correct")
        return state.index.injects[event.inject].check(event.answer)
    if kind == "team-renamed":
        team = _team(state, event.team)
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
    if kind in ("archived", "restored", "scoreboard-set"):
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


def _apply(state: DrillState, event: Event, checked: Any = None) -> None:
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
    for position, event in enumerate(it, start=1):
        current.events += 1
        try:
            checked = _check(current, event)
        except ExerciseError as exc:
            current.skipped.append((position, str(exc)))
            continue
        _apply(current, event, checked)
    return current


# --- commands ------------------------------------------------------------------------------------


class Exercise:
    """A live drill: each command is checked, recorded, then applied to the state.

    `record` (usually `Store.recorder(drill_id)`) is called with each new event before the state
    changes; if it raises, the command fails and the state is as it was.
    """

    def __init__(
        self,
        events: list[Event],
        scenario: Scenario | None = None,
        record: Callable[[Event], Any] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.events = list(events)
        self.state = state(self.events, scenario)
        self._record = record
        self._clock = clock

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
    ) -> Exercise:
        names = [t.strip() for t in teams]
        if not names or any(not t for t in names):
            raise ExerciseError("a drill needs at least one team, each with a name")
        if len(set(names)) != len(names):
            raise ExerciseError(f"team '{next(t for t in names if names.count(t) > 1)}' is named twice")
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
        return cls([started], scenario, record, clock)

    def _add(self, event: Event) -> Event:
        checked = _check(self.state, event)
        if self._record is not None:
            self._record(event)
        self.events.append(event)
        self.state.events += 1
        _apply(self.state, event, checked)
        return event

    def release(self, team: str, inject: str | None = None) -> InjectReleased:
        """Show a team its next inject (the one its branch leads to, unless named)."""
        due = _team(self.state, team).next
        return self._add(InjectReleased(at=self._clock(), team=team, inject=inject or due or ""))

    def submit(self, team: str, inject: str, answer: Any, seconds: float | None = None) -> ResponseSubmitted:
        """Record a team's answer. In a timed drill with no `seconds`, the time since the inject
        was released, pauses excluded, is recorded."""
        now = self._clock()
        entry = self.state.index.injects.get(inject)
        if entry is None:
            raise ExerciseError(f"unknown inject '{inject}'")
        normalized = normalize_answer(entry.inject, answer)
        team_state = _team(self.state, team)
        if seconds is None and self.state.timed and team_state.current == inject:
            seconds = round(max(0.0, self.state.active_seconds(now) - team_state.released_active), 3)
        return self._add(ResponseSubmitted(at=now, team=team, inject=inject, answer=normalized, seconds=seconds))

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

    def inject_for(self, team: str) -> Inject | None:
        """The inject in front of a team, or None."""
        current = _team(self.state, team).current
        return self.state.index.injects[current].inject if current else None
