"""The facilitator console: the MSEL, a tab per team, the clock, release, pause, end, scores.

In practice mode the same console paces itself: each answer gets its feedback, then the next
inject is released and opened at once. A facilitated drill gives each team a join code, and
the console follows the store (follow.py): answers from the teams' own terminals appear within
a poll, with which terminals have joined and which are answering.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static, TabbedContent, TabPane

from ..follow import Follower
from ..session import Drill, clock
from ..widgets.footer import footer
from ..widgets.literal import content, join, title
from ..widgets.scoreboard import Scoreboard
from ..widgets.team_panel import TeamPanel
from ..widgets.timeline import Timeline
from . import STYLES
from .join_codes import JoinCodesScreen


class ScoresReady(Message):
    def __init__(self, cards: dict) -> None:
        super().__init__()
        self.cards = cards


class ConsoleScreen(Follower, Screen):
    CSS_PATH = STYLES  # read when the first screen after the library opens
    BINDINGS = [
        Binding("n", "release", "Release", id="console.release"),
        Binding("a", "answer", "Answer", id="console.answer"),
        Binding("p", "pause", "Pause", id="console.pause"),
        Binding("e", "end", "End", id="console.end"),
        Binding("s", "scoreboard", "Scores", id="console.scoreboard"),
        Binding("t", "next_tab", "Next tab", id="console.next_tab"),
        Binding("j", "join_codes", "Join codes", id="console.join_codes", show=False),
        Binding("escape", "leave", "Library", id="console.leave"),
    ]

    def __init__(self, drill: Drill, library: bool = True) -> None:
        super().__init__()
        self.drill = drill
        self.library = library  # False for the facilitator's code (tui/app/player.py): nothing to go back to
        self.seats: dict[str, str] = {}  # team -> 'joined' | 'answering' | 'left', for teams with a terminal

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="status-bar")
        with Horizontal(id="console-body"):
            with TabbedContent(id="tabs"):
                with TabPane("Timeline", id="tab-timeline"):
                    yield Timeline(self.drill, id="timeline")
                for number, team in enumerate(self.drill.teams):
                    with TabPane(content(team), id=f"tab-team-{number}"):
                        with VerticalScroll():
                            yield TeamPanel(self.drill, team, id=f"panel-{number}", classes="team-panel")
            yield Scoreboard(id="scoreboard")
        yield footer()

    def on_mount(self) -> None:
        self.title = title(self.drill.shown.title)  # the scenario file's: "\x1b]0;..." would retitle the terminal
        self.sub_title = title(f"{self.drill.state.mode} drill")
        # Hidden from the room stays hidden on a resume: the choice is an event of the drill.
        state = self.drill.state
        self.query_one("#scoreboard").display = state.mode == "facilitated" and not state.scoreboard_hidden
        if self.drill.state.timed:
            self.set_interval(1.0, self.tick, name="countdown")
        if self.drill.state.mode == "practice":
            self.call_after_refresh(self.practice_next)
        else:
            # Whether the drill has codes yet is read by the first poll, off the UI thread and with
            # no saving cover: a resumed drill's console takes keys at once.
            self._codes_known = state.status == "ended"
            self.follow(self.refresh_view, extra=self.read_seats, shown=self.show_seats)
        self.refresh_view()

    def on_unmount(self) -> None:
        self.stop_following()

    # --- teams on their own terminals ------------------------------------------------------------

    def read_seats(self, store) -> tuple[dict[str, str], bool | None]:
        """In the poll's thread: what each team's terminal is doing, and (until known) whether
        the drill has join codes yet."""
        has_codes = None if self._codes_known else store.has_codes(self.drill.id)
        return self.app.services.seats(self.drill, store), has_codes

    def show_seats(self, read: tuple[dict[str, str], bool | None]) -> None:
        seats, has_codes = read
        if has_codes is not None and not self._codes_known:
            self._codes_known = True
            if not has_codes:
                self.first_codes()
        if seats != self.seats:
            self.seats = seats
            self.refresh_view()

    def first_codes(self) -> None:
        """A new facilitated drill's codes (the first poll found none); a resumed one keeps those
        given out (shown once). Checked again in the write: another console may have issued them."""
        services, codes = self.app.services, []

        def issue() -> None:
            if not services.store().has_codes(self.drill.id):
                codes.append(services.issue_codes(self.drill))

        self.app.record(issue, lambda ok: ok and codes and self.app.push_screen(JoinCodesScreen(codes[0])))

    def action_join_codes(self) -> None:
        """New codes for every team (the codes are kept only as digests, so they cannot be shown again)."""
        from .confirm import ConfirmScreen

        if self.drill.state.status == "ended":
            self.notify("The drill has ended: its join codes no longer work.", severity="warning", markup=False)
            return
        codes = []

        def reissue(yes: bool | None) -> None:
            if yes:
                self.app.record(lambda: codes.append(self.app.services.issue_codes(self.drill)),
                                lambda ok: ok and self.app.push_screen(JoinCodesScreen(codes[0])))

        self.app.push_screen(ConfirmScreen(content(
            "Issue new join codes? The codes given out stop working; terminals already joined stay joined."),
            yes="New codes"), reissue)

    # --- views of the state ------------------------------------------------------------------

    def now(self) -> float:
        return self.app.services.clock()

    def refresh_view(self) -> None:
        self.query_one(Timeline).refresh_marks()
        now = self.now()
        for panel in self.query(TeamPanel).results(TeamPanel):
            panel.seat = self.seats.get(panel.team)
            panel.show(now)
        self.tick()
        self.score()

    def tick(self) -> None:
        """The status line, with the countdown of the team in view (every second when timed)."""
        state, now = self.drill.state, self.now()
        status = {"running": "running", "paused": "PAUSED (p resumes)", "ended": "ended"}[state.status]
        parts = [content(status, "bold reverse" if state.status == "paused" else "bold"),
                 content(f" · scenario clock +{state.clock} min")]
        team = self.team_in_view()
        if team is not None and (left := self.drill.remaining(team, now)) is not None:
            parts.append(join(
                " · ", content(team, "bold"), content(f" {clock(left)} left", "bold" if left > 0 else "bold red")
            ))
        elif state.finished:
            parts.append(content(" · every team has finished: e ends the drill", "italic"))
        if state.mode == "facilitated" and state.status != "ended":
            joined = sum(1 for doing in self.seats.values() if doing != "left")
            parts.append(content(f" · terminals {joined}/{len(state.teams)} (j: codes)"))
        self.query_one("#status-bar", Static).update(Content("").join(parts))
        if self.drill.state.timed and team is not None:
            self.query_one(f"#panel-{self.drill.teams.index(team)}", TeamPanel).show(now)

    @work(thread=True, exclusive=True, name="scoreboard", group="scoring")
    def score(self) -> None:
        self.post_message(ScoresReady(self.drill.scorecards()))

    def on_scores_ready(self, message: ScoresReady) -> None:
        self.query_one(Scoreboard).show(self.drill, message.cards)

    def team_in_view(self) -> str | None:
        """The team whose tab is open; on the timeline, the first team still to answer."""
        active = self.query_one(TabbedContent).active
        if active.startswith("tab-team-"):
            return self.drill.teams[int(active.rsplit("-", 1)[1])]
        waiting = [n for n, t in self.drill.state.teams.items() if t.awaiting]
        return waiting[0] if waiting else None

    @on(TabbedContent.TabActivated)
    def tab_changed(self) -> None:
        self.tick()

    # --- commands: each is one event in the store --------------------------------------------

    def command(self, run, then=None) -> None:
        """Record an engine command off the UI thread (`Recording.record`, which shows a
        refusal or a store failure); the view follows the state once it is saved, then `then`."""

        def done(ok: bool) -> None:
            self.refresh_view()  # also on a failure: a release to several teams may have saved some
            if ok and then is not None:
                then()

        self.app.record(run, done)

    def action_release(self) -> None:
        active = self.query_one(TabbedContent).active
        teams = self.drill.ready_teams()
        if active.startswith("tab-team-"):
            teams = [t for t in teams if t == self.team_in_view()]
        if self.drill.state.status != "running":
            self.notify("The drill is not running: press p to resume it.", severity="warning", markup=False)
            return
        if not teams:
            self.notify("Nothing to release: every team is answering or has finished.",
                        severity="warning", markup=False)
            return
        self.command(lambda: [self.drill.exercise.release(t) for t in teams],
                     lambda: self.notify(f"Released to {len(teams)} team(s).", markup=False))

    def action_answer(self, team: str | None = None) -> None:
        team = team or self.team_in_view()
        state = self.drill.state
        if state.status != "running":
            self.notify("The drill is paused or ended: answers wait until it runs.", severity="warning", markup=False)
            return
        if (team is None or not state.teams[team].awaiting) and state.mode == "practice" and self.drill.ready_teams():
            self.practice_next()
            return
        if team is None or not state.teams[team].awaiting:
            self.notify("No team is waiting on an inject. Press n to release the next one.",
                        severity="warning", markup=False)
            return
        from .answer import AnswerScreen

        self.app.push_screen(AnswerScreen(self.drill, team), lambda saved: self.answered(team, saved))

    def answered(self, team: str, saved: bool | None) -> None:
        self.refresh_view()
        if not saved:
            return
        if self.drill.state.mode == "practice":
            from .feedback import FeedbackScreen

            inject_id = self.drill.state.teams[team].current
            self.app.push_screen(FeedbackScreen(self.drill, team, inject_id), lambda _: self.practice_next())
        else:
            self.notify(join("Saved the answer of ", content(team, "bold")))

    def practice_next(self) -> None:
        """Practice paces itself: release what is due, then open the first team's inject."""
        if self.drill.state.status != "running":
            return
        ready = self.drill.ready_teams()
        if ready:
            self.command(lambda: [self.drill.exercise.release(t) for t in ready], self.practice_answer)
        else:
            self.practice_answer()

    def practice_answer(self) -> None:
        """The first team's inject, once what was due is released."""
        waiting = [n for n, t in self.drill.state.teams.items() if t.awaiting]
        if waiting:
            self.action_answer(waiting[0])
        elif self.drill.state.finished:
            self.notify("Every inject is answered. Press e to end the drill and see the debrief.", markup=False)

    def action_pause(self) -> None:
        ex = self.drill.exercise
        self.command(ex.resume if self.drill.state.status == "paused" else ex.pause)

    def action_end(self) -> None:
        if self.drill.state.status == "ended":
            self.app.open_debrief(self.drill)
            return
        from .confirm import ConfirmScreen

        unanswered = sum(1 for t in self.drill.state.teams.values() if not t.finished)
        warning = (
            f" {unanswered} team(s) have not finished: what they did not answer counts as missed." if unanswered else ""
        )
        self.app.push_screen(
            ConfirmScreen(content(f"End the drill and open the debrief?{warning}"), yes="End drill"), self.ended
        )

    def ended(self, confirmed: bool | None) -> None:
        if confirmed:
            self.command(self.drill.exercise.end, self.debrief)

    def debrief(self) -> None:
        from .debrief import DebriefScreen

        self.app.switch_screen(DebriefScreen(self.drill))

    def action_next_tab(self) -> None:
        """Timeline, then each team's tab, round again: a team's tab without reaching for Tab."""
        tabs = ["tab-timeline", *(f"tab-team-{n}" for n in range(len(self.drill.teams)))]
        tabbed = self.query_one(TabbedContent)
        tabbed.active = tabs[(tabs.index(tabbed.active) + 1) % len(tabs)]

    def action_scoreboard(self) -> None:
        board = self.query_one(Scoreboard)
        hidden = bool(board.display)
        self.command(lambda: self.drill.exercise.set_scoreboard(hidden), lambda: setattr(board, "display", not hidden))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return self.library or action != "leave"

    def action_leave(self) -> None:
        if self.drill.state.status != "ended":
            self.notify("The drill is saved: resume it from the library (r).", markup=False)
        self.app.pop_screen()
