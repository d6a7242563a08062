"""What every breachdrill app shares: its services, themes and keys (`init_app`), one line for a
problem the user can act on (`attempt`), and each command recorded off the UI thread, one at a
time (`record`). The trainer's app (main.py) and a player's (player.py) both mix this in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from ..text import literal

if TYPE_CHECKING:
    from textual.widgets import Static

    from .launch import Services


@dataclass
class _Write:
    """A command being recorded off the UI thread (Recording.record)."""

    worker: Worker
    cover: Screen
    done: Callable[[bool], object] | None
    heading: str
    into: Static | None


def _written(run: Callable[[], object]) -> Exception | None:
    """In the write's thread: `run`, and the BreachdrillError it raised, if any, as its result (to
    be shown on the UI thread; an error of the worker's would fail whoever waits for workers)."""
    from scenarios.errors import BreachdrillError

    try:
        run()
    except BreachdrillError as exc:
        return exc
    return None


def _outcome(worker: Worker) -> None:
    """A finished write, on the UI thread: what it raised, raised again (a bug is not caught)."""
    if worker.error is not None:
        raise worker.error
    if worker.result is not None:
        raise worker.result


class Recording:
    """Mixed into an App: `init_app(services)` in its __init__."""

    def init_app(self, services: Services) -> None:
        from .themes import theme_objects

        self.services = services
        self._write: _Write | None = None  # the command being recorded (record)
        self._quit_when_saved = False
        for theme in theme_objects():
            self.register_theme(theme)
        self.theme = services.settings.theme
        if services.settings.keymap:
            self.set_keymap(services.settings.keymap)

    # --- text from files, teams and answers never drives the terminal ----------------------------
    # Each screen sets its titles and builds its notices through widgets/literal.py; these are the
    # app-wide backstops (a screen's title is drawn by format_title; every notify comes here).

    def validate_title(self, title: object) -> str:
        from .widgets.literal import title as shown

        return shown(title)

    def validate_sub_title(self, sub_title: object) -> str:
        from .widgets.literal import title as shown

        return shown(sub_title)

    def format_title(self, title: str, sub_title: str):
        """The Header's text: the screen's or the app's title and sub-title, shown literally."""
        from .widgets.literal import title as shown

        return super().format_title(shown(title), shown(sub_title))

    def notify(self, message, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = True) -> None:
        """A notice, its text shown literally: never markup, never a control character (a message
        may quote a team's name or a file's text). Content (widgets/literal.py) is kept as made."""
        from textual.content import Content

        from .widgets.literal import title as shown

        if not isinstance(message, Content):
            message, markup = literal(str(message)), False
        super().notify(message, title=shown(title) if title else "", severity=severity, timeout=timeout,
                       markup=markup)

    def on_mount(self) -> None:
        for line in self.services.settings.warnings:
            self.notify(line, title="Setting ignored", severity="warning", timeout=15, markup=False)

    def action_toggle_theme(self) -> None:
        from .themes import THEMES

        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    def attempt(self, run: Callable[[], object], heading: str = "", into: Static | None = None) -> bool:
        """Run a store or engine operation; a problem the user can act on (BreachdrillError: a
        refused command, a locked or damaged database) is shown as its one line, never raised:
        in `into` (a dialog's own line, where it can be fixed) or else as a notice. The one
        place the app turns those errors into words; anything else is a bug and is raised."""
        from scenarios.errors import BreachdrillError

        try:
            run()
        except BreachdrillError as exc:
            line = self.for_this_screen(f"{heading}{exc}")
            if into is not None:
                from .widgets.literal import content

                into.update(content(line, "bold"))
            else:
                self.notify(line, severity="error", markup=False)
            return False
        return True

    def for_this_screen(self, line: str) -> str:
        """A message as this screen may show it: in a browser (`breachdrill serve`), where the
        database is is the server's business, so its path or address reads "the drills database"."""
        if not self.is_web:
            return line
        from scoring.pgconnect import redact

        where = str(self.services.db_path())
        return line.replace(redact(where), "the drills database").replace(where, "the drills database")

    def record(self, run: Callable[[], object], done: Callable[[bool], object] | None = None, *,
               heading: str = "", into: Static | None = None) -> bool:
        """Record a command in the store off the UI thread: `run` calls the drill's engine (or
        starts or opens a drill), which appends its event with BEGIN IMMEDIATE, and SQLite may wait up to
        the store's timeout for another process's write lock. `run` goes to a thread worker;
        then, back on the UI thread, a failure is reported through `attempt` (so what was typed
        is still on screen, to retry) and `done(ok)` is called: a screen shows a change as saved
        only there, once its event is in the store.

        One write at a time, app-wide (so a drill's events keep their order, and the services'
        one connection is never in two transactions): while one is pending another is refused,
        and returns False. `SavingScreen` covers the app meanwhile, so no key reaches a command
        on the state being changed (a second Enter records nothing); it says it is saving after
        a moment. Quitting waits for the write (action_quit). The engine applies the event to the
        state in that thread: meanwhile only timers (a countdown) read it, copying what they iterate."""
        if self._write is not None:
            self.notify("Still saving the last change: wait a moment.", severity="warning", markup=False)
            return False
        from .screens.saving import SavingScreen

        cover = SavingScreen()
        self.push_screen(cover)
        worker = self.run_worker(partial(_written, run), name="record", group="record", thread=True,
                                 exit_on_error=False)
        self._write = _Write(worker, cover, done, heading, into)
        return True

    @property
    def saving(self) -> bool:
        """A command is being recorded (Recording.record)."""
        return self._write is not None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        write = self._write
        if write is None or event.worker is not write.worker:
            return
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return  # running; or cancelled, which only the app's own shutdown does
        self._write = None
        if write.cover in self.screen_stack:
            while self.screen is not write.cover:  # keys went to the cover: only a screen opened unasked
                self.pop_screen()
            self.pop_screen()  # so `done` finds the screen that asked on top, as it left it
        ok = self.attempt(lambda: _outcome(write.worker), write.heading, write.into)
        if write.done is not None:
            write.done(ok)
        if self._quit_when_saved:
            self._quit_when_saved = False
            if ok:
                self.exit()
            else:  # what was given is not saved: the error is on screen, and the app stays open
                self.notify("Not closed: the last change was not saved.", severity="warning", markup=False)

    async def action_quit(self) -> None:
        """Ctrl+Q: at once, unless a command is being recorded: then once it is saved."""
        if self._write is None:
            self.exit()
            return
        self._quit_when_saved = True
        self.notify("Saving the last change: breachdrill closes once it is saved.", markup=False)

