"""The MSEL: every inject on the scenario clock, and where each team stands on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import DataTable

from .literal import rich

if TYPE_CHECKING:
    from ..session import Drill

# What a team's column says of one inject, and how it looks.
MARKS = {
    "answered": ("answered", "green"),
    "awaiting": ("AWAITING", "bold yellow"),
    "due": ("next", "cyan"),
    "skipped": ("-", "dim"),
    "": ("", ""),
}


class Timeline(DataTable):
    """Scenario time, sender, channel, inject title, then one status column per team."""

    def __init__(self, drill: Drill, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.drill = drill

    def on_mount(self) -> None:
        teams = self.drill.teams
        # Fixed columns sized for 80 columns; the inject title takes what is left.
        fixed = 8 + 14 + 7 + 9 * len(teams) + 2 * (4 + len(teams)) + 4
        width = self.app.size.width - (30 if self.app.size.width >= 110 else 0)  # the scoreboard beside
        self.add_column("Time", key="at", width=8)
        self.add_column("Sender", key="sender", width=14)
        self.add_column("Channel", key="channel", width=7)
        self.add_column("Inject", key="title", width=max(16, width - fixed))
        for number, team in enumerate(teams):
            self.add_column(rich(team), key=f"team-{number}", width=9)
        for inject in sorted(self.drill.shown.injects, key=lambda i: i.at):
            cells = [f"+{inject.at} min", rich(inject.sender), inject.channel, rich(inject.title)]
            self.add_row(*cells, *([""] * len(self.drill.teams)), key=inject.id)
        self.refresh_marks()

    def status(self, team: str, inject_id: str) -> str:
        t = self.drill.state.teams[team]
        if inject_id in t.answers:
            return "answered"
        if inject_id == t.current:
            return "awaiting"
        if inject_id == t.next and not t.awaiting:
            return "due"
        return ""

    def refresh_marks(self) -> None:
        from rich.text import Text

        for inject in self.drill.shown.injects:
            for number, team in enumerate(self.drill.teams):
                label, style = MARKS[self.status(team, inject.id)]
                self.update_cell(inject.id, f"team-{number}", Text(label, style=style))
