"""The Textual app: bindings, themes, command palette and screen routing. Screens do the rest.

Screens are imported where they are opened, so starting the app costs Textual and the library
screen only; the scenario models and the store are loaded in workers after the first frame.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from .recording import Recording

if TYPE_CHECKING:

    from .launch import Services


class BreachdrillApp(Recording, App[int]):
    TITLE = "breachdrill"
    SUB_TITLE = "tabletop breach drills"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    # Narrow terminals (80 columns) stack side panels under the main one; see app.tcss.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("ctrl+p", "command_palette", "Commands", id="app.commands"),
        Binding("ctrl+t", "toggle_theme", "Theme", id="app.toggle_theme"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.init_app(services)

    def get_default_screen(self) -> Screen:
        """The library is the bottom of the stack: the first frame is the library itself."""
        from .screens.library import LibraryScreen

        return LibraryScreen()

    # --- command palette ---------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("New drill", "Start a drill on the highlighted scenario", self.action_new_drill)
        yield SystemCommand("Resume drill", "Pick an interrupted drill and carry on", self.action_resume)
        yield SystemCommand(
            "Review drills", "Scores, trends, steps most missed, after-action reports", self.action_review
        )
        yield SystemCommand(
            "Generate scenario", "A new drill from a seed, for any violation and city", self.action_generate
        )
        yield SystemCommand("Toggle theme", "Switch between the light and dark themes", self.action_toggle_theme)
        yield SystemCommand("Help", "Keys and flows (F1)", self.action_help)
        yield from super().get_system_commands(screen)

    # --- actions -------------------------------------------------------------------------------

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_new_drill(self) -> None:
        from .screens.library import LibraryScreen

        self.go_library()
        library = self.screen
        if isinstance(library, LibraryScreen):
            library.action_new_drill()

    def action_generate(self) -> None:
        from .screens.library import LibraryScreen

        self.go_library()
        if isinstance(self.screen, LibraryScreen):
            self.screen.action_generate()

    def action_resume(self) -> None:
        self.pick_drill()

    def action_review(self) -> None:
        from .screens.review import ReviewScreen

        if not isinstance(self.screen, ReviewScreen):
            self.go_library()
            self.push_screen(ReviewScreen())

    # --- routing -------------------------------------------------------------------------------

    def go_library(self) -> None:
        """Back to the library, closing whatever drill screens are open."""
        from .screens.library import LibraryScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, LibraryScreen):
            self.pop_screen()

    def pick_drill(self) -> None:
        """The interrupted drills, to resume one."""
        from .screens.drills import DrillsScreen

        def chosen(drill_id: str | None) -> None:
            if drill_id is not None:
                self.open_drill(drill_id)

        self.push_screen(DrillsScreen(), chosen)

    def open_drill(self, drill_id: str, review: bool = False, keep: bool = False) -> None:
        """The console of a drill (or its debrief when it has ended or is opened to review);
        `keep` leaves the screens below open (Review returns to itself on Escape)."""
        from .screens.console import ConsoleScreen
        from .session import Drill

        if not keep:
            self.go_library()
        opened = []

        def show(ok: bool) -> None:
            if not ok:
                return
            drill = opened[0]
            if review or drill.exercise.state.status == "ended":
                self.open_debrief(drill)
            else:
                self.push_screen(ConsoleScreen(drill))

        # Off the UI thread, as a write is: reading a long drill takes a moment, and the first
        # open of an older database migrates it, which may wait for another process's lock.
        self.record(lambda: opened.append(Drill.of(self.services.resume(drill_id))), show,
                    heading=f"Cannot open drill {drill_id}: ")

    def open_debrief(self, drill) -> None:
        from .screens.debrief import DebriefScreen

        self.push_screen(DebriefScreen(drill))
