"""A jurisdiction's playbook merged with the layers it extends, and the questions asked of it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .conditions import holds
from .model import Contact, Document, Escalation, Facts, Harm, Order, Penalties, Playbook, Source, Step

NOTIFY = "notify:"
# What a harm costs, in points of the harms dimension, by its severity in the playbook. This
# project's own weighting (docs/scoring.md): the guides rank no harms. The scorer deducts these,
# and `harm_weight` ranks options by them wherever "the worst" is asked for.
SEVERITY_POINTS = {"major": 35.0, "minor": 15.0}


def merge(layers: list[Playbook]) -> Playbook:
    """Merge from the base layer up: a later layer's entry replaces an earlier one with its id."""

    def by_id(attr: str, key: str = "id") -> list:
        merged: dict = {}
        for layer in layers:
            for entry in getattr(layer, attr):
                merged[getattr(entry, key)] = entry
        return list(merged.values())

    top = layers[-1]
    orders: dict[tuple[str, str], Order] = {}
    for layer in layers:
        for order in layer.order:
            orders[(order.first, order.then)] = order
    return Playbook(
        id=top.id,
        name=top.name,
        extends=top.extends,
        summary=top.summary,
        documents=by_id("documents"),
        penalties=next((layer.penalties for layer in reversed(layers) if layer.penalties), None),
        contacts=by_id("contacts"),
        steps=by_id("steps"),
        order=list(orders.values()),
        escalations=by_id("escalations", key="contact"),
        harms=by_id("harms"),
    )


@dataclass(frozen=True)
class Key:
    """What a playbook expects of one scenario, given its facts."""

    playbook: Playbook
    facts: Facts

    @cached_property
    def steps(self) -> dict[str, Step]:
        return {step.id: step for step in self.playbook.steps}

    @cached_property
    def contacts(self) -> dict[str, Contact]:
        return {contact.id: contact for contact in self.playbook.contacts}

    @cached_property
    def harms(self) -> dict[str, Harm]:
        return {harm.id: harm for harm in self.playbook.harms}

    @cached_property
    def escalations(self) -> dict[str, Escalation]:
        return {esc.contact: esc for esc in self.playbook.escalations}

    @cached_property
    def documents(self) -> dict[str, Document]:
        return {doc.id: doc for doc in self.playbook.documents}

    @cached_property
    def applicable_steps(self) -> frozenset[str]:
        return frozenset(s.id for s in self.playbook.steps if holds(s.when, self.facts))

    @cached_property
    def required_contacts(self) -> tuple[str, ...]:
        """Contacts the guides say must be reached for these facts, in the playbook's order."""
        return tuple(
            esc.contact
            for esc in self.playbook.escalations
            if (c := self.contacts.get(esc.contact)) is not None and c.when is not None and holds(c.when, self.facts)
        )

    @cached_property
    def permitted_contacts(self) -> frozenset[str]:
        """Contacts the guides allow here without requiring them: reaching one is never needless."""
        return frozenset(
            c.id for c in self.playbook.contacts
            if c.id not in self.required_contacts and c.permitted is not None and holds(c.permitted, self.facts)
        )

    @property
    def penalties(self) -> Penalties | None:
        return self.playbook.penalties

    def cite(self, source: Source) -> str:
        doc = self.documents.get(source.doc)
        title = doc.title if doc else source.doc
        return f'{title}, "{source.section}"'

    def action_known(self, action: str) -> bool:
        if action.startswith(NOTIFY):
            return action[len(NOTIFY):] in self.contacts
        return action in self.steps

    def harm_weight(self, harms) -> float:
        """How much damage these harms do together, by severity (an unknown harm counts as major)."""
        return sum(SEVERITY_POINTS[self.harms[h].severity if h in self.harms else "major"] for h in harms)

    def option_value(self, steps: list[str], notifies: list[str], harms: list[str]) -> float:
        """How much of the key an option covers; any harm rules it out (docs/scoring.md)."""
        if harms:
            return float("-inf")
        required, permitted = self.required_contacts, self.permitted_contacts
        value = sum(1 for s in steps if s in self.applicable_steps)
        value += sum(1 if c in required else 0 if c in permitted else -1 for c in notifies)
        return value
