"""What each kind of code opens on a participant's own terminal (tui/app/player.py, under Pilot, on
a real SQLite file the trainer's drill service writes to): the observers' code a read-only view
with no score, the facilitator's code the console with no library behind it; the console shows
the observers' code with the teams' and the facilitator's only when asked; and wrong codes are
limited (five in a minute, then the field waits)."""

from __future__ import annotations

import pytest
from test_app_support import settle, sync
from test_player_app import Trainer, player_services, rows, seen_text, until
from textual.widgets import Input, Static

from tui.app.launch import build_app, build_player
from tui.app.screens import join as join_screen
from tui.app.screens.console import ConsoleScreen
from tui.app.screens.debrief import DebriefScreen
from tui.app.screens.join import JoinScreen
from tui.app.screens.join_codes import JoinCodesScreen
from tui.app.screens.observer import ObserverScreen


@pytest.fixture
def trainer(tmp_path):
    t = Trainer(tmp_path)
    t.issued = t.service.issue_codes(t.drill)
    yield t
    t.close()


async def _type_code(pilot, code: str) -> None:
    field = pilot.app.screen.query_one("#join-code", Input)
    field.value = code
    await pilot.press("enter")
    await settle(pilot)


@sync
async def test_the_observers_code_opens_a_read_only_view_without_scores(trainer, tmp_path):
    trainer.ex.release("Red")
    app = build_player(player_services(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await _type_code(pilot, trainer.issued.observer)
        await until(pilot, lambda: isinstance(app.screen, ObserverScreen), 3)
        assert app.sub_title == "observer"
        await until(pilot, lambda: "Body of detect." in seen_text(app), 3)
        inject = trainer.drill.state.scenario.inject("detect")
        trainer.ex.submit("Red", "detect", [inject.options[0].id])
        trainer.ex.end()
        await until(pilot, lambda: "ended" in seen_text(app).lower(), 3)
        text = seen_text(app)
        assert "Overall" not in text and "/ 100" not in text  # no score before the debrief is open
        before = rows(trainer.db)
        await pilot.press("a", "n", "e", "enter")  # keys that write at a console write nothing here
        await settle(pilot)
        assert rows(trainer.db)["events"] == before["events"]
        trainer.ex.share_debrief()
        await until(pilot, lambda: "Overall" in seen_text(app), 5)


@sync
async def test_the_facilitators_code_opens_the_console_with_no_library_behind_it(trainer, tmp_path):
    app = build_player(player_services(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await _type_code(pilot, trainer.issued.facilitator)
        await until(pilot, lambda: isinstance(app.screen, ConsoleScreen), 3)
        assert app.sub_title == "facilitator"
        await pilot.press("n")  # releases to every ready team, from this terminal
        await settle(pilot)
        def released() -> bool:
            trainer.drill.catch_up()  # the trainer's own connection sees what this terminal wrote
            return [t.path for t in trainer.drill.state.teams.values()] == [["detect"], ["detect"]]

        await until(pilot, released, 3)
        await pilot.press("escape")  # nothing to go back to: the console stays
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        footer = seen_text(app)
        assert "Library" not in footer
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, DebriefScreen), 5)
        await pilot.press("escape")  # back to the first screen: the join screen, not a library
        await settle(pilot)
        assert isinstance(app.screen, JoinScreen)


@sync
async def test_the_console_shows_the_observers_code_and_the_facilitators_only_when_asked(tmp_path):
    from test_app_support import services, start_drill

    app = build_app(services(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await start_drill(pilot, ["Red", "Blue"], close_codes=False)
        codes = app.screen
        assert isinstance(codes, JoinCodesScreen)
        shown = str(codes.query_one("#join-codes", Static).render())
        assert "Observers" in shown and codes.codes.observer in shown
        assert codes.codes.facilitator not in seen_text(app)
        await pilot.press("f")
        await settle(pilot)
        assert codes.codes.facilitator in seen_text(app)
        assert "keep it off the projector" in seen_text(app)


@sync
async def test_five_wrong_codes_in_a_minute_and_the_field_waits(trainer, tmp_path, monkeypatch):
    monkeypatch.setattr(join_screen, "PAUSE", 2.0)
    app = build_player(player_services(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(join_screen.WRONG_CODES):
            await _type_code(pilot, "ABCDE-FGHJK")
        field = app.screen.query_one("#join-code", Input)
        error = str(app.screen.query_one("#join-error", Static).render())
        assert field.disabled and "5 wrong codes in a minute: the next one can be typed in" in error
        before = rows(trainer.db)
        await _type_code(pilot, trainer.issued.teams["Red"])  # even the right code waits
        assert isinstance(app.screen, JoinScreen) and rows(trainer.db) == before
        await until(pilot, lambda: not field.disabled, 4)
        assert "Type the code again." in str(app.screen.query_one("#join-error", Static).render())
        await _type_code(pilot, trainer.issued.teams["Red"])
        await until(pilot, lambda: not isinstance(app.screen, JoinScreen), 3)
        assert app.sub_title == "Red"


@sync
async def test_in_a_browser_an_error_never_shows_where_the_database_is(trainer, tmp_path, monkeypatch):
    from scoring.dbfile import StoreError
    from tui.app.player import PlayerApp

    app = build_player(player_services(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        def fail() -> None:
            raise StoreError(f"{trainer.db}: the file is damaged")

        app.attempt(fail)
        await pilot.pause()
        assert str(trainer.db) in seen_text(app)  # a terminal of the trainer's own says where
        monkeypatch.setattr(PlayerApp, "is_web", property(lambda self: True))
        app.clear_notifications()
        app.attempt(fail)
        await pilot.pause()
        text = seen_text(app)
        assert "the drills database: the file is damaged" in text and str(trainer.db) not in text
