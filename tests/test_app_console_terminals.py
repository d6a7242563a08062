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


@sync
async def test_a_console_restarted_mid_drill_keeps_the_codes_and_sees_what_players_did_meanwhile(tmp_path):
    from tui.app.screens.drills import DrillsScreen
    from tui.app.screens.join_codes import JoinCodesScreen

    first = build_app(services(tmp_path))
    async with first.run_test(size=(120, 40)) as pilot:
        codes = await start_drill(pilot, ["Red", "Blue"])
        await pilot.press("n")
        await settle(pilot)
    player, seat = _player(tmp_path, codes["Blue"])  # the console is gone: the team answers anyway
    inject = seat.drill.state.teams["Blue"].current
    seat.drill.exercise.submit("Blue", inject, [seat.drill.state.scenario.inject(inject).options[0].id])
    again = build_app(services(tmp_path))
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, DrillsScreen)
        await pilot.press("enter")
        await settle(pilot)
        console = pilot.app.screen
        assert isinstance(console, ConsoleScreen), console  # no new codes: those given out still work
        assert not any(isinstance(s, JoinCodesScreen) for s in pilot.app.screen_stack)
        assert inject in console.drill.state.teams["Blue"].answers
        assert _player(tmp_path, codes["Red"])[1].team == "Red"
    player.close()

