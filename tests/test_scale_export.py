"""`results export` from the cache of each team's rows is byte for byte the export computed the
old way (every drill loaded and scored from its events, each row written by the csv module or
json.dumps), kept here whole so that a faster path cannot drift: after corrections, renames,
archives and restores, with every filter, for team names a spreadsheet or JSON must escape, for
a store whose cache is stale, missing or from before the cache existed. Real SQLite files."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import zlib
from datetime import date

import pytest
from _drill_fixtures import as_answers, ei_key, ei_scenario
from _review_store import build, read_sql
from helpers import run_cli

from scenarios.guide import answers as guide_answers
from scoring import history
from scoring.report.aar import capability_of
from scoring.store import Store
from tui.cli import main

SCENARIO = ei_scenario()
KEY = ei_key(SCENARIO)
GUIDE = as_answers(SCENARIO, guide_answers(SCENARIO, KEY))
ODD_TEAMS = ['=HYPERLINK("http://x")', "-minus, comma", "@at", 'quote"d \\ back', "Équipe ✓ 東京",
             "tab\tinside", "line\nbreak", "+plus"]

# --- the old export, as it was before the cache (kept verbatim) -------------------------------

COLUMNS = (
    "drill_id", "created", "scenario_id", "scenario_title", "violation", "jurisdiction", "team", "overall",
    "dimension", "effect", "points_gained", "points_lost", "inject", "subject", "capability", "finding", "source",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def old_safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def old_finding_rows(drill):
    row, scenario, key = drill.row, drill.scenario, drill.key
    for team, card in drill.cards.items():
        for f in card.findings:
            yield {
                "drill_id": row.id, "created": row.created, "scenario_id": scenario.id,
                "scenario_title": scenario.title, "violation": scenario.violation,
                "jurisdiction": scenario.jurisdiction, "team": team, "overall": card.overall,
                "dimension": f.dimension, "effect": f.effect,
                "points_gained": f.points if f.points > 0 else 0.0,
                "points_lost": -f.points if f.points < 0 else 0.0,
                "inject": f.inject, "subject": f.subject, "capability": capability_of(f, key),
                "finding": f.message, "source": f.source,
            }


def old_where(filters: history.Filters) -> tuple[str, tuple]:
    terms, params = ["d.archived = 0"], []
    for column, value in (("d.scenario_id", filters.scenario), ("d.violation", filters.violation),
                          ("d.jurisdiction", filters.jurisdiction)):
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


def reference_export(db, filters: history.Filters | None = None, fmt: str = "csv") -> str:
    """Every drill the filters match, oldest first, loaded and scored from its events (no cache
    read), its rows written as the export wrote them before the cache."""
    filters = filters or history.Filters()
    with Store(db) as store:
        where, params = old_where(filters)
        ids = [r[0] for r in read_sql(store, f"SELECT d.id FROM drills d WHERE {where} ORDER BY d.created, d.rowid",
                                       params)]
        rows = [r for d in ids for r in old_finding_rows(history.load(store, d))
                if filters.team is None or r["team"] == filters.team]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for r in rows:
            writer.writerow([old_safe_cell(r[c]) for c in COLUMNS])
        return out.getvalue()
    if not rows:
        return "[]\n"
    items = (json.dumps(r, indent=2, ensure_ascii=False).replace("\n", "\n  ") for r in rows)
    return "[\n  " + ",\n  ".join(items) + "\n]\n"


# --- the stores ---------------------------------------------------------------------------------

def odd_drill(store: Store, teams: list[str], n: int, end: bool = True):
    clock = iter(1_790_000_000.0 + n * 86_400 + k for k in range(1000)).__next__
    drill, ex = store.start(SCENARIO, seed=n, teams=teams, scenario_hash="t",
                            playbook=KEY.playbook.model_dump(mode="json"), clock=clock)
    for i, team in enumerate(teams):
        while ex.state.teams[team].next is not None:
            inject = ex.release(team).inject
            ex.submit(team, inject, GUIDE[inject] if (i + n) % 2 else "wait" if inject == "police" else GUIDE[inject])
    if end:
        ex.end()
    return drill, ex


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    """Drills of every built-in scenario, then drills of odd team names, corrected, renamed,
    archived and restored after they ended, one left running."""
    db = build(tmp_path_factory.mktemp("export") / "drills.db", drills=18)
    with Store(db) as store:
        ids = [odd_drill(store, ODD_TEAMS[i:i + 3], n=i) for i in range(0, len(ODD_TEAMS), 3)]
        (first, ex1), (second, ex2), (third, ex3) = ids
        ex1.correct(ODD_TEAMS[1], "police", "call-police", reason="read the sheet wrong")
        ex2.rename(ODD_TEAMS[3], "Renamed, \"again\"")
        ex3.archive("a trial run")
        archived_then_restored, ex4 = odd_drill(store, ["Blue", "Red"], n=9)
        ex4.archive()
        ex4.restore()
        odd_drill(store, ["Blue", "=still running"], n=10, end=False)
    return db


@pytest.fixture
def db(played, tmp_path):
    path = tmp_path / "drills.db"
    shutil.copyfile(played, path)
    return path


def export(db, tmp_path, *args: str, fmt: str = "csv") -> str:
    out = tmp_path / f"out.{fmt}"
    out.unlink(missing_ok=True)
    assert main(["results", "export", "--db", str(db), "--format", fmt, "-o", str(out), *args]) == 0
    return out.read_bytes().decode("utf-8")


def cached_rows(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM exports").fetchone()[0]


# --- the tests ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_export_is_the_reference_byte_for_byte(db, tmp_path, fmt):
    expected = reference_export(db, fmt=fmt)
    assert export(db, tmp_path, fmt=fmt) == expected
    assert "Renamed, \"\"again\"\"" in expected or "Renamed, \\\"again\\\"" in expected
    assert "'=HYPERLINK" in expected or fmt == "json"
    assert "a trial run" not in expected


@pytest.mark.parametrize(("args", "filters"), [
    (["--team", "Blue"], history.Filters(team="Blue")),
    (["--team", "line\nbreak"], history.Filters(team="line\nbreak")),
    (["--scenario", SCENARIO.id], history.Filters(scenario=SCENARIO.id)),
    (["--violation", "unsecured-pii"], history.Filters(violation="unsecured-pii")),
    (["--jurisdiction", "st-louis"], history.Filters(jurisdiction="st-louis")),
    (["--since", "2026-09-05", "--until", "2026-09-09"],
     history.Filters(since=date(2026, 9, 5), until=date(2026, 9, 9))),
    (["--until", "2026-08-29"], history.Filters(until=date(2026, 8, 29))),
    (["--since", "2030-01-01"], history.Filters(since=date(2030, 1, 1))),
])
def test_every_filter_exports_what_the_reference_does(db, tmp_path, args, filters):
    for fmt in ("csv", "json"):
        assert export(db, tmp_path, *args, fmt=fmt) == reference_export(db, filters, fmt)


def test_the_cache_follows_corrections_renames_and_archives_of_ended_drills(db, tmp_path):
    before = export(db, tmp_path)
    with Store(db) as store:
        mine = [r for r in store.drills() if r.scenario_id == SCENARIO.id and r.status == "ended" and not r.archived]
        ex = store.resume(mine[0].id)
        team = mine[0].teams[0]
        ex.correct(team, "police", "wait", reason="the sheet said wait")
        ex.rename(team, "=Renamed after the end")
        store.resume(mine[1].id).archive("a mistake")
        # The store saved every cache with those events: nothing is left for the export to rebuild
        # but the running drill, which the export (a reading command: it writes nothing) scored
        # as it went without saving it.
        assert history.stale(store) == [r.id for r in store.drills(status="in-progress")]
        assert history.unexported(store) == []
    after = export(db, tmp_path)
    assert after != before and "'=Renamed after the end" in after and mine[1].id not in after
    assert after == reference_export(db)
    with Store(db) as store:
        store.resume(mine[1].id).restore()
    text = export(db, tmp_path, fmt="json")
    assert mine[1].id in text and text == reference_export(db, fmt="json")


def test_a_running_drill_is_exported_as_it_stands_and_its_cache_follows_it(db, tmp_path):
    with Store(db) as store:
        running = store.drills(status="in-progress")[0].id
        assert running in history.stale(store)
    text = export(db, tmp_path)
    assert running in text and text == reference_export(db)
    with Store(db) as store:
        store.resume(running).end()
        assert history.stale(store) == [] and history.unexported(store) == []
    assert export(db, tmp_path) == reference_export(db)


def test_a_stale_cache_is_never_written_out(db, tmp_path):
    """Rows cached by an older scorer (here: rows that say something else) are made again from
    the events for the export, never exported as they are; the export only reads, so the file
    keeps its stale cache (Review, or the drill's next event, rebuilds it)."""
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE exports SET rows = ?", (zlib.compress(b"\"not\",\"this\"\r\n"),))
        conn.execute("UPDATE drills SET scored_by = 'older'")
        drills = conn.execute("SELECT COUNT(*) FROM drills").fetchone()[0]
    assert export(db, tmp_path) == reference_export(db)
    assert export(db, tmp_path, "--team", "Blue", fmt="json") == reference_export(db, history.Filters(team="Blue"),
                                                                                  fmt="json")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM drills WHERE scored_by = 'older'").fetchone()[0] == drills


def test_cached_rows_of_another_layout_or_none_at_all_are_rebuilt(db, tmp_path):
    """A store from before the rows were cached (or of another export layout) has fresh
    summaries and no usable rows: the export makes them from the events (and, only reading,
    saves none of them: a rebuild does)."""
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM exports")
        conn.execute("UPDATE drills SET exported = '0'")
    assert export(db, tmp_path, fmt="json") == reference_export(db, fmt="json")
    assert cached_rows(db) == 0
    with Store(db) as store:
        history.refresh_stale(store)  # what Review's rebuild does
        assert history.unexported(store) == [] and cached_rows(db) > 0
    assert export(db, tmp_path, fmt="json") == reference_export(db, fmt="json")


def test_rows_lost_from_the_cache_are_made_from_the_events(db, tmp_path):
    """The cache says it is whole but a team's rows are gone: that drill is scored instead."""
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM exports WHERE rowid IN (SELECT rowid FROM exports ORDER BY rowid LIMIT 5)")
    assert export(db, tmp_path) == reference_export(db)
    assert export(db, tmp_path, fmt="json") == reference_export(db, fmt="json")


def test_an_empty_selection_is_a_header_or_an_empty_array(db, tmp_path):
    assert export(db, tmp_path, "--team", "nobody") == reference_export(db, history.Filters(team="nobody"))
    assert export(db, tmp_path, "--team", "nobody", fmt="json") == "[]\n"


def test_the_real_command_line_writes_the_same_file(db, tmp_path):
    out = tmp_path / "cli.csv"
    result = run_cli("results", "export", "--db", str(db), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().decode("utf-8") == reference_export(db)
    shown = run_cli("results", "export", "--db", str(db), "--format", "json")
    assert shown.returncode == 0 and shown.stdout == reference_export(db, fmt="json")


def test_the_export_reads_one_indexed_walk_without_sorting_every_row(db):
    """The rows come in the drills' order from the (archived, created) index, never from a
    sort of every cached row (which would hold them all)."""
    with Store(db) as store:
        sent: list[str] = []
        store._conn.set_trace_callback(sent.append)
        list(history.export_teams(store, history.Filters(), "csv"))
        store._conn.set_trace_callback(None)
        (sql,) = [s for s in sent if "exports" in s]
        plan = [r[-1] for r in store._conn.execute("EXPLAIN QUERY PLAN " + sql)]
    assert any("drills_shown" in step for step in plan), plan
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
    assert not any(step.startswith("SCAN") for step in plan), plan
