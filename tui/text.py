"""What the command line and the app both need of text: file and user text shown literally
(terminal controls and bidi controls made visible: scenarios/safe_text.py holds the one rule, so
that scoring's reports and exports follow it too), tables cut to a width, and files saved whole."""

from __future__ import annotations

from scenarios.files import SaveError, chunks, save_text  # noqa: F401  (shared: the CLI and the app save here)
from scenarios.plural import counted  # noqa: F401  (one rule for counts in words, reports included)
from scenarios.safe_text import json_dumps, literal, literal_line  # noqa: F401  (every front end shows text so)

CELL_WIDTH = 60
"""The widest a text table's cell is shown (`cut`): one long team name or title must not pad every
row of a listing to its width. JSON output keeps everything."""


def cut(cell: str, width: int = CELL_WIDTH) -> str:
    """A (literal) table cell of at most `width` characters, ending in an ellipsis when cut."""
    return cell if len(cell) <= width else cell[: width - 1] + "…"

