"""A team's own screen on its own terminal: only that team's part of the drill.

The inject in front of the team as it was released (Enter answers it), the team's countdown in
a timed drill, the team's answers so far, a line saying what the drill is doing, and, once the
facilitator opens the debrief to the players, the team's own scorecard. Nothing of another
team's is ever shown: the screen reads `state.teams[seat.team]` and that team's scorecard only.

It follows the store (follow.py): the facilitator's release, pause, resume, end, debrief, an
answer keyed at the console for this team, a rename, all show within a poll. An answer screen
open when the drill stops taking answers is closed, saying why (AnswerScreen.drill_moved).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from ..follow import Follower
from ..session import Drill, describe_answer
from ..widgets.footer import footer
from ..widgets.inject_view import InjectView
from ..widgets.literal import content, join, title
from ..widgets.scorecard_view import scorecard_content
from . import STYLES
from .answer import AnswerScreen, countdown

if TYPE_CHECKING:
    from scenarios.model import Inject
    from scoring.report.words import Reader
    from scoring.scorecard import Scorecard
    from scoring.seating import PlayerSeat

WAITING_FIRST = "Waiting for the facilitator to release the first inject."
SAVED = "Answer saved. Waiting for the facilitator to release the next inject."
LAST = "Your team has answered its last inject. Waiting for the facilitator to end the drill."
PAUSED = "Paused by the facilitator: answers wait until the drill resumes."
ENDED = "The drill has ended. Waiting for the facilitator to open the debrief."
DEBRIEF = "The drill has ended. The facilitator opened the debrief: your team's scorecard is below."
IN_FRONT = "An inject is in front of your team: Enter to answer."


class CardReady(Message):
    def __init__(self, team: str, card: Scorecard | None) -> None:
        super().__init__()
        self.team, self.card = team, card


class InjectInFront(Vertical):
    """The inject in front of the team, as it reached the team, with its question."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.shown: tuple[Inject, str] | None = None

    def compose(self) -> ComposeResult:
        if self.shown is not None:
            inject, team = self.shown
            yield InjectView(inject, team)
            yield Static(join(content("Question: ", "bold"), inject.question), classes="player-question")

    def show(self, inject: Inject | None, team: str) -> None:
        shown = (inject, team) if inject is not None else None
        if shown != self.shown:
            self.shown = shown
            self.refresh(recompose=True)


class TeamScorecard(Static):
    """One team's scorecard, as the facilitator's debrief scores it: overall, dimensions, findings."""

    def show(self, card: Scorecard, reader: Reader) -> None:
        self.update(scorecard_content(content("Your team's scorecard", "bold underline"), card, reader))

class PlayerScreen(Follower, Screen):
    CSS_PATH = STYLES  # read when the first screen after the library opens
    BINDINGS = [Binding("enter", "answer", "Answer", id="player.answer")]

    def __init__(self, drill: Drill, seat: PlayerSeat) -> None:
        super().__init__()
        self.drill = drill
        self.seat = seat
        self._scored = -1  # how many events the scorecard shown was scored from
        self._left: float | None = None  # the countdown at the last tick: the bell rings as it crosses zero

    @property
    def team(self) -> str:
        """The team's name now (the seat keeps its place: a rename at the console follows)."""
        return self.seat.team

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="player-state")
        with VerticalScroll(id="player-body"):
            yield InjectInFront(id="player-inject")
            yield TeamScorecard(id="player-scorecard")
            yield Static(id="player-answers")
        yield footer()

    def on_mount(self) -> None:
        self.query_one("#player-scorecard").display = False
        self.follow(self.refresh_view)
        if self.drill.state.timed:
            self.set_interval(1.0, self.tick, name="countdown")
        self.refresh_view()

    def on_unmount(self) -> None:
        self.stop_following()

    # --- views of the team's own state ------------------------------------------------------------

    def refresh_view(self) -> None:
        """After the drill moved (a poll, or this terminal's own answer): the team's part redrawn."""
        drill, team = self.drill, self.team
        t = drill.state.teams[team]
        self.app.sub_title = title(team)
        ended = drill.state.status == "ended"  # the inject is over: the scorecard, when shared, comes first
        self.query_one(InjectInFront).show(drill.inject(t.current) if t.current and not ended else None, team)
        lines: list[Content] = []
        if t.answers:
            lines.append(content("Your team's answers so far", "bold underline"))
            for inject_id, answer in list(t.answers.items()):
                inject = drill.inject(inject_id)
                lines.append(join(content(f"{inject.title}: ", "bold"), describe_answer(inject, answer.answer)))
        answers = self.query_one("#player-answers", Static)
        answers.update(Content("\n").join(lines))
        answers.display = bool(lines)
        self.tick()
        self.refresh_bindings()
        if drill.state.debrief_shared and self._scored != len(drill.exercise.events):
            self._scored = len(drill.exercise.events)
            self.score(team)
        for screen in self.app.screen_stack:
            if isinstance(screen, AnswerScreen):
                screen.drill_moved()

    def state_line(self) -> Content:
        """The team's name, then what the drill is doing: the header's sub-title, which also
        names the team, is cut off at 80 columns behind a long title."""
        return join(content(self.team, "bold $accent"), " · ", self.doing())

    def doing(self) -> Content:
        state = self.drill.state
        t = state.teams[self.team]
        if state.status == "ended":
            return content(DEBRIEF if state.debrief_shared else ENDED, "bold")
        if state.status == "paused":
            return content(PAUSED, "bold reverse")
        if t.current is None:
            return content(WAITING_FIRST, "bold")
        if t.awaiting:
            left = self.drill.remaining(self.team, self.app.services.clock())
            if left is None:
                return content(IN_FRONT, "bold")
            return content(f"{countdown(left)} · {IN_FRONT}", "bold")
        return content(SAVED if t.next is not None else LAST, "bold")

    def tick(self) -> None:
        """The state line (every second in a timed drill: the team's countdown, on an error band
        once the time is up, with one bell as it runs out)."""
        state = self.drill.state
        t = state.teams[self.team]
        left = self.drill.remaining(self.team, self.app.services.clock()) if state.status == "running" else None
        if left is not None and left <= 0 and self._left is not None and self._left > 0 and t.awaiting:
            self.app.bell()
        self._left = left
        line = self.query_one("#player-state", Static)
        line.set_class(left is not None and left <= 0, "-overdue")
        line.update(self.state_line())

    @work(thread=True, exclusive=True, name="scorecard", group="scoring")
    def score(self, team: str) -> None:
        """Every team is scored (as the debrief does); only this team's card leaves the worker."""
        self.post_message(CardReady(team, self.drill.scorecards().get(team)))

    def on_card_ready(self, message: CardReady) -> None:
        board = self.query_one("#player-scorecard", TeamScorecard)
        if message.card is None or message.team != self.team:
            return
        board.show(message.card, self.drill.reader)
        board.display = True

    # --- answering ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "answer":
            return self.drill.state.status != "ended"  # nothing more to answer: Enter leaves the footer
        return True

    def not_answerable(self) -> str | None:
        """Why Enter opens nothing now, or None."""
        state = self.drill.state
        t = state.teams[self.team]
        if state.status == "ended":
            return "The drill has ended: answers are closed."
        if state.status == "paused":
            return PAUSED
        if t.current is None:
            return "Nothing to answer yet. " + WAITING_FIRST
        if not t.awaiting:
            return SAVED.replace("Answer saved", "Your team has answered this inject") if t.next is not None else LAST
        return None

    def action_answer(self) -> None:
        why = self.not_answerable()
        if why is not None:
            self.notify(why, severity="warning", markup=False)
            return
        self.app.say("answering")
        self.app.push_screen(AnswerScreen(self.drill, self.team), self.answered)

    def answered(self, saved: bool | None) -> None:
        # Saved or not, the state line says so ("Answer saved. Waiting for ..."): no notice on top.
        self.app.say("watching")
        self.refresh_view()
