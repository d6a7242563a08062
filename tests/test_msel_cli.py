"""`breachdrill scenarios export | import` as a trainer runs them: the real command line in a
subprocess. Broken spreadsheets give one located line per problem, FILE:ROW:COLUMN, all in one
pass, exit 1, no traceback and nothing written; good ones go round to a scenario file that
validates as the built-in does."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import FIXTURES, ROOT, one_line_error, run_cli

from scenarios.folders import BUILTIN_DIR
from scenarios.loader import load_scenario, load_text
from scenarios.plural import counted

BROKEN = FIXTURES / "msel-broken"
DIR = "tests/fixtures/msel-broken"  # as run_cli's working folder names them

# Each file of the folder and the lines `scenarios import` gives for it: one per problem.
EXPECTED = {
    "bad-time.csv": [f"{DIR}/bad-time.csv:26:Scenario time: 'twenty' is not a number of minutes "
                     "(whole minutes, or H:MM)"],
    "unknown-step.csv": [f"{DIR}/unknown-step.csv:22:Steps: unknown step 'preserve-log' in playbook "
                         "'east-independence'; did you mean 'preserve-logs'?"],
    "missing-column.csv": [f"{DIR}/missing-column.csv:1:Answer kind: missing column: the header row needs "
                           "'Answer kind' (see `breachdrill scenarios import --help`)"],
    "empty.csv": [f"{DIR}/empty.csv:1: the file is empty: expected an MSEL with a header row"],
    "not-a-spreadsheet.xlsx": [f"{DIR}/not-a-spreadsheet.xlsx:1: not an xlsx workbook (an xlsx file is a zip "
                               "archive; this is not one)"],
    "several-problems.csv": [
        f"{DIR}/several-problems.csv:12:Inject: vendor_involved: 'perhaps' is not yes or no",
        f"{DIR}/several-problems.csv:21:Question: this cell is empty: an inject needs its question",
        f"{DIR}/several-problems.csv:24:Scenario time: 'ten' is not a number of minutes (whole minutes, or H:MM)",
        f"{DIR}/several-problems.csv:26:Row type: 'injct' is not a row type: one of scenario, inject, artifact, "
        "option; did you mean 'inject'?",
    ],
}


def refused(result, path: str) -> list[str]:
    """The problem lines of an import that wrote nothing: exit 1, no traceback, a count last."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    *lines, last = result.stderr.strip().splitlines()
    assert last == f"{counted(len(lines), 'problem')} in {path}; nothing written"
    return lines


def test_the_broken_folder_holds_exactly_the_files_described():
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_spreadsheet_is_one_located_line_per_problem_and_nothing_written(tmp_path, name):
    out = tmp_path / "out.yaml"
    result = run_cli("scenarios", "import", f"{DIR}/{name}", "-o", str(out))
    assert refused(result, f"{DIR}/{name}") == EXPECTED[name]
    assert not out.exists()


def test_a_csv_that_is_binary_and_a_damaged_workbook_are_one_line_each(tmp_path):
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert refused(run_cli("scenarios", "import", str(binary)), str(binary)) == [
        f"{binary}:1: not a CSV file: it holds binary data"]
    good = tmp_path / "good.xlsx"
    assert run_cli("scenarios", "export", "fixture-minimal", "--library", str(FIXTURES), "-o", str(good)
                   ).returncode == 0
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[:2000])  # a download that stopped half way
    assert refused(run_cli("scenarios", "import", str(cut)), str(cut)) == [
        f"{cut}:1: not an xlsx workbook (a damaged zip archive)"]


def minimal_xlsx(tmp_path) -> Path:
    path = tmp_path / "drill.xlsx"
    result = run_cli("scenarios", "export", str(FIXTURES / "minimal.yaml"), "-o", str(path))
    assert result.returncode == 0, result.stderr
    return path


def test_an_xlsx_names_the_sheet_and_the_column_of_every_problem_in_one_pass(tmp_path):
    path = minimal_xlsx(tmp_path)
    book = openpyxl.load_workbook(path)
    msel = book["MSEL"]
    headers = [cell.value for cell in msel[1]]
    rows = {row[headers.index("ID")].value: row for row in msel.iter_rows(min_row=2)
            if row[headers.index("Row type")].value == "inject"}
    rows["lock"][headers.index("Scenario time")].value = "half past"
    rows["found"][headers.index("Delivery method")].value = "fax"
    fields = book["Scenario"]
    for row in fields.iter_rows(min_row=2):
        if row[0].value == "vendor_involved":
            row[1].value = "maybe"
            fact_row = row[0].row
    book.save(path)
    lines = refused(run_cli("scenarios", "import", str(path)), str(path))
    lock_row, found_row = rows["lock"][0].row, rows["found"][0].row
    assert lines == [
        f"{path}:{found_row}:Delivery method: channel: Input should be 'email', 'phone', 'ticket', 'log' or 'news'",
        f"{path}:{lock_row}:Scenario time: 'half past' is not a number of minutes (whole minutes, or H:MM)",
        f"{path}[Scenario]:{fact_row}:Value: vendor_involved: 'maybe' is not yes or no",
    ]


@pytest.mark.parametrize("fmt", ["msel-csv", "msel-xlsx"])
def test_export_then_import_gives_a_file_that_validates_as_the_built_in(tmp_path, fmt):
    sheet = tmp_path / ("drill.csv" if fmt == "msel-csv" else "drill.xlsx")
    exported = run_cli("scenarios", "export", "stl-unpatched-system", "--format", fmt, "-o", str(sheet))
    assert exported.returncode == 0, exported.stderr
    assert exported.stderr.strip() == f"wrote {sheet}"
    target = tmp_path / "back.yaml"
    imported = run_cli("scenarios", "import", str(sheet), "-o", str(target))
    assert imported.returncode == 0, imported.stderr
    assert imported.stderr.strip() == f"wrote {target}"
    checked = run_cli("scenarios", "validate", str(target))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    original = load_scenario(BUILTIN_DIR / "stl-unpatched-system.yaml").scenario
    assert load_scenario(target).scenario == original
    text = target.read_text()
    assert "  body: |\n" in text  # long text as block scalars, as the built-ins write it


def test_csv_goes_to_standard_output_and_import_reads_it_back(tmp_path):
    result = run_cli("scenarios", "export", "ei-unsecured-pii")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('"Scenario time","Event synopsis","Inject",')
    sheet = tmp_path / "piped.csv"
    sheet.write_text(result.stdout, newline="")
    back = run_cli("scenarios", "import", str(sheet))
    assert back.returncode == 0, back.stderr
    assert load_text("back.yaml", back.stdout).scenario == load_scenario(BUILTIN_DIR / "ei-unsecured-pii.yaml").scenario


def test_xlsx_goes_to_a_pipe_but_never_to_a_terminal(tmp_path):
    command = [sys.executable, "-m", "tui.cli", "scenarios", "export", "ei-access-control", "--format", "msel-xlsx"]
    piped = subprocess.run(command, capture_output=True, cwd=ROOT, timeout=60)
    assert piped.returncode == 0, piped.stderr
    assert zipfile.ZipFile(__import__("io").BytesIO(piped.stdout)).testzip() is None
    main, replica = os.openpty()
    try:
        on_terminal = subprocess.run(command, stdout=replica, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                                     timeout=60)
    finally:
        os.close(replica)
        os.close(main)
    assert one_line_error(on_terminal) == ("breachdrill: error: msel-xlsx is a binary file: give -o FILE.xlsx, "
                                           "or redirect standard output")


def test_output_follows_the_rules_of_every_other_command(tmp_path):
    real = tmp_path / "real.xlsx"
    real.write_text("old")
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    assert one_line_error(run_cli("scenarios", "export", "ei-access-control", "-o", str(link))) == (
        f"breachdrill: error: -o {link}: file exists (add --force to replace it)")
    assert real.read_text() == "old"
    assert run_cli("scenarios", "export", "ei-access-control", "-o", str(link), "--force").returncode == 0
    assert link.is_symlink() and zipfile.is_zipfile(real)  # written through the link, which stays one
    assert one_line_error(run_cli("scenarios", "export", "ei-access-control", "-o", str(tmp_path))) == (
        f"breachdrill: error: -o {tmp_path}: is a directory; give a file name")
    assert run_cli("scenarios", "export", "ei-access-control", "--format", "msel-xlsx", "-o", os.devnull
                   ).returncode == 0
    assert one_line_error(run_cli("scenarios", "import", str(tmp_path / "nothing.xlsx"))) == (
        f"breachdrill: error: {tmp_path / 'nothing.xlsx'}: no such file or directory")


def test_help_explains_both_actions_and_the_layout():
    export = run_cli("scenarios", "export", "--help")
    assert export.returncode == 0
    assert "msel-csv" in export.stdout and "msel-xlsx" in export.stdout
    imported = run_cli("scenarios", "import", "--help")
    assert imported.returncode == 0
    for words in ("FILE:ROW:COLUMN", "Row type", "Scenario time", "Order key"):
        assert words in imported.stdout, imported.stdout
