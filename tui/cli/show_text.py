"""`scenarios show` as text: the drill a facilitator reads, with the key beside each option.

`scenario` is the rendered one: options come in the order a drill with this seed shows them,
numbered as the team sees them, each with its id (what answer files and the key name)."""

from __future__ import annotations

import textwrap

from scenarios.conditions import describe
from scenarios.model import Scenario
from scenarios.playbook import Key

from ..text import literal


def _facts(scenario: Scenario) -> list[str]:
    return [f"  {name.replace('_', ' ')}: {value}" for name, value in scenario.facts.model_dump().items()]


def scenario_text(scenario: Scenario, key: Key, guide: dict[str, list[str]], seed: int, path: str) -> str:
    out = [
        f"{scenario.title}",
        f"id {scenario.id} · {scenario.violation} · {scenario.jurisdiction} · {scenario.difficulty} · seed {seed}",
        f"file {path}",
        "",
        textwrap.fill(scenario.summary, 96),
        "",
        "Facts:",
        *_facts(scenario),
        "",
        "Contacts the guides require for these facts:",
    ]
    for contact_id in key.required_contacts:
        contact = key.contacts[contact_id]
        esc = key.escalations[contact_id]
        out.append(f"  {contact.name} ({contact_id}): {esc.urgency}, when {describe(contact.when)}")
    for inject in scenario.injects:
        out += ["", f"[{inject.id}] +{inject.at} min · {inject.channel} from {inject.sender} · {inject.title}"]
        if inject.subject:
            out.append(f"  Subject: {inject.subject}")
        out += ["  " + line for line in inject.body.rstrip().splitlines()]
        for artifact in inject.artifacts:
            out.append(f"  --- {artifact.kind}: {artifact.title}")
            out += ["  | " + line for line in artifact.content.rstrip().splitlines()]
        scored = inject.id in guide  # a discussion-only inject has no guide answer
        out.append(f"  Q ({inject.kind}{'' if scored else ', discussed, not scored: no option carries a key'}): "
                   f"{inject.question}")
        number = {o.id: n for n, o in enumerate(inject.options, start=1)}
        for option in inject.options:
            mark = "*" if option.id in guide.get(inject.id, ()) else " "
            keyed = ", ".join(
                [f"step {s}" for s in option.steps]
                + [f"notify {c}" for c in option.notifies]
                + [f"HARM {h}" for h in option.harms]
            )
            branch = f" -> {option.next}" if option.next else ""
            out.append(f"   {mark} {number[option.id]}. {option.id}) {option.text}{branch}")
            if keyed:
                out.append(f"        key: {keyed}")
        if inject.key:
            shown = ", ".join(str(number[oid]) for oid in inject.key if oid in number)
            out.append(f"  documented order: {', '.join(inject.key)} (shown as {shown})")
        if inject.next:
            out.append(f"  then -> {inject.next}")
    out.append("")
    out.append(f"* = the guide answer; numbers are the order a drill with seed {seed} shows")
    return literal("\n".join(out)) + "\n"
