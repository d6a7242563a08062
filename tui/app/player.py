"""A team's own terminal (`breachdrill join`, or a browser's session of `breachdrill serve`): one
seat of one drill, and nothing else to reach.

No library, no Review, no other team, no command palette: the join screen (when no code was
given), then what the code opens: a team's own screen (screens/player.py) with its answer
screen, an observer's read-only screen (screens/observer.py), or, for the facilitator's code,
the drill's console and debrief (no library behind them); and F1 help. The
drill is the store's: the screen follows it (follow.py), answers go through `Recording.record`
like the console's, and a terminal killed and joined again with the same code is where it was.

The seat says what this terminal is doing ('watching', 'answering', then 'left' when the app
closes) and says it again every HEARTBEAT seconds, so the console can tell a live terminal from
one closed or killed (seating.SEAT_TIMEOUT). Those writes go to a thread of their own, on a
connection of their own, never on the UI thread and never in the way of an answer being saved.

In a browser (textual-serve's web driver) the app also names the page: the team (or role) and
the drill, in the page's title, sent as a "title" message the server hands to the page.
"""

from __future__ import annotations

import asyncio
import threading
from functools import partial
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from ..text import literal_line
from .recording import Recording
from .screens import STYLES

if TYPE_CHECKING:
    from scoring.seating import PlayerSeat
    from scoring.store import Store

    from .launch import Services
    from .session import Drill

HEARTBEAT = 5.0  # seconds between the seat's "still here" (the console gives up after 15)


class PlayerApp(Recording, App[int]):
    TITLE = "breachdrill"
    SUB_TITLE = "join your team's drill"
    # The first screen's own CSS_PATH is not read for an app's default screen: the screens'
    # styles are the app's here (a player's app has no library whose first frame they would delay).
    CSS_PATH = [f"screens/{sheet}" for sheet in STYLES]
    ENABLE_COMMAND_PALETTE = False  # a player reaches nothing but the team's own screen
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("ctrl+t", "toggle_theme", "Theme", id="app.toggle_theme"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(self, services: Services, seat: PlayerSeat | None = None) -> None:
        super().__init__()
        self.init_app(services)
        self.seat: PlayerSeat | None = None
        self.drill: Drill | None = None
        self._doing = "watching"
        self._seat_lock = threading.Lock()  # one seat write at a time, 'left' last
        self._seat_store: Store | None = None  # the seat writes' own connection (their thread's)
        self._saying = False  # a seat write is in flight: a heartbeat meanwhile is skipped
        self._left = False
        if seat is not None:
            self._sit(seat)

    def _sit(self, seat: PlayerSeat, drill: Drill | None = None) -> None:
        from .session import Drill

        self.seat, self.drill = seat, drill or Drill.of(seat.drill)
        self.title = literal_line(self.drill.shown.title)  # the Header's: never a terminal control
        self.sub_title = literal_line(seat.team if seat.role == "team" else seat.role)

    def get_default_screen(self) -> Screen:
        if self.seat is None:
            from .screens.join import JoinScreen

            return JoinScreen()
        return self._home()

    def _home(self) -> Screen:
        """What the seat's code opens."""
        if self.seat.role == "observer":
            from .screens.observer import ObserverScreen

            return ObserverScreen(self.drill)
        if self.seat.role == "facilitator":
            from .screens.console import ConsoleScreen

            return ConsoleScreen(self.drill, library=False)
        from .screens.player import PlayerScreen

        return PlayerScreen(self.drill, self.seat)

    def watch_title(self) -> None:
        self._name_page()

    def watch_sub_title(self) -> None:
        self._name_page()

    def _name_page(self) -> None:
        """In a browser, the page's title: "Red — Records server intrusion · breachdrill"."""
        if self.is_web and self._driver is not None:
            name = f"{self.sub_title} — {self.title} · breachdrill" if self.seat else "Join a drill · breachdrill"
            self._driver.write_meta({"type": "title", "title": name})

    def on_mount(self) -> None:  # Recording.on_mount runs too (Textual calls each class's handler)
        if self.seat is not None:
            self._keep_seat()

    def seated(self, seat: PlayerSeat, drill: Drill | None = None) -> None:
        """The join screen's code opened a seat (its 'watching' already written): what it opens,
        over the join screen."""
        self._sit(seat, drill)
        self.push_screen(self._home())
        self._keep_seat()

    # --- the facilitator's console and debrief, with no library behind them ---------------------------

    def open_debrief(self, drill: Drill) -> None:
        from .screens.debrief import DebriefScreen

        self.push_screen(DebriefScreen(drill))

    def go_library(self) -> None:
        """There is no library here: back to the first screen (the join screen, or the seat's own)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()

    # --- the seat: what this terminal is doing, said again and again --------------------------------

    def _keep_seat(self) -> None:
        self.set_interval(HEARTBEAT, lambda: self.say(self._doing), name="seat")

    def say(self, doing: str) -> None:
        """'watching' or 'answering', written in a thread worker (the database may be busy)."""
        if self.seat is None or self._left:
            return
        changed, self._doing = doing != self._doing, doing
        if self._saying and not changed:
            return  # the last one is still waiting for the database: no pile of heartbeats
        self._saying = True
        self.run_worker(partial(self._say_now, doing), name="seat", group="seat", thread=True)

    def _say_now(self, doing: str) -> None:
        """In a thread: one seat write on the seat's own connection. A database away a moment
        is tried again at the next heartbeat; after 'left' nothing more is said."""
        from scenarios.errors import BreachdrillError

        with self._seat_lock:
            try:
                if self._left:
                    return
                self._left = doing == "left"
                if self._seat_store is None:
                    self._seat_store = self.services.open_store()
                self.services.take_seat(self.seat, doing, self._seat_store)
            except BreachdrillError:
                self._drop_seat_store()
            finally:
                self._saying = False
                if self._left:
                    self._drop_seat_store()

    def _drop_seat_store(self) -> None:
        store, self._seat_store = self._seat_store, None
        if store is not None:
            store.close()

    async def on_unmount(self) -> None:
        """The app closing (Ctrl+Q, or the terminal closed): the seat says 'left', off the UI loop."""
        if self.seat is not None:
            await asyncio.to_thread(self._say_now, "left")

    # --- actions -------------------------------------------------------------------------------------

    def action_help(self) -> None:
        from .screens.help import FACILITATOR_FLOWS, OBSERVER_FLOWS, PLAYER_FLOWS, HelpScreen

        role = self.seat.role if self.seat is not None else "team"
        flows = {"observer": OBSERVER_FLOWS, "facilitator": FACILITATOR_FLOWS}.get(role, PLAYER_FLOWS)
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen, flows))
