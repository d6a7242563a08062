"""The PostgreSQL store in particular (the store's semantics on both backends are test_store*.py's):
8 real processes appending to one drill at once, a stale writer refused, refusals and a wrong
password as one line without it, the command line on a URL scoring as it does on a file, and the
placeholders translated. Faults (the server restarting mid-drill) are test_postgres_store_faults.py's."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time

import pytest
import yaml
from _drill_fixtures import ROOT, as_answers, ei_key, ei_scenario, ei_scenario_data
from _review_store import raw_sql
from helpers import run_cli

from scenarios.events import InjectReleased
from scenarios.guide import answers as guide_answers
from scoring.store import Behind, StoreError, open_store
from scoring.store.pg_sql import event_rows, params, translate

SCENARIO = ei_scenario()
KEY = ei_key(SCENARIO)
GUIDE = as_answers(SCENARIO, guide_answers(SCENARIO, KEY))
WRITERS, EACH = 8, 40

# One writer: appends EACH events, each naming the writer and its own count, as fast as it can.
APPENDER = """
import sys, time
from scenarios.events import InjectReleased
from scoring.store import open_store
url, drill, me, n, begin = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
with open_store(url) as store:
    time.sleep(max(0.0, begin - time.time()))
    for k in range(n):
        print(store.append(drill, InjectReleased(team=me, inject=f"{me}-{k:03d}")), flush=True)
"""


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def _start(store, teams=("blue",)):
    return store.start(SCENARIO, seed=5, teams=list(teams), scenario_hash="test",
                       playbook=KEY.playbook.model_dump(mode="json"))


def _password(url: str) -> str:
    return url.split("://", 1)[1].rsplit("@", 1)[0].partition(":")[2]


def test_eight_processes_appending_at_once_lose_double_and_reorder_nothing(postgres_db):
    with open_store(postgres_db) as store:
        drill, _ = _start(store)
    begin = time.time() + 2.0  # after every interpreter has started
    procs = [subprocess.Popen([sys.executable, "-c", APPENDER, postgres_db, drill, f"w{n}", str(EACH), str(begin)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
             for n in range(WRITERS)]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    rows = raw_sql(postgres_db, "SELECT seq, payload FROM events WHERE drill = ? ORDER BY seq", (drill,))
    total = 1 + WRITERS * EACH
    assert [seq for seq, _ in rows] == list(range(total))  # no gap, no double
    written = [json.loads(payload) for _, payload in rows[1:]]
    for n, (out, _) in enumerate(outputs):
        mine = [e for e in written if e["team"] == f"w{n}"]
        assert [e["inject"] for e in mine] == [f"w{n}-{k:03d}" for k in range(EACH)]  # once each, in its order
        seqs = [int(line) for line in out.split()]  # what each append returned: its own event's seq
        assert [json.loads(rows[s][1])["inject"] for s in seqs] == [f"w{n}-{k:03d}" for k in range(EACH)]
    switches = sum(a["team"] != b["team"] for a, b in itertools.pairwise(written))
    assert switches >= WRITERS, "the writers ran at once: more than one after another"
    assert raw_sql(postgres_db, "SELECT events FROM drills WHERE id = ?", (drill,)) == [(total,)]


def test_a_writer_that_has_not_seen_the_latest_event_is_refused(postgres_db):
    with open_store(postgres_db) as console, open_store(postgres_db) as player:
        drill, ex = _start(console)
        seen = player.last_seq(drill) + 1  # what the player's terminal holds
        ex.release("blue")  # the console writes first
        with pytest.raises(Behind, match=f"drill {drill}: another terminal recorded event {seen} first"):
            player.append(drill, InjectReleased(team="blue", inject="evidence"), expect=seen)
        assert player.last_seq(drill) == seen  # nothing written
        assert player.append(drill, InjectReleased(team="blue", inject="evidence"), expect=seen + 1) == seen + 1


def test_the_command_line_refuses_a_database_that_is_not_ours_in_one_line(postgres_db):
    raw_sql(postgres_db, "CREATE TABLE invoices (id integer)")
    result = run_cli("results", "list", "--db", postgres_db)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.endswith(": not a breachdrill database\n")
    assert _password(postgres_db) not in result.stderr and "***" in result.stderr
    assert raw_sql(postgres_db, "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace") == [
        ("invoices",)]


def test_a_newer_database_is_refused_by_the_command_line_too(postgres_db):
    with open_store(postgres_db) as store:
        _start(store)
    raw_sql(postgres_db, "INSERT INTO schema_version VALUES (6, 'later')")
    result = run_cli("results", "list", "--db", postgres_db)
    assert result.returncode == 2, result.stderr
    assert "made by a newer breachdrill (schema 6); upgrade breachdrill to open it" in result.stderr
    assert _password(postgres_db) not in result.stderr


def test_a_wrong_password_is_one_line_without_either_password(postgres_db):
    right = _password(postgres_db)
    wrong_url = postgres_db.replace(f":{right}@", ":not-the-password-42@", 1)
    with pytest.raises(StoreError) as err:
        open_store(wrong_url)
    message = str(err.value)
    assert "authentication failed" in message and "\n" not in message
    assert right not in message and "not-the-password-42" not in message
    result = run_cli("results", "list", "--db", wrong_url)
    assert result.returncode == 2 and "authentication failed" in result.stderr
    assert right not in result.stderr and "not-the-password-42" not in result.stderr
    env_result = run_cli("results", "list", env={"BREACHDRILL_DB": wrong_url})
    assert env_result.returncode == 2 and "not-the-password-42" not in env_result.stderr


def test_the_command_line_plays_and_scores_on_a_url_as_on_a_file(postgres_db, tmp_path):
    scenario = tmp_path / "records.yaml"
    scenario.write_text(yaml.safe_dump(ei_scenario_data(), sort_keys=False))
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({k: v for k, v in GUIDE.items() if k != "police"} | {"police": "wait"}))
    empty = run_cli("results", "list", "--db", postgres_db)
    assert empty.returncode == 0, empty.stderr
    assert empty.stdout.startswith("no drills yet in postgresql://") and _password(postgres_db) not in empty.stdout
    shown = {}
    for db in (postgres_db, str(tmp_path / "d.db")):
        played = run_cli("play", str(scenario), "--answers", str(answers), "--db", db, "--json", "--seed", "7")
        assert played.returncode == 0, played.stderr
        card = json.loads(played.stdout)
        listed = run_cli("results", "list", "--db", db)
        assert listed.returncode == 0 and card["drill_id"] in listed.stdout, listed.stderr
        show = run_cli("results", "show", card["drill_id"][:6], "--db", db, "--json")
        assert show.returncode == 0, show.stderr
        shown[db] = (card, json.loads(show.stdout))
    (pg_card, pg_show), (lite_card, lite_show) = shown.values()
    assert pg_card["overall"] == lite_card["overall"] < 100.0
    assert _scores(pg_show) == _scores(lite_show)
    as_env = run_cli("results", "show", pg_card["drill_id"], "--json", env={"BREACHDRILL_DB": postgres_db})
    assert as_env.returncode == 0 and _scores(json.loads(as_env.stdout)) == _scores(pg_show), as_env.stderr


def test_an_export_from_a_url_is_every_drill_in_order_from_the_cache(postgres_db, tmp_path):
    from scoring import history
    from scoring.report.tabular import finding_rows, to_csv

    ids = []
    with open_store(postgres_db) as store:
        for n in range(3):
            drill, ex = _start(store, teams=("blue", "red"))
            for team in ("blue", "red"):
                while ex.state.teams[team].next is not None:
                    inject = ex.release(team).inject
                    ex.submit(team, inject, GUIDE[inject] if team == "blue" or n % 2 or inject != "police" else "wait")
            ex.end()  # the cached rows (bytea) are saved with the end
            ids.append(drill)
        assert history.unexported(store) == [] and history.stale(store) == []
        expected = to_csv(row for drill in ids for row in finding_rows(history.load(store, drill)))
    out = tmp_path / "all.csv"
    result = run_cli("results", "export", "--db", postgres_db, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().decode("utf-8") == expected


def _scores(shown) -> object:
    """What a scorecard says, less what names the drill or its day."""
    if isinstance(shown, dict):
        return {k: _scores(v) for k, v in shown.items() if k not in ("drill_id", "created", "started", "at")}
    if isinstance(shown, list):
        return [_scores(v) for v in shown]
    return shown


def test_a_write_while_a_stream_is_open_on_the_same_store_is_refused(postgres_db):
    """Its transaction is the stream's (one snapshot, read only): a write there would wait for the
    stream to end to be committed, so it is refused, and works once the stream is closed."""
    with open_store(postgres_db) as store:
        drill, _ = _start(store)
        stream = store._stream("SELECT id FROM drills")
        next(stream)
        with pytest.raises(StoreError, match="still streaming"):
            store.append(drill, InjectReleased(team="blue", inject="detect"))
        stream.close()
        assert store.append(drill, InjectReleased(team="blue", inject="detect")) == 1


@pytest.mark.parametrize(("sql", "expected", "style"), [
    ("SELECT 1 FROM drills WHERE id = ?", "SELECT 1 FROM drills WHERE id = %s", "positional"),
    ("SELECT id FROM drills WHERE scored_by < ?1 UNION SELECT id FROM drills WHERE scored_by > ?1",
     "SELECT id FROM drills WHERE scored_by < %(p1)s UNION SELECT id FROM drills WHERE scored_by > %(p1)s", "numbered"),
    ("SELECT s.team FROM s WHERE s.team > :team", "SELECT s.team FROM s WHERE s.team > %(team)s", "named"),
    ("SELECT '100%', 'a?b', ':c', x::text FROM t WHERE y LIKE '%?%' AND z = ?",
     "SELECT '100%%', 'a?b', ':c', x::text FROM t WHERE y LIKE '%%?%%' AND z = %s", "positional"),
    ("SELECT \"odd?name\", 'it''s ?' -- a ? here\nFROM t WHERE a = ? /* :no */",
     "SELECT \"odd?name\", 'it''s ?' -- a ? here\nFROM t WHERE a = %s /* :no */", "positional"),
    ("SELECT n % 2 FROM t", "SELECT n %% 2 FROM t", "positional"),
])
def test_placeholders_are_translated_once_per_text(sql, expected, style):
    assert translate(sql) == (expected, style)
    assert translate(sql) is translate(sql)  # cached: the same text is translated once
    assert params("numbered", ("a", "b")) == {"p1": "a", "p2": "b"} and params("positional", None) == ()


def test_a_statement_mixing_placeholder_styles_is_a_bug():
    with pytest.raises(ValueError, match="mixes placeholder styles"):
        translate("SELECT ? FROM t WHERE a = :a")


def test_the_events_a_write_inserts_are_known_for_a_commit_that_went_unanswered():
    assert event_rows("INSERT INTO events VALUES (?, 0, ?, ?, ?)", ("d1", "drill-started", 1.0, "{}")) == [
        ("d1", 0, "{}")]
    assert event_rows("INSERT INTO events VALUES (?, ?, ?, ?, ?)", ("d1", 4, "paused", 2.0, '{"a":1}')) == [
        ("d1", 4, '{"a":1}')]
    assert event_rows("INSERT INTO summaries VALUES (?, ?)", ("d1", "blue")) == []
