"""What the command line and the app both need of text: file and user text shown literally
(terminal control sequences made visible), and files saved whole."""

from __future__ import annotations

import re

from scenarios.files import SaveError, chunks, save_text  # noqa: F401  (shared: the CLI and the app save here)

# C0 controls except tab and newline, DEL, and C1 controls (which include CSI, 0x9b).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def literal(text: str) -> str:
    """`text` with every control character shown as an escape, so it cannot drive the terminal."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)
