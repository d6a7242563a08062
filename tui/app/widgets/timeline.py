"""The MSEL: every inject on the scenario clock, and where each team stands on it.

Columns are sized to the width the table has (and again on every resize): each text column at
its longest cell while that fits, the sender and the title cut evenly when it does not, then
the team columns' words shortened. With many teams on a narrow terminal the time and the title
stay put and the rest scrolls sideways (left/right); `off_screen` names the columns it hides, for
the line under the table.

In a timed facilitated drill the cell of a team's next inject says when the scenario clock
releases it (scenarios/clock.py): "in 04:10", "due now", "held" (short: "04:10", "now", "held"),
in the cyan of "next", never the yellow of the time a team has left to answer; the two never
share a column, for a team with an inject in front of it has no "next" cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from scenarios.clock import NextUp, next_up

from ...text import literal_line
from .literal import rich

if TYPE_CHECKING:
    from ..session import Drill

# What a team's column says of one inject: (full word, short word, style).
MARKS = {
    "answered": ("answered", "done", "green"),
    "awaiting": ("AWAITING", "WAIT", "bold yellow"),
    "over": ("OVER TIME", "OVER", "bold reverse red"),
    "due": ("next", "next", "cyan"),
    "": ("", "", ""),
}
MIN_TITLE = 14  # the title is cut no narrower than this (the sender goes first)
MIN_SENDER = 18  # a name's worth: the sender line goes on with its office
FLEXIBLE = ("title", "sender")
SHORT_NAME = 8  # a team column's header with short words: the name cut to this


def fitted(text: object) -> Text:
    """A literal cell that ends in an ellipsis where its column cuts it (the cell keeps it whole)."""
    made = rich(text)
    made.no_wrap, made.overflow = True, "ellipsis"
    return made


def countdown(left: float, short: bool = False) -> tuple[str, str]:
    """A team's time on its inject as read at a glance, and its style: an overrun must not look
    like time left (a minus sign is easy to miss)."""
    seconds = abs(int(left))
    shown = f"{seconds // 60:02d}:{seconds % 60:02d}"
    if left >= 0:
        return (shown if short else f"{shown} left"), "bold yellow"
    return ("OVER" if short else f"over {shown}"), "bold reverse red"


def clock_time(seconds: float) -> str:
    """Seconds as mm:ss (minutes past 99 widen it rather than wrap)."""
    seconds = abs(int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def release_words(up: NextUp, short: bool = False) -> tuple[str, str] | None:
    """When the clock releases a ready team's next inject, at a glance, with its style; None
    for a team still answering (its cell shows the time it has left)."""
    if up.wait == "in":
        return (clock_time(up.seconds) if short else f"in {clock_time(up.seconds)}"), "cyan"
    if up.wait == "due":
        return ("now" if short else "due now"), "bold cyan"
    if up.wait == "held":
        return "held", "bold magenta"
    if up.wait == "paused":
        return (clock_time(up.seconds) if short else f"in {clock_time(up.seconds)}"), "dim cyan"
    return None


class Timeline(DataTable):
    """Time, inject title, one status column per team, then sender and channel."""

    def __init__(self, drill: Drill, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.drill = drill
        self.short = False  # the team columns use the short words
        self.widths: dict[str, int] = {}
        self.now = 0.0  # the wall time the countdowns are read at (console.tick sets it)

    def injects(self):
        return sorted(self.drill.shown.injects, key=lambda i: i.at)

    def on_mount(self) -> None:
        self.build()

    def on_resize(self) -> None:
        if self.widths != self.fit(self.usable_width()):
            self.build()

    def usable_width(self) -> int:
        # The vertical scrollbar is kept room for: a table that fits must not then scroll sideways.
        return max(20, self.size.width - self.styles.scrollbar_size_vertical)

    def natural(self, short: bool) -> dict[str, int]:
        injects = self.injects()
        timed = self.drill.state.timed
        word = max(len(m[1 if short else 0]) for status, m in MARKS.items() if timed or status != "over")
        if timed:
            word = max(word, len(countdown(-3599, short)[0]), len(countdown(3599, short)[0]))
        widths = {  # at least each header's width
            "at": max(4, *(len(f"+{i.at} min") for i in injects)),
            "title": max(6, *(len(literal_line(i.title)) for i in injects)),
        }
        for number, team in enumerate(self.drill.teams):
            name = len(literal_line(team))
            widths[f"team-{number}"] = max(word, min(name, SHORT_NAME) if short else name)
        widths["sender"] = max(6, *(len(literal_line(i.sender)) for i in injects))
        widths["channel"] = max(7, *(len(i.channel) for i in injects))
        return widths

    def fit(self, room: int) -> dict[str, int]:
        """Column widths for `room` cells: natural widths if they fit. Else the sender is cut
        (to a name's worth) before the title, and the team columns take their short words
        before the title is cut; what still does not fit scrolls sideways, time and title fixed."""
        pad = 2 * self.cell_padding
        tries = [(False, False), (True, False), (True, True)]  # (short words, cut title)
        for short, cut_title in tries:
            widths = self.natural(short)
            flex = room - sum(w for k, w in widths.items() if k not in FLEXIBLE) - pad * len(widths)
            sender = min(widths["sender"], MIN_SENDER)
            if not cut_title and widths["title"] + sender > flex:
                continue
            widths["title"] = max(min(widths["title"], MIN_TITLE), min(widths["title"], flex - sender))
            widths["sender"] = max(sender, min(widths["sender"], flex - widths["title"]))
            if widths["title"] + widths["sender"] <= flex:
                break
        self.short = short
        return widths

    def build(self) -> None:
        """(Re)build columns and rows at the widths that fit now, keeping the row in view."""
        row = self.cursor_row
        widths = self.widths = self.fit(self.usable_width())
        self.clear(columns=True)
        self.add_column("Time", key="at", width=widths["at"])
        self.add_column("Inject", key="title", width=widths["title"])
        for number, team in enumerate(self.drill.teams):
            key = f"team-{number}"
            self.add_column(fitted(team), key=key, width=widths[key])
        self.add_column("Sender", key="sender", width=widths["sender"])
        self.add_column("Channel", key="channel", width=widths["channel"])
        teams = [""] * len(self.drill.teams)
        for inject in self.injects():
            cells = [f"+{inject.at} min", fitted(inject.title), *teams,
                     fitted(inject.sender), inject.channel]
            self.add_row(*cells, key=inject.id)
        self.fixed_columns = 2 if self.overflows() else 0
        self.refresh_marks()
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1))

    def overflows(self) -> bool:
        pad = 2 * self.cell_padding
        return sum(self.widths.values()) + pad * len(self.widths) > self.usable_width()

    def off_screen(self) -> list[str]:
        """The columns scrolled out of view, or cut at the right edge: teams by name, then the
        sender and the channel."""
        if not self.overflows():
            return []
        pad = 2 * self.cell_padding
        fixed = self.widths["at"] + self.widths["title"] + 2 * pad
        left, right = self.scroll_x, self.scroll_x + self.scrollable_content_region.width - fixed
        names = {f"team-{n}": team for n, team in enumerate(self.drill.teams)}
        names |= {"sender": "Sender", "channel": "Channel"}
        hidden, x = [], 0
        for key, name in names.items():
            width = self.widths[key] + pad
            if x < left or x + width > right:
                hidden.append(name)
            x += width
        return hidden

    def status(self, team: str, inject_id: str) -> str:
        t = self.drill.state.teams[team]
        if inject_id in t.answers:
            return "answered"
        if inject_id == t.current:
            left = self.drill.remaining(team, self.now)
            return "over" if left is not None and left < 0 else "awaiting"
        if inject_id == t.next and not t.awaiting:
            return "due"
        return ""

    def mark(self, team: str, inject_id: str) -> Text:
        status = self.status(team, inject_id)
        full, short, style = MARKS[status]
        left = self.drill.remaining(team, self.now) if status in ("awaiting", "over") else None
        if left is not None:
            word, style = countdown(left, self.short)
            return Text(word, style=style)
        up = next_up(self.drill.state, team, self.now) if status == "due" else None
        words = release_words(up, self.short) if up is not None else None
        if words is not None:
            return Text(*words)
        return Text(short if self.short else full, style=style)

    def refresh_marks(self) -> None:
        if not self.columns:
            return
        for inject in self.drill.shown.injects:
            for number, team in enumerate(self.drill.teams):
                self.update_cell(inject.id, f"team-{number}", self.mark(team, inject.id))
