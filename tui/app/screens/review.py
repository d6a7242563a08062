"""Review: every drill in the store, per-team trends, the steps most often missed, team comparison.

The results come from `scoring.history`, which keeps a summary of each scorecard in the store,
so opening this screen on thousands of drills reads summaries rather than re-scoring them.

Trend and Compare are about one scenario (team names repeat across drills, "Team 1", so joining
them across scenarios would join unrelated teams): the one chosen in the filters, else the
scenario of the drill highlighted in the Drills tab; each pane says which. Columns are sized to
the terminal whenever its width changes.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Select, Static, TabbedContent, TabPane, Tabs
from textual.worker import get_current_worker

from ...text import counted
from ..widgets.footer import footer
from ..widgets.literal import content
from ..widgets.review_filters import FilterBar
from ..widgets.review_tables import ComparePane, DrillsTable, MissedPane, result_key, row_detail
from ..widgets.review_view import ReviewLoaded, ReviewRescoring, read_view
from ..widgets.trend_plot import TrendPlot
from . import STYLES
from .drills import local_time

PANES = ("drills", "trend", "missed", "compare")
ON_ONE_SCENARIO = ("trend", "compare")  # the panes that show one scenario
PANE_FOCUS = {"drills": "#review-drills", "missed": "#review-missed", "compare": "#review-compare"}


class ReviewScreen(Screen):
    CSS_PATH = STYLES  # read when the first screen after the library opens
    BINDINGS = [
        Binding("enter", "open", "Open scorecard", id="review.open"),
        Binding("e", "export", "Export report", id="review.export"),
        Binding("f", "filters", "Filter", id="review.filters"),
        Binding("x", "clear_filters", "Show all", id="review.clear_filters"),
        Binding("t", "next_tab", "Next tab", id="review.next_tab"),
        Binding("escape", "back", "Library", id="review.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.trend_teams: list[str] = []
        self.compared: tuple = (None, False, [])  # (scenario, chosen, its teams' latest results)
        self.loading_results = False
        self.rescoring = 0  # drills whose stale summaries the background worker has still to rebuild
        self.counts = (0, 0, 0)  # (drills, team results, shown) of the Drills pane
        self.shown: dict[str, object] = {}  # pane -> what it shows: (filters, scenario)
        # pane -> what it was last asked to show: the tab activated as Review mounts must not
        # read (and fill 300 rows) again what the first load is already reading.
        self.asked: dict[str, object] = {}
        self.titles: dict[str, str] = {}  # scenario id -> title, from the filter's choices
        self.opened: tuple[str, str] | None = None  # (drill, team) of the row whose scorecard was opened
        self.follow: str | None = None  # a pane whose table takes the focus once it is filled
        self.sized = 0  # the width the columns were sized for

    def compose(self) -> ComposeResult:
        # Only what the first frame needs: the filter dropdowns arrive with their choices, and the
        # other tabs' tables when a tab is first opened (each widget costs start-up time).
        yield Header()
        yield FilterBar(id="review-filters")
        yield Static(id="review-filter-note")
        yield Static(id="review-summary")
        with TabbedContent(id="review-tabs"):
            with TabPane("Drills", id="tab-drills"):
                yield DrillsTable(id="review-drills", cursor_type="row", zebra_stripes=True)
                yield Static(id="review-row-detail")
            with TabPane("Trend", id="tab-trend"):
                yield TrendPlot(id="review-trend")
            with TabPane("Most missed", id="tab-missed"):
                yield MissedPane(id="review-missed-box")
            with TabPane("Compare", id="tab-compare"):
                yield ComparePane(id="review-compare-box")
        yield footer()

    def on_mount(self) -> None:
        self._fill_drills([])
        # A line of text, not the table's loading indicator: mounting and pruning that widget
        # cost more than the 10,000-drill query it waits for.
        self.query_one("#review-summary", Static).update(content("Loading drills…", "italic"))
        self.loading_results = True
        self.refresh_view(fresh=True)

    def on_resize(self) -> None:
        if self.size.width == self.sized:
            return
        self.sized = self.size.width
        self._fill_drills(self.rows)
        if self.query("#review-missed"):
            self.query_one(MissedPane).fill(self.missed, self.size.width)
        if self.query("#review-compare"):
            self._fill_compare(*self.compared)

    @property
    def rows(self) -> list:
        """The Drills table's team results, in table order."""
        return self.query_one(DrillsTable).results

    @property
    def missed(self) -> list:
        """The Most missed table's rows, in table order."""
        return self.query_one(MissedPane).missed

    @work(thread=True, exclusive=True, name="review-load", group="review")
    def load(self, filters, panes: frozenset[str], fresh: bool = False, choices: bool = False,
             scenario: tuple[str | None, bool] = (None, False)) -> None:
        """What the given panes show for these filters. Only the panes on screen are read, so
        opening Review on thousands of drills reads one page of them; `fresh` also reads the
        filters' choices and looks for stale summaries, which are rebuilt in the background:
        until then those drills are shown as their cache has them. `choices` re-reads the
        filters' choices alone (after that rebuild). `scenario` is (the one Trend and Compare
        show, whether the user chose it): none yet, the newest drill's."""
        from scoring import history
        from scoring.store import StoreError

        try:
            store = self.app.services.open_store()
        except StoreError as exc:
            self.post_message(ReviewLoaded(None, str(exc)))
            return
        try:
            self.post_message(ReviewLoaded(read_view(store, filters, panes, fresh or choices, scenario)))
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
        if view["choices"] is not None:
            self.titles = {}
            for scenario_id, name in view["choices"]["scenario"]:
                self.titles.setdefault(scenario_id, name)
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
        scenario, chosen = view["scenario"]
        if "missed" in view:
            await self.query_one(MissedPane).mount_parts()
            self.query_one(MissedPane).fill(view["missed"], self.size.width)
        if "trends" in view:
            # What the chart shows, for tests and help.
            self.trend_teams = self.query_one(TrendPlot).show(
                view["trends"], scenario, self._title(scenario), chosen, day=lambda stamp: local_time(stamp)[:10])
        if "compare" in view:
            await self.query_one(ComparePane).mount_parts()
            self._fill_compare(scenario, chosen, view["compare"])
        for pane in view["panes"]:
            self.shown[pane] = self._shows(pane, view["filters"], scenario)
        self.loading_results = False
        if self.follow in view["panes"] and self.follow == self._active() and isinstance(self.focused, Tabs):
            self._focus_pane()  # its table is there now; unless the user went elsewhere meanwhile

    def _shows(self, pane: str, filters, scenario: str | None) -> tuple:
        return filters, scenario if pane in ON_ONE_SCENARIO else None

    def _active(self) -> str:
        return self.query_one(TabbedContent).active.removeprefix("tab-")

    def refresh_view(self, fresh: bool = False) -> None:
        """Reload the Drills pane and the pane in view, if they do not show these filters yet."""
        filters, scenario = self.filters(), self._scenario()
        panes = frozenset(p for p in ("drills", self._active())
                          if fresh or self.asked.get(p) != self._shows(p, filters, scenario[0]))
        if panes:
            self.asked.update({p: self._shows(p, filters, scenario[0]) for p in panes})
            self.load(filters, panes, fresh, scenario=scenario)

    def on_screen_resume(self) -> None:
        """Back from a scorecard, where a correction, a rename or an archive may have changed
        what the panes show (the store saved the new summaries with that event). The row that was
        opened is highlighted again, with the focus, so Down goes on from it."""
        if self.opened is not None and self._active() == "drills":
            self.query_one(DrillsTable).put_cursor(self.opened)
            self.query_one("#review-drills", DataTable).focus()
        if self.shown:
            self.reload()

    def reload(self) -> None:
        """Read the Drills pane, the pane in view and the filters' choices again."""
        self.shown.clear()
        self.asked.clear()
        self.load(self.filters(), frozenset(("drills", self._active())), choices=True, scenario=self._scenario())

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Opening and exporting are about the Drills tab's highlighted row: elsewhere they are
        not offered (the footer at 80 columns keeps the keys of the pane in view)."""
        if action in ("open", "export"):
            return self._active() == "drills"
        return True

    @on(TabbedContent.TabActivated)
    def tab_activated(self) -> None:
        self.refresh_bindings()
        self.refresh_view()

    def _focus_pane(self) -> None:
        """Focus the table of the pane in view (the tab bar where there is none, as on Trend)."""
        pane = self._active()
        found = self.query(PANE_FOCUS.get(pane, "#no-table"))
        if found:
            found.first().focus()
        else:
            self.query_one(TabbedContent).query_one(Tabs).focus()
        if found or pane == "trend":
            self.follow = None  # else its table is not there yet: focused when it is filled

    # --- filtering ---------------------------------------------------------------------------

    def filters(self):
        return self.query_one(FilterBar).filters()

    def _scenario(self) -> tuple[str | None, bool]:
        """The scenario Trend and Compare show, and whether the user chose it in the filters."""
        chosen = self.filters().scenario
        if chosen is not None:
            return chosen, True
        row = self._highlighted()
        return (row.scenario_id if row is not None else None), False

    def _title(self, scenario: str | None) -> str:
        row = next((r for r in self.rows if r.scenario_id == scenario), None)
        return self.titles.get(scenario or "") or (row.title if row else scenario or "")

    @on(Select.Changed)
    @on(Input.Changed)
    def filter_changed(self) -> None:
        self._show_problems()
        self.refresh_view()

    @on(Input.Blurred)
    @on(Input.Submitted)
    def date_left(self) -> None:
        """A date left half typed is judged now (while typing, a start of one is no error)."""
        self._show_problems()

    def _show_problems(self) -> None:
        note = self.query_one("#review-filter-note", Static)
        problems = self.query_one(FilterBar).problems()
        note.update(content(" ".join(problems)))
        note.set_class(bool(problems), "-problem")

    def _show_summary(self, drills: int, results: int, shown: int) -> None:
        self.counts = (drills, results, shown)
        self.query_one("#review-summary", Static).update(self._summary_text())

    def _summary_text(self):
        drills, results, shown = self.counts
        more = f"; showing the newest {shown:,}, filter to narrow" if results > shown else ""
        text = f"{counted(drills, 'drill')}, {counted(results, 'team result')}{more}."
        if not drills and not any(self.filters().__dict__.values()):
            text = "No drills in the store yet: run one from the library (n), then review it here."
        if self.rescoring:
            text += f" Rescoring {counted(self.rescoring, 'drill')} in the background: their rows may change."
        return content(text)

    # --- the panes ---------------------------------------------------------------------------

    def _fill_drills(self, rows: list) -> None:
        self.query_one(DrillsTable).fill(rows, self.size.width, local_time)

    def _fill_compare(self, scenario: str | None, chosen: bool, rows: list) -> None:
        self.compared = (scenario, chosen, rows)
        which = "chosen in the filters" if chosen else "the highlighted drill's; choose one with f"
        heading = None if scenario is None else f"Each team's latest result on {self._title(scenario)} ({which})"
        self.query_one(ComparePane).fill(heading, rows, self.size.width, local_time)

    @on(DataTable.RowHighlighted, "#review-missed")
    def missed_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.missed):
            self.query_one(MissedPane).show(event.cursor_row)

    # --- actions -----------------------------------------------------------------------------

    def _highlighted(self):
        """The team result the Drills table's cursor is on, if any."""
        return self.query_one(DrillsTable).highlighted()

    @on(DataTable.RowHighlighted, "#review-drills")
    def drill_highlighted(self) -> None:
        """The row whole under the table; moving off the row opened last, it no longer takes the
        cursor back on a return."""
        row = self._highlighted()
        self.query_one("#review-row-detail", Static).update(row_detail(row, local_time) if row else "")
        if self.opened is not None and result_key(self._highlighted()) != self.opened:
            self.opened = None

    @on(DataTable.RowSelected, "#review-drills")
    def drill_selected(self) -> None:
        # The table takes Enter for itself; its selection is the same request as review.open.
        self.action_open()

    def action_open(self) -> None:
        row = self._highlighted()
        if row is not None:
            self.opened = result_key(row)
            self.app.open_drill(row.drill_id, review=True, keep=True)

    def action_export(self) -> None:
        from .export import ExportScreen

        row = self._highlighted()
        if row is None:
            self.notify("Pick a drill in the Drills tab to export its after-action report.", markup=False)
            return
        self.app.push_screen(ExportScreen(row.drill_id, row.title, local_time(row.created)[:10]))

    def action_filters(self) -> None:
        self.follow = None
        self.query_one(FilterBar).focus_first()

    def action_leave_filters(self) -> None:
        """Escape in the filter bar: back to the pane in view."""
        self._focus_pane()

    def action_clear_filters(self) -> None:
        with self.prevent(Select.Changed, Input.Changed):
            self.query_one(FilterBar).clear()
        self._show_problems()
        self.refresh_view()

    def action_next_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        order = [f"tab-{p}" for p in PANES]
        # From a pane's table the focus follows to the next pane's, so its keys work at once.
        following = isinstance(self.focused, DataTable | Tabs)
        tabs.active = order[(order.index(tabs.active) + 1) % len(order)]
        if following:
            self.follow = tabs.active.removeprefix("tab-")
            self._focus_pane()  # now, so a key typed next (f) is not overtaken

    def action_back(self) -> None:
        self.app.pop_screen()
