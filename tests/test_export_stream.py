"""`results export` streams one drill at a time into its file: a big export is whole and in
order, and a drill that cannot be read stops it with one line and no half-written file."""

from __future__ import annotations

import csv
import io
import sqlite3

from _drill_fixtures import as_answers, ei_key, ei_scenario
from helpers import run_cli

from scenarios.guide import answers as guide_answers
from scoring import history
from scoring.report.tabular import finding_rows, to_csv
from scoring.store import Store

SCENARIO = ei_scenario()
KEY = ei_key(SCENARIO)
GUIDE = as_answers(SCENARIO, guide_answers(SCENARIO, KEY))


def fill(db, drills: int) -> list[str]:
    ids = []
    with Store(db) as store:
        for n in range(drills):
            clock = iter(1_788_000_000.0 + n * 3600 + k for k in range(1000)).__next__
            drill, ex = store.start(SCENARIO, seed=n, teams=["blue", "red"], scenario_hash="t",
                                    playbook=KEY.playbook.model_dump(mode="json"), clock=clock)
            for team in ("blue", "red"):
                while ex.state.teams[team].next is not None:
                    inject = ex.release(team).inject
                    if team == "blue" or n % 2:
                        ex.submit(team, inject, GUIDE[inject])
            ex.end()
            ids.append(drill)
    return ids


def test_a_long_export_is_every_drill_in_order_in_chunks(tmp_path):
    db, out = tmp_path / "d.db", tmp_path / "all.csv"
    ids = fill(db, 60)
    result = run_cli("results", "export", "--db", str(db), "-o", str(out))
    assert result.returncode == 0, result.stderr
    with Store(db) as store:
        expected = to_csv(row for drill in ids for row in finding_rows(history.load(store, drill)))
    text = out.read_bytes().decode("utf-8")
    assert len(text) > 65_536, "big enough to be written in several chunks"
    assert text == expected
    order = list(dict.fromkeys(r[0] for r in csv.reader(io.StringIO(text))))[1:]
    assert order == ids, "oldest drill first, as a spreadsheet reads"


def test_a_drill_that_cannot_be_read_stops_the_export_with_no_half_file(tmp_path):
    """A drill whose cached rows are stale (here: from an older scorer) is scored from its events
    for the export; when those cannot be read, the export stops with one line and no file."""
    db, out = tmp_path / "d.db", tmp_path / "all.csv"
    ids = fill(db, 3)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE events SET payload = '{not json' WHERE drill = ? AND seq = 1", (ids[2],))
    conn.execute("UPDATE drills SET scored_by = 'older' WHERE id = ?", (ids[2],))
    conn.commit()
    conn.close()
    result = run_cli("results", "export", "--db", str(db), "-o", str(out))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and f"drill '{ids[2]}' has an unreadable event" in result.stderr
    assert not out.exists() and not (tmp_path / ".all.csv.partial").exists()


def test_a_fresh_cache_is_exported_without_reading_the_events(tmp_path):
    """Rows cached with the drill's last event are the export: its events are not read again
    (so damage to them alone goes unseen until the drill is next scored)."""
    db, out = tmp_path / "d.db", tmp_path / "all.csv"
    ids = fill(db, 3)
    with Store(db) as store:
        expected = to_csv(row for drill in ids for row in finding_rows(history.load(store, drill)))
    conn = sqlite3.connect(db)
    conn.execute("UPDATE events SET payload = '{not json' WHERE drill = ? AND seq = 1", (ids[2],))
    conn.commit()
    conn.close()
    result = run_cli("results", "export", "--db", str(db), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().decode("utf-8") == expected
