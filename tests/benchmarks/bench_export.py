"""`breachdrill results export` to a file, on stores of 1,000 and 10,000 drills written as the app
and `play` write them: how time and peak memory grow with the number of drills.

Run: pytest tests/benchmarks/bench_export.py -s
     BENCH_EXPORT_DRILLS=1000,10000,100000 for the 100k figure (writing that store takes minutes)

Each run is the real CLI in a fresh process, timed until it exits with the file written; the
sizes alternate within each round and the figures are medians. Peak memory is the process's
maximum resident set. Goals: time linear in the drills (10x the drills within 12x the time),
memory flat (within 1.5x).
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _review_store import build
from helpers import ROOT

ROUNDS = 5
SIZES = [int(n) for n in os.environ.get("BENCH_EXPORT_DRILLS", "1000,10000").split(",")]


def _export(db: Path, out: Path) -> tuple[float, float]:
    """(seconds, peak MiB) of one export, in its own process."""
    out.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDRILL_")}
    code = (
        "import resource, sys\nfrom tui.cli import main\ncode = main(sys.argv[1:])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\nsys.exit(code)\n"
    )
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, "results", "export", "--db", str(db), "-o", str(out)],
                          capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    elapsed = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 0
    return elapsed, int(done.stderr.strip().splitlines()[-1]) / 1024


def test_export_grows_linearly_in_time_and_flat_in_memory():
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as tmp:
        root = Path(tmp)
        stores = {n: build(root / f"drills-{n}.db", drills=n) for n in SIZES}
        times = {n: [] for n in SIZES}
        peaks = {n: [] for n in SIZES}
        for _ in range(ROUNDS):
            for n, db in stores.items():
                seconds, peak = _export(db, root / f"export-{n}.csv")
                times[n].append(seconds)
                peaks[n].append(peak)
        med = {n: (statistics.median(times[n]), statistics.median(peaks[n])) for n in SIZES}
        base = SIZES[0]
        lines = [f"{n:>7,} drills: {t:.2f} s ({1000 * t / n:.2f} ms a drill), peak {m:.0f} MiB; "
                 f"x{t / med[base][0]:.1f} time, x{m / med[base][1]:.2f} memory of {base:,}"
                 for n, (t, m) in med.items()]
        print("\nresults export --format csv -o FILE, medians of", ROUNDS, "rounds:\n" + "\n".join(lines))
        for n, (t, m) in med.items():
            assert t / med[base][0] <= 1.2 * n / base
            assert m / med[base][1] <= 1.5
