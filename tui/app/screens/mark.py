"""A facilitator's mark of a free-text answer: which rubric entries it earned. The mark is one
`free-marked` event and replaces the keyword match in the score (docs/scoring.md)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ..widgets.choices import MultiChoice
from ..widgets.footer import footer
from ..widgets.literal import content, join
from . import STYLES


class MarkScreen(ModalScreen[list[str] | None]):
    CSS_PATH = STYLES  # read when the first screen after the library opens
    BINDINGS = [
        Binding("ctrl+s", "save", "Save mark", id="mark.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="mark.cancel"),
    ]

    def __init__(self, drill, team: str, inject_id: str) -> None:
        super().__init__()
        self.inject = drill.inject(inject_id)
        self.answer = drill.state.teams[team].answers[inject_id]
        self.team = team

    def compose(self) -> ComposeResult:
        with Vertical(id="mark-box", classes="dialog"):
            yield Static(join(content("Mark the answer of ", "bold"), content(self.team, "bold"),
                              content(f" to '{self.inject.title}'")))
            yield Static(join(content("They wrote: ", "italic"), str(self.answer.answer)), id="mark-answer")
            yield Static(content("Tick what it earned (Space or 1-9), then Ctrl+S.", "dim"))
            yield MultiChoice(self.inject, id="choices")
        yield footer()

    def on_mount(self) -> None:
        choices = self.query_one(MultiChoice)
        harmful = {o.id for o in self.inject.options if o.harms}
        for index, (_, oid, _) in enumerate(choices.numbered):
            # A keyword match of a harmful entry is never a judgment ("Nobody will shred the
            # notes"): it is left for the facilitator to tick, not ticked for them.
            if oid in self.answer.credited and (self.answer.method == "facilitator" or oid not in harmful):
                choices.toggle(index)
        choices.highlighted = 0  # in a dialog the list is all in view: Space ticks from the first row
        choices.focus()

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit():
            event.stop()
            self.query_one(MultiChoice).pick(int(event.character))

    def action_save(self) -> None:
        self.dismiss(self.query_one(MultiChoice).answer())

    def action_cancel(self) -> None:
        self.dismiss(None)
