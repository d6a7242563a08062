"""One line of text that changes a drill: a team's new name, the reason for archiving it.

The change is applied here, not by the screen below, so that a refusal (a name another team
already has) is shown in the dialog and can be fixed there instead of closing it; the app
records it (`Recording.record`) and says what went wrong on the dialog's error line.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from ..widgets.footer import footer
from ..widgets.literal import LiteralInput, content
from . import STYLES


class PromptScreen(ModalScreen[bool]):
    """Dismissed with True once `apply(text)` has recorded its event, False on Back."""
    CSS_PATH = STYLES  # read when the first screen after the library opens

    BINDINGS = [Binding("escape", "cancel", "Back", id="prompt.cancel")]

    def __init__(self, question: Content, apply: Callable[[str], object], *, value: str = "",
                 placeholder: str = "", yes: str = "Save", required: bool = True, max_length: int = 500) -> None:
        super().__init__()
        self.question, self.apply = question, apply
        self.value, self.placeholder, self.yes = value, placeholder, yes
        self.required, self.max_length = required, max_length

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box", classes="dialog"):
            yield Static(self.question, id="prompt-question")
            yield LiteralInput(self.value, placeholder=self.placeholder, max_length=self.max_length,
                        id="prompt-input", compact=True)
            yield Static(id="prompt-error")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (Enter)", variant="primary", id="prompt-yes", compact=True)
                yield Button("Back (Esc)", id="prompt-no", compact=True)
        yield footer()

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#prompt-yes")
    def save(self) -> None:
        """Record `apply(text)` off the UI thread (`Recording.record`): closed once its event
        is saved; a refusal or a store failure is shown on the dialog's own line, the text kept."""
        text = self.query_one("#prompt-input", Input).value.strip()
        error = self.query_one("#prompt-error", Static)
        if self.required and not text:
            error.update(content("Type something first, or Escape.", "bold"))
            return
        self.app.record(lambda: self.apply(text), lambda ok: ok and self.dismiss(True), into=error)

    @on(Button.Pressed, "#prompt-no")
    def action_cancel(self) -> None:
        self.dismiss(False)
