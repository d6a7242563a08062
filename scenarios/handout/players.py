"""The players' pack: a title page, then one page per inject as it reaches the team (sender,
channel, body, artifacts, question, options numbered and ordered as the drill with this seed
shows them), with marks to fill in on paper. Nothing of the key is on these pages."""

from __future__ import annotations

from datetime import date

from ..inject_text import CHANNEL_LABEL, NONE_NUMBER, NONE_TEXT
from ..model import Inject
from .html import document, h, paragraphs, prose, table
from .pages import Handout, Page

TEAM_BLANK = "Team: ________________"
FREE_LINES = 12

HOW = {
    "single": "Choose one: fill in the circle of your answer.",
    "multi": f"Choose all that apply: tick each box (or tick {NONE_NUMBER}, {NONE_TEXT}).",
    "order": "Put them in order: write 1 in the blank of what you do first, then 2, and so on.",
    "free": "Write the team's answer on the lines.",
}
MARK = {"single": "○", "multi": "□"}


def head(drill_title: str, page: Page) -> str:
    return (f'<div class="head"><span class="drill">{h(drill_title)}</span><span>{TEAM_BLANK}</span>'
            f'<span class="where">Inject {page.number} of {page.total} · +{page.shown.at} min</span></div>')


def letter_head(inject: Inject) -> list[tuple[str, str]]:
    """The header rows the app's inject view shows for the channel (the team's name a blank)."""
    when = f"+{inject.at} min into the incident"
    if inject.channel == "email":
        return [("From", h(inject.sender)), ("To", TEAM_BLANK.removeprefix("Team: ")),
                ("Subject", h(inject.subject or inject.title)), ("Received", when)]
    if inject.channel == "phone":
        return [("Call from", h(inject.sender)), ("Taken", when)]
    if inject.channel == "log":
        return [("Alert from", h(inject.sender)), ("Raised", when)]
    return [(CHANNEL_LABEL[inject.channel], h(inject.subject or inject.title)), ("From", h(inject.sender)),
            ("When", when)]


def message(inject: Inject) -> str:
    rows = [(f"{name}:", value) for name, value in letter_head(inject)]
    # A log alert is an excerpt: monospace, every line as it is (the app shows it so too).
    body = (f'<pre class="mono">{h(inject.body.rstrip())}</pre>' if inject.channel == "log"
            else f'<div class="body">{paragraphs(inject.body)}</div>')
    return f'<div class="letter">{table(rows, "letter-head")}{body}</div>'


def artifacts(inject: Inject) -> str:
    return "".join(
        f'<div class="artifact"><div class="caption">{h(a.kind)}: {h(a.title)}</div>'
        f"<pre>{h(a.content.rstrip())}</pre></div>"
        for a in inject.artifacts
    )


def _option(lead: str, number: int, text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return (f'<li{attr}>{lead}<span class="n">{number}.</span>'
            f'<span class="text">{h(" ".join(text.split()))}</span></li>')


def answer_space(inject: Inject) -> str:
    """The options to mark, in the order shown, numbered as the drill numbers them; ruled lines
    for a free answer (whose options are the facilitator's rubric, never shown to a team)."""
    if inject.kind == "free":
        return '<div class="ruled">' + "<div></div>" * FREE_LINES + "</div>"
    if inject.kind == "order":
        lead = '<span class="blank"></span>'
    else:
        lead = f'<span class="mark">{MARK[inject.kind]}</span>'
    items = [_option(lead, n, o.text) for n, o in enumerate(inject.options, start=1)]
    if inject.kind == "multi":  # the app's answer screen offers it as 0: an answer of no option
        items.append(_option(lead, NONE_NUMBER, NONE_TEXT, "none"))
    return f'<ol class="options">{"".join(items)}</ol>'


def inject_page(drill_title: str, page: Page) -> str:
    inject = page.shown
    return "".join([
        head(drill_title, page),
        f"<h2>{h(CHANNEL_LABEL[inject.channel])}: {h(inject.title)}</h2>",
        message(inject),
        artifacts(inject),
        f'<p class="question">Question: {h(inject.question)}</p>',
        f'<p class="how">{HOW[inject.kind]}</p>',
        answer_space(inject),
    ])


def title_page(made: Handout, when: date, what: str) -> str:
    s = made.scenario
    objectives = "".join(f"<li>{h(o)}</li>" for o in s.objectives)
    meta = [("Scenario", h(s.id)), ("Injects", str(len(made.pages))), ("Seed", str(made.seed)),
            ("Made", when.isoformat())]
    return "".join([
        f"<h1>{h(s.title)}</h1>",
        f"<p><strong>{what}</strong></p>",
        f"<p>{h(prose(s.summary))}</p>",
        *([f'<h3>Objectives</h3><ul class="plain">{objectives}</ul>'] if s.objectives else []),
        table(meta, "meta"),
        f"<p>The seed sets the details in the messages and the order of the options: a drill "
        f"started with seed {made.seed} shows the same, with the same numbers.</p>",
        f'<p class="team-line">{TEAM_BLANK}</p>',
    ])


def players_html(made: Handout, when: date, paper: str = "letter") -> str:
    """The players' pack as one printable HTML file."""
    title = made.scenario.title
    pages = [title_page(made, when, "Players' pack: one page per inject, handed out by the facilitator")]
    pages += [inject_page(title, page) for page in made.pages]
    return document(f"{title}: players' pack", pages, paper)
