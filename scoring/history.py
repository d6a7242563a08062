"""Drills across time: each team's result, filters, trends and the steps most often missed.

Reading 10,000 drills must be quick, so each team's scorecard is summarised into the store's
`summaries` table when it is scored, and reused while no newer event exists and the scorer is
the same version. A summary is only ever a cache: `scored()` rebuilds it from the events.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from scenarios.exercise import Event, snapshot_scenario
from scenarios.model import Playbook, Scenario
from scenarios.playbook import Key

from .score import score
from .scorecard import Scorecard
from .store import DrillRow, Store, StoreError

# Bump when scoring rules change: every cached summary is then rebuilt from its events.
SCORER_VERSION = "1"
MISSED_DIMENSIONS = ("steps", "escalation")


@dataclass
class ScoredDrill:
    """A stored drill with everything needed to explain its scores."""

    row: DrillRow
    scenario: Scenario
    key: Key
    events: list[Event]
    cards: dict[str, Scorecard]


@dataclass(frozen=True)
class Miss:
    """A documented step or escalation a team did not perform (or reached late)."""

    dimension: str  # "steps" | "escalation"
    subject: str  # the step or contact id
    label: str  # its title or name, from the drill's playbook
    how: str  # "missed" | "late"
    source: str | None


@dataclass(frozen=True)
class TeamResult:
    """One team in one drill, as the Review screen and exports list it."""

    drill_id: str
    created: str
    status: str
    scenario_id: str
    title: str
    violation: str
    jurisdiction: str
    team: str
    overall: float
    dimensions: dict[str, float]
    ratings: dict[str, str]
    misses: tuple[Miss, ...]


@dataclass(frozen=True)
class Filters:
    scenario: str | None = None
    violation: str | None = None
    jurisdiction: str | None = None
    team: str | None = None
    since: date | None = None
    until: date | None = None

    def keep(self, r: TeamResult) -> bool:
        day = date.fromisoformat(r.created[:10])
        return (
            (self.scenario is None or r.scenario_id == self.scenario)
            and (self.violation is None or r.violation == self.violation)
            and (self.jurisdiction is None or r.jurisdiction == self.jurisdiction)
            and (self.team is None or r.team == self.team)
            and (self.since is None or day >= self.since)
            and (self.until is None or day <= self.until)
        )


def load(store: Store, ref: str) -> ScoredDrill:
    """A drill scored against its own snapshots of the scenario and playbook."""
    row = store.drill(ref)
    events = store.events(row.id)
    started = events[0]
    scenario = snapshot_scenario(started)
    if started.playbook is not None:
        playbook = Playbook.model_validate(started.playbook)
    else:  # drills recorded without a playbook snapshot are scored against today's playbook
        from scenarios.loader import load_playbook

        try:
            playbook = load_playbook(scenario.jurisdiction)
        except LookupError as exc:
            raise StoreError(f"drill '{row.id}': {exc}") from None
    key = Key(playbook=playbook, facts=scenario.facts)
    return ScoredDrill(row, scenario, key, events, score(scenario, key, events))


def summarize(card: Scorecard, key: Key) -> dict:
    """What Review needs of a scorecard, small enough to keep for every team and drill."""
    gained = {f.subject for f in card.findings if f.effect == "gained" and f.dimension == "escalation"}
    misses = {}
    for f in card.findings:
        if f.effect != "missed" or f.dimension not in MISSED_DIMENSIONS or f.subject is None:
            continue
        how = "late" if f.dimension == "escalation" and f.subject in gained else "missed"
        label = key.steps[f.subject].title if f.subject in key.steps else (
            key.contacts[f.subject].name if f.subject in key.contacts else f.subject)
        misses[(f.dimension, f.subject)] = [f.dimension, f.subject, label, how, f.source]
    return {
        "dimensions": card.dimensions,
        "ratings": {cap: r.rating for cap, r in card.ratings.items()},
        "misses": list(misses.values()),
    }


def refresh(store: Store, drill: ScoredDrill) -> None:
    """Cache the drill's summaries; a read-only store just goes without the cache."""
    upto = len(drill.events) - 1
    rows = {team: (card.overall, json.dumps(summarize(card, drill.key))) for team, card in drill.cards.items()}
    try:
        store.save_summaries(drill.row.id, upto, SCORER_VERSION, rows)
    except StoreError:
        pass


def results(store: Store) -> list[TeamResult]:
    """Every team in every drill, newest drill first; stale summaries are rebuilt and cached."""
    out: list[TeamResult] = []
    for row, violation, jurisdiction, last, cached in store.overview():
        fresh = [c for c in cached if c[1] == last and c[2] == SCORER_VERSION]
        if len(fresh) != len(row.teams):
            drill = load(store, row.id)
            refresh(store, drill)
            fresh = [
                (team, last, SCORER_VERSION, card.overall, json.dumps(summarize(card, drill.key)))
                for team, card in drill.cards.items()
            ]
        by_team = {c[0]: c for c in fresh}
        for team in row.teams:
            _, _, _, overall, raw = by_team[team]
            summary = json.loads(raw)
            out.append(TeamResult(
                row.id, row.created, row.status, row.scenario_id, row.title, violation, jurisdiction, team,
                overall, summary["dimensions"], summary["ratings"], tuple(Miss(*m) for m in summary["misses"]),
            ))
    return out


@dataclass(frozen=True)
class MissCount:
    miss: Miss
    count: int  # team-drills that missed it
    of: int  # team-drills in the selection


def most_missed(selected: list[TeamResult], limit: int = 10) -> list[MissCount]:
    """The documented steps and escalations missed most often, with their source."""
    counts: Counter = Counter()
    example: dict[tuple, Miss] = {}
    for r in selected:
        for m in r.misses:
            k = (m.dimension, m.subject, m.how)
            counts[k] += 1
            example.setdefault(k, m)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [MissCount(example[k], n, len(selected)) for k, n in ranked[:limit]]


@dataclass
class Trend:
    team: str
    points: list[tuple[str, float, str]] = field(default_factory=list)  # (created, overall, scenario id)


def trends(selected: list[TeamResult]) -> list[Trend]:
    """Each team's overall scores in time order, oldest first."""
    by_team: dict[str, Trend] = {}
    for r in sorted(selected, key=lambda r: (r.created, r.drill_id)):
        by_team.setdefault(r.team, Trend(r.team)).points.append((r.created, r.overall, r.scenario_id))
    return sorted(by_team.values(), key=lambda t: t.team.casefold())


def compare(selected: list[TeamResult], scenario_id: str) -> list[TeamResult]:
    """Each team's latest result on one scenario, best first."""
    latest: dict[str, TeamResult] = {}
    for r in sorted(selected, key=lambda r: (r.created, r.drill_id)):
        if r.scenario_id == scenario_id:
            latest[r.team] = r
    return sorted(latest.values(), key=lambda r: (-r.overall, r.team.casefold()))
