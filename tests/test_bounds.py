"""Every number a file gives is bounded, with a located message: counts, minutes, seconds, ids.
NaN and the infinities are refused, an integer past Python's 4,300-digit conversion limit is a
located line and not a traceback, and a refused answers file records nothing, not even a drill
to resume. A file with thousands of mistakes is judged to its first ones, quickly."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time

import pytest
import yaml
from _drill_fixtures import ROOT, ei_scenario_data
from helpers import FIXTURES, one_line_error

from scenarios.loader import MAX_PROBLEMS, load_scenario, load_text
from scenarios.model import MAX_INJECTS, MAX_OPTIONS, MAX_SECONDS
from scenarios.yamlsource import MAX_NUMBER_CHARS

MINIMAL = (FIXTURES / "minimal.yaml").read_text()


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """line, col (from 1) of the nth occurrence of needle."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def only_problem(text: str, name: str = "t.yaml"):
    loaded = load_text(name, text)
    assert not loaded.ok
    assert len(loaded.problems) == 1, loaded.problems
    problem = loaded.problems[0]
    assert "\n" not in str(problem)
    return problem


# --- scenario files ---------------------------------------------------------------------------


@pytest.mark.parametrize("digits", [4301, 5000, 50_000])
def test_an_integer_past_the_conversion_limit_is_a_located_line(digits):
    text = MINIMAL.replace("residents_affected: 120", "residents_affected: " + "9" * digits)
    problem = only_problem(text)
    assert (problem.line, problem.col) == at(text, "9" * digits)
    assert problem.message == (f"a number of {digits:,} characters; numbers are at most {MAX_NUMBER_CHARS}")


@pytest.mark.parametrize("value", ["0x" + "f" * 3000, "-" + "1" * 200, "!!int " + "7" * 5000],
                         ids=["hex", "negative", "explicit"])
def test_other_spellings_of_a_huge_integer_are_refused_the_same_way(value):
    text = MINIMAL.replace("    at: 10\n", f"    at: {value}\n")
    problem = only_problem(text)
    assert (problem.line, problem.col) == at(text, value)
    assert "numbers are at most" in problem.message


@pytest.mark.parametrize(
    ("field", "old", "value", "words"),
    [
        ("residents_affected", "residents_affected: 120", "100000001", "less than or equal to 100000000"),
        ("residents_affected", "residents_affected: 120", "99999999999999999999", "less than or equal to 100000000"),
        ("residents_affected", "residents_affected: 120", ".nan", "finite number"),
        ("residents_affected", "residents_affected: 120", ".inf", "finite number"),
        ("residents_affected", "residents_affected: 120", "-1", "greater than or equal to 0"),
        ("at", "    at: 10\n", "-.inf", "finite number"),
        ("at", "    at: 10\n", "1.0e+999", "finite number"),
        ("at", "    at: 10\n", "43201", "less than or equal to 43200"),
        ("limit", "    limit: 120\n", ".NaN", "finite number"),
        ("limit", "    limit: 120\n", "3601", "less than or equal to 3600"),
        ("limit", "    limit: 120\n", "9", "greater than or equal to 10"),
    ],
)
def test_numbers_in_a_scenario_are_bounded_and_finite(field, old, value, words):
    new = old.replace(old.split(": ")[1].strip(), value)
    text = MINIMAL.replace(old, new)
    assert text.count(new) == 1
    problem = only_problem(text)
    line, col = at(text, new.strip())
    assert (problem.line, problem.col) == (line, col + len(field) + 2), problem
    assert problem.message.startswith(f"{field}: ") and words in problem.message, problem


def test_a_malformed_explicit_number_is_a_located_line_not_a_traceback():
    for value, kind in (("!!int ten", "int"), ("!!float fast", "float"), ("!!bool maybe", "bool"),
                        ("!!float .", "float")):
        text = MINIMAL.replace("    at: 10\n", f"    at: {value}\n")
        problem = only_problem(text)
        assert (problem.line, problem.col) == at(text, value)
        assert problem.message.startswith(f"not a valid {kind}: "), problem


def test_counts_are_bounded_at_the_list_that_is_too_long():
    option = "      - id: a\n        text: Call City IT\n        notifies: [city-it]\n"
    many = "".join(option.replace("id: a", f"id: o{k}") for k in range(MAX_OPTIONS + 1))
    text = MINIMAL.replace(option, many, 1)
    assert text != MINIMAL
    problem = only_problem(text)
    assert (problem.line, problem.col) == at(text, "- id: o0")
    assert f"at most {MAX_OPTIONS} items" in problem.message

    data = yaml.safe_load(MINIMAL)
    extra = [copy.deepcopy(data["injects"][-1]) | {"id": f"extra-{k}"} for k in range(MAX_INJECTS)]
    data["injects"] += extra
    problem = only_problem(yaml.safe_dump(data, sort_keys=False))
    assert problem.message.startswith("injects: ") and f"at most {MAX_INJECTS} items" in problem.message

    text = MINIMAL.replace("steps: [preserve-logs]", "steps: [" + ", ".join(["preserve-logs"] * 21) + "]")
    problem = only_problem(text)
    assert (problem.line, problem.col) == at(text, "[preserve-logs, ")
    assert "at most 20 items" in problem.message


def test_a_file_of_thousands_of_mistakes_is_judged_to_its_first_quickly(tmp_path):
    path = tmp_path / "junk.yaml"
    path.write_text(MINIMAL + "".join(f"colour{k}: red\n" for k in range(30_000)))
    started = time.perf_counter()
    loaded = load_scenario(path)
    seconds = time.perf_counter() - started
    assert len(loaded.problems) == MAX_PROBLEMS + 1
    assert loaded.problems[-1].message.startswith(f"more than {MAX_PROBLEMS} problems")
    assert all(p.message.startswith("unknown field 'colour") for p in loaded.problems[:-1])
    assert seconds < 5, seconds


def test_many_unknown_names_cost_no_more_than_the_first_ones(tmp_path):
    text = MINIMAL.replace("steps: [preserve-logs]", "steps: [" + ", ".join(f"nope-{k}" for k in range(20)) + "]")
    text = text.replace("      - id: b\n", "".join(
        f"      - id: z{k}\n        text: x\n        steps: [{', '.join(f'bad-{k}-{j}' for j in range(20))}]\n"
        for k in range(24)) + "      - id: b\n")
    started = time.perf_counter()
    loaded = load_text("t.yaml", text)
    assert time.perf_counter() - started < 5
    assert len(loaded.problems) == MAX_PROBLEMS + 1


# --- answers files ----------------------------------------------------------------------------


def run(*args, env=None, cwd=None):
    environ = {k: v for k, v in os.environ.items() if k not in ("BREACHDRILL_DB", "BREACHDRILL_LIBRARY")}
    environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])  # this checkout's code
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "tui.cli", *map(str, args)], capture_output=True, text=True,
                          env=environ, cwd=cwd or ROOT, timeout=120, check=False)


@pytest.fixture
def played(tmp_path):
    """A scenario, and a database holding one drill played to its end."""
    scenario = tmp_path / "records.yaml"
    scenario.write_text(yaml.safe_dump(ei_scenario_data(), sort_keys=False))
    db = tmp_path / "drills.db"
    (tmp_path / "first.yaml").write_text("detect: wipe-now\n")
    assert run("play", scenario, "--answers", tmp_path / "first.yaml", "--db", db).returncode == 0
    return tmp_path, scenario, db


def drills(db) -> list[dict]:
    result = run("results", "list", "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


BAD_SECONDS = [".nan", ".NaN", ".inf", "-.inf", "1e999", "-1", str(MAX_SECONDS + 1), "9" * 30, "true", "soon"]


@pytest.mark.parametrize("value", BAD_SECONDS, ids=lambda v: v[:12])
def test_bad_seconds_are_one_located_line_and_record_nothing(played, value):
    tmp, scenario, db = played
    text = f"detect: isolate-and-call\nevidence: [export-logs]\npolice: {{answer: call-police, seconds: {value}}}\n"
    (tmp / "answers.yaml").write_text(text)
    before = drills(db)
    line = one_line_error(run("play", scenario, "--answers", "answers.yaml", "--db", db, "--timed", cwd=tmp))
    row, col = at(text, f"seconds: {value}")
    col += len("seconds: ")
    assert line.startswith(f"breachdrill: error: answers.yaml:{row}:{col}: inject 'police': seconds must be a "
                           f"number of seconds, 0 or more, up to {MAX_SECONDS:,} (30 days)"), line
    assert drills(db) == before  # no drill was created: none to resume, none in progress
    assert [d["status"] for d in before] == ["ended"]


def test_a_bad_file_of_one_team_of_several_records_nothing(played):
    tmp, scenario, db = played
    (tmp / "red.yaml").write_text("detect: isolate-and-call\n")
    (tmp / "blue.yaml").write_text("detect: {answer: wipe-now, seconds: .inf}\n")
    before = drills(db)
    line = one_line_error(run("play", scenario, "--team", f"Red={tmp / 'red.yaml'}", "--team",
                              f"Blue={tmp / 'blue.yaml'}", "--db", db))
    row, col = at((tmp / "blue.yaml").read_text(), ".inf")
    assert f"{tmp / 'blue.yaml'}:{row}:{col}: inject 'detect': seconds must be" in line and "got .inf" in line
    assert drills(db) == before


def test_a_huge_number_in_an_answers_file_is_a_located_line(played):
    tmp, scenario, db = played
    text = "detect: " + "1" * 5000 + "\n"
    (tmp / "answers.yaml").write_text(text)
    line = one_line_error(run("play", scenario, "--answers", "answers.yaml", "--db", db, cwd=tmp))
    assert line == "breachdrill: error: answers.yaml:1:9: a number of 5,000 characters; numbers are at most 100"
    assert len(drills(db)) == 1


def test_seconds_up_to_the_bound_are_played_and_stored_as_given(played):
    tmp, scenario, db = played
    (tmp / "answers.yaml").write_text(f"detect: {{answer: isolate-and-call, seconds: {MAX_SECONDS}}}\n"
                                      "evidence: {answer: [export-logs], seconds: 0.25}\n")
    result = run("play", scenario, "--answers", tmp / "answers.yaml", "--db", db, "--timed", "--json")
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    shown = run("results", "show", card["drill_id"], "--db", db, "--json")
    assert shown.returncode == 0, shown.stderr
    stored = json.loads(shown.stdout)["scorecards"][0]
    assert stored["overall"] == card["overall"] and stored["dimensions"] == card["dimensions"]
    assert [d["status"] for d in drills(db)] == ["ended", "ended"]
