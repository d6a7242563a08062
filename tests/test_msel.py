"""Scenarios as HSEEP MSEL spreadsheets: every built-in survives export and import in both
formats (same model, same YAML check, same scorecards), the sheet reads as an MSEL, and no cell
can run as a formula yet every one reads back to its exact text."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from _drill_fixtures import as_answers, library, play
from helpers import FIXTURES

from scenarios.guide import answers as guide_answers
from scenarios.loader import load_text
from scenarios.msel import columns, read, write
from scoring.score import score

LIBRARY = library()
HSEEP = ["Scenario time", "Event synopsis", "Inject", "Responsible controller", "Intended player",
         "Expected player response", "Objective or capability", "Delivery method", "Evaluator notes"]


def export(tmp_path, scenario, key, fmt: str):
    path = tmp_path / f"{scenario.id}.{fmt}"
    if fmt == "csv":
        path.write_text(write.csv_text(scenario, key), encoding="utf-8", newline="")
    else:
        path.write_bytes(write.xlsx_bytes(scenario, key))
    return path


def cards(scenario, key, choices):
    events = play(scenario, as_answers(scenario, choices))
    return {team: card.to_dict() for team, card in score(scenario, key, events).items()}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("entry", LIBRARY, ids=[scenario.id for _, scenario, _ in LIBRARY])
def test_every_built_in_round_trips_to_the_same_scenario_and_the_same_scores(tmp_path, entry, fmt):
    _, original, key = entry
    imported = read.read(export(tmp_path, original, key, fmt))
    assert imported.ok, [str(p) for p in imported.problems]
    assert imported.warnings == []
    assert imported.scenario == original  # every field, every text with its line breaks

    # The YAML the import writes validates as a scenario file and loads to the same scenario.
    loaded = load_text("imported.yaml", read.scenario_yaml(imported.scenario, f"x.{fmt}"))
    assert loaded.ok, [str(p) for p in loaded.problems]
    assert loaded.scenario == original
    assert loaded.key.applicable_steps == key.applicable_steps

    # Played the same way, the two score the same, finding for finding: the guide answers and
    # the most harmful ones.
    for harmful in (False, True):
        choices = guide_answers(original, key, harmful=harmful)
        assert cards(loaded.scenario, loaded.key, choices) == cards(original, key, choices)


def test_the_xlsx_reads_as_an_msel_hseep_columns_first_frozen_header_scenario_sheet(tmp_path):
    _, scenario, key = LIBRARY[0]
    book = openpyxl.load_workbook(export(tmp_path, scenario, key, "xlsx"))
    assert book.sheetnames == ["MSEL", "Scenario"]
    sheet = book["MSEL"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[: len(HSEEP)] == HSEEP
    assert headers[len(HSEEP):][:2] == ["Row type", "ID"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    first = sheet[2]
    by_header = dict(zip(headers, first, strict=True))
    inject = scenario.injects[0]
    assert by_header["Row type"].value == "inject"
    assert by_header["Scenario time"].value == inject.at
    assert by_header["Event synopsis"].value == inject.title
    assert by_header["Inject"].value == inject.body
    assert by_header["Inject"].alignment.wrap_text
    assert sheet.column_dimensions["C"].width >= 60  # the inject's text has room
    # One row per inject, its artifacts and its options beneath it.
    types = [row[headers.index("Row type")].value for row in sheet.iter_rows(min_row=2)]
    assert types.count("inject") == len(scenario.injects)
    assert types.count("option") == sum(len(i.options) for i in scenario.injects)
    fields = {row[0].value: row[1].value for row in book["Scenario"].iter_rows(min_row=2)}
    assert fields["title"] == scenario.title and fields["jurisdiction"] == scenario.jurisdiction


def test_the_csv_has_the_hseep_headers_in_order_and_its_scenario_rows_first(tmp_path):
    _, scenario, key = LIBRARY[0]
    rows = list(csv.reader(io.StringIO(write.csv_text(scenario, key), newline="")))
    assert rows[0][: len(HSEEP)] == HSEEP
    assert rows[0] == list(columns.COLUMNS)
    kind = rows[0].index("Row type")
    assert rows[1][kind] == "scenario" and rows[1][1:3] == ["id", scenario.id]
    first_inject = next(i for i, row in enumerate(rows) if row[kind] == "inject")
    assert all(row[kind] == "scenario" for row in rows[1:first_inject])


RISKY = ["'quoted", "=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "@SUM(A1)", "\tindented"]


def risky_scenario():
    """A built-in whose texts start with what a spreadsheet would run, or with a quote."""
    _, scenario, key = LIBRARY[0]
    first = scenario.injects[0]
    options = [o.model_copy(update={"text": RISKY[k % len(RISKY)]}) for k, o in enumerate(first.options)]
    body = "- a list line\n= not a formula\n" + first.body
    changed = first.model_copy(update={"title": "=1+1", "body": body, "sender": "@everyone",
                                       "question": "-what now?", "subject": "''=twice", "options": options})
    return scenario.model_copy(update={"injects": [changed, *scenario.injects[1:]],
                                       "title": "+ cmd|' /C calc'!A0"}), key


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted_and_read_back_exactly(tmp_path):
    scenario, key = risky_scenario()
    path = export(tmp_path, scenario, key, "csv")
    cells = [cell for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")) for cell in row]
    assert cells, "the export is empty"
    assert not [cell for cell in cells if cell.startswith(columns.FORMULA_START)]
    assert "'=1+1" in cells and "'@everyone" in cells
    assert any(cell.startswith("'- a list line\n= not a formula\n") for cell in cells)
    # A text starting with a quote gets one more, and reading drops exactly one.
    assert "''quoted" in cells and "'''=twice" in cells
    imported = read.read(path)
    assert imported.ok, [str(p) for p in imported.problems]
    assert imported.scenario == scenario


def test_xlsx_cells_that_a_spreadsheet_would_run_are_text_never_formulas_and_read_back_exactly(tmp_path):
    scenario, key = risky_scenario()
    path = export(tmp_path, scenario, key, "xlsx")
    sheet = openpyxl.load_workbook(path)["MSEL"]
    values = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    risky = [cell for cell in values if cell.value.startswith(columns.FORMULA_START)]
    assert {cell.value for cell in risky} >= {"=1+1", "@everyone", "-what now?"}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in risky)  # shown as typed, never run
    imported = read.read(path)
    assert imported.ok, [str(p) for p in imported.problems]
    assert imported.scenario == scenario


def test_a_formula_typed_into_an_xlsx_is_a_located_problem_not_a_value(tmp_path):
    _, scenario, key = LIBRARY[0]
    path = export(tmp_path, scenario, key, "xlsx")
    book = openpyxl.load_workbook(path)
    book["MSEL"]["B2"] = "=CONCAT(\"a\",\"b\")"  # Event synopsis of the first inject
    book.save(path)
    imported = read.read(path)
    assert [str(p) for p in imported.problems] == [
        f"{path}:2:Event synopsis: a formula: the import reads only values (type the text itself)"]


def minimal_rows(tmp_path):
    """The smallest fixture scenario exported, as CSV rows to change."""
    from scenarios.loader import load_scenario

    loaded = load_scenario(FIXTURES / "minimal.yaml")
    return list(csv.reader(io.StringIO(write.csv_text(loaded.scenario, loaded.key), newline=""))), loaded.scenario


def save_rows(tmp_path, rows, name="drill.csv"):
    path = tmp_path / name
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


def test_a_column_the_import_does_not_read_and_a_value_a_row_type_lacks_are_warnings(tmp_path):
    rows, scenario = minimal_rows(tmp_path)
    rows[0].append("Status")  # the trainer's own column
    for row in rows[1:]:
        row.append("ready")
    option = next(i for i, row in enumerate(rows) if row[rows[0].index("Row type")] == "option")
    rows[option][rows[0].index("Scenario time")] = "5"  # options have no time of their own
    path = save_rows(tmp_path, rows)
    imported = read.read(path)
    assert imported.ok and imported.scenario == scenario  # warnings never fail an import
    assert [str(w) for w in imported.warnings] == [
        f"{path}:1:Status: warning: column 'Status' is not read",
        f"{path}:{option + 1}:Scenario time: warning: not read on an option row",
    ]


def test_a_csv_that_is_not_an_msel_and_a_header_with_no_rows_are_one_line_each(tmp_path):
    other = tmp_path / "contacts.csv"
    other.write_text("Name,Email\nPat,pat@example.org\n")
    assert [str(p) for p in read.read(other).problems] == [
        f"{other}:1: not an MSEL: the header row names none of its columns (expected Row type, ID, Scenario "
        "time, Event synopsis, Inject, Responsible controller, Delivery method, Question, Answer kind, ...)"]
    rows, _ = minimal_rows(tmp_path)
    header_only = save_rows(tmp_path, rows[:1], "header.csv")
    assert [str(p) for p in read.read(header_only).problems] == [
        f"{header_only}:1: no rows under the header: an MSEL needs inject rows"]


def test_an_option_above_every_inject_and_a_column_given_twice_are_located(tmp_path):
    rows, _ = minimal_rows(tmp_path)
    kind = rows[0].index("Row type")
    first_inject = next(i for i, row in enumerate(rows) if row[kind] == "inject")
    option = next(i for i, row in enumerate(rows) if row[kind] == "option")
    rows.insert(first_inject, rows.pop(option))
    path = save_rows(tmp_path, rows)
    assert f"{path}:{first_inject + 1}:Row type: an option row belongs to the inject row above it, and there is " \
           "none" in [str(p) for p in read.read(path).problems]
    rows[0][rows[0].index("Subject")] = "id"
    twice = save_rows(tmp_path, rows, "twice.csv")
    assert [str(p) for p in read.read(twice).problems] == [
        f"{twice}:1:id: column 'id' appears twice (also column {rows[0].index('ID') + 1})"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_keyword_written_over_two_lines_comes_back_on_one_and_scores_the_same(tmp_path, fmt):
    # A keywords cell holds one keyword a line, so a keyword the YAML wrapped over two lines (or
    # padded with spaces) is written on one: matching takes any run of spaces and breaks as one.
    text = (FIXTURES / "kinds" / "kinds.yaml").read_text().replace(
        "keywords: [City IT, told IT, reported]", 'keywords: ["City\\n   IT", "  told IT ", reported]')
    original = load_text("wrapped.yaml", text)
    assert original.ok, [str(p) for p in original.problems]
    imported = read.read(export(tmp_path, original.scenario, original.key, fmt))
    assert imported.ok, [str(p) for p in imported.problems]
    (free,) = [inject for inject in imported.scenario.injects if inject.kind == "free"]
    assert free.options[0].keywords == ["City IT", "told IT", "reported"]
    others = as_answers(original.scenario, guide_answers(original.scenario, original.key))
    seen = set()
    for answer in ("We told City\nIT at once.", "We told the city.", "Reported it; told IT."):
        answers = others | {free.id: answer}
        before, after = (score(s, original.key, play(s, answers))["blue"].to_dict()
                         for s in (original.scenario, imported.scenario))
        assert before == after
        seen.add(tuple(credit for entry in before["free_answers"] for credit in entry["credited"]))
    assert seen == {("a",), ()}  # "City IT" over a line break still matches; "the city" does not


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_carriage_returns_in_a_text_come_back_as_line_breaks_and_score_the_same(tmp_path, fmt):
    # An xlsx cannot hold a carriage return (its XML reads one back as a line break), and a CSV
    # saved on Windows may hold "\r\n" inside a cell: both formats read every break as "\n", so
    # the app never shows a visible "\r" and the two spreadsheets import the same scenario.
    _, scenario, key = LIBRARY[0]
    first = scenario.injects[0]
    body = "Call logged.\r\nCaller on hold.\rScreenshot attached.\r"
    with_cr = scenario.model_copy(update={"injects": [first.model_copy(update={"body": body}),
                                                      *scenario.injects[1:]]})
    imported = read.read(export(tmp_path, with_cr, key, fmt))
    assert imported.ok, [str(p) for p in imported.problems]
    assert imported.scenario.injects[0].body == "Call logged.\nCaller on hold.\nScreenshot attached.\n"
    assert imported.scenario.injects[1:] == with_cr.injects[1:]
    choices = guide_answers(with_cr, key)
    assert cards(imported.scenario, key, choices) == cards(with_cr, key, choices)
