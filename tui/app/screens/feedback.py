"""Practice mode: right after an answer, what it honoured or broke, the right contact, the source,
all read from the answer's judgment on the team's scorecard (scoring.scorecard.InjectJudgment)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from ..session import Drill, describe_answer
from ..widgets.footer import footer
from ..widgets.literal import content, join, title
from . import STYLES


def _cited(line: Content, cite: str | None) -> list[Content]:
    return [line, content(f"    {cite}", "dim italic")] if cite else [line]


def _why(inject, chosen) -> list[Content]:
    notes = [o.debrief for o in chosen if o.debrief] + ([inject.debrief] if inject.debrief else [])
    if not notes:
        return []
    return [content(""), content("Why", "bold underline")] + [content(" ".join(note.split())) for note in notes]


def _verdict(matches: bool) -> Content:
    return content(
        "✓ The guide's answer." if matches else "✗ Not the guide's answer.", "bold green" if matches else "bold red",
    )


def _order_lines(inject, order) -> list[Content]:
    """An order inject scores its order alone: how many pairs the team put as documented."""
    mark = ("  ✓ ", "bold green") if order.right == order.pairs else ("  ✗ ", "bold red")
    lines = [join(content(mark[0], mark[1]), f"{order.right} of {order.pairs} pairs in the documented order.")]
    if order.right < order.pairs:
        lines.append(join(content("The documented order: ", "bold"), describe_answer(inject, list(order.documented))))
    return lines


def _urgency(c) -> str:
    return c.urgency.replace("-", " ") if c.urgency else "no urgency set"


def _did(drill: Drill, j) -> list[Content]:
    """What the answer did, as the scorer judged it: steps, harms, then contacts."""
    lines: list[Content] = []
    for s in j.honoured:
        lines += _cited(join(content("  ✓ Honoured: ", "bold green"), s.title), s.source)
    for s in j.unasked_steps:
        lines += _cited(join(content("  ✓ Honoured: ", "bold green"), s.title,
                             content(" (not asked on this path: no points)", "dim")), s.source)
    for h in j.broken:
        text = h.title + (f" (undoes: {'; '.join(h.undoes)})" if h.undoes else "")
        lines += _cited(join(content(f"  ✗ Broke ({h.severity}): ", "bold red"), text), h.source)
    for c in j.reached:
        order = content(", out of order", "bold yellow") if c.out_of_order else ""
        lines += _cited(
            join(content("  ✓ Right contact: ", "bold green"), f"{c.name} ({_urgency(c)})", order), c.source,
        )
    for c in j.late:
        first = drill.inject(c.first)
        order = ", out of order" if c.out_of_order else ""
        lines += _cited(join(content("  ! Right contact, late: ", "bold yellow"),
                             f"{c.name} ({_urgency(c)}): "
                             f"the first opportunity was +{first.at} min, {first.title}{order}"),
                        c.source)
    for c in j.unasked_contacts:
        lines += _cited(join(content("  ✓ Right contact: ", "bold green"), f"{c.name} ({_urgency(c)})",
                             content(" (not asked on this path: no points)", "dim")), c.source)
    for c in j.permitted:
        who = f"{c.name} (the guide permits it here, without requiring it)"
        lines += _cited(join(content("  ✓ Permitted contact: ", "bold green"), who), c.source)
    for c in j.needless:
        lines += _cited(join(content("  ! No cause to reach: ", "bold yellow"), c.name), c.source)
    return lines


def _guide_lines(inject, j) -> list[Content]:
    """The guide's answer, and what it does that the team had not done by this inject."""
    lines = [
        content(""),
        join(content("The guide's answer: ", "bold"), describe_answer(inject, list(j.guide))),
    ]
    for s in j.missed_steps:
        lines += _cited(join(content("  ○ Missed: ", "bold yellow"), s.title), s.source)
    for c in j.missed_contacts:
        who = f"{c.name}, {_urgency(c)}" + (f" (by {c.by})" if c.by else "")
        lines += _cited(join(content("  ○ The right contact: ", "bold yellow"), who), c.source)
    return lines


def feedback(drill: Drill, team: str, inject_id: str) -> list[Content]:
    """Lines saying what the team's answer to one inject did, as its scorecard judges it
    (`Drill.judgment`): this screen lays the judgment out and decides nothing."""
    j = drill.judgment(team, inject_id)
    inject = drill.inject(inject_id)
    given = drill.state.teams[team].answers[inject_id]
    options = {o.id: o for o in inject.options}
    chosen = [options[oid] for oid in j.credited]
    lines = [join(content("Your answer: ", "bold"), describe_answer(inject, given.answer))]
    if not j.scored:
        # Discussion only: no option carries a key, so no answer is "the guide's".
        return [
            content("○ Discussed, not scored: no option here carries a key.", "bold"), *lines, *_why(inject, chosen),
        ]
    if j.method == "keywords":
        matched = ", ".join(o.text for o in chosen) or "no rubric entry"
        lines.append(join(content("Matched by keywords: ", "italic"), matched))
        if j.held:
            lines.append(join(content("Not counted without a facilitator's mark (keywords never commit a harm): ",
                                      "italic"), "; ".join(options[o].text for o in j.held)))
    lines.append(content(""))
    if j.order is not None:
        return [_verdict(bool(j.matches_guide)), *lines, *_order_lines(inject, j.order), *_why(inject, chosen)]
    lines += _did(drill, j)
    if not j.matches_guide:
        lines += _guide_lines(inject, j)
    return [_verdict(bool(j.matches_guide)), *lines, *_why(inject, chosen)]


class FeedbackScreen(Screen[None]):
    CSS_PATH = STYLES  # read when the first screen after the library opens
    BINDINGS = [
        Binding("enter", "next", "Next inject", id="feedback.next"),
        Binding("escape", "back", "Console", id="feedback.back"),
    ]

    def __init__(self, drill: Drill, team: str, inject_id: str) -> None:
        super().__init__()
        self.drill, self.team, self.inject_id = drill, team, inject_id

    def compose(self) -> ComposeResult:
        inject = self.drill.inject(self.inject_id)
        yield Header()
        yield Static(join(content("Feedback · ", "bold"), inject.title), id="feedback-head")
        with VerticalScroll(id="feedback-scroll"):
            yield Static(Content("\n").join(feedback(self.drill, self.team, self.inject_id)), id="feedback")
        yield footer()

    def on_mount(self) -> None:
        self.sub_title = title(f"practice · {self.team}")
        self.query_one("#feedback-scroll").focus()

    def action_next(self) -> None:
        self.dismiss(None)

    def action_back(self) -> None:
        # Back to the console without opening the next inject straight away.
        self.app.pop_screen()
