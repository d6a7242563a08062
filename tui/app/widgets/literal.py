"""Text from scenario files and users, made safe to show: never markup, never a terminal control.

Team names, scenario text and answers can hold `[bold]`, `[link=...]` or escape sequences. Every
widget gets them through these helpers, which build Content/Text objects (no markup parsing)
from text whose control characters are shown as visible escapes (`\\x1b`), like the CLI does.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from ...text import literal


def content(text: object, style: str = "") -> Content:
    """Literal Content for Static, OptionList, Selection and tab titles."""
    made = Content(literal(str(text)))
    return made.stylize(style) if style else made


def rich(text: object, style: str = "") -> Text:
    """Literal rich Text for DataTable cells and Tree labels (they parse plain str as markup)."""
    return Text(literal(str(text)), style=style)


def join(*parts: Content | str) -> Content:
    """Content pieces joined; plain str pieces are taken literally too."""
    return Content("").join(part if isinstance(part, Content) else content(part) for part in parts)
