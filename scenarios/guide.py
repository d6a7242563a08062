"""The guide answer of each inject, derived from the key (docs/scoring.md), and its opposite.

Nobody writes the "right answer" by hand: it follows from what each option does and what the
playbook expects for the scenario's facts, so the key and the score cannot drift apart.

All of this reads options in the scenario file's order (ties go to the first in the file): pass
the drill's own scenario, never the rendered one, whose options are in the order shown.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Inject, Option, Scenario
from .playbook import Key


def value(option: Option, key: Key) -> float:
    return key.option_value(option.steps, option.notifies, option.harms)


def is_scored(inject: Inject) -> bool:
    """False for a discussion-only inject: no option performs a step, reaches a contact or
    does harm, and there is no documented order. Such an inject has no guide answer to show,
    and counts in no denominator."""
    if inject.kind == "order" and inject.key:
        return True
    return any(option.steps or option.notifies or option.harms for option in inject.options)


def counted(inject: Inject, credited: Iterable[str], method: str) -> list[str]:
    """The credited options that count for scoring. A free answer's keywords never commit a
    harm on their own ("Nobody will shred the notes" names shredding): a harmful rubric entry
    counts only when a facilitator's mark gives it."""
    if method != "keywords":
        return list(credited)
    harmful = {option.id for option in inject.options if option.harms}
    return [oid for oid in credited if oid not in harmful]


def guide_answer(inject: Inject, key: Key) -> list[str]:
    """Option ids a team following the guide chooses (in order, for `order` injects).

    A discussion-only single inject (see `is_scored`) still gets its first option, so a
    scripted team can answer it; screens say "discussed, not scored" instead of showing it."""
    if inject.kind == "order":
        return list(inject.key or [])
    if inject.kind == "single":
        best = max(inject.options, key=lambda option: value(option, key))
        return [best.id]
    return [option.id for option in inject.options if value(option, key) > 0]


def harmful_answer(inject: Inject, key: Key) -> list[str]:
    """The choice that does most damage: every harmful option, else the least valuable one.
    A single inject's worst option is the one whose harms weigh most by severity."""
    if inject.kind == "order":
        return list(reversed(inject.key or []))
    harmful = [option for option in inject.options if option.harms]
    if inject.kind == "single":
        if harmful:
            return [max(harmful, key=lambda o: key.harm_weight(o.harms)).id]
        return [min(inject.options, key=lambda option: value(option, key)).id]
    return [option.id for option in harmful]


def answers(scenario: Scenario, key: Key, harmful: bool = False) -> dict[str, list[str]]:
    pick = harmful_answer if harmful else guide_answer
    return {inject.id: pick(inject, key) for inject in scenario.injects}
