"""The answer key in words for the facilitator's copy: what each option does by the playbook's
names, each with the guide section the playbook cites for it. Only what the scenario and the
playbook say: an id the playbook does not know is printed as the id, with no citation."""

from __future__ import annotations

from dataclasses import dataclass

from ..conditions import describe
from ..model import Option
from ..playbook import Key


@dataclass(frozen=True)
class Effect:
    kind: str  # "step", "contact" or "harm"
    text: str  # the playbook's name, with what it means for these facts
    cite: str | None


def step(key: Key, step_id: str) -> Effect:
    found = key.steps.get(step_id)
    if found is None:
        return Effect("step", f"Step {step_id}", None)
    note = "" if step_id in key.applicable_steps else " (does not apply to these facts: no points)"
    return Effect("step", f"Performs: {found.title}{note}", key.cite(found.source))


def contact(key: Key, contact_id: str) -> Effect:
    found = key.contacts.get(contact_id)
    if found is None:
        return Effect("contact", f"Notifies {contact_id}", None)
    if contact_id in key.required_contacts:
        note = "required for these facts"
    elif contact_id in key.permitted_contacts:
        note = "allowed for these facts, not required"
    else:
        note = "not called for by these facts"
    return Effect("contact", f"Notifies: {found.name} ({note})", key.cite(found.source))


def harm(key: Key, harm_id: str) -> Effect:
    found = key.harms.get(harm_id)
    if found is None:
        return Effect("harm", f"Harm {harm_id}", None)
    return Effect("harm", f"Harm ({found.severity}): {found.title}", key.cite(found.source))


def effects(key: Key, option: Option) -> list[Effect]:
    """Steps, then contacts, then harms, in the option's own order."""
    return ([step(key, s) for s in option.steps] + [contact(key, c) for c in option.notifies]
            + [harm(key, h) for h in option.harms])


@dataclass(frozen=True)
class RequiredContact:
    name: str
    urgency: str
    by: str | None
    when: str
    cite: str


def required_contacts(key: Key) -> list[RequiredContact]:
    """The contacts the guides require for the scenario's facts, in the playbook's order."""
    out = []
    for contact_id in key.required_contacts:
        found = key.contacts[contact_id]
        esc = key.escalations.get(contact_id)
        out.append(RequiredContact(
            name=found.name,
            urgency=esc.urgency.replace("-", " ") if esc else "no urgency set",
            by=esc.by if esc else None,
            when=describe(found.when or []),
            cite=key.cite(esc.source if esc else found.source),
        ))
    return out
