"""The facilitator's console as a person sees it (Pilot, the real app, a real SQLite file): eight
teams at 80x24 all reachable, columns that use the room at 120x40, a release along each team's
own branch, a live score that a right answer never lowers, the footer following the state, an
overrun that cannot be missed, and letters typed for a closed answer screen not taken as commands."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from test_app_support import FakeClock, answer_on_screen, services, settle, start_drill, sync
from test_app_support import painted_lines as painted

from scoring.drills import DrillService
from scoring.live import live_scores
from scoring.score import score
from tui.app.launch import build_app
from tui.app.screens.answer import AnswerScreen
from tui.app.screens.console import ConsoleScreen
from tui.app.widgets.timeline import Timeline

ROOT = Path(__file__).resolve().parent.parent
EIGHT = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel"]


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def branching_library(tmp_path: Path) -> Path:
    """A library of one scenario whose second inject splits teams (option b leads elsewhere)."""
    library = tmp_path / "library"
    library.mkdir()
    shutil.copy(ROOT / "scenarios" / "library" / "stl-access-control.yaml", library)
    return library


def team_states(lines: list[str], teams: list[str]) -> dict[str, str]:
    """Each team whose column header is painted, with what its column says on the first inject."""
    header = next(n for n, line in enumerate(lines) if line.lstrip().startswith("Time "))
    row = lines[header + 1]
    seen = {}
    for team in teams:
        at = lines[header].find(f" {team} ")
        if at >= 0:
            seen[team] = row[at + 1:at + 1 + 8].split(" ")[0]
    return seen


@sync
async def test_eight_teams_at_80x24_every_team_state_and_score_row_is_reachable(tmp_path):
    app = build_app(services(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_drill(pilot, EIGHT)
        await pilot.press("n")
        await settle(pilot)
        lines = painted(app)
        # The scoreboard: a row for every team at once (two to a row under the timeline).
        board = next(n for n, line in enumerate(lines) if "Scoreboard" in line)
        below = "\n".join(lines[board:])
        assert all(team in below for team in EIGHT), below
        # The timeline: columns out of sight are named under it, and the arrows bring them in.
        first = team_states(lines, EIGHT)
        hidden = [t for t in EIGHT if t not in first]
        assert hidden, "eight teams do not fit 80 columns beside the inject"
        line = next(line for line in lines if "More →" in line)
        assert all(t in line for t in hidden[:2]), line
        seen = dict(first)
        for _ in range(20):
            await pilot.press("right")
            await pilot.pause()
            seen.update(team_states(painted(app), EIGHT))
        assert set(seen) == set(EIGHT), seen
        assert set(seen.values()) == {"WAIT"}, seen


@sync
async def test_at_120x40_columns_use_the_room_and_follow_a_resize(tmp_path):
    app = build_app(services(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_drill(pilot, ["Red", "Blue"])
        console = pilot.app.screen
        injects = console.drill.shown.injects
        narrow = "\n".join(painted(app))
        # Thirty characters of each title are as far as 80 columns go beside two teams.
        assert not all(i.title[:30] in narrow for i in injects)
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        timeline = console.query_one(Timeline)
        lines = painted(app)
        text = "\n".join(lines)
        cut = [i for i in injects if i.title not in text or i.sender not in text]
        if cut:  # only when the table already fills its width
            header = next(line for line in lines if line.lstrip().startswith("Time "))
            right = timeline.region.right
            assert header[:right].rstrip() and len(header[:right].rstrip()) >= right - 4, header
        else:
            assert not timeline.overflows()
        assert all(i.title[:30] in text for i in injects), "the resize gave the titles room"
        assert all(i.sender[:12] in text for i in injects), "each sender's name at least"


@sync
async def test_one_release_reaches_teams_on_different_branches_each_with_its_own_inject(tmp_path):
    app = build_app(services(tmp_path, library=[str(branching_library(tmp_path))], builtin=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await start_drill(pilot, ["Red", "Blue"])
        console = pilot.app.screen
        drill = console.drill
        await pilot.press("n")
        await settle(pilot)
        for _ in range(2):
            await pilot.press("a")
            await pilot.pause()
            await answer_on_screen(pilot)
        await pilot.press("n")
        await settle(pilot)
        # The second inject: Red leaves the session open (its own branch), Blue contains.
        await pilot.press("a")
        await pilot.pause()
        assert pilot.app.screen.team == "Red"
        await answer_on_screen(pilot, option="b")
        await pilot.press("a")
        await pilot.pause()
        await answer_on_screen(pilot, option="a")
        red_next, blue_next = drill.state.teams["Red"].next, drill.state.teams["Blue"].next
        assert red_next != blue_next
        await pilot.press("n")
        await settle(pilot)
        assert drill.state.teams["Red"].current == red_next
        assert drill.state.teams["Blue"].current == blue_next
        red_title, blue_title = drill.inject(red_next).title, drill.inject(blue_next).title
        assert f"Released '{red_title}' to Red; '{blue_title}' to Blue" in notices(app)[-1]
        # Each team's column says it is waiting on its own inject's row.
        timeline = console.query_one(Timeline)
        assert str(timeline.get_cell(red_next, "team-0")) in ("AWAITING", "WAIT")
        assert str(timeline.get_cell(blue_next, "team-1")) in ("AWAITING", "WAIT")
        assert str(timeline.get_cell(blue_next, "team-0")) == ""


async def guide_on_screen(pilot) -> None:
    """Answer the inject on the answer screen as the guide does (every option it takes), confirm."""
    from test_app_support import shown_number

    from scenarios.guide import guide_answer

    screen = pilot.app.screen
    guide = guide_answer(screen.drill.filed(screen.inject_id), screen.drill.key)
    if screen.inject.kind != "multi":
        await answer_on_screen(pilot, option=guide[0])
        return
    await pilot.press(*(shown_number(screen, oid) for oid in guide), "ctrl+s")
    await pilot.pause()
    await pilot.press("y")
    await settle(pilot)


def live_shown(app, team: str) -> str:
    line = next(line for line in painted(app) if f" {team} " in line and "/" in line)
    return line.split()[-2] if line.rstrip().endswith("│") else line.split()[-1]


@sync
async def test_the_live_score_never_drops_after_a_right_answer(tmp_path):
    app = build_app(services(tmp_path, library=[str(branching_library(tmp_path))], builtin=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await start_drill(pilot, ["Red"])
        console = pilot.app.screen
        drill = console.drill
        shown: list[float] = []
        for _ in range(4):
            await pilot.press("n")
            await settle(pilot)
            assert live_shown(app, "Red") == ("-" if not shown else f"{shown[-1]:.1f}"), "a release moves nothing"
            await pilot.press("a")
            await pilot.pause()
            await guide_on_screen(pilot)
            await settle(pilot)
            shown.append(float(live_shown(app, "Red")))
        assert shown == sorted(shown), shown
        events = list(drill.exercise.events)
        live = live_scores(drill.scenario, drill.key, events)["Red"]
        assert shown[-1] == live.card.overall
        assert live.answered == 4 and live.asked > 4
        # The final score still counts what is left as missed: lower than the live one.
        assert score(drill.scenario, drill.key, events)["Red"].overall < shown[-1]


@sync
async def test_the_footer_says_resume_while_paused(tmp_path):
    app = build_app(services(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_drill(pilot, ["Red", "Blue"])
        footer = painted(app)[-1]
        assert "Pause" in footer and "Resume" not in footer
        await pilot.press("p")
        await settle(pilot)
        footer = painted(app)[-1]
        assert "Resume" in footer and "Pause" not in footer, footer
        await pilot.press("p")
        await settle(pilot)
        assert pilot.app.screen.drill.state.status == "running"
        assert "Pause" in painted(app)[-1]


@sync
async def test_every_countdown_shows_and_an_overrun_is_unmistakable_and_told_once(tmp_path):
    clock = FakeClock()
    app = build_app(services(tmp_path, clock=clock))
    async with app.run_test(size=(120, 40)) as pilot:
        await start_drill(pilot, ["Red", "Blue"], timed=True)
        console = pilot.app.screen
        drill = console.drill
        await pilot.press("n")
        await settle(pilot)
        await pilot.pause(1.1)
        text = "\n".join(painted(app))
        left = drill.remaining("Red", clock())
        running = f"{int(left) // 60:02d}:{int(left) % 60:02d}"
        assert text.count(running) >= 4, "each team's countdown, on the timeline and the scoreboard"
        clock.advance(left + 6)
        await pilot.pause(1.1)
        await pilot.pause(1.1)
        text = "\n".join(painted(app))
        board = "\n".join(line[console.query_one("#scoreboard").region.x:] for line in painted(app))
        assert "Red   over 00:06" in board and "Blue  over 00:06" in board, board  # every team's
        states = team_states(painted(app), ["Red", "Blue"])
        assert states == {"Red": "OVER", "Blue": "OVER"}, states  # and in its timeline column
        told = [n for n in notices(app) if "is over time on" in n]
        assert sorted(n.split(" is over")[0] for n in told) == ["Blue", "Red"], told
        assert not re.search(r"-\d\d:\d\d left", text)


@sync
async def test_letters_typed_as_the_answer_screen_closes_are_not_console_commands(tmp_path):
    app = build_app(services(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        codes = await start_drill(pilot, ["Red", "Blue"])
        console = pilot.app.screen
        drill = console.drill
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AnswerScreen) and pilot.app.screen.team == "Red"
        await pilot.press("n", "e", "p")  # typed into the answer screen: no command
        assert drill.state.status == "running" and len(drill.exercise.events) == 3
        # Red answers at its own terminal meanwhile: the facilitator's screen closes under the typing.
        player = DrillService(db=tmp_path / "drills.db", builtin=False, cache_dir=tmp_path / "player-cache")
        seat = player.join(codes["Red"])
        seat.drill.catch_up()
        inject = seat.drill.state.teams["Red"].current
        seat.drill.exercise.submit("Red", inject, [seat.drill.state.scenario.inject(inject).options[0].id])
        began = time.monotonic()
        while not isinstance(pilot.app.screen, ConsoleScreen):
            assert time.monotonic() - began < 3, "the answer screen stayed open"
            await pilot.pause(0.05)
        released = sum(e.type == "inject-released" for e in drill.exercise.events)
        await pilot.press("n", "p")
        await settle(pilot)
        assert sum(e.type == "inject-released" for e in drill.exercise.events) == released
        assert drill.state.status == "running"
        assert any("not taken as console commands" in n for n in notices(app))
        await pilot.pause(1.1)
        await pilot.press("n")  # a key pressed on purpose, a moment later, is a command again
        await settle(pilot)
        assert drill.state.teams["Red"].current != inject
