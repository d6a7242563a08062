"""The scorer: scorecard = f(scenario, key, events), exactly as docs/scoring.md says.

Pure and deterministic: no wall clock, no randomness, no I/O. Speed comes from doing the
per-scenario work once (`_Plan`: the guide answers, labels, citations) and the per-path work
once per distinct path (`_PathPlan`: what the path asked and what each item is worth), so a
team's own work is one walk over its answers.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, get_args

from scenarios.conditions import describe
from scenarios.content_cache import content_id
from scenarios.exercise import DrillState, Event, TeamState, index, state
from scenarios.guide import guide_answer, is_scored
from scenarios.model import Capability, Phase, Scenario
from scenarios.playbook import NOTIFY, SEVERITY_POINTS, Key

from .scorecard import Finding, FreeAnswer, PhaseScore, Rating, Scorecard, rating_for

WEIGHTS = {"steps": 35.0, "escalation": 25.0, "sequence": 15.0, "harms": 25.0, "timeliness": 10.0}
HARM_POINTS = SEVERITY_POINTS  # this project's weighting, shared with scenarios.guide's "worst"
REACH_LATE = 0.5  # reached after the first opportunity when the guide says "immediately"
OUT_OF_ORDER = 0.25  # reached before a contact the escalation lists in `after`
NEEDLESS = 0.25  # reached with no cause
DEFAULT_LIMIT = 300  # seconds, when an inject sets no `limit`
PHASES: tuple[str, ...] = get_args(Phase)
CAPABILITIES: tuple[str, ...] = get_args(Capability)
ESCALATION_CAPABILITY = "Operational Coordination"


@dataclass(slots=True, frozen=True)
class _Option:
    steps: tuple[str, ...]
    notifies: tuple[str, ...]
    harms: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class _Order:
    first: str
    then: str
    # Where to look each action up: (True, contact) among contacts reached, (False, step) among steps.
    first_at: tuple[bool, str]
    then_at: tuple[bool, str]
    cite: str
    subject: str
    honoured: str  # the finding's message for each outcome, written once per scenario
    broken: str
    not_done: str


class _Plan:
    """Everything about one scenario and key that does not depend on a team."""

    def __init__(self, scenario: Scenario, key: Key) -> None:
        self.scenario, self.key = scenario, key
        self.index = index(scenario)
        applicable = key.applicable_steps
        self.required = frozenset(key.required_contacts)
        self.permitted = key.permitted_contacts
        self.options: dict[str, dict[str, _Option]] = {}
        self.kind: dict[str, str] = {}
        self.scored: dict[str, bool] = {}  # False: discussion only, in no denominator
        self.harmful_rubric: dict[str, frozenset[str]] = {}  # free options a keyword match never credits
        self.limit: dict[str, int] = {}
        self.order_key: dict[str, tuple[str, ...]] = {}
        self.option_label: dict[tuple[str, str], str] = {}  # order injects: "'b' (preserve-logs)"
        self.asked_steps: dict[str, tuple[str, ...]] = {}
        self.asked_contacts: dict[str, tuple[str, ...]] = {}
        for inject in scenario.injects:
            self.kind[inject.id] = inject.kind
            self.scored[inject.id] = is_scored(inject)
            self.harmful_rubric[inject.id] = frozenset(o.id for o in inject.options if inject.kind == "free" and o.harms)
            self.limit[inject.id] = inject.limit or DEFAULT_LIMIT
            self.order_key[inject.id] = tuple(inject.key or ())
            if inject.kind == "order":
                for o in inject.options:
                    actions = ", ".join([*o.steps, *(NOTIFY + c for c in o.notifies)]) or "no key"
                    self.option_label[(inject.id, o.id)] = f"'{o.id}' ({actions})"
            self.options[inject.id] = {
                o.id: _Option(tuple(o.steps), tuple(o.notifies), tuple(o.harms)) for o in inject.options
            }
            # An order inject asks for an order of all its options, so every answer "does" all
            # of them: it scores the order alone (`_order_inject`) and asks no step or contact.
            guide = guide_answer(inject, key) if inject.kind != "order" else []
            if inject.kind == "free":  # only rubric options can be earned by a free answer
                guide = [oid for oid in guide if self.index.injects[inject.id].options[oid].keywords]
            steps: dict[str, None] = {}
            contacts: dict[str, None] = {}
            for oid in guide:
                option = self.options[inject.id][oid]
                steps.update((s, None) for s in option.steps if s in applicable)
                contacts.update((c, None) for c in option.notifies if c in self.required)
            self.asked_steps[inject.id] = tuple(steps)
            self.asked_contacts[inject.id] = tuple(contacts)

        self.steps = {s.id: (s.title, s.phase, s.capability, key.cite(s.source)) for s in key.playbook.steps}
        self.performed_msg = {s.id: f"Performed: {s.title}." for s in key.playbook.steps}
        self.step_phase = {s.id: s.phase for s in key.playbook.steps}
        self.step_capability = {s.id: s.capability for s in key.playbook.steps}
        self.contacts = {c.id: (c.name, key.cite(c.source), describe(c.when or [])) for c in key.playbook.contacts}
        self.permitted_when = {c.id: describe(c.permitted or []) for c in key.playbook.contacts if c.id in self.permitted}
        self.escalations = {e.contact: (e.urgency, tuple(e.after), key.cite(e.source)) for e in key.playbook.escalations}
        self.harms = {h.id: (h.title, h.severity, tuple(h.breaks), key.cite(h.source)) for h in key.playbook.harms}
        self.orders = tuple(self._order(o) for o in key.playbook.order)
        self._paths: dict[tuple[tuple[str, ...], bool], _PathPlan] = {}

    def step_title(self, step: str) -> str:
        return self.steps[step][0] if step in self.steps else step

    def step_cite(self, step: str) -> str | None:
        return self.steps[step][3] if step in self.steps else None

    def label(self, action: str) -> str:
        if action.startswith(NOTIFY):
            contact = action[len(NOTIFY):]
            return f"reaching {self.contacts.get(contact, (contact,))[0]}"
        return f'"{self.steps.get(action, (action,))[0]}"'

    def _order(self, order) -> _Order:
        a, b, why = self.label(order.first), self.label(order.then), order.why
        def where(action: str) -> tuple[bool, str]:
            notify = action.startswith(NOTIFY)
            return notify, action[len(NOTIFY):] if notify else action

        return _Order(
            order.first,
            order.then,
            where(order.first),
            where(order.then),
            self.key.cite(order.source),
            f"{order.first}>{order.then}",
            honoured=f"In order: {a} before {b}. {why}",
            broken=f"Out of order: {b} without {a} before it. {why}",
            not_done=f"Not done: {b}, so {a} before it was not shown. {why}",
        )

    def path_plan(self, path: tuple[str, ...], timed: bool) -> _PathPlan:
        found = self._paths.get((path, timed))
        if found is None:
            found = self._paths[(path, timed)] = _PathPlan(self, path, timed)
        return found


class _PathPlan:
    """What one path asked, and what each item on it is worth in overall points.

    `memo` holds the findings already made for this path: a finding is fully determined by the
    path, the item, its outcome and where it happened, so teams on the same path share them
    (findings are frozen). This is most of what makes scoring fast."""

    def __init__(self, plan: _Plan, path: tuple[str, ...], timed: bool) -> None:
        self.steps: dict[str, str] = {}  # step -> the inject that first asked it
        self.contacts: dict[str, tuple[int, str]] = {}  # contact -> (first opportunity, its inject)
        for i, inject in enumerate(path):
            for step in plan.asked_steps[inject]:
                self.steps.setdefault(step, inject)
            for contact in plan.asked_contacts[inject]:
                self.contacts.setdefault(contact, (i, inject))
        asked = set(self.steps) | {NOTIFY + c for c in self.contacts}
        self.orders = tuple(o for o in plan.orders if o.first in asked and o.then in asked)
        self.order_injects = tuple(inject for inject in path if plan.kind[inject] == "order")
        self.scored = tuple(inject for inject in path if plan.scored[inject])  # discussion-only left out
        counted = {
            "steps": bool(self.steps),
            "escalation": bool(self.contacts),
            "sequence": bool(self.orders or self.order_injects),
            "harms": True,
            "timeliness": timed and bool(self.scored),
        }
        total = sum(w for name, w in WEIGHTS.items() if counted[name])
        # Each counted dimension's share of the overall, in points: untimed drills scale up.
        self.weights = {name: 100.0 * w / total for name, w in WEIGHTS.items() if counted[name]}
        self.shown_weights = {name: round(w, 2) for name, w in self.weights.items()}
        self.step_unit = self.weights["steps"] / len(self.steps) if self.steps else 0.0
        self.contact_unit = self.weights["escalation"] / len(self.contacts) if self.contacts else 0.0
        items = len(self.orders) + len(self.order_injects)
        self.sequence_unit = self.weights["sequence"] / items if items else 0.0
        self.time_unit = self.weights["timeliness"] / len(self.scored) if counted["timeliness"] else 0.0
        # Denominators of phases and ratings (escalation counts under Operational Coordination).
        self.phase_asked = dict.fromkeys(PHASES, 0)
        self.capability_asked = dict.fromkeys(CAPABILITIES, 0)
        for step in self.steps:
            _, phase, capability, _ = plan.steps.get(step, (step, None, None, None))
            if phase in self.phase_asked:
                self.phase_asked[phase] += 1
            if capability in self.capability_asked:
                self.capability_asked[capability] += 1
        self.capability_asked[ESCALATION_CAPABILITY] += len(self.contacts)
        self.memo: dict[tuple, Any] = {}


# Plans by (scenario, key) content: a snapshot or key from a content cache is known by its
# content id (`content_id`), so every drill of one scenario and playbook shares one plan however
# many objects held them; anything else (a scenario the app loaded) is known per object.
_PLANS: OrderedDict[tuple, tuple[Scenario, Key, _Plan]] = OrderedDict()
_PLAN_CACHE = 64


def _plan(scenario: Scenario, key: Key) -> _Plan:
    s_id, k_id = content_id(scenario), content_id(key)
    ident = (s_id or id(scenario), k_id or id(key))
    hit = _PLANS.get(ident)
    if hit is not None and (s_id is not None or hit[0] is scenario) and (k_id is not None or hit[1] is key):
        _PLANS.move_to_end(ident)
        return hit[2]
    if len(_PLANS) >= _PLAN_CACHE:
        _PLANS.popitem(last=False)
    plan = _Plan(scenario, key)
    _PLANS[ident] = (scenario, key, plan)  # the strong references keep id() from being reused
    return plan


def score(scenario: Scenario, key: Key, events: Iterable[Event]) -> dict[str, Scorecard]:
    """A scorecard for every team of the drill, from its events alone."""
    return score_state(scenario, key, state(events, scenario))


def score_state(scenario: Scenario, key: Key, drill: DrillState) -> dict[str, Scorecard]:
    """The same, from a state already folded (the app keeps one)."""
    plan = _plan(scenario, key)
    return {name: _score_team(plan, team, drill.timed) for name, team in drill.teams.items()}


def full_path(plan: _Plan, team: TeamState) -> tuple[str, ...]:
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


def _r(x: float) -> float:
    return round(x, 2) + 0.0  # + 0.0 turns -0.0 into 0.0


def _score_team(plan: _Plan, team: TeamState, timed: bool) -> Scorecard:
    path = full_path(plan, team)
    pp = plan.path_plan(path, timed)
    memo = pp.memo
    answers = team.answers
    findings: list[Finding] = []
    add = findings.append

    # One walk over the answers: where each action was first taken (its inject's place on the
    # path, and the inject), and which harms were chosen.
    performed: dict[str, tuple[int, str]] = {}
    notified: dict[str, tuple[int, str]] = {}
    harms: list[tuple[str, str]] = []
    held: list[tuple[str, str, str]] = []  # (inject, option, harm) matched by keywords, not counted
    free: list[FreeAnswer] = []
    unanswered: list[str] = []
    for i, inject in enumerate(path):
        answer = answers.get(inject)
        if answer is None:
            if plan.scored[inject]:
                unanswered.append(inject)
            continue
        options = plan.options[inject]
        credited = answer.credited
        if answer.method == "keywords" and plan.harmful_rubric[inject]:
            # Words alone never commit a harm ("Nobody will shred the notes"): a mark must.
            rubric = plan.harmful_rubric[inject]
            held.extend((inject, oid, h) for oid in credited if oid in rubric for h in options[oid].harms)
            credited = tuple(oid for oid in credited if oid not in rubric)
        if answer.method != "choice":
            free.append(FreeAnswer(inject, answer.method, credited, answer.answer))  # type: ignore[arg-type]
        if plan.kind[inject] == "order":
            continue  # scores its order only (`_sequence`): every answer holds every option
        chosen_harms: list[str] = []
        pos = i
        for oid in credited:
            option = options[oid]
            for step in option.steps:
                if step not in performed:
                    performed[step] = (pos, inject)
            for contact in option.notifies:
                if contact not in notified:
                    notified[contact] = (pos, inject)
            if option.harms:
                chosen_harms.extend(h for h in option.harms if h not in chosen_harms)
        if chosen_harms:
            harms.extend((inject, h) for h in sorted(chosen_harms))

    dims: dict[str, float] = {}
    broken: dict[str, tuple[str, str]] = {}
    for inject, harm in harms:
        for step in plan.harms.get(harm, ("", "", (), None))[2]:
            broken.setdefault(step, (harm, inject))

    # Steps: asked = applicable steps in the guide answers on the path.
    done = 0
    if pp.steps:
        for step, asked_at in pp.steps.items():
            if step in performed and step not in broken:
                done += 1
                at = performed[step][1]
                k = ("step", step, at)
                f = memo.get(k)
                if f is None:
                    f = memo[k] = Finding("steps", "gained", _r(pp.step_unit), at, step, plan.performed_msg.get(step, step), plan.step_cite(step))
            elif step in broken:
                harm, at = broken[step]
                k = ("undone", step, harm, at)
                f = memo.get(k)
                if f is None:
                    what = plan.harms[harm][0]
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
        dims["steps"] = 100.0 * done / len(pp.steps)

    # Escalation: each required contact reached, in time and in order; needless ones noted.
    esc_credit = _escalation(plan, pp, notified, add)
    if pp.contacts:
        dims["escalation"] = 100.0 * esc_credit / len(pp.contacts)

    # Sequence: order constraints both asked on the path, and each order inject's pairs.
    if pp.sequence_unit:
        dims["sequence"] = _sequence(plan, pp, answers, performed, notified, add)

    # Harms: from 100, minus each harm chosen; deductions stop at 0.
    weight = pp.weights["harms"]
    f = memo.get("harms")
    if f is None:
        msg = "Harms start at full credit; each action the guides warn against is deducted."
        f = memo["harms"] = Finding("harms", "gained", _r(weight), None, None, msg, None)
    add(f)
    left = 100.0
    for inject, harm in harms:
        title, severity, breaks, cite = plan.harms.get(harm, (harm, "major", (), None))
        take = min(HARM_POINTS.get(severity, HARM_POINTS["major"]), left)
        left -= take
        k = ("harm", inject, harm, take)
        f = memo.get(k)
        if f is None:
            undoes = f"; it undoes {', '.join(breaks)}" if breaks else ""
            msg = f"Harmful action ({severity}): {title} (inject '{inject}'){undoes}."
            f = memo[k] = Finding("harms", "deducted" if take else "noted", _r(-weight * take / 100), inject, harm, msg, cite)
        add(f)
    for inject, oid, harm in held:
        k = ("held", inject, oid, harm)
        f = memo.get(k)
        if f is None:
            title, severity, _, cite = plan.harms.get(harm, (harm, "major", (), None))
            msg = (f"Not counted without a facilitator's mark: the answer's words match rubric entry '{oid}', "
                   f"a harmful action ({severity}): {title} (inject '{inject}'). Keywords alone never commit a harm.")
            f = memo[k] = Finding("harms", "noted", 0.0, inject, harm, msg, cite)
        add(f)
    dims["harms"] = left

    # Timeliness (timed drills): each inject on the path, against its limit.
    if pp.time_unit:
        dims["timeliness"] = _timeliness(plan, pp, pp.scored, answers, add)

    overall = round(sum(pp.weights[d] * v / 100.0 for d, v in dims.items()), 1)
    return Scorecard(
        team=team.name,
        overall=overall,
        dimensions={d: round(v, 1) for d, v in dims.items()},
        weights=dict(pp.shown_weights),
        phases=_phases(plan, pp, performed, broken),
        ratings=_ratings(plan, pp, performed, broken, esc_credit),
        findings=tuple(findings),
        free_answers=tuple(free),
        path=path,
        unanswered=tuple(unanswered),
        timed=timed,
        unscored=tuple(inject for inject in path if not plan.scored[inject]),
    )


def _escalation(plan: _Plan, pp: _PathPlan, notified: dict, add) -> float:
    """Add the escalation findings; return the credit earned, in contacts (0..len(asked))."""
    memo = pp.memo
    unit = pp.contact_unit
    gained = 0.0
    penalties: list[tuple[int, float, str, str, str, str | None]] = []
    for contact, (first, first_at) in pp.contacts.items():
        name, contact_cite, when = plan.contacts.get(contact, (contact, None, "always"))
        urgency, after, cite = plan.escalations.get(contact, ("immediately", (), contact_cite))
        reached = notified.get(contact)
        if reached is None:
            k = ("unreached", contact)
            f = memo.get(k)
            if f is None:
                why = "always required" if when == "always" else f"required because {when}"
                msg = f"Not reached: {name} ({why}); first opportunity at inject '{first_at}'."
                f = memo[k] = Finding("escalation", "missed", _r(-unit), first_at, contact, msg, cite)
            add(f)
            continue
        pos, at = reached
        later = pos > first
        late = later and urgency == "immediately"
        k = ("reached", contact, at, late, later)
        pair = memo.get(k)
        if pair is None:
            if late:
                pair = memo[k] = (
                    Finding("escalation", "gained", _r(unit * REACH_LATE), at, contact, f"Reached {name}, late: at inject '{at}'.", cite),
                    Finding(
                        "escalation", "missed", _r(-unit * (1 - REACH_LATE)), first_at, contact,
                        f"Late: the guide says to reach {name} immediately; the first opportunity was inject '{first_at}'.", cite,
                    ),
                )
            elif later:  # no urgency lost: the guide does not say "immediately" for this contact
                msg = (f"Reached {name} (inject '{at}'), after the first opportunity at inject '{first_at}'; "
                       f"the guide asks for it {urgency.replace('-', ' ')}, so in time.")
                pair = memo[k] = (Finding("escalation", "gained", _r(unit), at, contact, msg, cite),)
            else:
                pair = memo[k] = (Finding("escalation", "gained", _r(unit), at, contact, f"Reached {name} (inject '{at}').", cite),)
        for f in pair:
            add(f)
        gained += REACH_LATE if late else 1.0
        early = [a for a in after if a not in notified or notified[a][0] > pos]
        if early:
            names = ", ".join(plan.contacts.get(a, (a,))[0] for a in early)
            msg = f"Out of order: reached {name} before {names}, whom the guide has reached first."
            penalties.append((pos, OUT_OF_ORDER, at, contact, msg, cite))
    for contact, (pos, at) in notified.items():
        if contact in plan.required:
            continue
        name, contact_cite, _ = plan.contacts.get(contact, (contact, None, ""))
        if contact in plan.permitted:
            # Allowed, not required: credited by name and source, with no points, since it is in
            # no denominator; never needless.
            k = ("permitted", contact, at)
            f = memo.get(k)
            if f is None:
                when = plan.permitted_when[contact]
                why = "" if when == "always" else f" when {when}"
                msg = f"Reached {name} (inject '{at}'): the guide permits it{why}, though it does not require it."
                f = memo[k] = Finding("escalation", "gained", 0.0, at, contact, msg, contact_cite)
            add(f)
            continue
        msg = f"Needless escalation: reached {name}, whom the guide gives no cause to reach here."
        penalties.append((pos, NEEDLESS, at, contact, msg, contact_cite))
    if not pp.contacts:  # nothing asked: needless contacts are noted, with nothing to take from
        for _, _, at, contact, msg, cite in penalties:
            add(Finding("escalation", "noted", 0.0, at, contact, msg, cite))
        return 0.0
    # Deductions come off what was earned, in the order the team made them, never below 0.
    left = gained
    for _, rate, at, contact, msg, cite in sorted(penalties, key=lambda p: p[0]):
        take = min(rate, left)
        left -= take
        add(Finding("escalation", "deducted" if take else "noted", _r(-unit * take), at, contact, msg, cite))
    return left


def _sequence(plan: _Plan, pp: _PathPlan, answers: dict, performed: dict, notified: dict, add) -> float:
    """Add the sequence findings; return the dimension's score."""
    memo = pp.memo
    unit = pp.sequence_unit
    earned = 0.0
    for order in pp.orders:
        then = (notified if order.then_at[0] else performed).get(order.then_at[1])
        first = (notified if order.first_at[0] else performed).get(order.first_at[1])
        if then is None:
            k = ("order", order.subject, None)
        else:
            k = ("order", order.subject, then[1], first is not None and first[0] < then[0])
        f = memo.get(k)
        if f is None:
            if then is None:
                f = Finding("sequence", "missed", _r(-unit), None, order.subject, order.not_done, order.cite)
            elif k[3]:
                f = Finding("sequence", "gained", _r(unit), then[1], order.subject, order.honoured, order.cite)
            else:
                f = Finding("sequence", "missed", _r(-unit), then[1], order.subject, order.broken, order.cite)
            memo[k] = f
        if f.effect == "gained":
            earned += 1
        add(f)
    for inject in pp.order_injects:
        answer = answers.get(inject)
        credited = answer.credited if answer is not None else None
        k = ("order-inject", inject, credited)
        made = memo.get(k)
        if made is None:
            made = memo[k] = _order_inject(plan, inject, credited, unit)
        share, made_findings = made
        earned += share
        for f in made_findings:
            add(f)
    return 100.0 * earned / (len(pp.orders) + len(pp.order_injects))


def _order_inject(plan: _Plan, inject: str, credited: tuple[str, ...] | None, unit: float):
    """(share of pairs in the documented order, findings) for one order inject's answer."""
    documented = plan.order_key[inject]
    pairs = len(documented) * (len(documented) - 1) // 2
    if credited is None:
        return 0.0, (Finding("sequence", "missed", _r(-unit), inject, inject, f"Order: inject '{inject}' was not answered.", None),)
    place = {oid: n for n, oid in enumerate(credited)}
    wrong = [
        f"{plan.option_label[(inject, documented[y])]} before {plan.option_label[(inject, documented[x])]}"
        for x in range(len(documented))
        for y in range(x + 1, len(documented))
        if place[documented[x]] > place[documented[y]]
    ]
    right = pairs - len(wrong)
    share = right / pairs if pairs else 1.0
    made = []
    if share:
        msg = f"Put {right} of {pairs} pairs in the documented order at inject '{inject}'."
        made.append(Finding("sequence", "gained", _r(unit * share), inject, inject, msg, None))
    if share < 1:
        more = f"; and {len(wrong) - 3} more" if len(wrong) > 3 else ""
        msg = f"Order: {len(wrong)} of {pairs} pairs out of the documented order at inject '{inject}': put {'; '.join(wrong[:3])}{more}."
        made.append(Finding("sequence", "missed", _r(-unit * (1 - share)), inject, inject, msg, None))
    return share, tuple(made)


def _timeliness(plan: _Plan, pp: _PathPlan, path: tuple[str, ...], answers: dict, add) -> float:
    """Add the timeliness findings; return the dimension's score. Not memoized: seconds vary."""
    unit = pp.time_unit
    earned = 0.0
    for inject in path:
        answer = answers.get(inject)
        limit = plan.limit[inject]
        if answer is None:
            add(Finding("timeliness", "missed", _r(-unit), inject, inject, f"Inject '{inject}' was not answered.", None))
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
            over = f"Slow: inject '{inject}' took {answer.seconds:.0f} s, over its {limit} s limit (no credit at {2 * limit} s)."
            add(Finding("timeliness", "missed", _r(-unit * (1 - share)), inject, inject, over, None))
    return 100.0 * earned / len(path)


def _performed_by(group: dict[str, str], groups, pp: _PathPlan, performed: dict, broken: dict) -> dict:
    """Asked steps performed (and not undone by a harm), counted per phase or capability."""
    got = dict.fromkeys(groups, 0)
    for step in pp.steps:
        if step in performed and step not in broken and group.get(step) in got:
            got[group[step]] += 1
    return got


def _phases(plan: _Plan, pp: _PathPlan, performed: dict, broken: dict) -> dict[str, PhaseScore]:
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


def _ratings(plan: _Plan, pp: _PathPlan, performed: dict, broken: dict, esc_credit: float) -> dict[str, Rating]:
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
