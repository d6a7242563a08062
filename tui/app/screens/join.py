"""A team's own terminal opened without a code (`breachdrill join`, or a browser's page of
`breachdrill serve`): type the code, Enter joins.

The code is checked off the UI thread (`Recording.record`: joining reads the drill and writes the
seat); a wrong or expired one writes nothing and is its one line here, under the field, with
what was typed still in it to correct. Wrong codes are limited: after WRONG_CODES of them within
a minute the field takes none for PAUSE seconds, with a countdown (a browser's page is in front
of people the trainer does not control; the server also limits how fast one address reloads).
"""

from __future__ import annotations

import time
from collections import deque

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Static

from ..widgets.footer import footer
from ..widgets.literal import content
from . import STYLES

WRONG_CODES = 5  # wrong codes within WINDOW seconds, then a pause
WINDOW = 60.0
PAUSE = 60.0


class JoinScreen(Screen):
    CSS_PATH = STYLES  # read when the first screen after the library opens

    def __init__(self) -> None:
        super().__init__()
        self.wrong: deque[float] = deque()  # when each recent wrong code was refused (monotonic)
        self.paused_until = 0.0
        self.pause_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="join-box"):
            yield Static(content("Join your team's drill", "bold"), id="join-title")
            yield Static(content("Type the join code the facilitator gave your team, then press Enter. "
                                 "Letters and digits; case, spaces and dashes do not matter."), id="join-how")
            yield Input(placeholder="ABCDE-FGHJK", id="join-code")
            yield Static(id="join-error")
        yield footer()

    def on_mount(self) -> None:
        self.query_one("#join-code", Input).focus()

    @on(Input.Submitted, "#join-code")
    def join(self, event: Input.Submitted) -> None:
        from scoring.seating import NotJoined

        from ..session import Drill

        if time.monotonic() < self.paused_until:
            return  # the field is disabled meanwhile; a queued Enter counts for nothing
        text, services, opened, refused = event.value, self.app.services, [], []
        error = self.query_one("#join-error", Static)
        error.update("")

        def run() -> None:
            try:
                seat = services.join(text)
            except NotJoined:
                refused.append(True)  # a wrong code, not a database away: it counts
                raise
            drill = Drill.of(seat.drill)
            drill.shown  # noqa: B018 - the scenario as shown, rendered here rather than on the UI thread
            opened.append((seat, drill))

        def done(ok: bool) -> None:
            if ok:
                self.app.seated(*opened[0])
            elif refused:
                self.count_wrong()

        self.app.record(run, done, into=error)

    def count_wrong(self) -> None:
        now = time.monotonic()
        self.wrong.append(now)
        while self.wrong and now - self.wrong[0] > WINDOW:
            self.wrong.popleft()
        if len(self.wrong) >= WRONG_CODES:
            self.wrong.clear()
            self.paused_until = now + PAUSE
            self.query_one("#join-code", Input).disabled = True
            self.countdown()
            self.pause_timer = self.set_interval(1.0, self.countdown, name="wrong-codes")

    def countdown(self) -> None:
        left = self.paused_until - time.monotonic()
        field = self.query_one("#join-code", Input)
        if left > 0:
            self.query_one("#join-error", Static).update(content(
                f"{WRONG_CODES} wrong codes in a minute: the next one can be typed in {left:.0f} s.", "bold"))
            return
        if self.pause_timer is not None:
            self.pause_timer.stop()
            self.pause_timer = None
        self.query_one("#join-error", Static).update(content("Type the code again."))
        field.disabled = False
        field.focus()
