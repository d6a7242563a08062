"""A team's own terminal opened without a code (`breachdrill join`): type the code, Enter joins.

The code is checked off the UI thread (`Recording.record`: joining reads the drill and writes the
seat); a wrong or expired one writes nothing and is its one line here, under the field, with
what was typed still in it to correct.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from ..widgets.footer import footer
from ..widgets.literal import content


class JoinScreen(Screen):
    CSS_PATH = "screens.tcss"

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
        from ..session import Drill

        text, services, opened = event.value, self.app.services, []
        error = self.query_one("#join-error", Static)
        error.update("")

        def run() -> None:
            seat = services.join(text)
            drill = Drill.of(seat.drill)
            drill.shown  # noqa: B018 - the scenario as shown, rendered here rather than on the UI thread
            opened.append((seat, drill))

        self.app.record(run, lambda ok: ok and self.app.seated(*opened[0]), into=error)
