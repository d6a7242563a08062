"""Review's Trend pane: on one scenario, each team name's overall score drill by drill, as a
terminal chart.

A line is one team name's drills of one scenario: teams of different drills are often named
alike ("Team 1"), so names are never joined across scenarios, and the caption says that drills
of one scenario with one team name are taken for one team. The x axis is the scenario's drills
in order, numbered 1, 2, 3 (the caption gives the first and last dates): whole drills, never
fractions. textual_plotext is imported when there is a first line to draw."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from .literal import content, title

TREND_TEAMS = 8  # lines a terminal chart can keep apart
TREND_POINTS = 60  # each team's latest drills charted: more cannot be told apart in a terminal
TICKS = 10  # x axis labels at most: more run into each other at 80 columns


def drill_numbers(lines: list) -> dict[str, tuple[int, str]]:
    """{drill id: (its x, its time)} of each drill charted: its place among them, oldest first
    (1, 2, ...), whatever the teams that played it."""
    drills = sorted({(p[0], p[3]) for t in lines for p in t.points})
    return {drill: (i, created) for i, (created, drill) in enumerate(drills, start=1)}


def ticks(count: int) -> list[int]:
    """Whole-number x ticks from 1 to `count`, TICKS at most, the last drill always among them."""
    step = max(1, -(-count // TICKS))
    marks = list(range(1, count + 1, step))
    if marks[-1] != count:
        if count - marks[-1] < step / 2:
            marks.pop()
        marks.append(count)
    return marks


class TrendPlot(Vertical):
    def compose(self) -> ComposeResult:
        yield Static(id="review-trend-caption")

    def show(self, trends: list, scenario: str | None, scenario_title: str, chosen: bool,
             day=lambda stamp: stamp[:10]) -> list[str]:
        """Chart the team names with the most drills on `scenario` (TREND_TEAMS at most); returns
        their names. `chosen` says whether the user picked the scenario (else it is the
        highlighted drill's); `day` shows a drill's time as a date."""
        lines = sorted(trends, key=lambda t: -len(t.points))[:TREND_TEAMS]
        if scenario is None or not lines:
            self.query("#review-plot").remove()
            text = "No scores to chart yet." if scenario is None else f"No scores on {scenario_title} to chart."
            self.query_one("#review-trend-caption", Static).update(content(text, "italic"))
            return []
        numbers = drill_numbers(lines)
        first, last = min(at for _, at in numbers.values()), max(at for _, at in numbers.values())
        which = "chosen in the filters" if chosen else "the highlighted drill's; f to choose another"
        more = (f" The {TREND_TEAMS} names with the most drills of {len(trends)}: choose a team with f."
                if len(trends) > TREND_TEAMS else "")
        self.query_one("#review-trend-caption", Static).update(content(
            f"{scenario_title} ({which}). One line per team name on this scenario: drills with one name are "
            f"taken for one team. Drills 1 to {len(numbers)}, {day(first)} to {day(last)}.{more}"
        ))
        from textual_plotext import PlotextPlot

        found = self.query("#review-plot")
        plot = found.first() if found else None
        if plot is None:
            plot = PlotextPlot(id="review-plot")
            self.mount(plot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(f"Overall score per drill (each team's latest {TREND_POINTS} at most)")
        plt.ylim(0, 100)
        marks = ticks(len(numbers))
        plt.xticks(marks, [str(m) for m in marks])
        plt.xlim(0.5, len(numbers) + 0.5)  # one drill is a point in the middle, not an axis of fractions
        plt.xlabel("drill on this scenario, oldest to newest")
        for trend in lines:
            # Team names become chart labels: printable ASCII only, so no escape reaches the terminal
            # (a control is shown as its escape first, \x1b, rather than as one more "?").
            label = "".join(c if 32 <= ord(c) < 127 else "?" for c in title(trend.team))[:24]
            plt.plot([numbers[p[3]][0] for p in trend.points], [p[1] for p in trend.points], label=label,
                     marker="dot")
        plot.refresh()
        return [t.team for t in lines]
