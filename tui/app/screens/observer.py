"""An observer's screen (an evaluator, a manager watching): the whole drill as it happens, read-only.

Tabs (t goes round them): the Timeline, every event that matters, oldest first, one row each with
its local wall time, the scenario clock of its inject and its team; then one tab per team, the
injects released to it in the order they reached it (each as InjectView shows it, with its
question and the team's answer once given); and, only once the facilitator has opened the debrief
to the players, Scores: every team's scorecard. A line at the top says what the drill is doing.

Nothing here judges an answer before that: no score, no points, no guide answer, nothing of the
key, and no inject that was not released to some team (the timeline lists releases only; a
team's tab lists its `path` only). Answers are shown as the team chose them (`describe_answer`).
The screen writes nothing: it follows the store (follow.py) like a team's screen does.

The timeline reads down, as a log and the after-action report do, and keeps its newest row in
view (it follows its end, like `tail -f`) until the reader scrolls up to read older rows; End
follows it again. A team's tab does the same, so the inject in front of the team is in view.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static, TabbedContent, TabPane, Tabs

from ..follow import Follower
from ..session import Drill, describe_answer
from ..widgets.footer import footer
from ..widgets.inject_view import CHANNEL_LABEL, InjectView
from ..widgets.literal import content, join, title
from ..widgets.scorecard_view import scorecard_content
from . import STYLES

if TYPE_CHECKING:
    from scenarios.events import Event
    from scoring.scorecard import Scorecard

ROLE = "observer"
WAITING_FIRST = "Running. Waiting for the facilitator to release the first inject."
PAUSED = "Paused by the facilitator: no answers until the drill resumes."
ENDED = "The drill has ended. Scores are shown here once the facilitator opens the debrief to the players."
SHARED = "The facilitator opened the debrief to the players: every team's scorecard is on the Scores tab (t)."
NOTHING_YET = "Nothing released to this team yet."
HOW = {"single": "choose one", "multi": "choose any", "order": "put in order"}  # as the team was shown them
TIMELINE_TAB, SCORES_TAB = "tab-observer-timeline", "tab-observer-scores"


def team_tab(number: int) -> str:
    return f"tab-observer-team-{number}"


def one_line(text: object, style: str = "bold") -> Content:
    """A team's name or an inject's title inside a row: literal, and on one line."""
    return content(title(text), style)


def wall(at: float) -> str:
    """An event's wall time in local time."""
    return time.strftime("%H:%M:%S", time.localtime(at))


def day(at: float) -> str:
    return time.strftime("%A %d %B %Y", time.localtime(at))


def chosen(inject, answer: list[str] | str) -> str:
    """An answer as `describe_answer` reads it, on one row: a free answer's lines run together."""
    return " ".join(describe_answer(inject, answer).split())


@dataclass
class Row:
    at: float
    what: Content
    clock: int | None = None  # the scenario clock (`at` minutes) of the row's inject


@dataclass
class History:
    """What the events say happened, in the store's order (the fold's skipped events left out):
    the timeline's rows, and when each team (by its number) was sent and answered each inject."""

    rows: list[Row] = field(default_factory=list)
    released: dict[tuple[int, str], float] = field(default_factory=dict)
    answered: dict[tuple[int, str], float] = field(default_factory=dict)
    corrected: dict[tuple[int, str], float] = field(default_factory=dict)


def history(drill: Drill) -> History:
    """One pass over the drill's events. An event names its team as it was called then; a
    rename moves the name, so each team keeps its number (its place in drill-started's list).
    A facilitator's mark of a free answer is a judgment: listed only once the debrief is open."""
    state = drill.state
    shared = state.debrief_shared
    skipped = {position for position, _ in state.skipped}
    events: list[Event] = drill.exercise.events
    started = events[0]
    numbers = {name: n for n, name in enumerate(started.teams)}
    made = History()
    names = join(*(part for n, name in enumerate(started.teams)
                   for part in ((", " if n else ""), one_line(name))))
    made.rows.append(Row(started.at, join("Drill started with ", names)))
    for position, event in enumerate(events[1:], start=1):
        if position in skipped:
            continue
        kind = event.type
        number = numbers.get(getattr(event, "team", None))
        if kind == "inject-released":
            inject = drill.inject(event.inject)
            made.released[number, event.inject] = event.at
            what = join(one_line(event.team), " was sent ", one_line(f"“{inject.title}”", ""),
                        content(f" · {CHANNEL_LABEL.get(inject.channel, inject.channel)} from ", "dim"),
                        one_line(inject.sender, "dim"))
            made.rows.append(Row(event.at, what, inject.at))
        elif kind == "response-submitted":
            inject = drill.inject(event.inject)
            made.answered[number, event.inject] = event.at
            what = join(one_line(event.team), " answered ", one_line(f"“{inject.title}”", ""), ": ",
                        chosen(inject, event.answer))
            made.rows.append(Row(event.at, what, inject.at))
        elif kind == "answer-corrected":
            inject = drill.inject(event.inject)
            made.corrected[number, event.inject] = event.at
            what = join("The facilitator changed ", one_line(event.team), "'s recorded answer to ",
                        one_line(f"“{inject.title}”", ""), " to: ", chosen(inject, event.answer))
            if shared and event.reason.strip():
                what = join(what, content(" · ", "dim"), content(event.reason, "italic"))
            made.rows.append(Row(event.at, what, inject.at))
        elif kind == "free-marked" and shared:
            inject = drill.inject(event.inject)
            made.rows.append(Row(event.at, join("The facilitator marked ", one_line(event.team), "'s answer to ",
                                                one_line(f"“{inject.title}”", "")), inject.at))
        elif kind == "team-renamed":
            new = event.name.strip()
            numbers[new] = numbers.pop(event.team)
            made.rows.append(Row(event.at, join("Team ", one_line(event.team), " renamed ", one_line(new))))
        elif kind == "paused":
            made.rows.append(Row(event.at, content("Paused by the facilitator", "bold")))
        elif kind == "resumed":
            made.rows.append(Row(event.at, content("Resumed", "bold")))
        elif kind == "ended":
            made.rows.append(Row(event.at, content("The drill ended", "bold")))
        elif kind == "debrief-shared":
            made.rows.append(Row(event.at, content("The debrief was opened to the players: scores on the "
                                                   "Scores tab", "bold")))
    return made


def timeline_text(rows: list[Row]) -> Content:
    """One line per row (a long one wraps), with a day's heading where the local date changes."""
    width = max((len(f"+{r.clock} min") for r in rows if r.clock is not None), default=0)
    lines: list[Content] = []
    shown_day = None
    for row in rows:
        if day(row.at) != shown_day:
            shown_day = day(row.at)
            lines.append(content(shown_day, "bold underline"))
        clock = f"+{row.clock} min" if row.clock is not None else ""
        lines.append(join(content(wall(row.at), "dim"), " ", content(f"{clock:<{width}}", "$accent"),
                          " " if width else "", row.what))
    return Content("\n").join(lines)


def scorecard_text(name: str, card: Scorecard) -> Content:
    """One team's scorecard as the team's own screen shows it, headed by the team's name."""
    heading = join(one_line(name, "bold underline"), content("'s scorecard", "bold underline"))
    return scorecard_content(heading, card, "the team's")

class CardsReady(Message):
    def __init__(self, events: int, cards: dict[str, Scorecard]) -> None:
        super().__init__()
        self.events, self.cards = events, cards


class Tail(VerticalScroll):
    """A scroll that keeps its end in view while the reader is at its end (`tail -f`): a row or
    an inject added shows; a reader who scrolled up to read is not moved, and End follows again.
    (Textual's own anchor pushes short content to the bottom of the view; this does not.)"""

    _tail = True

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._tail = new_value >= self.max_scroll_y

    def follow(self) -> None:
        """To the end after the next refresh, if the reader is at the end (its content is laid
        out by then: a scrollbar appearing re-wraps the text, so the end moves once more)."""
        if self._tail:
            self.call_after_refresh(self._to_end)

    def _to_end(self) -> None:
        if self._tail and self.scroll_y < self.max_scroll_y:
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def watch_virtual_size(self) -> None:  # its content grew
        self.follow()

    def on_resize(self) -> None:  # the terminal resized, or its tab opened
        self.follow()

    def on_show(self) -> None:
        self.follow()


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


class ObserverScreen(Follower, Screen):
    CSS_PATH = STYLES  # read when the first screen after the library opens
    BINDINGS = [Binding("t", "next_tab", "Next tab", id="observer.next_tab")]

    def __init__(self, drill: Drill) -> None:
        super().__init__()
        self.drill = drill
        self._names: list[str] = []  # the team tabs' labels as shown
        self._scored = -1  # how many events the scorecards asked for were scored from
        self._scores = Static(id="observer-scores")  # kept: filled even before its tab is mounted

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="observer-state")
        with TabbedContent(id="observer-tabs"):
            with TabPane("Timeline", id=TIMELINE_TAB):
                with Tail(id="observer-timeline", classes="observer-scroll"):
                    yield Static(id="observer-events")
            for number, team in enumerate(self.drill.teams):
                with TabPane(content(team), id=team_tab(number)):
                    yield TeamInjects(self.drill, number, id=f"observer-team-{number}")
        yield footer()

    def on_mount(self) -> None:
        self._names = list(self.drill.teams)
        self.follow(self.refresh_view)
        self.refresh_view()
        self.query_one("#observer-timeline").focus()

    def on_unmount(self) -> None:
        self.stop_following()

    # --- views of the drill ------------------------------------------------------------------------

    def refresh_view(self) -> None:
        """After the drill moved (a poll): every part redrawn from the events and the state."""
        drill = self.drill
        self.app.sub_title = title(ROLE)
        made = history(drill)
        self.query_one("#observer-state", Static).update(self.state_line())
        self.query_one("#observer-events", Static).update(timeline_text(made.rows))
        self.query_one("#observer-timeline", Tail).follow()
        tabs = self.query_one(TabbedContent)
        for number, team in enumerate(drill.teams):
            if self._names[number:number + 1] != [team]:
                tabs.get_tab(team_tab(number)).label = content(team)
            self.query_one(f"#observer-team-{number}", TeamInjects).show(made)
        self._names = list(drill.teams)
        if drill.state.debrief_shared:
            if not self.query(f"#{SCORES_TAB}"):
                scroll = VerticalScroll(self._scores, id="observer-scores-scroll", classes="observer-scroll")
                tabs.add_pane(TabPane("Scores", scroll, id=SCORES_TAB))
            if self._scored != len(drill.exercise.events):
                self._scored = len(drill.exercise.events)
                if not self._scores.content:
                    self._scores.update(content("Scoring…", "italic"))
                self.score(self._scored)

    def state_line(self) -> Content:
        return join(content("Observer, read-only", "bold $accent"), " · ", self.doing())

    def doing(self) -> Content:
        state = self.drill.state
        if state.status == "ended":
            return content(SHARED if state.debrief_shared else ENDED, "bold")
        said = content(PAUSED, "bold reverse") if state.status == "paused" else None
        teams = list(state.teams.values())
        if said is None and not any(t.path for t in teams):
            said = content(WAITING_FIRST, "bold")
        if said is None:
            counts = [(sum(t.awaiting for t in teams), "answering"),
                      (sum(not t.awaiting and t.next is not None for t in teams), "waiting for a release"),
                      (sum(t.finished for t in teams), "at the end of a branch")]
            said = join(content(f"Running · scenario clock +{state.clock} min · ", "bold"),
                        ", ".join(f"{n} {what}" for n, what in counts if n))
        if state.debrief_shared:
            said = join(said, content(" · Scores tab open", "bold"))
        return said

    @work(thread=True, exclusive=True, name="observer-scores", group="scoring")
    def score(self, events: int) -> None:
        """Every team scored (as the debrief does), off the UI thread."""
        self.post_message(CardsReady(events, self.drill.scorecards()))

    def on_cards_ready(self, message: CardsReady) -> None:
        if not self.drill.state.debrief_shared or message.events < self._scored:
            return  # a later score is on its way
        cards = [scorecard_text(team, message.cards[team]) for team in self.drill.teams if team in message.cards]
        self._scores.update(Content("\n\n").join(cards))

    # --- keys: nothing that writes -------------------------------------------------------------------

    def tab_ids(self) -> list[str]:
        shown = [TIMELINE_TAB, *(team_tab(n) for n in range(len(self.drill.teams)))]
        return shown + ([SCORES_TAB] if self.query(f"#{SCORES_TAB}") else [])

    def action_next_tab(self) -> None:
        """Timeline, then each team's tab, then Scores once open, round again."""
        tabs = self.tab_ids()
        tabbed = self.query_one(TabbedContent)
        tabbed.active = tabs[(tabs.index(tabbed.active) + 1) % len(tabs)] if tabbed.active in tabs else tabs[0]

    @on(TabbedContent.TabActivated)
    def tab_changed(self, event: TabbedContent.TabActivated) -> None:
        """The tab's content takes the keys (arrows, Page Up/Down, Home/End scroll it), unless
        the tab bar has them (its arrows go from tab to tab)."""
        scroll = event.pane.query(".observer-scroll").first(VerticalScroll)
        if isinstance(scroll, Tail):
            scroll.follow()
        if not isinstance(self.focused, Tabs):
            scroll.focus()
