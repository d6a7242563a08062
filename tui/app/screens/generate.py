"""Generate a scenario from a seed: pick a violation, a city, a difficulty; it joins the library."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from ..widgets.footer import footer
from ..widgets.literal import content
from . import STYLES

VIOLATIONS = ("access-control", "unpatched-system", "unsecured-pii")
CITIES = (("east-independence", "East Independence"), ("st-louis", "St. Louis"))
LEVELS = ("introductory", "intermediate", "advanced")


def _choices(id_: str, values) -> RadioSet:
    buttons = [RadioButton(label, value=i == 0, name=value) for i, (value, label) in enumerate(values)]
    return RadioSet(*buttons, id=id_, compact=True)


class GenerateScreen(ModalScreen[str | None]):
    CSS_PATH = STYLES  # read when the first screen after the library opens
    BINDINGS = [
        Binding("ctrl+s", "generate", "Generate", id="generate.save"),
        Binding("ctrl+g", "new_seed", "New seed", id="generate.new_seed"),
        Binding("escape", "close", "Cancel", id="generate.close"),
    ]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(id="generate-box", classes="dialog"):
            yield Static(content("Generate a scenario", "bold"))
            yield Static(content("The same seed always gives the same drill; the guide's steps stay the same, "
                                 "the discovery, complications, people and systems change."))
            with Horizontal(id="generate-choices"):
                yield _choices("generate-violation", [(v, v) for v in VIOLATIONS])
                yield _choices("generate-city", CITIES)
                yield _choices("generate-level", [(v, v) for v in LEVELS])
            with Horizontal(id="generate-seed-row"):
                yield Static(content("Seed"), classes="label")
                yield Input(str(self.app.services.new_seed()), id="generate-seed", type="integer", compact=True)
            yield Static(content(f"Saved to {self.folder}", "dim"), id="generate-where")
            yield Static(id="generate-status")
        yield footer()

    def on_mount(self) -> None:
        self.query_one("#generate-violation", RadioSet).focus()

    def _chosen(self, id_: str) -> str:
        pressed = self.query_one(f"#{id_}", RadioSet).pressed_button
        return pressed.name if pressed is not None else ""

    def action_new_seed(self) -> None:
        from scoring.drills import new_seed

        self.query_one("#generate-seed", Input).value = str(new_seed())

    def action_generate(self) -> None:
        text = self.query_one("#generate-seed", Input).value.strip()
        if not text.isdigit():
            self.failed("Seed: a whole number, 0 or more.")
            return
        self.query_one("#generate-status", Static).update(content("Generating…", "italic"))
        self.generate(self._chosen("generate-violation"), self._chosen("generate-city"), int(text),
                      self._chosen("generate-level"))

    @work(thread=True, exclusive=True, name="generate-scenario", group="generate")
    def generate(self, violation: str, city: str, seed: int, level: str) -> None:
        """Generated, validated and saved by the drill service, as `scenarios generate` does."""
        from scenarios.errors import BreachdrillError

        services = self.app.services
        try:
            generated = services.generate(violation, city, seed, level)
            path = services.save_generated(generated, self.folder)
        except (ValueError, BreachdrillError) as exc:  # a bad choice; an edited file kept; a bug, said
            self.app.call_from_thread(self.failed, str(exc))
            return
        self.app.call_from_thread(self.saved, str(path), generated.title)

    def failed(self, message: str) -> None:
        self.query_one("#generate-status", Static).update(content(message, "bold"))

    def saved(self, path: str, title: str) -> None:
        self.app.notify(f"Generated '{title}': it is highlighted in the library.", markup=False)
        self.dismiss(path)

    def action_close(self) -> None:
        self.dismiss(None)
