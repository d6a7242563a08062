"""An inject as a block writes it (`Draft`, `Opt`), and how it becomes the scenario format.

Blocks offer more wrong choices than an inject shows; `finish` keeps as many as the difficulty
asks, shuffles them, names them a, b, c ..., and writes each option's debrief from its role and
the key. It also checks what the format alone cannot: the guide answer of a single inject is
strictly the best option, and a harmful option in a multi or free inject does nothing else.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..playbook import Key
from . import cite
from .complications import Level
from .prose import one_line, paragraphs

ROLES = ("guide", "right", "partial", "wrong", "needless", "harm")


class GenerationError(Exception):
    """The generator broke one of its own rules: a block wrote an inject the key would not score as
    intended (the guide answer not strictly the best, a harm on a right option), asked for a time
    the clock cannot give, or the plan came out too short. It is a bug in scenarios/generate, never
    a bad argument (those raise ValueError) and never the user's to fix, so it is neither a
    ValueError nor a BreachdrillError: no handler for bad input should catch it and show it as one.
    Nor an AssertionError: it is raised, not asserted (so `python -O` keeps it), and whatever
    catches failed asserts, a test or a checker, must not take a generator bug for one."""


@dataclass
class Opt:
    text: str
    role: str
    steps: tuple[str, ...] = ()
    notifies: tuple[str, ...] = ()
    harms: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    why: str = ""  # the story's reason, before the citations
    branch: str | None = None  # a consequence this choice leads to, when the plan branches here
    subtle: str | None = None  # wording for harder drills: the same choice, less obviously wrong
    keep: bool = False  # shown at every difficulty: the choice the inject exists to test

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise GenerationError(f"unknown role {self.role}")


@dataclass
class Draft:
    topic: str  # the inject's subject; its id is i<NN>-<topic>
    title: str
    sender: str
    channel: str
    body: str
    question: str
    kind: str
    options: list[Opt]
    limit: int  # base seconds, before the difficulty's factor
    subject: str | None = None
    artifacts: list[dict] = field(default_factory=list)
    notes: str = ""
    lesson: str = ""  # opens the inject's debrief
    # Where this inject's branching option leads (branch name -> consequence inject); the
    # assembler decides whether the branch is kept, and wires the consequence back to the main line.
    consequences: dict[str, Draft] = field(default_factory=dict)


def artifact(kind: str, title: str, content: str) -> dict:
    return {"kind": kind, "title": title, "content": content}


def _value(key: Key, o: Opt) -> float:
    return key.option_value(list(o.steps), list(o.notifies), list(o.harms))


def _trim(options: list[Opt], kind: str, level: Level, rng: random.Random, branch: str | None) -> list[Opt]:
    """The guide's options, plus the harms and distractors the difficulty shows."""
    keep = [o for o in options if o.role in ("guide", "right")]
    harms = [o for o in options if o.role == "harm"]
    others = [o for o in options if o.role not in ("guide", "right", "harm")]
    # Always shown: the option that branches (so the plan's branch exists whatever the
    # difficulty) and any option marked `keep`; else the first harmful one.
    forced = [o for o in harms if o.keep or (branch is not None and o.branch == branch)] or harms[:1]
    rest = [o for o in harms if o not in forced]
    rng.shuffle(rest)
    rng.shuffle(others)
    keep += forced + rest[: max(0, level.harms - len(forced))]
    keep += [o for o in others if o.keep] + [o for o in others if not o.keep][: level.distractors]
    if kind == "order":
        return [o for o in options if o in keep]  # documented order
    rng.shuffle(keep)
    return keep


def _debrief(key: Key, o: Opt, guide: list[Opt]) -> str:
    parts = []
    if o.role == "guide":
        parts = ["The guide answer.", o.why, *cite.steps_and_contacts(key, o.steps, o.notifies)]
    elif o.role == "right":
        parts = ["Right.", o.why, *cite.steps_and_contacts(key, o.steps, o.notifies)]
    elif o.role == "harm":
        parts = ["Harmful.", o.why, *(cite.harm(key, h) for h in o.harms)]
    elif o.role == "needless":
        parts = [o.why, *(cite.needless(key, c) for c in o.notifies
                          if c not in key.required_contacts and c not in key.permitted_contacts)]
    else:
        done = set(o.steps) | set(o.notifies)
        missing_steps = [s for g in guide for s in g.steps if s not in done]
        # Only what the guide requires is "left out"; a contact it merely allows is not.
        missing_contacts = [c for g in guide for c in g.notifies if c not in done and c in key.required_contacts]
        lead = "Only part of the guide answer." if o.role == "partial" and done else "Not the guide's answer."
        parts = [lead, o.why]
        if missing_steps or missing_contacts:
            parts.append("It leaves out:")
            parts += cite.steps_and_contacts(key, dict.fromkeys(missing_steps), dict.fromkeys(missing_contacts))
    return " ".join(p for p in parts if p)


def check(draft: Draft, key: Key, options: list[Opt]) -> None:
    guide = [o for o in options if o.role in ("guide", "right")]
    if not guide or (draft.kind == "single" and not any(o.role == "harm" for o in options)):
        raise GenerationError(f"{draft.topic}: needs a guide answer and, if single, a harmful option")
    for o in options:
        if o.harms and o.role != "harm":
            raise GenerationError(f"{draft.topic}: only harm options may carry harms")
        if o.role == "harm" and draft.kind in ("multi", "free") and (o.steps or o.notifies):
            raise GenerationError(f"{draft.topic}: a harmful {draft.kind} option must do nothing else")
    if draft.kind == "single":
        best = _value(key, guide[0])
        if len(guide) != 1 or best < 1 or any(_value(key, o) >= best for o in options if o is not guide[0]):
            values = {o.text[:40]: _value(key, o) for o in options}
            raise GenerationError(f"{draft.topic}: the guide option is not strictly the best: {values}")
    elif draft.kind in ("multi", "free"):
        if any(_value(key, o) <= 0 for o in guide) or any(_value(key, o) > 0 for o in options if o not in guide):
            raise GenerationError(f"{draft.topic}: right options must be exactly those of positive value")


def finish(draft: Draft, key: Key, level: Level, rng: random.Random, drng: random.Random, branch: str | None) -> dict:
    """The inject as scenario data; `branch` is the consequence the plan keeps (or None)."""
    options = _trim(draft.options, draft.kind, level, drng, branch)
    subtle = drng.random() < level.subtle
    check(draft, key, options)
    guide = [o for o in options if o.role in ("guide", "right")]
    data: dict = {
        "id": None, "at": None, "title": one_line(draft.title), "sender": one_line(draft.sender), "channel": draft.channel,
    }
    if draft.subject:
        data["subject"] = one_line(draft.subject)
    data["body"] = paragraphs(draft.body)
    if draft.artifacts:
        data["artifacts"] = draft.artifacts
    data["question"] = one_line(draft.question)
    data["kind"] = draft.kind
    data["limit"] = None
    shown = list(options)
    if draft.kind == "order":
        # Shown out of order (never already solved); the key keeps the documented order.
        while shown == options and len(shown) > 1:
            rng.shuffle(shown)
    ids = {id(o): chr(ord("a") + n) for n, o in enumerate(shown)}
    data["options"] = []
    for o in shown:
        od: dict = {"id": ids[id(o)], "text": one_line(o.subtle if subtle and o.subtle else o.text)}
        for name in ("steps", "notifies", "harms", "keywords"):
            if getattr(o, name):
                od[name] = list(getattr(o, name))
        if branch is not None and o.branch == branch:
            od["next"] = ("branch", branch)  # wired to the consequence's id by the assembler
        od["debrief"] = one_line(_debrief(key, o, guide))
        data["options"].append(od)
    if draft.kind == "order":
        data["key"] = [ids[id(o)] for o in options]
    if draft.notes:
        data["notes"] = one_line(draft.notes)
    summary = " ".join(cite.steps_and_contacts(key, dict.fromkeys(s for o in guide for s in o.steps),
                                                dict.fromkeys(c for o in guide for c in o.notifies)))
    data["debrief"] = one_line(" ".join(p for p in (draft.lesson, "What the guide asks here:", summary) if p))
    return data
