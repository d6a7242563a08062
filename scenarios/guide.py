"""The guide answer of each inject, derived from the key (docs/scoring.md), and its opposite.

Nobody writes the "right answer" by hand: it follows from what each option does and what the
playbook expects for the scenario's facts, so the key and the score cannot drift apart.
"""

from __future__ import annotations

from .model import Inject, Option, Scenario
from .playbook import Key


def value(option: Option, key: Key) -> float:
    return key.option_value(option.steps, option.notifies, option.harms)


def guide_answer(inject: Inject, key: Key) -> list[str]:
    """Option ids a team following the guide chooses (in order, for `order` injects)."""
    if inject.kind == "order":
        return list(inject.key or [])
    if inject.kind == "single":
        best = max(inject.options, key=lambda option: value(option, key))
        return [best.id]
    return [option.id for option in inject.options if value(option, key) > 0]


def harmful_answer(inject: Inject, key: Key) -> list[str]:
    """The choice that does most damage: every harmful option, else the least valuable one."""
    if inject.kind == "order":
        return list(reversed(inject.key or []))
    harmful = [option.id for option in inject.options if option.harms]
    if inject.kind == "single":
        if harmful:
            worst = max((o for o in inject.options if o.harms), key=lambda o: len(o.harms))
            return [worst.id]
        return [min(inject.options, key=lambda option: value(option, key)).id]
    return harmful


def answers(scenario: Scenario, key: Key, harmful: bool = False) -> dict[str, list[str]]:
    pick = harmful_answer if harmful else guide_answer
    return {inject.id: pick(inject, key) for inject in scenario.injects}
