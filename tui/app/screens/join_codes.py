"""The teams' join codes, as the console shows them when a facilitated drill starts (and when
`j` issues new ones): read out or put on the projector, then typed at each team's terminal.
They are stored only as digests, so this is the one time they can be read."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..widgets.footer import footer
from ..widgets.literal import content, join


class JoinCodesScreen(ModalScreen[None]):
    CSS_PATH = "screens.tcss"  # read when the first screen after the library opens
    BINDINGS = [Binding("enter,escape", "close", "Done", id="join_codes.close")]

    def __init__(self, codes: dict[str, str]) -> None:
        super().__init__()
        self.codes = codes

    def compose(self) -> ComposeResult:
        width = max(len(team) for team in self.codes)
        lines = [join(content(team.ljust(width), "bold"), "   ", content(code, "bold $accent"))
                 for team, code in self.codes.items()]
        with Vertical(id="join-codes-box", classes="dialog"):
            yield Static(content("Join codes", "bold"))
            yield Static(content("Each team types its code on its own terminal: breachdrill join CODE "
                                 "(with this --db). A team without a terminal is answered here as before.", "dim"))
            yield Static(Content("\n").join(lines), id="join-codes")
            yield Static(content("Shown once: they are kept only as digests. j issues new ones (the old stop "
                                 "working); they stop working when the drill ends. Enter closes.", "italic"))
        yield footer()

    def action_close(self) -> None:
        self.dismiss(None)
