"""The facilitator console: the MSEL, a tab per team, the clock, release, pause, end, scores.

In practice mode the same console paces itself: each answer gets its feedback, then the next
inject is released and opened at once. A facilitated drill gives each team a join code, and
the console follows the store (follow.py): answers from the teams' own terminals appear within
a poll, with which terminals have joined and which are answering.

A timed facilitated drill runs on the scenario clock (the rules: scenarios/clock.py): each
second the console asks the engine to release what has fallen due (`Exercise.run_clock`, which
decides inside its write, so two consoles, or one resumed after a crash, never release an inject
twice). It does so only while the console itself is on top: a write covers the screen for a
moment and would take keys typed into an answer or a dialog; what falls due meanwhile is
released as soon as the console is back. h holds the clock (and runs it again): an event, so
every console agrees. The status line, each team's tab, its timeline column and the scoreboard
say what comes next and in how long, "due now", "held", or that a team is behind the clock.
"""

from __future__ import annotations

import time

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static, TabbedContent, TabPane

from scenarios.clock import due_teams, next_up, runs

from ...text import counted
from ..follow import Follower
from ..session import Drill
from ..widgets.footer import footer
from ..widgets.literal import content, join, title
from ..widgets.scoreboard import Scoreboard
from ..widgets.team_panel import TeamPanel
from ..widgets.timeline import Timeline, clock_time, countdown
from . import STYLES
from .join_codes import JoinCodesScreen

TYPED_AHEAD = 1.0  # seconds after an answer screen closed under the facilitator's typing (answered elsewhere)
CLOCK_RETRY = 2.0  # seconds before the clock tries a release again after a failed write


class ScoresReady(Message):
    def __init__(self, cards: dict) -> None:
        super().__init__()
        self.cards = cards


class ConsoleScreen(Follower, Screen):
    CSS_PATH = STYLES  # read when the first screen after the library opens
    BINDINGS = [
        Binding("n", "release", "Release", id="console.release"),
        Binding("a", "answer", "Answer", id="console.answer"),
        # One key each, two labels: the footer says what the key does now (check_action).
        Binding("p", "pause", "Pause", id="console.pause"),
        Binding("p", "resume", "Resume", id="console.resume"),
        Binding("h", "hold_clock", "Hold clock", id="console.hold_clock"),  # timed drills only
        Binding("h", "run_clock", "Run clock", id="console.run_clock"),
        Binding("e", "end", "End", id="console.end"),
        Binding("e", "debrief_again", "Debrief", id="console.debrief"),
        Binding("s", "scoreboard", "Scores", id="console.scoreboard"),  # shows or hides them, for the room
        Binding("t", "next_tab", "Tabs", id="console.next_tab"),
        Binding("j", "join_codes", "Join codes", id="console.join_codes", show=False),
        Binding("escape", "leave", "Library", id="console.leave"),
    ]

    def __init__(self, drill: Drill, library: bool = True) -> None:
        super().__init__()
        self.drill = drill
        self.library = library  # False for the facilitator's code (tui/app/player.py): nothing to go back to
        self.seats: dict[str, str] = {}  # team -> 'joined' | 'answering' | 'left', for teams with a terminal
        self.told_over: set[tuple[str, str]] = set()  # (team, inject) whose time running out was said
        self.typed_until = 0.0  # keys before this (monotonic) are stray typing, not commands
        self.typed_said = False  # ... and that has been said
        self.clock_after = 0.0  # (monotonic) no release on the clock before this: the last one failed

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="status-bar")
        with Horizontal(id="console-body"):
            with TabbedContent(id="tabs"):
                with TabPane("Timeline", id="tab-timeline"):
                    yield Timeline(self.drill, id="timeline")
                    yield Static(id="timeline-line")
                for number, team in enumerate(self.drill.teams):
                    with TabPane(content(team), id=f"tab-team-{number}"):
                        with VerticalScroll():
                            yield TeamPanel(self.drill, team, id=f"panel-{number}", classes="team-panel")
            yield Scoreboard(self.drill, id="scoreboard", classes="-timed" if self.drill.state.timed else "")
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
            self.follow(self.followed, extra=self.read_seats, shown=self.show_seats)
        timeline = self.query_one(Timeline)
        self.watch(timeline, "scroll_x", lambda *_: self.show_timeline_line(), init=False)
        timeline.focus()  # arrows move along the MSEL (and sideways to more teams); Tab reaches the tabs
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

    def followed(self) -> None:
        """Other terminals' events taken in: the view follows, and an answer screen open over this
        one for an inject answered elsewhere (or a drill paused elsewhere) closes, saying why."""
        from .answer import AnswerScreen

        self.refresh_view()
        for screen in list(self.app.screen_stack):
            if isinstance(screen, AnswerScreen) and screen.drill is self.drill:
                screen.drill_moved()

    # --- views of the state ------------------------------------------------------------------

    def now(self) -> float:
        return self.app.services.clock()

    def refresh_view(self) -> None:
        now = self.now()
        timeline = self.query_one(Timeline)
        timeline.now = now
        timeline.refresh_marks()
        for panel in self.query(TeamPanel).results(TeamPanel):
            panel.seat = self.seats.get(panel.team)
            panel.show(now)
        self.tick()
        self.score()
        self.refresh_bindings()  # the footer's labels follow the state (check_action)

    def tick(self) -> None:
        """The status line, with the countdown of the team in view; every team's countdown on
        the timeline and the scoreboard (every second when timed); a notice when one runs out."""
        state, now = self.drill.state, self.now()
        status = {"running": "running", "paused": "PAUSED (p resumes)", "ended": "ended"}[state.status]
        parts = [content(status, "bold reverse" if state.status == "paused" else "bold")]
        if runs(state):  # the drill's own time, pauses excluded: what each inject's `at` is read against
            parts.append(content(f" · clock {clock_time(state.active_seconds(now))}"))
            if state.clock_held and state.status != "ended":
                parts.extend([" ", content("HELD", "bold reverse")])  # the footer says h runs it
        else:
            parts.append(content(f" · scenario clock +{state.clock} min"))
        team = self.team_in_view()
        if team is not None and (left := self.drill.remaining(team, now)) is not None:
            parts.append(join(" · ", content(team, "bold"), " ", content(*countdown(left))))
            up = next_up(state, team, now)
            if up is not None and up.wait == "behind":
                parts.append(content(", behind the clock", "bold"))
        elif team is not None and (up := next_up(state, team, now)) is not None:
            parts.append(join(" · ", content(team, "bold"), " ", self.next_words(up)))
        elif state.finished:
            parts.append(content(" · every team has finished: e ends the drill", "italic"))
        if state.mode == "facilitated" and state.status != "ended":
            joined = sum(1 for doing in self.seats.values() if doing != "left")
            tail = [content(f" · terminals {joined}/{len(state.teams)}"), content(" (j: codes)")]
        else:
            tail = []
        # Where the line is too long for the bar (80 columns, a paused, held drill), the end goes
        # first: the codes' hint, then the terminals; never what says where the drill stands.
        room = self.query_one("#status-bar", Static).content_region.width
        line = Content("").join(parts + tail)
        while room and line.cell_length > room and tail:
            tail.pop()
            line = Content("").join(parts + tail)
        self.query_one("#status-bar", Static).update(line)
        self.show_timeline_line()
        if not state.timed:
            return
        timeline = self.query_one(Timeline)
        timeline.now = now
        timeline.refresh_marks()
        self.query_one(Scoreboard).tick(now)
        if team is not None:
            self.query_one(f"#panel-{self.drill.teams.index(team)}", TeamPanel).show(now)
        self.tell_overruns(now)
        self.run_clock(now)

    @staticmethod
    def next_words(up) -> Content:
        """A ready team's next inject on the status line: "next in 04:10", "next due now"."""
        if up.wait == "held":
            return content("next held (n releases it)", "bold")
        if up.wait == "due":
            return content("next due now", "bold")
        return content(f"next in {clock_time(up.seconds)}")

    # --- the scenario clock (scenarios/clock.py) ------------------------------------------------

    def run_clock(self, now: float) -> None:
        """Release what the clock says is due, in the engine's write (which checks again against
        the drill as the store has it): only while this console is on top and nothing is being
        saved, and not again at once after a write that failed."""
        state = self.drill.state
        if (not due_teams(state, now) or self.app.saving or self.app.screen is not self
                or time.monotonic() < self.clock_after):
            return
        released: list = []

        def release() -> None:
            released.extend(self.drill.exercise.run_clock())

        def done(ok: bool) -> None:
            if not ok:
                self.clock_after = time.monotonic() + CLOCK_RETRY
            if released:
                self.notify(join("On the clock: ", self.released_notice(
                    [(e.team, e.inject) for e in released], [])))
            self.refresh_view()

        self.app.record(release, done)

    def on_screen_resume(self) -> None:
        """Back on top (an answer saved, a dialog closed): what fell due meanwhile goes out now."""
        if runs(self.drill.state):
            self.call_after_refresh(lambda: self.is_attached and self.run_clock(self.now()))

    def action_hold_clock(self) -> None:
        if self.typed_ahead():
            return
        held = not self.drill.state.clock_held

        def said() -> None:
            self.notify("Clock held: nothing is released on it until h runs it again (n still releases)."
                        if held else "The clock runs again: what is due is released now.", markup=False)

        self.command(lambda: self.drill.exercise.hold_clock(held), said)

    def action_run_clock(self) -> None:
        self.action_hold_clock()

    def tell_overruns(self, now: float) -> None:
        """One notice per team and inject when its time runs out (the countdowns say by how much)."""
        for name, t in list(self.drill.state.teams.items()):
            left = self.drill.remaining(name, now)
            if left is None or left >= 0 or (name, t.current) in self.told_over:
                continue
            self.told_over.add((name, t.current))
            inject = self.drill.inject(t.current)
            self.notify(join(content(name, "bold"), " is over time on ", content(inject.title, "italic"), "."),
                        severity="warning")

    def show_timeline_line(self) -> None:
        """Under the timeline: the highlighted inject in full (its cells may be cut), and the
        columns scrolled out of sight (teams by name)."""
        timeline = self.query_one(Timeline)
        parts: list[Content | str] = []
        hidden = timeline.off_screen()
        if hidden:
            parts.append(join(content("More → ", "bold"), ", ".join(hidden), content(" (←/→ scroll) · ", "dim")))
        if timeline.row_count:
            row = timeline.coordinate_to_cell_key((timeline.cursor_row, 0)).row_key.value
            inject = self.drill.inject(row)
            parts.append(join(f"+{inject.at} min · {inject.channel} · ", content(inject.title, "bold"),
                              " · from ", inject.sender))
        self.query_one("#timeline-line", Static).update(join(*parts))

    @on(Timeline.RowHighlighted)
    def row_highlighted(self) -> None:
        self.show_timeline_line()

    def on_resize(self) -> None:
        self.call_after_refresh(self.show_timeline_line)

    @work(thread=True, exclusive=True, name="scoreboard", group="scoring")
    def score(self) -> None:
        self.post_message(ScoresReady(self.drill.live_scorecards()))

    def on_scores_ready(self, message: ScoresReady) -> None:
        board = self.query_one(Scoreboard)
        board.now = self.now()
        board.show(message.cards)

    def team_in_view(self) -> str | None:
        """The team whose tab is open; on the timeline, the first team still to answer, else (on
        the clock) the team whose next inject comes soonest."""
        active = self.query_one(TabbedContent).active
        if active.startswith("tab-team-"):
            return self.drill.teams[int(active.rsplit("-", 1)[1])]
        state = self.drill.state
        waiting = [n for n, t in state.teams.items() if t.awaiting]
        if waiting:
            return waiting[0]
        now = self.now()
        coming = [(up.seconds, n) for n in list(state.teams) if (up := next_up(state, n, now)) is not None]
        return min(coming)[1] if coming else None

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

    # --- keys typed for a text field that closed under them -------------------------------------

    def typed_ahead(self) -> bool:
        """True for a command key that is really the rest of an answer being typed: an answer
        screen that closes by itself (the team answered at its own terminal, another console
        paused) leaves the facilitator's next letters to this screen, where 'n' would release.
        Each such key keeps the guard up a moment longer; the first says so once."""
        now = time.monotonic()
        if now >= self.typed_until:
            return False
        if self.typed_until - now < TYPED_AHEAD / 2:
            self.typed_until = now + TYPED_AHEAD / 2
        if not self.typed_said:
            self.typed_said = True
            self.notify("Keys typed as the answer screen closed were not taken as console commands: "
                        "press the key again.", severity="warning", markup=False)
        return True

    def guard_typing(self) -> None:
        self.typed_until, self.typed_said = time.monotonic() + TYPED_AHEAD, False

    def action_release(self) -> None:
        if self.typed_ahead():
            return
        active = self.query_one(TabbedContent).active
        ready = self.drill.ready_teams()
        teams = ready
        if active.startswith("tab-team-"):
            teams = [t for t in ready if t == self.team_in_view()]
        if self.drill.state.status != "running":
            self.notify("The drill is not running: press p to resume it.", severity="warning", markup=False)
            return
        if not teams:
            why = ("this team is answering or has finished (the Timeline tab's n releases to every ready team)"
                   if active.startswith("tab-team-") and ready else "every team is answering or has finished")
            self.notify(f"Nothing to release: {why}.", severity="warning", markup=False)
            return
        released: list[tuple[str, str]] = []  # (team, inject), as recorded: each team along its own branch

        def release() -> None:
            for team in teams:  # only if still ready: the clock or another console may have released it
                if (event := self.drill.exercise.release_ready(team)) is not None:
                    released.append((team, event.inject))

        def said(ok: bool) -> None:
            if released:
                self.notify(self.released_notice(released, [t for t in ready if t not in teams]))
            elif ok:
                self.notify("Nothing to release: it was released meanwhile (the clock, or another console).",
                            severity="warning", markup=False)

        self.app.record(release, lambda ok: (self.refresh_view(), said(ok)))

    def released_notice(self, released: list[tuple[str, str]], left_ready: list[str]) -> Content:
        """What reached whom: "Released 'X' to Red, Blue; 'Y' to Green"."""
        by_inject: dict[str, list[str]] = {}
        for team, inject in released:
            by_inject.setdefault(inject, []).append(team)
        parts: list[Content | str] = ["Released "]
        for number, (inject, teams) in enumerate(by_inject.items()):
            if number:
                parts.append("; ")
            parts.extend([content(f"'{self.drill.inject(inject).title}'", "bold"), " to ", ", ".join(teams)])
        if left_ready:
            parts.append(f". Still ready (n on the Timeline tab): {', '.join(left_ready)}")
        return join(*parts)

    def action_answer(self, team: str | None = None) -> None:
        if team is None and self.typed_ahead():
            return
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
            t = self.drill.state.teams.get(team)
            if self.drill.state.status != "running" or t is None or not t.awaiting:
                self.guard_typing()  # the screen closed by itself, maybe in mid-word
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
        if self.typed_ahead():
            return
        ex = self.drill.exercise
        self.command(ex.resume if self.drill.state.status == "paused" else ex.pause)

    def action_resume(self) -> None:
        self.action_pause()

    def action_debrief_again(self) -> None:
        self.action_end()

    def action_end(self) -> None:
        if self.typed_ahead():
            return
        if self.drill.state.status == "ended":
            self.app.open_debrief(self.drill)
            return
        from .confirm import ConfirmScreen

        unanswered = sum(1 for t in self.drill.state.teams.values() if not t.finished)
        warning = (
            f" {counted(unanswered, 'team')} {'has' if unanswered == 1 else 'have'} not finished: what they did not"
            " answer counts as missed." if unanswered else ""
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
        if self.typed_ahead():
            return
        board = self.query_one(Scoreboard)
        hidden = bool(board.display)

        self.command(lambda: self.drill.exercise.set_scoreboard(hidden), lambda: setattr(board, "display", not hidden))

    # Each key's binding as the state has it: hidden (False) where it does not apply, so the
    # footer reads Resume while paused and Debrief once ended; a practice drill has no scoreboard.
    STATE_BINDINGS = {
        "pause": lambda s: s.drill.state.status == "running",
        "resume": lambda s: s.drill.state.status == "paused",
        "end": lambda s: s.drill.state.status != "ended",
        "debrief_again": lambda s: s.drill.state.status == "ended",
        "release": lambda s: s.drill.state.status != "ended",
        "answer": lambda s: s.drill.state.status != "ended",
        "scoreboard": lambda s: s.drill.state.mode == "facilitated",
        "hold_clock": lambda s: s.has_clock() and not s.drill.state.clock_held,
        "run_clock": lambda s: s.has_clock() and s.drill.state.clock_held,
        "leave": lambda s: s.library,
    }

    def has_clock(self) -> bool:
        return runs(self.drill.state) and self.drill.state.status != "ended"

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        applies = self.STATE_BINDINGS.get(action)
        return applies is None or applies(self)

    def action_leave(self) -> None:
        if self.drill.state.status != "ended":
            self.notify("The drill is saved: resume it from the library (r).", markup=False)
        self.app.pop_screen()
