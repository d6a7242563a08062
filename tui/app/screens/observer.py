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

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static, TabbedContent, TabPane, Tabs

from ..follow import Follower
from ..session import Drill
from ..widgets.footer import footer
from ..widgets.literal import content, join, title
from ..widgets.observer_team import TeamInjects
from ..widgets.observer_timeline import history, one_line, timeline_text
from ..widgets.scorecard_view import scorecard_content
from ..widgets.tail_scroll import Tail
from . import STYLES

if TYPE_CHECKING:
    from scoring.report.words import Reader
    from scoring.scorecard import Scorecard

ROLE = "observer"
WAITING_FIRST = "Running. Waiting for the facilitator to release the first inject."
PAUSED = "Paused by the facilitator: no answers until the drill resumes."
ENDED = "The drill has ended. Scores are shown here once the facilitator opens the debrief to the players."
SHARED = "The facilitator opened the debrief to the players: every team's scorecard is on the Scores tab (t)."
TIMELINE_TAB, SCORES_TAB = "tab-observer-timeline", "tab-observer-scores"


def team_tab(number: int) -> str:
    return f"tab-observer-team-{number}"


def scorecard_text(name: str, card: Scorecard, reader: Reader) -> Content:
    """One team's scorecard as the team's own screen shows it, headed by the team's name."""
    heading = join(one_line(name, "bold underline"), content("'s scorecard", "bold underline"))
    return scorecard_content(heading, card, reader, "the team's")


class CardsReady(Message):
    def __init__(self, events: int, cards: dict[str, Scorecard]) -> None:
        super().__init__()
        self.events, self.cards = events, cards


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
        cards = [scorecard_text(team, message.cards[team], self.drill.reader)
                 for team in self.drill.teams if team in message.cards]
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
