"""Shared by tests and benchmarks: the real CLI in a subprocess, paths."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


def run_cli(
    *args: str, env: dict | None = None, input: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """The real command line in a subprocess, as a user would run it."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("BREACHDRILL_LIBRARY", "BREACHDRILL_DB")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
        input=input,
        timeout=timeout,
    )


def one_line_error(result) -> str:
    """A command's refusal: exit 2, no traceback, one line on stderr (returned)."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]
