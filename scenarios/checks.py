"""What pydantic cannot see: references, the inject graph, and keys that contradict the facts.

Each check yields (data path, message, at_key). The loader turns the path into line:col, so
every problem points at the text the author has to change. `check_warnings` yields the same
shape for what is allowed but worth a look (a discussion-only inject): never a problem, so a
file with warnings still loads and validates.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from .conditions import CONDITIONS, describe
from .guide import is_scored
from .model import Inject, Playbook, Scenario
from .playbook import NOTIFY, Key
from .render import PLACEHOLDER, PLACEHOLDERS

# (data path, message, at_key) or, for a spot inside a text, (data path, message, offset).
Finding = tuple[tuple, str, bool | int]
_TEXT_FIELDS = ("title", "sender", "subject", "body", "question", "notes", "debrief")


def hint(name: str, known) -> str:
    """The "; did you mean X?" ending for the closest known name, or nothing."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def check_scenario(scenario: Scenario, key: Key | None) -> Iterator[Finding]:
    """All checks; those that need the playbook are skipped when the jurisdiction is unknown."""
    by_id = {inject.id: inject for inject in scenario.injects}
    # Lazily, in the file's order: a caller that stops after its first N findings (see
    # loader.MAX_PROBLEMS) never pays for the rest (each unknown name costs a "did you mean").
    found = False
    for finding in _reference_findings(scenario, by_id, key):
        found = True
        yield finding
    # The graph checks would only echo a broken reference ("never reached", "never offered"):
    # one problem, one line.
    if not found:
        yield from _check_graph(scenario, by_id, key)


def _reference_findings(scenario: Scenario, by_id: dict[str, Inject], key: Key | None) -> Iterator[Finding]:
    yield from _check_ids(scenario)
    yield from _check_facts(scenario)
    if scenario.start not in by_id:
        yield ("start",), f"start names unknown inject '{scenario.start}'{hint(scenario.start, by_id)}", False
    for i, inject in enumerate(scenario.injects):
        yield from _check_inject(("injects", i), inject, by_id, key)
    yield from _check_placeholders(scenario)


# "Option b", "options a and c", "the answer is d": an option named by its id in prose.
_NAMES_APART = r",\s*|\s+and\s+"
_OPTION_NAMED = re.compile(rf"\b(?:[Oo]ptions?|answer(?: is|:))\s+((?:[a-z0-9][\w-]*(?:{_NAMES_APART})?)+)")


def check_warnings(scenario: Scenario) -> Iterator[Finding]:
    """What is valid but may be a slip: a placeholder in the title, an inject no option of which
    carries a key, or notes and debriefs that name an option by its id."""
    for match in PLACEHOLDER.finditer(scenario.title):
        if match.group(1) in PLACEHOLDERS:
            yield ("title",), (
                f"the title holds the placeholder '{match.group(0)}': the library, Review and the exports "
                "show a title as written, and only a drill's own screens and report fill it in; name the "
                "scenario in plain words"
            ), match.start()
    for i, inject in enumerate(scenario.injects):
        if not is_scored(inject):
            yield ("injects", i, "id"), (
                f"inject '{inject.id}' is discussion only: no option performs a step, reaches a contact or "
                "does harm, so it is not scored (shown as \"discussed, not scored\")"
            ), False
        yield from _options_named_by_id(("injects", i), inject)


def _options_named_by_id(loc: tuple, inject: Inject) -> Iterator[Finding]:
    """Nobody in the room sees an option's id: a drill numbers the options in its own shuffled
    order (the app, the observer, the handout), so "option b" in a note points at the wrong one."""
    ids = {option.id for option in inject.options}
    texts = [(loc + (field,), getattr(inject, field)) for field in ("notes", "debrief")]
    texts += [(loc + ("options", j, field), getattr(option, field))
              for j, option in enumerate(inject.options) for field in ("notes", "debrief")]
    for where, text in texts:
        if not text or ("ption" not in text and "answer" not in text):
            continue  # most texts name no option: the pattern only where it can match (every file, every list)
        for match in _OPTION_NAMED.finditer(text):
            named = [word for word in re.split(_NAMES_APART, match.group(1)) if word in ids]
            if named:
                quoted = [f"'{word}'" for word in named]
                which = f"option {quoted[0]} by its id" if len(quoted) == 1 else (
                    f"options {', '.join(quoted[:-1])} and {quoted[-1]} by their ids")
                yield where, (
                    f"names {which}, which nobody in the room sees: a drill numbers the options in its "
                    "own order, so say what the option does instead"
                ), match.start(1)


def _check_ids(scenario: Scenario) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for i, inject in enumerate(scenario.injects):
        if inject.id in seen:
            yield ("injects", i, "id"), (
                f"duplicate inject id '{inject.id}' (first used by injects[{seen[inject.id]}])"
            ), False
        seen.setdefault(inject.id, i)
        options: dict[str, int] = {}
        for j, option in enumerate(inject.options):
            if option.id in options:
                yield ("injects", i, "options", j, "id"), (
                    f"duplicate option id '{option.id}' in inject '{inject.id}'"
                ), False
            options.setdefault(option.id, j)


def _check_facts(scenario: Scenario) -> Iterator[Finding]:
    facts = scenario.facts
    if facts.residents_affected and not facts.resident_personal_data:
        yield ("facts", "residents_affected"), "residents_affected is set but resident_personal_data is false", False
    if facts.resident_personal_data and not facts.residents_affected:
        yield ("facts", "residents_affected"), (
            "resident_personal_data is true: say how many residents (residents_affected)"
        ), True
    if facts.encryption_key_compromised and not facts.data_encrypted:
        yield ("facts", "encryption_key_compromised"), (
            "encryption_key_compromised is true but data_encrypted is false"
        ), False


def _check_inject(loc: tuple, inject: Inject, by_id: dict[str, Inject], key: Key | None) -> Iterator[Finding]:
    option_ids = [option.id for option in inject.options]
    if inject.next is not None and inject.next not in by_id:
        yield loc + ("next",), f"next names unknown inject '{inject.next}'{hint(inject.next, by_id)}", False
    if inject.kind == "order":
        if inject.key is None:
            yield loc + ("kind",), (
                f"order inject '{inject.id}' needs a key: its option ids in the documented order"
            ), False
        elif sorted(inject.key) != sorted(option_ids):
            yield loc + ("key",), (
                f"key must list every option id of '{inject.id}' exactly once: {', '.join(option_ids)}"
            ), False
    elif inject.key is not None:
        yield loc + ("key",), f"key is only for order injects; '{inject.id}' is {inject.kind}", True
    if inject.kind != "single" and len(option_ids) < 2:
        yield loc + ("options",), f"a {inject.kind} inject needs at least two options", False
    for j, option in enumerate(inject.options):
        oloc = loc + ("options", j)
        if option.next is not None:
            if inject.kind != "single":
                yield oloc + ("next",), f"only single-choice options can branch; '{inject.id}' is {inject.kind}", True
            elif option.next not in by_id:
                yield oloc + ("next",), f"next names unknown inject '{option.next}'{hint(option.next, by_id)}", False
        if inject.kind == "free" and not option.keywords:
            yield oloc, f"option '{option.id}' of free inject '{inject.id}' needs keywords to score answers", False
        if inject.kind != "free" and option.keywords:
            yield oloc + ("keywords",), f"keywords are only for free injects; '{inject.id}' is {inject.kind}", True
        if inject.kind in ("multi", "free") and option.harms and (option.steps or option.notifies):
            # Picked beside others, such an option would earn points for a harm.
            yield oloc + ("harms",), (
                f"in a {inject.kind} inject an option with a harm must not also perform steps or reach contacts"
            ), True
        if key is not None:
            yield from _check_key(oloc, option.steps, option.notifies, option.harms, key)


def _check_key(loc: tuple, steps, notifies, harms, key: Key) -> Iterator[Finding]:
    pid = key.playbook.id
    for k, step in enumerate(steps):
        if step not in key.steps:
            yield loc + ("steps", k), f"unknown step '{step}' in playbook '{pid}'{hint(step, key.steps)}", False
        elif step not in key.applicable_steps:
            yield loc + ("steps", k), (
                f"step '{step}' applies only when {describe(key.steps[step].when)}, "
                "which this scenario's facts rule out"
            ), False
    for k, contact in enumerate(notifies):
        if contact not in key.contacts:
            yield loc + ("notifies", k), (
                f"unknown contact '{contact}' in playbook '{pid}'{hint(contact, key.contacts)}"
            ), False
    for k, harm in enumerate(harms):
        if harm not in key.harms:
            yield loc + ("harms", k), f"unknown harm '{harm}' in playbook '{pid}'{hint(harm, key.harms)}", False


def _texts(scenario: Scenario) -> Iterator[tuple[tuple, str]]:
    yield ("title",), scenario.title
    yield ("summary",), scenario.summary
    for k, objective in enumerate(scenario.objectives):
        yield ("objectives", k), objective
    for i, inject in enumerate(scenario.injects):
        for field in _TEXT_FIELDS:
            if (text := getattr(inject, field)) is not None:
                yield ("injects", i, field), text
        for a, artifact in enumerate(inject.artifacts):
            yield ("injects", i, "artifacts", a, "title"), artifact.title
            yield ("injects", i, "artifacts", a, "content"), artifact.content
        for j, option in enumerate(inject.options):
            for field in ("text", "notes", "debrief"):
                if (text := getattr(option, field)) is not None:
                    yield ("injects", i, "options", j, field), text


def _check_placeholders(scenario: Scenario) -> Iterator[Finding]:
    for loc, text in _texts(scenario):
        if "{{" not in text:
            continue
        for match in PLACEHOLDER.finditer(text):
            name = match.group(1)
            if name not in PLACEHOLDERS:
                yield loc, f"unknown placeholder '{{{{{name}}}}}'{hint(name, PLACEHOLDERS)}", match.start()


def _edges(inject: Inject, i: int) -> list[tuple[str | None, tuple]]:
    """Where each choice leads (None = the drill ends), with the field that says so."""
    edges = []
    for j, option in enumerate(inject.options):
        if option.next is not None:
            edges.append((option.next, ("injects", i, "options", j, "next")))
        else:
            edges.append((inject.next, ("injects", i, "next") if inject.next else ("injects", i, "id")))
    return edges


def _check_graph(scenario: Scenario, by_id: dict[str, Inject], key: Key) -> Iterator[Finding]:
    index = {inject.id: i for i, inject in enumerate(scenario.injects)}
    succ = {
        inject.id: [(t, loc) for t, loc in _edges(inject, index[inject.id]) if t is None or t in by_id]
        for inject in scenario.injects
    }
    # Depth-first from start: unreachable injects and the edge that closes a cycle.
    state: dict[str, int] = {}
    cycles: list[Finding] = []
    stack = [(scenario.start, iter(succ[scenario.start]))]
    state[scenario.start] = 1
    while stack:
        node, edges = stack[-1]
        for target, loc in edges:
            if target is None:
                continue
            if state.get(target) == 1:
                cycles.append((loc, f"'{node}' leads back to '{target}': drills must not loop", False))
            elif target not in state:
                state[target] = 1
                stack.append((target, iter(succ[target])))
                break
        else:
            state[node] = 2
            stack.pop()
    for inject in scenario.injects:
        if inject.id not in state:
            yield ("injects", index[inject.id], "id"), (
                f"inject '{inject.id}' is never reached from start '{scenario.start}'"
            ), False
    yield from cycles
    if cycles:
        return
    for inject in scenario.injects:
        for target, _loc in succ[inject.id]:
            if target is not None and by_id[target].at < inject.at:
                yield ("injects", index[target], "at"), (
                    f"inject '{target}' is at {by_id[target].at} min but follows '{inject.id}' at {inject.at} min"
                ), False
    if key is not None:
        yield from _check_escalations_offered(scenario, by_id, succ, key)


def _every_path_offers(node: str, contact: str, by_id, succ, memo: dict[str, bool]) -> bool:
    if node not in memo:
        # An order inject offers no contact: it scores its order alone (docs/scoring.md).
        inject = by_id[node]
        memo[node] = (inject.kind != "order" and any(contact in option.notifies for option in inject.options)) or all(
            t is not None and _every_path_offers(t, contact, by_id, succ, memo) for t, _ in succ[node])
    return memo[node]


def _check_escalations_offered(scenario, by_id, succ, key: Key) -> Iterator[Finding]:
    """Every path must give the team a chance to reach each contact the facts require."""
    for contact in key.required_contacts:
        memo: dict[str, bool] = {}  # a plain dict, not a cached closure: no cycle keeps the injects alive

        def every_path_offers(node: str, contact: str = contact, memo: dict = memo) -> bool:
            return _every_path_offers(node, contact, by_id, succ, memo)

        if every_path_offers(scenario.start):
            continue
        path, node = [], scenario.start
        while node is not None:
            path.append(node)
            node = next((t for t, _ in succ[node] if t is None or not every_path_offers(t)), None)
        reason = describe(key.contacts[contact].when)
        yield ("facts",), (
            f"the facts require reaching '{contact}' ({reason}) but the path "
            f"{' -> '.join(path)} never offers it"
        ), True


def _citations(playbook: Playbook) -> Iterator[tuple[tuple, str]]:
    """Every citation's place and the document it names: each entry's, and the penalties'."""
    for attr in ("contacts", "steps", "harms", "escalations", "order"):
        for i, entry in enumerate(getattr(playbook, attr)):
            yield (attr, i, "source", "doc"), entry.source.doc
    if playbook.penalties is not None:
        yield ("penalties", "source", "doc"), playbook.penalties.source.doc


def check_layer_ids(playbook: Playbook) -> Iterator[Finding]:
    """Ids used twice in one layer's file: the merge would keep the last in silence (a layer
    replaces a base layer's entry on purpose; within one file it is a slip)."""
    for attr, key in (("documents", "id"), ("contacts", "id"), ("steps", "id"), ("harms", "id"),
                      ("escalations", "contact")):
        first: dict[str, int] = {}
        for i, entry in enumerate(getattr(playbook, attr)):
            name = getattr(entry, key)
            if name in first:
                yield (attr, i, key), (
                    f"duplicate {attr[:-1]} {key} '{name}' (first used by {attr}[{first[name]}])"
                ), False
            first.setdefault(name, i)


def check_playbook(playbook: Playbook, key: Key) -> Iterator[Finding]:
    """References inside a merged playbook; paths point into the top layer's file."""
    docs = key.documents
    for loc, doc in _citations(playbook):
        if doc not in docs:
            yield loc, (
                f"unknown document '{doc}'{hint(doc, docs)} (documents here and in the layers extended: "
                f"{', '.join(docs) or 'none'})"
            ), False
    for attr in ("contacts", "steps", "harms"):
        for i, entry in enumerate(getattr(playbook, attr)):
            for field in ("when", "permitted"):
                for k, cond in enumerate(getattr(entry, field, None) or []):
                    if cond not in CONDITIONS:
                        yield (attr, i, field, k), f"unknown condition '{cond}'{hint(cond, CONDITIONS)}", False
    for i, harm in enumerate(playbook.harms):
        for k, step in enumerate(harm.breaks):
            if step not in key.steps:
                yield ("harms", i, "breaks", k), f"unknown step '{step}'{hint(step, key.steps)}", False
    for i, esc in enumerate(playbook.escalations):
        contact = key.contacts.get(esc.contact)
        if contact is None:
            yield ("escalations", i, "contact"), (
                f"unknown contact '{esc.contact}'{hint(esc.contact, key.contacts)}"), False
        elif contact.when is None:
            yield ("escalations", i, "contact"), f"contact '{esc.contact}' has no 'when' but is escalated to", False
        for k, after in enumerate(esc.after):
            if after not in key.contacts:
                yield ("escalations", i, "after", k), f"unknown contact '{after}'{hint(after, key.contacts)}", False
    for i, order in enumerate(playbook.order):
        for field in ("first", "then"):
            action = getattr(order, field)
            if not key.action_known(action):
                yield ("order", i, field), f"unknown action '{action}' (a step id or {NOTIFY}<contact>)", False
