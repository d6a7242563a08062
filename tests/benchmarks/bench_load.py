"""Loading a scenario library: what a user waits for, as a ratio to parsing the same files with
PyYAML's C loader alone, at 10, 100 and 1,000 files.

Run: pytest tests/benchmarks/bench_load.py -s

1. `breachdrill scenarios list --library DIR`, a real process through the real entry point
   (`tui.cli.main`, what the `breachdrill` script runs), each run with a row cache of its own
   (so every file is read), against a process that only parses the same files (the built-ins
   and DIR) with yaml.CSafeLoader; and the same list again with the row cache warm
   (GOAL_WARM_S). Each round runs every size, the sides alternating (which goes first
   alternates too); the figures are medians of ROUNDS.
   Peak memory is each child's own (VmHWM; see _PEAK). The library is copies of the built-ins, each with
   an id of its own (a real library has no duplicate ids). An empty folder gives the fixed cost
   (interpreter, imports, the built-ins), so cost per file is (t(n) - t(0)) / n.
   Goals: 1,000 files well under the 8.3 s measured before (GOAL_LIST_S; was 7-8 s and 535 MiB
   on this 2-core machine), at most GOAL_RATIO x the C loader, cost per file growing at most
   GOAL_GROWTH x from 100 to 1,000 files, and memory per file that of the scenarios, not of their
   YAML node trees (GOAL_MIB_PER_FILE; with the trees it was ~0.5 MiB per file).
2. In process: how much of `discover` the cyclic GC takes (it was ~70%).
3. In process: load and validate 1,000 files against the C loader (goal: under 3x).
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from scenarios import library
from scenarios.folders import BUILTIN_DIR
from scenarios.library import discover
from scenarios.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "minimal.yaml"
SIZES = (0, 10, 100, 1000)
ROUNDS = 5
FILES = 1000

GOAL_WARM_S = 1.0  # 1,000 files listed again, nothing changed: the row cache, no YAML parsed
GOAL_LIST_S = 3.0  # 1,000 files, every file read; 2.1-2.6 s measured here (the C loader alone: 2.3-2.7 s)
GOAL_RATIO = 1.5  # against the C loader at 1,000 files; ~1.0 measured
GOAL_GROWTH = 1.2  # cost per file at 1,000 against at 100
GOAL_MIB_PER_FILE = 0.25  # peak RSS per added file (100 -> 1,000); ~0.14 measured, ~0.5 with trees
GOAL_GC_SHARE = 0.15  # of an in-process discover of 1,000 files; was ~0.7

# The child's own peak RSS. On Linux ru_maxrss survives exec: a child of this (pytest-sized)
# process would report at least the parent's size at fork. VmHWM is the high-water mark of the
# child's own address space, made at exec; elsewhere ru_maxrss is what there is (KiB on Linux,
# bytes on macOS).
_PEAK = """
def _peak_kib():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak
"""

OURS = """
import sys
""" + _PEAK + """
from tui.cli import main
try:
    code = main(sys.argv[1:])
finally:
    sys.stdout.flush()
    print(f"maxrss_kib={_peak_kib()}", file=sys.stderr)
sys.exit(code)
"""

BASELINE = """
import sys
from pathlib import Path
""" + _PEAK + """
import yaml
for folder in sys.argv[1:]:
    for path in sorted(p for p in Path(folder).iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()):
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
print(f"maxrss_kib={_peak_kib()}", file=sys.stderr)
"""


def _library(folder: Path, count: int) -> Path:
    """Copies of the built-ins, each with an id of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(BUILTIN_DIR.glob("*.yaml"))
    for i in range(count):
        source = sources[i % len(sources)]
        text, n = re.subn(r"(?m)^id: (\S+)$", rf"id: \1-copy{i:04d}", source.read_text(), count=1)
        assert n == 1, source
        (folder / f"s{i:04d}-{source.name}").write_text(text)
    return folder


@pytest.fixture(scope="module")
def libraries(tmp_path_factory) -> dict[int, Path]:
    base = tmp_path_factory.mktemp("libraries")
    return {n: _library(base / f"lib{n}", n) for n in SIZES}


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDRILL_")}
    env["BREACHDRILL_DB"] = str(tmp / "drills.db")
    return env


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, the child's peak RSS in MiB, and its stdout."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    seconds = time.perf_counter() - start
    assert result.returncode == 0, result.stderr
    found = re.findall(r"maxrss_kib=(\d+)", result.stderr)
    assert found, result.stderr
    return seconds, int(found[-1]) / 1024, result.stdout


def test_scenarios_list_against_c_loader(libraries, tmp_path):
    env = _env(tmp_path)
    builtins = len(list(BUILTIN_DIR.glob("*.yaml")))
    ours: dict[int, list[tuple[float, float]]] = {n: [] for n in SIZES}
    base: dict[int, list[tuple[float, float]]] = {n: [] for n in SIZES}
    warm: dict[int, list[float]] = {n: [] for n in SIZES}  # a second list: the row cache warm
    for round_no in range(ROUNDS):
        for n in SIZES:
            folder = str(libraries[n])

            def run_ours(folder=folder, n=n, round_no=round_no):
                # A cache folder of its own: every file is read and validated (what a first list,
                # or a library changed since, costs); the warm list is timed below.
                cold = {**env, "XDG_CACHE_HOME": str(tmp_path / f"cold-{round_no}-{n}")}
                seconds, mib, out = _run(["-c", OURS, "scenarios", "list", "--library", folder], cold)
                rows = out.splitlines()[1:]  # under the header: one row per valid scenario
                assert len(rows) == builtins + n, out[-2000:]
                ours[n].append((seconds, mib))

            def run_warm(folder=folder, n=n):
                warm_env = {**env, "XDG_CACHE_HOME": str(tmp_path / "warm")}
                seconds, _, out = _run(["-c", OURS, "scenarios", "list", "--library", folder], warm_env)
                assert len(out.splitlines()[1:]) == builtins + n, out[-2000:]
                warm[n].append(seconds)

            def run_base(folder=folder, n=n):
                seconds, mib, _ = _run(["-c", BASELINE, str(BUILTIN_DIR), folder], env)
                base[n].append((seconds, mib))

            if round_no == 0:
                run_warm()  # fills the warm cache: not timed
                warm[n].clear()
            for run in ((run_ours, run_base, run_warm) if round_no % 2 == 0 else (run_warm, run_base, run_ours)):
                run()

    def med(runs, i):
        return statistics.median(r[i] for r in runs)

    t = {n: med(ours[n], 0) for n in SIZES}
    tb = {n: med(base[n], 0) for n in SIZES}
    m = {n: med(ours[n], 1) for n in SIZES}
    mb = {n: med(base[n], 1) for n in SIZES}
    per_file = {n: (t[n] - t[0]) / n for n in SIZES if n}
    per_file_base = {n: (tb[n] - tb[0]) / n for n in SIZES if n}

    print(f"\n`breachdrill scenarios list --library DIR` (+{builtins} built-ins) against the C loader "
          f"parsing the same files; medians of {ROUNDS} rounds")
    print(f"{'files':>6} {'list s':>8} {'C s':>7} {'ratio':>6} {'list MiB':>9} {'C MiB':>7} {'ratio':>6} "
          f"{'ms/file':>8} {'C ms/file':>10}")
    for n in SIZES:
        extra = f"{per_file[n] * 1000:8.2f} {per_file_base[n] * 1000:10.2f}" if n else f"{'-':>8} {'-':>10}"
        print(f"{n:>6} {t[n]:8.3f} {tb[n]:7.3f} {t[n] / tb[n]:5.2f}x "
              f"{m[n]:9.1f} {mb[n]:7.1f} {m[n] / mb[n]:5.2f}x {extra}")
    growth = {(a, b): per_file[b] / per_file[a] for a, b in ((10, 100), (100, 1000))}
    growth_base = {(a, b): per_file_base[b] / per_file_base[a] for a, b in ((10, 100), (100, 1000))}
    for (a, b), g in growth.items():
        print(f"cost per file {a} -> {b} files: {g:.2f}x (1.00 = linear; the C loader {growth_base[a, b]:.2f}x)")
    mib_per_file = (m[1000] - m[100]) / 900
    print(f"peak memory per added file (100 -> 1,000): {mib_per_file:.3f} MiB (files average "
          f"{sum(p.stat().st_size for p in libraries[1000].iterdir()) / 1000 / 1024:.0f} KiB)")
    print(f"1,000 files: {t[1000]:.2f} s, {m[1000]:.0f} MiB (before: 7-8 s, 535 MiB here; 8.3 s, 580 MiB reported); "
          f"goals: < {GOAL_LIST_S} s, < {GOAL_RATIO}x the C loader, growth < {GOAL_GROWTH}x, "
          f"< {GOAL_MIB_PER_FILE} MiB per file")

    tw = {n: statistics.median(warm[n]) for n in SIZES}
    print("second list, the row cache warm: " + ", ".join(
        f"{n:,} files {tw[n]:.3f} s ({tw[n] / t[n]:.2f}x the first)" for n in SIZES)
        + f"; goal at 1,000 files: < {GOAL_WARM_S} s")

    assert t[1000] < GOAL_LIST_S
    assert tw[1000] < GOAL_WARM_S
    assert t[1000] / tb[1000] < GOAL_RATIO
    assert growth[100, 1000] < GOAL_GROWTH
    assert mib_per_file < GOAL_MIB_PER_FILE


def test_gc_does_not_dominate_discover(libraries):
    folder = libraries[1000]
    discover([BUILTIN_DIR])  # playbooks, schemas: read once per process

    spent = [0.0]
    started = [0.0]

    def on_gc(phase, info):
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - started[0]

    def timed(pause) -> tuple[float, float]:
        gc.collect()
        spent[0] = 0.0
        library.gc_paused, real = pause, library.gc_paused
        gc.callbacks.append(on_gc)
        try:
            start = time.perf_counter()
            entries = discover([folder])
            total = time.perf_counter() - start
        finally:
            gc.callbacks.remove(on_gc)
            library.gc_paused = real
        assert len(entries) == FILES and all(e.ok for e in entries)
        del entries
        return total, spent[0]

    paused, paused_gc = timed(library.gc_paused)
    plain, plain_gc = timed(contextlib.nullcontext)  # what discover would cost with the GC left on
    print(f"\ndiscover {FILES} files in process: {paused:.2f} s, GC {paused_gc:.2f} s ({paused_gc / paused:.0%}); "
          f"with the GC left on: {plain:.2f} s, GC {plain_gc:.2f} s ({plain_gc / plain:.0%})")
    assert paused_gc / paused < GOAL_GC_SHARE


def _best_of(runs: int, fn) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def test_load_and_validate_against_c_loader(libraries):
    paths = sorted(libraries[1000].iterdir())
    load_scenario(paths[0])  # playbooks are read once per process; keep that out of both timings

    def parse_only():
        for path in paths:
            yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)

    def load_validate():
        for path in paths:
            assert load_scenario(path).ok

    baseline = _best_of(3, parse_only)
    ours = _best_of(3, load_validate)
    ratio = ours / baseline
    print(f"\n{FILES} files in process: C loader {baseline:.3f}s, load+validate {ours:.3f}s, "
          f"ratio {ratio:.2f}x (goal < 3x)")
    assert ratio < 3
