"""The schema on PostgreSQL: schema.py's migrations in PostgreSQL's own DDL, the mark that says a
database is breachdrill's, and reading which version a database has without writing to it.

The same versions, tables, columns and indexes as SQLite's (schema.py says why each exists);
where SQLite's syntax or types differ:
- TEXT is `text COLLATE "C"`: comparisons and ORDER BY in code-point order, as SQLite's BINARY
  (a drill id's prefix range, the loose scans' `>`), whatever the server's default collation;
- INTEGER is `integer` (a SUM stays an int), but a seed (up to 2**63 - 1) is `bigint`; REAL is
  `double precision` (PostgreSQL's `real` is 4 bytes); BLOB is `bytea`;
- drills and summaries have an explicit `rowid` (an identity column) where SQLite has its
  implicit one: the queries' tie-breaks (`ORDER BY created DESC, rowid DESC`, each drill's teams
  in their scorecards' order) read the same text on both;
- json_extract is `::json ->>`; a trigger is a plpgsql function, its WHEN (a subquery, which
  PostgreSQL's WHEN cannot hold) an IF in the body, `IS` on a nullable column IS NOT DISTINCT FROM;
  the miss_totals triggers take a transaction-level advisory lock first, so two drills ending
  at once never both add the same (new) key: SQLite's one writer at a time, for that table only.

The mark: schema_version is created with a COMMENT (MARK) in the transaction that creates it,
where SQLite sets its header's application_id. A database with tables but without both is not ours.
"""

from __future__ import annotations

from typing import Any

from ..dbfile import APPLICATION_ID, SCHEMA_VERSION, StoreError

MARK = f"breachdrill drills database (application id {APPLICATION_ID:#010x})"
MIGRATION_LOCK = APPLICATION_ID  # pg_advisory_xact_lock key: one process migrates at a time
MISS_TOTALS_LOCK = APPLICATION_ID + 1  # the miss_totals triggers' advisory lock

VERSION_TABLE = [
    "CREATE TABLE schema_version (version integer NOT NULL, applied text NOT NULL)",
    f"COMMENT ON TABLE schema_version IS '{MARK}'",
]

_T = 'text COLLATE "C"'


def _miss_key(row: str, other: str = "miss_totals") -> str:
    """The five columns of a miss equal between `row` (NEW, OLD, m) and `other`."""
    return " AND ".join([f"{other}.{c} = {row}.{c}" for c in ("dimension", "subject", "how", "label")]
                        + [f"{other}.source IS NOT DISTINCT FROM {row}.source"])


def _function(name: str, body: str) -> str:
    return f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body}\nRETURN NULL;\nEND\n$$"


_LOCK_TOTALS = f"PERFORM pg_advisory_xact_lock({MISS_TOTALS_LOCK});"

MIGRATIONS: dict[int, list[str]] = {
    1: [
        f"""CREATE TABLE drills (
            id {_T} PRIMARY KEY,
            scenario_id {_T} NOT NULL,
            title {_T} NOT NULL,
            scenario_hash {_T} NOT NULL,
            snapshot {_T} NOT NULL,
            seed bigint NOT NULL,
            teams {_T} NOT NULL,
            mode {_T} NOT NULL,
            timed integer NOT NULL,
            created {_T} NOT NULL,
            status {_T} NOT NULL CHECK (status IN ('in-progress', 'ended')),
            rowid bigint GENERATED ALWAYS AS IDENTITY
        )""",
        f"""CREATE TABLE events (
            drill {_T} NOT NULL REFERENCES drills(id),
            seq integer NOT NULL,
            type {_T} NOT NULL,
            at double precision NOT NULL,
            payload {_T} NOT NULL,
            UNIQUE (drill, seq)
        )""",
        "CREATE INDEX drills_created ON drills(created)",
    ],
    2: [
        "ALTER TABLE drills ADD COLUMN events integer NOT NULL DEFAULT 0",
        "UPDATE drills SET events = (SELECT COUNT(*) FROM events e WHERE e.drill = drills.id)",
        f"ALTER TABLE drills ADD COLUMN violation {_T} NOT NULL DEFAULT ''",
        f"ALTER TABLE drills ADD COLUMN jurisdiction {_T} NOT NULL DEFAULT ''",
        """UPDATE drills SET violation = COALESCE(snapshot::json ->> 'violation', ''),
                             jurisdiction = COALESCE(snapshot::json ->> 'jurisdiction', '')""",
        "ALTER TABLE drills DROP COLUMN snapshot",
        "ALTER TABLE drills ADD COLUMN scored_upto integer NOT NULL DEFAULT -1",
        f"ALTER TABLE drills ADD COLUMN scored_by {_T} NOT NULL DEFAULT ''",
        f"""CREATE TABLE summaries (
            drill {_T} NOT NULL REFERENCES drills(id),
            team {_T} NOT NULL,
            overall double precision NOT NULL,
            summary {_T} NOT NULL,
            rowid bigint GENERATED ALWAYS AS IDENTITY,
            PRIMARY KEY (drill, team)
        )""",
        "CREATE INDEX summaries_team ON summaries(team)",
        f"""CREATE TABLE misses (
            drill {_T} NOT NULL REFERENCES drills(id),
            team {_T} NOT NULL,
            dimension {_T} NOT NULL,
            subject {_T} NOT NULL,
            how {_T} NOT NULL,
            label {_T} NOT NULL,
            source {_T}
        )""",
        "CREATE INDEX misses_drill ON misses(drill)",
        "CREATE INDEX drills_scenario ON drills(scenario_id)",
        "CREATE INDEX drills_violation ON drills(violation)",
        "CREATE INDEX drills_jurisdiction ON drills(jurisdiction)",
    ],
    3: [
        "ALTER TABLE drills ADD COLUMN archived integer NOT NULL DEFAULT 0",
        "CREATE INDEX drills_status ON drills(status)",
    ],
    4: [
        "ALTER TABLE drills ADD COLUMN results integer NOT NULL DEFAULT 0",
        "UPDATE drills SET results = (SELECT COUNT(*) FROM summaries s WHERE s.drill = drills.id)",
        f"ALTER TABLE drills ADD COLUMN exported {_T} NOT NULL DEFAULT ''",
        f"ALTER TABLE summaries ADD COLUMN created {_T} NOT NULL DEFAULT ''",
        f"ALTER TABLE summaries ADD COLUMN scenario_id {_T} NOT NULL DEFAULT ''",
        """UPDATE summaries SET (created, scenario_id) =
            (SELECT d.created, d.scenario_id FROM drills d WHERE d.id = summaries.drill)""",
        "CREATE INDEX summaries_latest ON summaries(team, created)",
        "CREATE INDEX summaries_compared ON summaries(team, scenario_id, created)",
        "CREATE INDEX misses_team ON misses(team)",
        "CREATE INDEX drills_shown ON drills(archived, created)",
        "CREATE INDEX drills_counted ON drills(archived, results)",
        "CREATE INDEX drills_scenarios ON drills(archived, scenario_id, title)",
        "CREATE INDEX drills_violations ON drills(archived, violation)",
        "CREATE INDEX drills_jurisdictions ON drills(archived, jurisdiction)",
        "CREATE INDEX drills_scored_by ON drills(scored_by)",
        "CREATE INDEX drills_unscored ON drills(created) WHERE scored_upto != events - 1",
        _function("summaries_counted", "UPDATE drills SET results = results + 1 WHERE id = NEW.drill;"),
        "CREATE TRIGGER summaries_counted AFTER INSERT ON summaries FOR EACH ROW EXECUTE FUNCTION summaries_counted()",
        _function("summaries_uncounted", "UPDATE drills SET results = results - 1 WHERE id = OLD.drill;"),
        "CREATE TRIGGER summaries_uncounted AFTER DELETE ON summaries "
        "FOR EACH ROW EXECUTE FUNCTION summaries_uncounted()",
        f"""CREATE TABLE exports (
            drill {_T} NOT NULL REFERENCES drills(id),
            team {_T} NOT NULL,
            format {_T} NOT NULL,
            rows bytea NOT NULL,
            PRIMARY KEY (drill, team, format)
        )""",
        f"""CREATE TABLE miss_totals (
            dimension {_T} NOT NULL,
            subject {_T} NOT NULL,
            how {_T} NOT NULL,
            label {_T} NOT NULL,
            source {_T},
            n integer NOT NULL
        )""",
        "CREATE INDEX miss_totals_key ON miss_totals(dimension, subject, how, label, source)",
        """INSERT INTO miss_totals
            SELECT m.dimension, m.subject, m.how, m.label, m.source, COUNT(*)
            FROM misses m JOIN drills d ON d.id = m.drill WHERE d.archived = 0
            GROUP BY m.dimension, m.subject, m.how, m.label, m.source""",
        _function("misses_counted", f"""IF (SELECT archived FROM drills WHERE id = NEW.drill) = 0 THEN
    {_LOCK_TOTALS}
    UPDATE miss_totals SET n = n + 1 WHERE {_miss_key('NEW')};
    INSERT INTO miss_totals SELECT NEW.dimension, NEW.subject, NEW.how, NEW.label, NEW.source, 1
    WHERE NOT EXISTS (SELECT 1 FROM miss_totals WHERE {_miss_key('NEW')});
END IF;"""),
        "CREATE TRIGGER misses_counted AFTER INSERT ON misses FOR EACH ROW EXECUTE FUNCTION misses_counted()",
        _function("misses_uncounted", f"""IF (SELECT archived FROM drills WHERE id = OLD.drill) = 0 THEN
    {_LOCK_TOTALS}
    UPDATE miss_totals SET n = n - 1 WHERE {_miss_key('OLD')};
END IF;"""),
        "CREATE TRIGGER misses_uncounted AFTER DELETE ON misses FOR EACH ROW EXECUTE FUNCTION misses_uncounted()",
        _function("drills_archived_misses", f"""{_LOCK_TOTALS}
INSERT INTO miss_totals
    SELECT m.dimension, m.subject, m.how, m.label, m.source, 0 FROM misses m
    WHERE m.drill = NEW.id AND NOT EXISTS (SELECT 1 FROM miss_totals t WHERE {_miss_key('m', 't')})
    GROUP BY m.dimension, m.subject, m.how, m.label, m.source;
UPDATE miss_totals SET n = n + (CASE WHEN NEW.archived <> 0 THEN -1 ELSE 1 END) * (
    SELECT COUNT(*) FROM misses m WHERE m.drill = NEW.id AND {_miss_key('m')})
WHERE EXISTS (SELECT 1 FROM misses m WHERE m.drill = NEW.id AND {_miss_key('m')});"""),
        "CREATE TRIGGER drills_archived_misses AFTER UPDATE OF archived ON drills "
        "FOR EACH ROW WHEN (OLD.archived != NEW.archived) EXECUTE FUNCTION drills_archived_misses()",
    ],
    5: [
        f"""CREATE TABLE join_codes (
            hash {_T} PRIMARY KEY,
            drill {_T} NOT NULL REFERENCES drills(id),
            team integer NOT NULL,
            issued {_T} NOT NULL
        )""",
        "CREATE INDEX join_codes_drill ON join_codes(drill)",
        f"""CREATE TABLE seats (
            drill {_T} NOT NULL REFERENCES drills(id),
            terminal {_T} NOT NULL,
            team integer NOT NULL,
            doing {_T} NOT NULL CHECK (doing IN ('watching', 'answering', 'left')),
            seen double precision NOT NULL,
            PRIMARY KEY (drill, terminal)
        )""",
    ],
}

# Read-only: what a database holds, before anything is written to it.
_TABLES = """SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c
             WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
               AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"""
NEWEST_VERSION = "SELECT MAX(version) FROM schema_version"


def identify(conn: Any, shown: str) -> int:
    """The schema version of the database, 0 for an empty one (no table where the store's
    tables go, the first schema of the search path); StoreError when it is not ours or from a
    newer breachdrill. Reads only."""
    tables = dict(conn.execute(_TABLES).fetchall())
    if not tables:
        return 0
    if tables.get("schema_version") != MARK:
        raise StoreError(f"{shown}: not a breachdrill database")
    version = conn.execute(NEWEST_VERSION).fetchone()[0] or 0
    if version > SCHEMA_VERSION:
        raise StoreError(f"{shown}: made by a newer breachdrill (schema {version}); upgrade breachdrill to open it")
    return version
