"""What the app leaves in the store beside the answers: the scorecards saved when a drill ends,
and a hidden scoreboard that stays hidden when the drill is resumed in a fresh app."""

from __future__ import annotations

import sqlite3

from test_app_flows import play_round
from test_app_support import services, settle, start_drill, sync

from scoring import history
from tui.app.launch import build_app
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.console import ConsoleScreen
from tui.app.screens.debrief import DebriefScreen
from tui.app.screens.drills import DrillsScreen


@sync
async def test_a_hidden_scoreboard_stays_hidden_on_resume(tmp_path):
    async with build_app(services(tmp_path)).run_test(size=(120, 40)) as pilot:
        await start_drill(pilot, ["Red", "Blue"])
        console = pilot.app.screen
        assert console.query_one("#scoreboard").display
        await pilot.press("s")
        await settle(pilot)
        assert not console.query_one("#scoreboard").display
    # A new app on the same file, as after a closed terminal: the room still does not see it.
    async with build_app(services(tmp_path)).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, DrillsScreen)
        await pilot.press("enter")
        await settle(pilot)
        console = pilot.app.screen
        assert isinstance(console, ConsoleScreen)
        assert not console.query_one("#scoreboard").display
        await pilot.press("s")
        await settle(pilot)
        assert console.query_one("#scoreboard").display
    async with build_app(services(tmp_path)).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen.query_one("#scoreboard").display


@sync
async def test_ending_a_drill_in_the_app_saves_its_scorecards(tmp_path):
    async with build_app(services(tmp_path)).run_test(size=(120, 40)) as pilot:
        await start_drill(pilot, ["Red", "Blue"])
        drill = pilot.app.screen.drill
        while not drill.state.finished:
            await play_round(pilot, drill)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DebriefScreen)
        cards = drill.scorecards()
    conn = sqlite3.connect(tmp_path / "drills.db")
    rows = dict(conn.execute("SELECT team, overall FROM summaries WHERE drill=?", (drill.id,)).fetchall())
    upto, by, events = conn.execute(
        "SELECT scored_upto, scored_by, events FROM drills WHERE id=?", (drill.id,)
    ).fetchone()
    conn.close()
    assert rows == {team: card.overall for team, card in cards.items()}
    assert upto == events - 1 and by == history.SCORER_VERSION
