"""Problems located at spreadsheet cells: FILE:ROW:COLUMN-HEADER, and a stand-in for the YAML
source the loader's checks locate through, so a scenario read from a sheet is checked by the very
same code as a scenario file and every problem names the cell that holds the value."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..yamlsource import Problem


@dataclass(frozen=True, order=True)
class CellProblem(Problem):
    """`line` is the row, `col` the column's place (for sorting; 0: the whole row or file) and
    `column` its header, as the sheet spells it."""

    column: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Cell:
    path: str
    row: int
    index: int  # the column's place, from 1
    header: str

    def problem(self, message: str) -> CellProblem:
        return CellProblem(self.path, self.row, self.index, message, self.header)


_MISSING = re.compile(r"^missing field '(.+)'$")


def _owner(loc: tuple) -> str:
    if len(loc) >= 4 and loc[2] == "options":
        return "an option"
    if len(loc) >= 4 and loc[2] == "artifacts":
        return "an artifact"
    if len(loc) >= 2 and loc[0] == "injects":
        return "an inject"
    return "the scenario"


class CellSource:
    """What `loader.load_source` asks of a source: the data, and a problem at a data path (here the
    cell the value came from, or the nearest row or sheet that holds it)."""

    def __init__(self, path: str, data: dict, cells: dict[tuple, Cell], anchor: Cell) -> None:
        self.path, self.data, self.cells, self.anchor = path, data, cells, anchor

    def problem(self, loc: tuple, message: str, *, at_key: bool = False) -> CellProblem:
        loc = tuple(loc)
        missing = _MISSING.match(message)
        if missing and (cell := self.cells.get(loc + (missing.group(1),))) is not None:
            return cell.problem(f"this cell is empty: {_owner(loc + ('',))} needs its {missing.group(1)}")
        if missing and loc in ((), ("facts",)):
            return self.anchor.problem(f"no '{missing.group(1)}' row: the scenario needs one")
        while loc and loc not in self.cells:
            loc = loc[:-1]
        return self.cells.get(loc, self.anchor).problem(message)

    def problem_in_text(self, loc: tuple, offset: int, message: str) -> CellProblem:
        return self.problem(loc, message)

    def locations(self, wanted) -> CellSource:
        return self
