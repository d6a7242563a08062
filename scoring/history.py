"""Drills across time: each team's result, filters, trends and the steps most often missed.

Reading 100,000 drills must be quick, so each team's scorecard is summarised into the store
when it is scored (with the outcome of each step and contact its path asked, and its rows as
`results export` writes them), and reused while no newer event exists and the scorer is the
same version. A summary is only ever a cache:
`rebuild()` makes it again from the events. The store owns the schema and every query
(scoring.store.summary_reads: each an index range it can stop early in, so Review opens as
quickly on 100,000 drills as on 100); this module asks for rows by name and makes them into
results, trends and counts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from scenarios.content_cache import ContentCache
from scenarios.events import DrillStarted, Event
from scenarios.model import Playbook, Scenario
from scenarios.playbook import Key
from scenarios.scenario_index import snapshot_scenario

from .plan import plan_for
from .score import score
from .scorecard import Scorecard
from .store import NO_FILTERS, DrillRow, Filters, Store, StoreError  # callers build history.Filters

# Bump when scoring rules change: every cached summary is then rebuilt from its events.
# 3: every asked step's and contact's outcome is kept (done too), Most missed's denominator.
SCORER_VERSION = "3"  # 2: order injects score order only, discussion injects unscored, permitted contacts
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


def load(store: Store, ref: str) -> ScoredDrill:
    """A drill scored against its own snapshots of the scenario and playbook (its row and
    events read once; the snapshots validated once per distinct content, see `drill_key`)."""
    row, events = store.drill_events(ref)
    scenario = snapshot_scenario(events[0])
    key = drill_key(row.id, events[0], scenario)
    return ScoredDrill(row, scenario, key, events, score(scenario, key, events))


# Keys from playbook snapshots, by content (the snapshot's JSON and the scenario's facts): ten
# thousand stored drills of six scenarios validate six playbooks, and share six keys (with their
# cached properties) and so six scorer plans.
_KEYS = ContentCache()


def drill_key(drill_id: str, started: DrillStarted, scenario: Scenario) -> Key:
    """The key from the drill's own playbook snapshot, so later playbook edits change nothing;
    drills recorded without one are scored against today's playbook."""
    if started.playbook is not None:
        playbook, facts = started.playbook, scenario.facts
        return _KEYS.get((playbook.get("id"), started.scenario_hash), (playbook, facts),
                         lambda: Key(Playbook.model_validate(playbook), facts))
    from scenarios.loader import load_playbook

    try:
        return Key(load_playbook(scenario.jurisdiction), scenario.facts)
    except LookupError as exc:
        raise StoreError(f"drill '{drill_id}': {exc}") from None


def summarize(card: Scorecard, key: Key, scenario: Scenario) -> tuple[dict, list[tuple]]:
    """What Review needs of a scorecard, small enough to keep for every team and drill:
    (summary, outcomes as (dimension, subject, how, label, source)).

    There is an outcome for every step and required contact the team's path asked, how it went
    ("missed", "late" or "done"), and for nothing else: a step of a branch not taken or of an
    inject the path never reached has none, so Most missed counts a step's misses against the
    drills where it came up (schema.py's `misses` table keeps them all)."""
    asked = plan_for(scenario, key).path_plan(card.path, card.timed)
    effects: dict[tuple[str, str], set[str]] = {}
    sources: dict[tuple[str, str], str | None] = {}
    for f in card.findings:
        if f.dimension in MISSED_DIMENSIONS and f.subject is not None:
            effects.setdefault((f.dimension, f.subject), set()).add(f.effect)
            sources.setdefault((f.dimension, f.subject), f.source)
    outcomes = []
    for dimension, subjects in (("steps", asked.steps), ("escalation", asked.contacts)):
        for subject in subjects:
            got = effects.get((dimension, subject), set())
            # A contact reached after its first opportunity has a gain and a miss: late.
            how = "done" if "missed" not in got else "late" if dimension == "escalation" and "gained" in got \
                else "missed"
            label = key.steps[subject].title if subject in key.steps else (
                key.contacts[subject].name if subject in key.contacts else subject)
            outcomes.append((dimension, subject, how, label, sources.get((dimension, subject))))
    summary = {"dimensions": card.dimensions, "ratings": {cap: r.rating for cap, r in card.ratings.items()}}
    return summary, outcomes


def rows_of(cards: dict[str, Scorecard], key: Key, scenario: Scenario) -> dict[str, tuple[float, str, list]]:
    """What the store caches of each team's scorecard: {team: (overall, summary JSON, outcomes)}."""
    rows = {}
    for team, card in cards.items():
        summary, outcomes = summarize(card, key, scenario)
        rows[team] = (card.overall, json.dumps(summary), outcomes)
    return rows


def summary_rows(drill_id: str, events: list[Event]) -> dict[str, tuple[float, str, list]]:
    """The summary rows of a drill from its events alone."""
    scenario = snapshot_scenario(events[0])
    key = drill_key(drill_id, events[0], scenario)
    return rows_of(score(scenario, key, events), key, scenario)


def cache_rows(drill_id: str, created: str, scenario: Scenario, key: Key,
               cards: dict[str, Scorecard]) -> dict[str, tuple[float, str, list, dict[str, bytes]]]:
    """Everything the store caches of each team's scorecard: {team: (overall, summary JSON,
    misses, {format: its export rows, packed})}, in the scorecards' order."""
    from .report.tabular import packed, team_texts

    texts = team_texts(drill_id, created, scenario, key, cards)
    return {team: (*row, packed(texts[team])) for team, row in rows_of(cards, key, scenario).items()}


def final_rows(drill_id: str, created: str, events: list[Event]) -> tuple[dict[str, tuple], str]:
    """(cache_rows, export layout) of a drill from its events alone (the store calls this in the
    transaction of each event of an ended drill: the end, a correction, a rename, an archive)."""
    from .report.tabular import LAYOUT

    scenario = snapshot_scenario(events[0])
    key = drill_key(drill_id, events[0], scenario)
    return cache_rows(drill_id, created, scenario, key, score(scenario, key, events)), LAYOUT


def _saved(drill: ScoredDrill) -> tuple[int, str, dict[str, tuple], str]:
    """What `Store.save_summaries` takes for a loaded drill."""
    from .report.tabular import LAYOUT

    rows = cache_rows(drill.row.id, drill.row.created, drill.scenario, drill.key, drill.cards)
    return len(drill.events) - 1, SCORER_VERSION, rows, LAYOUT


def refresh(store: Store, drill: ScoredDrill) -> None:
    """Cache the drill's summaries; a read-only store just goes without the cache (a store
    opened read-only is not even asked: a reading command never writes, nor waits to)."""
    if store.read_only:
        return
    try:
        store.save_summaries({drill.row.id: _saved(drill)})
    except StoreError:
        pass


def stale(store: Store) -> list[str]:
    """Drills whose summaries are missing, behind their events or from another scorer version,
    newest first (the ones Review lists first are rebuilt first)."""
    return store.stale_drill_ids(SCORER_VERSION)


def unexported(store: Store) -> list[str]:
    """Drills whose summaries are fresh but whose export rows are missing or of another layout
    (a store from before they were cached, or a new export layout), newest first."""
    from .report.tabular import LAYOUT

    return store.unexported_drill_ids(LAYOUT, SCORER_VERSION)


REBUILD_BATCH = 200  # drills rescored per transaction: other writers wait for one batch at most


def rebuild(store: Store, drill_ids: list[str], batch: int = REBUILD_BATCH,
            progress: Callable[[int, int], bool | None] | None = None) -> int:
    """Rescore these drills from their events and save their summaries, `batch` drills per
    transaction; `progress(done, total)` after each, which stops the rebuild by returning
    False (a screen that was closed). A drill that cannot be scored is left stale. Returns how
    many were saved. A store opened read-only keeps every cache as it is: nothing is rescored
    here for it (what its caller reads scores stale drills itself: `export_teams`)."""
    if store.read_only:
        return 0
    saved = 0
    for start in range(0, len(drill_ids), batch):
        chunk = {}
        for drill_id in drill_ids[start:start + batch]:
            try:
                drill = load(store, drill_id)
            except StoreError:
                continue  # deleted meanwhile, or its playbook is gone: it stays as it is
            chunk[drill_id] = _saved(drill)
        try:
            store.save_summaries(chunk)
        except StoreError:
            return saved  # a read-only store goes without the cache
        saved += len(chunk)
        if progress is not None and progress(min(start + batch, len(drill_ids)), len(drill_ids)) is False:
            break
    return saved


def refresh_stale(store: Store) -> int:
    """Rebuild every stale summary and every missing export row now (exports, which must be
    exact); returns how many drills were saved."""
    return rebuild(store, stale(store) + unexported(store))


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")  # SQLite's lower()


def _result(row: tuple, store: Store) -> TeamResult:
    """A team result from the store's result row (its summary as JSON text, last)."""
    *head, raw = row
    try:
        summary = json.loads(raw)
        return TeamResult(*head, summary["dimensions"], summary["ratings"])
    except (TypeError, ValueError, LookupError):  # a cell read whole that holds no summary
        raise StoreError(f"{store.path}: drill '{head[0]}' has an unreadable summary (team '{head[7]}')") from None


def results(store: Store, filters: Filters = NO_FILTERS, limit: int | None = None) -> list[TeamResult]:
    """Team results, newest drill first (call refresh_stale first for up-to-date scores)."""
    return [_result(r, store) for r in store.team_results(filters, limit)]


def team_drills(store: Store, filters: Filters = NO_FILTERS) -> dict[str, set[str]]:
    """{drill id: its teams that match}, oldest drill first, as a spreadsheet reads."""
    out: dict[str, set[str]] = {}
    for drill_id, team in store.result_teams(filters):
        out.setdefault(drill_id, set()).add(team)
    return out


def export_teams(store: Store, filters: Filters, fmt: str) -> Iterator[tuple[str, str, bytes | None]]:
    """(drill id, team, its cached export rows in `fmt`, or None where the cache is stale) for
    every team result matching the filters, oldest drill first and each drill's teams in their
    scorecards' order, as a spreadsheet reads: streamed, never held whole.

    A store opened read-only rebuilds no stale summary first (refresh_stale leaves it alone), so
    its stale drills are scored here as they come, and their rows are the ones a rebuild would
    have cached: the same export, nothing written."""
    from .report.tabular import LAYOUT

    if not store.read_only or not store.stale_drill_ids(SCORER_VERSION):
        return store.export_rows(filters, fmt, SCORER_VERSION, LAYOUT)
    return _scoring_stale(store, filters, fmt, LAYOUT)


def _scoring_stale(store: Store, filters: Filters, fmt: str, layout: str
                   ) -> Iterator[tuple[str, str, bytes | None]]:
    for drill_id, team, rows, fresh, results in store.export_rows_or_stale(filters, fmt, SCORER_VERSION, layout):
        if fresh:
            if team is not None:
                yield drill_id, team, rows
            continue
        try:
            drill = load(store, drill_id)
        except StoreError:
            if results:  # as after a rebuild that could not score it: its stale rows stop the export
                raise
            continue  # never scored, and it cannot be: a rebuild would have left it out too
        made = cache_rows(drill.row.id, drill.row.created, drill.scenario, drill.key, drill.cards)
        for name, row in made.items():
            if filters.team is None or name == filters.team:
                yield drill_id, name, row[3][fmt]


def count(store: Store, filters: Filters = NO_FILTERS) -> tuple[int, int]:
    """(drills, team results) matching the filters."""
    return store.counts(filters)


# Distinct values found one index seek each (a loose scan) up to this many; past it one plain
# DISTINCT, which reads every entry once, is cheaper: a store of as many teams as drills. And
# past this many teams, trends and compare read every result in one query, not team by team.
LOOSE_LIMIT = 500


def _teams(store: Store) -> list[str]:
    """The teams of drills not archived."""
    return store.team_names(LOOSE_LIMIT)


def choices(store: Store) -> dict[str, list[tuple[str, str]]]:
    """The values each filter can take: (value, label)."""
    return {
        "scenario": store.scenario_choices(LOOSE_LIMIT),
        "violation": [(v, v) for v in store.violation_choices(LOOSE_LIMIT)],
        "jurisdiction": [(j, j) for j in store.jurisdiction_choices(LOOSE_LIMIT)],
        "team": [(t, t) for t in sorted(_teams(store), key=lambda t: (t.translate(_ASCII_LOWER), t))],
    }


@dataclass(frozen=True)
class MissCount:
    miss: Miss
    count: int  # team-drills that missed it (or reached it late)
    of: int  # team-drills where it came up: their path asked it (its branch taken, its inject on it)


def most_missed(store: Store, filters: Filters = NO_FILTERS, limit: int = 10) -> list[MissCount]:
    """The documented steps and escalations missed most often, with their source, each counted
    against the team-drills where it came up: the same id in two cities' guides is two items
    (its label and source differ), and a step a branch never reached is no miss."""
    came_up: dict[tuple, int] = {}
    missed = []
    for dim, subject, label, how, source, n in store.outcome_counts(filters):
        came_up[(dim, subject, label, source)] = came_up.get((dim, subject, label, source), 0) + n
        if how != "done":
            missed.append((Miss(dim, subject, label, how, source), n))
    ranked = sorted(missed, key=lambda m: (-m[1], m[0].dimension, m[0].subject, m[0].how, m[0].label,
                                           m[0].source or ""))
    return [MissCount(miss, n, came_up[(miss.dimension, miss.subject, miss.label, miss.source)])
            for miss, n in ranked[:limit]]


def means(results: list[TeamResult]) -> tuple[float | None, dict[str, float]]:
    """(mean overall, {dimension: its mean}) of these results, None overall when there are none.
    A dimension is averaged over the results that scored it only: timeliness over timed drills
    (an untimed drill has no timeliness, which is not a 0)."""
    overall = round(sum(r.overall for r in results) / len(results), 1) if results else None
    dims = {}
    for name in dict.fromkeys(d for r in results for d in r.dimensions):
        scored = [r.dimensions[name] for r in results if name in r.dimensions]
        dims[name] = round(sum(scored) / len(scored), 1)
    return overall, dims


@dataclass
class Trend:
    team: str
    # (created, overall, scenario id, drill id): two drills started in one second are two points.
    points: list[tuple[str, float, str, str]] = field(default_factory=list)


def trends(store: Store, filters: Filters = NO_FILTERS, last: int | None = None) -> list[Trend]:
    """Each team's overall scores in time order, oldest first; only its `last` drills if given
    (then read team by team, `last` rows each)."""
    teams = None if last is None else _chosen_teams(store, filters)
    if teams is not None:
        out = []
        for team in teams:
            if rows := store.team_trend_rows(filters, team, last):
                out.append(Trend(team, [tuple(r) for r in reversed(rows)]))
        # Teams alike but for case in the order one query of every row would have met them.
        return sorted(out, key=lambda t: (t.team.casefold(), t.points[0][0], -len(t.points)))
    by_team: dict[str, Trend] = {}
    for team, *point in store.trend_rows(filters, last):
        by_team.setdefault(team, Trend(team)).points.append(tuple(point))
    return sorted(by_team.values(), key=lambda t: t.team.casefold())


def _chosen_teams(store: Store, filters: Filters) -> list[str] | None:
    """The teams to read one at a time: the filter's, else every team; None when there are so
    many that one query of every result costs less."""
    if filters.team is not None:
        return [filters.team]
    teams = _teams(store)
    return teams if len(teams) <= LOOSE_LIMIT else None


def compare(store: Store, filters: Filters, scenario_id: str) -> list[TeamResult]:
    """Each team's latest result on one scenario, best first (team by team: one row each)."""
    teams = _chosen_teams(store, filters)
    if teams is None:
        rows = store.latest_results(filters, scenario_id)
    else:
        rows = [r for team in teams for r in store.team_latest_result(filters, team, scenario_id)]
    return sorted((_result(r, store) for r in rows), key=lambda r: (-r.overall, r.team.casefold()))
