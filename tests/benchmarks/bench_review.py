"""Open the Review screen on stores of 1,000 and 10,000 drills, each written the way the app and
`play` write drills, against the same drills with their caches rebuilt by hand, against the same
drills from an older scorer (every summary stale), and against an empty store, in one run.

Run: pytest tests/benchmarks/bench_review.py -s
     BENCH_REVIEW_DRILLS=1000,10000,100000 for the 100k figure (writing it takes minutes)

"Open" is the first frame painted with the rows and filters in it, as bench_startup.py defines a
frame (not pilot.pause(), which waits for the whole process to go idle, the background rescoring
included). Each store is played through the real engine into a real SQLite file, one event per
transaction, the scorecards saved by the store with each end event (tests/_review_store.py);
it is written in /dev/shm only because a disk's fsyncs would take an hour. Sides alternate
within each round; a stale store is copied afresh for every round, since Review rebuilds it.
Goals: written-as-played opens as fast as hand-filled (ratio at most 1.3x); stale at most 1.5x
(the rescoring must not keep the first frame waiting); 10,000 drills under 0.5 s.
"""

import asyncio
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from _review_store import build
from test_app_support import services, settle

from scoring import history
from scoring.store import Store
from tui.launch import build_app
from tui.screens.review import ReviewScreen

ROUNDS = 5
SIZES = [int(n) for n in os.environ.get("BENCH_REVIEW_DRILLS", "1000,10000").split(",")]


async def _open_seconds(folder: Path) -> float:
    app = build_app(services(folder))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        start = time.perf_counter()
        screen = ReviewScreen()
        await app.push_screen(screen)
        while not screen.is_mounted or screen.loading_results or not screen.query("#review-filters Select"):
            await asyncio.sleep(0.001)
        await pilot._wait_for_screen()
        screen._on_timer_update()
        elapsed = time.perf_counter() - start
        assert screen.query_one("#review-drills").row_count > 0 or folder.name == "empty"
        app.pop_screen()  # closing Review stops its rescoring after the batch in hand
        return elapsed


def _folder(root: Path, name: str, source: Path | None = None) -> Path:
    folder = root / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    if source is not None:
        shutil.copyfile(source, folder / "drills.db")
    return folder


def _hand_filled(played: Path, target: Path) -> None:
    """The same drills with every cache emptied, then rebuilt by the explicit rebuild."""
    shutil.copyfile(played, target)
    with sqlite3.connect(target) as conn:
        conn.execute("DELETE FROM summaries")
        conn.execute("DELETE FROM misses")
        conn.execute("UPDATE drills SET scored_upto = -1")
    with Store(target) as store:
        history.refresh_stale(store)


def _stale(played: Path, target: Path) -> None:
    """The same drills as an older breachdrill left them: summaries from another scorer."""
    shutil.copyfile(played, target)
    with sqlite3.connect(target) as conn:
        conn.execute("UPDATE drills SET scored_by = 'older'")


def test_open_review_as_the_app_leaves_the_store():
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as tmp:
        root = Path(tmp)
        empty = _folder(root, "empty")
        lines = []
        for drills in SIZES:
            began = time.perf_counter()
            played = build(root / f"played-{drills}.db", drills=drills)
            written = time.perf_counter() - began
            hand = _folder(root, "hand")
            _hand_filled(played, hand / "drills.db")
            as_played = _folder(root, "played", played)
            times = {"empty": [], "played": [], "hand": [], "stale": []}
            for _ in range(ROUNDS):
                stale = _folder(root, "stale")
                _stale(played, stale / "drills.db")
                for name, folder in (("empty", empty), ("played", as_played), ("hand", hand), ("stale", stale)):
                    times[name].append(asyncio.run(_open_seconds(folder)))
            med = {name: statistics.median(values) for name, values in times.items()}
            lines.append(
                f"{drills:>7,} drills (written in {written:.0f} s): as played {med['played']:.3f} s, "
                f"hand-filled {med['hand']:.3f} s, stale {med['stale']:.3f} s, empty {med['empty']:.3f} s; "
                f"played/hand {med['played'] / med['hand']:.2f}x, stale/hand {med['stale'] / med['hand']:.2f}x, "
                f"played/empty {med['played'] / med['empty']:.2f}x"
            )
            print("\n" + lines[-1], flush=True)
            assert med["played"] / med["hand"] <= 1.3
            assert med["stale"] / med["hand"] <= 1.5
            if drills <= 10_000:
                assert med["played"] < 0.5
        print("\nReview open, medians of", ROUNDS, "alternating rounds:\n" + "\n".join(lines))
