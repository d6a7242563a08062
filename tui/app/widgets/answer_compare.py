"""Each inject on a team's path: the team's answer beside the guide's, both whole.

Every chosen option (multi), the whole order (order) and a free answer's words are shown, wrapped
to the column, never cut: the two answers are only comparable in full. Each item carries a mark
that reads without colour: ✓ the guide has it (in that place, for an order), ✗ it does not; on
the guide's side, ○ an option the team did not choose. Side by side when both columns get room
enough to read, else one above the other in a single cell.

The row marks are the scorecard's (`card.judgments`): ✓ the guide's answer, ✗ not, missed, late
(a contact reached after its first opportunity), · discussed, not scored.

The table is as tall as its rows (the team's page scrolls, not the table), and is refilled when
its width changes, so the columns always fit the terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.events import Resize
from textual.widgets import DataTable

from .literal import rich
from .page_scroll import read_on, turn_page

if TYPE_CHECKING:
    from ..session import Drill

INJECT_WIDTH = (16, 28)  # the inject's column: its share of the width, kept within these
MARK_WIDTH = 12
READABLE = 28  # the narrowest answer column worth showing side by side; below, they are stacked


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def lines(*rows: Text) -> Text:
    return Text("\n").join(rows)


def team_side(inject, given, judgment) -> Text:
    """What the team answered, item by item, each marked against the guide's answer."""
    if given is None:
        return rich("(not answered)", "italic")
    guide = list(judgment.guide)
    shown = {o.id: (n, o.text) for n, o in enumerate(inject.options, start=1)}
    marked = judgment.scored
    if isinstance(given.answer, str):  # a free answer: its words, then the rubric entries they count as
        rows = [rich(given.answer)]
        for heading, ids in (("counts as:", judgment.credited), ("matched, counts once marked (m):", judgment.held)):
            if ids:
                rows.append(rich(heading, "italic"))
                rows += [item(shown, oid, against(oid, guide, marked)) for oid in sort_shown(shown, ids)]
        return lines(*rows)
    chosen = [oid for oid in given.answer if oid in shown]
    if not chosen:  # a multi's "None of these"
        return rich("none of these", "italic")
    if inject.kind == "order":
        rows = []
        for place, oid in enumerate(chosen):
            right = place < len(guide) and guide[place] == oid
            row = rich(f"{'✓' if right else '✗'} {place + 1}. {shown[oid][1]}" if marked else
                       f"{place + 1}. {shown[oid][1]}")
            if marked and not right and oid in guide:
                row.append(rich(f" (the guide's {ordinal(guide.index(oid) + 1)})", "italic"))
            rows.append(row)
        return lines(*rows)
    return lines(*(item(shown, oid, against(oid, guide, marked)) for oid in sort_shown(shown, chosen)))


def guide_side(inject, given, judgment) -> Text:
    """The guide's answer in full; each option the team left out marked ○."""
    if not judgment.scored:
        return rich("discussed, not scored", "italic")
    if not judgment.guide:
        return rich("none", "italic")
    shown = {o.id: (n, o.text) for n, o in enumerate(inject.options, start=1)}
    if inject.kind == "order":
        return lines(*(rich(f"{place}. {shown[oid][1]}") for place, oid in enumerate(judgment.guide, start=1)))
    if given is None:  # nothing to compare with: the guide's answer as it is
        return lines(*(item(shown, oid) for oid in sort_shown(shown, judgment.guide)))
    free = isinstance(given.answer, str)  # its words count as the rubric entries they match
    team = set(judgment.credited if free else given.answer)
    rows = []
    for oid in sort_shown(shown, judgment.guide):
        row = item(shown, oid, "✓" if oid in team else "○")
        if oid not in team:
            row.append(rich(" (not in the answer)" if free else " (not chosen)", "italic"))
        rows.append(row)
    return lines(*rows)


def sort_shown(shown: dict, ids) -> list[str]:
    return sorted((oid for oid in ids if oid in shown), key=lambda oid: shown[oid][0])


def against(oid: str, guide: list[str], marked: bool) -> str:
    """✓ an option the guide's answer has, ✗ one it has not; no mark where nothing is scored."""
    return ("✓" if oid in guide else "✗") if marked else ""


def item(shown: dict, oid: str, mark: str = "") -> Text:
    """One option after its mark, numbered as the team's screen numbered it."""
    number, text = shown[oid]
    return rich(f"{mark} {number}. {text}" if mark else f"{number}. {text}")


def verdict(judgment) -> Text:
    if not judgment.scored:  # discussion only: no answer is the guide's, none is missed
        return rich("·", "dim")
    if not judgment.answered:
        mark = rich("missed", "yellow")
    elif judgment.matches_guide:
        mark = rich("✓ same as the guide", "green")
    else:
        mark = rich("✗ not the guide's", "bold red")
    if judgment.late:
        mark.append(rich(", late", "yellow"))
    if judgment.method is not None and judgment.method != "choice":
        mark.append(rich(" (keys)" if judgment.method == "keywords" else " (marked)", "dim"))
    return mark


class ChoicesTable(DataTable):
    """The team's choices against the documented response, one row per inject on its path (the
    row key is the inject's id: the debrief corrects or marks the highlighted one)."""

    def __init__(self, drill: Drill, team: str, card, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.drill, self.team, self.card = drill, team, card
        self.filled_for = 0

    def on_mount(self) -> None:
        self.fill(self.app.size.width - 6)  # about the page's width, until the first layout says

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self.filled_for:
            self.fill(event.size.width)

    @property
    def stacked(self) -> bool:
        return self.answer_width(self.filled_for) < READABLE

    @staticmethod
    def inject_width(width: int) -> int:
        return max(INJECT_WIDTH[0], min(INJECT_WIDTH[1], width // 5))

    def answer_width(self, width: int) -> int:
        """Each answer column's width side by side (every column is padded 1 each side)."""
        return (width - self.inject_width(width) - MARK_WIDTH - 8) // 2

    def fill(self, width: int) -> None:
        self.filled_for = width
        row = self.cursor_row
        self.clear(columns=True)
        inject_width = self.inject_width(width)
        self.add_column("Inject", width=inject_width)
        if self.stacked:
            self.add_column("The team chose, then the guide's answer", width=width - inject_width - MARK_WIDTH - 6)
        else:
            self.add_column("The team chose", width=self.answer_width(width))
            self.add_column("The guide's answer", width=self.answer_width(width))
        self.add_column("", width=MARK_WIDTH)
        answers = self.drill.state.teams[self.team].answers
        for inject_id in self.card.path:
            judgment, inject = self.card.judgments[inject_id], self.drill.inject(inject_id)
            given = answers.get(inject_id)
            name = rich(f"+{inject.at} {inject.title}")
            chose, guide = team_side(inject, given, judgment), guide_side(inject, given, judgment)
            if self.stacked:
                both = lines(rich("The team chose", "bold"), chose, rich("The guide's answer", "bold"), guide)
                cells = [name, both, verdict(judgment)]
            else:
                cells = [name, chose, guide, verdict(judgment)]
            # A blank last line parts one row from the next without colour: the inject's cell
            # (its title only) is made a line taller than the tallest.
            widths = [column.width for column in self.ordered_columns]
            tallest = max(len(cell.wrap(self.app.console, width)) for cell, width in zip(cells, widths, strict=True))
            cells[0] = lines(name, *[Text(" ")] * (tallest + 1 - len(name.wrap(self.app.console, widths[0]))))
            self.add_row(*cells, key=inject_id, height=None)
        if self.row_count:
            self.move_cursor(row=min(max(row, 0), self.row_count - 1), scroll=False)

    def action_cursor_down(self) -> None:
        if not read_on(self, *self.row_lines(self.cursor_row), 1):
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if not read_on(self, *self.row_lines(self.cursor_row), -1):
            super().action_cursor_up()

    def action_page_down(self) -> None:
        self.turn(1)

    def action_page_up(self) -> None:
        self.turn(-1)

    def turn(self, pages: int) -> None:
        """Page down/up turn the team's page (the table is as tall as its rows, so its own
        paging would jump to its end); the cursor follows to the row then at the top."""
        line = turn_page(self, pages)
        if line is None or not self.row_count:
            return
        row = 0
        while row < self.row_count - 1 and sum(self.row_lines(row)) <= line:
            row += 1
        self.move_cursor(row=row, scroll=False)

    def row_lines(self, row: int) -> tuple[int, int]:
        """Where a row's lines are in the table: (first line, how many)."""
        rows = self.ordered_rows
        top = (self.header_height if self.show_header else 0) + sum(r.height for r in rows[:row])
        return top, rows[row].height if 0 <= row < len(rows) else 1
