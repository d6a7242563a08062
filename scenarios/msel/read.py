"""An MSEL spreadsheet back into a scenario: checked as a scenario file is, every problem at the
cell that holds it, and the scenario as YAML that reads like the built-ins."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import loader
from ..generate.yamltext import dump
from ..model import Scenario
from ..safe_text import literal_line
from . import columns as c
from . import sheet
from .rows import Reading, columns_of, read_fields, read_rows
from .where import Cell, CellProblem, CellSource


@dataclass
class Imported:
    path: str
    scenario: Scenario | None = None
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[CellProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not self.problems


def read(path: Path | str) -> Imported:
    """The scenario an MSEL file holds, or every problem found in it (one pass, capped as the
    loader caps a file's)."""
    name = str(path)
    grids, problems = sheet.read(path)
    if problems or not grids:
        return Imported(name, problems=problems)
    main, *others = grids
    reading = Reading()
    cols = columns_of(main, c.COLUMNS, c.REQUIRED, reading)
    anchor = Cell(main.path, 1, *cols[c.ROW_TYPE]) if cols else Cell(main.path, 1, 0, "")
    for grid in others:  # the xlsx's Scenario sheet
        anchor = Cell(grid.path, 1, 1, grid.header[0] if grid.header else c.FIELD)
        read_fields(grid, reading)
    if cols is None:
        return Imported(name, problems=_capped(reading.problems), warnings=reading.warnings)
    if not main.rows:
        return Imported(name, problems=[CellProblem(main.path, 1, 0, "no rows under the header: an MSEL needs "
                                                    "inject rows")])
    read_rows(main, cols, reading)
    for loc in (("injects",), ()):
        reading.cells.setdefault(loc, Cell(main.path, 1, cols[c.ROW_TYPE][0], cols[c.ROW_TYPE][1]))
    source = CellSource(name, reading.data(), reading.cells, anchor)
    # The loader's own checks (pydantic, the playbook's key, the branches, placeholders), run on
    # the sheet's data through a source that locates each at its cell.
    loaded = loader.load_source(name, source, [], keep_tree=True)  # type: ignore[arg-type]
    warnings = reading.warnings + list(loaded.warnings)
    # A cell already said to be wrong (a bad time) is not said again to be empty.
    said = {(p.path, p.line, p.col) for p in reading.problems}
    problems = reading.problems + [p for p in loaded.problems if (p.path, p.line, p.col) not in said]
    if problems:
        return Imported(name, problems=_capped(problems), warnings=warnings)
    return Imported(name, loaded.scenario, warnings=warnings)


def _capped(problems: list) -> list[CellProblem]:
    """In sheet order, at most the loader's MAX_PROBLEMS, and a last line saying when there were more."""
    shown = sorted({(p.path, p.line, p.col, p.message): p for p in problems}.items())
    kept = [p for _, p in shown[: loader.MAX_PROBLEMS]]
    if len(shown) > loader.MAX_PROBLEMS:
        kept.append(CellProblem(kept[-1].path, kept[-1].line, 0, f"more than {loader.MAX_PROBLEMS} problems: "
                                "only the first are listed; fix them and import again"))
    return kept


# --- YAML -----------------------------------------------------------------------------------------

_LIST_DEFAULTS = frozenset({"artifacts", "steps", "notifies", "harms", "keywords", "objectives"})


def _trimmed(value):
    """The dump without the fields a built-in leaves out: none, and the lists that default to empty."""
    if isinstance(value, dict):
        return {k: _trimmed(v) for k, v in value.items()
                if v is not None and not (k in _LIST_DEFAULTS and v == [])}
    if isinstance(value, list):
        return [_trimmed(v) for v in value]
    return value


def scenario_yaml(scenario: Scenario, source_name: str) -> str:
    header = (f"# Imported by `breachdrill scenarios import` from the MSEL {literal_line(Path(source_name).name)}.\n"
              "# `breachdrill scenarios export` writes it back as a spreadsheet.\n")
    return dump(_trimmed(scenario.model_dump(mode="json")), header)
