"""The escalation path as two trees side by side: who the team reached and when, and who the
guides say should have been reached (nested under the contacts they must come after)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Tree

from .literal import rich


def reached_contacts(drill, team: str) -> list[tuple[str, int, str]]:
    """(contact id, scenario minute, inject title) for each contact the team reached, in order."""
    t = drill.state.teams[team]
    seen: list[tuple[str, int, str]] = []
    for inject_id in t.path:
        answer = t.answers.get(inject_id)
        if answer is None:
            continue
        inject = drill.inject(inject_id)
        options = {o.id: o for o in inject.options}
        for oid in answer.credited:
            for contact in options[oid].notifies:
                if contact not in [c for c, _, _ in seen]:
                    seen.append((contact, inject.at, inject.title))
    return seen


class EscalationTrees(Horizontal):
    def __init__(self, drill, team: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.drill, self.team = drill, team

    def compose(self) -> ComposeResult:
        key = self.drill.key
        reached = reached_contacts(self.drill, self.team)
        when = {c: at for c, at, _ in reached}

        done = Tree(rich("Reached, in order", "bold"), classes="escalation")
        node = done.root
        for contact, at, _title in reached:
            name = key.contacts[contact].name if contact in key.contacts else contact
            mark = "✓" if contact in key.required_contacts else "! no cause"
            node = node.add(rich(f"+{at} min {name} {mark}", "green" if mark == "✓" else "yellow"), expand=True)
        if not reached:
            done.root.add_leaf(rich("nobody", "italic"))

        should = Tree(rich("Should have reached", "bold"), classes="escalation")
        nodes = {}
        required = list(key.required_contacts)
        for contact in required:
            esc = key.escalations[contact]
            parents = [a for a in esc.after if a in nodes]
            parent = nodes[parents[-1]] if parents else should.root
            name = key.contacts[contact].name
            urgency = esc.urgency.replace("-", " ")
            if contact in when:
                label = rich(f"✓ {name} ({urgency}): +{when[contact]} min", "green")
            else:
                label = rich(f"✗ {name} ({urgency}): not reached", "bold red")
            nodes[contact] = parent.add(label, expand=True)
        for tree in (done, should):
            tree.root.expand_all()
            yield tree
