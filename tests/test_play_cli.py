"""`breachdrill play` and `breachdrill results`, run as a user runs them: a real process."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest
import yaml
from _drill_fixtures import (
    GUIDE_TEXT,
    ROOT,
    as_answers,
    ei_key,
    ei_scenario,
    ei_scenario_data,
    library,
)

from scenarios.guide import answers as guide_answers


def run(*args, env=None, cwd=None):
    environ = {k: v for k, v in os.environ.items() if k not in ("BREACHDRILL_DB", "BREACHDRILL_LIBRARY")}
    environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *map(str, args)],
        capture_output=True, text=True, env=environ, cwd=cwd, timeout=120, check=False,
    )


@pytest.fixture
def files(tmp_path):
    scenario = tmp_path / "records.yaml"
    scenario.write_text(yaml.safe_dump(ei_scenario_data(), sort_keys=False))
    return tmp_path, scenario, tmp_path / "drills.db"


def write(path, text):
    path.write_text(text)
    return path


GUIDE_YAML = f"""\
detect: isolate-and-call
evidence: [export-logs, keep-originals, timeline]
police: {{answer: call-police, seconds: 20}}
recovery: [image, verify, restore]
notice: "{GUIDE_TEXT}"
"""


def one_line_error(result):
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_play_records_the_drill_and_prints_the_scorecard_as_json(files):
    tmp, scenario, db = files
    answers = write(tmp / "answers.yaml", GUIDE_YAML)
    result = run("play", scenario, "--answers", answers, "--team", "Blue Team", "--seed", 4, "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    assert set(card) >= {"drill_id", "overall", "dimensions", "phases", "ratings", "findings"}
    assert card["overall"] == 100.0 and card["team"] == "Blue Team" and card["seed"] == 4
    assert card["free_answers"] == [
        {
            "inject": "notice", "method": "keywords", "credited": ["tell-ag", "tell-cras", "tell-residents"],
            "text": GUIDE_TEXT,
        }
    ]
    listed = json.loads(run("results", "list", "--db", db, "--json").stdout)
    assert [(d["drill_id"], d["status"], d["teams"]) for d in listed] == [(card["drill_id"], "ended", ["Blue Team"])]
    shown = json.loads(run("results", "show", card["drill_id"][:8], "--db", db, "--json").stdout)
    assert shown["scorecards"][0]["overall"] == 100.0
    assert shown["scorecards"][0]["findings"] == card["findings"]


def test_play_prints_a_readable_scorecard(files):
    tmp, scenario, db = files
    answers = write(tmp / "answers.yaml", "detect: wipe-now\npressure: restore-now\n")
    result = run("play", scenario, "--answers", answers, "--db", db)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Team team-1: " in out and "Dimensions" in out and "Ratings (HSEEP)" in out and "Findings" in out
    assert "Harmful action (major): Wipe, reimage or rebuild a system" in out
    assert (
        'source: East Independence Cybersecurity Bylaws & Breach Guide, "Immediate Actions When You Suspect a Breach"'
    ) in out
    assert "Unanswered (counted as missed): police, recovery, notice" in out


def test_the_team_follows_its_branch_and_unreached_answers_are_ignored(files):
    tmp, scenario, db = files
    answers = write(tmp / "answers.yaml", "detect: wipe-now\nevidence: [export-logs]\n")
    result = run("play", scenario, "--answers", answers, "--db", db, "--json")
    card = json.loads(result.stdout)
    assert card["path"] == ["detect", "pressure", "police", "recovery", "notice"]
    assert card["unanswered"] == ["pressure", "police", "recovery", "notice"]
    assert "Not on this team's branch (ignored): evidence" in result.stderr


def test_the_database_comes_from_the_environment(files):
    tmp, scenario, db = files
    answers = write(tmp / "answers.yaml", "detect: wipe-now\n")
    env_db = tmp / "from-env.db"
    assert run("play", scenario, "--answers", answers, env={"BREACHDRILL_DB": str(env_db)}).returncode == 0
    assert env_db.exists() and not db.exists()
    listed = run("results", "list", env={"BREACHDRILL_DB": str(env_db)})
    assert "test-ei-records" in listed.stdout and "ended" in listed.stdout


def test_timed_play_scores_the_seconds_given(files):
    tmp, scenario, db = files
    answers = write(tmp / "answers.yaml", GUIDE_YAML.replace("seconds: 20", "seconds: 450"))
    card = json.loads(run("play", scenario, "--answers", answers, "--db", db, "--json", "--timed").stdout)
    assert card["timed"] is True and card["dimensions"]["timeliness"] == 90.0  # police: half credit at 1.5x limit
    assert card["overall"] < 100


def test_a_facilitator_mark_in_the_answers_file_replaces_keywords(files):
    tmp, scenario, db = files
    answers = write(tmp / "answers.yaml", GUIDE_YAML.replace(
        f'notice: "{GUIDE_TEXT}"', 'notice: {answer: "We will call everyone", mark: [tell-ag]}'
    ))
    card = json.loads(run("play", scenario, "--answers", answers, "--db", db, "--json").stdout)
    assert card["free_answers"][0]["method"] == "facilitator" and card["free_answers"][0]["credited"] == ["tell-ag"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("detect: [wipe-now\n", "answers.yaml:2:1: YAML syntax: "),
        ("detect: wipe-now\nquarantine: wipe-now\n",
         "answers.yaml:2:1: unknown inject 'quarantine' "
         "(injects: detect, evidence, police, recovery, pressure, notice)"),
        ("detect: reboot\n",
         "answers.yaml:1:9: inject 'detect': unknown option 'reboot' "
         "(options: isolate-and-call, keep-running, wipe-now)"),
        ("evidence:\n  - export-logs\n  - shred\n", "answers.yaml:3:5: inject 'evidence': unknown option 'shred'"),
        ("detect: [wipe-now, keep-running]\n", "answers.yaml:1:9: inject 'detect' takes exactly one option id, got 2"),
        ("recovery: [image]\n",
         "answers.yaml:1:11: inject 'recovery' asks for an order of all its options; missing: verify, restore"),
        ("notice: [tell-ag]\n",
         "answers.yaml:1:9: inject 'notice' is a free-text question: answer with text, not list"),
        ("police: {answer: wait, secs: 3}\n",
         "answers.yaml:1:24: unknown field 'secs' (expected: answer, seconds, mark)"),
        ("police: {answer: wait, seconds: soon}\n",
         "answers.yaml:1:33: inject 'police': seconds must be a number of seconds, 0 or more"),
        ("- detect\n", "answers.yaml:1:1: expected a mapping of inject id to answer"),
        ("", "answers.yaml:1:1: file is empty"),
    ],
)
def test_a_bad_answers_file_is_one_located_line(files, text, expected):
    tmp, scenario, db = files
    write(tmp / "answers.yaml", text)
    line = one_line_error(run("play", scenario, "--answers", "answers.yaml", "--db", db, cwd=tmp))
    assert line.startswith(f"breachdrill: error: {expected}"), line
    assert not db.exists()  # nothing is recorded for a drill that never started


def test_a_missing_answers_file_names_the_flag(files):
    tmp, scenario, db = files
    line = one_line_error(run("play", scenario, "--answers", tmp / "nope.yaml", "--db", db))
    assert line == f"breachdrill: error: --answers {tmp / 'nope.yaml'}: no such file"


@pytest.mark.parametrize("seed", ["soon", "-1", "1.5"])
def test_a_bad_seed_names_the_flag(files, seed):
    tmp, scenario, db = files
    answers = write(tmp / "answers.yaml", "detect: wipe-now\n")
    line = one_line_error(run("play", scenario, "--answers", answers, f"--seed={seed}", "--db", db))
    assert line.startswith(f"breachdrill: error: --seed {seed}: ")


def test_an_unknown_scenario_is_one_line(files):
    tmp, _, db = files
    answers = write(tmp / "answers.yaml", "detect: wipe-now\n")
    line = one_line_error(run("play", "no-such-drill", "--answers", answers, "--db", db))
    assert "no scenario with id 'no-such-drill'" in line


def test_a_corrupt_database_is_refused_and_kept(files):
    tmp, scenario, _ = files
    answers = write(tmp / "answers.yaml", "detect: wipe-now\n")
    db = write(tmp / "precious.db", "twenty years of meeting minutes\n" * 50)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    line = one_line_error(run("play", scenario, "--answers", answers, "--db", db))
    assert line == f"breachdrill: error: --db {db}: not a breachdrill database"
    assert one_line_error(run("results", "list", "--db", db)) == line
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_results_show_an_unknown_drill(files):
    tmp, scenario, db = files
    answers = write(tmp / "answers.yaml", "detect: wipe-now\n")
    run("play", scenario, "--answers", answers, "--db", db)
    line = one_line_error(run("results", "show", "zzzz", "--db", db))
    assert line.startswith("breachdrill: error: no drill 'zzzz'")


def test_results_list_on_an_empty_database(files):
    _, _, db = files
    result = run("results", "list", "--db", db)
    assert result.returncode == 0 and "no drills yet" in result.stdout
    assert json.loads(run("results", "list", "--db", db, "--json").stdout) == []


def test_an_old_drill_keeps_its_score_when_the_scenario_file_changes(files):
    tmp, scenario, db = files
    answers = write(tmp / "answers.yaml", GUIDE_YAML)
    drill = json.loads(run("play", scenario, "--answers", answers, "--db", db, "--json").stdout)["drill_id"]
    data = ei_scenario_data()
    data["injects"][0]["options"][0]["steps"] = []  # the author edits the key afterwards
    scenario.write_text(yaml.safe_dump(data, sort_keys=False))
    shown = json.loads(run("results", "show", drill, "--db", db, "--json").stdout)
    assert shown["scorecards"][0]["overall"] == 100.0


LIBRARY = [(s, k) for _, s, k in library() if s is not None]


@pytest.mark.skipif(not LIBRARY, reason="no built-in scenarios yet")
def test_play_a_built_in_scenario_by_id(tmp_path):
    scenario, key = LIBRARY[0]
    answers = as_answers(scenario, guide_answers(scenario, key))
    path = write(tmp_path / "answers.yaml", yaml.safe_dump(answers))
    result = run("play", scenario.id, "--answers", path, "--db", tmp_path / "d.db", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["overall"] >= 90


def test_the_fixture_is_valid_for_the_loader(files):
    # The CLI tests above rely on the hand-built scenario passing the real validator.
    _, scenario, _ = files
    assert run("scenarios", "validate", scenario).returncode == 0
    assert ei_scenario().id == "test-ei-records" and ei_key() is not None


# --- several teams in one drill: --team NAME=FILE ---------------------------------------------

BLUE_YAML = GUIDE_YAML  # follows the guide: detect -> evidence -> police -> recovery -> notice
RED_YAML = "detect: wipe-now\nevidence: [export-logs]\npressure: restore-now\n"  # wipes: -> pressure


def test_two_teams_play_one_drill_and_get_a_scorecard_each(files):
    tmp, scenario, db = files
    write(tmp / "blue.yaml", BLUE_YAML)
    write(tmp / "red.yaml", RED_YAML)
    result = run("play", scenario, "--team", "Blue=blue.yaml", "--team", "Red=red.yaml", "--seed", 7,
                 "--db", db, "--json", cwd=tmp)
    assert result.returncode == 0, result.stderr
    played = json.loads(result.stdout)
    assert set(played) == {"drill_id", "scenario_id", "seed", "scorecards"}
    assert played["scenario_id"] == "test-ei-records" and played["seed"] == 7
    blue, red = played["scorecards"]
    assert (blue["team"], red["team"]) == ("Blue", "Red")
    assert blue["overall"] == 100.0 and red["overall"] < 50
    # One drill holds both teams, and the store scores them as play printed them.
    listed = json.loads(run("results", "list", "--db", db, "--json").stdout)
    assert [(d["drill_id"], d["teams"], d["status"]) for d in listed] == [
        (played["drill_id"], ["Blue", "Red"], "ended")
    ]
    shown = json.loads(run("results", "show", played["drill_id"], "--db", db, "--json").stdout)
    assert [(c["team"], c["overall"], c["findings"]) for c in shown["scorecards"]] == [
        (c["team"], c["overall"], c["findings"]) for c in played["scorecards"]]


def test_teams_diverge_each_along_its_own_branch(files):
    tmp, scenario, db = files
    write(tmp / "blue.yaml", BLUE_YAML)
    write(tmp / "red.yaml", RED_YAML)
    result = run("play", scenario, "--team", f"Blue={tmp / 'blue.yaml'}", "--team", f"Red={tmp / 'red.yaml'}",
                 "--db", db, "--json")
    blue, red = json.loads(result.stdout)["scorecards"]
    assert blue["path"] == ["detect", "evidence", "police", "recovery", "notice"] and blue["unanswered"] == []
    assert red["path"] == ["detect", "pressure", "police", "recovery", "notice"]
    assert red["unanswered"] == ["police", "recovery", "notice"]
    # Red's answer to an inject its branch never reached is ignored, and the notice says whose it was.
    assert result.stderr.strip().splitlines() == ["Not on the branch of team 'Red' (ignored): evidence"]


def test_a_drill_of_several_teams_is_played_round_by_round(files):
    tmp, scenario, db = files
    write(tmp / "blue.yaml", BLUE_YAML)
    write(tmp / "red.yaml", RED_YAML)
    drill = json.loads(run("play", scenario, "--team", "Blue=blue.yaml", "--team", "Red=red.yaml",
                           "--db", db, "--json", cwd=tmp).stdout)["drill_id"]
    from scoring.store import Store

    with Store(db) as store:
        events = [(e.type, getattr(e, "team", None), getattr(e, "inject", None)) for e in store.events(drill)]
    # As a facilitator runs it: each round's injects go out to every team, then the answers come in.
    assert events[:7] == [
        ("drill-started", None, None),
        ("inject-released", "Blue", "detect"), ("inject-released", "Red", "detect"),
        ("response-submitted", "Blue", "detect"), ("response-submitted", "Red", "detect"),
        ("inject-released", "Blue", "evidence"), ("inject-released", "Red", "pressure"),
    ]
    assert events[-1][0] == "ended"


def test_several_teams_print_each_scorecard_in_turn(files):
    tmp, scenario, db = files
    write(tmp / "blue.yaml", BLUE_YAML)
    write(tmp / "red.yaml", RED_YAML)
    out = run("play", scenario, "--team", "Blue=blue.yaml", "--team", "Red=red.yaml", "--db", db, cwd=tmp).stdout
    assert out.startswith("Drill ") and out.count("Drill ") == 1
    assert out.index("Team Blue: 100.0 / 100") < out.index("Team Red: ")
    assert out.count("\nFindings\n") == 2


def test_one_team_as_name_equals_file_scores_as_the_answers_form(files):
    tmp, scenario, db = files
    write(tmp / "blue.yaml", RED_YAML)
    old = json.loads(run(
        "play", scenario, "--answers", "blue.yaml", "--team", "Blue", "--seed", 3, "--db", db, "--json", cwd=tmp
    ).stdout)
    new = json.loads(run(
        "play", scenario, "--team", "Blue=blue.yaml", "--seed", 3, "--db", db, "--json", cwd=tmp
    ).stdout)
    assert "scorecards" not in old and old["team"] == "Blue"  # --answers keeps its one-card shape
    (card,) = new["scorecards"]
    drop = ("drill_id", "scenario_id", "seed")
    assert card == {k: v for k, v in old.items() if k not in drop}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--answers", "blue.yaml", "--team", "Red=red.yaml"),
         "--answers FILE plays one team: name it with --team NAME"),
        (("--answers", "blue.yaml", "--team", "Blue", "--team", "Red"),
         "--answers FILE plays one team, but --team was given 2 times"),
        (("--team", "Blue=blue.yaml", "--team", "bLUE=red.yaml"), "--team bLUE=red.yaml: team 'bLUE' is named twice"),
        (("--team", " =blue.yaml"), "--team  =blue.yaml: a team needs a name"),
        (("--team", "Blue="), "--team Blue=: no answers file after '='"),
        (("--team", "Blue=blue.yaml", "--team", "Red"),
         "--team Red: no answers file (give --team NAME=FILE, or --answers FILE)"),
        ((), "no answers: give --answers FILE for one team, or --team NAME=FILE for each team"),
        (("--team", "Blue=blue.yaml", "--team", "Red=nope.yaml"), "--team Red=nope.yaml: no such file"),
        (("--team", "Blue=blue.yaml", "--team", "Red=bad.yaml"),
         "bad.yaml:1:9: inject 'detect': unknown option 'reboot'"),
    ],
)
def test_team_options_that_cannot_be_played_are_refused_before_anything_is_recorded(files, args, expected):
    tmp, scenario, db = files
    write(tmp / "blue.yaml", BLUE_YAML)
    write(tmp / "red.yaml", RED_YAML)
    write(tmp / "bad.yaml", "detect: reboot\n")
    line = one_line_error(run("play", scenario, *args, "--db", db, cwd=tmp))
    assert line.startswith(f"breachdrill: error: {expected}"), line
    assert not db.exists()


def test_a_missing_database_folder_is_refused_not_created(files):
    tmp, scenario, _ = files
    answers = write(tmp / "answers.yaml", "detect: wipe-now\n")
    db = tmp / "no-such-folder" / "drills.db"
    line = one_line_error(run("play", scenario, "--answers", answers, "--db", db))
    assert line == (
        f"breachdrill: error: --db {db}: no such folder {db.parent} "
        "(create it first, or choose another database)"
    )
    assert not db.parent.exists()


def test_a_team_name_that_is_not_valid_utf8_is_one_line_and_records_nothing(files):
    tmp, scenario, db = files
    write(tmp / "blue.yaml", BLUE_YAML)
    env = {k: v for k, v in os.environ.items() if k not in ("BREACHDRILL_DB", "BREACHDRILL_LIBRARY")}
    # A name typed in a Latin-1 terminal: Python keeps the byte 0xE9 as the surrogate \udce9.
    result = subprocess.run([sys.executable, "-m", "tui.cli", "play", str(scenario), "--team",
                             b"Caf\xe9=blue.yaml", "--db", str(db)], capture_output=True, env=env, cwd=tmp,
                            timeout=120)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2 and "Traceback" not in stderr, stderr
    assert stderr.strip() == ("breachdrill: error: a team's name is not valid text (a byte that is not UTF-8 "
                              "at character 4): type it again")
    listed = run("results", "list", "--db", db) if db.exists() else None
    assert listed is None or "no drills yet" in listed.stdout
