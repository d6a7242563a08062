"""The after-action report as Markdown, with every text from users and files escaped."""

from __future__ import annotations

import re

# Inline formatting, links, tables and headings; every text is one line inside a table cell,
# list item or labelled paragraph, so line-start markers (1. - +) cannot take effect.
_SPECIAL = re.compile(r"([\\`*_\[\]#|~>])")


def md(value: object) -> str:
    """Literal text in Markdown: no emphasis, links, tables or raw HTML can come out of it."""
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())  # one line: a newline would end a table row or list item


def _table(headers: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(md(c) for c in r) + " |" for r in rows]
    return out + [""]


def to_markdown(aar: dict) -> str:
    o = aar["overview"]
    out = [f"# {md(aar['report'])}: {md(o['exercise_name'])}", "", "## Exercise overview", ""]
    out += _table(["", ""], [
        ["Exercise", o["exercise_name"]], ["Drill", o["drill_id"]], ["Scenario", o["scenario_id"]],
        ["Jurisdiction", o["jurisdiction"]], ["Violation", o["violation"]], ["Difficulty", o["difficulty"]],
        ["Started", o["started"]], ["Ended", o["ended"] or "not ended"], ["Scope", o["scope"]],
        ["Teams", ", ".join(o["teams"])], ["Seed", o["seed"]], ["Scenario hash", o["scenario_hash"]],
    ])
    out += ["**Scenario.** " + md(o["scenario"]), "", "**Objectives**", ""]
    out += [f"- {md(x)}" for x in o["objectives"]] + ["", "**Sources**", ""]
    out += [f"- {md(x)}" for x in o["sources"]] + ["", "## Executive summary", ""]
    out += [md(p) + "\n" for p in aar["executive_summary"]]
    out += ["## Scores", ""]
    dims = list(dict.fromkeys(d for s in aar["scores"] for d in s["dimensions"]))
    out += _table(["Team", "Overall", *dims], [[s["team"], f"{s['overall']:.1f}", *[
        f"{s['dimensions'][d]:.1f}" if d in s["dimensions"] else "" for d in dims]] for s in aar["scores"]])
    out += ["## Analysis of core capabilities", ""]
    for cap in aar["capabilities"]:
        out += [f"### {md(cap['capability'])}", ""]
        if cap["ratings"]:
            out += _table(["Team", "Rating", "Score", "Meaning"], [
                [t, r["rating"], f"{r['score']:.1f}", r["meaning"]] for t, r in cap["ratings"].items()])
        for title, items in (("Strengths", cap["strengths"]), ("Areas for improvement", cap["improvements"])):
            out += [f"**{title}**", ""]
            out += [f"- {md(i['team'])}: {md(i['text'])}" + (f" — {md(i['source'])}" if i["source"] else "") for i in items]
            out += (["- none"] if not items else []) + [""]
    out += ["## Appendix A: Improvement plan", ""]
    out += _table(["Capability", "Issue", "Corrective action", "Responsible", "Teams", "Source", "Due date"], [
        [p["capability"], p["issue"], p["corrective_action"], p["responsible"], ", ".join(p["teams"]), p["source"] or "", p["due"]]
        for p in aar["improvement_plan"]])
    out += ["## Appendix B: Participants", ""]
    out += _table(["Team", "Overall", "Unanswered injects"], [
        [p["team"], f"{p['overall']:.1f}", ", ".join(p["unanswered"]) or "none"] for p in aar["participants"]])
    out += ["## Appendix C: Injects and responses", ""]
    for inj in aar["injects"]:
        out += [f"### +{inj['minute']} min · {md(inj['title'])} ({md(inj['id'])})", "",
                f"{md(inj['channel'])} from {md(inj['sender'])}. {md(inj['question'])}", "",
                "Documented response: " + md("; ".join(inj["documented"])), ""]
        out += _table(["Team", "Response", "Seconds"], [
            [t, "; ".join(r["answer"]) or r["status"], "" if r["seconds"] is None else f"{r['seconds']:.0f}"]
            for t, r in inj["responses"].items()])
    out += ["## Appendix D: Escalation timeline", ""]
    for team, rows in aar["escalations"].items():
        out += [f"### {md(team)}", ""]
        out += _table(["Contact", "Required", "Reached at", "Minute", "Status"], [
            [r["name"], "yes" if r["required"] else "no", r["inject"] or "", "" if r["minute"] is None else r["minute"], r["status"]]
            for r in rows])
    return "\n".join(out)
