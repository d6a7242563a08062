"""A drill's events: the append-only record a drill is (what the store writes, what the fold reads).

Each event is a pydantic model with a literal `type`; `parse_event` reads one back from its JSON,
and a drill-started event's two snapshots (most of its bytes) are decoded once per distinct text.
"""

from __future__ import annotations

import json
import re
import time
from collections import OrderedDict
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from .content_cache import CACHE_SIZE as _CACHE_SIZE

Mode = Literal["facilitated", "practice"]
Status = Literal["running", "paused", "ended"]
Method = Literal["choice", "keywords", "facilitator"]



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


class ClockHeld(_Event):
    """The facilitator held the scenario clock of a timed drill (`held`), or let it run again:
    while held nothing is released on the clock (n still releases by hand). An event, so every
    console following the drill, and one resumed after a crash, holds it too (scenarios/clock.py)."""

    type: Literal["clock-held"] = "clock-held"
    held: bool


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


class DebriefShared(_Event):
    """The facilitator opened the debrief to the players' own terminals: until then a player
    sees its team's injects and answers, never a score."""

    type: Literal["debrief-shared"] = "debrief-shared"


Event = Annotated[
    DrillStarted | InjectReleased | ResponseSubmitted | FreeMarked | Paused | Resumed | Ended
    | AnswerCorrected | TeamRenamed | Archived | Restored | ScoreboardSet | DebriefShared | ClockHeld,
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

