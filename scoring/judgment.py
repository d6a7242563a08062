"""Per inject, what the scorer made of a team's answer (`InjectJudgment`), from what the scorer
kept while scoring: its walk over the answers, the steps harms undid, each contact's outcome
(`Reach`), each order inject's pairs and the findings. Nothing here judges anew: every verdict
is one the scorer reached, regrouped by inject.

Built on first read of `Scorecard.judgments` (see there): scoring itself never pays for it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, NamedTuple

from .plan import rounded as _r
from .scorecard import (
    ContactJudgment,
    ContactStatus,
    Finding,
    HarmJudgment,
    InjectJudgment,
    OrderJudgment,
    Scorecard,
    StepJudgment,
)

if TYPE_CHECKING:
    from .plan import PathPlan, Plan, Undoing
    from .score import Walk
    from .sequence import OrderResult


class Reach(NamedTuple):
    """One contact's outcome, as the escalation pass decided it."""

    contact: str
    status: ContactStatus
    at: str | None  # where reached
    first_at: str | None  # a required contact's first opportunity
    out_of_order: bool


def judge(plan: Plan, pp: PathPlan, walk: Walk, broken: dict[str, Undoing], reaches: list[Reach],
          orders: dict[str, OrderResult], card: Scorecard) -> dict[str, InjectJudgment]:
    contacts = {r.contact: _contact(plan, r.contact, r.status, r.at, r.first_at, r.out_of_order) for r in reaches}
    found: dict[str | None, list[Finding]] = defaultdict(list)
    for f in card.findings:
        found[f.inject].append(f)
    return {inject: _inject(plan, pp, walk, broken, contacts, orders, i, inject, tuple(found.get(inject, ())))
            for i, inject in enumerate(card.path)}


def _contact(plan: Plan, contact: str, status: ContactStatus, at, first_at, out_of_order: bool) -> ContactJudgment:
    info, esc = plan.contact(contact), plan.escalations.get(contact)
    required = contact in plan.required
    # The source the findings cite: a required contact's escalation, else the contact itself.
    source = plan.escalation(contact).cite if required else info.cite
    return ContactJudgment(contact, info.name, status, required, esc.urgency if esc else None, esc.by if esc else None,
                           at, first_at, out_of_order, source)


def _step(plan: Plan, step: str) -> StepJudgment:
    return StepJudgment(step, plan.step_title(step), plan.step_cite(step))


def _harm(plan: Plan, harm: str) -> HarmJudgment:
    info = plan.harms.get(harm)
    if info is None:
        return HarmJudgment(harm, harm, "major", (), None)
    return HarmJudgment(
        harm, info.title, info.severity, tuple(plan.step_title(s) for s in info.breaks if s in plan.steps), info.cite,
    )


def _inject(plan: Plan, pp: PathPlan, walk: Walk, broken: dict[str, Undoing], contacts: dict[str, ContactJudgment],
            orders: dict[str, OrderResult], pos: int, inject: str, findings: tuple[Finding, ...]) -> InjectJudgment:
    answer = walk.answers.get(inject)
    counted = walk.counted.get(inject, answer.credited if answer is not None else ())
    scored = plan.scored[inject]
    steps = [f for f in findings if f.dimension == "steps" and f.subject is not None]
    here = [c for c in contacts.values() if c.inject == inject]

    def reached(status: str) -> tuple[ContactJudgment, ...]:
        return tuple(c for c in here if c.status == status)

    notified = walk.notified
    result = orders.get(inject)
    return InjectJudgment(
        inject=inject,
        scored=scored,
        answered=answer is not None,
        method=answer.method if answer is not None else None,
        credited=counted,
        held=tuple(oid for oid in answer.credited if oid not in counted) if answer is not None else (),
        guide=plan.guide[inject],
        matches_guide=None if not scored else answer is not None and plan.matches_guide(inject, counted),
        honoured=tuple(_step(plan, f.subject) for f in steps if f.effect == "gained"),
        undone=tuple(_step(plan, f.subject) for f in steps if f.effect == "missed" and f.subject in broken),
        broken=tuple(_harm(plan, c.harm) for c in walk.harms if c.inject == inject),
        held_harms=tuple(_harm(plan, h) for h in dict.fromkeys(h.harm for h in walk.held if h.inject == inject)),
        reached=reached("reached"),
        late=reached("late"),
        permitted=reached("permitted"),
        needless=reached("needless"),
        missed_steps=tuple(_step(plan, s) for s in plan.asked_steps[inject] if s not in walk.performed),
        missed_contacts=tuple(contacts[c] for c in plan.asked_contacts[inject]
                              if c not in notified or notified[c].pos > pos),
        unasked_steps=tuple(
            _step(plan, s) for s, at in walk.performed.items()
            if at.inject == inject and s not in pp.steps and s not in broken and s in plan.key.applicable_steps),
        unasked_contacts=tuple(
            _contact(plan, c, "reached", inject, None, False) for c, at in notified.items()
            if at.inject == inject and c in plan.required and c not in pp.contacts),
        order=OrderJudgment(result.right, result.pairs, plan.order_key[inject]) if result is not None else None,
        findings=findings,
        gained=_r(sum(f.points for f in findings if f.points > 0)),
        lost=_r(sum(f.points for f in findings if f.points < 0)),
    )
