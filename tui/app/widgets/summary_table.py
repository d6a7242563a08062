"""The debrief's summary: one row per team, its overall score, how much of its path it answered
and its steps, escalation and harms dimensions. The team's name gets the width the figures leave
(and wraps there), so the table fits the terminal; it is refilled when its width changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.events import Resize
from textual.widgets import DataTable

from .literal import rich

if TYPE_CHECKING:
    from ..session import Drill

FIGURES = (("Overall", 7), ("Answered", 8), ("Steps", 5), ("Escalation", 10), ("Harms", 5))


class SummaryTable(DataTable):
    def __init__(self, drill: Drill, **kwargs) -> None:
        super().__init__(cursor_type="row", **kwargs)
        self.drill = drill
        self.cards: dict = {}
        self.filled_for = 0

    def on_mount(self) -> None:
        self.fill(self.app.size.width - 4)  # about its width, until the first layout says

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self.filled_for:
            self.fill(event.size.width)

    def show(self, cards: dict) -> None:
        self.cards = cards
        self.fill(self.filled_for)

    def fill(self, width: int) -> None:
        self.filled_for = width
        row = self.cursor_row
        self.clear(columns=True)
        # Every column is padded 1 each side.
        self.add_column("Team", width=max(12, width - sum(w + 2 for _, w in FIGURES) - 2))
        for name, figure_width in FIGURES:
            self.add_column(name, width=figure_width)
        for name, card in self.cards.items():
            answered = len(self.drill.state.teams[name].answers)
            dims = [f"{card.dimensions.get(d, 0):.0f}" for d in ("steps", "escalation", "harms")]
            self.add_row(rich(name), f"{card.overall:.1f}", f"{answered}/{len(card.path)}", *dims, height=None)
        if self.row_count:
            self.move_cursor(row=min(max(row, 0), self.row_count - 1))
