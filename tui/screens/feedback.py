"""Practice mode: right after an answer, what it honoured or broke, the right contact, the source."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from ..widgets.footer import footer
from ..widgets.literal import content, join
from .session import Drill, describe_answer


def _cited(line: Content, cite: str | None) -> list[Content]:
    return [line, content(f"    {cite}", "dim italic")] if cite else [line]


def matches_guide(kind: str, credited: list[str], guide: list[str]) -> bool:
    return credited == guide if kind == "order" else sorted(credited) == sorted(guide)


def feedback(drill: Drill, team: str, inject_id: str) -> list[Content]:
    """Lines saying, against the key, what the team's answer to one inject did."""
    from scenarios.guide import guide_answer

    key, inject = drill.key, drill.inject(inject_id)
    given = drill.state.teams[team].answers[inject_id]
    options = {o.id: o for o in inject.options}
    chosen = [options[oid] for oid in given.credited]
    guide = guide_answer(inject, key)
    lines = [join(content("Your answer: ", "bold"), describe_answer(inject, given.answer))]
    if given.method == "keywords":
        matched = ", ".join(options[o].text for o in given.credited) or "no rubric entry"
        lines.append(join(content("Matched by keywords: ", "italic"), matched))
    lines.append(content(""))
    done_steps, reached = set(), set()
    for option in chosen:
        for step_id in option.steps:
            step = key.steps[step_id]
            done_steps.add(step_id)
            if step_id in key.applicable_steps:
                lines += _cited(join(content("  ✓ Honoured: ", "bold green"), step.title), key.cite(step.source))
        for harm_id in option.harms:
            harm = key.harms[harm_id]
            undoes = [key.steps[s].title for s in harm.breaks if s in key.steps]
            text = harm.title + (f" (undoes: {'; '.join(undoes)})" if undoes else "")
            lines += _cited(join(content(f"  ✗ Broke ({harm.severity}): ", "bold red"), text), key.cite(harm.source))
        for contact_id in option.notifies:
            reached.add(contact_id)
            contact = key.contacts[contact_id]
            if contact_id in key.required_contacts:
                esc = key.escalations[contact_id]
                who = f"{contact.name} ({esc.urgency.replace('-', ' ')})"
                lines += _cited(join(content("  ✓ Right contact: ", "bold green"), who), key.cite(esc.source))
            else:
                lines += _cited(join(content("  ! No cause to reach: ", "bold yellow"), contact.name), key.cite(contact.source))
    if inject.kind == "order":
        right = list(given.credited) == guide
        lines.append(content("  ✓ The documented order." if right else "  ✗ Not the documented order.", "bold"))
    if matches_guide(inject.kind, list(given.credited), guide):
        lines.insert(0, content("✓ The guide's answer.", "bold green"))
    else:
        lines.insert(0, content("✗ Not the guide's answer.", "bold red"))
        lines += [content(""), join(content("The guide's answer: ", "bold"), describe_answer(inject, guide))]
        for option in (options[oid] for oid in guide):
            for step_id in option.steps:
                if step_id in key.applicable_steps and step_id not in done_steps:
                    step = key.steps[step_id]
                    lines += _cited(join(content("  ○ Missed: ", "bold yellow"), step.title), key.cite(step.source))
            for contact_id in option.notifies:
                if contact_id in key.required_contacts and contact_id not in reached:
                    esc, contact = key.escalations[contact_id], key.contacts[contact_id]
                    who = f"{contact.name}, {esc.urgency.replace('-', ' ')} (by {esc.by})"
                    lines += _cited(join(content("  ○ The right contact: ", "bold yellow"), who), key.cite(esc.source))
    notes = [o.debrief for o in chosen if o.debrief] + ([inject.debrief] if inject.debrief else [])
    if notes:
        lines += [content(""), content("Why", "bold underline")]
        lines += [content(" ".join(note.split())) for note in notes]
    return lines


class FeedbackScreen(Screen[None]):
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
        self.sub_title = f"practice · {self.team}"
        self.query_one("#feedback-scroll").focus()

    def action_next(self) -> None:
        self.dismiss(None)

    def action_back(self) -> None:
        # Back to the console without opening the next inject straight away.
        self.app.pop_screen()
