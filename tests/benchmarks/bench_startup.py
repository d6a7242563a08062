"""Start-up: from launching `breachdrill` to its first interactive frame, as a ratio to a bare
Textual app with a header, a table and a footer, measured the same way in the same run.

Run: pytest tests/benchmarks/bench_startup.py -s   (goal: at most 1.3x)

Each side is a fresh Python process (imports are most of the cost), run headless with an
autopilot that prints READY once the first screen has been rendered; the time is taken by this
process from launch to that line. breachdrill goes through its real entry point (`tui.cli.main`),
with a temporary database and only the built-in library; the library loads in a worker after the
first frame, as it does for a user.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RUNS = 9
GOAL = 1.3

_READY = """
import sys
from textual.app import App

async def ready(pilot):
    # The first frame: every widget on screen has processed its mount, then the screen renders.
    # (Not pilot.pause(): that waits for the whole process to go idle, worker threads included,
    # and the library loads in a worker by design, after the first frame.)
    await pilot._wait_for_screen()
    pilot.app.screen._on_timer_update()
    print("READY", type(pilot.app.screen).__name__, flush=True)
    pilot.app.exit()

_run = App.run
App.run = lambda self, **kw: _run(self, headless=True, size=(120, 40), auto_pilot=ready)
"""

BARE = _READY + """
from textual.widgets import DataTable, Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Scenario", "Violation", "Jurisdiction", "Level")
        table.add_row("A scenario", "access-control", "st-louis", "advanced")

Bare().run()
"""

BREACHDRILL = _READY + """
from tui.cli import main
sys.exit(main([]))
"""


def _time_to_ready(code: str, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.wait(timeout=60)
    assert line.startswith("READY"), f"no first frame: {line!r}"
    return elapsed, line.split()[1]


def measure(tmp: Path) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDRILL_")}
    env["BREACHDRILL_DB"] = str(tmp / "drills.db")
    bare, ours = [], []
    _time_to_ready(BARE, env), _time_to_ready(BREACHDRILL, env)  # warm the file cache for both
    for _ in range(RUNS):  # interleaved, so drift in machine load hits both alike
        bare.append(_time_to_ready(BARE, env)[0])
        seconds, screen = _time_to_ready(BREACHDRILL, env)
        assert screen == "LibraryScreen", f"the first frame was {screen}, not the library"
        ours.append(seconds)
    b, o = statistics.median(bare), statistics.median(ours)
    return {"bare": b, "breachdrill": o, "ratio": o / b}


def test_startup_ratio(tmp_path):
    result = measure(tmp_path)
    print(
        f"\nstart-up to first frame (median of {RUNS}): bare Textual {result['bare'] * 1000:.0f} ms, "
        f"breachdrill {result['breachdrill'] * 1000:.0f} ms, ratio {result['ratio']:.2f}x (goal <= {GOAL}x)"
    )
    assert result["ratio"] <= GOAL


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        print(measure(Path(folder)))
