"""The live scoreboard: each team's score over what it has answered so far (scoring.live), its
progress and, in a timed drill, its countdown (or, for a team between injects, when the scenario
clock releases its next one: "in 04:10", "due now", "held"); hideable from the room.

Every team has its place, however many: where the board is short (a narrow terminal, where it
sits under the timeline) the teams are laid two or more to a row; the columns share the width.
"""

from __future__ import annotations

from math import ceil
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from scenarios.clock import next_up

from ...text import literal_line
from .timeline import countdown, fitted, release_words

if TYPE_CHECKING:
    from scoring.live import LiveScore

    from ..session import Drill

SHORT_ROWS = 5  # rows the board shows on a narrow terminal (console.tcss: max-height 8)
MIN_NAME = 6


class Scoreboard(DataTable):
    def __init__(self, drill: Drill, **kwargs) -> None:
        super().__init__(cursor_type="none", **kwargs)
        self.drill = drill
        self.cards: dict[str, LiveScore] = {}
        self.now = 0.0  # the wall time countdowns are read at (console.tick sets it)
        self.border_title = "Scoreboard"
        self.border_subtitle = "scored on answers so far"
        self.layout_key: tuple = ()

    def on_mount(self) -> None:
        self.rebuild()

    def on_resize(self) -> None:
        if self.layout_key != self.layout():
            self.rebuild()

    def layout(self) -> tuple[int, int]:
        """(teams to a row, the width there is)."""
        teams = len(self.drill.teams)
        across = ceil(teams / SHORT_ROWS) if self.screen.has_class("-narrow") else 1
        return max(1, across), max(20, self.size.width - self.styles.scrollbar_size_vertical)

    def columns_for(self) -> list[tuple[str, int]]:
        """(column, width) for one team's block; the name takes what the others leave."""
        fixed = [("Done", 5), ("Live", 5)]
        if self.drill.state.timed:
            fixed.insert(0, ("Left", len(countdown(-3599)[0])))
        return fixed

    def rebuild(self) -> None:
        self.layout_key = self.layout()
        across, room = self.layout_key
        pad = 2 * self.cell_padding
        fixed = self.columns_for()
        block = room // across
        name_width = max(MIN_NAME, block - sum(w + pad for _, w in fixed) - pad)
        longest = max(len(literal_line(t)) for t in self.drill.teams)
        self.name_width = min(name_width, max(longest, 4))
        self.clear(columns=True)
        for n in range(across):
            self.add_column("Team", key=f"team-{n}", width=self.name_width)
            for label, width in fixed:
                self.add_column(label, key=f"{label.lower()}-{n}", width=width)
        self.fill()

    def show(self, cards: dict[str, LiveScore]) -> None:
        self.cards = cards
        self.fill()

    def ranked(self) -> list[str]:
        """Highest live score first; teams not yet answering after, in their order."""
        teams = self.drill.teams
        scored = [t for t in teams if t in self.cards and self.drill.state.teams[t].answers]
        scored.sort(key=lambda t: -self.cards[t].card.overall)
        return scored + [t for t in teams if t not in scored]

    def fill(self) -> None:
        if not self.columns:
            return
        self.clear()
        across = self.layout_key[0]
        ranked = self.ranked()
        blank = [""] * (1 + len(self.columns_for()))
        for start in range(0, len(ranked), across):
            row: list = []
            for team in ranked[start:start + across]:
                row.extend(self.cells(team))
            row.extend(blank * (across - len(ranked[start:start + across])))
            self.add_row(*row)

    def cells(self, team: str) -> list:
        t = self.drill.state.teams.get(team)
        if t is None:  # renamed meanwhile: the next scores bring its new name
            return [fitted(team)] + [""] * len(self.columns_for())
        live = self.cards.get(team)
        cells: list = [fitted(team)]
        if self.drill.state.timed:
            left = self.drill.remaining(team, self.now)
            up = next_up(self.drill.state, team, self.now) if left is None else None
            words = release_words(up) if up is not None else None
            cells.append(Text(*countdown(left)) if left is not None else Text(*words) if words else "")
        cells.append(f"{len(t.answers)}/{live.asked}" if live is not None else f"{len(t.answers)}")
        # No score before a team has answered: the harms credit alone would read as points won.
        cells.append(f"{live.card.overall:.1f}" if live is not None and t.answers else "-")
        return cells

    def tick(self, now: float) -> None:
        """The countdowns, every second in a timed drill."""
        self.now = now
        if self.drill.state.timed:
            self.fill()
