"""The after-action report as Markdown, with every text from users and files escaped."""

from __future__ import annotations

import re

from scenarios.safe_text import literal

from . import tables

# Inline formatting, links, tables and headings; every text is one line inside a table cell,
# list item or labelled paragraph, so line-start markers (1. - +) cannot take effect.
# `<` and `&` are escaped the Markdown way (`\<`, `\&`: no raw HTML, no entity), never as HTML
# entities, which a Markdown reader would show as they are.
_SPECIAL = re.compile(r"([\\`*_\[\]#|~<>&])")


def md(value: object) -> str:
    """Literal text in Markdown: no emphasis, links, tables or raw HTML can come out of it, and no
    terminal or bidi control: those are shown as `\\x1b`, `\\u202e` (before the rest is escaped,
    so the backslash of the escape is shown too, and before the text is made one line, so a
    control that Python counts as whitespace, such as \\x1c or \\x85, is shown, not dropped)."""
    text = "" if value is None else literal(str(value))
    text = _SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())  # one line: a newline would end a table row or list item


def _table(table: tuple[list[str], list[list[object]]]) -> list[str]:
    headers, rows = table
    out = ["| " + " | ".join(md(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(md(c) for c in r) + " |" for r in rows]
    return out + [""]


def to_markdown(aar: dict) -> str:
    o = aar["overview"]
    out = [f"# {md(aar['report'])}: {md(o['exercise_name'])}", ""]
    if aar["notice"]:
        out += [f"**Archived.** {md(aar['notice'])}", ""]
    out += ["## Exercise overview", ""]
    out += _table(tables.cover(aar))
    out += _table(tables.overview(aar))
    out += ["**Scenario.** " + md(o["scenario"]), "", "**Objectives**", ""]
    out += [f"- {md(x)}" for x in o["objectives"]] + ["", "**Sources**", ""]
    out += [f"- {md(x)}" for x in o["sources"]] + ["", "## Executive summary", ""]
    out += [md(p) + "\n" for p in aar["executive_summary"]]
    out += ["## Scores", ""] + _table(tables.scores(aar))
    out += ["### How the scores were made", ""] + [md(p) + "\n" for p in aar["method"]]
    out += ["## Analysis of core capabilities", ""]
    for cap in aar["capabilities"]:
        out += [f"### {md(cap['capability'])}", ""]
        if cap["ratings"]:
            out += _table(tables.ratings(cap))
        for title, items in (("Strengths", cap["strengths"]), ("Areas for improvement", cap["improvements"])):
            out += [f"**{title}**", ""]
            out += [
                f"- {md(i['team'])}: {md(i['text'])}" + (f" — {md(i['source'])}" if i["source"] else "")
                for i in items
            ]
            out += (["- none"] if not items else []) + [""]
    out += ["## Appendix A: Improvement plan", ""] + _table(tables.improvement_plan(aar))
    out += ["## Appendix B: Participants", ""] + _table(tables.participants(aar))
    out += ["## Appendix C: Injects and responses", ""]
    for inj in aar["injects"]:
        out += [f"### +{inj['minute']} min · {md(inj['title'])}", "",
                f"{md(inj['channel'].capitalize())} from {md(inj['sender'])}. {md(inj['question'])}", "",
                "{}: {}".format(*map(md, tables.documented(inj))), ""]
        out += _table(tables.responses(inj))
    out += ["## Appendix D: Escalation timeline", ""]
    for team, rows in aar["escalations"].items():
        out += [f"### {md(team)}", ""] + _table(tables.escalations(rows))
    out += ["## Appendix E: Corrections", ""]
    out += _table(tables.corrections(aar)) if aar["corrections"] else ["None: every answer is as first recorded.", ""]
    return "\n".join(out)
