"""`breachdrill results correct | rename | archive | restore | delete`, run as a user runs them
(a real process, a real SQLite file), and what the store and the other commands show after."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time

import pytest
import yaml
from _drill_fixtures import ei_key, ei_scenario, ei_scenario_data
from _review_store import read_sql
from helpers import ROOT, run_cli

from scenarios.loader import scenario_hash
from scoring.store import Store

ANSWERS = """\
detect: keep-running
evidence: [export-logs]
police: wait
recovery: [verify, image, restore]
notice: We will issue a press release.
"""


@pytest.fixture
def played(tmp_path):
    """One drill played by team Red through the CLI, with a harmful first answer: (db, drill id)."""
    scenario = tmp_path / "records.yaml"
    scenario.write_text(yaml.safe_dump(ei_scenario_data(), sort_keys=False))
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS)
    db = tmp_path / "drills.db"
    result = run_cli("play", str(scenario), "--answers", str(answers), "--team", "Red", "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    return db, json.loads(result.stdout)["drill_id"]


def two_team_drill(db, teams=("Red", "Blue")) -> str:
    """A drill of the test scenario in which every team answered the first inject, then ended."""
    scenario, key = ei_scenario(), ei_key()
    with Store(db) as store:
        drill_id, ex = store.start(scenario, seed=3, teams=list(teams), scenario_hash=scenario_hash(scenario),
                                   playbook=key.playbook.model_dump(mode="json"))
        for team in teams:
            ex.release(team)
            ex.submit(team, "detect", "isolate-and-call")
        ex.end()
    return drill_id


def events(db, drill_id):
    with Store(db) as store:
        return store.events(drill_id)


def show(db, drill_id) -> dict:
    result = run_cli("results", "show", drill_id, "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    return {card["team"]: card for card in json.loads(result.stdout)["scorecards"]}


def one_line_error(result, *parts: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("breachdrill: error: ")
    for part in parts:
        assert part in result.stderr, result.stderr


def test_correct_replaces_the_answer_and_results_show_rescores(played):
    db, drill_id = played
    before = show(db, drill_id)["Red"]["overall"]
    result = run_cli("results", "correct", drill_id[:6], "--team", "Red", "--inject", "detect",
                     "--answer", "isolate-and-call", "--reason", "keyed the wrong line", "--db", str(db))
    assert result.returncode == 0, result.stderr
    after = show(db, drill_id)["Red"]["overall"]
    assert after > before
    out = result.stdout
    assert "was: keep-running) keep running" in out and "now: isolate-and-call) isolate and call" in out
    assert "reason: keyed the wrong line" in out and f"Team Red: {before:.1f} -> {after:.1f} / 100" in out
    log = events(db, drill_id)
    assert log[-1].type == "answer-corrected" and log[-1].reason == "keyed the wrong line"
    first = next(e for e in log if e.type == "response-submitted" and e.inject == "detect")
    assert first.answer == ["keep-running"], "what was first recorded stays in the log"
    # The ended drill's Review summary follows the correction in the same transaction.
    with Store(db) as store:
        ((cached,),) = read_sql(store, "SELECT overall FROM summaries WHERE drill = ?", (drill_id,))
    assert cached == after


def test_correct_takes_option_lists_orders_and_text(played):
    db, drill_id = played
    for inject, answer in (("evidence", "export-logs, keep-originals,timeline"),
                           ("recovery", "image,verify,restore"),
                           ("notice", "We tell the attorney general, and notify residents by letters.")):
        result = run_cli("results", "correct", drill_id, "--team", "Red", "--inject", inject, "--answer", answer,
                         "--db", str(db))
        assert result.returncode == 0, result.stderr
    with Store(db) as store:
        red = store.resume(drill_id).state.teams["Red"]
    assert red.answers["evidence"].answer == ["export-logs", "keep-originals", "timeline"]
    assert red.answers["recovery"].answer == ["image", "verify", "restore"]
    assert red.answers["notice"].credited == ("tell-ag", "tell-residents"), "a corrected free answer is matched afresh"
    corrected = [e.inject for e in events(db, drill_id) if e.type == "answer-corrected"]
    assert corrected == ["evidence", "recovery", "notice"]


@pytest.mark.parametrize(("flags", "message"), [
    (("--team", "Redd", "--inject", "detect", "--answer", "wipe-now"), "--team Redd: no such team in drill"),
    (("--team", "Red", "--inject", "nope", "--answer", "a"),
     "--inject nope: no such inject in scenario 'test-ei-records'"),
    (("--team", "Red", "--inject", "pressure", "--answer", "wait-for-it"),
     "--inject pressure: team 'Red' has not answered it"),
    (("--team", "Red", "--inject", "evidence", "--answer", "export-logs,zz"),
     "--answer export-logs,zz: inject 'evidence': unknown option 'zz'"),
    (("--team", "Red", "--inject", "detect", "--answer", "wipe-now,keep-running"),
     "inject 'detect' takes exactly one option id, got 2"),
    (("--team", "Red", "--inject", "recovery", "--answer", "image,verify"),
     "asks for an order of all its options; missing: restore"),
    (("--team", "Red", "--inject", "detect", "--answer", "keep-running"),
     "that is the answer already recorded; nothing changed"),
    (("--team", "Red", "--inject", "notice", "--answer", "   "), "inject 'notice': the answer is empty"),
])
def test_correct_refusals_are_one_line_and_record_nothing(played, flags, message):
    db, drill_id = played
    count = len(events(db, drill_id))
    one_line_error(run_cli("results", "correct", drill_id, *flags, "--db", str(db)), message)
    assert len(events(db, drill_id)) == count


def test_every_command_refuses_an_unknown_drill(played):
    db, _ = played
    for command in (("correct", "nope", "--team", "Red", "--inject", "detect", "--answer", "x"),
                    ("rename", "nope", "Red", "Blue"), ("archive", "nope"), ("restore", "nope"),
                    ("delete", "nope", "--yes")):
        one_line_error(run_cli("results", *command, "--db", str(db)), "no drill 'nope'")


def test_rename_shows_in_results_list_and_scorecards(tmp_path):
    db = tmp_path / "drills.db"
    drill_id = two_team_drill(db)
    result = run_cli("results", "rename", drill_id, "Red", "Red Team", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Drill {drill_id}: team Red is now Red Team\n"
    listed = run_cli("results", "list", "--db", str(db))
    assert "Red Team, Blue" in listed.stdout
    assert set(show(db, drill_id)) == {"Red Team", "Blue"}
    text = run_cli("results", "show", drill_id, "--db", str(db)).stdout
    assert "Team Red Team: " in text and "Team Red: " not in text
    exported = json.loads(run_cli("results", "export", "--format", "json", "--db", str(db)).stdout)
    assert {r["team"] for r in exported} == {"Red Team", "Blue"}
    one_line_error(run_cli("results", "rename", drill_id, "Red", "Crimson", "--db", str(db)), "unknown team 'Red'")
    one_line_error(run_cli("results", "rename", drill_id, "Red Team", "blue", "--db", str(db)),
                   "there is already a team 'Blue'")
    one_line_error(run_cli("results", "rename", drill_id, "Blue", "  ", "--db", str(db)), "a team needs a name")
    one_line_error(run_cli("results", "rename", drill_id, "Blue", "Blue", "--db", str(db)), "nothing changed")
    assert [e.type for e in events(db, drill_id)].count("team-renamed") == 1


def test_names_with_terminal_controls_are_printed_literally(tmp_path):
    db = tmp_path / "drills.db"
    drill_id = two_team_drill(db)
    result = run_cli("results", "rename", drill_id, "Red", "\x1b[31mRed", "--db", str(db))
    assert result.returncode == 0 and "\x1b" not in result.stdout and "\\x1b[31mRed" in result.stdout
    refused = run_cli("results", "correct", drill_id, "--team", "\x1b[2J", "--inject", "detect", "--answer", "x",
                      "--db", str(db))
    assert refused.returncode == 2 and "\x1b" not in refused.stderr and "\\x1b[2J" in refused.stderr


def test_archive_drops_the_drill_from_export_but_not_from_list(tmp_path):
    db = tmp_path / "drills.db"
    kept, archived = two_team_drill(db), two_team_drill(db, ("Test", "Dummy"))

    def exported_drills() -> set[str]:
        rows = json.loads(run_cli("results", "export", "--format", "json", "--db", str(db)).stdout)
        return {r["drill_id"] for r in rows}

    assert exported_drills() == {kept, archived}
    result = run_cli("results", "archive", archived, "--reason", "a test run", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert f"Drill {archived} archived" in result.stdout and "left out of every statistic" in result.stdout
    assert exported_drills() == {kept}
    listed = run_cli("results", "list", "--db", str(db)).stdout
    line = next(line for line in listed.splitlines() if line.startswith(archived))
    assert "ended, archived" in line
    rows = {r["drill_id"]: r for r in json.loads(run_cli("results", "list", "--json", "--db", str(db)).stdout)}
    assert rows[archived]["archived"] is True and rows[kept]["archived"] is False
    one_line_error(run_cli("results", "archive", archived, "--db", str(db)), "the drill is already archived")
    one_line_error(run_cli("results", "restore", kept, "--db", str(db)), "the drill is not archived")
    restored = run_cli("results", "restore", archived, "--db", str(db))
    assert restored.returncode == 0 and f"Drill {archived} restored" in restored.stdout
    assert exported_drills() == {kept, archived}
    assert [e.type for e in events(db, archived)][-2:] == ["archived", "restored"]
    assert events(db, archived)[-2].reason == "a test run"


def test_delete_without_a_terminal_needs_yes(tmp_path):
    db = tmp_path / "drills.db"
    drill_id = two_team_drill(db)
    refused = run_cli("results", "delete", drill_id, "--db", str(db), input=drill_id + "\n")
    one_line_error(refused, f"delete {drill_id}: no terminal to confirm on; add --yes")
    assert run_cli("results", "list", "--json", "--db", str(db)).stdout.count(drill_id) == 1
    deleted = run_cli("results", "delete", drill_id[:5], "--yes", "--db", str(db))
    assert deleted.returncode == 0, deleted.stderr
    assert deleted.stdout.startswith(f"Deleted drill {drill_id}: Records server intrusion (test) [test-ei-records]")
    assert "teams Red, Blue" in deleted.stdout
    assert json.loads(run_cli("results", "list", "--json", "--db", str(db)).stdout) == []
    with Store(db) as store:
        for table in ("events", "summaries", "misses"):
            assert read_sql(store, f"SELECT COUNT(*) FROM {table} WHERE drill = ?", (drill_id,)) == [(0,)]


def delete_on_a_terminal(db, drill_id: str, typed: str) -> tuple[int, str, str]:
    """`results delete` with its standard input on a pseudo-terminal, answering `typed`."""
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("BREACHDRILL_LIBRARY", "BREACHDRILL_DB")}
    proc = subprocess.Popen([sys.executable, "-m", "tui.cli", "results", "delete", drill_id, "--db", str(db)],
                            stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    os.close(follower)
    try:
        # Answer once the question is asked; the terminal echoes what is typed, which is drained.
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            if select.select([proc.stderr], [], [], 0.1)[0]:
                break
        os.write(leader, typed.encode() + b"\n")
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(leader)
    return proc.returncode, out.decode(), err.decode()


def test_delete_on_a_terminal_asks_for_the_drill_id(tmp_path):
    db = tmp_path / "drills.db"
    drill_id = two_team_drill(db)
    code, out, err = delete_on_a_terminal(db, drill_id, drill_id[:6])
    assert code == 1 and out == ""
    assert "Type the drill id to delete it:" in err and "results archive" in err
    assert f"nothing deleted ('{drill_id[:6]}' is not the drill id {drill_id})" in err
    assert len(events(db, drill_id)) > 0
    code, out, err = delete_on_a_terminal(db, drill_id, drill_id)
    assert code == 0, err
    assert out.startswith(f"Deleted drill {drill_id}:")
    with Store(db) as store:
        assert store.drills() == []
