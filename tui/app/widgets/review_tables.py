"""Review's tables, each sized to the terminal's width when it is filled: Drills (every team
result), Most missed (the steps most often missed, the highlighted one whole under the table) and
Compare (each team's latest result on one scenario). The Most missed and Compare panes mount
their parts when first filled: each widget costs start-up time. Dates are shown as `when` writes
the store's timestamps (the screen's local time)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from .literal import content, join, rich

SHORT = {"steps": "Steps", "escalation": "Escal.", "sequence": "Seq.", "harms": "Harms", "timeliness": "Time"}
WIDE = 100  # columns from which Compare spells its headers out and shows the time of day
NOT_SCORED = "—"  # a dimension a result has no score in (timeliness of an untimed drill)


def cell(text: str) -> Text:
    """A cell that may be cut: it says so with an ellipsis (the line under the table has it whole)."""
    shown = rich(text)
    shown.no_wrap, shown.overflow = True, "ellipsis"
    return shown


def row_detail(row, when: Callable[[str], str]) -> Content:
    """The highlighted team result whole, under the Drills table: a cell cut at 80 columns, and
    what the Ratings letters stand for."""
    ratings = ", ".join(f"{capability} {rating}" for capability, rating in row.ratings.items())
    return join(content(row.team, "bold"), " · ", row.title, content(f" · {when(row.created)} · overall "
                f"{row.overall:.1f}" + (f" · ratings: {ratings}" if ratings else "") + " · Enter: scorecard", "dim"))


def drill_columns(width: int, rows: list) -> list[tuple[str, int]]:
    """The Drills table's columns for a terminal `width`: dates, scores, ratings and status at
    their own width, scenario and team sharing the rest (each no wider than its longest)."""
    fixed = (("Date", 16), ("Overall", 7), ("Ratings", 9), ("Status", 6))
    free = max(width - sum(w for _, w in fixed) - 2 * 6 - 2, 16)  # cell padding, the scrollbar
    titles = max((rich(r.title).cell_len for r in rows), default=8)
    teams = max((rich(r.team).cell_len for r in rows), default=4)
    team = max(4, min(teams, max(8, free * 2 // 5)))
    if free - team > titles:  # the titles fit: the rest to long team names
        team = min(teams, free - titles)
    return [fixed[0], ("Scenario", free - team), ("Team", team), *fixed[1:]]


def missed_columns(width: int, kinds: list[str], shares: list[str]) -> list[tuple[str, int]]:
    """The Most missed table's columns for a terminal `width` (the detail under it shows the
    whole step and source)."""
    kind = max([len("Kind"), *map(len, kinds)])
    share = max([len("Missed in"), *map(len, shares)])
    free = max(width - kind - share - 2 * 4 - 2, 20)
    label = free * 11 // 20
    return [("Missed", label), ("Kind", kind), ("Missed in", share), ("Source", free - label)]


def result_key(row) -> tuple[str, str] | None:
    """A team result as the Drills table finds it again: its drill and team."""
    return None if row is None else (row.drill_id, row.team)


class DrillsTable(DataTable):
    """The Drills tab: one row per team result. Refilled, its cursor stays on the team result
    it was on."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.results: list = []  # the team results, in table order

    def fill(self, results: list, width: int, when: Callable[[str], str]) -> None:
        keep = result_key(self.highlighted())
        self.clear(columns=True)
        for label, size in drill_columns(width, results):
            self.add_column(label, width=size)
        self.add_rows(
            (
                when(r.created), cell(r.title), cell(r.team), f"{r.overall:5.1f}",
                " ".join(r.ratings.values()) or "-", "ended" if r.status == "ended" else "open",
            )
            for r in results
        )
        self.results = results
        if keep is not None:
            self.put_cursor(keep)

    def highlighted(self):
        """The team result the cursor is on, if any."""
        if not self.results or not 0 <= self.cursor_row < len(self.results):
            return None
        return self.results[self.cursor_row]

    def put_cursor(self, key: tuple[str, str]) -> None:
        """The cursor on that team result (else on its drill, else where it was)."""
        keys = [result_key(r) for r in self.results]
        if key in keys:
            at = keys.index(key)
        else:
            at = next((i for i, k in enumerate(keys) if k[0] == key[0]), None)
        if at is not None:
            self.move_cursor(row=at)


class MissedPane(Vertical):
    """The Most missed tab: its table, and under it the highlighted step whole."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.missed: list = []  # the table's rows, in table order

    async def mount_parts(self) -> None:
        if not self.children:
            await self.mount_all([DataTable(id="review-missed", cursor_type="row"), Static(id="review-missed-detail")])

    def fill(self, missed: list, width: int) -> None:
        """The table refilled with its cursor kept on the same line (or the last one)."""
        table = self.query_one("#review-missed", DataTable)
        self.missed = missed
        at = table.cursor_row
        shares = [f"{m.count:,} of {m.of:,} ({100 * m.count / m.of:.0f}%)" for m in missed]
        kinds = [("step" if m.miss.dimension == "steps" else "escalation") + (" (late)" if m.miss.how == "late" else "")
                 for m in missed]
        table.clear(columns=True)
        for label, size in missed_columns(width, kinds, shares):
            table.add_column(label, width=size)
        for item, kind, share in zip(missed, kinds, shares, strict=True):
            table.add_row(rich(item.miss.label), kind, share, rich(item.miss.source or "-"))
        if missed:
            table.move_cursor(row=min(max(at, 0), len(missed) - 1))
        self.show(table.cursor_row)

    def show(self, row: int) -> None:
        """The whole step, its count in words and its guide section: the table has room for none.
        A step came up in a team-drill when the team's path asked it: not on a branch not taken,
        nor on an inject of another scenario."""
        self.query_one("#review-missed-detail", Static).update(self.detail(row))

    def detail(self, row: int) -> Content:
        if not self.missed:
            return content("Nothing missed in the drills selected.", "italic")
        item = self.missed[min(max(row, 0), len(self.missed) - 1)]
        how = "Reached late" if item.miss.how == "late" else "Missed"
        return content(
            f"{item.miss.label}\n{how} in {item.count:,} of the {item.of:,} team-drills where it came up "
            f"({100 * item.count / item.of:.0f}%)\nSource: {item.miss.source or '-'}"
        )


class ComparePane(Vertical):
    """The Compare tab: a heading naming the scenario, each team's latest result on it (a
    column per dimension any of them was scored in) with their mean, and a note on the cells
    not scored."""

    async def mount_parts(self) -> None:
        if not self.children:
            await self.mount_all([Static(id="review-compare-title"), Static(id="review-compare-note"),
                                  DataTable(id="review-compare", cursor_type="row")])

    def fill(self, heading: str | None, rows: list, width: int, when: Callable[[str], str]) -> None:
        """`heading` None: no drill to compare yet."""
        from scoring.history import means

        title = self.query_one("#review-compare-title", Static)
        note = self.query_one("#review-compare-note", Static)
        table = self.query_one("#review-compare", DataTable)
        table.clear(columns=True)
        note.update("")
        if heading is None:
            title.update(content("No drills to compare yet.", "italic"))
            return
        title.update(content(heading))
        wide = width >= WIDE
        dims = list(dict.fromkeys(d for r in rows for d in r.dimensions))
        heads = [(d if wide else SHORT.get(d, d)) for d in dims]
        fixed = 7 + sum(max(len(h), 5) for h in heads) + (16 if wide else 10)
        team = max(8, width - fixed - 2 * (len(dims) + 3) - 2)
        table.add_column("Team", width=min(team, max([4, *(rich(r.team).cell_len for r in rows)])))
        table.add_column("Overall", width=7)
        for head in heads:
            table.add_column(head, width=max(len(head), 5))
        table.add_column("Date", width=16 if wide else 10)

        def cells(values: dict) -> list[str]:
            return [f"{values[d]:5.1f}" if d in values else NOT_SCORED for d in dims]

        for r in rows:
            shown = when(r.created)
            table.add_row(rich(r.team), f"{r.overall:5.1f}", *cells(r.dimensions), shown if wide else shown[:10])
        overall, averaged = means(rows)
        if len(rows) > 1 and overall is not None:
            table.add_row(rich("Mean"), f"{overall:5.1f}", *cells(averaged), "")
        if any(d not in r.dimensions for r in rows for d in dims):
            note.update(content(f"{NOT_SCORED} not scored: timeliness only in timed drills (left out of its mean); "
                                "a dimension the team's path never asked."))
