"""The answer controls, one per kind of question, all driven by keyboard.

The inject given is the shown one (Drill.inject): its options are already in the order the
drill's seed draws, and each keeps the number it is first shown with, so in an order question
"press 2" means the same option however far it has been moved. `answer()` gives the engine's
shape: option ids, or text.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from .literal import LiteralInput, content, join


def label(number: int, text: str):
    return join(content(f"{number}. ", "bold"), " ".join(text.split()))


class SingleChoice(OptionList):
    """Arrows or a number key to pick; Enter submits."""

    def __init__(self, inject, **kwargs) -> None:
        super().__init__(*(Option(label(n, o.text), id=o.id) for n, o in enumerate(inject.options, 1)), **kwargs)

    def pick(self, number: int) -> None:
        if 0 < number <= self.option_count:
            self.highlighted = number - 1

    def answer(self) -> list[str]:
        return [] if self.highlighted is None else [self.get_option_at_index(self.highlighted).id]


class MultiChoice(OptionList):
    """Space, Enter or a number key toggles an option; any number may be chosen. (An OptionList
    with its own tick marks: SelectionList shows only the first line of a long option.)"""

    BINDINGS = [Binding("space", "toggle", "Toggle", id="answer.toggle")]

    def __init__(self, inject, **kwargs) -> None:
        self.numbered = [(n, o.id, o.text) for n, o in enumerate(inject.options, 1)]
        self.selected: set[str] = set()
        super().__init__(*(Option(self.prompt(n, oid, text), id=oid) for n, oid, text in self.numbered), **kwargs)

    def prompt(self, number: int, oid: str, text: str):
        return join(content("[x] " if oid in self.selected else "[ ] ", "bold"), label(number, text))

    def toggle(self, index: int) -> None:
        number, oid, text = self.numbered[index]
        self.selected ^= {oid}
        self.replace_option_prompt_at_index(index, self.prompt(number, oid, text))

    def action_toggle(self) -> None:
        if self.highlighted is not None:
            self.toggle(self.highlighted)

    def action_select(self) -> None:  # Enter toggles too; Ctrl+S submits
        self.action_toggle()

    def pick(self, number: int) -> None:
        if 0 < number <= len(self.numbered):
            self.highlighted = number - 1
            self.toggle(number - 1)

    def answer(self) -> list[str]:
        return [oid for _, oid, _ in self.numbered if oid in self.selected]  # the order shown, stable


class OrderChoice(OptionList):
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
        self.redraw(0)

    def redraw(self, highlight: int) -> None:
        self.clear_options()
        self.add_options(Option(label(*self.numbered[oid]), id=oid) for oid in self.order)
        self.highlighted = highlight

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

    def answer(self) -> list[str]:
        return list(self.order)


class FreeText(LiteralInput):
    """The team's words; Enter submits."""

    def pick(self, number: int) -> None:  # digits are text here
        pass

    def answer(self) -> str:
        return self.value


def control_for(inject):
    kind = inject.kind
    if kind == "single":
        return SingleChoice(inject, id="choices")
    if kind == "multi":
        return MultiChoice(inject, id="choices")
    if kind == "order":
        return OrderChoice(inject, id="choices")
    return FreeText(placeholder="Type the team's answer, then Enter", max_length=20_000, id="choices")
