"""The live scoreboard: each team's overall score so far, hideable from the room."""

from __future__ import annotations

from textual.widgets import DataTable

from .literal import rich


class Scoreboard(DataTable):
    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="none", **kwargs)
        self.border_title = "Scoreboard"

    def on_mount(self) -> None:
        self.add_column("Team", width=12)
        self.add_column("Done", width=5)
        self.add_column("Score", width=5)

    def show(self, drill, cards: dict) -> None:
        self.clear()
        for name, card in sorted(cards.items(), key=lambda item: -item[1].overall):
            team = drill.state.teams[name]
            done = f"{len(team.answers)}/{len(card.path)}"
            # No score before a team has answered: the harms credit alone would read as points won.
            shown = f"{card.overall:.1f}" if team.answers else "-"
            self.add_row(rich(name), done, shown)
