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
from textual.widgets import Header, Input, OptionList, Static, TextArea

from scenarios.inject_text import CHANNEL_LABEL

from ..session import Drill, clock, describe_answer
from ..widgets.choices import control_for
from ..widgets.footer import footer
from ..widgets.inject_view import InjectView
from ..widgets.literal import content, join, title
from . import STYLES

SCROLL = "PgUp/PgDn, Home/End scroll the message; Tab moves to it and back."
HOW = {
    "single": "Choose one: Up/Down or 1-9 marks it (•), Enter submits. " + SCROLL,
    "multi": "Choose all that apply: Space, Enter or 1-9 ticks [x], 0 ticks None of these; Ctrl+S submits. "
             + SCROLL,
    "order": "Put them in order: type the numbers in order, or Shift+Up/Down moves; Enter submits. " + SCROLL,
    "free": "Type the answer: Enter makes a new line, Ctrl+S submits (up to 20,000 characters). "
            "PgUp/PgDn scroll the message; Tab moves to it and back.",
}
TIME_UP = "Time is up: answer now (a late answer still counts, for less timeliness credit)."


def countdown(left: float) -> str:
    """A countdown as the team reads it, and past zero an unmistakable "time is up ... ago"."""
    return f"{clock(left)} left" if left > 0 else f"time is up {clock(-left)} ago"


class AnswerScreen(Screen[bool]):
    """One scrolling column holds the message, the question and the options, so at 80x24 every
    part is reached by keyboard: moving the highlight scrolls the options into view (choices.py),
    and Page Up/Down and Home/End scroll the column whatever has the focus (but Home/End in the
    free-text field, which move in its line)."""

    CSS_PATH = STYLES  # read when the first screen after the library opens
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit", id="answer.submit", priority=True),
        Binding("escape", "back", "Back", id="answer.back"),
        Binding("pagedown", "scroll('page_down')", "Scroll", id="answer.page_down", priority=True),
        Binding("pageup", "scroll('page_up')", "Scroll up", id="answer.page_up", priority=True, show=False),
        Binding("home", "scroll('home')", "Top", id="answer.home", priority=True, show=False),
        Binding("end", "scroll('end')", "End", id="answer.end", priority=True, show=False),
    ]

    def __init__(self, drill: Drill, team: str) -> None:
        super().__init__()
        self.drill = drill
        self.team = team
        self.inject_id = drill.state.teams[team].current
        self.inject = drill.inject(self.inject_id)
        self._closed_by_drill = False  # drill_moved closes it once
        self._left: float | None = None  # the countdown at the last tick: the bell rings as it crosses zero

    def compose(self) -> ComposeResult:
        inject = self.inject
        yield Header()
        yield Static(id="answer-head")
        yield Static(id="answer-status")
        with VerticalScroll(id="inject-scroll"):
            yield InjectView(inject, self.team)
            yield Static(join(content("Question: ", "bold"), inject.question), id="question")
            yield Static(content(HOW[inject.kind], "italic"), id="how")
            yield control_for(inject)
        yield footer()

    def on_mount(self) -> None:
        self.sub_title = title(f"{CHANNEL_LABEL[self.inject.channel]} for {self.team}")
        self.say("")
        # Notices raised before (another team's answer saved) are about the screen below: in the
        # corner where they sit they would cover this team's options. Here the screen speaks in
        # its own status line instead.
        self.app.clear_notifications()
        # The message is read first: the column opens at its top, the first key brings the options.
        self.query_one("#choices").focus(scroll_visible=False)
        self.call_after_refresh(self.opened)
        self.tick()
        if self.drill.state.timed:
            self.set_interval(1.0, self.tick, name="countdown")

    def opened(self) -> None:
        self.query_one("#inject-scroll", VerticalScroll).scroll_home(animate=False, immediate=True)
        self.query_one("#choices").following = True  # from now on the highlight brings its option into view

    def say(self, text: str) -> None:
        """What the user must read now, in the screen (a notice could cover the options)."""
        status = self.query_one("#answer-status", Static)
        status.update(content(text))
        status.display = bool(text)

    def tick(self) -> None:
        left = self.drill.remaining(self.team, self.app.services.clock())
        parts = [content(self.team, "bold"), content(f" · {self.inject.title} · +{self.inject.at} min")]
        head = self.query_one("#answer-head", Static)
        if left is not None:  # first: a notice in the top right corner never hides it
            parts[:0] = [content(countdown(left), "bold"), content(" · ")]
            if left <= 0 and (self._left is None or self._left > 0):
                self.say(TIME_UP)
                if self._left is not None:
                    self.app.bell()  # once, as the time runs out in front of the team
        head.set_class(left is not None and left <= 0, "-overdue")
        head.update(join(*parts))
        self._left = left

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "scroll" and parameters and parameters[0] in ("home", "end"):
            return not isinstance(self.focused, (TextArea, Input))  # Home/End move in the text there
        return True

    def action_scroll(self, where: str) -> None:
        column = self.query_one("#inject-scroll", VerticalScroll)
        {"page_down": column.scroll_page_down, "page_up": column.scroll_page_up,
         "home": column.scroll_home, "end": column.scroll_end}[where](animate=False)

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit() and not isinstance(self.focused, (TextArea, Input)):
            event.stop()
            self.query_one("#choices").pick(int(event.character))

    @on(TextArea.SelectionChanged, "#choices")
    def keep_field_in_view(self, event: TextArea.SelectionChanged) -> None:
        # The field scrolls inside itself to its cursor; the column brings the whole field in view.
        if event.text_area.has_focus and event.text_area.following:
            self.query_one("#inject-scroll", VerticalScroll).scroll_to_widget(event.text_area, animate=False)

    @on(OptionList.OptionSelected, "#choices")
    def enter_on_option(self) -> None:
        if self.inject.kind in ("single", "order"):
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
        control = self.query_one("#choices")
        if not control.ready():
            self.say("Choose an option (or None of these) first." if self.inject.kind == "multi"
                     else "Type the answer first." if self.inject.kind == "free" else "Choose an option first.")
            return
        answer = control.answer()
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
