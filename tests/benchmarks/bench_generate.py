"""Generate and validate 1,000 scenarios (every violation, city and difficulty in turn); report the rate.

Run: pytest tests/benchmarks/bench_generate.py -s
"""

import itertools
import time

from scenarios.generate import DIFFICULTIES, VIOLATIONS, generate
from scenarios.loader import load_text, playbooks

COUNT = 1000
FLOOR = 50  # scenarios per second; well under what a laptop does, so only a real regression fails


def test_generate_and_validate_1000_scenarios():
    combos = list(itertools.product(VIOLATIONS, sorted(playbooks()), DIFFICULTIES))
    load_text("warm.yaml", generate(*combos[0][:2], 0, combos[0][2]))  # playbooks are read once per process
    problems, generating, validating = [], 0.0, 0.0
    for seed in range(COUNT):
        violation, jurisdiction, difficulty = combos[seed % len(combos)]
        start = time.perf_counter()
        text = generate(violation, jurisdiction, seed, difficulty)
        middle = time.perf_counter()
        loaded = load_text(f"gen-{seed}.yaml", text)
        validating += time.perf_counter() - middle
        generating += middle - start
        problems += loaded.problems
    total = generating + validating
    print(
        f"\n{COUNT} scenarios: generate {generating:.2f}s + validate {validating:.2f}s = {total:.2f}s, "
        f"{COUNT / total:.0f} scenarios/s ({1000 * total / COUNT:.1f} ms each)"
    )
    assert problems == []
    assert COUNT / total > FLOOR
