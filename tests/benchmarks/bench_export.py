"""`breachdrill results export` to a file, on stores of 1,000 and 10,000 drills written as the app
and `play` write them: how time and peak memory grow with the number of drills, and what the
export cost before each team's rows were cached with its summary (every drill loaded and scored
from its events, each row written by the csv module), in the same run.

Run: pytest tests/benchmarks/bench_export.py -s
     BENCH_EXPORT_DRILLS=1000,10000,100000 for the 100k figure (writing that store takes minutes
     the first time; it is kept for later runs, see tests/_review_store.py `cached`)
     BENCH_EXPORT_OLD_UPTO=10000 the largest store the old way is timed on (it is 100x slower)

Each run is the real CLI in a fresh process, timed until it exits with the file written; the
sides (each size; CSV and JSON; the old way) alternate within each round and the figures are
medians. Peak memory is the process's maximum resident set since it began the export's
program (VmHWM: ru_maxrss would count what the forked pytest held before exec). Goals: time linear in the drills
(10x the drills within 12x the time), memory flat (within 1.5x); 100,000 drills in under 60 s
and 250 MiB.
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

from scoring import history
from scoring.store import Store

ROUNDS = 5
SIZES = [int(n) for n in os.environ.get("BENCH_EXPORT_DRILLS", "1000,10000").split(",")]
OLD_UPTO = int(os.environ.get("BENCH_EXPORT_OLD_UPTO", "10000"))

_NEW = "from tui.cli import main\ncode = main(sys.argv[1:])\n"
# What `results export --format csv -o FILE` ran before the rows were cached (commit 81c775d):
# every drill the filters match, loaded and scored from its events, written row by row.
_OLD = '''
import csv, io
from scoring.history import Filters, load, refresh_stale, team_drills
from scoring.report.tabular import COLUMNS, finding_rows, safe_cell
from scoring.store import Store
from tui.text import save_text

def csv_lines(rows, columns=COLUMNS):
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\\r\\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([safe_cell(r[c]) for c in columns])
        if out.tell() > 65_536:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()

db, out = sys.argv[4], sys.argv[6]
with Store(db) as store:
    refresh_stale(store)
    wanted = team_drills(store, Filters())
    rows = (row for drill_id, teams in wanted.items()
            for row in finding_rows(load(store, drill_id)) if row["team"] in teams)
    save_text(out, csv_lines(rows))
code = 0
'''


_PEAK = """
try:
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except OSError:
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(peak, file=sys.stderr)
sys.exit(code)
"""


def _export(db: Path, out: Path, fmt: str = "csv", old: bool = False) -> tuple[float, float]:
    """(seconds, peak MiB) of one export, in its own process."""
    out.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDRILL_")}
    code = "import sys\n" + (_OLD if old else _NEW) + _PEAK
    args = ["results", "export", "--db", str(db), "-o", str(out), "--format", fmt]
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, env=env,
                          check=False)
    elapsed = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 0
    out.unlink()
    return elapsed, int(done.stderr.strip().splitlines()[-1]) / 1024


def test_export_grows_linearly_in_time_and_flat_in_memory():
    stores = {n: cached(n) for n in SIZES}
    for db in stores.values():  # the export must find nothing to rebuild: it leaves the store as it is
        with Store(db) as store:
            assert history.stale(store) == [] and history.unexported(store) == [], db
    sides = [(n, fmt, False) for n in SIZES for fmt in ("csv", "json")]
    sides += [(n, "csv", True) for n in SIZES if n <= OLD_UPTO]
    times = {side: [] for side in sides}
    peaks = {side: [] for side in sides}
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as tmp:
        for _ in range(ROUNDS):
            for side in sides:
                n, fmt, old = side
                seconds, peak = _export(stores[n], Path(tmp) / f"export.{fmt}", fmt, old)
                times[side].append(seconds)
                peaks[side].append(peak)
    med = {side: (statistics.median(times[side]), statistics.median(peaks[side])) for side in sides}
    base = SIZES[0]
    lines = []
    for side, (t, m) in med.items():
        n, fmt, old = side
        b_t, b_m = med[(base, fmt, old)]
        line = (f"{n:>7,} drills, {'old way ' if old else ''}{fmt}: {t:7.2f} s ({1000 * t / n:.3f} ms a drill), "
                f"peak {m:4.0f} MiB; x{t / b_t:.1f} time, x{m / b_m:.2f} memory of {base:,}")
        if old:
            line += f"; {t / med[(n, 'csv', False)][0]:.1f}x the cached export"
        lines.append(line)
    print(f"\nresults export -o FILE, medians of {ROUNDS} alternating rounds:\n" + "\n".join(lines))
    for (n, fmt, old), (t, m) in med.items():
        b_t, b_m = med[(base, fmt, old)]
        assert t / b_t <= 1.2 * n / base, (n, fmt, old)
        assert m / b_m <= 1.5, (n, fmt, old)
        if not old and n <= 100_000:
            assert t < 60 * n / 100_000 + 1 and m < 250, (n, fmt)
