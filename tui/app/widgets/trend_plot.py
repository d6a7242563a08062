"""Review's Trend pane: each team's overall score per drill, oldest to newest, as a terminal chart.

textual_plotext is imported when there is a first line to draw."""

from __future__ import annotations

from textual.containers import Vertical
from textual.widgets import Static

from .literal import content, title

TREND_TEAMS = 8  # lines a terminal chart can keep apart
TREND_POINTS = 60  # each team's latest drills charted: more cannot be told apart in a terminal


class TrendPlot(Vertical):
    def show(self, trends: list) -> list[str]:
        """Chart the teams with the most drills (TREND_TEAMS at most); returns their names."""
        lines = sorted(trends, key=lambda t: -len(t.points))[:TREND_TEAMS]
        empty = self.query("#review-trend-empty")
        if not lines:
            self.query("#review-plot").remove()
            if not empty:
                self.mount(Static(content("No scores to chart yet.", "italic"), id="review-trend-empty"))
            return []
        empty.remove()
        from textual_plotext import PlotextPlot

        found = self.query("#review-plot")
        plot = found.first() if found else None
        if plot is None:
            plot = PlotextPlot(id="review-plot")
            self.mount(plot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(f"Overall score per drill, oldest to newest (each team's latest {TREND_POINTS} at most)")
        plt.ylim(0, 100)
        plt.xlabel("drill")
        for trend in lines:
            ys = [p[1] for p in trend.points]
            # Team names become chart labels: printable ASCII only, so no escape reaches the terminal
            # (a control is shown as its escape first, \x1b, rather than as one more "?").
            label = "".join(c if 32 <= ord(c) < 127 else "?" for c in title(trend.team))[:24]
            plt.plot(list(range(1, len(ys) + 1)), ys, label=label, marker="dot")
        plot.refresh()
        return [t.team for t in lines]
