"""Export a drill's after-action report to a file, from Review."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from ..widgets.footer import footer
from ..widgets.literal import content
from . import STYLES

FORMATS = (("html", "HTML, one printable file"), ("md", "Markdown"), ("csv", "CSV, one row per finding"),
           ("json", "JSON"))


class ExportScreen(ModalScreen[str | None]):
    CSS_PATH = STYLES  # read when the first screen after the library opens
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="export.save"),
        Binding("escape", "close", "Cancel", id="export.close"),
    ]

    def __init__(self, drill_id: str, folder: Path | None = None) -> None:
        super().__init__()
        self.drill_id = drill_id
        self.folder = folder or Path.cwd()
        self.replace_ok: str | None = None  # the path the user has agreed to replace

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="dialog"):
            yield Static(content(f"After-action report of drill {self.drill_id}", "bold"))
            with RadioSet(id="export-format"):
                for i, (fmt, label) in enumerate(FORMATS):
                    yield RadioButton(label, value=i == 0, name=fmt)
            yield Static(content("Save to (Ctrl+S):"))
            yield Input(str(self.folder / f"aar-{self.drill_id}.html"), id="export-path")
            yield Static(id="export-status")
        yield footer()

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(RadioSet.Changed)
    def format_changed(self, event: RadioSet.Changed) -> None:
        path = self.query_one("#export-path", Input)
        fmt = event.pressed.name or "html"
        path.value = str(Path(path.value).with_suffix(f".{fmt}"))

    @on(Input.Submitted)
    def action_save(self) -> None:
        pressed = self.query_one(RadioSet).pressed_button
        path = self.query_one("#export-path", Input).value
        self.export(pressed.name if pressed else "html", path, force=path == self.replace_ok)

    @work(thread=True, exclusive=True, name="export-report", group="store")
    def export(self, fmt: str, path: str, force: bool) -> None:
        from scoring.history import load
        from scoring.report import render_report
        from scoring.store import StoreError

        from ...text import SaveError, save_text

        try:
            store = self.app.services.open_store()
            try:
                text = render_report(load(store, self.drill_id), fmt)
            finally:
                store.close()
            save_text(path, text, force)
        except FileExistsError:
            self.app.call_from_thread(self.exists, path)
            return
        except (SaveError, StoreError) as exc:
            self.app.call_from_thread(self.failed, str(exc))
            return
        self.app.call_from_thread(self.saved, path)

    def failed(self, message: str) -> None:
        self.query_one("#export-status", Static).update(content(message, "bold $error"))

    def exists(self, path: str) -> None:
        self.replace_ok = path
        self.failed(f"{path} exists: change the name, or press Ctrl+S again to replace it.")

    def saved(self, path: str) -> None:
        self.app.notify(f"Saved {path}", markup=False)
        self.dismiss(path)

    def action_close(self) -> None:
        self.dismiss(None)
