"""The scenario library: every scenario in a filterable table with a preview, invalid files
listed with their problems, interrupted drills offered for resume.

The rows come from the library's cache (scenarios/catalog.py) in the first frame; files new or
changed since are validated in a worker and their rows replaced when it is done."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static  # Select: when the filters come, see below

from ..widgets.footer import footer
from ..widgets.literal import content, join, rich

if TYPE_CHECKING:
    from scenarios.catalog import Row, Scan

FILTERS = (("violation", "Any violation"), ("jurisdiction", "Any jurisdiction"), ("difficulty", "Any level"))
COLUMNS = {"Violation": 16, "Jurisdiction": 17, "Level": 12, "Injects": 7}


def shown_path(path: str) -> str:
    """A file's name and its folder's name: enough to find it, without a machine's home path."""
    p = Path(path)
    return f"{p.parent.name}/{p.name}" if p.parent.name else p.name


class LibraryLoaded(Message):
    def __init__(self, rows: list[Row], interrupted: list) -> None:
        super().__init__()
        self.rows = rows
        self.interrupted = interrupted


class LibraryScreen(Screen):
    BINDINGS = [
        Binding("n", "new_drill", "New drill", id="library.new_drill"),
        Binding("r", "resume", "Resume", id="library.resume"),
        Binding("v", "review", "Review", id="library.review"),
        Binding("f", "filters", "Filter", id="library.filters"),
        Binding("x", "clear_filters", "Clear filters", id="library.clear_filters"),
        Binding("g", "generate", "Generate", id="library.generate"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self.validated = False  # every row checked (not only read from the cache)
        self.laid_out_for = -1  # the terminal width the table's columns were sized for
        self.offered_resume = False
        self.select_path: str | None = None  # a file to highlight once the library has (re)loaded

    def compose(self) -> ComposeResult:
        yield Header()
        yield Horizontal(id="filters")  # the filters are mounted with the library: see on_library_loaded
        yield Static("", id="resume-banner")
        yield DataTable(id="scenarios", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="preview-box"):
            yield Static(id="preview")
        yield footer()

    def on_mount(self) -> None:
        self.query_one("#resume-banner").display = False
        self.query_one(DataTable).focus()
        self.load()

    def load(self) -> None:
        """The cached rows now (a few stat() calls and one JSON file), the rest in a worker."""
        found = self.app.services.scan_library()
        self.rows = found.rows
        self.refill()
        # After the first frame: the worker's imports (pydantic, yaml) would otherwise hold the
        # GIL while the screen is being painted.
        self.call_after_refresh(self.validate, found)

    @work(thread=True, exclusive=True, name="load-library", group="library")
    def validate(self, found: Scan) -> None:
        from scenarios.errors import BreachdrillError

        services = self.app.services
        rows = services.validate_library(found)
        interrupted = []
        try:
            store = services.open_store()  # its own connection: this is not the UI thread
            try:
                interrupted = store.drills(status="in-progress")
            finally:
                store.close()
        except BreachdrillError as exc:  # a broken store must not hide the library
            self.app.call_from_thread(self.notify, f"drill store: {exc}", severity="error", markup=False)
        self.post_message(LibraryLoaded(rows, interrupted))
        import scenarios.loader  # noqa: F401  (warm: a new drill validates its file on the UI thread)

    async def on_library_loaded(self, message: LibraryLoaded) -> None:
        self.rows, self.validated = message.rows, True
        valid = [r for r in self.rows if r.ok]
        # Three Selects cost a fifth of the first frame (and their import 5 ms): they arrive with
        # the data they filter.
        from textual.widgets import Select

        options = {name: [(v, v) for v in sorted({getattr(r, name) for r in valid})] for name, _ in FILTERS}
        if self.query("#filters Select"):  # a reload (after Generate): the filters stay as chosen
            for name, _ in FILTERS:
                select = self.query_one(f"#filter-{name}", Select)
                value = select.value
                with select.prevent(Select.Changed):
                    select.set_options(options[name])
                    if any(v == value for _, v in options[name]):
                        select.value = value
        else:
            await self.query_one("#filters").mount_all(
                Select(options[name], prompt=prompt, id=f"filter-{name}", compact=True) for name, prompt in FILTERS
            )
        self.refill()
        self.show_interrupted(message.interrupted)

    def show_interrupted(self, interrupted: list) -> None:
        banner = self.query_one("#resume-banner", Static)
        banner.display = bool(interrupted)
        if not interrupted:
            return
        count = len(interrupted)
        banner.update(f"{count} interrupted drill{'s' if count > 1 else ''}: press r to resume")
        if not self.offered_resume and self.app.screen is self:  # never over a screen opened meanwhile
            self.offered_resume = True
            self.app.pick_drill()

    # --- the table -----------------------------------------------------------------------------

    def filters(self) -> dict[str, str]:
        chosen = {}
        for select in self.query("#filters Select"):
            if isinstance(select.value, str):
                chosen[select.id.removeprefix("filter-")] = select.value
        return chosen

    def refill(self) -> None:
        table = self.query_one(DataTable)
        wanted = self.filters()
        kept = self.highlighted()
        table.clear(columns=True)
        # The title takes whatever the fixed columns leave (cell padding 2, scrollbar 2), so the
        # table fits 80 columns; the inject count only gets a column when there is room for it.
        self.laid_out_for = self.app.size.width
        width = self.app.size.width - 2  # the table's margins; its own size is not laid out yet
        columns = dict(COLUMNS) if width >= 100 else {k: v for k, v in COLUMNS.items() if k != "Injects"}
        title_width = max(20, width - sum(columns.values()) - 2 * (len(columns) + 1) - 2)
        table.add_column("Scenario", width=title_width)
        for name, width in columns.items():
            table.add_column(name, width=width)
        for position, r in enumerate(self.rows):
            if r.ok:
                if any(getattr(r, name) != value for name, value in wanted.items()):
                    continue
                row = (rich(r.title), rich(r.violation), rich(r.jurisdiction), rich(r.difficulty), str(r.injects))
            elif wanted:
                continue  # an invalid or unchecked file has no trustworthy fields to filter on
            elif r.pending:
                row = (rich(shown_path(r.path), "italic"), rich("checking...", "dim"), "", "", "")
            else:
                name = rich(shown_path(r.path), "italic")
                row = (name, rich("INVALID", "bold red"), rich(f"{len(r.problems)} problem(s)"), "", "")
            table.add_row(*row[: len(columns) + 1], key=str(position))
            if (kept is not None and r.path == kept.path) or (
                self.select_path is not None and r.path == self.select_path
            ):
                table.move_cursor(row=table.row_count - 1)
        self.call_after_refresh(self.preview)  # the rows first: the preview is painted a frame later

    def highlighted(self) -> Row | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows[int(key)]

    @on(DataTable.RowHighlighted)
    def preview(self) -> None:
        entry = self.highlighted()
        self.query_one("#preview", Static).update(describe(entry) if entry else self.empty_text())

    def empty_text(self) -> Content:
        if not self.validated:
            return content("Loading the library...")
        if self.filters():
            return content("No scenario matches these filters. Press x to clear them.")
        return content("No scenarios found. Add YAML files with --library DIR or BREACHDRILL_LIBRARY.")

    def on_resize(self) -> None:
        if self.rows and self.app.size.width != self.laid_out_for:
            self.call_after_refresh(self.refill)

    def on_select_changed(self) -> None:  # a filter (by name: Select is not imported up front)
        if self.rows:
            self.refill()

    @on(DataTable.RowSelected)
    def row_selected(self) -> None:
        self.action_new_drill()

    # --- actions -------------------------------------------------------------------------------

    def action_new_drill(self) -> None:
        row = self.highlighted()
        if row is None or not (row.ok or row.pending):
            self.notify("Pick a valid scenario first (invalid files list their problems).",
                        severity="warning", markup=False)
            return
        from scenarios.loader import load_scenario

        from .new_drill import NewDrillScreen

        # The file as it is now, which the drill will snapshot; a file still being checked in the
        # background is checked here and now, rather than making the trainer wait for the rest.
        entry = load_scenario(row.path)
        earlier = {r.scenario_id: r.path for r in self.rows[: self.rows.index(row)] if r.ok}
        if not entry.ok:
            what = "does not validate" if row.pending else "changed and no longer validates"
            self.notify(f"{shown_path(row.path)} {what}; its problems are listed once the library is checked.",
                        severity="warning", markup=False)
            if not row.pending:
                self.load()
        elif row.pending and entry.scenario.id in earlier:
            self.notify(f"{shown_path(row.path)}: scenario id '{entry.scenario.id}' is already used by "
                        f"{shown_path(earlier[entry.scenario.id])}.", severity="warning", markup=False)
        else:
            self.app.push_screen(NewDrillScreen(entry))

    def action_resume(self) -> None:
        self.app.pick_drill()

    def action_review(self) -> None:
        self.app.action_review()

    def action_generate(self) -> None:
        from .generate import GenerateScreen

        def generated(path: str | None) -> None:
            if path is not None:
                self.select_path = path
                self.load()

        self.app.push_screen(GenerateScreen(self.app.services.generated_dir()), generated)

    def action_filters(self) -> None:
        for select in self.query("#filters Select"):
            select.focus()
            break

    def action_clear_filters(self) -> None:
        for select in self.query("#filters Select"):
            select.clear()
        self.query_one(DataTable).focus()


def describe(row: Row) -> Content:
    """The preview: summary, facts and inject count; or, for an invalid file, its problems."""
    if row.pending:
        return content(f"{shown_path(row.path)} is new or changed since the last start: checking it...", "italic")
    if not row.ok:
        lines = [content(f"{shown_path(row.path)} cannot be played:", "bold $error")]
        for line, col, message in row.problems:
            lines.append(content(f"  line {line}, col {col}: {message}"))
        return Content("\n").join(lines)
    p = row.preview
    parts = [
        content(row.title, "bold"),
        content(
            f"{row.violation} · {row.jurisdiction} · {row.difficulty} · {row.injects} injects · {shown_path(row.path)}",
            "dim",
        ),
        content(p["summary"]),
        join(content("Facts: ", "bold"), p["facts"]),
    ]
    if p["objectives"]:
        parts.append(join(content("Objectives: ", "bold"), p["objectives"]))
    parts.append(content(f"Opens with: {p['opens']}", "italic"))
    return Content("\n").join(parts)
