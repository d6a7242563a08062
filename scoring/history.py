"""Drills across time: each team's result, filters, trends and the steps most often missed.

Reading 100,000 drills must be quick, so each team's scorecard is summarised into the store's
`summaries` table when it is scored (with its misses, and its rows as `results export` writes
them), and reused while no newer event exists and the scorer is the same version. A summary is
only ever a cache: `rebuild()` makes it again from the events. Every query Review sends reads
an index range it can stop early in (scoring.store's migration 4 says which), so opening it
costs about the same on 100 drills as on 100,000.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from scenarios.content_cache import ContentCache
from scenarios.events import DrillStarted, Event
from scenarios.model import Playbook, Scenario
from scenarios.playbook import Key
from scenarios.scenario_index import snapshot_scenario

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
        # created is an ISO time ("2026-08-29T10:00:00+00:00"): its day is on or after `since`
        # exactly when the text sorts at or after the day's, and on or before `until` when it
        # sorts before the next day's. Compared whole, the (archived, created) index serves it.
        if self.since is not None:
            terms.append("d.created >= ?")
            params.append(self.since.isoformat())
        if self.until is not None and self.until < date.max:
            terms.append("d.created < ?")
            params.append((self.until + timedelta(days=1)).isoformat())
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
    """The summary rows of a drill from its events alone."""
    scenario = snapshot_scenario(events[0])
    key = drill_key(drill_id, events[0], scenario)
    return rows_of(score(scenario, key, events), key)


def cache_rows(drill_id: str, created: str, scenario: Scenario, key: Key,
               cards: dict[str, Scorecard]) -> dict[str, tuple[float, str, list, dict[str, bytes]]]:
    """Everything the store caches of each team's scorecard: {team: (overall, summary JSON,
    misses, {format: its export rows, packed})}, in the scorecards' order."""
    from .report.tabular import packed, team_texts

    texts = team_texts(drill_id, created, scenario, key, cards)
    return {team: (*row, packed(texts[team])) for team, row in rows_of(cards, key).items()}


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
    """Cache the drill's summaries; a read-only store just goes without the cache."""
    try:
        store.save_summaries({drill.row.id: _saved(drill)})
    except StoreError:
        pass


# Stale drills, by two index reads that cost nothing while every summary is fresh: the partial
# index of drills behind their events (drills_unscored), and the other scorers' range of
# drills_scored_by (`!=` could use no index).
_STALE = """SELECT id FROM (
    SELECT id, created, rowid AS r FROM drills WHERE scored_upto != events - 1
    UNION SELECT id, created, rowid FROM drills WHERE scored_by < ?1
    UNION SELECT id, created, rowid FROM drills WHERE scored_by > ?1)
    ORDER BY created DESC, r DESC"""


def stale(store: Store) -> list[str]:
    """Drills whose summaries are missing, behind their events or from another scorer version,
    newest first (the ones Review lists first are rebuilt first)."""
    return [r[0] for r in store.query(_STALE, (SCORER_VERSION,))]


def unexported(store: Store) -> list[str]:
    """Drills whose summaries are fresh but whose export rows are missing or of another layout
    (a store from before they were cached, or a new export layout), newest first."""
    from .report.tabular import LAYOUT

    return [r[0] for r in store.query(
        """SELECT id FROM drills WHERE results > 0 AND exported != ? AND scored_upto = events - 1
           AND scored_by = ? ORDER BY created DESC, rowid DESC""", (LAYOUT, SCORER_VERSION))]


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


_FROM = "FROM summaries s JOIN drills d ON d.id = s.drill"
# Newest drills first, from the (archived, created) index, each drill's teams from the primary
# key of summaries: a LIMIT stops the walk (CROSS JOIN keeps drills the outer loop).
_BY_DRILL = "FROM drills d CROSS JOIN summaries s ON s.drill = d.id"
# One team's results newest first, from summaries(team, created).
_BY_TEAM = "FROM summaries s CROSS JOIN drills d ON d.id = s.drill"
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")  # SQLite's lower()


def results(store: Store, filters: Filters = Filters(), limit: int | None = None) -> list[TeamResult]:
    """Team results, newest drill first (call refresh_stale first for up-to-date scores)."""
    where, params = filters.where()
    sql = f"""SELECT d.id, d.created, d.status, d.scenario_id, d.title, d.violation, d.jurisdiction,
                     s.team, s.overall, s.summary {_BY_DRILL} WHERE {where}
              ORDER BY d.created DESC, d.rowid DESC, s.rowid"""
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    out = []
    for *head, overall, raw in store.query(sql, params):
        summary = json.loads(raw)
        out.append(TeamResult(*head, overall, summary["dimensions"], summary["ratings"]))
    return out


def team_drills(store: Store, filters: Filters = Filters()) -> dict[str, set[str]]:
    """{drill id: its teams that match}, oldest drill first, as a spreadsheet reads."""
    where, params = filters.where()
    out: dict[str, set[str]] = {}
    for drill_id, team in store.stream(
            f"SELECT d.id, s.team {_BY_DRILL} WHERE {where} ORDER BY d.created, d.rowid, s.rowid", params):
        out.setdefault(drill_id, set()).add(team)
    return out


def export_teams(store: Store, filters: Filters, fmt: str) -> Iterator[tuple[str, str, bytes | None]]:
    """(drill id, team, its cached export rows in `fmt`, or None where the cache is stale) for
    every team result matching the filters, oldest drill first and each drill's teams in their
    scorecards' order, as a spreadsheet reads: streamed, never held whole."""
    from .report.tabular import LAYOUT

    where, params = filters.where()
    return store.stream(
        f"""SELECT d.id, s.team,
                   CASE WHEN d.scored_upto = d.events - 1 AND d.scored_by = ? AND d.exported = ? THEN x.rows END
            {_BY_DRILL} LEFT JOIN exports x ON x.drill = s.drill AND x.team = s.team AND x.format = ?
            WHERE {where} ORDER BY d.created, d.rowid, s.rowid""",
        (SCORER_VERSION, LAYOUT, fmt) + params)


def count(store: Store, filters: Filters = Filters()) -> tuple[int, int]:
    """(drills, team results) matching the filters: from drills.results (each drill's number
    of summaries, kept by the store's triggers) by an index, unless a team is chosen, when
    its own summaries are counted (a team is in a drill once)."""
    where, params = filters.where()
    if filters.team is None:
        sql = f"SELECT COUNT(*), COALESCE(SUM(d.results), 0) FROM drills d WHERE {where} AND d.results > 0"
    else:
        sql = f"SELECT COUNT(*), COUNT(*) {_BY_TEAM} WHERE {where}"
    return tuple(store.query(sql, params)[0])


# Distinct values found one index seek each (a loose scan) up to this many; past it one plain
# DISTINCT, which reads every entry once, is cheaper: a store of as many teams as drills.
LOOSE_LIMIT = 500


def _loose(store: Store, names: tuple[str, ...], first: str, after: tuple[str, ...], every: str) -> list[tuple]:
    """Every distinct value of an index's leading columns, one index seek each (SQLite's
    DISTINCT would read every entry): `first` finds the smallest, each of `after` in turn the
    next one past the row found last (the first that finds one; its columns are the parameters
    named `names`), each with LIMIT 1. Past LOOSE_LIMIT values, `every` reads them all at once."""
    found = store.query(first)
    out = []
    while found:
        if len(out) == LOOSE_LIMIT:
            return [tuple(r) for r in store.query(every)]
        out.append(found[0])
        last = dict(zip(names, found[0], strict=True))
        for sql in after:
            if found := store.query(sql, last):
                break
    return out


def _teams(store: Store) -> list[str]:
    """The teams of drills not archived, by a loose scan of summaries' team index."""
    def team(op: str) -> str:
        return f"SELECT s.team {_BY_TEAM} WHERE s.team {op} AND d.archived = 0 ORDER BY s.team LIMIT 1"

    every = f"SELECT DISTINCT s.team {_FROM} WHERE d.archived = 0 ORDER BY s.team"
    return [r[0] for r in _loose(store, ("team",), team(">= ''"), (team("> :team"),), every)]


def choices(store: Store) -> dict[str, list[tuple[str, str]]]:
    """The values each filter can take: (value, label)."""
    def column(name: str) -> list[tuple[str, str]]:
        sql = f"SELECT {name} FROM drills WHERE archived = 0 AND {name} {{}} ORDER BY {name} LIMIT 1"
        every = f"SELECT DISTINCT {name} FROM drills WHERE archived = 0 ORDER BY {name}"
        return [(r[0], r[0]) for r in _loose(store, ("value",), sql.format("IS NOT NULL"), (sql.format("> :value"),),
                                             every)]

    # (scenario, title) pairs: the next title of the same scenario, else the next scenario's
    # first (a row-value comparison would walk the scenario's entries).
    pair = "SELECT scenario_id, title FROM drills WHERE archived = 0 AND {} ORDER BY scenario_id, title LIMIT 1"
    return {
        "scenario": _loose(store, ("id", "title"), pair.format("scenario_id IS NOT NULL"),
                           (pair.format("scenario_id = :id AND title > :title"), pair.format("scenario_id > :id")),
                           "SELECT DISTINCT scenario_id, title FROM drills WHERE archived = 0 "
                           "ORDER BY scenario_id, title"),
        "violation": column("violation"),
        "jurisdiction": column("jurisdiction"),
        "team": [(t, t) for t in sorted(_teams(store), key=lambda t: (t.translate(_ASCII_LOWER), t))],
    }


@dataclass(frozen=True)
class MissCount:
    miss: Miss
    count: int  # team-drills that missed it
    of: int  # team-drills in the selection


def most_missed(store: Store, filters: Filters = Filters(), limit: int = 10) -> list[MissCount]:
    """The documented steps and escalations missed most often, with their source: unfiltered,
    from miss_totals (kept by the store's triggers); filtered, counted in the selection."""
    where, params = filters.where(team="m.team")
    of = count(store, filters)[1]
    if filters == Filters():
        rows = store.query("SELECT dimension, subject, label, how, source, n FROM miss_totals WHERE n > 0 "
                           "ORDER BY n DESC, 1, 2, 4, 3 LIMIT ?", (limit,))
        return [MissCount(Miss(dim, subject, label, how, source), n, of)
                for dim, subject, label, how, source, n in rows]
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
    """Each team's overall scores in time order, oldest first; only its `last` drills if given
    (then read team by team, newest first from summaries(team, created), `last` rows each)."""
    teams = None if last is None else _chosen_teams(store, filters)
    if teams is not None:
        out = []
        for team in teams:
            where, params = replace(filters, team=team).where()
            rows = store.query(f"""SELECT d.created, s.overall, d.scenario_id {_BY_TEAM} WHERE {where}
                                   ORDER BY s.created DESC, d.rowid DESC LIMIT ?""", params + (int(last),))
            if rows:
                out.append(Trend(team, [tuple(r) for r in reversed(rows)]))
        # Teams alike but for case in the order one query of every row would have met them.
        return sorted(out, key=lambda t: (t.team.casefold(), t.points[0][0], -len(t.points)))
    where, params = filters.where()
    sql = f"""SELECT s.team, d.created, s.overall, d.scenario_id,
                     ROW_NUMBER() OVER (PARTITION BY s.team ORDER BY d.created DESC, d.rowid DESC) AS age
              {_FROM} WHERE {where}"""
    if last is not None:
        sql = f"SELECT * FROM ({sql}) WHERE age <= {int(last)}"
    by_team: dict[str, Trend] = {}
    for team, created, overall, scenario, _ in store.query(sql + " ORDER BY 2, age DESC", params):
        by_team.setdefault(team, Trend(team)).points.append((created, overall, scenario))
    return sorted(by_team.values(), key=lambda t: t.team.casefold())


def _chosen_teams(store: Store, filters: Filters) -> list[str] | None:
    """The teams to read one at a time: the filter's, else every team; None when there are so
    many that one query of every result costs less."""
    if filters.team is not None:
        return [filters.team]
    teams = _teams(store)
    return teams if len(teams) <= LOOSE_LIMIT else None


def compare(store: Store, filters: Filters, scenario_id: str) -> list[TeamResult]:
    """Each team's latest result on one scenario, best first (team by team, newest first from
    summaries(team, scenario_id, created): a LIMIT 1 each)."""
    columns = ("d.id, d.created, d.status, d.scenario_id, d.title, d.violation, d.jurisdiction, "
               "s.team, s.overall, s.summary")
    teams = _chosen_teams(store, filters)
    if teams is None:
        where, params = replace(filters, scenario=scenario_id).where()
        rows = store.query(
            f"""SELECT * FROM (
                    SELECT {columns},
                           ROW_NUMBER() OVER (PARTITION BY s.team ORDER BY d.created DESC, d.rowid DESC) AS age
                    {_FROM} WHERE {where})
                WHERE age = 1""",
            params)
    else:
        rows = []
        for team in teams:
            where, params = replace(filters, scenario=None, team=team).where()
            rows += store.query(f"""SELECT {columns} {_BY_TEAM} WHERE {where} AND s.scenario_id = ?
                                    ORDER BY s.created DESC, d.rowid DESC LIMIT 1""", params + (scenario_id,))
    latest = [TeamResult(*r[:9], json.loads(r[9])["dimensions"], json.loads(r[9])["ratings"]) for r in rows]
    return sorted(latest, key=lambda r: (-r.overall, r.team.casefold()))
