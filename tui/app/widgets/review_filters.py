"""Review's filter bar: a dropdown per scenario, violation, jurisdiction and team, and two dates.

The dropdowns arrive with their choices (`add_filters`): until then nothing is chosen. The
screen that owns the bar wraps these calls in its own `prevent(Select.Changed, Input.Changed)`
where a change must not reload its panes.
"""

from __future__ import annotations

from datetime import date

from textual.containers import Horizontal
from textual.widgets import Input, Select

from .literal import content

FILTERS = (("scenario", "Any scenario"), ("violation", "Any violation"), ("jurisdiction", "Any jurisdiction"),
           ("team", "Any team"))
DATES = ("since", "until")


def day(text: str) -> date | None:
    """A date as typed (YYYY-MM-DD), None if blank or not a date."""
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


class FilterBar(Horizontal):
    @property
    def ready(self) -> bool:
        """The dropdowns are there (they come with the first read of the choices)."""
        return bool(self.query(Select))

    async def add_filters(self, choices: dict) -> None:
        widgets = [
            Select([(content(label), value) for value, label in choices[name]], prompt=prompt, id=f"review-{name}",
                   compact=True)
            for name, prompt in FILTERS
        ]
        widgets += [Input(placeholder=f"{name} YYYY-MM-DD", id=f"review-{name}", compact=True) for name in DATES]
        await self.mount_all(widgets)

    def set_choices(self, choices: dict) -> None:
        """New choices (teams of drills just rescored), keeping what is chosen."""
        for name, _ in FILTERS:
            select = self.query_one(f"#review-{name}", Select)
            chosen = select.value
            select.set_options([(content(label), value) for value, label in choices[name]])
            if any(value == chosen for value, _ in choices[name]):
                select.value = chosen

    def filters(self):
        """What is chosen, as `scoring.history.Filters` (dates that do not parse are left out)."""
        from scoring.history import Filters

        if not self.ready:
            return Filters()  # the dropdowns are not there yet: nothing is chosen

        def chosen(name: str):
            value = self.query_one(f"#review-{name}", Select).value
            return value if isinstance(value, str) else None  # the empty choice is Select.NULL

        return Filters(
            chosen("scenario"), chosen("violation"), chosen("jurisdiction"), chosen("team"),
            day(self.query_one("#review-since", Input).value), day(self.query_one("#review-until", Input).value),
        )

    def bad_dates(self) -> list[str]:
        """The date fields whose text is not a date (so they are ignored)."""
        typed = {field.id.removeprefix("review-"): field.value for field in self.query(Input).results(Input)}
        return [name for name, value in typed.items() if value.strip() and day(value) is None]

    def clear(self) -> None:
        for select in self.query(Select).results(Select):
            select.clear()
        for field in self.query(Input).results(Input):
            field.value = ""

    def focus_first(self) -> None:
        for select in self.query(Select).results(Select):
            select.focus()
            break
