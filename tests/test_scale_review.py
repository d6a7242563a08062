"""Review's queries at any size: each one an index range it can stop in (EXPLAIN QUERY PLAN says
so), each answering exactly what the plain SQL they replaced answered (kept here whole), the
counters kept by triggers equal to a count of what they count after every kind of event, and a
store of schema 3 migrated with nothing lost. Real SQLite files, small ones: a plan does not
depend on the size of the tables (the store runs no ANALYZE)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import replace
from datetime import date

import pytest
from _review_store import build, read_sql

from scoring import history
from scoring.dbfile import APPLICATION_ID, SCHEMA_VERSION
from scoring.history import Filters, Miss, MissCount, TeamResult, Trend
from scoring.store import MIGRATIONS, Store, statements

# --- the queries Review sent before migration 4 (kept verbatim: the reference) ----------------

_FROM = "FROM summaries s JOIN drills d ON d.id = s.drill"


def old_where(filters: Filters, team: str = "s.team") -> tuple[str, tuple]:
    terms, params = ["d.archived = 0"], []
    for column, value in (("d.scenario_id", filters.scenario), ("d.violation", filters.violation),
                          ("d.jurisdiction", filters.jurisdiction), (team, filters.team)):
        if value is not None:
            terms.append(f"{column} = ?")
            params.append(value)
    if filters.since is not None:
        terms.append("substr(d.created, 1, 10) >= ?")
        params.append(filters.since.isoformat())
    if filters.until is not None:
        terms.append("substr(d.created, 1, 10) <= ?")
        params.append(filters.until.isoformat())
    return " AND ".join(terms), tuple(params)


def old_results(store, filters, limit=None):
    where, params = old_where(filters)
    sql = f"""SELECT d.id, d.created, d.status, d.scenario_id, d.title, d.violation, d.jurisdiction,
                     s.team, s.overall, s.summary {_FROM} WHERE {where}
              ORDER BY d.created DESC, d.rowid DESC, s.rowid"""
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    out = []
    for *head, overall, raw in read_sql(store, sql, params):
        summary = json.loads(raw)
        out.append(TeamResult(*head, overall, summary["dimensions"], summary["ratings"]))
    return out


def old_count(store, filters):
    where, params = old_where(filters)
    return tuple(read_sql(store, f"SELECT COUNT(DISTINCT d.id), COUNT(*) {_FROM} WHERE {where}", params)[0])


def old_choices(store):
    return {
        "scenario": sorted(tuple(r) for r in read_sql(store,
            "SELECT DISTINCT scenario_id, title FROM drills WHERE archived = 0 ORDER BY scenario_id")),
        "violation": [(r[0], r[0]) for r in read_sql(store,
            "SELECT DISTINCT violation FROM drills WHERE archived = 0 ORDER BY 1")],
        "jurisdiction": [(r[0], r[0]) for r in read_sql(store,
            "SELECT DISTINCT jurisdiction FROM drills WHERE archived = 0 ORDER BY 1")],
        "team": [(r[0], r[0]) for r in read_sql(store,
            f"SELECT DISTINCT s.team {_FROM} WHERE d.archived = 0 ORDER BY lower(s.team), s.team")],
    }


def old_most_missed(store, filters, limit=10):
    where, params = old_where(filters, team="m.team")
    came_up = where.replace("m.team", "a.team")
    rows = read_sql(store,
        f"""SELECT m.dimension, m.subject, m.label, m.how, m.source, COUNT(*) AS n,
                   (SELECT COUNT(*) FROM misses a JOIN drills d ON d.id = a.drill
                    WHERE {came_up} AND a.dimension = m.dimension AND a.subject = m.subject
                          AND a.label = m.label AND a.source IS m.source) AS came_up
            FROM misses m JOIN drills d ON d.id = m.drill
            WHERE {where} AND m.how != 'done' GROUP BY m.dimension, m.subject, m.how, m.label, m.source
            ORDER BY n DESC, 1, 2, 4, 3, 5 LIMIT ?""",
        params + params + (limit,),
    )
    return [MissCount(Miss(dim, subject, label, how, source), n, of)
            for dim, subject, label, how, source, n, of in rows]


def old_trends(store, filters, last=None):
    where, params = old_where(filters)
    sql = f"""SELECT s.team, d.created, s.overall, d.scenario_id, d.id,
                     ROW_NUMBER() OVER (PARTITION BY s.team ORDER BY d.created DESC, d.rowid DESC) AS age
              {_FROM} WHERE {where}"""
    if last is not None:
        sql = f"SELECT * FROM ({sql}) WHERE age <= {int(last)}"
    by_team = {}
    for team, created, overall, scenario, drill, _ in read_sql(store, sql + " ORDER BY 2, age DESC", params):
        by_team.setdefault(team, Trend(team)).points.append((created, overall, scenario, drill))
    return sorted(by_team.values(), key=lambda t: t.team.casefold())


def old_compare(store, filters, scenario_id):
    where, params = old_where(replace(filters, scenario=scenario_id))
    rows = read_sql(store,
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


def old_stale(store):
    return [r[0] for r in read_sql(store,
        "SELECT id FROM drills WHERE scored_upto != events - 1 OR scored_by != ? ORDER BY created DESC, rowid DESC",
        (history.SCORER_VERSION,))]


FILTERS = [
    Filters(),
    Filters(team="Red"),
    Filters(team="Green [bold]Crew[/bold]"),
    Filters(team="nobody"),
    Filters(scenario="stl-unpatched-system"),
    Filters(violation="unsecured-pii"),
    Filters(jurisdiction="st-louis", team="Blue"),
    Filters(since=date(2026, 9, 10)),
    Filters(until=date(2026, 9, 10)),
    Filters(since=date(2026, 9, 5), until=date(2026, 9, 5)),
    Filters(until=date.max),
]


def assert_same_as_before(store: Store) -> None:
    """Every Review query answers what the query it replaced answers, for every filter."""
    choices = history.choices(store)
    old = old_choices(store)
    assert sorted(choices["scenario"]) == old["scenario"]
    assert choices["violation"] == old["violation"] and choices["jurisdiction"] == old["jurisdiction"]
    assert choices["team"] == old["team"]
    for filters in FILTERS:
        assert history.count(store, filters) == old_count(store, filters), filters
        assert history.results(store, filters) == old_results(store, filters), filters
        assert history.results(store, filters, limit=7) == old_results(store, filters, limit=7), filters
        missed = history.most_missed(store, filters, limit=1000)
        assert sorted(missed, key=repr) == sorted(old_most_missed(store, filters, limit=1000), key=repr), filters
        assert [m.count for m in history.most_missed(store, filters, limit=5)] == [
            m.count for m in old_most_missed(store, filters, limit=5)]
        for last in (None, 1, 3, 60):
            assert history.trends(store, filters, last=last) == old_trends(store, filters, last=last), (filters, last)
        for scenario, _ in old["scenario"]:
            assert history.compare(store, filters, scenario) == old_compare(store, filters, scenario), scenario
    assert history.stale(store) == old_stale(store)


def assert_counters_exact(db) -> None:
    """drills.results and miss_totals are what they count, counted again."""
    with sqlite3.connect(db) as conn:
        miscounted = conn.execute("""SELECT COUNT(*) FROM drills d
                                     WHERE results != (SELECT COUNT(*) FROM summaries s WHERE s.drill = d.id)""")
        assert miscounted.fetchone() == (0,)
        totals = conn.execute("SELECT dimension, subject, how, label, source, n FROM miss_totals WHERE n != 0")
        totals = totals.fetchall()
        counted = conn.execute("""SELECT m.dimension, m.subject, m.how, m.label, m.source, COUNT(*)
                                  FROM misses m JOIN drills d ON d.id = m.drill WHERE d.archived = 0
                                  GROUP BY 1, 2, 3, 4, 5""").fetchall()
        assert sorted(totals, key=repr) == sorted(counted, key=repr)
        assert conn.execute("SELECT COUNT(*) FROM miss_totals WHERE n < 0").fetchone() == (0,)
        drift = conn.execute("""SELECT COUNT(*) FROM summaries s JOIN drills d ON d.id = s.drill
                                WHERE s.created != d.created OR s.scenario_id != d.scenario_id""").fetchone()
        assert drift == (0,)


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    db = build(tmp_path_factory.mktemp("review-scale") / "drills.db", drills=36)
    with Store(db) as store:
        rows = store.drills()
        store.resume(rows[3].id).archive("a test run")
        store.resume(rows[5].id).archive()
        store.resume(rows[5].id).restore()
        single = [r for r in rows if len(r.teams) == 1 and not r.archived]
        store.resume(single[2].id).rename(single[2].teams[0], "blue")  # lower() ties: Blue, blue
        store.resume(single[4].id).rename(single[4].teams[0], "Amber")  # a team of one drill
    return db


@pytest.fixture
def db(played, tmp_path):
    path = tmp_path / "drills.db"
    shutil.copyfile(played, path)
    return path


def test_every_query_answers_what_it_answered_before(db):
    with Store(db) as store:
        assert_same_as_before(store)
    assert_counters_exact(db)


def test_with_more_values_than_seeks_pay_for_one_query_reads_them_all_the_same(db, monkeypatch):
    """Past LOOSE_LIMIT distinct values (a store of as many teams as drills) each list is one
    plain query again, with the same answers."""
    monkeypatch.setattr(history, "LOOSE_LIMIT", 2)
    with Store(db) as store:
        assert len(history._teams(store)) > 2 and len(history.choices(store)["scenario"]) > 2
        assert_same_as_before(store)


def test_the_counters_follow_every_event_and_every_rebuild(db):
    with Store(db) as store:
        missing = {r[0] for r in read_sql(store, "SELECT drill FROM misses")}
        ended = [r for r in store.drills() if r.status == "ended" and not r.archived and r.id in missing]
        assert len(ended) >= 3
        before = history.most_missed(store, limit=1000)
        store.resume(ended[0].id).archive("oops")
        assert history.most_missed(store, limit=1000) != before
        assert_counters_exact(db)
        store.resume(ended[0].id).restore()
        store.resume(ended[1].id).archive()
        store.delete(ended[2].id)
        store.delete(ended[1].id)  # archived, with its misses
        assert_counters_exact(db)
        assert_same_as_before(store)
    with sqlite3.connect(db) as conn:  # what bench_review and an older breachdrill leave
        conn.execute("DELETE FROM summaries WHERE rowid % 3 = 0")
        conn.execute("DELETE FROM misses WHERE rowid % 2 = 0")
        conn.execute("UPDATE drills SET scored_upto = -1 WHERE rowid % 4 = 0")
    assert_counters_exact(db)
    with Store(db) as store:
        assert_same_as_before(store)
        history.refresh_stale(store)
        assert history.stale(store) == [] and history.unexported(store) == []
        assert_same_as_before(store)
    assert_counters_exact(db)


def test_a_new_scorer_makes_every_drill_stale_and_the_rebuild_changes_nothing_else(db, monkeypatch):
    with Store(db) as store:
        before = history.results(store)
        monkeypatch.setattr(history, "SCORER_VERSION", "next")
        assert history.stale(store) == old_stale(store) and len(history.stale(store)) == len(store.drills())
        assert history.rebuild(store, history.stale(store)) == len(store.drills())
        assert history.stale(store) == [] and history.results(store) == before
        assert_same_as_before(store)
    assert_counters_exact(db)


# --- the plans ----------------------------------------------------------------------------------

BIG = ("drills", "summaries", "misses", "events", "exports", "d", "s", "m", "x")


def sent_by(store: Store, call) -> list[str]:
    sent: list[str] = []
    store._conn.set_trace_callback(sent.append)
    try:
        call()
    finally:
        store._conn.set_trace_callback(None)
    return [sql for sql in sent if sql.lstrip().upper().startswith(("SELECT", "WITH"))]


def plan(store: Store, sql: str) -> list[str]:
    return [r[-1] for r in store._conn.execute("EXPLAIN QUERY PLAN " + sql)]


def walks_a_table(steps: list[str]) -> list[str]:
    """The steps that read a whole table or a whole index of one (SCAN x, SCAN x USING ...),
    but for the partial index of drills behind their events (empty while all are scored)."""
    return [s for s in steps if s.startswith("SCAN ") and s.split()[1] in BIG and "drills_unscored" not in s]


def review_reads(store: Store, filters: Filters) -> None:
    """What Review reads: on opening (choices, counts, the newest page, stale drills), then each
    pane as its tab is opened."""
    history.choices(store)
    history.count(store, filters)
    history.results(store, filters, limit=300)
    history.stale(store)
    history.most_missed(store, filters, limit=20)
    history.trends(store, filters, last=60)
    history.compare(store, filters, filters.scenario or "stl-unpatched-system")


@pytest.mark.parametrize("filters", [Filters(), Filters(team="Red"), Filters(scenario="stl-unpatched-system"),
                                     Filters(since=date(2026, 9, 10), until=date(2026, 9, 20))],
                         ids=["none", "team", "scenario", "dates"])
def test_no_query_of_review_walks_a_whole_table(db, filters):
    with Store(db) as store:
        sent = sent_by(store, lambda: review_reads(store, filters))
        assert len(sent) > 10
        for sql in sent:
            steps = plan(store, sql)
            assert not walks_a_table(steps), (sql, steps)


def test_each_query_of_review_uses_its_index(db):
    with Store(db) as store:
        def steps(call) -> str:
            return "\n".join(step for sql in sent_by(store, call) for step in plan(store, sql))

        page = steps(lambda: history.results(store, Filters(), limit=300))
        assert "drills_shown" in page and "USE TEMP B-TREE FOR ORDER BY" not in page, page
        assert "drills_counted" in steps(lambda: history.count(store, Filters()))
        chosen = steps(lambda: history.choices(store))
        for index in ("drills_scenarios", "drills_violations", "drills_jurisdictions", "summaries_team"):
            assert index in chosen, chosen
        trend = steps(lambda: history.trends(store, Filters(), last=60))
        assert "summaries_latest" in trend and "USE TEMP B-TREE FOR ORDER BY" not in trend, trend
        assert "summaries_compared" in steps(lambda: history.compare(store, Filters(), "stl-unpatched-system"))
        missed = steps(lambda: history.most_missed(store, Filters(), limit=20))
        assert "miss_totals" in missed and " m " not in missed, missed
        assert "misses_team" in steps(lambda: history.most_missed(store, Filters(team="Red"), limit=20))
        stale = steps(lambda: history.stale(store))
        assert "drills_unscored" in stale and "drills_scored_by (scored_by<?)" in stale, stale


def test_interrupted_drills_are_one_indexed_query(db):
    with Store(db) as store:
        sent = sent_by(store, lambda: store.drills(status="in-progress"))
        assert len(sent) == 1
        steps = plan(store, sent[0])
    assert steps[0] == "SEARCH drills USING INDEX drills_status (status=?)", steps
    assert not walks_a_table(steps)


class TracedStore(Store):
    """A Store whose connection reports every statement from the moment it is opened."""

    sent: list[str] = []

    def _prepare(self, conn):
        conn.set_trace_callback(self.sent.append)
        super()._prepare(conn)


def test_opening_a_store_of_our_schema_reads_no_table_and_takes_no_lock(db):
    TracedStore.sent = []
    with TracedStore(db) as store:
        store._conn.set_trace_callback(None)
    sent = " ".join(TracedStore.sent).upper()
    assert "BEGIN" not in sent, TracedStore.sent  # a writer holding the lock never keeps a reader waiting
    for table in ("DRILLS", "EVENTS", "SUMMARIES", "MISSES", "EXPORTS"):
        assert f" {table}" not in sent, TracedStore.sent
    assert "SCHEMA_VERSION" in sent  # the version is checked, from its own one-row table


# --- a store of schema 3 ------------------------------------------------------------------------

V3_COLUMNS = {
    "drills": "id, scenario_id, title, scenario_hash, seed, teams, mode, timed, created, status, events, "
              "violation, jurisdiction, scored_upto, scored_by, archived",
    "events": "drill, seq, type, at, payload",
    "summaries": "drill, team, overall, summary",
    "misses": "drill, team, dimension, subject, how, label, source",
}


def test_a_schema_3_store_is_migrated_with_every_answer_the_same(db, tmp_path):
    """A store of schema 3 (written here from a played one's rows) opens under schema 4: the new
    columns, counters and indexes are filled from what it holds; Review reads what it read."""
    old = tmp_path / "v3.db"
    conn = sqlite3.connect(old, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)")
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    conn.execute("BEGIN")
    for version in (1, 2, 3):
        for statement in statements(MIGRATIONS[version]):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_version VALUES (?, '2026-11-01T00:00:00+00:00')", (version,))
    conn.execute("ATTACH ? AS played", (str(db),))
    for table, columns in V3_COLUMNS.items():
        conn.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM played.{table} ORDER BY rowid")
    conn.execute("COMMIT")
    conn.execute("DETACH played")
    conn.close()
    with Store(old) as migrated, Store(db) as played:
        assert read_sql(migrated, "SELECT MAX(version) FROM schema_version")[0][0] == SCHEMA_VERSION == 5
        for filters in FILTERS:
            assert history.results(migrated, filters) == history.results(played, filters)
            assert history.count(migrated, filters) == history.count(played, filters)
        assert_same_as_before(migrated)
        assert history.stale(migrated) == history.stale(played)
        scored = read_sql(migrated, "SELECT COUNT(*) FROM drills WHERE results > 0")[0][0]
        assert len(history.unexported(migrated)) == scored
    assert_counters_exact(old)
