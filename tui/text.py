"""Text from files and users printed literally: terminal control sequences made visible."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls (which include CSI, 0x9b).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def literal(text: str) -> str:
    """`text` with every control character shown as an escape, so it cannot drive the terminal."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)
