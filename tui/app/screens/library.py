"""The scenario library: every scenario in a filterable table with a preview, invalid files
listed with their problems, interrupted drills offered for resume.

The rows come from the library's cache (scenarios/catalog.py) in the first frame; files new or
changed since are validated in a worker and their rows replaced when it is done."""

from __future__ import annotations

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
from ..widgets.library_preview import describe
from ..widgets.library_table import column_widths, row_cells, shown_path
from ..widgets.literal import content

if TYPE_CHECKING:
    from scenarios.catalog import Row, Scan

FILTERS = (("violation", "Any violation"), ("jurisdiction", "Any jurisdiction"), ("difficulty", "Any level"))


class LibraryLoaded(Message):
    def __init__(self, rows: list[Row], interrupted: list) -> None:
        super().__init__()
        self.rows = rows
        self.interrupted = interrupted


class InterruptedCounted(Message):
    """The store's interrupted drills, counted again when the library is shown again."""

    def __init__(self, interrupted: list) -> None:
        super().__init__()
        self.interrupted = interrupted


class LibraryScreen(Screen):
    BINDINGS = [
        Binding("n", "new_drill", "New drill", id="library.new_drill"),
        Binding("r", "resume", "Resume", id="library.resume"),
        Binding("v", "review", "Review", id="library.review"),
        Binding("f", "filters", "Filter", id="library.filters"),
        Binding("x", "clear_filters", "Show all", id="library.clear_filters"),
        Binding("g", "generate", "Generate", id="library.generate"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self.validated = False  # every row checked (not only read from the cache)
        self.previewed: tuple | None = None  # (row, validated, filters) the preview shows
        self.laid_out_for: tuple = ()  # the column widths the table was last filled with
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
        self.call_after_refresh(self.relayout)  # the table's own size is known after the first layout

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
            self.call_after_refresh(self.read_styles)
        self.refill()
        self.show_interrupted(message.interrupted)

    def read_styles(self) -> None:
        """Every other screen's style sheets (screens.STYLES), read once the library is on the
        screen: the first screen pushed after it (Review, a new drill) then opens without parsing
        them and restyling the whole app first, a fifth of Review's opening."""
        from pathlib import Path

        from . import STYLES

        sheet, added = self.app.stylesheet, False
        for name in STYLES:
            # The path as Textual names a screen's CSS_PATH (relative to the screen's module), so
            # that the screen finds its sheets already read.
            path = (Path(__file__).parent / name).resolve()
            if not sheet.has_source(str(path), ""):
                sheet.read(path)
                added = True
        if added:
            sheet.reparse()
            sheet.update(self.app)

    def on_screen_resume(self) -> None:
        # Back from a drill (ended here, or by another terminal meanwhile): the banner says what
        # the store holds now. Before the first load, `validate` counts them.
        if self.validated:
            self.count_interrupted()

    @work(thread=True, exclusive=True, name="count-interrupted", group="library-banner")
    def count_interrupted(self) -> None:
        from scenarios.errors import BreachdrillError

        try:
            store = self.app.services.open_store()
            try:
                interrupted = store.drills(status="in-progress")
            finally:
                store.close()
        except BreachdrillError:  # said once by `validate`; a banner left as it was says no more
            return
        self.post_message(InterruptedCounted(interrupted))

    def on_interrupted_counted(self, message: InterruptedCounted) -> None:
        self.show_interrupted(message.interrupted, offer=False)

    def show_interrupted(self, interrupted: list, offer: bool = True) -> None:
        banner = self.query_one("#resume-banner", Static)
        if banner.display != bool(interrupted):
            banner.display = bool(interrupted)
            self.call_after_refresh(self.relayout)  # a row more or less for the table: a scrollbar may come or go
        if not interrupted:
            return
        count = len(interrupted)
        banner.update(f"{count} interrupted drill{'s' if count > 1 else ''}: press r to resume")
        if offer and not self.offered_resume and self.app.screen is self:  # never over a screen opened meanwhile
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
        shown = []
        for position, r in enumerate(self.rows):
            if r.ok and any(getattr(r, name) != value for name, value in wanted.items()):
                continue
            if not r.ok and wanted:
                continue  # an invalid or unchecked file has no trustworthy fields to filter on
            shown.append((position, r))
        title_width, columns = self.plan_columns(len(shown))
        self.laid_out_for = (title_width, *columns.items())
        table.clear(columns=True)
        table.add_column("Scenario", width=title_width)
        for name, width in columns.items():
            table.add_column(name, width=width)
        for position, r in shown:
            table.add_row(*row_cells(r, title_width, len(columns)), key=str(position))
            if (kept is not None and r.path == kept.path) or (
                self.select_path is not None and r.path == self.select_path
            ):
                table.move_cursor(row=table.row_count - 1)
        self.preview()  # in the same frame as the rows: one layout, not a second one for the preview

    def plan_columns(self, shown: int) -> tuple[int, dict[str, int]]:
        """The title's width and the other columns' for the room the table has (`column_widths`)."""
        table = self.query_one(DataTable)
        if table.size.width:
            available = table.size.width
            overflows = shown + 1 > table.size.height  # the header's row and the rows: a scrollbar
        else:  # the first frame, before layout: the table spans the screen less its margins
            available = self.app.size.width - 2
            overflows = shown > max(6, self.app.size.height - 18)
        if overflows:
            available -= table.styles.scrollbar_size_vertical
        return column_widths(self.rows, available)

    def highlighted(self) -> Row | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows[int(key)]

    @on(DataTable.RowHighlighted)
    def preview(self) -> None:
        entry = self.highlighted()
        wanted = (entry, self.validated, self.filters())
        if self.previewed and self.previewed[0] is entry and self.previewed[1:] == wanted[1:]:
            return  # refill's own call and the RowHighlighted its rows post: describe the row once
        self.previewed = wanted
        self.query_one("#preview", Static).update(describe(entry) if entry else self.empty_text())

    def empty_text(self) -> Content:
        if not self.validated:
            return content("Loading the library...")
        if self.filters():
            return content("No scenario matches these filters. Press x to clear them.")
        return content("No scenarios found. Add YAML files with --library DIR or BREACHDRILL_LIBRARY.")

    def on_resize(self) -> None:
        self.call_after_refresh(self.relayout)

    def relayout(self) -> None:
        """Fill the table again when the terminal's size calls for other column widths."""
        if not self.rows:
            return
        title_width, columns = self.plan_columns(self.query_one(DataTable).row_count)
        if (title_width, *columns.items()) != self.laid_out_for:
            self.refill()

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
