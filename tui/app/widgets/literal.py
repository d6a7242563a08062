"""Text from scenario files and users, made safe to show: never markup, never a terminal control.

Team names, scenario text and answers can hold `[bold]`, `[link=...]`, escape sequences or bidi
overrides. Every widget gets them through these helpers, which build Content/Text objects (no
markup parsing) from text whose control characters are shown as visible escapes (`\\x1b`,
`\\u202e`), like the CLI does (scenarios/safe_text.py holds the rule). Titles and sub-titles,
and a field filled with such text (a team's name to rename, an answer to correct: an Input draws
its value as it is), take `title`; a field the team's words are typed or pasted into is a
`LiteralInput`.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widgets import Input

from ...text import literal, literal_line


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


def title(text: object) -> str:
    """A screen's (or the app's) title or sub-title: literal, on one line (the Header shows it as
    plain text; a raw ESC ] there would set the terminal's window title)."""
    return literal_line(str(text))



class LiteralInput(Input):
    """A text field for the team's words (a name, an answer, a reason): what is typed or pasted
    keeps its control characters as visible escapes, for an Input draws its value as it is (a
    pasted ESC ] would retitle the terminal). A value set from stored text is set with `title`."""

    def replace(self, text: str, start: int, end: int) -> None:  # typing (insert) and pasting come here
        super().replace(literal_line(text), start, end)
