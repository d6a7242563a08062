"""The facilitator's copy: per inject, the guide's answer by the numbers the players' pages show
(the same seed), what each option does by the playbook's names with the guide section each
cites, which inject each answer leads to, the facilitator's notes and the debrief."""

from __future__ import annotations

from datetime import date

from ..inject_text import CHANNEL_LABEL, NONE_NUMBER, NONE_TEXT
from . import key_text
from .html import document, h, prose, table
from .pages import Handout, Page, Route


def _numbers(numbers: list[int] | tuple[int, ...]) -> str:
    return ", ".join(str(n) for n in numbers)


def guide_line(made: Handout, page: Page) -> str:
    inject = page.filed
    if not page.scored:
        return "Discussed, not scored: no option carries a key."
    guide = made.guide(page)
    if inject.kind == "order":
        return f"Documented order: {_numbers(guide)}"
    if inject.kind == "single":
        return f"Guide answer: {_numbers(guide)}"
    if inject.kind == "multi":
        if not guide:
            return f"Guide answer: {NONE_NUMBER} ({NONE_TEXT})"
        return f"Guide answer: tick {_numbers(guide)}, and no other"
    if not guide:
        return "Guide answer: no rubric entry earns credit"
    return f"Guide answer: an answer that earns rubric entries {_numbers(guide)}"


def _goes_to(route: Route) -> str:
    if route.page is None:
        return "the drill ends"
    return f"go to inject {route.page}: {h(route.title)}"


def route_lines(made: Handout, page: Page) -> list[str]:
    routes = made.routes(page)
    lines = []
    for route in routes:
        if not route.numbers:
            lead = "Any other answer" if len(routes) > 1 else "Whatever the answer"
        else:
            lead = f"If the team chooses {' or '.join(str(n) for n in route.numbers)}"
        lines.append(f"{lead} → {_goes_to(route)}")
    return lines


def came_from(made: Handout, page: Page) -> str:
    found = [f"inject {p.number}" + (f" (answer {_numbers(r.numbers)})" if r.numbers else "")
             for p, r in made.reached_from(page)]
    if page.shown.id == made.filed.start:
        found.insert(0, "the start of the drill")
    return "; ".join(found) if found else "no other inject (not reached on any path)"


def _effects(made: Handout, option) -> str:
    found = key_text.effects(made.key, option)
    if not found:
        return "<em>Nothing in the key</em>"
    return "<br>".join(h(e.text) + (f' <span class="cite">({h(e.cite)})</span>' if e.cite else "") for e in found)


def options_table(made: Handout, page: Page) -> str:
    """The options as the players' page numbers them, each with what it does in the key (where
    each answer leads is the "Then" list below it)."""
    inject = page.shown
    guide = set(made.guide(page)) if inject.kind != "order" else set()
    free = inject.kind == "free"
    head = ('<tr><th class="no">No.</th><th>' + ("Rubric entry" if free else "Option") + "</th>"
            + ("<th>Keywords</th>" if free else "") + "<th>In the key</th></tr>")
    rows = []
    for n, option in enumerate(inject.options, start=1):
        mark = " ✓" if n in guide else ""
        keywords = f"<td>{'; '.join(h(k) for k in option.keywords)}</td>" if free else ""
        rows.append(f'<tr><td class="no"><strong>{n}{mark}</strong></td><td>{h(" ".join(option.text.split()))}</td>'
                    f"{keywords}<td>{_effects(made, option)}</td></tr>")
    return f'<table class="key">{head}{"".join(rows)}</table>'


def _texts(page: Page, field: str) -> list[str]:
    """The inject's own text of this field, then each option's, labelled by its shown number."""
    own = getattr(page.shown, field)
    out = [f'<div class="note">{h(own.strip())}</div>'] if own else []
    name = "Rubric entry" if page.shown.kind == "free" else "Option"
    for n, option in enumerate(page.shown.options, start=1):
        text = getattr(option, field)
        if text:
            out.append(f'<div class="note"><strong>{name} {n}:</strong> {h(text.strip())}</div>')
    return out


def inject_page(made: Handout, page: Page) -> str:
    inject = page.shown
    limit = f" Time limit in a timed drill: {inject.limit} s." if inject.limit else ""
    notes, debrief = _texts(page, "notes"), _texts(page, "debrief")
    return "".join([
        f'<div class="head"><span class="drill">{h(made.scenario.title)}</span><span>Facilitator\'s copy</span>'
        f'<span class="where">Inject {page.number} of {page.total} · +{inject.at} min</span></div>',
        f"<h2>{h(CHANNEL_LABEL[inject.channel])}: {h(inject.title)}</h2>",
        f"<p>From {h(inject.sender)} · id {h(inject.id)} · {h(inject.kind)}.{limit}</p>",
        f"<p>Comes after: {came_from(made, page)}.</p>",
        f'<p class="question">Question: {h(inject.question)}</p>',
        f'<p class="guide">{guide_line(made, page)}</p>',
        options_table(made, page),
        "<h3>Then</h3>",
        '<ul class="plain">' + "".join(f"<li>{line}</li>" for line in route_lines(made, page)) + "</ul>",
        *(["<h3>Notes for the facilitator</h3>", *notes] if notes else []),
        *(["<h3>Debrief</h3>", *debrief] if debrief else []),
    ])


def _facts(made: Handout) -> str:
    rows = []
    for name, value in made.filed.facts.model_dump().items():
        shown = ("yes" if value else "no") if isinstance(value, bool) else f"{value:,}"
        rows.append((h(name.replace("_", " ")), shown))
    return table(rows, "meta")


def _contacts(made: Handout) -> str:
    found = key_text.required_contacts(made.key)
    if not found:
        return "<p>None for these facts.</p>"
    items = "".join(
        f"<li><strong>{h(c.name)}</strong>: {h(c.urgency)}, when {h(c.when)}"
        + (f"; by {h(c.by)}" if c.by else "") + f' <span class="cite">({h(c.cite)})</span></li>'
        for c in found
    )
    return f'<ul class="plain">{items}</ul>'


def title_page(made: Handout, when: date) -> str:
    s = made.scenario
    objectives = "".join(f"<li>{h(o)}</li>" for o in s.objectives)
    start = made.page_of(made.filed.start)
    meta = [("Scenario", h(s.id)), ("Playbook", h(made.key.playbook.name)), ("Violation", h(s.violation)),
            ("Difficulty", h(s.difficulty)), ("Injects", str(len(made.pages))), ("Seed", str(made.seed)),
            ("Made", when.isoformat())]
    return "".join([
        f"<h1>{h(s.title)}</h1>",
        "<p><strong>Facilitator's copy: the answer key and the debrief. Not for the players.</strong></p>",
        f"<p>{h(prose(s.summary))}</p>",
        *([f'<h3>Objectives</h3><ul class="plain">{objectives}</ul>'] if s.objectives else []),
        table(meta, "meta"),
        # "Inject N", as the head of each players' page reads: a printed page number would count
        # the title page, and a long inject runs over onto a second sheet.
        f"<p>Inject and option numbers are those of the players' pack made with seed {made.seed}. Hand "
        f"out inject {start.number if start else 1} first; after each answer, the inject's “Then” says "
        "which inject comes next. ✓ marks the guide's answer.</p>",
        "<h3>Facts</h3>", _facts(made),
        "<h3>Contacts the guides require for these facts</h3>", _contacts(made),
    ])


def facilitator_html(made: Handout, when: date, paper: str = "letter") -> str:
    """The facilitator's copy as one printable HTML file."""
    pages = [title_page(made, when)] + [inject_page(made, page) for page in made.pages]
    return document(f"{made.scenario.title}: facilitator's copy", pages, paper)
