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


def _why(inject, chosen) -> list[Content]:
    notes = [o.debrief for o in chosen if o.debrief] + ([inject.debrief] if inject.debrief else [])
    if not notes:
        return []
    return [content(""), content("Why", "bold underline")] + [content(" ".join(note.split())) for note in notes]


def _order_lines(inject, given: list[str], documented: list[str]) -> list[Content]:
    """An order inject scores its order alone: how many pairs the team put as documented."""
    place = {oid: n for n, oid in enumerate(given)}
    pairs = [(a, b) for i, a in enumerate(documented) for b in documented[i + 1:]]
    right = sum(place[a] < place[b] for a, b in pairs)
    mark = ("  ✓ ", "bold green") if right == len(pairs) else ("  ✗ ", "bold red")
    lines = [join(content(mark[0], mark[1]), f"{right} of {len(pairs)} pairs in the documented order.")]
    if right < len(pairs):
        lines.append(join(content("The documented order: ", "bold"), describe_answer(inject, documented)))
    return lines


def feedback(drill: Drill, team: str, inject_id: str) -> list[Content]:
    """Lines saying, against the key, what the team's answer to one inject did."""
    from scenarios.guide import counted, guide_answer, is_scored

    key, inject, filed = drill.key, drill.inject(inject_id), drill.filed(inject_id)
    given = drill.state.teams[team].answers[inject_id]
    options = {o.id: o for o in inject.options}
    lines = [join(content("Your answer: ", "bold"), describe_answer(inject, given.answer))]
    if not is_scored(filed):
        # Discussion only: no option carries a key, so no answer is "the guide's".
        chosen = [options[oid] for oid in given.credited]
        return [content("○ Discussed, not scored: no option here carries a key.", "bold"), *lines, *_why(inject, chosen)]
    scored = counted(filed, given.credited, given.method)
    chosen = [options[oid] for oid in scored]
    guide = guide_answer(filed, key)  # the file's order: ties go to the first option in the file
    if given.method == "keywords":
        matched = ", ".join(options[o].text for o in scored) or "no rubric entry"
        lines.append(join(content("Matched by keywords: ", "italic"), matched))
        held = [options[o].text for o in given.credited if o not in scored]
        if held:
            lines.append(join(content("Not counted without a facilitator's mark (keywords never commit a harm): ",
                                      "italic"), "; ".join(held)))
    lines.append(content(""))
    if inject.kind == "order":
        lines += _order_lines(inject, list(given.credited), guide)
        ok = matches_guide("order", list(given.credited), guide)
        head = content("✓ The guide's answer." if ok else "✗ Not the guide's answer.", "bold green" if ok else "bold red")
        return [head, *lines, *_why(inject, [options[o] for o in given.credited])]
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
            elif contact_id in key.permitted_contacts:
                who = f"{contact.name} (the guide permits it here, without requiring it)"
                lines += _cited(join(content("  ✓ Permitted contact: ", "bold green"), who), key.cite(contact.source))
            else:
                lines += _cited(join(content("  ! No cause to reach: ", "bold yellow"), contact.name), key.cite(contact.source))
    if matches_guide(inject.kind, scored, guide):
        lines.insert(0, content("✓ The guide's answer.", "bold green"))
    else:
        lines.insert(0, content("✗ Not the guide's answer.", "bold red"))
        lines += [content(""), join(content("The guide's answer: ", "bold"), describe_answer(inject, guide) or "none")]
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
    return lines + _why(inject, chosen)


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
