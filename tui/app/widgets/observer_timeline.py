"""The observer's timeline: what the drill's events say happened, one row each (a team's name, an
inject's title and an answer as the team chose it, each on one line), and those rows as text
under a heading for each local day. A facilitator's mark or a correction's reason is listed only
once the debrief is open to the players: before that it would judge an answer."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.content import Content

from scenarios.inject_text import CHANNEL_LABEL

from ..session import describe_answer
from .literal import content, join, title

if TYPE_CHECKING:
    from scenarios.events import Event

    from ..session import Drill


def one_line(text: object, style: str = "bold") -> Content:
    """A team's name or an inject's title inside a row: literal, and on one line."""
    return content(title(text), style)


def wall(at: float) -> str:
    """An event's wall time in local time."""
    return time.strftime("%H:%M:%S", time.localtime(at))


def day(at: float) -> str:
    return time.strftime("%A %d %B %Y", time.localtime(at))


def chosen(inject, answer: list[str] | str) -> str:
    """An answer as `describe_answer` reads it, on one row: a free answer's lines run together."""
    return " ".join(describe_answer(inject, answer).split())


@dataclass
class Row:
    at: float
    what: Content
    clock: int | None = None  # the scenario clock (`at` minutes) of the row's inject


@dataclass
class History:
    """What the events say happened, in the store's order (the fold's skipped events left out):
    the timeline's rows, and when each team (by its number) was sent and answered each inject."""

    rows: list[Row] = field(default_factory=list)
    released: dict[tuple[int, str], float] = field(default_factory=dict)
    answered: dict[tuple[int, str], float] = field(default_factory=dict)
    corrected: dict[tuple[int, str], float] = field(default_factory=dict)


def history(drill: Drill) -> History:
    """One pass over the drill's events. An event names its team as it was called then; a
    rename moves the name, so each team keeps its number (its place in drill-started's list).
    A facilitator's mark of a free answer is a judgment: listed only once the debrief is open."""
    state = drill.state
    shared = state.debrief_shared
    skipped = {position for position, _ in state.skipped}
    events: list[Event] = drill.exercise.events
    started = events[0]
    numbers = {name: n for n, name in enumerate(started.teams)}
    made = History()
    names = join(*(part for n, name in enumerate(started.teams)
                   for part in ((", " if n else ""), one_line(name))))
    made.rows.append(Row(started.at, join("Drill started with ", names)))
    for position, event in enumerate(events[1:], start=1):
        if position in skipped:
            continue
        kind = event.type
        number = numbers.get(getattr(event, "team", None))
        if kind == "inject-released":
            inject = drill.inject(event.inject)
            made.released[number, event.inject] = event.at
            what = join(one_line(event.team), " was sent ", one_line(f"“{inject.title}”", ""),
                        content(f" · {CHANNEL_LABEL.get(inject.channel, inject.channel)} from ", "dim"),
                        one_line(inject.sender, "dim"))
            made.rows.append(Row(event.at, what, inject.at))
        elif kind == "response-submitted":
            inject = drill.inject(event.inject)
            made.answered[number, event.inject] = event.at
            what = join(one_line(event.team), " answered ", one_line(f"“{inject.title}”", ""), ": ",
                        chosen(inject, event.answer))
            made.rows.append(Row(event.at, what, inject.at))
        elif kind == "answer-corrected":
            inject = drill.inject(event.inject)
            made.corrected[number, event.inject] = event.at
            what = join("The facilitator changed ", one_line(event.team), "'s recorded answer to ",
                        one_line(f"“{inject.title}”", ""), " to: ", chosen(inject, event.answer))
            if shared and event.reason.strip():
                what = join(what, content(" · ", "dim"), content(event.reason, "italic"))
            made.rows.append(Row(event.at, what, inject.at))
        elif kind == "free-marked" and shared:
            inject = drill.inject(event.inject)
            made.rows.append(Row(event.at, join("The facilitator marked ", one_line(event.team), "'s answer to ",
                                                one_line(f"“{inject.title}”", "")), inject.at))
        elif kind == "team-renamed":
            new = event.name.strip()
            numbers[new] = numbers.pop(event.team)
            made.rows.append(Row(event.at, join("Team ", one_line(event.team), " renamed ", one_line(new))))
        elif kind == "paused":
            made.rows.append(Row(event.at, content("Paused by the facilitator", "bold")))
        elif kind == "resumed":
            made.rows.append(Row(event.at, content("Resumed", "bold")))
        elif kind == "ended":
            made.rows.append(Row(event.at, content("The drill ended", "bold")))
        elif kind == "debrief-shared":
            made.rows.append(Row(event.at, content("The debrief was opened to the players: scores on the "
                                                   "Scores tab", "bold")))
    return made


def timeline_text(rows: list[Row]) -> Content:
    """One line per row (a long one wraps), with a day's heading where the local date changes."""
    width = max((len(f"+{r.clock} min") for r in rows if r.clock is not None), default=0)
    lines: list[Content] = []
    shown_day = None
    for row in rows:
        if day(row.at) != shown_day:
            shown_day = day(row.at)
            lines.append(content(shown_day, "bold underline"))
        clock = f"+{row.clock} min" if row.clock is not None else ""
        lines.append(join(content(wall(row.at), "dim"), " ", content(f"{clock:<{width}}", "$accent"),
                          " " if width else "", row.what))
    return Content("\n").join(lines)
