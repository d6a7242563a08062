"""The hot wash: per team, each inject's choice beside the documented response, the steps
missed, the escalation path beside the one the guides set out, and the scorecard's findings.

The facilitator can correct a recorded answer, rename a team and archive or restore the drill
here, also long after it ended: each is one event, and the view is recomputed from the events,
with every correction listed on the summary tab."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from ...text import counted
from ..session import Drill, describe_answer
from ..widgets.answer_compare import ChoicesTable
from ..widgets.escalation import EscalationTrees
from ..widgets.footer import footer
from ..widgets.literal import content, join, rich, title
from ..widgets.page_scroll import reveal
from ..widgets.summary_table import SummaryTable
from . import STYLES

if TYPE_CHECKING:
    from scoring.report.words import Reader
    from scoring.scorecard import Finding


EFFECT_STYLE = {"gained": "green", "missed": "yellow", "deducted": "bold red", "noted": "dim"}


class Scored(Message):
    def __init__(self, cards: dict) -> None:
        super().__init__()
        self.cards = cards


def summary(card) -> Content:
    dims = " · ".join(f"{name} {value:.0f}" for name, value in card.dimensions.items())
    lines = [join(content(f"Overall {card.overall:.1f} / 100", "bold"), f"   {dims}")]
    for name, rating in card.ratings.items():
        lines.append(content(f"  {rating.rating}  {name}: {rating.score:.0f} ({rating.meaning})"))
    if card.unanswered:
        lines.append(content(
            f"  {counted(len(card.unanswered), 'inject')} on the path {'was' if len(card.unanswered) == 1 else 'were'}"
            " not answered: counted as missed.", "italic",
        ))
    if card.unscored:
        lines.append(content(
            f"  {counted(len(card.unscored), 'inject')} on the path {'was' if len(card.unscored) == 1 else 'were'}"
            " discussed, not scored (no key).", "italic",
        ))
    return Content("\n").join(lines)


def correction_lines(drill: Drill) -> Content:
    """Every correction, oldest first, at local time: who, what, before -> after, why."""
    lines = []
    for c in drill.state.corrections:
        when = content(datetime.fromtimestamp(c.at).strftime("%Y-%m-%d %H:%M  "), "dim")
        if c.kind == "answer-corrected":
            inject = drill.inject(c.inject)
            what = join(content(c.team, "bold"), f" · {inject.title}: ", describe_answer(inject, c.before),
                        content(" → ", "bold"), describe_answer(inject, c.after))
        elif c.kind == "team-renamed":
            what = join("team renamed: ", content(c.before, "bold"), content(" → ", "bold"), content(c.after, "bold"))
        else:
            what = content("drill archived: left out of every statistic" if c.kind == "archived"
                           else "drill restored: counted in the statistics again")
        reason = content(f"  ({c.reason})", "italic") if c.reason else content("")
        lines.append(join(when, what, reason))
    if not lines:
        return content("None. On a team's tab, c corrects the highlighted answer and r renames the team; "
                       "a archives the drill.", "italic")
    return Content("\n").join(lines)


def hanging(rows: list[tuple[Text, Finding]], reader: Reader) -> Table:
    """Points or marks in a narrow column, each finding wrapping beside them (never under them),
    its source on the line below, so a long finding still reads as one at 80 columns."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(ratio=1)
    for lead, finding in rows:
        grid.add_row(lead, rich(reader.text(finding)))
        if finding.source:
            grid.add_row(Text(""), rich(finding.source, "dim italic"))
    return grid


def findings(card, effects: tuple[str, ...], reader: Reader) -> Table | Content:
    rows = [(rich(f"{f.points:+.1f}" if f.effect != "noted" else "·", EFFECT_STYLE[f.effect]), f)
            for f in card.findings if f.effect in effects]
    return hanging(rows, reader) if rows else content("none", "italic")


class DebriefScreen(Screen):
    CSS_PATH = STYLES  # read when the first screen after the library opens
    AUTO_FOCUS = "#summary-scroll"  # the page takes the keys from the start (focus_page)
    BINDINGS = [
        Binding("escape", "leave", "Back", id="debrief.leave"),
        Binding("t", "next_tab", "Next tab", id="debrief.next_tab"),
        Binding("s", "summary", "Summary", id="debrief.summary"),
        Binding("m", "mark", "Mark", id="debrief.mark"),
        Binding("c", "correct", "Correct", id="debrief.correct"),
        Binding("r", "rename", "Rename", id="debrief.rename"),
        # One key: only the one that applies is active (check_action).
        Binding("a", "archive", "Archive", id="debrief.archive"),
        Binding("a", "restore", "Restore", id="debrief.restore"),
        # Named in the head line rather than the footer, which is full at 80 columns.
        Binding("o", "share", "Open to players", id="debrief.share", show=False),
    ]

    def __init__(self, drill: Drill) -> None:
        super().__init__()
        self.drill = drill

    def head(self) -> Content:
        state = self.drill.state
        return join(content("Hot wash · ", "bold"), self.drill.shown.title,
                    content(f" · {state.mode} · seed {state.seed} · {'timed' if state.timed else 'untimed'}", "dim"),
                    content(" · ARCHIVED (left out of statistics)", "bold") if state.archived else "",
                    self.shared_text())

    def shared_text(self) -> Content:
        """Whether the teams' own terminals show their scores yet (a facilitated drill's)."""
        state = self.drill.state
        if state.mode != "facilitated":
            return content("")
        if state.debrief_shared:
            return content(" · scores open on the teams' terminals", "italic")
        return content(" · o opens each team's score on its own terminal", "italic")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.head(), id="debrief-head")
        with TabbedContent(id="debrief-tabs"):
            with TabPane("Summary", id="tab-summary"):
                with VerticalScroll(id="summary-scroll"):
                    yield SummaryTable(self.drill, id="summary-table")
                    yield Static(content("Corrections", "bold underline"), classes="section")
                    yield Static(correction_lines(self.drill), id="debrief-corrections")
            for number, team in enumerate(self.drill.teams):
                with TabPane(content(team), id=f"tab-debrief-{number}"):
                    yield VerticalScroll(id=f"debrief-{number}", classes="debrief-team")
        yield footer()

    def on_mount(self) -> None:
        self.sub_title = title("debrief")
        self.query_one("#summary-table").loading = True
        self.score()

    @work(thread=True, exclusive=True, name="score-drill", group="scoring")
    def score(self) -> None:
        self.post_message(Scored(self.drill.scorecards()))

    async def on_scored(self, message: Scored) -> None:
        if list(message.cards) != self.drill.teams:
            return  # scored before a rename: the worker started since brings the current names
        table = self.query_one("#summary-table", SummaryTable)
        table.loading = False
        table.show(message.cards)
        # A rescore after a correction rebuilds the panes: the highlighted answer stays highlighted.
        old = self.focused
        keep = old.cursor_row if isinstance(old, DataTable) and old.has_class("choices") else None
        for number, team in enumerate(self.drill.teams):
            card = message.cards[team]
            missed_steps = [f for f in card.findings if f.dimension == "steps" and f.effect == "missed"]
            pane = self.query_one(f"#debrief-{number}")
            was = pane in (old.ancestors if keep is not None else ())
            await pane.remove_children()
            await pane.mount_all([
                Static(summary(card), classes="scorecard"),
                Static(content("Choices against the documented response", "bold underline"), classes="section"),
                ChoicesTable(self.drill, team, card, classes="choices"),
                Static(content("Missed steps", "bold underline"), classes="section"),
                Static(findings_for(missed_steps, self.drill.reader)),
                Static(content("Escalation path", "bold underline"), classes="section"),
                EscalationTrees(self.drill, card, classes="trees"),
                Static(content("Scorecard findings", "bold underline"), classes="section"),
                Static(findings(card, ("gained", "missed", "deducted", "noted"), self.drill.reader)),
            ])
            if was:
                choices = pane.query_one(".choices", DataTable)
                choices.move_cursor(row=keep)
                choices.focus()

    def team_in_view(self) -> int | None:
        """The number of the team whose tab is open, None on the summary tab."""
        tabs = self.query(TabbedContent)
        active = tabs.first().active if tabs else ""
        return int(active.rsplit("-", 1)[1]) if active.startswith("tab-debrief-") else None

    def highlighted(self) -> tuple[str, str] | None:
        """(team, inject) of the answered inject highlighted in the choices of the tab in view."""
        number = self.team_in_view()
        if number is None:
            return None
        team = self.drill.teams[number]
        table = next(self.query(f"#debrief-{number} .choices").results(DataTable), None)
        inject_id = (
            table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if table and table.row_count else None
        )
        return (team, inject_id) if inject_id in self.drill.state.teams[team].answers else None

    @on(TabbedContent.TabActivated)
    @on(DataTable.RowHighlighted, ".choices")
    def keys_in_view(self) -> None:
        self.refresh_bindings()  # c and m apply to the answer highlighted on a team's tab

    @on(DataTable.RowHighlighted, ".choices")
    def row_in_view(self, event: DataTable.RowHighlighted) -> None:
        table = event.data_table
        if table.has_focus:
            reveal(table, *table.row_lines(event.cursor_row))

    def record(self, run, then) -> None:
        """Record one of the engine's commands (each is one event) off the UI thread; the app
        says why if it is refused or cannot be saved (`Recording.record`), else `then`."""
        self.app.record(run, lambda ok: ok and then())

    def changed(self) -> None:
        """After a correction: names, the archived mark, the corrections list and the scores
        are all recomputed from the events."""
        self.query_one("#debrief-head", Static).update(self.head())
        tabs = self.query_one(TabbedContent)
        for number, team in enumerate(self.drill.teams):
            tabs.get_tab(f"tab-debrief-{number}").label = content(team)
        self.query_one("#debrief-corrections", Static).update(correction_lines(self.drill))
        self.refresh_bindings()
        self.score()

    def action_mark(self) -> None:
        """Mark the highlighted free answer on a team's tab: the rubric entries it earned."""
        team, inject_id = self.highlighted()  # check_action: a free answer is highlighted
        from .mark import MarkScreen

        def marked(credited: list[str] | None) -> None:
            if credited is not None:
                self.record(lambda: self.drill.exercise.mark(team, inject_id, credited), self.score)

        self.app.push_screen(MarkScreen(self.drill, team, inject_id), marked)

    def action_correct(self) -> None:
        """Replace the highlighted recorded answer, confirmed with the old and new side by side."""
        picked = self.highlighted()
        if picked is None:
            self.notify("Highlight an answered inject in the choices table to correct it.",
                        severity="warning", markup=False)
            return
        team, inject_id = picked
        from .confirm import ConfirmScreen
        from .correct import CorrectScreen

        inject = self.drill.inject(inject_id)
        before = self.drill.state.teams[team].answers[inject_id].answer

        def corrected(result) -> None:
            if result is None:
                return
            answer, reason = result
            question = join(
                content("Correct the answer of "), content(team, "bold"),
                content(" to "), content(inject.title, "bold"),
                content("?\n\nWas: ", "bold"), describe_answer(inject, before),
                content("\nNow: ", "bold"), describe_answer(inject, answer),
                content(f"\nReason: {reason}" if reason else ""),
            )

            def confirmed(yes: bool) -> None:
                if yes:
                    self.record(lambda: self.drill.exercise.correct(team, inject_id, answer, reason), self.changed)

            self.app.push_screen(ConfirmScreen(question, yes="Correct"), confirmed)

        self.app.push_screen(CorrectScreen(self.drill, team, inject_id), corrected)

    def action_rename(self) -> None:
        """Rename the team in view (on the summary tab, the highlighted one)."""
        number = self.team_in_view()
        if number is None:
            number = self.query_one("#summary-table", DataTable).cursor_row
        team = self.drill.teams[number] if 0 <= number < len(self.drill.teams) else self.drill.teams[0]
        from .prompt import PromptScreen

        question = join(
            content("Rename team ", "bold"), content(team, "bold"),
            content("\nScorecards, reports and Review use the new name; the corrections list keeps both.", "dim"),
        )
        # The field shows the name literally (an Input draws its value as it is); left as shown,
        # it is the name as stored, as if the field had held that.
        shown = title(team)
        screen = PromptScreen(question, lambda name: self.drill.exercise.rename(team, team if name == shown else name),
                              value=shown, placeholder="The team's new name", yes="Rename", max_length=40)
        self.app.push_screen(screen, lambda done: done and self.changed())

    def action_archive(self) -> None:
        from .prompt import PromptScreen

        question = join(content("Archive this drill?", "bold"), content(
            "\nIt stays on disk, with its debrief and report, but is left out of every statistic: trends, "
            "steps most missed, comparisons and exports. a restores it.\nReason (optional):"))
        screen = PromptScreen(question, self.drill.exercise.archive, placeholder="e.g. a test run",
                              yes="Archive", required=False)
        self.app.push_screen(screen, lambda done: done and self.changed())

    def action_share(self) -> None:
        """Let each team's own terminal show its scorecard (its own only)."""
        self.record(self.drill.exercise.share_debrief, lambda: (
            self.changed(), self.notify("Each team's terminal now shows its own scores.", markup=False)))

    def action_restore(self) -> None:
        from .confirm import ConfirmScreen

        def confirmed(yes: bool) -> None:
            if yes:
                self.record(self.drill.exercise.restore, self.changed)

        question = content("Restore this drill? It counts in Review's statistics again.")
        self.app.push_screen(ConfirmScreen(question, yes="Restore"), confirmed)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Only the keys that apply are shown (and the debrief's footer fits 80 columns)."""
        if action == "share":
            return self.drill.state.mode == "facilitated" and not self.drill.state.debrief_shared
        if action in ("archive", "restore"):
            return self.drill.state.archived == (action == "restore")
        if action == "correct":
            return self.team_in_view() is not None
        if action == "mark":
            picked = self.highlighted()
            return picked is not None and self.drill.scenario.inject(picked[1]).kind == "free"
        return True

    def action_next_tab(self) -> None:
        tabs = ["tab-summary", *(f"tab-debrief-{n}" for n in range(len(self.drill.teams)))]
        tabbed = self.query_one(TabbedContent)
        tabbed.active = tabs[(tabs.index(tabbed.active) + 1) % len(tabs)]
        self.focus_page()

    def action_summary(self) -> None:
        self.query_one(TabbedContent).active = "tab-summary"
        self.focus_page()

    def focus_page(self) -> None:
        """The tab's page takes the keys (up/down, page up/down scroll it; tab reaches its
        table), so all of it can be read at any size."""
        number = self.team_in_view()
        self.query_one("#summary-scroll" if number is None else f"#debrief-{number}").focus()

    def action_leave(self) -> None:
        from .review import ReviewScreen

        # Opened from Review: go back to it, filters and place kept. Otherwise the drill is over.
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        if isinstance(below, ReviewScreen):
            self.app.pop_screen()
        else:
            self.app.go_library()


def findings_for(missed, reader: Reader) -> Table | Content:
    if not missed:
        return content("none: every step the path asked was performed", "italic")
    return hanging([(Text("○"), f) for f in missed], reader)
