"""The trainer's console with teams on their own terminals (Pilot, a real SQLite file, the
player's side through the drill service on a connection of its own): codes shown at the start,
a player's answer on the console within a second, the debrief opened to the players' terminals."""

from __future__ import annotations

import time

from test_app_support import services, settle, start_drill, sync
from textual.widgets import Static

from scoring.drills import DrillService
from tui.app.launch import build_app
from tui.app.screens.console import ConsoleScreen
from tui.app.screens.debrief import DebriefScreen
from tui.app.widgets.team_panel import TeamPanel


def _player(tmp_path, code: str):
    player = DrillService(db=tmp_path / "drills.db", builtin=False, cache_dir=tmp_path / "player-cache")
    return player, player.join(code)


async def _until(pilot, ready, seconds: float = 2.0) -> float:
    began = time.monotonic()
    while not ready():
        assert time.monotonic() - began < seconds, "the console never showed it"
        await pilot.pause(0.05)
    return time.monotonic() - began


@sync
async def test_a_players_answer_reaches_the_console_and_the_debrief_opens_to_players(tmp_path):
    app = build_app(services(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        codes = await start_drill(pilot, ["Red", "Blue"])
        assert set(codes) == {"Red", "Blue"}
        console = pilot.app.screen
        assert isinstance(console, ConsoleScreen)
        player, seat = _player(tmp_path, codes["Red"])
        await pilot.press("n")
        await settle(pilot)
        red = console.query_one("#panel-0", TeamPanel)
        await _until(pilot, lambda: red.seat == "joined")
        assert "Own terminal: joined" in str(red.render())
        assert "terminals 1/2" in str(console.query_one("#status-bar", Static).render())
        seat.drill.catch_up()
        inject = seat.drill.state.teams["Red"].current
        first = seat.drill.state.scenario.inject(inject).options[0].id
        seat.drill.exercise.submit("Red", inject, [first])
        waited = await _until(pilot, lambda: inject in console.drill.state.teams["Red"].answers)
        assert waited < 1.0
        assert "Answers so far" in str(red.render())
        await pilot.press("e", "y")
        await settle(pilot)
        debrief = pilot.app.screen
        assert isinstance(debrief, DebriefScreen)
        assert "o opens each team's score" in str(debrief.query_one("#debrief-head", Static).render())
        await pilot.press("o")
        await settle(pilot)
        assert "scores open on the teams' terminals" in str(debrief.query_one("#debrief-head", Static).render())
    seat.drill.catch_up()
    assert seat.drill.state.debrief_shared
    player.close()
