"""The drill's join codes, as the console shows them when a facilitated drill starts (and when
`j` issues new ones): read out or put on the projector, then typed at each team's terminal or
browser. The observers' code is shown with the teams'; the facilitator's, which opens the
console, only when asked (`f`), since this screen is the one put on the projector. They are
stored only as digests, so this is the one time they can be read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..widgets.footer import footer
from ..widgets.literal import content, join, title
from . import STYLES

if TYPE_CHECKING:
    from scoring.seating import JoinCodes

OBSERVERS, FACILITATOR = "Observers", "Facilitator"


class JoinCodesScreen(ModalScreen[None]):
    CSS_PATH = STYLES  # read when the first screen after the library opens
    BINDINGS = [
        Binding("enter,escape", "close", "Done", id="join_codes.close"),
        Binding("f", "facilitator", "Facilitator's code", id="join_codes.facilitator"),
    ]

    def __init__(self, codes: JoinCodes) -> None:
        super().__init__()
        self.codes = codes

    def compose(self) -> ComposeResult:
        # Aligned as shown (a name's escapes are wider than its characters); a list, since a team
        # may well be called "Observers" too.
        rows = [(title(team), code) for team, code in self.codes.teams.items()] + [(OBSERVERS, self.codes.observer)]
        self.width = width = max(len(FACILITATOR), *(len(name) for name, _ in rows))
        lines = [join(content(name.ljust(width), "bold"), "   ", content(code, "bold $accent")) for name, code in rows]
        with VerticalScroll(id="join-codes-box", classes="dialog"):  # eight teams at 80x24: it scrolls
            yield Static(content("Join codes", "bold"))
            yield Static(content("Each team types its code on its own terminal (breachdrill join CODE, with this "
                                 "--db) or in a browser (breachdrill serve). Observers follow read-only, scores "
                                 "once the debrief is open. A team with no terminal is answered here.", "dim"))
            yield Static(Content("\n").join(lines), id="join-codes")
            yield Static(id="join-codes-facilitator")
            yield Static(content("Shown once (kept only as digests); j issues new ones, and all stop working when "
                                 "the drill ends. f: the facilitator's code, which opens this console (keep it off "
                                 "the projector). Enter closes.", "italic"))
        yield footer()

    def action_facilitator(self) -> None:
        self.query_one("#join-codes-facilitator", Static).update(join(
            content(FACILITATOR.ljust(self.width), "bold"), "   ", content(self.codes.facilitator, "bold $accent"),
            content("   the console", "dim")))

    def action_close(self) -> None:
        self.dismiss(None)
