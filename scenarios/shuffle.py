"""The order a drill shows each inject's options in, drawn from the drill's seed.

Authors write the guide's answer first more often than not, and order injects in their key's
order; shown as written, a team that presses 1 (or Enter) would score well without reading.
So the options are shown in an order drawn per (seed, scenario, inject): the same seed gives the
same order, each inject is shuffled independently of the others, and an `order` inject never
starts in its documented order. Only what is shown moves: ids, keys and stored answers keep
naming options by id, and the scorer's "first in the file" rules read the file's order.
"""

from __future__ import annotations

import hashlib

from .model import Inject, Scenario

# Redraws before falling back to a rotation: an order inject of two options is in its key's
# order half the time, so a few draws are usually needed; a rotation is never the same order.
_DRAWS = 8


def _rank(seed: int, scenario_id: str, inject_id: str, draw: int, option_id: str) -> bytes:
    # A hash rather than random.shuffle: the order must not change with the Python version.
    return hashlib.sha256(f"options|{seed}|{scenario_id}|{inject_id}|{draw}|{option_id}".encode()).digest()


def shown_order(scenario_id: str, inject: Inject, seed: int) -> list[str]:
    """Option ids of one inject in the order a drill with this seed shows them."""
    ids = [option.id for option in inject.options]
    avoid = list(inject.key) if inject.kind == "order" and inject.key else None
    for draw in range(_DRAWS):
        order = sorted(ids, key=lambda oid: _rank(seed, scenario_id, inject.id, draw, oid))
        if order != avoid or len(order) < 2:
            return order
    return order[1:] + order[:1]


def shuffle(scenario: Scenario, seed: int) -> Scenario:
    """The scenario with every inject's options in their shown order (nothing else changes)."""
    injects = []
    for inject in scenario.injects:
        by_id = {option.id: option for option in inject.options}
        options = [by_id[oid] for oid in shown_order(scenario.id, inject, seed)]
        injects.append(inject.model_copy(update={"options": options}))
    return scenario.model_copy(update={"injects": injects})

