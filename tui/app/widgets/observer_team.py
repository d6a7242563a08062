"""An observer's view of one team: each inject released to it, as it reached the team (its
question and options, never a guide answer), with when it was sent and the team's answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from ..session import describe_answer
from .inject_view import InjectView
from .literal import content, join
from .observer_timeline import History, one_line, wall
from .tail_scroll import Tail

if TYPE_CHECKING:
    from ..session import Drill

NOTHING_YET = "Nothing released to this team yet."
HOW = {"single": "choose one", "multi": "choose any", "order": "put in order"}  # as the team was shown them


class Released(Vertical):
    """One inject released to a team, as it reached the team: its question, its options numbered
    as the team saw them (none marked), and the team's answer."""

    def __init__(self, inject, team: str, sent: Content, answer: Content, **kwargs) -> None:
        super().__init__(classes="observer-inject", **kwargs)
        self.inject, self.team = inject, team
        self.shown = (sent, answer)

    def compose(self) -> ComposeResult:
        sent, answer = self.shown
        yield Static(sent, classes="observer-sent")
        yield InjectView(self.inject, self.team)
        yield Static(join(content("Question: ", "bold"), self.inject.question), classes="player-question")
        if self.inject.kind in HOW:  # a free question's options are its rubric: never shown
            options = [content(f"Options ({HOW[self.inject.kind]}):", "bold")]
            options += [join(content(f"  {n}. ", "bold"), " ".join(o.text.split()))
                        for n, o in enumerate(self.inject.options, start=1)]
            yield Static(Content("\n").join(options), classes="observer-options")
        yield Static(answer, classes="observer-answer")

    def show(self, team: str, sent: Content, answer: Content) -> None:
        if team != self.team:  # renamed: the email's To: line names the team
            self.team, self.shown = team, (sent, answer)
            self.refresh(recompose=True)
        elif (sent, answer) != self.shown:
            self.shown = (sent, answer)
            self.query_one(".observer-sent", Static).update(sent)
            self.query_one(".observer-answer", Static).update(answer)


class TeamInjects(Vertical):
    """One team's tab: a line on where it stands, then (scrolled) each inject released to it, in
    the order it reached the team (its `path` only: never one still to come), with its answer."""

    def __init__(self, drill: Drill, number: int, **kwargs) -> None:
        super().__init__(classes="observer-team", **kwargs)
        self.drill, self.number = drill, number
        self.blocks: list[Released] = []  # block n - 1 is the team's inject n: a path only ever grows

    def compose(self) -> ComposeResult:
        yield Static(classes="observer-team-head")
        with Tail(classes="observer-scroll"):
            yield Static(content(NOTHING_YET, "italic"), classes="observer-none")

    def show(self, made: History) -> None:
        state = self.drill.state
        name = self.drill.teams[self.number]
        t = state.teams[name]
        self.query_one(".observer-team-head", Static).update(join(one_line(name, "bold $accent"), " · ",
                                                                  self.where()))
        self.query_one(".observer-none").display = not t.path
        for n, inject_id in enumerate(t.path, start=1):
            inject = self.drill.inject(inject_id)
            sent, answer = self.lines(made, n, inject, t.answers.get(inject_id))
            if n <= len(self.blocks):
                self.blocks[n - 1].show(name, sent, answer)
            else:
                self.blocks.append(Released(inject, name, sent, answer))
                self.query_one(Tail).mount(self.blocks[-1])
        self.query_one(Tail).follow()

    def lines(self, made: History, n: int, inject, answer) -> tuple[Content, Content]:
        key = (self.number, inject.id)
        at = made.released.get(key)
        sent = join(content(f"{n}. Sent at {wall(at)}" if at is not None else f"{n}.", "bold"),
                    content(f" · +{inject.at} min", "$accent"))
        if answer is None:
            ended = self.drill.state.status == "ended"
            return sent, content("Not answered." if ended else "Not answered yet.", "italic")
        at = made.answered.get(key)
        line = join(content(f"Answered at {wall(at)}: " if at is not None else "Answered: ", "bold"),
                    describe_answer(inject, answer.answer))
        changed = made.corrected.get(key)
        if changed is not None:
            line = join(line, content(f" (the recorded answer was changed by the facilitator at {wall(changed)})",
                                      "dim italic"))
        return sent, line

    def where(self) -> Content:
        state = self.drill.state
        t = state.teams[self.drill.teams[self.number]]
        if not t.path:
            return content("nothing released yet")
        released = content(f"{len(t.path)} inject{'s' if len(t.path) != 1 else ''} released · ")
        current = one_line(f"“{self.drill.inject(t.current).title}”", "")
        if t.awaiting:
            return join(released, "did not answer " if state.status == "ended" else "answering ", current)
        if state.status == "ended":
            return join(released, "the drill has ended")
        if t.next is None:
            return join(released, "answered its last inject")
        return join(released, "answered; waiting for the next release")
