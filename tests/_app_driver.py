"""The real app in a process of its own, driven by keys through Textual's Pilot, so that the
lock and fault tests can SIGKILL it and know what it had confirmed.

    python _app_driver.py DB LIBRARY_DIR

The app is tui.app.launch.build_app(build_services(db=DB, library=[LIBRARY_DIR])), its store held
open by Services.store(). One command a line on stdin:

    start MODE TEAM[,TEAM]  a new drill (facilitated|practice) on the library's first scenario
    open                    resume the interrupted drill (r, Enter), else start a facilitated Red,Blue one
    answer                  answer the next inject (n releases it if no team waits); a drill whose teams
                            have all finished is ended instead (e, y) and a new one started
    review                  back to the library, Review (v) until its workers (each with a Store of its
                            own) are done, Escape; "open" goes back to the drill

Printed and flushed: "opening", "drill ID", "answering TEAM INJECT", "saving TEAM INJECT" (before y),
"saved TEAM INJECT" (the engine holds it, so the store committed it: the engine records before it
applies), "ended ID", "opening review", "reviewing", "reviewed", and "ok COMMAND" after each.
At the end of stdin it sleeps, its store open, until it is killed.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from test_app_support import FakeClock, settle, start_drill  # noqa: E402

from tui.app.launch import build_app, build_services  # noqa: E402
from tui.app.screens.answer import AnswerScreen  # noqa: E402
from tui.app.screens.confirm import ConfirmScreen  # noqa: E402
from tui.app.screens.console import ConsoleScreen  # noqa: E402
from tui.app.screens.drills import DrillsScreen  # noqa: E402
from tui.app.screens.feedback import FeedbackScreen  # noqa: E402
from tui.app.screens.library import LibraryScreen  # noqa: E402
from tui.app.screens.review import ReviewScreen  # noqa: E402

FREE_TEXT = "We notify residents by letters, and tell the attorney general and the credit bureaus."


def say(*words: object) -> None:
    print(*words, flush=True)


class Driver:
    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.app = pilot.app

    def expect(self, kind) -> None:
        if not isinstance(self.app.screen, kind):
            raise AssertionError(f"expected {kind.__name__}, the screen is {self.app.screen!r}")

    async def start(self, mode: str, teams: str) -> None:
        self.app.go_library()
        await start_drill(self.pilot, teams.split(","), practice=mode == "practice")
        say("drill", self.console().drill.id)

    def console(self) -> ConsoleScreen:
        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, ConsoleScreen):
                return screen
        raise AssertionError(f"no drill is open: {self.app.screen_stack!r}")

    async def open(self) -> None:
        say("opening")
        await settle(self.pilot)
        if not isinstance(self.app.screen, DrillsScreen):  # a fresh app offers it unasked
            await self.to_library()
            await self.pilot.press("r")
            await settle(self.pilot)
        self.expect(DrillsScreen)
        options = self.app.screen.query_one("OptionList")
        if options.option_count and not options.get_option_at_index(0).disabled:
            await self.pilot.press("enter")
            await settle(self.pilot)
            say("drill", self.console().drill.id)
        else:
            await self.pilot.press("escape")
            await settle(self.pilot)
            await self.start("facilitated", "Red,Blue")

    async def answer(self) -> None:
        pilot, app = self.pilot, self.app
        if isinstance(app.screen, FeedbackScreen):  # practice: the next inject opens from here
            await pilot.press("enter")
            await settle(pilot)
        if isinstance(app.screen, ConsoleScreen):
            drill = app.screen.drill
            if drill.state.finished:
                await pilot.press("e")
                await pilot.pause()
                self.expect(ConfirmScreen)
                await pilot.press("y")
                await settle(pilot)
                say("ended", drill.id)
                await self.start(drill.state.mode, ",".join(drill.teams))
                return
            if not any(t.awaiting for t in drill.state.teams.values()):
                await pilot.press("n")
                await settle(pilot)
            await pilot.press("a")
            await pilot.pause()
        self.expect(AnswerScreen)
        screen = app.screen
        team, inject = screen.team, screen.inject_id
        say("answering", team, inject)
        kind = screen.inject.kind
        if kind == "single":
            await pilot.press("1", "enter")
        elif kind == "multi":
            await pilot.press("1", "ctrl+s")
        elif kind == "order":
            await pilot.press("enter")
        else:
            screen.query_one("#choices").text = FREE_TEXT
            await pilot.press("ctrl+s")
        await pilot.pause()
        self.expect(ConfirmScreen)
        say("saving", team, inject)
        await pilot.press("y")
        await settle(pilot)
        if inject not in screen.drill.state.teams[team].answers:
            raise AssertionError(f"the answer of {team} to {inject} was not saved")
        say("saved", team, inject)

    async def to_library(self) -> None:
        while not isinstance(self.app.screen, LibraryScreen):  # Escape from answer, feedback, console
            await self.pilot.press("escape")
            await settle(self.pilot)

    async def review(self) -> None:
        pilot = self.pilot
        await self.to_library()
        say("opening review")
        await pilot.press("v")
        await settle(pilot)  # Review's worker has opened, read and closed its own store
        self.expect(ReviewScreen)
        say("reviewing")
        await pilot.press("escape")
        await settle(pilot)
        self.expect(LibraryScreen)
        say("reviewed")


async def script(pilot) -> None:
    driver = Driver(pilot)
    while True:
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line:
            await asyncio.sleep(3600)  # the parent kills the app with its store open
            return
        command, *args = line.split()
        await getattr(driver, command)(*args)
        say("ok", command)


def main() -> None:
    db, library = sys.argv[1:3]
    app = build_app(build_services(db=db, library=[library], environ={}, builtin=False, seed=42, clock=FakeClock()))

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await script(pilot)

    asyncio.run(run())


if __name__ == "__main__":
    main()
