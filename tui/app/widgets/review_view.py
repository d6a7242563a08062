"""What Review's panes show, read from the store's summaries (scoring.history) in the screen's
workers, and the messages that carry it to the screen. Only the panes asked for are read."""

from __future__ import annotations

from dataclasses import replace

from textual.message import Message

from .trend_plot import TREND_POINTS

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


def read_view(store, filters, panes: frozenset[str], choices: bool, scenario: tuple[str | None, bool]) -> dict:
    """What `panes` show for these filters, and the filters' choices if asked. `scenario` is (the
    one Trend and Compare show, whether the user chose it): none yet, the newest drill's."""
    from scoring import history

    view = {"filters": filters, "panes": panes, "choices": history.choices(store) if choices else None,
            "count": history.count(store, filters)}
    if "drills" in panes:
        view["rows"] = history.results(store, filters, limit=SHOWN_ROWS)
    if "missed" in panes:
        view["missed"] = history.most_missed(store, filters, limit=20)
    one, chosen = scenario
    if one is None and view.get("rows"):
        one = view["rows"][0].scenario_id
    view["scenario"] = (one, chosen)
    if "trend" in panes:
        view["trends"] = history.trends(store, replace(filters, scenario=one), last=TREND_POINTS) if one else []
    if "compare" in panes:
        view["compare"] = history.compare(store, filters, one) if one else []
    return view
