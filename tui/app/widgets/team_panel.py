"""One team's tab in the console: the inject in front of it, and what it has answered so far."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from .literal import content, join

if TYPE_CHECKING:
    from ..session import Drill


SEAT_TEXT = {"joined": "joined", "answering": "answering now",
             "left": "gone (closed, or not heard from for 15 s: the code rejoins)"}


class TeamPanel(Static):
    def __init__(self, drill: Drill, team: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.drill = drill
        self.team = team
        self.seat: str | None = None  # what the team's own terminal is doing, if it has joined (console.py)

    def show(self, now: float) -> None:
        from ..session import clock, describe_answer

        drill, t = self.drill, self.drill.state.teams[self.team]
        lines: list[Content] = []
        if t.current is None:
            lines.append(content("Nothing released yet. Press n to release the first inject.", "italic"))
        else:
            inject = drill.inject(t.current)
            lines.append(join(content("Current: ", "bold"), f"+{inject.at} min · {inject.channel} · {inject.title}"))
            lines.append(join(content("From: ", "bold"), inject.sender))
            if t.awaiting:
                left = drill.remaining(self.team, now)
                timer = f" · {clock(left)} left" if left is not None else ""
                if self.seat in ("joined", "answering"):
                    lines.append(content(f"Awaiting this team's answer from its own terminal{timer} "
                                         "(a records it here instead).", "bold"))
                else:
                    lines.append(content(f"Awaiting this team's answer{timer}. Press a to record it.", "bold"))
            elif t.next is not None:
                lines.append(content("Answered. Press n to release the next inject.", "italic"))
            else:
                lines.append(content("This team has finished its branch.", "italic"))
        if self.seat is not None:
            lines.append(content(f"Own terminal: {SEAT_TEXT[self.seat]}", "italic"))
        if t.answers:
            lines.append(content(""))
            lines.append(content("Answers so far:", "bold underline"))
            # A copy: a timed console redraws this every second, also while a write adds an answer.
            for inject_id, answer in list(t.answers.items()):
                inject = drill.inject(inject_id)
                lines.append(join(content(f"{inject.title}: ", "bold"), describe_answer(inject, answer.answer)))
        self.update(Content("\n").join(lines))
