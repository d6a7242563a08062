"""One team's tab in the console: the inject in front of it, what the scenario clock brings it
next and when (a timed drill, scenarios/clock.py), and what it has answered so far."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from scenarios.clock import NextUp, next_up

from .literal import content, join
from .timeline import clock_time, countdown

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
        from ..session import describe_answer

        drill, t = self.drill, self.drill.state.teams[self.team]
        lines: list[Content] = []
        up = next_up(drill.state, self.team, now)
        if t.current is None and up is not None:
            lines.append(self.next_line(up))
        elif t.current is None:
            lines.append(content("Nothing released yet. Press n to release the first inject.", "italic"))
        else:
            inject = drill.inject(t.current)
            lines.append(join(content("Current: ", "bold"), f"+{inject.at} min · {inject.channel} · {inject.title}"))
            lines.append(join(content("From: ", "bold"), inject.sender))
            if t.awaiting:
                left = drill.remaining(self.team, now)
                if left is not None:
                    lines.append(join(content("Time: ", "bold"), content(*countdown(left))))
                if self.seat in ("joined", "answering"):
                    lines.append(content("Awaiting this team's answer from its own terminal "
                                         "(a records it here instead).", "bold"))
                else:
                    lines.append(content("Awaiting this team's answer. Press a to record it.", "bold"))
                if up is not None:
                    lines.append(self.next_line(up))
            elif up is not None:
                lines.append(self.next_line(up))
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

    def next_line(self, up: NextUp) -> Content:
        """What the scenario clock does next for this team, in words."""
        inject = self.drill.inject(up.inject)
        named = content(f"'{inject.title}' (+{inject.at} min)", "bold")
        when = clock_time(up.seconds)
        said = {
            "in": ("Next: ", named, f" on the clock in {when} (n releases it now)."),
            "due": ("Next: ", named, " is due now: the clock releases it."),
            "held": ("Next: ", named, (f" due in {when}" if up.seconds > 0 else f" was due {when} ago") +
                     ", but the clock is held: n releases it, h runs the clock."),
            "paused": ("Next: ", named, f" due in {when} of drill time, once the drill resumes." if up.seconds > 0
                       else " is due: it goes out once the drill resumes."),
            "answering": ("Next on the clock, if this answer leads there: ", named, f" in {when}."),
            "behind": ("Behind the clock: ", named, f" was due {when} ago; it is released as soon as "
                       "this team answers."),
        }[up.wait]
        style = "bold" if up.wait == "behind" else "italic"  # a team behind is what needs acting on
        return join(*(part if isinstance(part, Content) else content(part, style) for part in said))
