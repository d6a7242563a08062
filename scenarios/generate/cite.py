"""Debrief sentences built from the playbook itself, so every citation is one the playbook makes.

A block writes why a choice matters in the story's words; these add the documented step, contact
or harm behind it and the guide section it comes from.
"""

from __future__ import annotations

from ..conditions import describe
from ..model import Source
from ..playbook import Key

# The short names the built-in library uses for the playbooks' documents.
SHORT = {
    "ei-guide": "East Independence guide",
    "stl-guide": "St. Louis guide",
    "rsmo-407-1500": "RSMo 407.1500",
    "nist-csf-2": "NIST CSF 2.0",
    "nist-sp-800-61r2": "NIST SP 800-61 Rev. 2",
    "cisa-ransomware": "CISA ransomware response checklist",
}
URGENCY = {
    "immediately": "immediately",
    "without-unreasonable-delay": "without unreasonable delay",
    "when-advised": "when advised",
}


def source(key: Key, src: Source) -> str:
    doc = key.documents.get(src.doc)
    name = SHORT.get(src.doc) or (doc.title if doc else src.doc)
    return f'{name}, "{src.section}"'


def step(key: Key, step_id: str) -> str:
    s = key.steps[step_id]
    return f"{s.title} ({source(key, s.source)})."


def contact(key: Key, contact_id: str) -> str:
    c = key.contacts[contact_id]
    esc = key.escalations.get(contact_id)
    if contact_id in key.permitted_contacts:
        allowed = describe(c.permitted or [])
        when = "" if allowed == "always" else f", when {allowed}"
        return f"Allowed, not required: {c.name}{when} ({source(key, c.source)})."
    why = "" if not c.when else f", because {describe(c.when)}"
    if esc is None:
        return f"Reach {c.name}{why} ({source(key, c.source)})."
    # Who the contact is and how fast it is reached may come from different documents (St. Louis
    # names the vendor's contract contact; "immediately" is RSMo 407.1500's): cite both.
    cites = [source(key, c.source)]
    if esc.source != c.source:
        cites.append(source(key, esc.source))
    return f"Escalation: {c.name}, {URGENCY[esc.urgency]}{why}; by {esc.by} ({'; '.join(cites)})."


def needless(key: Key, contact_id: str) -> str:
    c = key.contacts[contact_id]
    if c.when:
        reason = f"the guides bring {c.name} in only when {describe(c.when)}, which is not so here"
        return f"Needless escalation: {reason} ({source(key, c.source)})."
    # A contact the guide names for another purpose: its role, as its own sentence.
    role = " ".join(c.role.split()).rstrip(".")
    return (f"Needless escalation: nothing here calls for {c.name}. What the guide says of it: "
            f"{role[:1].lower() + role[1:]} ({source(key, c.source)}).")


def harm(key: Key, harm_id: str) -> str:
    h = key.harms[harm_id]
    return f"The guides warn against this ({h.severity}): {h.title} ({source(key, h.source)})."


def steps_and_contacts(key: Key, steps, contacts) -> list[str]:
    return [step(key, s) for s in steps] + [contact(key, c) for c in contacts]
