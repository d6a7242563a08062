"""The library table's cells and column widths: the title gets what the table has left, and the
optional columns give way while the title would be cut short (the preview still names both)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...text import counted
from .literal import rich

if TYPE_CHECKING:
    from rich.text import Text

    from scenarios.catalog import Row

COLUMNS = ("Violation", "Jurisdiction", "Level", "Injects")
# Given up in this order while the title would be cut short (the preview still names both).
OPTIONAL = ("Injects", "Level")
TITLE_ROOM = 40  # a title this wide reads well enough to keep the optional columns beside it
CELL_PADDING = 2  # DataTable's cell_padding, one cell each side


def shown_path(path: str) -> str:
    """A file's name and its folder's name: enough to find it, without a machine's home path."""
    p = Path(path)
    return f"{p.parent.name}/{p.name}" if p.parent.name else p.name


def row_cells(r: Row, title_width: int, columns: int) -> list[Text | str]:
    """A row's title cut to `title_width` (cut titles say so; the preview has them whole), then
    its first `columns` other cells; an invalid or unchecked file is named by its path."""
    if r.ok:
        row = (r.title, rich(r.violation), rich(r.jurisdiction), rich(r.difficulty), str(r.injects))
    elif r.pending:
        row = (shown_path(r.path), rich("checking...", "dim"), "", "", "")
    else:
        row = (shown_path(r.path), rich("INVALID", "bold red"), rich(counted(len(r.problems), "problem")), "", "")
    title_cell = rich(row[0], "" if r.ok else "italic")
    title_cell.truncate(title_width, overflow="ellipsis")
    return [title_cell, *row[1 : columns + 1]]


def column_widths(rows: list[Row], available: int) -> tuple[int, dict[str, int]]:
    """The title's width and the other columns' (each its content's) in `available` cells."""
    from rich.cells import cell_len

    widths = dict.fromkeys(COLUMNS, 0)
    for name in COLUMNS:
        widths[name] = cell_len(name)
    longest = 0
    for r in rows:
        if r.ok:
            values = (r.violation, r.jurisdiction, r.difficulty, str(r.injects))
            longest = max(longest, cell_len(r.title))
        else:
            values = ("checking...", "") if r.pending else ("INVALID", counted(len(r.problems), "problem"))
            longest = max(longest, cell_len(shown_path(r.path)))
        for name, value in zip(COLUMNS, values, strict=False):
            widths[name] = max(widths[name], cell_len(value))

    def left() -> int:
        return available - sum(widths.values()) - CELL_PADDING * (len(widths) + 1)

    needed = min(longest, max(TITLE_ROOM, available // 2))
    for name in OPTIONAL:
        if left() >= needed:
            break
        del widths[name]
    return max(8, left()), widths
