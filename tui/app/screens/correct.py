"""Correcting a recorded answer in the debrief: the answer screen's own choice widgets, set to
what was recorded, and a reason. The debrief confirms and records the one `answer-corrected`
event; the first recording stays in the log (scenarios.exercise)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

from ...text import literal
from ..session import Drill, describe_answer
from ..widgets.choices import FreeText, MultiChoice, OrderChoice, SingleChoice, control_for
from ..widgets.footer import footer
from ..widgets.literal import LiteralInput, content, join
from . import STYLES

HOW = {
    "single": "Arrows or 1-9 choose the answer the team gave",
    "multi": "Space or 1-9 ticks every option the team chose (0: none of these)",
    "order": "Type the numbers in the team's order, or Shift+Up/Down",
    "free": "Type the team's words, Enter for a new line (matched by keywords afresh: mark them again with m)",
}

Corrected = tuple[list[str] | str, str]  # (the answer, the reason)


def preset(control, inject, answer: list[str] | str) -> None:
    """Show the recorded answer in its control, so a slip is fixed by changing only the slip."""
    if isinstance(control, FreeText):
        control.value = answer  # literally, on its lines (FreeText.value)
    elif isinstance(control, OrderChoice):
        control.order = list(answer)
        control.redraw(0)
    elif isinstance(control, MultiChoice):
        for index, (_, oid, _) in enumerate(control.numbered):
            if oid in answer:
                control.toggle(index)
        if not answer and control.has_none:
            control.toggle(len(control.numbered))  # recorded as "none of these"
        control.highlighted = 0  # in a dialog the list is all in view: Space ticks from the first row
    elif isinstance(control, SingleChoice) and answer:
        control.pick([o.id for o in inject.options].index(answer[0]) + 1)


class CorrectScreen(ModalScreen[Corrected | None]):
    CSS_PATH = STYLES  # read when the first screen after the library opens
    BINDINGS = [
        Binding("ctrl+s", "save", "Save correction", id="correct.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="correct.cancel"),
    ]

    def __init__(self, drill: Drill, team: str, inject_id: str) -> None:
        super().__init__()
        self.team = team
        self.inject = drill.inject(inject_id)
        self.recorded = drill.state.teams[team].answers[inject_id].answer

    def compose(self) -> ComposeResult:
        inject = self.inject
        with Vertical(id="correct-box", classes="dialog"):
            yield Static(join(content("Correct the answer of ", "bold"), content(self.team, "bold"),
                              content(" to "), content(inject.title, "bold")))
            yield Static(join(content("Question: ", "italic"), inject.question))
            yield Static(
                join(content("Recorded: ", "italic"), describe_answer(inject, self.recorded)), id="correct-recorded"
            )
            yield Static(content(f"{HOW[inject.kind]}; Tab to the reason; Ctrl+S saves.", "dim"))
            yield control_for(inject)
            yield LiteralInput(placeholder="Reason (optional), e.g. keyed for the wrong option", max_length=500,
                        id="correct-reason", compact=True)
        yield footer()

    def on_mount(self) -> None:
        control = self.query_one("#choices")
        preset(control, self.inject, self.recorded)
        control.focus()

    def on_key(self, event: events.Key) -> None:
        # Digits pick options, as on the answer screen, unless the focus is in a text field.
        if event.character and event.character.isdigit() and not isinstance(self.focused, (Input, TextArea)):
            event.stop()
            self.query_one("#choices").pick(int(event.character))

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        control = self.query_one("#choices")
        answer = control.answer()
        if isinstance(answer, str) and isinstance(self.recorded, str) and answer == literal(self.recorded):
            answer = self.recorded  # the recorded words, as preset (shown literally): unchanged
        if not control.ready():
            self.notify("Choose or type the answer first.", severity="warning", markup=False)
            return
        same = sorted(answer) == sorted(self.recorded) if self.inject.kind == "multi" else answer == self.recorded
        if same:
            self.notify("That is the answer already recorded: change it, or Escape.", severity="warning", markup=False)
            return
        self.dismiss((answer, self.query_one("#correct-reason", Input).value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)
