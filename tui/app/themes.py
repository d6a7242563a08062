"""The app's two themes: their names (which settings and warnings need, without Textual) and
their colours (built when the app starts)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.theme import Theme

THEMES = ("breachdrill-dark", "breachdrill-light")


def theme_objects() -> tuple[Theme, ...]:
    from textual.theme import Theme

    # A civic palette: municipal blue with a warning amber, legible on a projector in both themes.
    return (
        Theme(name=THEMES[0], primary="#4F8FD6", secondary="#7FB3E8", accent="#F2A93B", warning="#F2A93B",
              error="#E5534B", success="#57AB5A", background="#10161F", surface="#18212D", panel="#223044",
              dark=True),
        Theme(name=THEMES[1], primary="#1F5FA6", secondary="#3C7BC0", accent="#B5650D", warning="#B5650D",
              error="#B3261E", success="#2E7D32", background="#F7F8FA", surface="#FFFFFF", panel="#E3E8EF",
              dark=False),
    )
