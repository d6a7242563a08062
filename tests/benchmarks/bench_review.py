"""Open the Review screen on stores of 1,000 and 10,000 drills, each written the way the app and
`play` write drills, against the same drills with their caches rebuilt by hand, against the same
drills from an older scorer (every summary stale), and against an empty store, in one run.

Run: pytest tests/benchmarks/bench_review.py -s
     BENCH_REVIEW_DRILLS=1000,10000,100000 for the 100k figure (the store is written once and
     kept for later runs, see tests/_review_store.py `cached`; the hand-filled copy is rebuilt
     every run, which takes minutes at 100k)

"Open" is the first frame painted with the rows and filters in it, as bench_startup.py defines a
frame (not pilot.pause(), which waits for the whole process to go idle, the background rescoring
included). Each store is played through the real engine into a real SQLite file, one event per
transaction, the scorecards saved by the store with each end event (tests/_review_store.py);
it is written in /dev/shm only because a disk's fsyncs would take an hour. Sides alternate
within each round. The hand-filled and the stale side are one copy of the drills (100,000 of
them fill gigabytes): every summary rebuilt by hand, then, before each stale round, marked as
an older scorer's, and after it marked current again (what Review rescored meanwhile is the same
rows again). Goals: written-as-played opens as fast as hand-filled (ratio at most 1.3x); stale at
most 1.5x (the rescoring must not keep the first frame waiting); 10,000 drills under 0.5 s,
100,000 under 1.5 s.
"""

import asyncio
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from _review_store import cached
from test_app_support import services, settle

from scoring import history
from scoring.store import Store
from tui.app.launch import build_app
from tui.app.screens.review import ReviewScreen

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


def _folder(root: Path, name: str, source: Path | None = None, link: bool = False) -> Path:
    """A folder for the app with `source` as its drills.db: a copy, or (`link`) a hard link to a
    store the app only reads (as played, nothing is stale: opening Review writes nothing)."""
    folder = root / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    if source is not None:
        try:
            if not link:
                raise OSError("a copy was asked for")
            os.link(source, folder / "drills.db")
        except OSError:
            shutil.copyfile(source, folder / "drills.db")
    return folder


def _hand_filled(played: Path, target: Path) -> None:
    """The same drills with every cache emptied, then rebuilt by the explicit rebuild."""
    shutil.copyfile(played, target)
    with sqlite3.connect(target) as conn:
        conn.execute("DELETE FROM exports")
        conn.execute("DELETE FROM summaries")
        conn.execute("DELETE FROM misses")
        conn.execute("UPDATE drills SET scored_upto = -1")
    with Store(target) as store:
        history.refresh_stale(store)


def _mark(db: Path, scorer: str) -> None:
    """Every summary said to be this scorer's: 'older' makes them all stale, as an older
    breachdrill left them; the current version makes the hand-filled store again."""
    with sqlite3.connect(db, timeout=60) as conn:
        conn.execute("UPDATE drills SET scored_by = ? WHERE scored_by != ?", (scorer, scorer))
    with sqlite3.connect(db, timeout=60) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_open_review_as_the_app_leaves_the_store():
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as tmp:
        root = Path(tmp)
        empty = _folder(root, "empty")
        lines, painted = [], {}
        for drills in SIZES:
            began = time.perf_counter()
            played = cached(drills)
            written = time.perf_counter() - began
            with Store(played) as store:
                assert history.stale(store) == [], "a store as the app leaves it has nothing stale"
            as_played = _folder(root, "played", played, link=True)
            # A full /dev/shm kills the process outright (SIGBUS on SQLite's shared memory):
            # say so first. The copy and what its rebuild writes take about 1.2x the store.
            free, needed = shutil.disk_usage(root).free, 1.2 * played.stat().st_size
            assert free > needed, f"{root}: {free / 2**30:.1f} GiB free, a hand-filled copy needs {needed / 2**30:.1f}"
            began = time.perf_counter()
            hand = _folder(root, "hand")
            _hand_filled(played, hand / "drills.db")
            rebuilt = time.perf_counter() - began
            times = {"empty": [], "played": [], "hand": [], "stale": []}
            for _ in range(ROUNDS):
                for name, folder in (("empty", empty), ("played", as_played), ("hand", hand), ("stale", hand)):
                    if name == "stale":
                        _mark(folder / "drills.db", "older")
                    times[name].append(asyncio.run(_open_seconds(folder)))
                    if name == "stale":
                        _mark(folder / "drills.db", history.SCORER_VERSION)
            shutil.rmtree(hand)
            shutil.rmtree(as_played)
            with Store(played) as store:
                assert history.stale(store) == [], "the played store was left as it was"
            med = {name: statistics.median(values) for name, values in times.items()}
            painted[drills] = med["played"]
            lines.append(
                f"{drills:>7,} drills (store ready in {written:.0f} s, hand-filled in {rebuilt:.0f} s): "
                f"as played {med['played']:.3f} s, hand-filled {med['hand']:.3f} s, stale {med['stale']:.3f} s, "
                f"empty {med['empty']:.3f} s; played/hand {med['played'] / med['hand']:.2f}x, "
                f"stale/hand {med['stale'] / med['hand']:.2f}x, played/empty {med['played'] / med['empty']:.2f}x, "
                f"played x{med['played'] / painted[SIZES[0]]:.2f} of {SIZES[0]:,}"
            )
            print("\n" + lines[-1], flush=True)
            assert med["played"] / med["hand"] <= 1.3
            assert med["stale"] / med["hand"] <= 1.5
            if drills <= 10_000:
                assert med["played"] < 0.5
            elif drills <= 100_000:
                assert med["played"] < 1.5
        print("\nReview open, medians of", ROUNDS, "alternating rounds:\n" + "\n".join(lines))
