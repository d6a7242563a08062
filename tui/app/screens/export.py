"""Export a drill's after-action report to a file, from Review.

The first decision is the format, so focus starts there; the file name follows it (its suffix
changes with the format). The name proposed says what the file is: the scenario and the day of
the drill (`aar-wrong-permissions-2026-12-01.html`), with the drill's short id added when a file
of that name is already there. Whether the file exists is checked again whenever the format or
the path changes, and a relative path is saved in the folder the dialog names."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from ..widgets.footer import footer
from ..widgets.literal import content, title
from . import STYLES

FORMATS = (("html", "HTML, one printable file"), ("md", "Markdown"), ("csv", "CSV, one row per finding"),
           ("json", "JSON"))
SLUG_LENGTH = 40  # of the scenario's part of a file name


def slug(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: safe in a file name on every system. A title's
    part before " - " (its subtitle is long), cut at a word under SLUG_LENGTH."""
    main = text.split(" - ")[0]
    ascii_text = unicodedata.normalize("NFKD", main).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > SLUG_LENGTH:
            break
        out = f"{out}-{word}" if out else word
    return out or (words[0][:SLUG_LENGTH] if words else "")


def default_path(folder: Path, drill_id: str, scenario: str, day: str, fmt: str) -> Path:
    """`folder/aar-<scenario>-<day>.<fmt>`, or with the drill's short id after the day when a
    file of that name is there already (another drill of the same scenario that day)."""
    base = "-".join(part for part in ("aar", slug(scenario) or "drill", day) if part)
    plain = folder / f"{base}.{fmt}"
    return plain if not plain.exists() else folder / f"{base}-{slug(drill_id)[:8] or 'drill'}.{fmt}"


class ExportScreen(ModalScreen[str | None]):
    CSS_PATH = STYLES  # read when the first screen after the library opens
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="export.save"),
        Binding("escape", "close", "Cancel", id="export.close"),
    ]

    def __init__(self, drill_id: str, scenario: str = "", day: str = "", folder: Path | None = None) -> None:
        """`scenario` is the drill's scenario title and `day` its date (YYYY-MM-DD) as Review
        shows them; the file is proposed in `folder` (the working folder by default)."""
        super().__init__()
        self.drill_id = drill_id
        self.scenario = scenario
        self.day = day
        self.folder = folder or Path.cwd()
        self.replace_ok: Path | None = None  # the file the user has agreed to replace

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="dialog"):
            about = " · ".join(part for part in (self.scenario, self.day) if part) or f"drill {self.drill_id}"
            yield Static(content(f"After-action report: {about}", "bold"), id="export-title")
            yield Static(content("Format (↑↓ to choose), then Tab to the file name:"))
            with RadioSet(id="export-format"):
                for i, (fmt, label) in enumerate(FORMATS):
                    yield RadioButton(label, value=i == 0, name=fmt)
            yield Static(content("Save to (Ctrl+S saves, Esc cancels):"))
            path = default_path(self.folder, self.drill_id, self.scenario, self.day, FORMATS[0][0])
            yield Input(title(str(path)), id="export-path")
            yield Static(id="export-status")
        yield footer()

    def on_mount(self) -> None:
        self.query_one("#export-format", RadioSet).focus()
        self.check()

    def target(self) -> Path:
        """The file the path names: `~` expanded, a relative path in the dialog's folder."""
        typed = Path(self.query_one("#export-path", Input).value.strip()).expanduser()
        return typed if typed.is_absolute() else self.folder / typed

    def check(self) -> None:
        """Say where the file goes, and whether one is there already, for the path as it is now."""
        self.replace_ok = None  # agreed for another path or format, if at all
        typed = self.query_one("#export-path", Input).value.strip()
        if not typed:
            self._status("Give the file a name.", "warning")
            return
        target = self.target()
        where = "" if str(target) == typed else f"Saves to {target}. "
        if target.is_dir():
            self._status(f"{where}{target} is a folder: give a file name.", "warning")
        elif target.exists():
            self._status(f"{where}{target.name} exists: saving asks before replacing it.", "warning")
        else:
            self._status(where.strip())

    def _status(self, text: str, kind: str = "") -> None:
        """The line under the path: `kind` "warning" or "error" styles it (review.tcss)."""
        status = self.query_one("#export-status", Static)
        status.update(content(text))
        for name in ("warning", "error"):
            status.set_class(kind == name, f"-{name}")

    @on(RadioSet.Changed)
    def format_changed(self, event: RadioSet.Changed) -> None:
        path = self.query_one("#export-path", Input)
        fmt = event.pressed.name or "html"
        with self.prevent(Input.Changed):
            path.value = str(Path(path.value).with_suffix(f".{fmt}")) if path.value.strip() else path.value
        self.check()

    @on(Input.Changed, "#export-path")
    def path_changed(self) -> None:
        self.check()

    @on(Input.Submitted)
    def action_save(self) -> None:
        pressed = self.query_one(RadioSet).pressed_button
        if not self.query_one("#export-path", Input).value.strip():
            self.check()
            return
        target = self.target()
        self.export(pressed.name if pressed else "html", target, force=target == self.replace_ok)

    @work(thread=True, exclusive=True, name="export-report", group="store")
    def export(self, fmt: str, path: Path, force: bool) -> None:
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
        self._status(message, "error")

    def exists(self, path: Path) -> None:
        self.replace_ok = path
        self.failed(f"{path} exists: press Ctrl+S again to replace it, or change the name.")

    def saved(self, path: Path) -> None:
        self.app.notify(f"Saved {path}", markup=False)
        self.dismiss(str(path))

    def action_close(self) -> None:
        self.dismiss(None)
