"""The answer controls, one per kind of question, all driven by keyboard.

The inject given is the shown one (Drill.inject): its options are already in the order the
drill's seed draws, and each keeps the number it is first shown with, so in an order question
"press 2" means the same option however far it has been moved. `answer()` gives the engine's
shape: option ids, or text; `ready()` says whether an answer has been given at all (a multi's
"None of these" is one: the answer []).

Each kind looks like what it is without colour: a single choice marks its chosen row "(•)" and
the others "( )", a multi ticks "[x]" / "[ ]", an order shows its numbers in place. The option
lists grow to their full height inside the screen's one scrolling column (answer.py): moving the
highlight scrolls that column, so the highlighted option is always on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.geometry import Region
from textual.widgets import OptionList, TextArea
from textual.widgets.option_list import Option

from scenarios.inject_text import NONE_NUMBER, NONE_TEXT

from ...text import literal
from .literal import content, join

if TYPE_CHECKING:
    from textual.document._edit import Edit

NONE_ID = "breachdrill:none-of-these"  # never a scenario option's id (ids are slugs, no colon)
FREE_LIMIT = 20_000


def label(number: int, text: str):
    return join(content(f"{number}. ", "bold"), " ".join(text.split()))


def cursor(here: bool):
    """The row the keys act on, marked without colour (a monochrome terminal shows no highlight)."""
    return content("▸ " if here else "  ", "bold")


class FollowsHighlight(OptionList):
    """An option list that keeps its highlighted option in view in the column it stands in, once
    `following` (the screen sets it after opening on the top of the message)."""

    following = False

    def scroll_to_highlight(self, top: bool = False) -> None:
        super().scroll_to_highlight(top)
        column = self.parent
        if not self.following or self.highlighted is None or not isinstance(column, ScrollableContainer):
            return
        self._update_lines()
        y, height = self._index_to_line.get(self.highlighted), self._heights.get(self.highlighted)
        if y is None or height is None:
            return
        at = self.virtual_region.y + self.gutter.top + y
        if self.highlighted == 0:  # the first option: the question above it comes into view too
            height, at = height + min(at, 5), max(at - 5, 0)
        column.scroll_to_region(Region(0, at, 1, height), animate=False, force=True, immediate=True)


class SingleChoice(FollowsHighlight):
    """Arrows or a number key to pick; Enter submits. The highlighted row is the chosen one."""

    def __init__(self, inject, **kwargs) -> None:
        self.numbered = [(n, o.id, o.text) for n, o in enumerate(inject.options, 1)]
        super().__init__(*(Option(self.prompt(i), id=oid) for i, (_, oid, _) in enumerate(self.numbered)), **kwargs)
        self.highlighted = None  # nothing is chosen until the team moves (an OptionList starts on the first)

    def prompt(self, index: int, chosen: bool = False):
        number, _, text = self.numbered[index]
        return join(content("(•) " if chosen else "( ) ", "bold"), label(number, text))

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        for index, chosen in ((old, False), (new, True)):
            if index is not None and index < len(self.numbered):
                self.replace_option_prompt_at_index(index, self.prompt(index, chosen))
        super().watch_highlighted(new)

    def action_select(self) -> None:
        if self.highlighted is None:
            self.highlighted = 0  # a first Enter brings the options in; it chooses nothing yet
        else:
            super().action_select()

    def pick(self, number: int) -> None:
        if 0 < number <= self.option_count:
            self.highlighted = number - 1

    def ready(self) -> bool:
        return self.highlighted is not None

    def answer(self) -> list[str]:
        return [] if self.highlighted is None else [self.get_option_at_index(self.highlighted).id]


class MultiChoice(FollowsHighlight):
    """Space, Enter or a number key toggles an option; any number may be chosen. With `none`, a
    last row "0. None of these" records that the team chose no option (the answer []); ticking it
    clears the others, and ticking another clears it. (An OptionList with its own tick marks:
    SelectionList shows only the first line of a long option.)"""

    BINDINGS = [Binding("space", "toggle", "Toggle", id="answer.toggle")]

    def __init__(self, inject, none: bool = False, **kwargs) -> None:
        self.numbered = [(n, o.id, o.text) for n, o in enumerate(inject.options, 1)]
        self.selected: set[str] = set()
        self.has_none = none
        self.none = False  # "None of these" ticked
        self.built = False  # the rows are drawn before the OptionList (and its cursor) exists
        rows = [Option(self.prompt(i), id=oid) for i, (_, oid, _) in enumerate(self.numbered)]
        super().__init__(*rows, *([Option(self.prompt(len(rows)), id=NONE_ID)] if none else []), **kwargs)
        self.built = True
        self.highlighted = None  # no row under the cursor until the team moves: none is hidden below

    def prompt(self, index: int):
        here = cursor(self.built and index == self.highlighted)
        if index == len(self.numbered):
            return join(here, content("[x] " if self.none else "[ ] ", "bold"), content(f"{NONE_NUMBER}. ", "bold"),
                        content(NONE_TEXT, "italic"))
        number, oid, text = self.numbered[index]
        return join(here, content("[x] " if oid in self.selected else "[ ] ", "bold"), label(number, text))

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        for index in (old, new):
            if index is not None and index < self.option_count:
                self.replace_option_prompt_at_index(index, self.prompt(index))
        super().watch_highlighted(new)

    def redraw(self) -> None:
        for index in range(self.option_count):
            self.replace_option_prompt_at_index(index, self.prompt(index))

    def toggle(self, index: int) -> None:
        if index == len(self.numbered):
            self.none = not self.none
            if self.none:
                self.selected.clear()
        else:
            self.selected ^= {self.numbered[index][1]}
            self.none = False
        self.redraw()

    def action_toggle(self) -> None:
        if self.highlighted is not None:
            self.toggle(self.highlighted)

    def action_select(self) -> None:  # Enter toggles too; Ctrl+S submits
        self.action_toggle()

    def pick(self, number: int) -> None:
        if number == 0 and self.has_none:
            number = len(self.numbered) + 1
        if 0 < number <= self.option_count:
            self.highlighted = number - 1
            self.toggle(number - 1)

    def ready(self) -> bool:
        return bool(self.selected) or self.none

    def answer(self) -> list[str]:
        return [oid for _, oid, _ in self.numbered if oid in self.selected]  # the order shown, stable


class OrderChoice(FollowsHighlight):
    """Put every option in order: number keys in the order wanted, or Shift+Up/Down to move."""

    BINDINGS = [
        Binding("shift+up", "move(-1)", "Move up", id="answer.move_up"),
        Binding("shift+down", "move(1)", "Move down", id="answer.move_down"),
    ]

    def __init__(self, inject, **kwargs) -> None:
        super().__init__(**kwargs)
        self.numbered = {o.id: (n, o.text) for n, o in enumerate(inject.options, 1)}
        self.order = [o.id for o in inject.options]
        self.typed = 0  # how many options have been placed by number keys so far

    def on_mount(self) -> None:
        self.redraw(None)  # no row under the cursor until the team moves: none is hidden below

    def action_select(self) -> None:  # Enter submits the order as it stands
        if self.highlighted is None:
            self.highlighted = 0
        super().action_select()

    def prompt(self, index: int):
        return join(cursor(index == self.highlighted), label(*self.numbered[self.order[index]]))

    def redraw(self, highlight: int | None) -> None:
        self.clear_options()
        self.highlighted = None
        self.add_options(Option(self.prompt(i), id=oid) for i, oid in enumerate(self.order))
        self.highlighted = highlight

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        for index in (old, new):
            if index is not None and index < self.option_count:
                self.replace_option_prompt_at_index(index, self.prompt(index))
        super().watch_highlighted(new)

    def action_move(self, step: int) -> None:
        at = self.highlighted
        if at is None or not 0 <= at + step < len(self.order):
            return
        self.order[at], self.order[at + step] = self.order[at + step], self.order[at]
        self.redraw(at + step)

    def pick(self, number: int) -> None:
        ids = [oid for oid, (n, _) in self.numbered.items() if n == number]
        if not ids:
            return
        if self.typed >= len(self.order):
            self.typed = 0  # a fresh pass of typing starts a new order
        self.order.remove(ids[0])
        self.order.insert(self.typed, ids[0])
        self.typed += 1
        self.redraw(self.typed - 1)

    def ready(self) -> bool:
        return True

    def answer(self) -> list[str]:
        return list(self.order)


class FreeText(TextArea):
    """The team's words, on as many lines as they need: Enter makes a new line (the screen's
    Ctrl+S submits), long lines wrap. Shown literally: what is typed or pasted keeps its control
    characters as visible escapes (a TextArea draws its text as it is: a pasted ESC ] would retitle
    the terminal), a pasted CR LF is a line break. At most `limit` characters."""

    following = False  # as FollowsHighlight: the answer screen keeps the field in view once set

    def __init__(self, limit: int = FREE_LIMIT, **kwargs) -> None:
        super().__init__(soft_wrap=True, tab_behavior="focus", show_line_numbers=False, **kwargs)
        self.limit = limit

    def edit(self, edit: Edit):  # typing, pasting, deleting and undoing all come here
        text = literal(edit.text.replace("\r\n", "\n").replace("\r", "\n"))
        room = self.limit - len(self.text) + len(self.get_text_range(edit.from_location, edit.to_location))
        if len(text) > room:
            text = text[: max(room, 0)]
            self.app.bell()
        edit.text = text
        return super().edit(edit)

    @property
    def value(self) -> str:
        return self.text

    @value.setter
    def value(self, text: str) -> None:
        """Stored words set in the field (a correction's preset): literally, on their lines."""
        self.load_text(literal(text)[: self.limit])
        self.move_cursor(self.document.end)

    def pick(self, number: int) -> None:  # digits are text here
        pass

    def ready(self) -> bool:
        return bool(self.text.strip())

    def answer(self) -> str:
        return self.text


def control_for(inject):
    kind = inject.kind
    if kind == "single":
        return SingleChoice(inject, id="choices")
    if kind == "multi":
        return MultiChoice(inject, none=True, id="choices")
    if kind == "order":
        return OrderChoice(inject, id="choices")
    return FreeText(placeholder="Type the team's answer: Enter makes a new line, Ctrl+S submits", id="choices")
