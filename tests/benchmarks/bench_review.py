"""Open the Review screen on a store of 10,000 drills, as a ratio to an empty store, in one run.

Run: pytest tests/benchmarks/bench_review.py -s   (goal: under 0.5 s on 10,000 drills)
"Open" is the first frame rendered with the results and filters in it, as bench_startup.py
defines a frame (not pilot.pause(), which waits for the whole process to go idle).
The big store is cloned from 50 drills played through the engine (see tests/_review_store.py),
with its summaries fresh, as they are after each drill ends in the app.
"""

import asyncio
import statistics
import time

from _review_store import build, multiply
from test_app_support import services, settle

from tui.launch import build_app
from tui.screens.review import ReviewScreen

DRILLS = 10_000


async def _open_seconds(tmp_path) -> float:
    app = build_app(services(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        start = time.perf_counter()
        screen = ReviewScreen()
        await app.push_screen(screen)
        # Open = the results and filters are in the screen's widgets, every widget has processed
        # its mount, and the screen has rendered that frame (as bench_startup defines a frame).
        while not screen.is_mounted or screen.loading_results or not screen.query("#review-filters Select"):
            await asyncio.sleep(0.001)
        await pilot._wait_for_screen()
        screen._on_timer_update()
        elapsed = time.perf_counter() - start
        assert screen.query_one("#review-drills").row_count > 0 or not screen.rows
        return elapsed


def _median(folder, runs=5) -> float:
    return statistics.median(asyncio.run(_open_seconds(folder)) for _ in range(runs))


def test_open_review_on_10000_drills(tmp_path):
    empty = tmp_path / "empty"
    big = tmp_path / "big"
    empty.mkdir()
    big.mkdir()
    template = build(tmp_path / "template.db", drills=50)
    multiply(template, big / "drills.db", DRILLS)
    base = _median(empty)
    full = _median(big)
    print(f"\nReview open: empty store {base:.3f}s, {DRILLS:,} drills {full:.3f}s, ratio {full / base:.2f}x (goal < 0.5 s)")
    assert full < 0.5
