"""Load and validate 1,000 scenario files, as a ratio to parsing them with PyYAML's C loader alone.

Run: pytest tests/benchmarks/bench_load.py -s   (goal: under 3x)
"""

import shutil
import time
from pathlib import Path

import yaml

from scenarios.library import BUILTIN_DIR
from scenarios.loader import load_scenario

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "minimal.yaml"
FILES = 1000


def _corpus(tmp_path: Path) -> list[Path]:
    sources = sorted(BUILTIN_DIR.glob("*.yaml")) or [FIXTURE]
    paths = []
    for i in range(FILES):
        path = tmp_path / f"s{i:04d}.yaml"
        shutil.copyfile(sources[i % len(sources)], path)
        paths.append(path)
    return paths


def _best_of(runs: int, fn) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def test_load_and_validate_against_c_loader(tmp_path):
    paths = _corpus(tmp_path)
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
    print(f"\n{FILES} files: C loader {baseline:.3f}s, load+validate {ours:.3f}s, ratio {ratio:.2f}x (goal < 3x)")
    assert ratio < 3
