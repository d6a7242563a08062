"""The escalation dimension: each required contact reached, in time and in order; the others
permitted (credited, no points) or needless (a deduction). Each contact's outcome is kept as a
Reach for the judgments (scoring.judgment)."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from .judgment import Reach
from .plan import rounded as _r
from .scorecard import Finding

if TYPE_CHECKING:
    from .plan import At, PathPlan, Plan

REACH_LATE = 0.5  # reached after the first opportunity when the guide says "immediately"
OUT_OF_ORDER = 0.25  # reached before a contact the escalation lists in `after`
NEEDLESS = 0.25  # reached with no cause


class _Penalty(NamedTuple):
    pos: int
    rate: float
    at: str
    contact: str
    message: str
    source: str | None


def escalation(plan: Plan, pp: PathPlan, notified: dict[str, At], add, reaches: list[Reach]) -> float:
    """Add the escalation findings, and a Reach per contact to `reaches`; return the credit
    earned, in contacts (0..len(asked)): each required contact reached, in time and in order;
    the others permitted or needless."""
    penalties: list[_Penalty] = []
    gained = _required(plan, pp, notified, add, reaches, penalties)
    _others(plan, pp, notified, add, reaches, penalties)
    if not pp.contacts:  # nothing asked: needless contacts are noted, with nothing to take from
        for p in penalties:
            add(Finding("escalation", "noted", 0.0, p.at, p.contact, p.message, p.source))
        return 0.0
    # Deductions come off what was earned, in the order the team made them, never below 0.
    left = gained
    unit = pp.contact_unit
    for p in sorted(penalties, key=lambda p: p.pos):
        take = min(p.rate, left)
        left -= take
        add(Finding(
            "escalation", "deducted" if take else "noted", _r(-unit * take), p.at, p.contact, p.message, p.source,
        ))
    return left


class _Outcome(NamedTuple):
    """A contact's findings, Reach and penalty: fixed by the path, the contact and where it was
    reached, so memoized per path like findings (one record, not three, per team)."""

    findings: tuple[Finding, ...]
    reach: Reach
    penalty: _Penalty | None = None


def _required(
    plan: Plan, pp: PathPlan, notified: dict[str, At], add, reaches: list[Reach], penalties: list[_Penalty],
) -> float:
    """The contacts the path asked for: reached (on time, late, or later but in time) or not."""
    memo = pp.memo
    gained = 0.0
    for contact, first in pp.contacts.items():
        esc = plan.escalation(contact)
        reached = notified.get(contact)
        if reached is None:
            k = ("unreached", contact)
            made = memo.get(k)
            if made is None:
                made = memo[k] = _unreached(plan, pp, contact, first.inject, esc.cite)
            add(made.findings[0])
            reaches.append(made.reach)
            continue
        later = reached.pos > first.pos
        late = later and esc.urgency == "immediately"
        k = ("reached", contact, reached.inject, late, later)
        made = memo.get(k)
        if made is None:
            made = memo[k] = _reached(
                pp.contact_unit, contact, plan.contact(contact).name, esc, reached.inject, first.inject, late, later,
            )
        for f in made.findings:
            add(f)
        gained += REACH_LATE if late else 1.0
        early = [a for a in esc.after if a not in notified or notified[a].pos > reached.pos]
        if early:
            names = ", ".join(plan.contact(a).name for a in early)
            msg = (f"Out of order: reached {plan.contact(contact).name} before {names}, "
                   "whom the guide has reached first.")
            penalties.append(_Penalty(reached.pos, OUT_OF_ORDER, reached.inject, contact, msg, esc.cite))
            reaches.append(made.reach._replace(out_of_order=True))
        else:
            reaches.append(made.reach)
    return gained


def _unreached(plan: Plan, pp: PathPlan, contact: str, first_at: str, cite: str | None) -> _Outcome:
    info = plan.contact(contact)
    why = "always required" if info.when == "always" else f"required because {info.when}"
    msg = f"Not reached: {info.name} ({why}); first opportunity at inject '{first_at}'."
    missed = Finding("escalation", "missed", _r(-pp.contact_unit), first_at, contact, msg, cite)
    return _Outcome((missed,), Reach(contact, "not reached", None, first_at, False))


def _reached(unit: float, contact: str, name: str, esc, at: str, first_at: str, late: bool, later: bool) -> _Outcome:
    """The findings of a required contact the team reached at `at`."""
    reach = Reach(contact, "late" if late else "reached", at, first_at, False)
    if late:
        return _Outcome((
            Finding(
                "escalation", "gained", _r(unit * REACH_LATE), at, contact,
                f"Reached {name}, late: at inject '{at}'.", esc.cite,
            ),
            Finding(
                "escalation", "missed", _r(-unit * (1 - REACH_LATE)), first_at, contact,
                f"Late: the guide says to reach {name} immediately; the first opportunity was inject '{first_at}'.",
                esc.cite,
            ),
        ), reach)
    if later:  # no urgency lost: the guide does not say "immediately" for this contact
        msg = (f"Reached {name} (inject '{at}'), after the first opportunity at inject '{first_at}'; "
               f"the guide asks for it {esc.urgency.replace('-', ' ')}, so in time.")
        return _Outcome((Finding("escalation", "gained", _r(unit), at, contact, msg, esc.cite),), reach)
    return _Outcome(
        (Finding("escalation", "gained", _r(unit), at, contact, f"Reached {name} (inject '{at}').", esc.cite),), reach,
    )


def _others(
    plan: Plan, pp: PathPlan, notified: dict[str, At], add, reaches: list[Reach], penalties: list[_Penalty],
) -> None:
    """Contacts reached that the guide does not require: permitted (credited by name and source,
    with no points, since in no denominator) or needless (a penalty)."""
    memo = pp.memo
    for contact, (pos, at) in notified.items():
        if contact in plan.required:
            continue
        k = ("other", contact, at)
        made = memo.get(k)
        if made is None:
            made = memo[k] = _other(plan, contact, pos, at)
        if made.penalty is None:
            add(made.findings[0])
        else:
            penalties.append(made.penalty)
        reaches.append(made.reach)


def _other(plan: Plan, contact: str, pos: int, at: str) -> _Outcome:
    info = plan.contact(contact)
    if contact in plan.permitted:
        when = plan.permitted_when[contact]
        why = "" if when == "always" else f" when {when}"
        msg = f"Reached {info.name} (inject '{at}'): the guide permits it{why}, though it does not require it."
        return _Outcome(
            (Finding("escalation", "gained", 0.0, at, contact, msg, info.cite),),
            Reach(contact, "permitted", at, None, False),
        )
    msg = f"Needless escalation: reached {info.name}, whom the guide gives no cause to reach here."
    return _Outcome(
        (), Reach(contact, "needless", at, None, False), _Penalty(pos, NEEDLESS, at, contact, msg, info.cite),
    )
