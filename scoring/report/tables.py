"""The after-action report's tables as (headers, rows): the Markdown and HTML layouts share them."""

from __future__ import annotations

Table = tuple[list[str], list[list[object]]]
NOT_GIVEN = "not given"


def _given(value) -> str:
    if isinstance(value, list):
        return ", ".join(value) if value else NOT_GIVEN
    return NOT_GIVEN if value in (None, "") else value


def cover(aar: dict) -> Table:
    """The HSEEP AAR cover information: what the report's metadata gave, "not given" otherwise."""
    o = aar["overview"]
    return ["Item", "Detail"], [
        ["Organisation", _given(o.get("organisation"))], ["Location", _given(o.get("location"))],
        ["Facilitators", _given(o.get("facilitators"))], ["Evaluators", _given(o.get("evaluators"))],
        ["Point of contact", _given(o.get("contact"))],
    ]


def overview(aar: dict) -> Table:
    o = aar["overview"]
    return ["Item", "Detail"], [
        ["Exercise", o["exercise_name"]], ["Drill", o["drill_id"]], ["Scenario", o["scenario_id"]],
        ["Jurisdiction", o["jurisdiction"]], ["Violation", o["violation"].replace("-", " ")],
        ["Difficulty", o["difficulty"]],
        ["Started", o.get("started_local") or o["started"]],
        ["Ended", o.get("ended_local") or o["ended"] or "not ended"], ["Scope", o["scope"]],
        ["Teams", ", ".join(o["teams"])], ["Seed", o["seed"]], ["Scenario hash", o["scenario_hash"]],
        *([["Archived", "yes: left out of every statistic"]] if o.get("archived") else []),
    ]


def scores(aar: dict) -> Table:
    dims = list(dict.fromkeys(d for s in aar["scores"] for d in s["dimensions"]))
    return ["Team", "Overall", *dims], [
        [s["team"], f"{s['overall']:.1f}", *[f"{s['dimensions'][d]:.1f}" if d in s["dimensions"] else "" for d in dims]]
        for s in aar["scores"]
    ]


def ratings(capability: dict) -> Table:
    return ["Team", "Rating", "Score", "Meaning"], [
        [team, r["rating"], f"{r['score']:.1f}", r["meaning"]] for team, r in capability["ratings"].items()
    ]


def improvement_plan(aar: dict) -> Table:
    return ["#", "Capability", "Team", "Issue", "Corrective action", "Responsible", "Owner", "Due date",
            "Source"], [
        [p["number"], p["capability"], p["team"], p["issue"], p["corrective_action"], p["responsible"],
         p["owner"], p["due"], p["source"] or ""]
        for p in aar["improvement_plan"]
    ]


def participants(aar: dict) -> Table:
    return ["Team", "Overall", "Unanswered injects"], [
        [p["team"], f"{p['overall']:.1f}", "; ".join(p.get("unanswered_titles", p["unanswered"])) or "none"]
        for p in aar["participants"]
    ]


def documented(inject: dict) -> tuple[str, str]:
    """(label, text) for an inject's documented response; a discussion-only inject has none."""
    if not inject.get("scored", True):
        return "Discussed, not scored", "no option carries a key, so no answer is the guide's"
    return "Documented response", "; ".join(inject["documented"])


def responses(inject: dict) -> Table:
    return ["Team", "Response", "Seconds", "Judgment"], [
        [team, "; ".join(r["answer"]) or r["status"], "" if r["seconds"] is None else f"{r['seconds']:.0f}",
         r["verdict"]]
        for team, r in inject["responses"].items()
    ]


def escalations(rows: list[dict]) -> Table:
    return ["Contact", "Required", "Reached at", "Minute", "Status"], [
        [r["name"], "yes" if r["required"] else "no", r.get("inject_title") or r["inject"] or "",
         "" if r["minute"] is None else r["minute"],
         r["status"]]
        for r in rows
    ]


def corrections(aar: dict) -> Table:
    return ["Time", "Kind", "Team", "Inject", "Before", "After", "Reason"], [
        [c.get("at_local") or c["at"], c["kind"].replace("-", " "), c["team"] or "",
         c.get("inject_title") or c["inject"] or "", c["before"] or "",
         c["after"] or "", c["reason"]]
        for c in aar["corrections"]
    ]
