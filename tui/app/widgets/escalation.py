"""The escalation path as two trees side by side: who the team reached and when, and who the
guides say should have been reached (nested under the contacts they must come after).

Both are read from the judgments on the team's scorecard (scoring.scorecard.contact_judgments),
so the trees say what the score says: a contact reached after its first opportunity when the
guide says "immediately" is "late", never "not reached"; a contact the guide permits is never
"no cause"; and only the contacts the team's path asked for are expected of it. The key gives
only the guide's own layout (who comes after whom).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Tree

from .literal import rich

if TYPE_CHECKING:
    from ..session import Drill

REACHED_MARK = {
    "reached": ("✓", "green"),
    "late": ("✓ late", "yellow"),
    "permitted": ("✓ permitted", "green"),
    "needless": ("! no cause", "yellow"),
}


class EscalationTrees(Horizontal):
    def __init__(self, drill: Drill, card, **kwargs) -> None:
        super().__init__(**kwargs)
        self.drill, self.card = drill, card

    def compose(self) -> ComposeResult:
        from scoring.scorecard import contact_judgments

        key, card = self.drill.key, self.card
        judged = contact_judgments(card, key)
        place = {inject: n for n, inject in enumerate(card.path)}
        reached = sorted((c for c in judged if c.inject is not None), key=lambda c: place.get(c.inject, len(place)))

        done = Tree(rich("Reached, in order", "bold"), classes="escalation")
        node = done.root
        for c in reached:
            at = self.drill.inject(c.inject).at
            mark, style = REACHED_MARK[c.status]
            order = " (out of order)" if c.out_of_order else ""
            node = node.add(rich(f"+{at} min {c.name} {mark}{order}", style), expand=True)
        if not reached:
            done.root.add_leaf(rich("nobody", "italic"))

        should = Tree(rich("Should have reached", "bold"), classes="escalation")
        nodes = {}
        for c in (c for c in judged if c.required):
            esc = key.escalations.get(c.contact)
            parents = [a for a in (esc.after if esc else ()) if a in nodes]
            parent = nodes[parents[-1]] if parents else should.root
            urgency = c.urgency.replace("-", " ") if c.urgency else "no urgency set"
            if c.status == "not reached":
                label = rich(f"✗ {c.name} ({urgency}): not reached", "bold red")
            else:
                at = self.drill.inject(c.inject).at
                late = ", late" if c.status == "late" else ""
                label = rich(f"✓ {c.name} ({urgency}): +{at} min{late}", "yellow" if late else "green")
            nodes[c.contact] = parent.add(label, expand=True)
        if not nodes:
            should.root.add_leaf(rich("nobody: this path asked for no contact", "italic"))
        for tree in (done, should):
            tree.root.expand_all()
            yield tree
