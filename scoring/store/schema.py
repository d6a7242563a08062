"""The schema: every version's migration, and the table that says which ones a file has.

The comments on each migration say why its tables, columns, indexes and triggers exist; the
queries that rely on them are in drill_reads.py and summary_reads.py, the writes in writes.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime

# Outside MIGRATIONS: the table records which of them a file has had.
VERSION_TABLE = "CREATE TABLE schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)"
NEWEST_VERSION = "SELECT MAX(version) FROM schema_version"
VERSION_APPLIED = "INSERT INTO schema_version VALUES (?, ?)"


def applied_now() -> str:
    """When a migration is applied, as schema_version records it (both backends)."""
    return datetime.now(UTC).isoformat(timespec="seconds")

# Each migration takes the schema from version N-1 to N, up to dbfile.SCHEMA_VERSION. Never edit
# one that has shipped: add N+1.
MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE drills (
        id TEXT PRIMARY KEY,
        scenario_id TEXT NOT NULL,
        title TEXT NOT NULL,
        scenario_hash TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        seed INTEGER NOT NULL,
        teams TEXT NOT NULL,
        mode TEXT NOT NULL,
        timed INTEGER NOT NULL,
        created TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('in-progress', 'ended'))
    );
    CREATE TABLE events (
        drill TEXT NOT NULL REFERENCES drills(id),
        seq INTEGER NOT NULL,
        type TEXT NOT NULL,
        at REAL NOT NULL,
        payload TEXT NOT NULL,
        UNIQUE (drill, seq)
    );
    CREATE INDEX drills_created ON drills(created);
    """,
    # Review filters by violation and jurisdiction without reading every snapshot, and knows a
    # drill's event count without counting its events (kept in each append's transaction).
    # summaries and misses cache each team's scorecard for Review; they are valid while
    # drills.scored_upto is the drill's last seq and scored_by the scorer's version. The events
    # stay the truth: the cache can always be rebuilt from them. The scenario snapshot is dropped
    # from drills: the drill-started event holds it, and a 50 KB column in every row made each
    # scan of drills walk its overflow pages.
    2: """
    ALTER TABLE drills ADD COLUMN events INTEGER NOT NULL DEFAULT 0;
    UPDATE drills SET events = (SELECT COUNT(*) FROM events e WHERE e.drill = drills.id);
    ALTER TABLE drills ADD COLUMN violation TEXT NOT NULL DEFAULT '';
    ALTER TABLE drills ADD COLUMN jurisdiction TEXT NOT NULL DEFAULT '';
    UPDATE drills SET violation = COALESCE(json_extract(snapshot, '$.violation'), ''),
                      jurisdiction = COALESCE(json_extract(snapshot, '$.jurisdiction'), '');
    ALTER TABLE drills DROP COLUMN snapshot;
    ALTER TABLE drills ADD COLUMN scored_upto INTEGER NOT NULL DEFAULT -1;
    ALTER TABLE drills ADD COLUMN scored_by TEXT NOT NULL DEFAULT '';
    CREATE TABLE summaries (
        drill TEXT NOT NULL REFERENCES drills(id),
        team TEXT NOT NULL,
        overall REAL NOT NULL,
        summary TEXT NOT NULL,
        PRIMARY KEY (drill, team)
    );
    CREATE INDEX summaries_team ON summaries(team);
    CREATE TABLE misses (
        drill TEXT NOT NULL REFERENCES drills(id),
        team TEXT NOT NULL,
        dimension TEXT NOT NULL,
        subject TEXT NOT NULL,
        how TEXT NOT NULL,
        label TEXT NOT NULL,
        source TEXT
    );
    CREATE INDEX misses_drill ON misses(drill);
    CREATE INDEX drills_scenario ON drills(scenario_id);
    CREATE INDEX drills_violation ON drills(violation);
    CREATE INDEX drills_jurisdiction ON drills(jurisdiction)
    """,
    # An archived drill (a test run, a mistake) stays on disk and out of every statistic; the
    # archived and restored events are the truth, this column lets Review filter without them.
    # Interrupted drills are found at every start: by an index, not a scan of every drill.
    3: """
    ALTER TABLE drills ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX drills_status ON drills(status)
    """,
    # 100,000 drills. Every query Review sends on opening reads an index range it can stop in:
    # - the newest page of results walks drills by (archived, created) and stops at its LIMIT;
    # - the filters' choices are loose index scans (one index seek per distinct value);
    # - the counts read drills.results (kept by triggers on summaries) in a covering index;
    # - each team's latest scores come from summaries(team, created), and its latest on one
    #   scenario from summaries(team, scenario_id, created) (both copied there from drills:
    #   neither a drill's start nor its scenario ever changes);
    # - "most missed" reads miss_totals, kept by triggers on misses and on drills.archived:
    #   as much a cache as misses themselves, and exact by construction;
    # - stale drills are a partial index (behind their events) and a range (another scorer).
    # exports caches each team's rows as `results export` writes them (zlib-compressed text,
    # one row per format), saved with the summaries; drills.exported is their layout version
    # (scoring.report.tabular.LAYOUT), '' when none was saved. Like every cache it is rebuilt
    # from the events when stale.
    4: """
    ALTER TABLE drills ADD COLUMN results INTEGER NOT NULL DEFAULT 0;
    UPDATE drills SET results = (SELECT COUNT(*) FROM summaries s WHERE s.drill = drills.id);
    ALTER TABLE drills ADD COLUMN exported TEXT NOT NULL DEFAULT '';
    ALTER TABLE summaries ADD COLUMN created TEXT NOT NULL DEFAULT '';
    ALTER TABLE summaries ADD COLUMN scenario_id TEXT NOT NULL DEFAULT '';
    UPDATE summaries SET (created, scenario_id) =
        (SELECT d.created, d.scenario_id FROM drills d WHERE d.id = summaries.drill);
    CREATE INDEX summaries_latest ON summaries(team, created);
    CREATE INDEX summaries_compared ON summaries(team, scenario_id, created);
    CREATE INDEX misses_team ON misses(team);
    CREATE INDEX drills_shown ON drills(archived, created);
    CREATE INDEX drills_counted ON drills(archived, results);
    CREATE INDEX drills_scenarios ON drills(archived, scenario_id, title);
    CREATE INDEX drills_violations ON drills(archived, violation);
    CREATE INDEX drills_jurisdictions ON drills(archived, jurisdiction);
    CREATE INDEX drills_scored_by ON drills(scored_by);
    CREATE INDEX drills_unscored ON drills(created) WHERE scored_upto != events - 1;
    CREATE TRIGGER summaries_counted AFTER INSERT ON summaries BEGIN
        UPDATE drills SET results = results + 1 WHERE id = NEW.drill;
    END;
    CREATE TRIGGER summaries_uncounted AFTER DELETE ON summaries BEGIN
        UPDATE drills SET results = results - 1 WHERE id = OLD.drill;
    END;
    CREATE TABLE exports (
        drill TEXT NOT NULL REFERENCES drills(id),
        team TEXT NOT NULL,
        format TEXT NOT NULL,
        rows BLOB NOT NULL,
        PRIMARY KEY (drill, team, format)
    );
    CREATE TABLE miss_totals (
        dimension TEXT NOT NULL,
        subject TEXT NOT NULL,
        how TEXT NOT NULL,
        label TEXT NOT NULL,
        source TEXT,
        n INTEGER NOT NULL
    );
    CREATE INDEX miss_totals_key ON miss_totals(dimension, subject, how, label, source);
    INSERT INTO miss_totals
        SELECT m.dimension, m.subject, m.how, m.label, m.source, COUNT(*)
        FROM misses m JOIN drills d ON d.id = m.drill WHERE d.archived = 0
        GROUP BY m.dimension, m.subject, m.how, m.label, m.source;
    CREATE TRIGGER misses_counted AFTER INSERT ON misses
    WHEN (SELECT archived FROM drills WHERE id = NEW.drill) = 0 BEGIN
        UPDATE miss_totals SET n = n + 1
        WHERE dimension = NEW.dimension AND subject = NEW.subject AND how = NEW.how AND label = NEW.label
              AND source IS NEW.source;
        INSERT INTO miss_totals SELECT NEW.dimension, NEW.subject, NEW.how, NEW.label, NEW.source, 1
        WHERE NOT EXISTS (SELECT 1 FROM miss_totals WHERE dimension = NEW.dimension AND subject = NEW.subject
                          AND how = NEW.how AND label = NEW.label AND source IS NEW.source);
    END;
    CREATE TRIGGER misses_uncounted AFTER DELETE ON misses
    WHEN (SELECT archived FROM drills WHERE id = OLD.drill) = 0 BEGIN
        UPDATE miss_totals SET n = n - 1
        WHERE dimension = OLD.dimension AND subject = OLD.subject AND how = OLD.how AND label = OLD.label
              AND source IS OLD.source;
    END;
    CREATE TRIGGER drills_archived_misses AFTER UPDATE OF archived ON drills
    WHEN OLD.archived != NEW.archived BEGIN
        INSERT INTO miss_totals
            SELECT m.dimension, m.subject, m.how, m.label, m.source, 0 FROM misses m
            WHERE m.drill = NEW.id AND NOT EXISTS (
                SELECT 1 FROM miss_totals t WHERE t.dimension = m.dimension AND t.subject = m.subject
                AND t.how = m.how AND t.label = m.label AND t.source IS m.source)
            GROUP BY m.dimension, m.subject, m.how, m.label, m.source;
        UPDATE miss_totals SET n = n + (CASE WHEN NEW.archived THEN -1 ELSE 1 END) * (
            SELECT COUNT(*) FROM misses m
            WHERE m.drill = NEW.id AND m.dimension = miss_totals.dimension AND m.subject = miss_totals.subject
                  AND m.how = miss_totals.how AND m.label = miss_totals.label AND m.source IS miss_totals.source)
        WHERE EXISTS (
            SELECT 1 FROM misses m
            WHERE m.drill = NEW.id AND m.dimension = miss_totals.dimension AND m.subject = miss_totals.subject
                  AND m.how = miss_totals.how AND m.label = miss_totals.label AND m.source IS miss_totals.source);
    END
    """,
    # 5: teams on their own terminals. A join code is kept only as its SHA-256 (scoring/joincodes.py),
    # for the team's place in drills.teams, so a rename keeps it; a drill's codes are replaced
    # whole when reissued. A seat is one player terminal on a drill: what it is doing and when it
    # last polled, so the console can say who has joined and who is answering. Neither is an event:
    # they say who is at a terminal, not what the drill did.
    5: """
    CREATE TABLE join_codes (
        hash TEXT PRIMARY KEY,
        drill TEXT NOT NULL REFERENCES drills(id),
        team INTEGER NOT NULL,
        issued TEXT NOT NULL
    );
    CREATE INDEX join_codes_drill ON join_codes(drill);
    CREATE TABLE seats (
        drill TEXT NOT NULL REFERENCES drills(id),
        terminal TEXT NOT NULL,
        team INTEGER NOT NULL,
        doing TEXT NOT NULL CHECK (doing IN ('watching', 'answering', 'left')),
        seen REAL NOT NULL,
        PRIMARY KEY (drill, terminal)
    );
    """,
}


def statements(script: str) -> Iterator[str]:
    """A migration's statements, in order: split at each `;` that ends a statement (a
    trigger's body holds several), as SQLite tells."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                yield pending
            pending = ""
    if pending.strip(" \n;"):
        yield pending
