"""A new drill: one to eight named teams, the mode, the seed (shown, changeable), timed or not."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Header, Input, Label, RadioButton, RadioSet, Static

from ..widgets.footer import footer
from ..widgets.literal import LiteralInput, content, join
from . import STYLES

if TYPE_CHECKING:
    from scenarios.loader import Loaded

MAX_TEAMS = 8
MAX_SEED = 2**63 - 1


class NewDrillScreen(Screen):
    CSS_PATH = STYLES  # read when the first screen after the library opens
    BINDINGS = [
        Binding("ctrl+s", "start", "Start drill", id="new_drill.start", priority=True),
        Binding("ctrl+n", "add_team", "Add team", id="new_drill.add_team"),
        Binding("ctrl+o", "remove_team", "Remove team", id="new_drill.remove_team"),
        Binding("ctrl+g", "new_seed", "New seed", id="new_drill.new_seed"),
        Binding("escape", "back", "Back", id="new_drill.back"),
    ]

    def __init__(self, entry: Loaded) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        s = self.entry.scenario
        yield Header()
        with VerticalScroll(id="new-drill"):
            yield Static(join(content("New drill: ", "bold"), s.title), id="new-drill-title")
            yield Label("Teams, 1 to 8 (Ctrl+N adds one, Ctrl+O removes the last)")
            with Vertical(id="teams"):
                for number in (1, 2):
                    yield self.team_input(number)
            with Horizontal(classes="form-row"):
                yield Label("Mode", classes="field-label")
                with RadioSet(id="mode", compact=True):
                    yield RadioButton(
                        "Facilitated: the trainer releases injects, records answers", value=True, id="mode-facilitated"
                    )
                    yield RadioButton("Practice: feedback after every answer", id="mode-practice")
            with Horizontal(classes="form-row"):
                yield Label("Clock", classes="field-label")
                yield Checkbox("Timed: injects go out on the clock and count down",
                               id="timed", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("Seed", classes="field-label")
                yield Input(str(self.app.services.new_seed()), type="integer", id="seed", max_length=19, compact=True)
                yield Label("same seed, same names and hosts; Ctrl+G draws a new one", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Start drill", variant="primary", id="start", compact=True)
                yield Button("Back", id="back", compact=True)
        yield footer()

    def team_input(self, number: int) -> Input:
        return LiteralInput(
            f"Team {number}", placeholder=f"Team {number} name", max_length=40, classes="team", id=f"team-{number}",
            compact=True,
        )

    def on_mount(self) -> None:
        self.query_one("#team-1", Input).focus()

    def team_names(self) -> list[str]:
        return [i.value.strip() for i in self.query(".team").results(Input)]

    # --- actions -------------------------------------------------------------------------------

    def action_add_team(self) -> None:
        count = len(self.team_names())
        if count >= MAX_TEAMS:
            self.notify(f"A drill has at most {MAX_TEAMS} teams.", severity="warning", markup=False)
            return
        added = self.team_input(count + 1)
        self.query_one("#teams").mount(added)
        added.focus()

    def action_remove_team(self) -> None:
        inputs = list(self.query(".team").results(Input))
        if len(inputs) <= 1:
            self.notify("A drill needs at least one team.", severity="warning", markup=False)
            return
        inputs[-1].remove()
        inputs[-2].focus()

    def action_new_seed(self) -> None:
        from scoring.drills import new_seed

        self.query_one("#seed", Input).value = str(new_seed())

    def action_back(self) -> None:
        self.dismiss()

    @on(Button.Pressed, "#back")
    def back_pressed(self) -> None:
        self.dismiss()

    @on(Button.Pressed, "#start")
    def start_pressed(self) -> None:
        self.action_start()

    @on(Input.Submitted, ".team")
    def next_field(self) -> None:
        self.focus_next()

    def problem(self) -> str | None:
        names = self.team_names()
        if any(not name for name in names):
            return "Every team needs a name (Ctrl+O removes an empty one)."
        from scenarios.exercise import clash_message, same_names

        clash = same_names(names)
        if clash is not None:  # the engine refuses them too: said here with the fields' numbers
            said = clash_message(names, *clash)
            return said[0].upper() + said[1:] + "."
        seed = self.query_one("#seed", Input).value.strip()
        if not seed.isdigit() or int(seed) > MAX_SEED:
            return "The seed is a whole number from 0 up."
        return None

    def action_start(self) -> None:
        problem = self.problem()
        if problem:
            self.notify(problem, severity="error", markup=False)
            return
        from ..session import Drill

        practice = self.query_one("#mode-practice", RadioButton).value
        options = dict(teams=self.team_names(), mode="practice" if practice else "facilitated",
                       timed=self.query_one("#timed", Checkbox).value, seed=int(self.query_one("#seed", Input).value))
        started: list[Drill] = []

        def opened(ok: bool) -> None:
            if ok:
                from .console import ConsoleScreen

                self.app.switch_screen(ConsoleScreen(started[0]))

        # Its first event is written as any other command's: off the UI thread (the database may be busy).
        self.app.record(lambda: started.append(Drill.of(self.app.services.start(self.entry, **options))), opened)
