"""Every screen at 80x24 and 120x40 (pytest-textual-snapshot). Review the SVGs before updating.

Nothing from the developer's machine leaks in: a temporary database, no BREACHDRILL_* variables,
a fixed seed and clock, and a pinned library (the fixture scenario and one broken user file) so
that edits to the built-in scenarios do not change these pictures.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import pytest_textual_snapshot
from test_app_support import FIXTURES, KINDS, answer_on_screen, play_every_inject, services, settle, start_drill
from textual.widgets import Input

from tui.app.launch import build_app

SNAPSHOTS = Path(__file__).parent / "snapshots"
_default_dirname = pytest_textual_snapshot.SVGImageExtension.dirname.__func__


def _dirname(cls, *, test_location) -> str:
    # This module's pictures live in tests/snapshots/; any other snapshot test keeps the default.
    if Path(test_location.filepath).resolve() == Path(__file__).resolve():
        return str(SNAPSHOTS)
    return _default_dirname(cls, test_location=test_location)


pytest_textual_snapshot.SVGImageExtension.dirname = classmethod(_dirname)

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def app(tmp_path):
    user = tmp_path / "user-library"
    user.mkdir()
    shutil.copy(FIXTURES / "broken" / "unknown-step.yaml", user / "unknown-step.yaml")
    return build_app(services(tmp_path, library=[str(FIXTURES), str(user)], builtin=False, seed=42))


async def still(pilot) -> None:
    """No toasts, no blinking cursors: what is left is the screen itself."""
    await settle(pilot)
    pilot.app.clear_notifications()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def to_console(pilot) -> None:
    await start_drill(pilot, ["Red", "Blue"], timed=True)
    await pilot.press("n")
    await settle(pilot)


async def to_answer(pilot) -> None:
    await to_console(pilot)
    await pilot.press("a")


async def to_feedback(pilot) -> None:
    await start_drill(pilot, ["Solo"], practice=True)
    await answer_on_screen(pilot)


async def to_debrief(pilot) -> None:
    await to_console(pilot)
    await pilot.press("a")
    await pilot.pause()
    await answer_on_screen(pilot)
    await pilot.press("e", "y")
    await settle(pilot)
    await pilot.press("t")  # the first team's tab


SCREENS = {
    "library": None,
    "new_drill": lambda pilot: pilot.press("n"),
    "console": to_console,
    "answer": to_answer,
    "feedback": to_feedback,
    "debrief": to_debrief,
    "help": lambda pilot: pilot.press("f1"),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, app, screen, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        if SCREENS[screen] is not None:
            await SCREENS[screen](pilot)
        await still(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


# --- Review, on a store of 50 drills played through the engine -----------------------------------


@pytest.fixture(scope="module")
def review_store(tmp_path_factory):
    from _review_store import build

    return build(tmp_path_factory.mktemp("review") / "drills.db", drills=50)


@pytest.fixture
def review_app(tmp_path, review_store, monkeypatch):
    import time

    monkeypatch.setenv("TZ", "UTC")  # dates on screen are shown in local time
    time.tzset()
    shutil.copyfile(review_store, tmp_path / "drills.db")
    monkeypatch.chdir(tmp_path)  # the export dialog proposes a path in the working folder
    yield build_app(services(tmp_path, library=[str(FIXTURES)], builtin=False, seed=42))
    monkeypatch.undo()
    time.tzset()


REVIEW = {
    "review": (),
    "review_trend": ("t",),
    "review_missed": ("t", "t"),
    "review_export": ("e",),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(REVIEW))
def test_review_screen(snap_compare, review_app, screen, size, tmp_path):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press(*REVIEW[screen])
        await still(pilot)
        if screen == "review_export":  # the proposed path holds the test's temporary folder
            field = pilot.app.screen.query_one("#export-path", Input)
            field.value = field.value.replace(str(tmp_path), "/reports")
            await still(pilot)

    assert snap_compare(review_app, terminal_size=size, run_before=run_before)


# --- dialogs: resuming an interrupted drill, generating a scenario -------------------------------


async def to_resume(pilot) -> None:
    await to_console(pilot)
    await pilot.press("escape")  # back to the library; the drill stays saved, in progress
    await settle(pilot)
    await pilot.press("r")


async def to_generate(pilot) -> None:
    await pilot.press("g")
    await settle(pilot)
    where = pilot.app.screen.query_one("#generate-where")
    where.update("Saved to /home/trainer/.local/share/breachdrill/scenarios")  # not the test's tmp path


DIALOGS = {"resume": to_resume, "generate": to_generate}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dialog", list(DIALOGS))
def test_dialog(snap_compare, app, dialog, size, monkeypatch):
    import time

    monkeypatch.setenv("TZ", "UTC")  # the resume list shows start times in local time
    time.tzset()

    async def run_before(pilot) -> None:
        await settle(pilot)
        await DIALOGS[dialog](pilot)
        await still(pilot)

    try:
        assert snap_compare(app, terminal_size=size, run_before=run_before)
    finally:
        monkeypatch.undo()
        time.tzset()


# --- what a small terminal must get right: the last option, eight teams, whole answers ------------

@pytest.fixture
def kinds_app(tmp_path):
    return build_app(services(tmp_path, library=[str(KINDS)], builtin=False, seed=42))


async def to_last_option(pilot) -> None:
    await start_drill(pilot, ["Red"])
    await pilot.press("n")
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    await pilot.press(*["down"] * len(pilot.app.screen.inject.options))


def to_red_debrief(*keys: str):
    async def go(pilot) -> None:
        await start_drill(pilot, ["Red", "Blue"])
        await play_every_inject(pilot)
        await pilot.press("e", "y")
        await settle(pilot)
        await pilot.press("t", *keys)  # Red's tab; Tab moves into its choices table, Down row by row

    return go


SMALL_PICTURES = {
    "answer_last_option": to_last_option,
    "debrief_multi": to_red_debrief("tab", "down"),
    "debrief_order": to_red_debrief("tab", "down", "down"),
}


@pytest.mark.parametrize("picture", list(SMALL_PICTURES))
def test_small_terminal(snap_compare, kinds_app, picture):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await SMALL_PICTURES[picture](pilot)
        await still(pilot)

    assert snap_compare(kinds_app, terminal_size=(80, 24), run_before=run_before)


def test_small_terminal_eight_team_console(snap_compare, app):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await start_drill(pilot, [f"Team {n}" for n in range(1, 9)])
        await pilot.press("n")
        await still(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
