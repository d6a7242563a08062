"""The code's shape, enforced: import contracts (import-linter, configured in pyproject.toml) and
the linter (ruff). Each contract is also broken on purpose in a scratch copy, to show it bites."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], capture_output=True, text=True, cwd=root,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, timeout=120)


def _scratch(tmp_path: Path) -> Path:
    root = tmp_path / "copy"
    root.mkdir()
    for name in ("scenarios", "scoring", "tui"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def test_the_import_contracts_hold():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("tui/app/widgets/footer.py", "from tui.app.screens import library", "Widgets never import screens"),
    ("tui/cli/results.py", "import tui.app.screens.review", "the CLI only launches the others"),
    ("tui/app/screens/export.py", "from tui.cli import common", "the CLI only launches the others"),
    ("tui/web/server.py", "import tui.app.screens.console", "the CLI only launches the others"),
    ("scoring/history.py", "import textual.widgets", "The core never imports Textual"),
    ("scenarios/model.py", "import scoring.store", "never upwards"),
])
def test_a_wrong_import_in_a_scratch_copy_breaks_its_contract(tmp_path, module, line, contract):
    root = _scratch(tmp_path)
    target = root / module
    target.write_text(target.read_text() + f"\n\ndef _wrong():\n    {line}\n")
    result = _lint_imports(root)
    assert result.returncode != 0
    broken = [row for row in result.stdout.splitlines() if " BROKEN" in row]
    assert len(broken) == 1 and contract in broken[0], result.stdout


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
