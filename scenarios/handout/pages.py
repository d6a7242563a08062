"""What each page of a handout holds: an inject as a drill with the seed shows it, numbered as
that drill numbers its options, beside the same inject in the file's order (for the key).

Pages come in the file's order, every inject once, whatever path a team takes: on paper the
facilitator hands out the page the team's answer leads to, which `Page.routes` says.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..guide import guide_answer, is_scored
from ..model import Inject, Scenario
from ..playbook import Key


@dataclass(frozen=True)
class Route:
    """Where a team goes after this inject: `numbers` are the options (as shown) that lead to
    `page`; no numbers is "any other answer"; page None is the end of the drill."""

    numbers: tuple[int, ...]
    page: int | None
    title: str | None


@dataclass(frozen=True)
class Page:
    number: int  # 1..total: the inject's page in the players' pack (the title page is unnumbered)
    total: int
    shown: Inject  # placeholders filled, options in the seed's order: what the players read
    filed: Inject  # the file's order: the guide answer's ties go to the first in the file

    @property
    def numbers(self) -> dict[str, int]:
        """Option id -> the number the drill shows it with (1..n, in the seed's order)."""
        return {option.id: n for n, option in enumerate(self.shown.options, start=1)}

    @property
    def scored(self) -> bool:
        return is_scored(self.filed)


@dataclass(frozen=True)
class Handout:
    scenario: Scenario  # as shown (rendered with the seed)
    filed: Scenario  # as in the file
    key: Key
    seed: int
    pages: list[Page]

    def page_of(self, inject_id: str | None) -> Page | None:
        return next((p for p in self.pages if p.shown.id == inject_id), None)

    def guide(self, page: Page) -> list[int]:
        """The guide's answer by the shown numbers (in the documented order for an order inject;
        ascending otherwise); [] for a discussion-only inject."""
        if not page.scored:
            return []
        numbers = page.numbers
        chosen = [numbers[oid] for oid in guide_answer(page.filed, self.key) if oid in numbers]
        return chosen if page.filed.kind == "order" else sorted(chosen)

    def routes(self, page: Page) -> list[Route]:
        """The way on from a page, as the drill takes it (scenario_index.branch): the chosen
        option's `next`, else the inject's own `next`."""
        numbers = page.numbers
        by_target: dict[str, list[int]] = {}
        for option in page.filed.options:  # only a single choice's options branch (scenarios.checks)
            if option.next is not None:
                by_target.setdefault(option.next, []).append(numbers[option.id])
        routes = [self._route(tuple(found), target) for target, found in by_target.items()]
        if page.filed.kind == "single" and all(option.next for option in page.filed.options):
            return routes  # every answer has its own way on: there is no "any other answer"
        return [*routes, self._route((), page.filed.next)]

    def _route(self, numbers: tuple[int, ...], target: str | None) -> Route:
        found = self.page_of(target)
        return Route(numbers, found.number if found else None, found.shown.title if found else None)

    def reached_from(self, page: Page) -> list[tuple[Page, Route]]:
        """The pages (and their routes) that lead to this one."""
        return [(p, r) for p in self.pages for r in self.routes(p) if r.page == page.number]


def handout(scenario: Scenario, key: Key, seed: int) -> Handout:
    """The scenario's pages as a drill with this seed shows them (scenarios.render)."""
    from ..render import render

    shown = render(scenario, seed)  # the inject order is the file's; only options move
    total = len(shown.injects)
    pages = [Page(n, total, s, f) for n, (s, f) in enumerate(zip(shown.injects, scenario.injects, strict=True), 1)]
    return Handout(shown, scenario, key, seed, pages)
