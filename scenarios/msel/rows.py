"""Grids of cells to scenario data, each value remembered at the cell it came from.

Every row is read, whatever is wrong with the others: all of a sheet's problems come in one pass."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from ..checks import hint
from ..yamlsource import quoted
from . import columns as c
from .sheet import Formula, Grid, Value
from .where import Cell, CellProblem

# Which columns a row of each type fills, and the field each one gives.
INJECT_FIELDS = {
    c.ID: "id", c.SCENARIO_TIME: "at", c.SYNOPSIS: "title", c.CONTROLLER: "sender", c.DELIVERY: "channel",
    c.SUBJECT: "subject", c.INJECT: "body", c.QUESTION: "question", c.KIND: "kind", c.LIMIT: "limit",
    c.ORDER_KEY: "key", c.NEXT: "next", c.NOTES: "notes", c.RESPONSE: "debrief",
}
ARTIFACT_FIELDS = {c.DELIVERY: "kind", c.SYNOPSIS: "title", c.INJECT: "content"}
OPTION_FIELDS = {
    c.ID: "id", c.INJECT: "text", c.STEPS: "steps", c.NOTIFIES: "notifies", c.HARMS: "harms", c.NEXT: "next",
    c.KEYWORDS: "keywords", c.NOTES: "notes", c.RESPONSE: "debrief",
}
SCENARIO_ROW_FIELDS = {c.SYNOPSIS: "field", c.INJECT: "value"}
FIELDS = {c.INJECT_ROW: INJECT_FIELDS, c.ARTIFACT_ROW: ARTIFACT_FIELDS, c.OPTION_ROW: OPTION_FIELDS,
          c.SCENARIO_ROW: SCENARIO_ROW_FIELDS}
ID_FIELDS = frozenset({"id", "channel", "kind", "next", "start", "violation", "jurisdiction", "difficulty"})
LIST_FIELDS = frozenset({"steps", "notifies", "harms", "key"})
YES, NO = frozenset({"yes", "y", "true", "1"}), frozenset({"no", "n", "false", "0"})


@dataclass
class Reading:
    """What the sheets have given so far."""

    injects: list[dict] = field(default_factory=list)
    scenario: dict = field(default_factory=dict)
    facts: dict = field(default_factory=dict)
    objectives: list[str] = field(default_factory=list)
    cells: dict[tuple, Cell] = field(default_factory=dict)
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[CellProblem] = field(default_factory=list)
    seen_fields: dict[str, int] = field(default_factory=dict)

    def data(self) -> dict:
        data = dict(self.scenario)
        if self.objectives:
            data["objectives"] = self.objectives
        data["facts"] = self.facts
        data["injects"] = self.injects
        order = ("id", "title", "violation", "jurisdiction", "difficulty", "summary", "objectives", "facts",
                 "start", "injects")
        return {k: data[k] for k in order if k in data}


# --- headers --------------------------------------------------------------------------------------


def columns_of(grid: Grid, known: tuple[str, ...], required: tuple[str, ...], reading: Reading
               ) -> dict[str, tuple[int, str]] | None:
    """{known column: (its place from 1, its header as spelled)}; None when a required one is missing."""
    by_key = {c.header_key(name): name for name in known}
    if not any(c.header_key(header) in by_key for header in grid.header):
        what = "is empty" if not any(header.strip() for header in grid.header) else "names none of its columns"
        reading.problems.append(CellProblem(grid.path, 1, 0, f"not an MSEL: the header row {what} (expected "
                                            f"{', '.join(required)}, ...)"))
        return None
    found: dict[str, tuple[int, str]] = {}
    for index, header in enumerate(grid.header, start=1):
        if not header.strip():
            continue
        name = by_key.get(c.header_key(header))
        if name is None:
            reading.warnings.append(CellProblem(grid.path, 1, index, f"warning: column {quoted(header)} is not "
                                                f"read{hint(header, known)}", header))
        elif name in found:
            reading.problems.append(CellProblem(grid.path, 1, index, f"column {quoted(header)} appears twice "
                                                f"(also column {found[name][0]})", header))
        else:
            found[name] = (index, header)
    missing = [name for name in required if name not in found]
    for name in missing:
        place = len(grid.header) + 1
        reading.problems.append(CellProblem(grid.path, 1, place, f"missing column: the header row needs "
                                            f"{quoted(name)} (see `breachdrill scenarios import --help`)", name))
    return None if missing or any(p.line == 1 and p.path == grid.path for p in reading.problems) else found


# --- values ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    """A cell that holds no value of its field's kind: the message says why."""

    message: str


def _text(value: Value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def _whole(value: Value, what: str) -> int | str:
    """A whole number, or the message saying why the cell is not one."""
    if isinstance(value, bool):
        return f"{quoted(_text(value))} is not a number of {what}"
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if what == "minutes" and isinstance(value, datetime.time):
        return value.hour * 60 + value.minute
    if what == "minutes" and isinstance(value, datetime.timedelta):
        return int(value.total_seconds() // 60)
    text = _text(value).strip()
    hours, colon, minutes = text.partition(":")
    if what == "minutes" and colon and hours.isdigit() and minutes.isdigit() and len(minutes) == 2:
        return int(hours) * 60 + int(minutes)  # "1:30", as a clock reads
    try:
        return int(text)
    except ValueError:
        extra = " (whole minutes, or H:MM)" if what == "minutes" else ""
        return f"{quoted(text)} is not a number of {what}{extra}"


def _flag(value: Value) -> bool | Bad:
    if isinstance(value, bool):
        return value
    text = _text(value).strip().casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    return Bad(f"{quoted(_text(value))} is not yes or no")


def convert(name: str, value: Value) -> object:
    """A cell's value as the scenario format's field holds it; a str message in a `Bad`."""
    if name in ("at", "limit", "residents_affected"):
        got = _whole(value, "minutes" if name == "at" else "seconds" if name == "limit" else "residents")
        return Bad(got) if isinstance(got, str) else got
    if name in LIST_FIELDS:
        return c.split_ids(_text(value))
    if name == "keywords":
        return c.split_lines(_text(value))
    if name in ID_FIELDS:
        return _text(value).strip()
    return _text(value)


# --- rows -----------------------------------------------------------------------------------------


@dataclass
class _Row:
    """One row of the main sheet, its cells by column name."""

    grid: Grid
    cols: dict[str, tuple[int, str]]
    number: int
    values: list[Value]
    reading: Reading

    def cell(self, column: str) -> Cell:
        place, header = self.cols.get(column, (0, column))
        return Cell(self.grid.path, self.number, place, header)

    def value(self, column: str) -> Value:
        place = self.cols.get(column, (0, ""))[0]
        value = self.values[place - 1] if 0 < place <= len(self.values) else None
        if isinstance(value, Formula):
            self.reading.problems.append(self.cell(column).problem(
                "a formula: the import reads only values (type the text itself)"))
            return None
        return None if isinstance(value, str) and not value.strip() and column != c.INJECT else value

    def blank(self) -> bool:
        return all(v is None or (isinstance(v, str) and not v.strip()) for v in self.values)

    def warn_unused(self, fields: dict[str, str], row_type: str) -> None:
        """A value in a column this row type does not have would be lost: said, never silently."""
        for column in self.cols:
            if column not in fields and column not in c.NOT_READ and column != c.ROW_TYPE \
                    and self.value(column) is not None:
                self.reading.warnings.append(self.cell(column).problem(f"warning: not read on an {row_type} row"))


def read_rows(grid: Grid, cols: dict[str, tuple[int, str]], reading: Reading) -> None:
    """The main sheet's rows, in order: each option and artifact belongs to the inject above it."""
    orphans = False  # under an inject row whose type is misspelt: not given to the inject above it
    for number, values in grid.rows:
        row = _Row(grid, cols, number, values, reading)
        if row.blank():
            continue  # a blank row, left for readability
        raw_type = row.value(c.ROW_TYPE)
        row_type = _text(raw_type).strip().casefold() if raw_type is not None else ""
        if row_type not in FIELDS:
            shown = f"{quoted(_text(raw_type))} is not a row type" if row_type else "empty"
            reading.problems.append(row.cell(c.ROW_TYPE).problem(
                f"{shown}: one of {', '.join(c.ROW_TYPES)}{hint(row_type, c.ROW_TYPES) if row_type else ''}"))
            orphans = orphans or row.value(c.QUESTION) is not None or row.value(c.SCENARIO_TIME) is not None
            continue
        if row_type in (c.INJECT_ROW, c.SCENARIO_ROW):
            orphans = False
        elif orphans:
            continue
        _read_row(row, row_type)


def _read_row(row: _Row, row_type: str) -> None:
    reading, fields = row.reading, FIELDS[row_type]
    given = {column: row.value(column) for column in fields}
    row.warn_unused(fields, row_type)
    if row_type == c.SCENARIO_ROW:
        scenario_field(row.cell(c.SYNOPSIS), given[c.SYNOPSIS], row.cell(c.INJECT), given[c.INJECT], reading)
        return
    if row_type != c.INJECT_ROW and not reading.injects:
        reading.problems.append(row.cell(c.ROW_TYPE).problem(
            f"an {row_type} row belongs to the inject row above it, and there is none"))
        return
    if row_type == c.INJECT_ROW:
        entry: dict = {"artifacts": [], "options": []}
        reading.injects.append(entry)
        loc: tuple = ("injects", len(reading.injects) - 1)
    else:
        owner = reading.injects[-1]
        group = "options" if row_type == c.OPTION_ROW else "artifacts"
        entry = {}
        owner[group].append(entry)
        loc = ("injects", len(reading.injects) - 1, group, len(owner[group]) - 1)
    reading.cells[loc] = row.cell(c.ID if row_type != c.ARTIFACT_ROW else c.INJECT)
    for column, name in fields.items():
        reading.cells[loc + (name,)] = row.cell(column)
        value = given[column]
        if value is None:
            continue
        converted = convert(name, value)
        if isinstance(converted, Bad):
            reading.problems.append(row.cell(column).problem(converted.message))
        elif converted != [] and converted != "":
            entry[name] = converted


def read_fields(grid: Grid, reading: Reading) -> None:
    """The xlsx's Scenario sheet: a Field and a Value a row."""
    cols = columns_of(grid, (c.FIELD, c.VALUE), (c.FIELD, c.VALUE), reading)
    for number, values in grid.rows if cols else ():
        row = _Row(grid, cols, number, values, reading)
        if not row.blank():
            scenario_field(row.cell(c.FIELD), row.value(c.FIELD), row.cell(c.VALUE), row.value(c.VALUE), reading)


def scenario_field(name_cell: Cell, name: Value, value_cell: Cell, value: Value, reading: Reading) -> None:
    """One of the scenario's own fields (a "scenario" row, or a row of the Scenario sheet)."""
    if name is None:
        reading.problems.append(name_cell.problem(f"empty: the name of a scenario field "
                                                  f"({', '.join(c.SCENARIO_FIELDS)} or a fact)"))
        return
    key = c.field_key(_text(name))
    known = c.SCENARIO_FIELDS + c.FACTS
    if key not in known:
        reading.problems.append(name_cell.problem(f"{quoted(_text(name))} is not a scenario field or a fact"
                                                  f"{hint(key, known)}"))
        return
    if key != c.OBJECTIVE and key in reading.seen_fields:
        reading.problems.append(name_cell.problem(f"{quoted(key)} is given twice (also row "
                                                  f"{reading.seen_fields[key]})"))
        return
    reading.seen_fields[key] = name_cell.row
    if value is None or (isinstance(value, str) and not value.strip()):
        reading.problems.append(value_cell.problem(f"this cell is empty: give the value of {quoted(key)} "
                                                   "(or delete the row)"))
        return
    if key == c.OBJECTIVE:
        reading.cells.setdefault(("objectives",), value_cell)
        reading.cells[("objectives", len(reading.objectives))] = value_cell
        reading.objectives.append(_text(value))
        return
    if key in c.FACTS:
        reading.cells.setdefault(("facts",), value_cell)
    reading.cells[("facts", key) if key in c.FACTS else (key,)] = value_cell
    converted = convert(key, value) if key not in c.FACTS or key in c.NUMBER_FACTS else _flag(value)
    if isinstance(converted, Bad):
        reading.problems.append(value_cell.problem(f"{key}: {converted.message}"))
    else:
        (reading.facts if key in c.FACTS else reading.scenario)[key] = converted
