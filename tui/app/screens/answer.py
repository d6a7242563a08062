"""Answering an inject: the message as it arrives, the question, the options, confirm, save.

The answer is one `response-submitted` event written to the store by the engine's `submit`
(in a worker: the database may be busy) before this screen closes: a killed terminal never
loses an answer shown as saved. When other terminals move the drill while it is open (a team's
own terminal follows the facilitator's pause or end, or an answer keyed elsewhere), the screen
that follows the store calls `drill_moved`, and an inject that can no longer be answered here
closes, saying why; submitting checks the same first (the engine refuses it too).
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static

from ..session import Drill, clock, describe_answer
from ..widgets.choices import control_for
from ..widgets.footer import footer
from ..widgets.inject_view import CHANNEL_LABEL, InjectView
from ..widgets.literal import content, join, title
from . import STYLES

HOW = {
    "single": "Choose one: arrows or 1-9, then Enter. Tab moves to the message to scroll it.",
    "multi": "Choose all that apply: Space, Enter or 1-9 ticks [x]; Ctrl+S submits.",
    "order": "Put them in order: type the numbers in order, or Shift+Up/Down moves; Enter submits.",
    "free": "Type the answer; Enter submits.",
}


class AnswerScreen(Screen[bool]):
    CSS_PATH = STYLES  # read when the first screen after the library opens
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit", id="answer.submit", priority=True),
        Binding("escape", "back", "Back", id="answer.back"),
    ]

    def __init__(self, drill: Drill, team: str) -> None:
        super().__init__()
        self.drill = drill
        self.team = team
        self.inject_id = drill.state.teams[team].current
        self.inject = drill.inject(self.inject_id)
        self._closed_by_drill = False  # drill_moved closes it once

    def compose(self) -> ComposeResult:
        inject = self.inject
        yield Header()
        yield Static(id="answer-head")
        with VerticalScroll(id="inject-scroll"):
            yield InjectView(inject, self.team)
            yield Static(join(content("Question: ", "bold"), inject.question), id="question")
            yield Static(content(HOW[inject.kind], "italic"), id="how")
        yield control_for(inject)
        yield footer()

    def on_mount(self) -> None:
        self.sub_title = title(f"{CHANNEL_LABEL[self.inject.channel]} for {self.team}")
        self.query_one("#choices").focus()
        self.tick()
        if self.drill.state.timed:
            self.set_interval(1.0, self.tick, name="countdown")

    def tick(self) -> None:
        left = self.drill.remaining(self.team, self.app.services.clock())
        parts = [content(self.team, "bold"), content(f" · {self.inject.title} · +{self.inject.at} min")]
        if left is not None:
            parts.append(content(f" · {clock(left)} left", "bold" if left > 0 else "bold red"))
        self.query_one("#answer-head", Static).update(join(*parts))

    def on_key(self, event: events.Key) -> None:
        control = self.query_one("#choices")
        if event.character and event.character.isdigit() and not isinstance(control, Input):
            event.stop()
            control.pick(int(event.character))

    @on(OptionList.OptionSelected, "#choices")
    def enter_on_option(self) -> None:
        if self.inject.kind in ("single", "order"):
            self.action_submit()

    @on(Input.Submitted, "#choices")
    def enter_on_text(self) -> None:
        self.action_submit()

    def action_back(self) -> None:
        self.dismiss(False)

    def closed_by(self) -> str | None:
        """Why this inject cannot be answered now, as the drill stands; None while it can."""
        state = self.drill.state
        if state.status == "paused":
            return "Paused by the facilitator: answers wait until the drill resumes."
        if state.status == "ended":
            return "The drill has ended: answers are closed."
        team = state.teams.get(self.team)
        if team is None:
            return "The team was renamed meanwhile: open the inject again."
        if team.current != self.inject_id or not team.awaiting:
            return "This inject was answered at another terminal meanwhile."
        return None

    def drill_moved(self) -> bool:
        """The drill changed under this screen (another terminal's events were taken in): if the
        inject can no longer be answered, close (and any dialog over it), saying why. Never while
        a write is being saved: its own outcome closes or keeps the screen."""
        why = self.closed_by()
        if why is None or self._closed_by_drill or self.app.saving or self not in self.app.screen_stack:
            return False
        self._closed_by_drill = True
        while self.app.screen is not self:
            self.app.pop_screen()
        self.dismiss(False)
        self.app.notify(why, severity="warning", markup=False)  # once closed: on the screen below
        return True

    def action_submit(self) -> None:
        if self.drill_moved():
            return
        answer = self.query_one("#choices").answer()
        if not answer or (isinstance(answer, str) and not answer.strip()):
            self.notify("Choose or type an answer first.", severity="warning", markup=False)
            return
        from .confirm import ConfirmScreen

        question = join(
            content("Submit for ", ""), content(self.team, "bold"), content("?\n\n"),
            content(describe_answer(self.inject, answer)),
        )
        self.app.push_screen(ConfirmScreen(question, yes="Submit"), lambda yes: yes and self.save(answer))

    def save(self, answer) -> None:
        """Record the answer off the UI thread (`Recording.record`); the screen closes, as
        saved, only once its event is in the store. On a failure it stays open with the answer
        as it was chosen or typed, to try again."""
        if self.drill_moved():
            return
        team, inject_id, filed = self.team, self.inject_id, self.drill.as_filed(self.inject_id, answer)
        self.app.record(lambda: self.drill.exercise.submit(team, inject_id, filed),
                        lambda ok: self.dismiss(True) if ok else self.drill_moved())
