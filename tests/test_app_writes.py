"""Store writes off the UI thread (BreachdrillApp.record), against a real SQLite write lock.

Another connection to the same file holds the lock with BEGIN IMMEDIATE, as another breachdrill
writing would: the app keeps painting and handling keys, says it is saving, refuses a second
Enter, and shows the answer as saved only once its event is in the file, exactly once. A lock
held past the store's timeout is one line on screen, and the typed answer is kept to retry.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from test_app_flows import markup_scenario
from test_app_support import services, settle, shown_number, start_drill, sync

from scoring.store import Store
from tui.app.launch import build_app
from tui.app.screens.answer import AnswerScreen
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.console import ConsoleScreen
from tui.app.screens.saving import SavingScreen


def app_with_timeout(tmp_path: Path, timeout: float, **kwargs):
    """The app, its stores waiting at most `timeout` seconds for another writer's lock."""
    svc = services(tmp_path, **kwargs)
    svc.open_store = lambda: Store(svc.db_path(), timeout=timeout)  # DrillService.store opens its own through it
    return build_app(svc)


class Lock:
    """Another connection to the drills file holding its write lock, as another breachdrill writing."""

    def __init__(self, db: Path) -> None:
        self.conn = sqlite3.connect(db, isolation_level=None)
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self.conn.close()


def answers_in_file(db: Path, team: str, inject: str) -> int:
    with Store(db) as store:
        (row,) = store.drills()
        return sum(e.type == "response-submitted" and e.team == team and e.inject == inject
                   for e in store.events(row.id))


def notices(app, severity: str | None = None) -> list[str]:
    return [n.message for n in app._notifications if severity is None or n.severity == severity]


async def to_confirm(pilot, text: str | None = None) -> AnswerScreen:
    """From the console: the team's released inject answered (the file's first option, or `text`)
    and its confirmation asked."""
    await pilot.press("a")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, AnswerScreen), screen
    if text is None:
        await pilot.press(shown_number(screen), "enter")
    else:
        screen.query_one("#choices").text = text
        await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ConfirmScreen), pilot.app.screen
    return screen


@sync
async def test_the_app_stays_responsive_while_another_connection_holds_the_write_lock(tmp_path):
    db = tmp_path / "drills.db"
    app = app_with_timeout(tmp_path, 20.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_drill(pilot, ["Red"])
        console = pilot.app.screen
        assert isinstance(console, ConsoleScreen)
        drill = console.drill
        await pilot.press("n")
        await settle(pilot)
        answer = await to_confirm(pilot)
        inject = answer.inject_id
        lock = Lock(db)
        try:
            await pilot.press("y")
            # Were the write on the UI thread, this test (on the app's own event loop) would not
            # run again until the store gave up: timers fire, keys are handled, frames are painted.
            await pilot.pause(0.8)
            cover = pilot.app.screen
            assert isinstance(cover, SavingScreen), cover
            assert cover.has_class("-slow"), "after a moment the cover says it is saving"
            assert "Saving…" in pilot.app.export_screenshot()
            assert pilot.app.saving
            assert inject not in drill.state.teams["Red"].answers, "not shown as saved before it is in the file"
            assert not any("Saved" in n for n in notices(pilot.app))
            await pilot.press("enter", "y", "enter", "a", "n")  # a second Enter and other keys: the cover takes them
            assert pilot.app.screen is cover
            assert answers_in_file(db, "Red", inject) == 0
        finally:
            lock.release()
        await settle(pilot)
        assert pilot.app.screen is console
        assert not pilot.app.saving
        assert inject in drill.state.teams["Red"].answers
        assert any("Saved the answer of" in str(n) for n in notices(pilot.app))
        assert not notices(pilot.app, "error")
        assert drill.state.teams["Red"].next is not None and not drill.state.teams["Red"].awaiting, \
            "the extra n was not sent on to release the next inject"
    assert answers_in_file(db, "Red", inject) == 1


@sync
async def test_a_write_that_fails_is_one_line_and_the_typed_answer_is_kept(tmp_path):
    db = tmp_path / "drills.db"
    library = markup_scenario(tmp_path / "lib")  # its second inject, 'lock', is free text
    app = app_with_timeout(tmp_path, 1.0, library=[str(library)], builtin=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_drill(pilot, ["Red"])
        console = pilot.app.screen
        drill = console.drill
        await pilot.press("n")
        await settle(pilot)
        await to_confirm(pilot)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        typed = "Isolate the file server, then call the city attorney"
        answer = await to_confirm(pilot, typed)
        assert answer.inject_id == "lock"
        lock = Lock(db)
        try:
            await pilot.press("y")
            await settle(pilot)  # the store gives up after its timeout, the lock still held
            assert pilot.app.screen is answer, "the answer screen stays open"
            assert answer.query_one("#choices").text == typed, "what was typed is kept"
            (error,) = notices(pilot.app, "error")
            assert error == f"{db}: the database stayed busy for 1 s"
            assert "\n" not in error
            assert "lock" not in drill.state.teams["Red"].answers
            assert not pilot.app.saving
        finally:
            lock.release()
        assert answers_in_file(db, "Red", "lock") == 0
        await pilot.press("ctrl+s")  # try again, the lock gone
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert pilot.app.screen is console
        assert drill.state.teams["Red"].answers["lock"].answer == typed
    assert answers_in_file(db, "Red", "lock") == 1


@sync
async def test_quitting_while_a_write_waits_closes_once_it_is_saved(tmp_path):
    db = tmp_path / "drills.db"
    app = app_with_timeout(tmp_path, 20.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_drill(pilot, ["Red"])
        await pilot.press("n")
        await settle(pilot)
        answer = await to_confirm(pilot)
        lock = Lock(db)
        try:
            await pilot.press("y")
            await pilot.pause()
            await pilot.press("ctrl+q")
            await pilot.pause(0.3)
            assert app.is_running, "the app waits for the write"
            assert any("closes once it is saved" in n for n in notices(app))
        finally:
            lock.release()
        await app.workers.wait_for_complete()
        for _ in range(50):
            if not app.is_running:
                break
            await asyncio.sleep(0.05)
        assert not app.is_running, "closed once the answer was saved"
    assert answers_in_file(db, "Red", answer.inject_id) == 1
