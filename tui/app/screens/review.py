"""Review: every drill in the store, per-team trends, the steps most often missed, team comparison.

The results come from `scoring.history`, which keeps a summary of each scorecard in the store,
so opening this screen on thousands of drills reads summaries rather than re-scoring them.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Select, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from ..widgets.footer import footer
from ..widgets.literal import content, rich
from ..widgets.review_filters import FilterBar
from ..widgets.trend_plot import TREND_POINTS, TrendPlot
from . import STYLES
from .drills import local_time

SHOWN_ROWS = 300  # newest team results listed (more costs the first frame); every pane counts them all


class ReviewRescoring(Message):
    """Progress of the background rebuild of stale summaries (`done` of `total` drills)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class ReviewLoaded(Message):
    """What the panes show for the current filters, read in a worker."""

    def __init__(self, view: dict | None, error: str | None = None) -> None:
        super().__init__()
        self.view = view
        self.error = error


class ReviewScreen(Screen):
    CSS_PATH = STYLES  # read when the first screen after the library opens
    BINDINGS = [
        Binding("enter", "open", "Open scorecard", id="review.open"),
        Binding("e", "export", "Export report", id="review.export"),
        Binding("f", "filters", "Filter", id="review.filters"),
        Binding("x", "clear_filters", "Clear filters", id="review.clear_filters"),
        Binding("t", "next_tab", "Next tab", id="review.next_tab"),
        Binding("escape", "back", "Library", id="review.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list = []  # the Drills table's team results, in table order
        self.trend_teams: list[str] = []
        self.missed: list = []  # the Most missed table's rows, in table order
        self.loading_results = False
        self.rescoring = 0  # drills whose stale summaries the background worker has still to rebuild
        self.counts = (0, 0, 0)  # (drills, team results, shown) of the Drills pane
        self.shown: dict[str, object] = {}  # pane -> the filters it shows

    def compose(self) -> ComposeResult:
        # Only what the first frame needs: the filter dropdowns arrive with their choices, and the
        # other tabs' tables when a tab is first opened (each widget costs start-up time).
        yield Header()
        yield FilterBar(id="review-filters")
        yield Static(id="review-summary")
        with TabbedContent(id="review-tabs"):
            with TabPane("Drills", id="tab-drills"):
                yield DataTable(id="review-drills", cursor_type="row", zebra_stripes=True)
            with TabPane("Trend", id="tab-trend"):
                yield TrendPlot(id="review-trend")
            with TabPane("Most missed", id="tab-missed"):
                yield Vertical(id="review-missed-box")
            with TabPane("Compare", id="tab-compare"):
                yield Vertical(id="review-compare-box")
        yield footer()

    def on_mount(self) -> None:
        drills = self.query_one("#review-drills", DataTable)
        # Fixed widths that fit 80 columns: long titles and names are cut, the scores never are.
        columns = (("Date", 16), ("Scenario", 17), ("Team", 10), ("Overall", 7), ("Ratings", 9), ("Status", 6))
        for label, width in columns:
            drills.add_column(label, width=width)
        # A line of text, not the table's loading indicator: mounting and pruning that widget
        # cost more than the 10,000-drill query it waits for.
        self.query_one("#review-summary", Static).update(content("Loading drills…", "italic"))
        self.loading_results = True
        self.refresh_view(fresh=True)

    async def _missed_table(self) -> DataTable:
        box = self.query_one("#review-missed-box", Vertical)
        if not box.children:
            table = DataTable(id="review-missed", cursor_type="row")
            await box.mount_all([table, Static(id="review-missed-detail")])
            for label, width in (("Missed", 34), ("Kind", 17), ("Team-drills", 14), ("Source", 60)):
                table.add_column(label, width=width)
        return self.query_one("#review-missed", DataTable)

    async def _compare_table(self) -> DataTable:
        box = self.query_one("#review-compare-box", Vertical)
        if not box.children:
            await box.mount_all([Static(id="review-compare-title"), DataTable(id="review-compare", cursor_type="row")])
        return self.query_one("#review-compare", DataTable)

    @work(thread=True, exclusive=True, name="review-load", group="review")
    def load(self, filters, panes: frozenset[str], fresh: bool = False, choices: bool = False) -> None:
        """What the given panes show for these filters. Only the panes on screen are read, so
        opening Review on thousands of drills reads one page of them; `fresh` also reads the
        filters' choices and looks for stale summaries, which are rebuilt in the background:
        until then those drills are shown as their cache has them. `choices` re-reads the
        filters' choices alone (after that rebuild)."""
        from scoring import history
        from scoring.store import StoreError

        try:
            store = self.app.services.open_store()
        except StoreError as exc:
            self.post_message(ReviewLoaded(None, str(exc)))
            return
        try:
            view = {"filters": filters, "panes": panes, "choices": history.choices(store) if fresh or choices else None,
                    "count": history.count(store, filters)}
            if "drills" in panes:
                view["rows"] = history.results(store, filters, limit=SHOWN_ROWS)
            if "missed" in panes:
                view["missed"] = history.most_missed(store, filters, limit=20)
            if "trend" in panes:
                view["trends"] = history.trends(store, filters, last=TREND_POINTS)
            if "compare" in panes:
                rows = view.get("rows", self.rows)
                scenario = filters.scenario or (rows[0].scenario_id if rows else None)
                view["compare"] = (scenario, history.compare(store, filters, scenario) if scenario else [])
            self.post_message(ReviewLoaded(view))
            if fresh and (stale := history.stale(store)):
                self.post_message(ReviewRescoring(0, len(stale)))
                self.rescore(stale)
        except StoreError as exc:
            self.post_message(ReviewLoaded(None, str(exc)))
        finally:
            store.close()

    @work(thread=True, exclusive=True, name="review-rescore", group="review-rescore")
    def rescore(self, drill_ids: list[str]) -> None:
        """Rescore drills whose summaries are stale (a drill still running, a new scorer version),
        a batch per transaction so a drill being played is never kept waiting long."""
        from scoring import history
        from scoring.store import StoreError

        try:
            store = self.app.services.open_store()
        except StoreError:
            return
        worker = get_current_worker()

        def progress(done: int, total: int) -> bool:
            if done < total:
                self.post_message(ReviewRescoring(done, total))
            return not worker.is_cancelled  # Review was closed: the rest waits for its next opening

        try:
            history.rebuild(store, drill_ids, progress=progress)
        except StoreError as exc:
            self.post_message(ReviewLoaded(None, str(exc)))
        finally:
            store.close()
            self.post_message(ReviewRescoring(len(drill_ids), len(drill_ids)))

    def on_review_rescoring(self, message: ReviewRescoring) -> None:
        self.rescoring = message.total - message.done
        if message.done == message.total:
            self.reload()  # every pane and the team filter show the cache as it was
        else:
            self.query_one("#review-summary", Static).update(self._summary_text())

    async def on_review_loaded(self, message: ReviewLoaded) -> None:
        if message.error:
            self.loading_results = False
            self.notify(message.error, severity="error", markup=False)
            return
        view, bar = message.view, self.query_one(FilterBar)
        if view["choices"] is not None and not bar.ready:
            with self.prevent(Select.Changed, Input.Changed):
                await bar.add_filters(view["choices"])
            self.query_one("#review-drills", DataTable).focus()
        elif view["choices"] is not None:
            with self.prevent(Select.Changed):
                bar.set_choices(view["choices"])
        if "rows" in view:
            self._show_summary(*view["count"], len(view["rows"]))
            self._fill_drills(view["rows"])
        if "missed" in view:
            self._fill_missed(await self._missed_table(), view["missed"])
        if "trends" in view:
            # What the chart shows, for tests and help.
            self.trend_teams = self.query_one(TrendPlot).show(view["trends"])
        if "compare" in view:
            await self._compare_table()
            self._fill_compare(*view["compare"])
        for pane in view["panes"]:
            self.shown[pane] = view["filters"]
        self.loading_results = False

    def refresh_view(self, fresh: bool = False) -> None:
        """Reload the Drills pane and the pane in view, if they do not show these filters yet."""
        filters = self.filters()
        active = self.query_one(TabbedContent).active.removeprefix("tab-")
        panes = frozenset(p for p in ("drills", active) if fresh or self.shown.get(p) != filters)
        if panes:
            self.load(filters, panes, fresh)

    def on_screen_resume(self) -> None:
        """Back from a scorecard, where a correction, a rename or an archive may have changed
        what the panes show (the store saved the new summaries with that event)."""
        if self.shown:
            self.reload()

    def reload(self) -> None:
        """Read the Drills pane, the pane in view and the filters' choices again."""
        self.shown.clear()
        active = self.query_one(TabbedContent).active.removeprefix("tab-")
        self.load(self.filters(), frozenset(("drills", active)), choices=True)

    @on(TabbedContent.TabActivated)
    def tab_activated(self) -> None:
        self.refresh_view()

    # --- filtering ---------------------------------------------------------------------------

    def filters(self):
        return self.query_one(FilterBar).filters()

    @on(Select.Changed)
    @on(Input.Changed)
    def filter_changed(self) -> None:
        self.refresh_view()

    def _show_summary(self, drills: int, results: int, shown: int) -> None:
        self.counts = (drills, results, shown)
        self.query_one("#review-summary", Static).update(self._summary_text())

    def _summary_text(self):
        drills, results, shown = self.counts
        more = f"; showing the newest {shown:,}, filter to narrow" if results > shown else ""
        text = f"{drills:,} drill(s), {results:,} team result(s){more}."
        bad = self.query_one(FilterBar).bad_dates()
        if bad:
            text += f" Ignoring {' and '.join(bad)}: write dates as YYYY-MM-DD."
        if not drills and not any(self.filters().__dict__.values()):
            text = "No drills in the store yet: run one from the library (n), then review it here."
        if self.rescoring:
            text += f" Rescoring {self.rescoring:,} drill(s) in the background: their rows may change."
        return content(text)

    def _fill_drills(self, rows: list) -> None:
        table = self.query_one("#review-drills", DataTable)
        table.clear()
        table.add_rows(
            (
                local_time(r.created), rich(r.title), rich(r.team), f"{r.overall:5.1f}",
                " ".join(r.ratings.values()) or "-", "ended" if r.status == "ended" else "open",
            )
            for r in rows
        )
        self.rows = rows

    def _fill_missed(self, table: DataTable, missed: list) -> None:
        table.clear()
        self.missed = missed
        self.query_one("#review-missed-detail", Static).update("")
        for item in missed:
            m = item.miss
            kind = ("step" if m.dimension == "steps" else "escalation") + (" (late)" if m.how == "late" else "")
            share = f"{item.count}/{item.of} ({100 * item.count / item.of:.0f}%)"
            table.add_row(rich(m.label), kind, share, rich(m.source or "-"))

    def _fill_compare(self, scenario: str | None, rows: list) -> None:
        title = self.query_one("#review-compare-title", Static)
        table = self.query_one("#review-compare", DataTable)
        table.clear(columns=True)
        if scenario is None:
            title.update(content("Pick a scenario (filter above) to compare teams on it.", "italic"))
            return
        dims = list(dict.fromkeys(d for r in rows for d in r.dimensions))
        title.update(content(f"Each team's latest result on {scenario}", "bold"))
        table.add_columns("Team", "Overall", *dims, "Date")
        for r in rows:
            table.add_row(rich(r.team), f"{r.overall:5.1f}", *[f"{r.dimensions.get(d, 0):5.1f}" for d in dims],
                          local_time(r.created))

    @on(DataTable.RowHighlighted, "#review-missed")
    def missed_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The whole step and its guide section: the table has room for neither."""
        if 0 <= event.cursor_row < len(self.missed):
            m = self.missed[event.cursor_row].miss
            self.query_one("#review-missed-detail", Static).update(content(f"{m.label}\nSource: {m.source or '-'}"))

    # --- actions -----------------------------------------------------------------------------

    def _highlighted_drill(self) -> str | None:
        table = self.query_one("#review-drills", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row].drill_id

    @on(DataTable.RowSelected, "#review-drills")
    def drill_selected(self) -> None:
        # The table takes Enter for itself; its selection is the same request as review.open.
        self.action_open()

    def action_open(self) -> None:
        drill_id = self._highlighted_drill()
        if drill_id is not None:
            self.app.open_drill(drill_id, review=True, keep=True)

    def action_export(self) -> None:
        from .export import ExportScreen

        drill_id = self._highlighted_drill()
        if drill_id is None:
            self.notify("Pick a drill in the Drills tab to export its after-action report.", markup=False)
            return
        self.app.push_screen(ExportScreen(drill_id))

    def action_filters(self) -> None:
        self.query_one(FilterBar).focus_first()

    def action_clear_filters(self) -> None:
        with self.prevent(Select.Changed, Input.Changed):
            self.query_one(FilterBar).clear()
        self.refresh_view()

    def action_next_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        order = ["tab-drills", "tab-trend", "tab-missed", "tab-compare"]
        tabs.active = order[(order.index(tabs.active) + 1) % len(order)]

    def action_back(self) -> None:
        self.app.pop_screen()
