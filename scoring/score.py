"""The scorer: scorecard = f(scenario, key, events), exactly as docs/scoring.md says.

Pure and deterministic: no wall clock, no randomness, no I/O. Speed comes from doing the
per-scenario work once (`Plan`: the guide answers, labels, citations) and the per-path work
once per distinct path (`PathPlan`: what the path asked and what each item is worth), so a
team's own work is one walk over its answers (`_walk`), then one short pass per dimension.
What the scorer made of each inject is kept too, and read as `Scorecard.judgments`
(scoring.judgment), so no screen or report judges an answer again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from scenarios.drillstate import Answer, DrillState, TeamState, state
from scenarios.events import Event
from scenarios.playbook import SEVERITY_POINTS, Key

from . import plan as _plans
from .escalation import NEEDLESS, OUT_OF_ORDER, REACH_LATE, escalation  # noqa: F401  (re-exported)
from .judgment import Reach, judge
from .plan import (  # noqa: F401  (re-exported: the scorer's constants are read from here)
    CAPABILITIES,
    DEFAULT_LIMIT,
    ESCALATION_CAPABILITY,
    PHASES,
    UNKNOWN_HARM,
    WEIGHTS,
    At,
    Chosen,
    PathPlan,
    Plan,
    Undoing,
)
from .plan import rounded as _r
from .scorecard import Finding, FreeAnswer, PhaseScore, Rating, Scorecard, rating_for
from .sequence import OrderResult, sequence

HARM_POINTS = SEVERITY_POINTS  # this project's weighting, shared with scenarios.guide's "worst"
_PLANS = _plans.PLANS  # the plan cache (tests and benchmarks clear it)


def score(scenario, key: Key, events: Iterable[Event]) -> dict[str, Scorecard]:
    """A scorecard for every team of the drill, from its events alone."""
    return score_state(scenario, key, state(events, scenario))


def score_state(scenario, key: Key, drill: DrillState) -> dict[str, Scorecard]:
    """The same, from a state already folded (the app keeps one)."""
    plan = _plans.plan_for(scenario, key)
    return {name: _score_team(plan, team, drill.timed) for name, team in drill.teams.items()}


def score_team(scenario, key: Key, drill: DrillState, team: str) -> Scorecard:
    """One team's scorecard from a folded state (practice feedback, after each answer)."""
    return _score_team(_plans.plan_for(scenario, key), drill.teams[team], drill.timed)


def full_path(plan: Plan, team: TeamState) -> tuple[str, ...]:
    """The injects the team reached, then the rest of its branch as if left unanswered: a drill
    ended early still asked what its path would have asked."""
    path = list(team.path)
    seen = set(path)
    following = team.next
    while following is not None and following not in seen:
        path.append(following)
        seen.add(following)
        following = plan.index.injects[following].inject.next
    return tuple(path)


class Held(NamedTuple):
    """A harmful rubric entry a free answer's words matched: noted, never counted."""

    inject: str
    option: str
    harm: str


@dataclass(slots=True)
class Walk:
    """One walk over a team's answers: where each action was first taken, and what was chosen."""

    performed: dict[str, At]  # step -> where first performed
    notified: dict[str, At]  # contact -> where first reached
    harms: list[Chosen]
    broken: dict[str, Undoing]  # step -> the first harm chosen that undid it
    held: list[Held]
    free: list[FreeAnswer]
    unanswered: list[str]  # scored injects left unanswered
    answers: dict[str, Answer]  # a copy, as scored: the app's live state changes later
    counted: dict[str, tuple[str, ...]]  # options that count, where fewer than those credited


def _walk(plan: Plan, pp: PathPlan, path: tuple[str, ...], answers: dict[str, Answer]) -> Walk:
    walk = Walk({}, {}, [], {}, [], [], [], dict(answers), {})
    performed, notified, broken = walk.performed, walk.notified, walk.broken
    # Locals, and what options do looked up (`Plan.acts`): this loop is most of a team's scoring.
    kinds, acts, places = plan.kind, plan.acts, pp.places
    for i, inject in enumerate(path):
        answer = answers.get(inject)
        if answer is None:
            if plan.scored[inject]:
                walk.unanswered.append(inject)
            continue
        credited = answer.credited
        if answer.method == "keywords" and plan.harmful_rubric[inject]:
            # Words alone never commit a harm ("Nobody will shred the notes"): a mark must.
            rubric, options = plan.harmful_rubric[inject], plan.options[inject]
            walk.held.extend(Held(inject, oid, h) for oid in credited if oid in rubric for h in options[oid].harms)
            credited = walk.counted[inject] = tuple(oid for oid in credited if oid not in rubric)
        if answer.method != "choice":
            walk.free.append(FreeAnswer(inject, answer.method, credited, answer.answer))  # type: ignore[arg-type]
        if kinds[inject] == "order":
            continue  # scores its order only (`sequence`): every answer holds every option
        done = acts.get((inject, credited)) or plan.make_acts(inject, credited)
        at = places[i]
        for step in done.steps:
            if step not in performed:
                performed[step] = at
        for contact in done.notifies:
            if contact not in notified:
                notified[contact] = at
        if done.harms:
            walk.harms.extend(done.harms)
            for step, undoing in done.undoes.items():
                if step not in broken:
                    broken[step] = undoing
    return walk


def _score_team(plan: Plan, team: TeamState, timed: bool) -> Scorecard:
    path = full_path(plan, team)
    pp = plan.path_plan(path, timed)
    walk = _walk(plan, pp, path, team.answers)
    broken = walk.broken
    findings: list[Finding] = []
    add = findings.append
    dims: dict[str, float] = {}
    if pp.steps:  # asked = applicable steps in the guide answers on the path
        dims["steps"] = _steps(plan, pp, walk, broken, add)
    reaches: list[Reach] = []
    esc_credit = escalation(plan, pp, walk.notified, add, reaches)
    if pp.contacts:
        dims["escalation"] = 100.0 * esc_credit / len(pp.contacts)
    orders: dict[str, OrderResult] = {}
    if pp.sequence_unit:  # order constraints both asked on the path, and each order inject's pairs
        dims["sequence"] = sequence(plan, pp, walk, add, orders)
    dims["harms"] = _harms(plan, pp, walk, add)
    if pp.time_unit:  # timed drills: each inject on the path, against its limit
        dims["timeliness"] = _timeliness(plan, pp, pp.scored, team.answers, add)
    return Scorecard(
        team=team.name,
        overall=round(sum(pp.weights[d] * v / 100.0 for d, v in dims.items()), 1),
        dimensions={d: round(v, 1) for d, v in dims.items()},
        weights=dict(pp.shown_weights),
        phases=_phases(plan, pp, walk.performed, broken),
        ratings=_ratings(plan, pp, walk.performed, broken, esc_credit),
        findings=tuple(findings),
        free_answers=tuple(walk.free),
        path=path,
        unanswered=tuple(walk.unanswered),
        timed=timed,
        unscored=tuple(inject for inject in path if not plan.scored[inject]),
        judge=partial(judge, plan, pp, walk, broken, reaches, orders),
    )


def _steps(plan: Plan, pp: PathPlan, walk: Walk, broken: dict[str, Undoing], add) -> float:
    """Add a finding per asked step (performed, undone by a harm, or not performed); return the score."""
    memo, performed, answers = pp.memo, walk.performed, walk.answers
    done = 0
    for step, asked_at in pp.steps.items():
        if step in performed and step not in broken:
            done += 1
            at = performed[step].inject
            k = ("step", step, at)
            f = memo.get(k)
            if f is None:
                f = memo[k] = Finding(
                    "steps", "gained", _r(pp.step_unit), at, step, plan.performed_msg.get(step, step),
                    plan.step_cite(step),
                )
        elif step in broken:
            harm, at = broken[step]
            k = ("undone", step, harm, at)
            f = memo.get(k)
            if f is None:
                what = plan.harms[harm].title
                msg = f"Undone: {plan.step_title(step)}. The team chose to {what[0].lower()}{what[1:]} (inject '{at}')."
                f = memo[k] = Finding("steps", "missed", _r(-pp.step_unit), at, step, msg, plan.step_cite(step))
        else:
            skipped = asked_at not in answers
            k = ("not-done", step, skipped)
            f = memo.get(k)
            if f is None:
                why = " (not answered)" if skipped else ""
                msg = f"Not performed: {plan.step_title(step)}. Asked at inject '{asked_at}'{why}."
                f = memo[k] = Finding("steps", "missed", _r(-pp.step_unit), asked_at, step, msg, plan.step_cite(step))
        add(f)
    return 100.0 * done / len(pp.steps)


def _harms(plan: Plan, pp: PathPlan, walk: Walk, add) -> float:
    """From 100, minus each harm chosen; deductions stop at 0. Held keyword matches are noted."""
    memo, weight = pp.memo, pp.weights["harms"]
    f = memo.get("harms")
    if f is None:
        msg = "Harms start at full credit; each action the guides warn against is deducted."
        f = memo["harms"] = Finding("harms", "gained", _r(weight), None, None, msg, None)
    add(f)
    left = 100.0
    for inject, harm in walk.harms:
        info = plan.harms.get(harm) or UNKNOWN_HARM._replace(title=harm)
        take = min(HARM_POINTS.get(info.severity, HARM_POINTS["major"]), left)
        left -= take
        k = ("harm", inject, harm, take)
        f = memo.get(k)
        if f is None:
            undoes = f"; it undoes {', '.join(info.breaks)}" if info.breaks else ""
            msg = f"Harmful action ({info.severity}): {info.title} (inject '{inject}'){undoes}."
            f = memo[k] = Finding(
                "harms", "deducted" if take else "noted", _r(-weight * take / 100), inject, harm, msg, info.cite,
            )
        add(f)
    for inject, oid, harm in walk.held:
        k = ("held", inject, oid, harm)
        f = memo.get(k)
        if f is None:
            info = plan.harms.get(harm) or UNKNOWN_HARM._replace(title=harm)
            msg = (f"Not counted without a facilitator's mark: the answer's words match rubric entry '{oid}', "
                   f"a harmful action ({info.severity}): {info.title} (inject '{inject}'). "
                   "Keywords alone never commit a harm.")
            f = memo[k] = Finding("harms", "noted", 0.0, inject, harm, msg, info.cite)
        add(f)
    return left


def _timeliness(plan: Plan, pp: PathPlan, path: tuple[str, ...], answers: dict, add) -> float:
    """Add the timeliness findings; return the dimension's score. Not memoized: seconds vary."""
    unit = pp.time_unit
    earned = 0.0
    for inject in path:
        answer = answers.get(inject)
        limit = plan.limit[inject]
        if answer is None:
            add(Finding(
                "timeliness", "missed", _r(-unit), inject, inject, f"Inject '{inject}' was not answered.", None,
            ))
            continue
        if answer.seconds is None:
            share, msg = 1.0, f"Inject '{inject}': no decision time recorded, counted as on time."
        else:
            share = 1.0 if answer.seconds <= limit else max(0.0, 1 - (answer.seconds - limit) / limit)
            msg = f"Inject '{inject}' answered in {answer.seconds:.0f} s (limit {limit} s)."
        earned += share
        if share:
            add(Finding("timeliness", "gained", _r(unit * share), inject, inject, msg, None))
        if share < 1:
            over = (f"Slow: inject '{inject}' took {answer.seconds:.0f} s, "
                    f"over its {limit} s limit (no credit at {2 * limit} s).")
            add(Finding("timeliness", "missed", _r(-unit * (1 - share)), inject, inject, over, None))
    return 100.0 * earned / len(path)


def _performed_by(group: dict[str, str], groups, pp: PathPlan, performed: dict, broken: dict) -> dict:
    """Asked steps performed (and not undone by a harm), counted per phase or capability."""
    got = dict.fromkeys(groups, 0)
    for step in pp.steps:
        if step in performed and step not in broken and group.get(step) in got:
            got[group[step]] += 1
    return got


def _phases(plan: Plan, pp: PathPlan, performed: dict, broken: dict) -> dict[str, PhaseScore]:
    got = _performed_by(plan.step_phase, PHASES, pp, performed, broken)
    asked, memo = pp.phase_asked, pp.memo
    phases = {}
    for p in PHASES:
        k = ("phase", p, got[p])
        phase = memo.get(k)
        if phase is None:
            phase = memo[k] = PhaseScore(asked[p], got[p], round(100.0 * got[p] / asked[p], 1) if asked[p] else None)
        phases[p] = phase
    return phases


def _ratings(plan: Plan, pp: PathPlan, performed: dict, broken: dict, esc_credit: float) -> dict[str, Rating]:
    got = _performed_by(plan.step_capability, CAPABILITIES, pp, performed, broken)
    # Escalation counts under Operational Coordination: each required contact is one item.
    got[ESCALATION_CAPABILITY] += esc_credit
    ratings, memo = {}, pp.memo
    for capability, asked in pp.capability_asked.items():
        if asked:
            k = ("rating", capability, got[capability])
            rating = memo.get(k)
            if rating is None:
                value = round(min(100.0, max(0.0, 100.0 * got[capability] / asked)), 1)
                rating = memo[k] = Rating(value, *rating_for(value))
            ratings[capability] = rating
    return ratings
