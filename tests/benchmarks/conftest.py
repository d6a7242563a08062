import sys
from pathlib import Path

# Benchmarks share the tests' helpers (run_cli, fixtures).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
