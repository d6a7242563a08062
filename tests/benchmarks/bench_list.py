"""`breachdrill results list` printed to a file, and the look-up of interrupted drills the app
makes at every start (`Store(path).drills(status="in-progress")`, the file opened included), on
stores of 1,000 and 10,000 drills written as the app writes them, against an empty store, in
one run.

Run: pytest tests/benchmarks/bench_list.py -s
     BENCH_LIST_DRILLS=1000,10000,100000 for the 100k figure (the store is built once and kept,
     see tests/_review_store.py `cached`)

`results list` is the real CLI in a fresh process, timed until it exits with its table written
to a file; the look-up is timed in this process (it is what the app's start-up adds). Sides
alternate within each round; the figures are medians. Goals: the list of 100,000 drills under
1 s; the look-up on any store within 1.5x of an empty store's (an index, no scan, no lock).
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _review_store import cached
from helpers import ROOT

from scoring.store import Store

ROUNDS = 5
LOOKUPS = 25  # a look-up is well under a millisecond: more rounds of it, for a steady median
SIZES = [int(n) for n in os.environ.get("BENCH_LIST_DRILLS", "1000,10000").split(",")]


def _list(db: Path, out: Path) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDRILL_")}
    with out.open("w") as handle:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "tui.cli", "results", "list", "--db", str(db)],
                              stdout=handle, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env, check=False)
        elapsed = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    return elapsed


def _lookup(db: Path) -> float:
    start = time.perf_counter()
    with Store(db) as store:
        store.drills(status="in-progress")
    return time.perf_counter() - start


def test_list_and_the_start_up_lookup_on_big_stores():
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as tmp:
        root = Path(tmp)
        empty = root / "empty.db"
        Store(empty).close()
        stores = {0: empty} | {n: cached(n) for n in SIZES}
        lines = {n: sum(1 for _ in _list_lines(db, root)) for n, db in stores.items() if n}
        assert all(lines[n] == n + 1 for n in SIZES), lines  # a header and a line a drill
        listed = {n: [] for n in stores}
        looked = {n: [] for n in stores}
        for _ in range(ROUNDS):
            for n, db in stores.items():
                listed[n].append(_list(db, root / "list.txt"))
        for _ in range(LOOKUPS):
            for n, db in stores.items():
                looked[n].append(_lookup(db))
    lst = {n: statistics.median(v) for n, v in listed.items()}
    look = {n: statistics.median(v) for n, v in looked.items()}
    report = [f"{n:>7,} drills: results list {lst[n]:.3f} s (x{lst[n] / lst[0]:.2f} of empty), "
              f"in-progress look-up {1000 * look[n]:.3f} ms (x{look[n] / look[0]:.2f} of empty)" for n in stores]
    print(f"\nresults list > FILE ({ROUNDS} rounds) and Store(path).drills(status='in-progress') ({LOOKUPS}), "
          "medians, sides alternating:\n" + "\n".join(report))
    for n in SIZES:
        if n <= 100_000:
            assert lst[n] < 1.0, n
        assert look[n] <= 1.5 * look[0] + 0.0002, n  # 0.2 ms of slack: the clock's and the scheduler's


def _list_lines(db: Path, root: Path):
    out = root / "count.txt"
    _list(db, out)
    with out.open() as handle:
        yield from handle
