"""The scenario clock on the facilitator's console, as a trainer sees it (the real app under
Pilot, a real SQLite file, a FakeClock): injects go out on time along each team's branch, the
console says what comes next and in how long, a pause stops the clock, a held clock waits (n
still releases), and a drill resumed after a restart, or run by a second process on the same
file, never releases an inject twice."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from test_app_support import FakeClock, answer_on_screen, services, settle, start_drill, sync
from test_app_support import painted_lines as painted
from test_clock import RACER

from scoring.store import Store
from tui.app.launch import build_app
from tui.app.screens.console import ConsoleScreen
from tui.app.screens.drills import DrillsScreen

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent


def quick_library(tmp_path: Path) -> str:
    """A library of minimal.yaml with its injects at +0, +1 and +2 minutes ('found'; option b
    leads to 'cover-up' at +1, option a to 'lock' at +2)."""
    library = tmp_path / "library"
    library.mkdir(exist_ok=True)
    text = (FIXTURES / "minimal.yaml").read_text().replace("at: 10", "at: 1").replace("at: 20", "at: 2")
    (library / "quick.yaml").write_text(text)
    return str(library)


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def releases(db: Path) -> list[tuple[str, str]]:
    with Store(db) as store:
        (row,) = [r for r in store.drills() if r.status != "ended"]
        return [(e.team, e.inject) for e in store.events(row.id) if e.type == "inject-released"]


def row_of(lines: list[str], start: str) -> str:
    return next(line for line in lines if line.lstrip().startswith(start))


async def tick(pilot, clock: FakeClock, seconds: float) -> None:
    """The fake wall clock moves on, and the console's one-second timer runs (and what it records)."""
    clock.advance(seconds)
    await pilot.pause(1.1)
    await settle(pilot)


@sync
async def test_a_timed_drill_releases_on_time_pauses_and_holds_at_80x24(tmp_path):
    clock = FakeClock()
    app = build_app(services(tmp_path, library=[quick_library(tmp_path)], builtin=False, clock=clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_drill(pilot, ["Red", "Blue"], timed=True)
        await tick(pilot, clock, 0)
        # +0 min is due at once: both teams have it, and no one pressed n.
        assert releases(tmp_path / "drills.db") == [("Red", "found"), ("Blue", "found")]
        assert any("On the clock: Released 'Clerk finds open folder' to Red, Blue" in n for n in notices(app))
        await pilot.press("a")  # Red: b leads to 'Audit log gone' at +1
        await pilot.pause()
        await answer_on_screen(pilot, option="b")
        await tick(pilot, clock, 20)
        lines = painted(app)
        row = row_of(lines, "+1 min")  # Red's column on the timeline (short words at 80 columns)
        assert "00:40" in row and "left" not in row, row
        assert "in 00:40" in next(line for line in lines if "│ Red " in line), "and on the scoreboard"
        await pilot.press("t")  # Red's tab
        await tick(pilot, clock, 0)
        lines = painted(app)
        assert "clock 00:20" in lines[1] and "Red next in 00:40" in lines[1], lines[1]
        assert any("Next: 'Audit log gone' (+1 min) on the clock in 00:40" in line for line in lines), lines
        # Paused: ten minutes on the wall clock are no drill time; nothing goes out.
        await pilot.press("p")
        await settle(pilot)
        await tick(pilot, clock, 600)
        assert "PAUSED" in painted(app)[1] and "clock 00:20" in painted(app)[1]
        assert len(releases(tmp_path / "drills.db")) == 2
        await pilot.press("p")
        await settle(pilot)
        await tick(pilot, clock, 39)
        assert len(releases(tmp_path / "drills.db")) == 2, "a second early"
        await tick(pilot, clock, 1)
        assert releases(tmp_path / "drills.db")[-1] == ("Red", "cover-up")
        assert "Red 05:00 left" in painted(app)[1]
        # Held: Blue answers (a leads to 'Lock it down' at +2), its time comes, nothing goes out.
        await pilot.press("h")
        await settle(pilot)
        assert "Run clock" in painted(app)[-1] and "Hold clock" not in painted(app)[-1]
        assert "HELD" in painted(app)[1]
        await pilot.press("t")  # Blue's tab
        await pilot.press("a")
        await pilot.pause()
        await answer_on_screen(pilot, option="a")
        await tick(pilot, clock, 90)
        assert len(releases(tmp_path / "drills.db")) == 3
        text = "\n".join(painted(app))
        assert "was due 00:30 ago, but the clock is held" in text, text
        assert "Blue next held (n releases it)" in painted(app)[1]
        await pilot.press("n")  # by hand, while held
        await settle(pilot)
        assert releases(tmp_path / "drills.db")[-1] == ("Blue", "lock")
        await pilot.press("h")
        await settle(pilot)
        assert "Hold clock" in painted(app)[-1]
        with Store(tmp_path / "drills.db") as store:
            (row,) = store.drills()
            held = [e.held for e in store.events(row.id) if e.type == "clock-held"]
        assert held == [True, False]


@sync
async def test_a_team_behind_the_clock_gets_its_inject_as_soon_as_it_answers(tmp_path):
    clock = FakeClock()
    app = build_app(services(tmp_path, library=[quick_library(tmp_path)], builtin=False, clock=clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_drill(pilot, ["Red"], timed=True)
        await tick(pilot, clock, 150)  # 'Lock it down' (+2) was due 30 s ago; Red is still on +0
        assert "Red" in painted(app)[1] and "behind the clock" in painted(app)[1], painted(app)[1]
        await pilot.press("t")
        await pilot.pause()
        assert any("Behind the clock: 'Lock it down' (+2 min) was due 00:30 ago" in line for line in painted(app))
        await pilot.press("a")
        await pilot.pause()
        await answer_on_screen(pilot, option="a")
        await settle(pilot)
        assert releases(tmp_path / "drills.db") == [("Red", "found"), ("Red", "lock")]  # at once, no tick
        assert "Lock it down" in "\n".join(painted(app))


@sync
async def test_a_drill_resumed_after_a_restart_catches_up_without_releasing_twice(tmp_path):
    clock = FakeClock()
    library = quick_library(tmp_path)
    first = build_app(services(tmp_path, library=[library], builtin=False, clock=clock))
    async with first.run_test(size=(80, 24)) as pilot:
        await start_drill(pilot, ["Red", "Blue"], timed=True)
        await tick(pilot, clock, 5)
        for option in ("b", "a"):  # Red to 'cover-up' (+1), Blue to 'lock' (+2)
            await pilot.press("a")
            await pilot.pause()
            await answer_on_screen(pilot, option=option)
    # Closed without a pause (Ctrl+Q, a crash): the drill ran on; 'cover-up' fell due meanwhile.
    clock.advance(85)
    for _ in range(2):  # opened twice: the second open finds nothing more to release
        again = build_app(services(tmp_path, library=[library], builtin=False, clock=clock))
        async with again.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            if not isinstance(pilot.app.screen, DrillsScreen):
                await pilot.press("r")
                await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(pilot.app.screen, ConsoleScreen)
            await tick(pilot, clock, 0)
            assert releases(tmp_path / "drills.db") == [("Red", "found"), ("Blue", "found"), ("Red", "cover-up")]
            lines = painted(pilot.app)
            assert "Red 05:00 left" in lines[1], "Red's 'cover-up', released on opening"
            assert "│ Blue  in 00:30" in "\n".join(lines), "Blue's 'lock', not yet due"
    assert Counter(releases(tmp_path / "drills.db")).most_common(1)[0][1] == 1


@sync
async def test_a_console_and_another_process_running_the_clock_release_each_inject_once(tmp_path):
    library = quick_library(tmp_path)
    teams = ["Red", "Blue", "Green", "Gold"]
    # Started three minutes ago on the wall clock: every inject is due as soon as a team is ready.
    past = services(tmp_path, library=[library], builtin=False, clock=lambda: time.time() - 180)
    (entry,) = [e for e in past.discover() if e.scenario is not None]
    drill = past.start(entry, teams=teams, seed=1, timed=True)
    past.issue_codes(drill)  # so the console opens on the drill, not on its codes
    past.close()
    app = build_app(services(tmp_path, library=[library], builtin=False, clock=time.time))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.open_drill(drill.id)
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConsoleScreen)
        # The other process runs the clock as a console does (between polls, on what it has
        # seen) and answers for every team, as the teams' own terminals would.
        other = subprocess.Popen([sys.executable, "-c", RACER, str(ROOT), str(tmp_path / "drills.db"), drill.id,
                                  str(time.time()), ",".join(teams), "0.5"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(120):
            await pilot.pause(0.25)
            if other.poll() is not None:
                break
        out, err = other.communicate(timeout=60)
        assert out.strip().endswith("finished"), (out, err)
        await pilot.pause(1.1)
        await settle(pilot)
        console = pilot.app.screen
        assert all(t.finished for t in console.drill.state.teams.values())
        counted = Counter(releases(tmp_path / "drills.db"))
        assert set(counted.values()) == {1}, counted
        assert set(counted) == {(t, i) for t in teams for i in ("found", "lock")}
        assert out.count("released ") < len(counted), "the console released some itself"
        assert any(n.startswith("On the clock") for n in notices(pilot.app))
        assert console.drill.state.skipped == []


@sync
async def test_eight_teams_on_the_clock_at_80x24_each_says_what_comes_next(tmp_path):
    clock = FakeClock()
    eight = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel"]
    app = build_app(services(tmp_path, library=[quick_library(tmp_path)], builtin=False, clock=clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_drill(pilot, eight, timed=True)
        await tick(pilot, clock, 0)
        for option in ("b", "a"):  # Alpha to 'cover-up' (+1), Bravo to 'lock' (+2)
            await pilot.press("a")
            await pilot.pause()
            await answer_on_screen(pilot, option=option)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await tick(pilot, clock, 10)
        lines = painted(app)
        board = "\n".join(lines[next(n for n, line in enumerate(lines) if "Scoreboard" in line):])
        # Every team has its row: the two between injects say when theirs comes, the rest count down.
        assert "Alpha    in 01:00" in board, board
        assert "Bravo    in 02:00" in board, board
        assert board.count("02:00 left") == 6, board
        # Paused and held on one line of 80 columns, with the team in view whole.
        status = lines[1]
        assert status.startswith(" PAUSED (p resumes) · clock 00:00 HELD · Charlie 02:00 left"), status
        assert "Run clock" in lines[-1] and "Resume" in lines[-1]
