"""Review's filter bar: a dropdown per scenario, violation, jurisdiction and team, and two dates.

The dropdowns arrive with their choices (`add_filters`): until then nothing is chosen. The
screen that owns the bar wraps these calls in its own `prevent(Select.Changed, Input.Changed)`
where a change must not reload its panes.

A date that is not one is refused at its field (error style, and `problems` says which field
and why for the line under the bar), never read as part of a date: only whole, real dates
filter. While the field being typed in still holds the start of a date, it is neither an error
nor a filter; leaving it (or Enter) judges it.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Select

from .literal import content

FILTERS = (("scenario", "Any scenario"), ("violation", "Any violation"), ("jurisdiction", "Any jurisdiction"),
           ("team", "Any team"))
DATES = ("since", "until")
_WHOLE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_STARTED = re.compile(r"\d{0,4}(-(\d{0,2}(-\d{0,2})?)?)?")  # what typing YYYY-MM-DD passes through


def day(text: str) -> date | None:
    """A date as typed (YYYY-MM-DD), None if blank or not a real date."""
    return None if date_problem(text) else _parse(text)


def _parse(text: str) -> date | None:
    found = _WHOLE.fullmatch(text.strip())
    return date(*map(int, found.groups())) if found else None


def date_problem(text: str) -> str | None:
    """Why the text typed is not a date (None when it is one, or blank)."""
    text = text.strip()
    if not text:
        return None
    found = _WHOLE.fullmatch(text)
    if found is None:
        return f'"{text}" is not a date (write YYYY-MM-DD)'
    year, month, dom = map(int, found.groups())
    if not 1 <= month <= 12:
        return f"{text} is not a date (no month {month})"
    if year < 1:
        return f"{text} is not a date (no year 0)"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= dom <= days:
        return f"{text} is not a date ({calendar.month_name[month]} {year} has {days} days)"
    return None


class FilterBar(Horizontal):
    BINDINGS = [
        # Escape in a field leaves it (the screen's Escape, back to the library, waits for that):
        # then x clears the filters, t changes tab, as everywhere else on Review.
        Binding("escape", "screen.leave_filters", "Leave filters", id="review.leave_filters"),
    ]

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
        widgets += [Input(placeholder=f"{name} YYYY-MM-DD", id=f"review-{name}", compact=True, max_length=10)
                    for name in DATES]
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
        """What is chosen, as `scoring.history.Filters`: only dates that `problems` finds nothing
        wrong with (a date that is not one, or a since after the until, filters nothing)."""
        from scoring.history import Filters

        if not self.ready:
            return Filters()  # the dropdowns are not there yet: nothing is chosen

        def chosen(name: str):
            value = self.query_one(f"#review-{name}", Select).value
            return value if isinstance(value, str) else None  # the empty choice is Select.NULL

        since, until = (day(self._field(name).value) for name in DATES)
        if since and until and since > until:
            since = until = None
        return Filters(chosen("scenario"), chosen("violation"), chosen("jurisdiction"), chosen("team"), since, until)

    def _field(self, name: str) -> Input:
        return self.query_one(f"#review-{name}", Input)

    def _typing(self, field: Input) -> bool:
        """The field has focus and holds the start of a date, not yet the whole of one."""
        text = field.value.strip()
        return field.has_focus and len(text) < 10 and _STARTED.fullmatch(text) is not None

    def problems(self) -> list[str]:
        """What is wrong with the dates, a sentence each, naming the field; marks those fields
        with the error style (and clears the mark of the others)."""
        if not self.ready:
            return []
        out, bad = [], set()
        for name in DATES:
            field = self._field(name)
            why = None if self._typing(field) else date_problem(field.value)
            if why:
                out.append(f"{name.capitalize()}: {why}; not applied.")
                bad.add(name)
        since, until = (day(self._field(name).value) for name in DATES)
        if since and until and since > until:
            out.append(f"Since {since} is after until {until}; neither applied.")
            bad.update(DATES)
        for name in DATES:
            self._field(name).set_class(name in bad, "-invalid")
        return out

    def clear(self) -> None:
        for select in self.query(Select).results(Select):
            select.clear()
        for field in self.query(Input).results(Input):
            field.value = ""

    def focus_first(self) -> None:
        for select in self.query(Select).results(Select):
            select.focus()
            break
