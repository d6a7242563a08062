"""Interrupted drills in the store, to pick one and carry on (Review lists every drill)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..widgets.footer import footer
from ..widgets.literal import content, join
from . import STYLES

TITLE = "Interrupted drills: pick one to carry on where it stopped"


def local_time(stamp: str) -> str:
    """The store's UTC timestamp in the trainer's own time zone."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


class DrillsListed(Message):
    def __init__(self, rows: list, error: str | None = None) -> None:
        super().__init__()
        self.rows = rows
        self.error = error


class DrillsScreen(ModalScreen[str | None]):
    CSS_PATH = STYLES  # read when the first screen after the library opens
    BINDINGS = [
        Binding("enter", "open", "Open", id="drills.open", priority=True),  # over the list's own Enter, to be shown
        Binding("escape", "close", "Close", id="drills.close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="drills-box", classes="dialog"):
            yield Static(content(TITLE, "bold"), id="drills-title")
            yield OptionList(id="drills")
        yield footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).loading = True
        self.list_drills()

    @work(thread=True, exclusive=True, name="list-drills", group="store")
    def list_drills(self) -> None:
        from scoring.store import StoreError

        try:
            store = self.app.services.open_store()
            try:
                rows = store.drills(status="in-progress")
            finally:
                store.close()
        except StoreError as exc:  # a damaged or unreadable file: said in the list, not a crash
            self.post_message(DrillsListed([], str(exc)))
            return
        self.post_message(DrillsListed(rows))

    def on_drills_listed(self, message: DrillsListed) -> None:
        options = self.query_one(OptionList)
        options.loading = False
        for row in message.rows:
            teams = ", ".join(row.teams)
            when = local_time(row.created)
            prompt = join(content(row.title, "bold"), content(f"\n  {row.mode} · in progress · {when} · teams: "),
                          teams, content(f" · {row.events} events", "dim"))
            options.add_option(Option(prompt, id=row.id))
        if message.error:
            options.add_option(Option(content(message.error, "bold"), disabled=True))
        elif not message.rows:
            options.add_option(Option(content("No interrupted drills.", "italic"), disabled=True))
        else:
            options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_open(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if not option.disabled:
                self.dismiss(option.id)

    def action_close(self) -> None:
        self.dismiss(None)
