"""The escalation path as two trees side by side: who the team reached and when, and who the
guides say should have been reached (nested under the contacts they must come after).

Both are read from the team's scorecard (scoring.scorecard.escalation_rows), so the trees say
what the score says: a contact reached after its first opportunity is "late", never "not
reached"; a contact the guide permits is never "no cause"; and only the contacts the team's
path asked for are expected of it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Tree

from .literal import rich

REACHED_MARK = {
    "reached": ("✓", "green"),
    "late": ("✓ late", "yellow"),
    "permitted": ("✓ permitted", "green"),
    "needless": ("! no cause", "yellow"),
}


class EscalationTrees(Horizontal):
    def __init__(self, drill, card, **kwargs) -> None:
        super().__init__(**kwargs)
        self.drill, self.card = drill, card

    def compose(self) -> ComposeResult:
        from scoring.scorecard import escalation_rows

        key, card = self.drill.key, self.card
        rows = escalation_rows(card, key)
        place = {inject: n for n, inject in enumerate(card.path)}
        reached = sorted((r for r in rows if r["inject"] is not None), key=lambda r: place.get(r["inject"], len(place)))

        done = Tree(rich("Reached, in order", "bold"), classes="escalation")
        node = done.root
        for row in reached:
            at = self.drill.inject(row["inject"]).at
            mark, style = REACHED_MARK[row["status"]]
            order = " (out of order)" if row["out_of_order"] else ""
            node = node.add(rich(f"+{at} min {row['name']} {mark}{order}", style), expand=True)
        if not reached:
            done.root.add_leaf(rich("nobody", "italic"))

        should = Tree(rich("Should have reached", "bold"), classes="escalation")
        nodes = {}
        for row in (r for r in rows if r["required"]):
            esc = key.escalations[row["contact"]]
            parents = [a for a in esc.after if a in nodes]
            parent = nodes[parents[-1]] if parents else should.root
            urgency = esc.urgency.replace("-", " ")
            if row["status"] == "not reached":
                label = rich(f"✗ {row['name']} ({urgency}): not reached", "bold red")
            else:
                at = self.drill.inject(row["inject"]).at
                late = ", late" if row["status"] == "late" else ""
                label = rich(f"✓ {row['name']} ({urgency}): +{at} min{late}", "yellow" if late else "green")
            nodes[row["contact"]] = parent.add(label, expand=True)
        if not nodes:
            should.root.add_leaf(rich("nobody: this path asked for no contact", "italic"))
        for tree in (done, should):
            tree.root.expand_all()
            yield tree
