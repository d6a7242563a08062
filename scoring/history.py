"""Drills across time: each team's result, filters, trends and the steps most often missed.

Reading 10,000 drills must be quick, so each team's scorecard is summarised into the store's
`summaries` table when it is scored, and reused while no newer event exists and the scorer is
the same version. A summary is only ever a cache: `scored()` rebuilds it from the events.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from scenarios.content_cache import ContentCache
from scenarios.exercise import DrillStarted, Event, snapshot_scenario
from scenarios.model import Playbook, Scenario
from scenarios.playbook import Key

from .score import score
from .scorecard import Scorecard
from .store import DrillRow, Store, StoreError

# Bump when scoring rules change: every cached summary is then rebuilt from its events.
SCORER_VERSION = "2"  # 2: order injects score order only, discussion injects unscored, permitted contacts
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


@dataclass(frozen=True)
class Filters:
    scenario: str | None = None
    violation: str | None = None
    jurisdiction: str | None = None
    team: str | None = None
    since: date | None = None
    until: date | None = None

    def where(self, team: str = "s.team") -> tuple[str, tuple]:
        """The SQL condition on drills `d` and the team column given, with its parameters.
        Archived drills (test runs) are never counted."""
        terms, params = ["d.archived = 0"], []
        for column, value in (("d.scenario_id", self.scenario), ("d.violation", self.violation),
                              ("d.jurisdiction", self.jurisdiction), (team, self.team)):
            if value is not None:
                terms.append(f"{column} = ?")
                params.append(value)
        if self.since is not None:
            terms.append("substr(d.created, 1, 10) >= ?")
            params.append(self.since.isoformat())
        if self.until is not None:
            terms.append("substr(d.created, 1, 10) <= ?")
            params.append(self.until.isoformat())
        return " AND ".join(terms), tuple(params)


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


def summarize(card: Scorecard, key: Key) -> tuple[dict, list[tuple]]:
    """What Review needs of a scorecard, small enough to keep for every team and drill:
    (summary, misses as (dimension, subject, how, label, source))."""
    gained = {f.subject for f in card.findings if f.effect == "gained" and f.dimension == "escalation"}
    misses: dict[tuple, tuple] = {}
    for f in card.findings:
        if f.effect != "missed" or f.dimension not in MISSED_DIMENSIONS or f.subject is None:
            continue
        how = "late" if f.dimension == "escalation" and f.subject in gained else "missed"
        label = key.steps[f.subject].title if f.subject in key.steps else (
            key.contacts[f.subject].name if f.subject in key.contacts else f.subject)
        misses[(f.dimension, f.subject)] = (f.dimension, f.subject, how, label, f.source)
    summary = {"dimensions": card.dimensions, "ratings": {cap: r.rating for cap, r in card.ratings.items()}}
    return summary, list(misses.values())


def rows_of(cards: dict[str, Scorecard], key: Key) -> dict[str, tuple[float, str, list]]:
    """What the store caches of each team's scorecard: {team: (overall, summary JSON, misses)}."""
    rows = {}
    for team, card in cards.items():
        summary, misses = summarize(card, key)
        rows[team] = (card.overall, json.dumps(summary), misses)
    return rows


def summary_rows(drill_id: str, events: list[Event]) -> dict[str, tuple[float, str, list]]:
    """The cache rows of a drill from its events alone (the store calls this when it ends)."""
    scenario = snapshot_scenario(events[0])
    key = drill_key(drill_id, events[0], scenario)
    return rows_of(score(scenario, key, events), key)


def refresh(store: Store, drill: ScoredDrill) -> None:
    """Cache the drill's summaries; a read-only store just goes without the cache."""
    try:
        store.save_summaries({drill.row.id: (len(drill.events) - 1, SCORER_VERSION, rows_of(drill.cards, drill.key))})
    except StoreError:
        pass


def stale(store: Store) -> list[str]:
    """Drills whose summaries are missing, behind their events or from another scorer version,
    newest first (the ones Review lists first are rebuilt first)."""
    return [r[0] for r in store.query(
        "SELECT id FROM drills WHERE scored_upto != events - 1 OR scored_by != ? ORDER BY created DESC, rowid DESC",
        (SCORER_VERSION,))]


REBUILD_BATCH = 200  # drills rescored per transaction: other writers wait for one batch at most


def rebuild(store: Store, drill_ids: list[str], batch: int = REBUILD_BATCH,
            progress: Callable[[int, int], bool | None] | None = None) -> int:
    """Rescore these drills from their events and save their summaries, `batch` drills per
    transaction; `progress(done, total)` after each, which stops the rebuild by returning
    False (a screen that was closed). A drill that cannot be scored is left stale. Returns how
    many were saved."""
    saved = 0
    for start in range(0, len(drill_ids), batch):
        chunk = {}
        for drill_id in drill_ids[start:start + batch]:
            try:
                drill = load(store, drill_id)
            except StoreError:
                continue  # deleted meanwhile, or its playbook is gone: it stays as it is
            chunk[drill_id] = (len(drill.events) - 1, SCORER_VERSION, rows_of(drill.cards, drill.key))
        try:
            store.save_summaries(chunk)
        except StoreError:
            return saved  # a read-only store goes without the cache
        saved += len(chunk)
        if progress is not None and progress(min(start + batch, len(drill_ids)), len(drill_ids)) is False:
            break
    return saved


def refresh_stale(store: Store) -> int:
    """Rebuild every stale summary now (exports, which must be exact); returns how many."""
    return rebuild(store, stale(store))


_FROM = "FROM summaries s JOIN drills d ON d.id = s.drill"


def results(store: Store, filters: Filters = Filters(), limit: int | None = None) -> list[TeamResult]:
    """Team results, newest drill first (call refresh_stale first for up-to-date scores)."""
    where, params = filters.where()
    sql = f"""SELECT d.id, d.created, d.status, d.scenario_id, d.title, d.violation, d.jurisdiction,
                     s.team, s.overall, s.summary {_FROM} WHERE {where} ORDER BY d.created DESC, d.rowid DESC, s.rowid"""
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    out = []
    for *head, overall, raw in store.query(sql, params):
        summary = json.loads(raw)
        out.append(TeamResult(*head, overall, summary["dimensions"], summary["ratings"]))
    return out


def team_drills(store: Store, filters: Filters = Filters()) -> dict[str, set[str]]:
    """{drill id: its teams that match}, oldest drill first, as a spreadsheet reads: what an
    export walks, without reading every summary."""
    where, params = filters.where()
    out: dict[str, set[str]] = {}
    for drill_id, team in store.query(
            f"SELECT d.id, s.team {_FROM} WHERE {where} ORDER BY d.created, d.rowid, s.rowid", params):
        out.setdefault(drill_id, set()).add(team)
    return out


def count(store: Store, filters: Filters = Filters()) -> tuple[int, int]:
    """(drills, team results) matching the filters."""
    where, params = filters.where()
    return tuple(store.query(f"SELECT COUNT(DISTINCT d.id), COUNT(*) {_FROM} WHERE {where}", params)[0])


def choices(store: Store) -> dict[str, list[tuple[str, str]]]:
    """The values each filter can take: (value, label)."""
    return {
        "scenario": [tuple(r) for r in store.query(
            "SELECT DISTINCT scenario_id, title FROM drills WHERE archived = 0 ORDER BY scenario_id")],
        "violation": [(r[0], r[0]) for r in store.query("SELECT DISTINCT violation FROM drills WHERE archived = 0 ORDER BY 1")],
        "jurisdiction": [(r[0], r[0]) for r in store.query(
            "SELECT DISTINCT jurisdiction FROM drills WHERE archived = 0 ORDER BY 1")],
        "team": [(r[0], r[0]) for r in store.query(
            f"SELECT DISTINCT s.team {_FROM} WHERE d.archived = 0 ORDER BY lower(s.team)")],
    }


@dataclass(frozen=True)
class MissCount:
    miss: Miss
    count: int  # team-drills that missed it
    of: int  # team-drills in the selection


def most_missed(store: Store, filters: Filters = Filters(), limit: int = 10) -> list[MissCount]:
    """The documented steps and escalations missed most often, with their source."""
    where, params = filters.where(team="m.team")
    of = count(store, filters)[1]
    rows = store.query(
        # Grouped by label and source too: one step id is a different guide section in each city.
        f"""SELECT m.dimension, m.subject, m.label, m.how, m.source, COUNT(*) AS n
            FROM misses m JOIN drills d ON d.id = m.drill
            WHERE {where} GROUP BY m.dimension, m.subject, m.how, m.label, m.source
            ORDER BY n DESC, 1, 2, 4, 3 LIMIT ?""",
        params + (limit,),
    )
    return [MissCount(Miss(dim, subject, label, how, source), n, of) for dim, subject, label, how, source, n in rows]


@dataclass
class Trend:
    team: str
    points: list[tuple[str, float, str]] = field(default_factory=list)  # (created, overall, scenario id)


def trends(store: Store, filters: Filters = Filters(), last: int | None = None) -> list[Trend]:
    """Each team's overall scores in time order, oldest first; only its `last` drills if given."""
    where, params = filters.where()
    sql = f"""SELECT s.team, d.created, s.overall, d.scenario_id,
                     ROW_NUMBER() OVER (PARTITION BY s.team ORDER BY d.created DESC, d.rowid DESC) AS age
              {_FROM} WHERE {where}"""
    if last is not None:
        sql = f"SELECT * FROM ({sql}) WHERE age <= {int(last)}"
    by_team: dict[str, Trend] = {}
    for team, created, overall, scenario, _ in store.query(sql + " ORDER BY created, age DESC", params):
        by_team.setdefault(team, Trend(team)).points.append((created, overall, scenario))
    return sorted(by_team.values(), key=lambda t: t.team.casefold())


def compare(store: Store, filters: Filters, scenario_id: str) -> list[TeamResult]:
    """Each team's latest result on one scenario, best first."""
    where, params = replace(filters, scenario=scenario_id).where()
    rows = store.query(
        f"""SELECT * FROM (
                SELECT d.id, d.created, d.status, d.scenario_id, d.title, d.violation, d.jurisdiction, s.team,
                       s.overall, s.summary,
                       ROW_NUMBER() OVER (PARTITION BY s.team ORDER BY d.created DESC, d.rowid DESC) AS age
                {_FROM} WHERE {where})
            WHERE age = 1""",
        params,
    )
    latest = [TeamResult(*r[:9], json.loads(r[9])["dimensions"], json.loads(r[9])["ratings"]) for r in rows]
    return sorted(latest, key=lambda r: (-r.overall, r.team.casefold()))
