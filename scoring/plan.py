"""What the scorer works out once per scenario and key (`Plan`) and once per path (`PathPlan`).

Scoring a team is then one walk over its answers (scoring.score). The records here are named
(NamedTuple where the scorer builds many of them, since they unpack as cheaply as a tuple).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple, get_args

from scenarios.conditions import describe
from scenarios.content_cache import ContentCache, content_id
from scenarios.guide import guide_answer, is_scored
from scenarios.model import Capability, Phase, Scenario
from scenarios.playbook import NOTIFY, Key
from scenarios.scenario_index import index

WEIGHTS = {"steps": 35.0, "escalation": 25.0, "sequence": 15.0, "harms": 25.0, "timeliness": 10.0}
DEFAULT_LIMIT = 300  # seconds, when an inject sets no `limit`
PHASES: tuple[str, ...] = get_args(Phase)
CAPABILITIES: tuple[str, ...] = get_args(Capability)
ESCALATION_CAPABILITY = "Operational Coordination"


class At(NamedTuple):
    """Where on the path something happened: its place and the inject."""

    pos: int
    inject: str


class StepInfo(NamedTuple):
    title: str
    phase: str | None
    capability: str | None
    cite: str | None


class ContactInfo(NamedTuple):
    name: str
    cite: str | None
    when: str  # the conditions that require it, in words ("always" when unconditional)


class EscalationInfo(NamedTuple):
    urgency: str
    after: tuple[str, ...]  # contacts the guide has reached first
    cite: str | None
    by: str | None


class HarmInfo(NamedTuple):
    title: str
    severity: str
    breaks: tuple[str, ...]  # the steps it undoes
    cite: str | None


UNKNOWN_HARM = HarmInfo("", "major", (), None)


class Chosen(NamedTuple):
    """A harm the team committed (counted), and where."""

    inject: str
    harm: str


class Undoing(NamedTuple):
    """The harm that undid a step, and where it was chosen."""

    harm: str
    inject: str


class Acts(NamedTuple):
    """What some credited options of one inject do together: steps and contacts once each, in
    the order chosen; harms by id; and the first of them that undoes each step."""

    steps: tuple[str, ...]
    notifies: tuple[str, ...]
    harms: tuple[Chosen, ...]
    undoes: dict[str, Undoing]


@dataclass(slots=True, frozen=True)
class OptionPlan:
    steps: tuple[str, ...]
    notifies: tuple[str, ...]
    harms: tuple[str, ...]


class Action(NamedTuple):
    """An action of an order constraint, as the scorer looks it up: among contacts or steps."""

    notify: bool
    id: str


@dataclass(slots=True, frozen=True)
class OrderPlan:
    first: str
    then: str
    first_at: Action
    then_at: Action
    cite: str
    subject: str
    honoured: str  # the finding's message for each outcome, written once per scenario
    broken: str
    not_done: str


def rounded(x: float) -> float:
    """Points as findings carry them: two decimals, never -0.0."""
    return round(x, 2) + 0.0


def _matches(kind: str, credited: tuple[str, ...], guide: tuple[str, ...]) -> bool:
    """The one "matches the guide's answer" rule: an order answer in the guide's order, any
    other answer the same options in any order."""
    return credited == guide if kind == "order" else sorted(credited) == sorted(guide)


class Plan:
    """Everything about one scenario and key that does not depend on a team."""

    def __init__(self, scenario: Scenario, key: Key) -> None:
        self.scenario, self.key = scenario, key
        self.index = index(scenario)
        self.required = frozenset(key.required_contacts)
        self.permitted = key.permitted_contacts
        self.options: dict[str, dict[str, OptionPlan]] = {}
        self.kind: dict[str, str] = {}
        self.scored: dict[str, bool] = {}  # False: discussion only, in no denominator
        self.harmful_rubric: dict[str, frozenset[str]] = {}  # free options a keyword match never credits
        self.limit: dict[str, int] = {}
        self.order_key: dict[str, tuple[str, ...]] = {}
        self.option_label: dict[tuple[str, str], str] = {}  # order injects: "'b' (preserve-logs)"
        self.guide: dict[str, tuple[str, ...]] = {}  # the guide's answer, () for discussion only
        self.asked_steps: dict[str, tuple[str, ...]] = {}
        self.asked_contacts: dict[str, tuple[str, ...]] = {}
        for inject in scenario.injects:
            self._inject(inject, key)
        self._playbook(key)
        self._paths: dict[tuple[tuple[str, ...], bool], PathPlan] = {}
        # Acts by (inject, credited): teams choose from few combinations, and this saves the
        # walk a loop over options (`score._walk`).
        self.acts: dict[tuple[str, tuple[str, ...]], Acts] = {}

    def make_acts(self, inject: str, credited: tuple[str, ...]) -> Acts:
        options = self.options[inject]
        steps: dict[str, None] = {}
        notifies: dict[str, None] = {}
        harms: list[str] = []
        for oid in credited:
            option = options[oid]
            steps.update(dict.fromkeys(option.steps))
            notifies.update(dict.fromkeys(option.notifies))
            harms.extend(h for h in option.harms if h not in harms)
        chosen = tuple(Chosen(inject, h) for h in sorted(harms))
        undoes: dict[str, Undoing] = {}
        for c in chosen:
            for step in self.harms.get(c.harm, UNKNOWN_HARM).breaks:
                undoes.setdefault(step, Undoing(c.harm, inject))
        made = self.acts[(inject, credited)] = Acts(tuple(steps), tuple(notifies), chosen, undoes)
        return made

    def _inject(self, inject, key: Key) -> None:
        iid = inject.id
        self.kind[iid] = inject.kind
        self.scored[iid] = is_scored(inject)
        self.harmful_rubric[iid] = frozenset(o.id for o in inject.options if inject.kind == "free" and o.harms)
        self.limit[iid] = inject.limit or DEFAULT_LIMIT
        self.order_key[iid] = tuple(inject.key or ())
        if inject.kind == "order":
            for o in inject.options:
                actions = ", ".join([*o.steps, *(NOTIFY + c for c in o.notifies)]) or "no key"
                self.option_label[(iid, o.id)] = f"'{o.id}' ({actions})"
        self.options[iid] = {
            o.id: OptionPlan(tuple(o.steps), tuple(o.notifies), tuple(o.harms)) for o in inject.options
        }
        guide = guide_answer(inject, key)
        self.guide[iid] = tuple(guide) if self.scored[iid] else ()
        # An order inject asks for an order of all its options, so every answer "does" all
        # of them: it scores the order alone (`score._order_inject`) and asks no step or contact.
        if inject.kind == "order":
            guide = []
        elif inject.kind == "free":  # only rubric options can be earned by a free answer
            guide = [oid for oid in guide if self.index.injects[iid].options[oid].keywords]
        steps: dict[str, None] = {}
        contacts: dict[str, None] = {}
        for oid in guide:
            option = self.options[iid][oid]
            steps.update((s, None) for s in option.steps if s in key.applicable_steps)
            contacts.update((c, None) for c in option.notifies if c in self.required)
        self.asked_steps[iid] = tuple(steps)
        self.asked_contacts[iid] = tuple(contacts)

    def _playbook(self, key: Key) -> None:
        pb = key.playbook
        self.steps = {s.id: StepInfo(s.title, s.phase, s.capability, key.cite(s.source)) for s in pb.steps}
        self.performed_msg = {s.id: f"Performed: {s.title}." for s in pb.steps}
        self.step_phase = {s.id: s.phase for s in pb.steps}
        self.step_capability = {s.id: s.capability for s in pb.steps}
        self.contacts = {c.id: ContactInfo(c.name, key.cite(c.source), describe(c.when or [])) for c in pb.contacts}
        self.permitted_when = {c.id: describe(c.permitted or []) for c in pb.contacts if c.id in self.permitted}
        self.escalations = {e.contact: EscalationInfo(e.urgency, tuple(e.after), key.cite(e.source), e.by)
                            for e in pb.escalations}
        self.harms = {h.id: HarmInfo(h.title, h.severity, tuple(h.breaks), key.cite(h.source)) for h in pb.harms}
        self.orders = tuple(self._order(o) for o in pb.order)

    def matches_guide(self, inject: str, credited: tuple[str, ...]) -> bool:
        return _matches(self.kind[inject], credited, self.guide[inject])

    def step_title(self, step: str) -> str:
        return self.steps[step].title if step in self.steps else step

    def step_cite(self, step: str) -> str | None:
        return self.steps[step].cite if step in self.steps else None

    def contact(self, contact: str) -> ContactInfo:
        return self.contacts.get(contact) or ContactInfo(contact, None, "always")

    def escalation(self, contact: str) -> EscalationInfo:
        """The contact's escalation; a contact the guide sets none for is reached immediately."""
        return self.escalations.get(contact) or EscalationInfo("immediately", (), self.contact(contact).cite, None)

    def label(self, action: str) -> str:
        if action.startswith(NOTIFY):
            contact = action[len(NOTIFY):]
            return f"reaching {self.contact(contact).name}"
        return f'"{self.step_title(action)}"'

    def _order(self, order) -> OrderPlan:
        a, b, why = self.label(order.first), self.label(order.then), order.why

        def where(action: str) -> Action:
            notify = action.startswith(NOTIFY)
            return Action(notify, action[len(NOTIFY):] if notify else action)

        return OrderPlan(
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

    def path_plan(self, path: tuple[str, ...], timed: bool) -> PathPlan:
        found = self._paths.get((path, timed))
        if found is None:
            found = self._paths[(path, timed)] = PathPlan(self, path, timed)
        return found


class PathPlan:
    """What one path asked, and what each item on it is worth in overall points.

    `memo` holds the findings already made for this path: a finding is fully determined by the
    path, the item, its outcome and where it happened, so teams on the same path share them
    (findings are frozen). This is most of what makes scoring fast."""

    def __init__(self, plan: Plan, path: tuple[str, ...], timed: bool) -> None:
        self.steps: dict[str, str] = {}  # step -> the inject that first asked it
        self.contacts: dict[str, At] = {}  # contact -> its first opportunity
        self.places = tuple(At(i, inject) for i, inject in enumerate(path))  # built once, shared by teams
        for i, inject in enumerate(path):
            for step in plan.asked_steps[inject]:
                self.steps.setdefault(step, inject)
            for contact in plan.asked_contacts[inject]:
                self.contacts.setdefault(contact, self.places[i])
        asked = set(self.steps) | {NOTIFY + c for c in self.contacts}
        self.orders = tuple(o for o in plan.orders if o.first in asked and o.then in asked)
        self.order_injects = tuple(inject for inject in path if plan.kind[inject] == "order")
        self.scored = tuple(inject for inject in path if plan.scored[inject])  # discussion-only left out
        self._weigh(timed)
        self._denominators(plan)
        self.memo: dict[tuple | str, Any] = {}

    def _weigh(self, timed: bool) -> None:
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

    def _denominators(self, plan: Plan) -> None:
        """Denominators of phases and ratings (escalation counts under Operational Coordination)."""
        self.phase_asked = dict.fromkeys(PHASES, 0)
        self.capability_asked = dict.fromkeys(CAPABILITIES, 0)
        for step in self.steps:
            info = plan.steps.get(step)
            phase, capability = (info.phase, info.capability) if info else (None, None)
            if phase in self.phase_asked:
                self.phase_asked[phase] += 1
            if capability in self.capability_asked:
                self.capability_asked[capability] += 1
        self.capability_asked[ESCALATION_CAPABILITY] += len(self.contacts)


# Plans by (scenario, key) content: a snapshot or key from a content cache is known by its
# content id (`content_id`), so every drill of one scenario and playbook shares one plan however
# many objects held them; anything else (a scenario the app loaded) is known per object, by id():
# safe because a plan holds its scenario and key, so neither id is reused while it is cached.
PLANS = ContentCache(64)


def plan_for(scenario: Scenario, key: Key) -> Plan:
    ident = (content_id(scenario) or id(scenario), content_id(key) or id(key))
    return PLANS.get(ident, ident, lambda: Plan(scenario, key))
