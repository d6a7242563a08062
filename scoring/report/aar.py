"""The after-action report of one drill, in the HSEEP AAR/IP shape, as plain data.

Every number here is read from the scorecards, so a report can never disagree with the score;
the Markdown, HTML, CSV and JSON renderers only lay this document out.
"""

from __future__ import annotations

from scenarios.conditions import describe
from scenarios.drillstate import state
from scenarios.playbook import NOTIFY, SEVERITY_POINTS
from scenarios.plural import counted
from scenarios.render import render

from ..history import ScoredDrill
from ..scorecard import BANDS, Finding, InjectJudgment, Scorecard, escalation_rows
from .words import Reader, article, iso, local_time

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


TO_BE_ASSIGNED = "to be assigned"
URGENCY = {"immediately": "immediately", "without-unreasonable-delay": "without unreasonable delay",
           "when-advised": "when advised"}


def _section(source) -> str:
    return f"see “{source.section}”" if source is not None else ""


def _label(action: str, key) -> str:
    """An action of an order constraint as a reader knows it: the step's title, or reaching a contact."""
    if action.startswith(NOTIFY):
        contact = key.contacts.get(action[len(NOTIFY):])
        return f"reaching {contact.name}" if contact else action
    step = key.steps.get(action)
    return f"“{step.title}”" if step else action


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _corrective_action(f: Finding, key, scenario) -> str:
    """What to do about a finding, in the guide's own words and with its cited section; never the
    finding repeated."""
    subject = f.subject or ""
    if f.dimension == "steps" and subject in key.steps:
        step = key.steps[subject]
        return (f"Rehearse the documented step “{step.title}” at the point the scenario calls for it "
                f"({_section(step.source)}).")
    if f.dimension == "escalation" and subject in key.contacts:
        contact = key.contacts[subject]
        esc = key.escalations.get(subject)
        if esc is None or contact.when is None or f.message.startswith("Needless"):
            required = (f"the guide requires them when {describe(contact.when)}" if contact.when
                        else "the guide does not require them here")
            return f"Reach {contact.name} only when the guide gives cause: {required} ({_section(contact.source)})."
        if f.message.startswith("Out of order"):
            before = ", ".join(key.contacts[a].name if a in key.contacts else a for a in esc.after)
            return f"Reach {before} before {contact.name}, as the guide orders ({_section(esc.source)})."
        when = "in every incident" if not contact.when else f"when {describe(contact.when)}"
        urgency = URGENCY.get(esc.urgency, esc.urgency.replace("-", " "))
        return (f"Add {contact.name} to the incident call list and reach them {urgency}; "
                f"the guide requires it {when} ({_section(esc.source)}).")
    if f.dimension == "sequence" and ">" in subject:
        first, then = subject.split(">", 1)
        order = next((o for o in key.playbook.order if o.first == first and o.then == then), None)
        if first.startswith(NOTIFY):
            lead = "Reach " + _label(first, key)[len("reaching "):]
        else:
            lead = "Do " + _label(first, key)
        where = f" ({_section(order.source)})" if order else ""
        why = f": {order.why}" if order else "."
        return f"{lead} before {_label(then, key)}{where}{why}"
    if f.dimension == "sequence":
        inject = next((i for i in scenario.injects if i.id == subject), None)
        if inject is not None and inject.key:
            texts = {o.id: o.text for o in inject.options}
            steps = "; then ".join(f"“{texts.get(oid, oid)}”" for oid in inject.key)
            return f"Rehearse the documented order at “{inject.title}”: {steps}."
    if f.dimension == "harms" and subject in key.harms:
        harm = key.harms[subject]
        instead = [f"“{key.steps[s].title}”" for s in harm.breaks if s in key.steps]
        tail = f"; the guide asks instead for {'; '.join(instead)}" if instead else ""
        return f"Brief responders not to {_lower_first(harm.title)}{tail} ({_section(harm.source)})."
    if f.dimension == "timeliness":
        inject = next((i for i in scenario.injects if i.id == f.inject), None)
        if inject is not None:
            return f"Practise deciding “{inject.title}” within its limit of {inject.limit or 300} s."
        return "Practise deciding within each inject's time limit."
    return "Review this finding at the hot wash and decide the corrective action."


def _responsible(f: Finding, key) -> str:
    """The organisation the playbook entry behind the finding names, in the guide's words: who
    makes the call for an escalation. The guides name none for a step, an order or a harm."""
    esc = key.escalations.get(f.subject or "") if f.dimension == "escalation" else None
    if esc is not None and not f.message.startswith("Needless") and esc.by:
        return esc.by
    return TO_BE_ASSIGNED


def answer_lines(inject, answer: list[str] | str) -> list[str]:
    """An answer as the team saw it: each option's text as shown, or the free text as typed."""
    if isinstance(answer, str):
        return [answer]
    texts = {o.id: o.text for o in inject.options}
    return [texts.get(oid, oid) for oid in answer]


def corrections(fold, scenario) -> list[dict]:
    """Every correction in the order made (the log keeps what was first recorded; these say what
    changed since, when and why). `scenario` is the rendered one, for the options' texts."""
    out = []
    for c in fold.corrections:
        before, after = c.before, c.after
        inject_title = None
        if c.inject is not None:
            inject_title = next((i.title for i in scenario.injects if i.id == c.inject), c.inject)
        if c.kind == "answer-corrected":
            inject = scenario.inject(c.inject)
            before, after = ("; ".join(answer_lines(inject, x)) for x in (before, after))
        out.append({"at": iso(c.at), "at_local": local_time(c.at), "kind": c.kind, "team": c.team,
                    "inject": c.inject, "inject_title": inject_title,
                    "before": before, "after": after, "reason": c.reason})
    return out


def _escalations(key, scenario, card: Scorecard) -> list[dict]:
    """Who the team reached, at which inject and scenario minute, beside who the guide requires,
    read from the scorecard's escalation findings (so the timeline is the score's own).
    `scenario` is the rendered one, for the injects' titles."""
    rows = []
    for row in escalation_rows(card, key):
        status = row["status"] + (", out of order" if row["out_of_order"] else "")
        at = row["inject"]
        inject = scenario.inject(at) if at else None
        rows.append({k: row[k] for k in ("contact", "name", "required", "urgency", "inject")}
                    | {"inject_title": inject.title if inject else None,
                       "minute": inject.at if inject else None, "status": status})
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


def team_responses(inject, fold, team: str) -> dict | None:
    """One team's response to one inject, as the team gave it; None off the team's path."""
    if inject.id not in fold.teams[team].path:
        return None
    answer = fold.teams[team].answers.get(inject.id)
    if answer is None:
        return {"status": "unanswered", "answer": [], "seconds": None, "method": None}
    return {"status": "answered", "answer": answer_lines(inject, answer.answer),
            "seconds": answer.seconds, "method": answer.method}


def _inject_entry(inject, fold, cards: dict[str, Scorecard]) -> dict | None:
    """One inject of the appendix, with each team's response and its judgment; None when no
    team's path reached it. `inject` is the rendered one, for the texts."""
    responses, judged = {}, []
    for team, card in cards.items():
        given = team_responses(inject, fold, team)
        if given is None:
            continue
        j = card.judgments[inject.id]
        judged.append(j)
        responses[team] = given | {"verdict": verdict(j), "judgment": j.to_dict()}
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
        "documented": [o.text for oid in guide for o in inject.options if o.id == oid],
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


META_FIELDS = ("organisation", "location", "facilitators", "evaluators", "contact")


def _meta(meta: dict | None) -> dict:
    """The report's cover information as given (a file, flags); None or [] where not given."""
    meta = meta or {}
    return {k: (list(meta.get(k) or []) if k in ("facilitators", "evaluators") else meta.get(k) or None)
            for k in META_FIELDS}


def improvement_plan(cards: dict[str, Scorecard], key, scenario, reader: Reader, actions: dict) -> list[dict]:
    """Appendix A: one row per team and finding that lost points, each with that team's own
    figures; rows about the same issue sit together, numbered in order (the number is what a
    metadata file's `actions` names)."""
    groups: dict[tuple, list[dict]] = {}
    for team, card in cards.items():
        for f in card.findings:
            if f.effect not in IMPROVE:
                continue
            kind = f.message.split(":", 1)[0] if ":" in f.message else f.message
            rows = groups.setdefault((f.dimension, f.subject or f.message, kind), [])
            text = reader.text(f)
            if any(r["team"] == team and r["issue"] == text for r in rows):
                continue
            rows.append({
                "capability": capability_of(f, key),
                "team": team,
                "issue": text,
                "points": f.points,
                "corrective_action": _corrective_action(f, key, scenario),
                "responsible": _responsible(f, key),
                "source": f.source,
                "dimension": f.dimension,
                "subject": f.subject,
                "inject": f.inject,
            })
    out = []
    for rows in groups.values():
        for row in rows:
            number = len(out) + 1
            given = actions.get(number, {})
            out.append({"number": number} | row | {
                "owner": given.get("owner") or TO_BE_ASSIGNED, "due": given.get("due") or TO_BE_ASSIGNED,
            })
    return out


def build(drill: ScoredDrill, meta: dict | None = None) -> dict:
    row, key, cards = drill.row, drill.key, drill.cards
    scenario = render(drill.scenario, row.seed)
    reader = Reader(scenario, key)
    fold = state(drill.events, drill.scenario)
    ended = next((e for e in reversed(drill.events) if e.type == "ended"), None)
    teams = list(cards)

    capabilities: dict[str, dict] = {}
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
            item = {"team": team, "text": reader.text(f), "points": f.points, "source": f.source}
            if f.effect == "gained":
                entry["strengths"].append(item)
            elif f.effect in IMPROVE:
                entry["improvements"].append(item)
    plan = improvement_plan(cards, key, scenario, reader, (meta or {}).get("actions") or {})

    injects = [entry for inject in scenario.injects if (entry := _inject_entry(inject, fold, cards))]

    ranked = sorted(cards.values(), key=lambda c: -c.overall)
    violation = scenario.violation.replace("-", " ")
    summary = [
        f"{counted(len(teams), 'team')} exercised “{scenario.title}”, {article(violation)} {violation} breach "
        f"scored against the {key.playbook.name} playbook ({row.mode} mode, {'timed' if row.timed else 'untimed'}).",
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
        issues = len({(p["dimension"], p["subject"], p["corrective_action"]) for p in plan})
        summary.append(f"The improvement plan lists {counted(issues, 'corrective action')} "
                       f"over {counted(len(plan), 'finding')}.")

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
            "started_local": local_time(row.created),
            "ended": iso(ended.at) if ended is not None else None,
            "ended_local": local_time(ended.at) if ended is not None else None,
            "status": row.status,
            "archived": fold.archived,
            "scope": f"Tabletop exercise, {row.mode} mode, {'timed' if row.timed else 'untimed'} injects",
            "objectives": list(scenario.objectives),
            "scenario": scenario.summary,
            "teams": teams,
            "seed": row.seed,
            "scenario_hash": row.scenario_hash,
            "sources": [f"{d.title}: {d.citation}" for d in key.playbook.documents],
        } | _meta(meta),
        "executive_summary": summary,
        "method": method_note(),
        "scores": [
            {"team": c.team, "overall": c.overall, "dimensions": dict(c.dimensions), "weights": dict(c.weights)}
            for c in cards.values()
        ],
        "capabilities": sorted(capabilities.values(), key=lambda e: e["capability"]),
        "improvement_plan": plan,
        "injects": injects,
        "escalations": {team: _escalations(key, scenario, card) for team, card in cards.items()},
        "participants": [
            {"team": c.team, "overall": c.overall, "unanswered": list(c.unanswered),
             "unanswered_titles": [reader.titles.get(i, i) for i in c.unanswered]} for c in cards.values()
        ],
        "findings": {
            team: [f.to_dict() | {"capability": capability_of(f, key), "text": reader.text(f)}
                   for f in card.findings]
            for team, card in cards.items()
        },
        "corrections": corrections(fold, scenario),
    }
