"""The after-action report of one drill, in the HSEEP AAR/IP shape, as plain data.

Every number here is read from the scorecards, so a report can never disagree with the score;
the Markdown, HTML, CSV and JSON renderers only lay this document out.
"""

from __future__ import annotations

from datetime import UTC, datetime

from scenarios.conditions import describe
from scenarios.drillstate import state
from scenarios.playbook import SEVERITY_POINTS
from scenarios.render import render

from ..history import ScoredDrill
from ..scorecard import BANDS, Finding, InjectJudgment, Scorecard, escalation_rows

REPORT_TITLE = "After-Action Report / Improvement Plan"
ARCHIVED_NOTICE = ("This drill is archived: it is kept on record but left out of every statistic "
                   "(Review's trends, most-missed steps, comparisons and exports).")
COORDINATION = "Operational Coordination"
IMPROVE = ("missed", "deducted")


def capability_of(f: Finding, key) -> str:
    """The HSEEP core capability a finding belongs to (docs/scoring.md, "Phases and capabilities")."""
    subject = f.subject or ""
    if f.dimension == "steps" and subject in key.steps:
        return key.steps[subject].capability
    if f.dimension == "sequence" and ">" in subject:
        then = subject.split(">", 1)[1]
        return key.steps[then].capability if then in key.steps else COORDINATION
    if f.dimension == "harms" and subject in key.harms:
        broken = [s for s in key.harms[subject].breaks if s in key.steps]
        return key.steps[broken[0]].capability if broken else "Cybersecurity"
    return COORDINATION


def _corrective_action(f: Finding, key) -> str:
    subject = f.subject or ""
    if f.dimension == "steps" and subject in key.steps:
        return f"Practise the documented step: {key.steps[subject].title}."
    if f.dimension == "escalation" and subject in key.contacts:
        contact = key.contacts[subject]
        when = describe(contact.when) if contact.when is not None else "as the guide names it"
        esc = key.escalations.get(subject)
        urgency = f", {esc.urgency.replace('-', ' ')}" if esc else ""
        return f"Put {contact.name} on the incident call list (reach them when {when}{urgency})."
    if f.dimension == "sequence":
        return "Rehearse the documented order of response steps: " + f.message
    if f.dimension == "harms" and subject in key.harms:
        return f"Brief responders on what the guide warns against: {key.harms[subject].title}."
    if f.dimension == "timeliness":
        return "Practise deciding within each inject's time limit."
    return f.message


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


def _responsible(key) -> str:
    # The guides make the city's IT / IT-security office the enforcer of incident response.
    office = key.contacts.get("city-it")
    return office.name if office else key.playbook.name


def answer_lines(inject, answer: list[str] | str) -> list[str]:
    """An answer as the report names it: each option as `id) text`, or the free text."""
    if isinstance(answer, str):
        return [answer]
    texts = {o.id: o.text for o in inject.options}
    return [f"{oid}) {texts.get(oid, oid)}" for oid in answer]


def corrections(fold, scenario) -> list[dict]:
    """Every correction in the order made (the log keeps what was first recorded; these say what
    changed since, when and why). `scenario` is the rendered one, for the options' texts."""
    out = []
    for c in fold.corrections:
        before, after = c.before, c.after
        if c.kind == "answer-corrected":
            inject = scenario.inject(c.inject)
            before, after = ("; ".join(answer_lines(inject, x)) for x in (before, after))
        out.append({"at": _iso(c.at), "kind": c.kind, "team": c.team, "inject": c.inject,
                    "before": before, "after": after, "reason": c.reason})
    return out


def _escalations(key, scenario, card: Scorecard) -> list[dict]:
    """Who the team reached, at which inject and scenario minute, beside who the guide requires,
    read from the scorecard's escalation findings (so the timeline is the score's own)."""
    rows = []
    for row in escalation_rows(card, key):
        status = row["status"] + (", out of order" if row["out_of_order"] else "")
        at = row["inject"]
        rows.append({k: row[k] for k in ("contact", "name", "required", "urgency", "inject")}
                    | {"minute": scenario.inject(at).at if at else None, "status": status})
    return rows


def verdict(j: InjectJudgment) -> str:
    """A team's response to one inject in words, as its scorecard judged it."""
    if not j.scored:
        return "discussed, not scored"
    words = [
        "not answered" if not j.answered else "the guide's answer" if j.matches_guide else "not the guide's answer"
    ]
    if j.late:
        words.append("late: " + ", ".join(c.name for c in j.late))
    if j.needless:
        words.append("no cause to reach: " + ", ".join(c.name for c in j.needless))
    return "; ".join(words)


def _inject_entry(inject, fold, cards: dict[str, Scorecard]) -> dict | None:
    """One inject of the appendix, with each team's response and its judgment; None when no
    team's path reached it. `inject` is the rendered one, for the texts."""
    responses, judged = {}, []
    for team, card in cards.items():
        if inject.id not in fold.teams[team].path:
            continue
        j = card.judgments[inject.id]
        judged.append(j)
        answer = fold.teams[team].answers.get(inject.id)
        responses[team] = (
            {"status": "unanswered", "answer": [], "seconds": None, "method": None}
            if answer is None
            else {
                "status": "answered", "answer": answer_lines(inject, answer.answer),
                "seconds": answer.seconds, "method": answer.method,
            }
        ) | {"verdict": verdict(j), "judgment": j.to_dict()}
    if not responses:
        return None
    guide = judged[0].guide  # the same for every team: the guide's answer is the key's
    return {
        "id": inject.id,
        "minute": inject.at,
        "title": inject.title,
        "sender": inject.sender,
        "channel": inject.channel,
        "question": inject.question,
        "scored": judged[0].scored,
        "documented": [f"{o.id}) {o.text}" for oid in guide for o in inject.options if o.id == oid],
        "responses": responses,
    }


def method_note() -> list[str]:
    """How the scores were made, and which of its rules are this project's own choices."""
    weights = ", ".join(f"{severity} {points:.0f}" for severity, points in SEVERITY_POINTS.items())
    bands = (
        "; ".join(f"{letter} {floor:g} and above" for floor, letter, _ in BANDS[:-1])
        + f"; {BANDS[-1][1]} below {BANDS[-2][0]:g}"
    )
    return [
        "Each team's answers are scored against the playbook's documented steps, escalations, order "
        "constraints and harms, as they apply to the scenario's facts; every point gained or lost is a "
        "finding that names the guide and section it comes from.",
        f"The harm weights (points off the harms dimension: {weights}) and the score bands of the "
        f"ratings ({bands}) are this project's own choices. HSEEP defines the four ratings P, S, M and U "
        "and their meanings; it sets no score bands, and the guides do not weigh one harm against another.",
        "Injects marked \"discussed, not scored\" carry no key (discussion only) and count in no "
        "denominator. Free-text answers are matched by keywords unless a facilitator marked them, and "
        "keywords alone never commit a harm.",
    ]


def build(drill: ScoredDrill) -> dict:
    row, key, cards = drill.row, drill.key, drill.cards
    scenario = render(drill.scenario, row.seed)
    fold = state(drill.events, drill.scenario)
    ended = next((e for e in reversed(drill.events) if e.type == "ended"), None)
    teams = list(cards)

    capabilities: dict[str, dict] = {}
    plan: dict[tuple, dict] = {}
    for team, card in cards.items():
        for cap, rating in card.ratings.items():
            entry = capabilities.setdefault(
                cap, {"capability": cap, "ratings": {}, "strengths": [], "improvements": []},
            )
            entry["ratings"][team] = rating.to_dict()
        for f in card.findings:
            cap = capability_of(f, key)
            entry = capabilities.setdefault(
                cap, {"capability": cap, "ratings": {}, "strengths": [], "improvements": []},
            )
            item = {"team": team, "text": f.message, "points": f.points, "source": f.source}
            if f.effect == "gained":
                entry["strengths"].append(item)
            elif f.effect in IMPROVE:
                entry["improvements"].append(item)
                k = (f.dimension, f.subject or f.message)
                action = plan.setdefault(k, {
                    "capability": cap,
                    "issue": f.message,
                    "corrective_action": _corrective_action(f, key),
                    "responsible": _responsible(key),
                    "source": f.source,
                    "teams": [],
                    "due": "",
                })
                if team not in action["teams"]:
                    action["teams"].append(team)

    injects = [entry for inject in scenario.injects if (entry := _inject_entry(inject, fold, cards))]

    ranked = sorted(cards.values(), key=lambda c: -c.overall)
    summary = [
        f"{len(teams)} team(s) exercised '{scenario.title}', a {scenario.violation.replace('-', ' ')} breach "
        f"scored against the {key.playbook.name} playbook ({row.mode}, {'timed' if row.timed else 'untimed'}).",
        "Overall scores: " + "; ".join(f"{c.team} {c.overall:.1f}" for c in ranked) + ".",
    ]
    strong = sorted(
        cap for cap, e in capabilities.items()
        if e["ratings"] and all(r["rating"] == "P" for r in e["ratings"].values())
    )
    weak = sorted(
        cap for cap, e in capabilities.items() if any(r["rating"] in ("M", "U") for r in e["ratings"].values())
    )
    if strong:
        summary.append("Performed without challenges by every team: " + ", ".join(strong) + ".")
    if weak:
        summary.append("Major challenges or unable to perform for at least one team: " + ", ".join(weak) + ".")
    if plan:
        summary.append(f"The improvement plan lists {len(plan)} corrective action(s).")

    return {
        "report": REPORT_TITLE,
        "notice": ARCHIVED_NOTICE if fold.archived else None,
        "overview": {
            "exercise_name": scenario.title,
            "drill_id": row.id,
            "scenario_id": scenario.id,
            "jurisdiction": key.playbook.name,
            "violation": scenario.violation,
            "difficulty": scenario.difficulty,
            "started": row.created,
            "ended": _iso(ended.at) if ended is not None else None,
            "status": row.status,
            "archived": fold.archived,
            "scope": f"Tabletop exercise, {row.mode} mode, {'timed' if row.timed else 'untimed'} injects",
            "objectives": list(scenario.objectives),
            "scenario": scenario.summary,
            "teams": teams,
            "seed": row.seed,
            "scenario_hash": row.scenario_hash,
            "sources": [f"{d.title}: {d.citation}" for d in key.playbook.documents],
        },
        "executive_summary": summary,
        "method": method_note(),
        "scores": [
            {"team": c.team, "overall": c.overall, "dimensions": dict(c.dimensions), "weights": dict(c.weights)}
            for c in cards.values()
        ],
        "capabilities": sorted(capabilities.values(), key=lambda e: e["capability"]),
        "improvement_plan": list(plan.values()),
        "injects": injects,
        "escalations": {team: _escalations(key, drill.scenario, card) for team, card in cards.items()},
        "participants": [
            {"team": c.team, "overall": c.overall, "unanswered": list(c.unanswered)} for c in cards.values()
        ],
        "findings": {
            team: [f.to_dict() | {"capability": capability_of(f, key)} for f in card.findings]
            for team, card in cards.items()
        },
        "corrections": corrections(fold, scenario),
    }
