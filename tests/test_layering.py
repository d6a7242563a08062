"""The domain core is usable without the terminal UI: scenarios and scoring never import Textual."""

import subprocess
import sys

from helpers import ROOT


def test_scenarios_and_scoring_do_not_import_textual():
    code = (
        "import sys, pkgutil, importlib, scenarios, scoring\n"
        "for pkg in (scenarios, scoring):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_command_line_subcommands_do_not_load_textual():
    code = (
        "import sys\nfrom tui.cli import main\nmain(['scenarios', 'schema'])\n"
        "print('textual' in sys.modules, file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "False"


def test_building_the_command_line_loads_no_domain_models():
    """Every start of `breachdrill` builds the parser first: it must stay cheap."""
    code = (
        "import sys\nfrom tui.cli import build_parser\nbuild_parser()\n"
        "print(','.join(sorted(m for m in ('pydantic', 'faker', 'yaml', 'scenarios.events',"
        " 'scenarios.exercise', 'scoring.history')"
        " if m in sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
