"""Review's queries, over the scorecards cached with each drill (summaries, misses, exports).

Every one reads an index range it can stop early in (schema.py's migration 4 says which), so
Review opens as quickly on 100,000 drills as on 100. Each returns rows; scoring.history makes
them into results, trends and counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .base import StoreBase


@dataclass(frozen=True)
class Filters:
    """Which team results Review and exports read; None is any."""

    scenario: str | None = None
    violation: str | None = None
    jurisdiction: str | None = None
    team: str | None = None
    since: date | None = None
    until: date | None = None


NO_FILTERS = Filters()  # every result of a drill not archived (frozen: one can be shared)


def _where(filters: Filters, team: str = "s.team") -> tuple[str, tuple]:
    """The SQL condition on drills `d` and the team column given, with its parameters.
    Archived drills (test runs) are never counted."""
    terms, params = ["d.archived = 0"], []
    for column, value in (("d.scenario_id", filters.scenario), ("d.violation", filters.violation),
                          ("d.jurisdiction", filters.jurisdiction), (team, filters.team)):
        if value is not None:
            terms.append(f"{column} = ?")
            params.append(value)
    # created is an ISO time ("2026-08-29T10:00:00+00:00"): its day is on or after `since`
    # exactly when the text sorts at or after the day's, and on or before `until` when it
    # sorts before the next day's. Compared whole, the (archived, created) index serves it.
    if filters.since is not None:
        terms.append("d.created >= ?")
        params.append(filters.since.isoformat())
    if filters.until is not None and filters.until < date.max:
        terms.append("d.created < ?")
        params.append((filters.until + timedelta(days=1)).isoformat())
    return " AND ".join(terms), tuple(params)


# Stale drills, by two index reads that cost nothing while every summary is fresh: the partial
# index of drills behind their events (drills_unscored), and the other scorers' range of
# drills_scored_by (`!=` could use no index).
_STALE = """SELECT id FROM (
    SELECT id, created, rowid AS r FROM drills WHERE scored_upto != events - 1
    UNION SELECT id, created, rowid FROM drills WHERE scored_by < ?1
    UNION SELECT id, created, rowid FROM drills WHERE scored_by > ?1) AS stale
    ORDER BY created DESC, r DESC"""

_FROM = "FROM summaries s JOIN drills d ON d.id = s.drill"
# Newest drills first, from the (archived, created) index, each drill's teams from the primary
# key of summaries: a LIMIT stops the walk (JOIN_IN_ORDER, SQLite's CROSS JOIN, keeps drills the
# outer loop). `{join}` is the backend's StoreBase.JOIN_IN_ORDER.
_BY_DRILL = "FROM drills d {join} summaries s ON s.drill = d.id"
# One team's results newest first, from summaries(team, created).
_BY_TEAM = "FROM summaries s {join} drills d ON d.id = s.drill"
# A team result row: what history.TeamResult is made of (the summary as its JSON text).
_RESULT = ("d.id, d.created, d.status, d.scenario_id, d.title, d.violation, d.jurisdiction, "
           "s.team, s.overall, s.summary")
# Each team's rows newest first, numbered: `age` 1 is its latest.
_AGE = "ROW_NUMBER() OVER (PARTITION BY s.team ORDER BY d.created DESC, d.rowid DESC) AS age"


class SummaryReads(StoreBase):
    @property
    def _by_drill(self) -> str:
        return _BY_DRILL.format(join=self.JOIN_IN_ORDER)

    @property
    def _by_team(self) -> str:
        return _BY_TEAM.format(join=self.JOIN_IN_ORDER)

    # --- the caches' freshness ------------------------------------------------------------------

    def stale_drill_ids(self, scorer: str) -> list[str]:
        """Drills whose summaries are missing, behind their events or from a scorer other than
        `scorer`, newest first."""
        return [r[0] for r in self._read(_STALE, (scorer,))]

    def unexported_drill_ids(self, layout: str, scorer: str) -> list[str]:
        """Drills whose summaries are fresh (`scorer`'s, up to their last event) but whose export
        rows are missing or of a layout other than `layout`, newest first."""
        return [r[0] for r in self._read(
            """SELECT id FROM drills WHERE results > 0 AND exported != ? AND scored_upto = events - 1
               AND scored_by = ? ORDER BY created DESC, rowid DESC""", (layout, scorer))]

    # --- team results ---------------------------------------------------------------------------

    def team_results(self, filters: Filters, limit: int | None = None) -> list[tuple]:
        """Result rows (_RESULT's columns), newest drill first, each drill's teams in their
        scorecards' order."""
        where, params = _where(filters)
        sql = f"""SELECT {_RESULT} {self._by_drill} WHERE {where}
                  ORDER BY d.created DESC, d.rowid DESC, s.rowid"""
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self._read(sql, params)

    def result_teams(self, filters: Filters) -> Iterator[tuple[str, str]]:
        """(drill id, team) of every result matching, oldest drill first: streamed."""
        where, params = _where(filters)
        return self._stream(f"SELECT d.id, s.team {self._by_drill} WHERE {where} ORDER BY d.created, d.rowid, s.rowid",
                            params)

    def export_rows(self, filters: Filters, fmt: str, scorer: str, layout: str
                    ) -> Iterator[tuple[str, str, bytes | None]]:
        """(drill id, team, its cached export rows in `fmt`, or None unless they are `layout`'s
        and the summaries fresh and `scorer`'s) for every result matching, oldest drill first and
        each drill's teams in their scorecards' order: streamed, never held whole."""
        where, params = _where(filters)
        return self._stream(
            f"""SELECT d.id, s.team,
                       CASE WHEN d.scored_upto = d.events - 1 AND d.scored_by = ? AND d.exported = ? THEN x.rows END
                {self._by_drill} LEFT JOIN exports x ON x.drill = s.drill AND x.team = s.team AND x.format = ?
                WHERE {where} ORDER BY d.created, d.rowid, s.rowid""",
            (scorer, layout, fmt) + params)

    def export_rows_or_stale(self, filters: Filters, fmt: str, scorer: str, layout: str
                             ) -> Iterator[tuple[str, str | None, bytes | None, bool, int]]:
        """What export_rows reads, for a store that may not rebuild its stale summaries (one
        opened read-only): (drill id, team, its cached rows or None, True, results) for each
        team result of a drill whose summaries are fresh, and (drill id, None, None, False,
        results) once for each drill whose summaries are stale or missing, whatever its teams
        (they are the ones its events give: the caller scores it and filters by team), every
        drill the filters match but for the team, oldest first: streamed."""
        where, params = _where(replace(filters, team=None))
        fresh = "(d.scored_upto = d.events - 1 AND d.scored_by = ?)"
        team, team_params = ("", ()) if filters.team is None else (f" AND (NOT {fresh} OR s.team = ?)",
                                                                    (scorer, filters.team))
        return self._stream(
            f"""SELECT d.id, s.team, CASE WHEN d.exported = ? THEN x.rows END, {fresh}, d.results
                FROM drills d LEFT JOIN summaries s ON s.drill = d.id AND {fresh}
                LEFT JOIN exports x ON x.drill = s.drill AND x.team = s.team AND x.format = ?
                WHERE {where}{team} ORDER BY d.created, d.rowid, s.rowid""",
            (layout, scorer, scorer, fmt) + params + team_params)

    def counts(self, filters: Filters) -> tuple[int, int]:
        """(drills, team results) matching: from drills.results (each drill's number of
        summaries, kept by triggers) by an index, unless a team is chosen, when its own
        summaries are counted (a team is in a drill once)."""
        where, params = _where(filters)
        if filters.team is None:
            sql = f"SELECT COUNT(*), COALESCE(SUM(d.results), 0) FROM drills d WHERE {where} AND d.results > 0"
        else:
            sql = f"SELECT COUNT(*), COUNT(*) {self._by_team} WHERE {where}"
        return tuple(self._read(sql, params)[0])

    # --- the filters' choices: loose index scans ------------------------------------------------

    def _loose(self, names: tuple[str, ...], first: str, after: tuple[str, ...], every: str,
               limit: int) -> list[tuple]:
        """Every distinct value of an index's leading columns, one index seek each (SQLite's
        DISTINCT would read every entry): `first` finds the smallest, each of `after` in turn the
        next one past the row found last (the first that finds one; its columns are the parameters
        named `names`), each with LIMIT 1. Past `limit` values, `every` reads them all at once."""
        found = self._read(first)
        out = []
        while found:
            if len(out) == limit:
                return [tuple(r) for r in self._read(every)]
            out.append(found[0])
            last = dict(zip(names, found[0], strict=True))
            for sql in after:
                if found := self._read(sql, last):
                    break
        return out

    def team_names(self, limit: int) -> list[str]:
        """The teams of drills not archived, by a loose scan of summaries' team index (a plain
        DISTINCT past `limit` of them), in the index's order."""
        def team(op: str) -> str:
            return f"SELECT s.team {self._by_team} WHERE s.team {op} AND d.archived = 0 ORDER BY s.team LIMIT 1"

        every = f"SELECT DISTINCT s.team {_FROM} WHERE d.archived = 0 ORDER BY s.team"
        return [r[0] for r in self._loose(("team",), team(">= ''"), (team("> :team"),), every, limit)]

    def scenario_choices(self, limit: int) -> list[tuple[str, str]]:
        """(scenario id, title) pairs of drills not archived: the next title of the same scenario,
        else the next scenario's first (a row-value comparison would walk the scenario's entries)."""
        pair = "SELECT scenario_id, title FROM drills WHERE archived = 0 AND {} ORDER BY scenario_id, title LIMIT 1"
        return self._loose(("id", "title"), pair.format("scenario_id IS NOT NULL"),
                           (pair.format("scenario_id = :id AND title > :title"), pair.format("scenario_id > :id")),
                           "SELECT DISTINCT scenario_id, title FROM drills WHERE archived = 0 "
                           "ORDER BY scenario_id, title", limit)

    def violation_choices(self, limit: int) -> list[str]:
        return self._column_choices("violation", limit)

    def jurisdiction_choices(self, limit: int) -> list[str]:
        return self._column_choices("jurisdiction", limit)

    def _column_choices(self, name: str, limit: int) -> list[str]:
        sql = f"SELECT {name} FROM drills WHERE archived = 0 AND {name} {{}} ORDER BY {name} LIMIT 1"
        every = f"SELECT DISTINCT {name} FROM drills WHERE archived = 0 ORDER BY {name}"
        return [r[0] for r in self._loose(("value",), sql.format("IS NOT NULL"), (sql.format("> :value"),), every,
                                          limit)]

    # --- misses, trends, comparisons ------------------------------------------------------------

    def outcome_counts(self, filters: Filters) -> list[tuple[str, str, str, str, str | None, int]]:
        """(dimension, subject, label, how, source, team-drills) of every step and escalation
        outcome in the selection ("missed", "late", "done": each team-drill has one per item its
        path asked): unfiltered, from miss_totals (kept by triggers); filtered, counted in the
        selection. A few rows per item of the guides, however many drills: read whole."""
        if filters == NO_FILTERS:
            return self._read("SELECT dimension, subject, label, how, source, n FROM miss_totals WHERE n > 0")
        where, params = _where(filters, team="m.team")
        return self._read(
            # Grouped by label and source too: one step id is a different guide section in each city.
            f"""SELECT m.dimension, m.subject, m.label, m.how, m.source, COUNT(*) AS n
                FROM misses m JOIN drills d ON d.id = m.drill
                WHERE {where} GROUP BY m.dimension, m.subject, m.how, m.label, m.source""",
            params,
        )

    def trend_rows(self, filters: Filters, last: int | None = None) -> list[tuple[str, str, float, str, str]]:
        """(team, created, overall, scenario id, drill id) of every result matching (each team's
        `last` newest only, if given), oldest first, in one query."""
        where, params = _where(filters)
        sql = f"SELECT s.team, d.created, s.overall, d.scenario_id, d.id, {_AGE} {_FROM} WHERE {where}"
        if last is not None:
            sql = f"SELECT * FROM ({sql}) AS ranked WHERE age <= {int(last)}"
        return [r[:5] for r in self._read(sql + " ORDER BY 2, age DESC", params)]

    def team_trend_rows(self, filters: Filters, team: str, last: int) -> list[tuple[str, float, str, str]]:
        """(created, overall, scenario id, drill id) of one team's `last` results matching,
        newest first, from summaries(team, created)."""
        where, params = _where(replace(filters, team=team))
        return self._read(f"""SELECT d.created, s.overall, d.scenario_id, d.id {self._by_team} WHERE {where}
                              ORDER BY s.created DESC, d.rowid DESC LIMIT ?""", params + (int(last),))

    def latest_results(self, filters: Filters, scenario_id: str) -> list[tuple]:
        """Each team's latest result row on one scenario, in one query."""
        where, params = _where(replace(filters, scenario=scenario_id))
        rows = self._read(f"SELECT * FROM (SELECT {_RESULT}, {_AGE} {_FROM} WHERE {where}) AS ranked WHERE age = 1",
                          params)
        return [r[:10] for r in rows]

    def team_latest_result(self, filters: Filters, team: str, scenario_id: str) -> list[tuple]:
        """One team's latest result row on one scenario (none or one), from
        summaries(team, scenario_id, created)."""
        where, params = _where(replace(filters, scenario=None, team=team))
        return self._read(f"""SELECT {_RESULT} {self._by_team} WHERE {where} AND s.scenario_id = ?
                              ORDER BY s.created DESC, d.rowid DESC LIMIT 1""", params + (scenario_id,))
