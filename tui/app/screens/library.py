"""The scenario library: every scenario in a filterable table with a preview, invalid files
listed with their problems, interrupted drills offered for resume."""

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
from textual.widgets import DataTable, Header, Select, Static

from ..widgets.footer import footer
from ..widgets.literal import content, join, rich

if TYPE_CHECKING:
    from scenarios.loader import Loaded

FILTERS = (("violation", "Any violation"), ("jurisdiction", "Any jurisdiction"), ("difficulty", "Any level"))
COLUMNS = {"Violation": 16, "Jurisdiction": 17, "Level": 12, "Injects": 7}


def shown_path(path: str) -> str:
    """A file's name and its folder's name: enough to find it, without a machine's home path."""
    p = Path(path)
    return f"{p.parent.name}/{p.name}" if p.parent.name else p.name


class LibraryLoaded(Message):
    def __init__(self, entries: list[Loaded], interrupted: list) -> None:
        super().__init__()
        self.entries = entries
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
        self.entries: list[Loaded] = []
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
        table = self.query_one(DataTable)
        table.focus()
        self.query_one("#preview", Static).update(self.empty_text())
        # After the first frame: the worker's imports (pydantic, yaml) would otherwise hold the
        # GIL while the screen is being painted.
        self.call_after_refresh(self.load)

    @work(thread=True, exclusive=True, name="load-library", group="library")
    def load(self) -> None:
        services = self.app.services
        entries = services.discover()
        interrupted = []
        try:
            store = services.open_store()  # its own connection: this is not the UI thread
            try:
                interrupted = store.drills(status="in-progress")
            finally:
                store.close()
        except Exception as exc:  # a broken store must not hide the library
            self.app.call_from_thread(self.notify, f"drill store: {exc}", severity="error", markup=False)
        self.post_message(LibraryLoaded(entries, interrupted))

    async def on_library_loaded(self, message: LibraryLoaded) -> None:
        self.entries = message.entries
        valid = [e.scenario for e in self.entries if e.scenario is not None and e.ok]
        # Three Selects cost a fifth of the first frame: they arrive with the data they filter.
        options = {name: [(v, v) for v in sorted({getattr(s, name) for s in valid})] for name, _ in FILTERS}
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
        if not self.offered_resume:
            self.offered_resume = True
            self.app.pick_drill()

    # --- the table -----------------------------------------------------------------------------

    def filters(self) -> dict[str, str]:
        chosen = {}
        for select in self.query("#filters Select").results(Select):
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
        width = self.app.size.width - 2  # the table's margins; its own size is not laid out yet
        columns = dict(COLUMNS) if width >= 100 else {k: v for k, v in COLUMNS.items() if k != "Injects"}
        title_width = max(20, width - sum(columns.values()) - 2 * (len(columns) + 1) - 2)
        table.add_column("Scenario", width=title_width)
        for name, width in columns.items():
            table.add_column(name, width=width)
        for position, entry in enumerate(self.entries):
            s = entry.scenario
            if entry.ok and s is not None:
                if any(getattr(s, name) != value for name, value in wanted.items()):
                    continue
                row = (rich(s.title), rich(s.violation), rich(s.jurisdiction), rich(s.difficulty), str(len(s.injects)))
            elif wanted:
                continue  # an invalid file has no trustworthy fields to filter on
            else:
                name = rich(shown_path(entry.path), "italic")
                row = (name, rich("INVALID", "bold red"), rich(f"{len(entry.problems)} problem(s)"), "", "")
            table.add_row(*row[: len(columns) + 1], key=str(position))
            if entry is kept or (self.select_path is not None and entry.path == self.select_path):
                table.move_cursor(row=table.row_count - 1)
        self.preview()

    def highlighted(self) -> Loaded | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.entries[int(key)]

    @on(DataTable.RowHighlighted)
    def preview(self) -> None:
        entry = self.highlighted()
        self.query_one("#preview", Static).update(describe(entry) if entry else self.empty_text())

    def empty_text(self) -> Content:
        if not self.query("#filters Select"):
            return content("Loading the library...")
        if self.filters():
            return content("No scenario matches these filters. Press x to clear them.")
        return content("No scenarios found. Add YAML files with --library DIR or BREACHDRILL_LIBRARY.")

    def on_resize(self) -> None:
        if self.entries:
            self.call_after_refresh(self.refill)

    @on(Select.Changed)
    def filter_changed(self) -> None:
        if self.entries:
            self.refill()

    @on(DataTable.RowSelected)
    def row_selected(self) -> None:
        self.action_new_drill()

    # --- actions -------------------------------------------------------------------------------

    def action_new_drill(self) -> None:
        entry = self.highlighted()
        if entry is None or not entry.ok:
            self.notify("Pick a valid scenario first (invalid files list their problems).", severity="warning")
            return
        from .new_drill import NewDrillScreen

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
        for select in self.query("#filters Select").results(Select):
            select.focus()
            break

    def action_clear_filters(self) -> None:
        for select in self.query("#filters Select").results(Select):
            select.clear()
        self.query_one(DataTable).focus()


def unfilled(scenario, text: str) -> str:
    """Preview text before a drill has a seed: the record count filled, other details named."""
    from scenarios.render import PLACEHOLDER

    def token(match) -> str:
        if match.group(1) == "records" and scenario.facts.residents_affected:
            return f"{scenario.facts.residents_affected:,}"
        return f"<{match.group(1)}>"

    return PLACEHOLDER.sub(token, text)


def describe(entry: Loaded) -> Content:
    """The preview: summary, facts and inject count; or, for an invalid file, its problems."""
    s = entry.scenario
    if not entry.ok or s is None:
        lines = [content(f"{shown_path(entry.path)} cannot be played:", "bold $error")]
        for p in entry.problems:
            lines.append(content(f"  line {p.line}, col {p.col}: {p.message}"))
        return Content("\n").join(lines)
    facts = [f"{name.replace('_', ' ')}: {value}" for name, value in s.facts.model_dump().items()]
    first, ends = s.injects[0], len(s.injects)
    parts = [
        content(s.title, "bold"),
        content(f"{s.violation} · {s.jurisdiction} · {s.difficulty} · {ends} injects · {shown_path(entry.path)}", "dim"),
        content(" ".join(unfilled(s, s.summary).split())),
        join(content("Facts: ", "bold"), "; ".join(facts)),
    ]
    if s.objectives:
        parts.append(join(content("Objectives: ", "bold"), "; ".join(s.objectives)))
    parts.append(content(f"Opens with: {unfilled(s, first.title)} ({first.channel})", "italic"))
    return Content("\n").join(parts)
