"""A command being recorded (Recording.record): the screen below waits under this one, so
no key reaches a command on the state that the write is about to change, and a second Enter
records nothing. Clear at first, so a quick write does not flicker; after a moment, or at the
first key, it says that it is saving (the database may be busy with another breachdrill)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ..widgets.literal import content
from . import STYLES

SLOW = 0.3  # seconds before the cover says it is saving


class SavingScreen(ModalScreen[None]):
    CSS_PATH = STYLES  # read when the first screen after the library opens

    def compose(self) -> ComposeResult:
        with Vertical(id="saving-box", classes="dialog"):
            yield Static(content("Saving…", "bold"), id="saving-title")
            yield Static(content("If another breachdrill is writing to the database, this waits for it. "
                                 "Keys wait until it is saved; Ctrl+Q closes once it is.", "dim"))

    def on_mount(self) -> None:
        self.set_timer(SLOW, self.slow, name="saving")

    def slow(self) -> None:
        self.add_class("-slow")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.slow()
