import sys
from pathlib import Path

# Benchmarks share the tests' helpers (run_cli, fixtures).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """A benchmark times one thing at a time: the test run's `-n` (pyproject's addopts) would
    run two beside each other on two cores and time them both slow. Named on the command line,
    this folder's conftest is read before xdist starts its workers, so it can say none."""
    if getattr(config.option, "numprocesses", None):
        config.option.numprocesses = 0
        config.option.dist = "no"
