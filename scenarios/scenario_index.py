"""The scenario indexed once for the fold and the scorer (options by id, free-answer rubrics,
branches), and an answer checked into its stored shape."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .content_cache import ContentCache, content_id
from .errors import ExerciseError
from .events import DrillStarted
from .model import Inject, Option, Scenario


@dataclass(frozen=True)
class InjectIndex:
    inject: Inject
    options: dict[str, Option]
    # Free injects: one compiled pattern per rubric option (case-insensitive, whole words).
    rubric: tuple[tuple[str, re.Pattern[str]], ...]
    branches: tuple[tuple[str, str], ...]  # (option id, its next) for the options that branch

    def check(self, answer: Any) -> list[str] | str:
        """`normalize_answer`, with a fast path for the well-formed answers a fold replays."""
        kind = self.inject.kind
        if kind == "free":
            if type(answer) is str and answer.strip() and len(answer) <= 20_000:
                return answer
        elif type(answer) is list:
            n = len(answer)
            if (
                (n == 1 if kind == "single" else n == len(self.options) if kind == "order" else True)
                and self.options.keys() >= set(answer)
                and len(set(answer)) == n
            ):
                return answer
        return normalize_answer(self.inject, answer)  # the slow path says what is wrong


def _keyword_pattern(keywords: list[str]) -> re.Pattern[str]:
    phrases = [r"\s+".join(re.escape(word) for word in kw.split()) for kw in keywords if kw.strip()]
    return re.compile(r"(?<!\w)(?:" + "|".join(phrases or ["(?!)"]) + r")(?!\w)", re.IGNORECASE)


class ScenarioIndex:
    """Lookups the fold and the scorer make on every event, computed once per scenario."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.injects: dict[str, InjectIndex] = {}
        for inject in scenario.injects:
            options = {option.id: option for option in inject.options}
            rubric = tuple(
                (option.id, _keyword_pattern(option.keywords)) for option in inject.options if option.keywords
            )
            branches = tuple((o.id, o.next) for o in inject.options if o.next is not None)
            self.injects[inject.id] = InjectIndex(inject, options, rubric, branches)

    def keyword_credit(self, inject_id: str, text: str) -> tuple[str, ...]:
        """Rubric options whose keywords appear in a free answer, in the file's order."""
        return tuple(oid for oid, pattern in self.injects[inject_id].rubric if pattern.search(text))

    def branch(self, inject_id: str, chosen: Iterable[str]) -> str | None:
        """Where a team goes after an inject: the first chosen option (file order) with a
        `next`, else the inject's `next` (docs/scoring.md, "The path")."""
        entry = self.injects[inject_id]
        if entry.branches:
            picked = set(chosen)
            for option_id, following in entry.branches:
                if option_id in picked:
                    return following
        return entry.inject.next


# Indexes by scenario content (a snapshot's content id), so every drill of one scenario shares one;
# a scenario that is no snapshot is known per object, by id(): safe because the index holds its
# scenario, so the id is not reused while it is cached (as the scorer's plans, `scoring/plan.py`).
INDEXES = ContentCache()
_SNAPSHOTS = ContentCache()


def index(scenario: Scenario) -> ScenarioIndex:
    """The scenario's index: scoring thousands of drills reuses it."""
    ident = content_id(scenario) or id(scenario)
    return INDEXES.get(ident, ident, lambda: ScenarioIndex(scenario))


def snapshot_scenario(started: DrillStarted) -> Scenario:
    """The drill's own copy of its scenario, validated once per distinct content (not per
    `scenario_hash`, which tests set to dummies shared by different scenarios)."""
    return _SNAPSHOTS.get(started.scenario_hash, started.scenario, lambda: Scenario.model_validate(started.scenario))




def normalize_answer(inject: Inject, answer: Any) -> list[str] | str:
    """The answer in its stored shape, or ExerciseError saying what the inject takes."""
    where = f"inject '{inject.id}'"
    ids = [option.id for option in inject.options]
    if inject.kind == "free":
        if not isinstance(answer, str):
            raise ExerciseError(f"{where} is a free-text question: answer with text, not {type(answer).__name__}")
        if not answer.strip():
            raise ExerciseError(f"{where}: the answer is empty")
        if len(answer) > 20_000:
            raise ExerciseError(f"{where}: the answer is longer than 20,000 characters")
        return answer
    if isinstance(answer, str):
        answer = [answer]
    if not isinstance(answer, (list, tuple)) or not all(isinstance(a, str) for a in answer):
        raise ExerciseError(f"{where} takes option ids, not {type(answer).__name__}")
    chosen = list(answer)
    for oid in chosen:
        if oid not in ids:
            raise ExerciseError(f"{where}: unknown option '{oid}' (options: {', '.join(ids)})")
    if len(set(chosen)) != len(chosen):
        dup = next(o for o in chosen if chosen.count(o) > 1)
        raise ExerciseError(f"{where}: option '{dup}' is given twice")
    if inject.kind == "single" and len(chosen) != 1:
        raise ExerciseError(f"{where} takes exactly one option id, got {len(chosen)}")
    if inject.kind == "order" and len(chosen) != len(ids):
        missing = [o for o in ids if o not in chosen]
        raise ExerciseError(f"{where} asks for an order of all its options; missing: {', '.join(missing)}")
    return chosen

