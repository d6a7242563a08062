"""The hot wash: per team, each inject's choice beside the documented response, the steps
missed, the escalation path beside the one the guides set out, and the scorecard's findings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane
from textual import work

from ..widgets.footer import footer
from ..widgets.escalation import EscalationTrees
from ..widgets.literal import content, join, rich
from .session import Drill, describe_answer

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
        lines.append(content(f"  {len(card.unanswered)} inject(s) on the path were not answered: counted as missed.", "italic"))
    return Content("\n").join(lines)


def cut(text: str, width: int):
    shown = rich(" ".join(text.split()))
    shown.truncate(width, overflow="ellipsis")
    return shown


def choices_table(drill: Drill, team: str, card, width: int) -> DataTable:
    from scenarios.guide import guide_answer

    table = DataTable(cursor_type="row", zebra_stripes=True, classes="choices")
    # Answers are long sentences: each column gets a share of the width and an ellipsis.
    text_width = max(16, (width - 24 - 14 - 10) // 2)
    table.add_column("Inject", width=24)
    table.add_column("The team chose", width=text_width)
    table.add_column("The guide's answer", width=text_width)
    table.add_column("", width=14)
    answers = drill.state.teams[team].answers
    for inject_id in card.path:
        inject = drill.inject(inject_id)
        guide = guide_answer(inject, drill.key)
        given = answers.get(inject_id)
        if given is None:
            chose, mark = rich("(not answered)", "italic"), rich("missed", "yellow")
        else:
            same = list(given.credited) == guide if inject.kind == "order" else sorted(given.credited) == sorted(guide)
            chose = cut(describe_answer(inject, given.answer), text_width)
            mark = rich("✓", "green") if same else rich("✗", "bold red")
        guide_text = cut(describe_answer(inject, guide), text_width)
        if given is not None and given.method != "choice":
            mark.append(rich(" (keys)" if given.method == "keywords" else " (marked)", "dim"))
        table.add_row(cut(f"+{inject.at} {inject.title}", 24), chose, guide_text, mark, key=inject_id)
    return table


def findings(card, effects: tuple[str, ...]) -> Content:
    lines = []
    for f in card.findings:
        if f.effect not in effects:
            continue
        points = f"{f.points:+.1f}" if f.effect != "noted" else "  · "
        lines.append(join(content(f"{points:>6} ", EFFECT_STYLE[f.effect]), f.message))
        if f.source:
            lines.append(content(f"       {f.source}", "dim italic"))
    return Content("\n").join(lines) if lines else content("none", "italic")


class DebriefScreen(Screen):
    BINDINGS = [
        Binding("escape", "leave", "Back", id="debrief.leave"),
        Binding("t", "next_tab", "Next tab", id="debrief.next_tab"),
        Binding("s", "summary", "Summary", id="debrief.summary"),
        Binding("m", "mark", "Mark free text", id="debrief.mark"),
    ]

    def __init__(self, drill: Drill) -> None:
        super().__init__()
        self.drill = drill

    def compose(self) -> ComposeResult:
        yield Header()
        state = self.drill.state
        head = join(content("Hot wash · ", "bold"), self.drill.shown.title,
                    content(f" · {state.mode} · seed {state.seed} · {'timed' if state.timed else 'untimed'}", "dim"))
        yield Static(head, id="debrief-head")
        with TabbedContent(id="debrief-tabs"):
            with TabPane("Summary", id="tab-summary"):
                table = DataTable(id="summary-table", cursor_type="row")
                table.add_columns("Team", "Overall", "Answered", "Steps", "Escalation", "Harms")
                yield table
            for number, team in enumerate(self.drill.teams):
                with TabPane(content(team), id=f"tab-debrief-{number}"):
                    yield VerticalScroll(id=f"debrief-{number}", classes="debrief-team")
        yield footer()

    def on_mount(self) -> None:
        self.sub_title = "debrief"
        self.query_one("#summary-table").loading = True
        self.score()

    @work(thread=True, exclusive=True, name="score-drill", group="scoring")
    def score(self) -> None:
        self.post_message(Scored(self.drill.scorecards()))

    async def on_scored(self, message: Scored) -> None:
        table = self.query_one("#summary-table", DataTable)
        table.loading = False
        table.clear()
        for name, card in message.cards.items():
            answered = len(self.drill.state.teams[name].answers)
            dims = [f"{card.dimensions.get(d, 0):.0f}" for d in ("steps", "escalation", "harms")]
            table.add_row(rich(name), f"{card.overall:.1f}", f"{answered}/{len(card.path)}", *dims)
        for number, team in enumerate(self.drill.teams):
            card = message.cards[team]
            missed_steps = [f for f in card.findings if f.dimension == "steps" and f.effect == "missed"]
            pane = self.query_one(f"#debrief-{number}")
            await pane.remove_children()
            await pane.mount_all([
                Static(summary(card), classes="scorecard"),
                Static(content("Choices against the documented response", "bold underline"), classes="section"),
                choices_table(self.drill, team, card, self.app.size.width - 4),
                Static(content("Missed steps", "bold underline"), classes="section"),
                Static(findings_for(missed_steps)),
                Static(content("Escalation path", "bold underline"), classes="section"),
                EscalationTrees(self.drill, team, classes="trees"),
                Static(content("Scorecard findings", "bold underline"), classes="section"),
                Static(findings(card, ("gained", "missed", "deducted", "noted"))),
            ])

    def action_mark(self) -> None:
        """Mark the highlighted free answer on a team's tab: the rubric entries it earned."""
        active = self.query_one(TabbedContent).active
        if not active.startswith("tab-debrief-"):
            self.notify("Open a team's tab and highlight a free-text answer first.", severity="warning")
            return
        number = int(active.rsplit("-", 1)[1])
        team = self.drill.teams[number]
        table = self.query_one(f"#debrief-{number} .choices", DataTable)
        inject_id = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value if table.row_count else None
        answer = self.drill.state.teams[team].answers.get(inject_id) if inject_id else None
        if answer is None or self.drill.scenario.inject(inject_id).kind != "free":
            self.notify("Highlight an answered free-text inject in the choices table to mark it.", severity="warning")
            return
        from .mark import MarkScreen

        def marked(credited: list[str] | None) -> None:
            if credited is None:
                return
            from scenarios.exercise import ExerciseError
            from scoring.store import StoreError

            try:
                self.drill.exercise.mark(team, inject_id, credited)
            except (ExerciseError, StoreError) as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.score()

        self.app.push_screen(MarkScreen(self.drill, team, inject_id), marked)

    def action_next_tab(self) -> None:
        tabs = ["tab-summary", *(f"tab-debrief-{n}" for n in range(len(self.drill.teams)))]
        tabbed = self.query_one(TabbedContent)
        tabbed.active = tabs[(tabs.index(tabbed.active) + 1) % len(tabs)]

    def action_summary(self) -> None:
        self.query_one(TabbedContent).active = "tab-summary"

    def action_leave(self) -> None:
        from .review import ReviewScreen

        # Opened from Review: go back to it, filters and place kept. Otherwise the drill is over.
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        if isinstance(below, ReviewScreen):
            self.app.pop_screen()
        else:
            self.app.go_library()


def findings_for(missed) -> Content:
    if not missed:
        return content("none: every step the path asked was performed", "italic")
    lines = []
    for f in missed:
        lines.append(content(f"  ○ {f.message}"))
        if f.source:
            lines.append(content(f"    {f.source}", "dim italic"))
    return Content("\n").join(lines)
