"""The escalation path as two trees: who the team reached and when, numbered in the order it
reached them, and who the guides say should have been reached (nested under the contacts they
must come after). Side by side when every line fits its half or the halves are wide enough to
read a wrapped line in, else one above the other; either way whole: as tall as their lines (the
team's page scrolls them), and a line longer than the tree is wide wraps under its own guides (a
contact's name and its urgency can run past 80 columns), which a tree widget would cut.

Both are read from the judgments on the team's scorecard (scoring.scorecard.contact_judgments),
so the trees say what the score says: a contact reached after its first opportunity when the
guide says "immediately" is "late", never "not reached"; a contact the guide permits is never
"no cause"; and only the contacts the team's path asked for are expected of it. The key gives
only the guide's own layout (who comes after whom).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from rich.tree import Tree
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import Resize
from textual.widgets import Static

from .literal import rich

if TYPE_CHECKING:
    from ..session import Drill

REACHED_MARK = {
    "reached": ("✓", "green"),
    "late": ("✓ late", "yellow"),
    "permitted": ("✓ permitted", "green"),
    "needless": ("! no cause", "yellow"),
}
GUIDE = 4  # the cells a level of nesting takes (Rich's tree guides)
FRAME = 4  # a tree's border and padding
READABLE = 50  # a half this wide reads well even where a long line wraps in it


class EscalationTree(Static):
    """One tree, drawn as Rich draws trees (wrapping). `lines` holds each node's label and
    depth, root first, in the order they are drawn."""

    def __init__(self, heading: Text, **kwargs) -> None:
        self.drawing = Tree(heading)
        self.nodes = {id(self.drawing): 0}
        self.lines: list[tuple[int, str]] = [(0, heading.plain)]
        super().__init__(self.drawing, **kwargs)

    def add(self, label: Text, under: Tree | None = None) -> Tree:
        parent = under or self.drawing
        node = parent.add(label)
        depth = self.nodes[id(parent)] + 1
        self.nodes[id(node)] = depth
        self.lines.append((depth, label.plain))
        return node

    def labels(self) -> list[str]:
        """Every label below the heading, as shown (a screen's test reads the trees so)."""
        return [label for _, label in self.lines[1:]]

    def widest(self) -> int:
        return max(depth * GUIDE + len(label) for depth, label in self.lines)


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

        done = EscalationTree(rich("Reached, in order", "bold"), classes="escalation")
        for number, c in enumerate(reached, start=1):
            at = self.drill.inject(c.inject).at
            mark, style = REACHED_MARK[c.status]
            order = " (out of order)" if c.out_of_order else ""
            done.add(rich(f"{number}. +{at} min {c.name} {mark}{order}", style))
        if not reached:
            done.add(rich("nobody", "italic"))

        should = EscalationTree(rich("Should have reached", "bold"), classes="escalation")
        nodes = {}
        for c in (c for c in judged if c.required):
            esc = key.escalations.get(c.contact)
            parents = [a for a in (esc.after if esc else ()) if a in nodes]
            urgency = c.urgency.replace("-", " ") if c.urgency else "no urgency set"
            if c.status == "not reached":
                label = rich(f"✗ {c.name} ({urgency}): not reached", "bold red")
            else:
                at = self.drill.inject(c.inject).at
                late = ", late" if c.status == "late" else ""
                label = rich(f"✓ {c.name} ({urgency}): +{at} min{late}", "yellow" if late else "green")
            nodes[c.contact] = should.add(label, nodes[parents[-1]] if parents else None)
        if not nodes:
            should.add(rich("nobody: this path asked for no contact", "italic"))
        yield done
        yield should

    def on_resize(self, event: Resize) -> None:
        # Side by side if each tree's widest line fits its half, or the halves are wide enough
        # to read a wrapped line in; else one above the other.
        trees = list(self.query(EscalationTree))
        half = event.size.width // max(1, len(trees)) - 1
        self.set_class(half < READABLE and any(tree.widest() + FRAME > half for tree in trees), "-stacked")
