"""The sequence dimension: the order constraints a path asked, and each order inject's pairs."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from .plan import rounded as _r
from .scorecard import Finding

if TYPE_CHECKING:
    from .plan import PathPlan, Plan
    from .score import Walk


class OrderResult(NamedTuple):
    """One order inject's answer: its share of pairs in the documented order, and its findings."""

    share: float
    right: int  # pairs in the documented order
    pairs: int
    findings: tuple[Finding, ...]


def sequence(plan: Plan, pp: PathPlan, walk: Walk, add, orders: dict[str, OrderResult]) -> float:
    """Add the sequence findings, and each answered order inject's result to `orders`; return
    the dimension's score."""
    memo, unit = pp.memo, pp.sequence_unit
    performed, notified = walk.performed, walk.notified
    earned = 0.0
    for order in pp.orders:  # `first` before `then`, both asked on the path
        then = (notified if order.then_at.notify else performed).get(order.then_at.id)
        first = (notified if order.first_at.notify else performed).get(order.first_at.id)
        if then is None:
            k = ("order", order.subject, None)
        else:
            k = ("order", order.subject, then.inject, first is not None and first.pos < then.pos)
        f = memo.get(k)
        if f is None:
            if then is None:
                f = Finding("sequence", "missed", _r(-unit), None, order.subject, order.not_done, order.cite)
            elif k[3]:
                f = Finding("sequence", "gained", _r(unit), then.inject, order.subject, order.honoured, order.cite)
            else:
                f = Finding("sequence", "missed", _r(-unit), then.inject, order.subject, order.broken, order.cite)
            memo[k] = f
        if f.effect == "gained":
            earned += 1
        add(f)
    for inject in pp.order_injects:
        answer = walk.answers.get(inject)
        credited = answer.credited if answer is not None else None
        k = ("order-inject", inject, credited)
        made = memo.get(k)
        if made is None:
            made = memo[k] = _order_inject(plan, inject, credited, unit)
        if credited is not None:
            orders[inject] = made
        earned += made.share
        for f in made.findings:
            add(f)
    return 100.0 * earned / (len(pp.orders) + len(pp.order_injects))


def _order_inject(plan: Plan, inject: str, credited: tuple[str, ...] | None, unit: float) -> OrderResult:
    documented = plan.order_key[inject]
    pairs = len(documented) * (len(documented) - 1) // 2
    if credited is None:
        missed = Finding(
            "sequence", "missed", _r(-unit), inject, inject, f"Order: inject '{inject}' was not answered.", None,
        )
        return OrderResult(0.0, 0, pairs, (missed,))
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
        msg = (f"Order: {len(wrong)} of {pairs} pairs out of the documented order at inject '{inject}': "
               f"put {'; '.join(wrong[:3])}{more}.")
        made.append(Finding("sequence", "missed", _r(-unit * (1 - share)), inject, inject, msg, None))
    return OrderResult(share, right, pairs, tuple(made))
