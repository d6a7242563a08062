"""A spreadsheet file read into grids of cells: a CSV is one grid, an xlsx one per sheet used.

Whatever is wrong with the file as a whole (empty, binary, not a workbook, too big) is one
located problem; nothing here raises for a file's content."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..files import ReadRefused, read_limited
from . import columns as c
from .where import CellProblem

MAX_BYTES = 5 * 1024 * 1024  # a 200-inject MSEL is well under 1 MiB in either format
MAX_UNPACKED = 100 * 1024 * 1024  # an xlsx is a zip: what it unpacks to is bounded too
MAX_ROWS = 20_000  # 200 injects, each with its options and artifacts, and room to spare
ZIP_MAGIC = b"PK\x03\x04"


class Formula(str):
    """An xlsx cell holding a formula (its text): never taken as a value."""


Value = str | int | float | bool | object | None


@dataclass
class Grid:
    path: str  # as problems name it: "drill.csv", "drill.xlsx", "drill.xlsx[Scenario]"
    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[Value]]] = field(default_factory=list)  # (row number from 1, cells)


def whole_file(path: str, message: str) -> list[CellProblem]:
    return [CellProblem(path, 1, 0, message)]


def read(path: Path | str) -> tuple[list[Grid], list[CellProblem]]:
    """The main grid (and, for an xlsx, the Scenario sheet's grid when there is one)."""
    name = str(path)
    try:
        raw = read_limited(path, MAX_BYTES, "spreadsheets")
    except ReadRefused as exc:
        return [], whole_file(name, str(exc))
    if not raw.strip():
        return [], whole_file(name, "the file is empty: expected an MSEL with a header row")
    if raw.startswith(ZIP_MAGIC):
        return _xlsx(name, raw)
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return [], whole_file(name, "not an xlsx workbook (an xlsx file is a zip archive; this is not one)")
    if suffix not in (".csv", ".txt"):
        return [], whole_file(name, f"not a spreadsheet this reads ({suffix or 'no extension'}): "
                                    "save it as .xlsx or .csv")
    return _csv(name, raw)


# --- CSV ----------------------------------------------------------------------------------------


def _csv(name: str, raw: bytes) -> tuple[list[Grid], list[CellProblem]]:
    if b"\x00" in raw:
        return [], whole_file(name, "not a CSV file: it holds binary data")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], whole_file(name, f"not UTF-8 text (byte {exc.start + 1}): save the CSV as UTF-8")
    grid, number = Grid(name), 0
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), strict=True), start=1):
            if number > MAX_ROWS + 1:
                return [], whole_file(name, f"more than {MAX_ROWS:,} rows: not an MSEL")
            values = [c.line_breaks(c.unquoted_cell(cell)) if cell else None for cell in cells]
            if number == 1:
                grid.header = [cell or "" for cell in cells]
            else:
                grid.rows.append((number, values))
    except csv.Error as exc:
        return [], [CellProblem(name, number + 1, 0, f"not a CSV file this reads: {exc}")]
    return [grid], []


# --- xlsx ---------------------------------------------------------------------------------------


def _xlsx(name: str, raw: bytes) -> tuple[list[Grid], list[CellProblem]]:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return [], whole_file(name, "not an xlsx workbook (a damaged zip archive)")
    if unpacked > MAX_UNPACKED:
        return [], whole_file(name, f"the workbook unpacks to {unpacked:,} bytes; spreadsheets are limited "
                                    f"to {MAX_UNPACKED:,}")
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - a third-party parser on any file given: one line, not a traceback
        return [], whole_file(name, f"not an xlsx workbook openpyxl can read ({type(exc).__name__})")
    try:
        sheets = {sheet.title.casefold(): sheet for sheet in book.worksheets}
        if not sheets:
            return [], whole_file(name, "the workbook has no sheets")
        main = sheets.get(c.MAIN_SHEET.casefold(), book.worksheets[0])
        grids, problems = [], []
        for sheet, shown in ((main, name), (sheets.get(c.SCENARIO_SHEET.casefold()), None)):
            if sheet is None or (shown is None and sheet is main):
                continue
            grid, problem = _sheet_grid(sheet, shown or f"{name}[{sheet.title}]")
            grids.append(grid)
            problems += problem
        return grids, problems
    except Exception as exc:  # noqa: BLE001 - a damaged sheet inside a valid zip
        return [], whole_file(name, f"not an xlsx workbook openpyxl can read ({type(exc).__name__})")
    finally:
        book.close()


def _sheet_grid(sheet, path: str) -> tuple[Grid, list[CellProblem]]:
    grid = Grid(path)
    for number, row in enumerate(sheet.iter_rows(), start=1):
        if number > MAX_ROWS + 1:
            return grid, whole_file(path, f"more than {MAX_ROWS:,} rows: not an MSEL")
        values = [_value(cell) for cell in row]
        if number == 1:
            grid.header = ["" if v is None else str(v) for v in values]
        else:
            grid.rows.append((number, values))
    return grid, []


def _value(cell) -> Value:
    value = getattr(cell, "value", None)  # an empty cell of a read-only sheet has no value at all
    if getattr(cell, "data_type", None) == "f":
        return Formula(str(value))
    if isinstance(value, str):
        return c.line_breaks(value) if value else None
    return value
