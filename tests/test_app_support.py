"""Helpers the app tests share (no tests here): a services factory pointed at a temporary
database and a fixed seed and clock, and a driver that answers whatever inject is on screen."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from rich.console import Console
from textual.widgets import Input

from tui.app.launch import build_services

FIXTURES = Path(__file__).parent / "fixtures"
KINDS = FIXTURES / "kinds"  # one inject of each kind, long texts: a library folder of its own
# Red and Blue answer differently: a multi with three options (one harmful), an order out of place.
PLAYS = {
    "Red": {"single": ("1", "enter"), "multi": ("1", "3", "4", "ctrl+s"), "order": ("3", "1", "2", "enter"),
            "free": "We told City IT at once."},
    "Blue": {"single": ("2", "enter"), "multi": ("2", "ctrl+s"), "order": ("enter",),
             "free": "Kept the logs and the email."},
}


class FakeClock:
    """Wall time that moves only when a test says so: countdowns and snapshots repeat exactly."""

    def __init__(self, start: float = 1_767_225_600.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def services(tmp_path: Path, *, library: list[str] | None = None, builtin: bool = True, seed: int = 42, clock=None):
    """The app's own factory, with nothing from the developer's environment leaking in."""
    return build_services(
        db=tmp_path / "drills.db", library=library, environ={}, builtin=builtin, seed=seed, clock=clock or FakeClock(),
        cache_dir=tmp_path / "cache",
    )


async def settle(pilot) -> None:
    """Let workers finish and the screen catch up with their messages."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def shown_number(screen, option: str | None = None) -> str:
    """The key that picks an option on the answer screen: the number it is shown with (the
    drill's seed draws the order). By default the scenario file's first option, so a test's path
    does not depend on the seed."""
    oid = option or screen.drill.filed(screen.inject_id).options[0].id
    return str([o.id for o in screen.inject.options].index(oid) + 1)


async def answer_on_screen(
    pilot, text: str = "Report it to City IT and preserve the logs", option: str | None = None
) -> None:
    """Answer the inject on the AnswerScreen with the file's first option (or `option`); an order
    inject as shown; confirm, and settle."""
    from tui.app.screens.answer import AnswerScreen
    from tui.app.screens.confirm import ConfirmScreen

    screen = pilot.app.screen
    assert isinstance(screen, AnswerScreen), screen
    kind = screen.inject.kind
    if kind == "single":
        await pilot.press(shown_number(screen, option), "enter")
    elif kind == "multi":
        await pilot.press(shown_number(screen, option), "ctrl+s")
    elif kind == "order":
        await pilot.press("enter")
    else:
        screen.query_one("#choices").text = text  # a multi-line field: Enter makes a new line
        await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ConfirmScreen), pilot.app.screen
    await pilot.press("y")
    await settle(pilot)


async def start_drill(pilot, teams: list[str], practice: bool = False, timed: bool = False,
                      close_codes: bool = True) -> dict[str, str]:
    """From the library: a new drill on the highlighted scenario with these teams. A facilitated
    drill opens on its join codes: the teams' are returned ({team: code}) and the dialog closed
    (left open with `close_codes=False`)."""
    from tui.app.screens.join_codes import JoinCodesScreen
    from tui.app.screens.new_drill import NewDrillScreen

    await settle(pilot)
    await pilot.press("n")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, NewDrillScreen), screen
    while len(screen.team_names()) < len(teams):
        await pilot.press("ctrl+n")
    while len(screen.team_names()) > len(teams):
        await pilot.press("ctrl+o")
    await pilot.pause()
    for field, name in zip(screen.query(".team").results(Input), teams, strict=True):
        field.value = name
    screen.query_one("#mode-practice").value = practice
    screen.query_one("#timed").value = timed
    await pilot.press("ctrl+s")
    await settle(pilot)
    if practice:
        return {}
    for _ in range(50):  # the codes are issued by a write of their own, after the console opens
        if isinstance(pilot.app.screen, JoinCodesScreen):
            break
        await pilot.pause(0.05)
    codes = pilot.app.screen
    assert isinstance(codes, JoinCodesScreen), codes
    if not close_codes:
        return codes.codes.teams
    await pilot.press("enter")
    await settle(pilot)
    return dict(codes.codes.teams)


def sync(test):
    """Run an async test with asyncio.run: the project has no pytest async plugin, and needs none."""
    import asyncio
    import functools

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


async def play_every_inject(pilot) -> None:
    """Each round: release, then answer for each team as PLAYS says, through the answer screen."""
    for _ in range(4):
        await pilot.press("n")
        await settle(pilot)
        for _ in PLAYS:
            await pilot.press("a")
            await settle(pilot)
            screen = pilot.app.screen
            keys = PLAYS[screen.team][screen.inject.kind]
            if isinstance(keys, str):
                screen.query_one("#choices").text = keys
                keys = ("ctrl+s",)
            await pilot.press(*keys)
            await pilot.pause()
            await pilot.press("y")
            await settle(pilot)


def painted_lines(app) -> list[str]:
    """Each line of cells the app's screen paints now (what goes to the terminal, less styles)."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def painted(app) -> str:
    return "\n".join(painted_lines(app))


def painted_text(app) -> str:
    """The screen as a terminal shows it now, rendered through a Rich console (each cell at its
    column, wide characters included), as text."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


def widget_text(widget) -> str:
    """What a Static shows, as text."""
    return str(widget.render())


async def open_review(pilot):
    """Review opened from the library with `v`, its first load done."""
    from tui.app.screens.review import ReviewScreen

    await settle(pilot)
    await pilot.press("v")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReviewScreen), pilot.app.screen
    return pilot.app.screen


async def painted_with(pilot, *texts: str, within: float = 5.0) -> str:
    """The screen once it paints every one of `texts` (words compared with spacing ignored), or
    as it is after `within` seconds: a test under load waits for the next frame rather than
    reading the one a tick happened to leave half laid out."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        shown = " ".join(painted(pilot.app).split())
        if all(" ".join(t.split()) in shown for t in texts) or asyncio.get_running_loop().time() > deadline:
            return shown
        await pilot.pause(0.05)
