"""A newcomer's mistakes on the command line: each is one line naming what was wrong (at most a
pointer to the command's --help after it), exit 2, never the whole usage; and `--help` lists
every command, the nested ones too."""

from __future__ import annotations

import json

import pytest
from helpers import run_cli
from test_cli_options import played_drill


@pytest.fixture
def drill(tmp_path):
    return played_drill(tmp_path)


QUIET = {"BREACHDRILL_THEME": "breachdrill-dark", "BREACHDRILL_KEYMAP": ""}


def run(*args, env=None):
    return run_cli(*map(str, args), env={**QUIET, **(env or {})})


def error_lines(result) -> list[str]:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert 1 <= len(lines) <= 2, result.stderr
    assert lines[0].startswith("breachdrill: error: "), result.stderr
    return lines


def one_line_error(result) -> str:
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- 1. a bad flag: one line naming it, and a pointer to --help, for every command -------------

BAD_ARGUMENTS = [
    (("results", "export", "--since", "2026-13-40"), "--since", "results export"),
    (("results", "export", "--format", "xml"), "--format", "results export"),
    (("results", "list", "--bogus"), "--bogus", "results list"),
    (("results", "show"), "DRILL", "results show"),
    (("results", "correct", "abc"), "--team", "results correct"),
    (("results", "rename", "abc"), "OLD", "results rename"),
    (("results", "delete", "abc", "--yes=no"), "--yes", "results delete"),
    (("results",), "ACTION", "results"),
    (("report", "abc", "--format", "zz"), "--format", "report"),
    (("play",), "ID|PATH", "play"),
    (("scenarios", "show", "x", "--seed", "soon"), "--seed", "scenarios show"),
    (("scenarios", "list", "--jsn"), "--jsn", "scenarios list"),
    (("scenarios", "generate", "--bogus"), "--bogus", "scenarios generate"),
    (("scenarios",), "ACTION", "scenarios"),
    (("serve", "--port", "x"), "--port", "serve"),
    (("join", "CODE", "extra"), "extra", "join"),
    (("nope",), "nope", ""),
    (("--db",), "--db", ""),
]


@pytest.mark.parametrize(("args", "flag", "command"), BAD_ARGUMENTS, ids=[" ".join(a[0]) for a in BAD_ARGUMENTS])
def test_a_bad_argument_is_one_line_naming_it_and_a_pointer_to_help(tmp_path, args, flag, command):
    result = run(*args, env={"BREACHDRILL_DB": str(tmp_path / "drills.db")})
    lines = error_lines(result)
    assert flag in lines[0], lines
    assert "[-h]" not in result.stderr  # never the usage text itself
    assert lines[1:] == [f"usage: breachdrill {command} --help".replace("  ", " ")], lines
    assert not (tmp_path / "drills.db").exists()


def test_an_impossible_date_names_the_flag_and_the_day(tmp_path):
    lines = error_lines(run("results", "export", "--until", "2026-13-40", "--db", tmp_path / "d.db"))
    assert lines[0] == "breachdrill: error: --until: '2026-13-40' is not a day (month must be in 1..12)"


# --- 2. -o a folder: said to be a folder, through each command that writes a file -----------


def test_o_a_folder_is_refused_as_a_folder_by_every_command_that_writes(drill, tmp_path):
    _, db, drill_id = drill
    folder = tmp_path / "out"
    folder.mkdir()
    expected = f"breachdrill: error: -o {folder}: is a directory; give a file name"
    for args in (
        ("report", drill_id, "--db", db, "-o", folder),
        ("results", "export", "--db", db, "-o", folder, "--force"),
        ("scenarios", "generate", "--violation", "access-control", "--jurisdiction", "st-louis",
         "--seed", "7", "-o", folder),
    ):
        assert one_line_error(run(*args)) == expected, args
    assert not any(folder.iterdir())


# --- 3. export filters that can match nothing because they are mistyped -------------------------


def test_export_refuses_an_unknown_scenario_naming_the_flag_and_close_ids(drill):
    _, db, _ = drill
    line = one_line_error(run("results", "export", "--db", db, "--scenario", "test-ei-record"))
    assert line.startswith("breachdrill: error: --scenario test-ei-record: "), line
    assert "did you mean test-ei-records" in line
    line = one_line_error(run("results", "export", "--db", db, "--scenario", "nope"))
    assert line.startswith("breachdrill: error: --scenario nope: "), line


def test_export_takes_a_stored_or_a_library_scenario(drill):
    _, db, _ = drill
    stored = run("results", "export", "--db", db, "--scenario", "test-ei-records", "--format", "json")
    assert stored.returncode == 0, stored.stderr
    assert json.loads(stored.stdout)
    library = run("results", "export", "--db", db, "--scenario", "ei-access-control", "--format", "json")
    assert library.returncode == 0, library.stderr  # a built-in never played: no rows, but no mistake
    assert json.loads(library.stdout) == []


def test_export_refuses_an_unknown_jurisdiction(drill):
    _, db, _ = drill
    line = one_line_error(run("results", "export", "--db", db, "--jurisdiction", "st-lois"))
    assert line.startswith("breachdrill: error: --jurisdiction st-lois: "), line
    assert "st-louis" in line
    ok = run("results", "export", "--db", db, "--jurisdiction", "st-louis")
    assert ok.returncode == 0, ok.stderr


def test_export_refuses_a_since_after_the_until(drill):
    _, db, _ = drill
    line = one_line_error(run("results", "export", "--db", db, "--since", "2026-12-05", "--until", "2026-12-01"))
    assert line == "breachdrill: error: --since 2026-12-05 is after --until 2026-12-01"
    same = run("results", "export", "--db", db, "--since", "2026-12-01", "--until", "2026-12-01")
    assert same.returncode == 0, same.stderr


# --- 4. BREACHDRILL_LIBRARY naming a folder that is not there -----------------------------------


def test_a_missing_folder_in_breachdrill_library_is_refused_as_library_is(tmp_path):
    missing = tmp_path / "nonexist"
    env = {"BREACHDRILL_LIBRARY": f"{tmp_path}:{missing}", "BREACHDRILL_DB": str(tmp_path / "d.db")}
    for args in (("scenarios", "list"), ("scenarios", "validate"), ("scenarios", "show", "ei-access-control")):
        line = one_line_error(run(*args, env=env))
        assert line == f"breachdrill: error: BREACHDRILL_LIBRARY names {missing}: no such directory", args
    # The same exit status as the same folder given as --library.
    assert one_line_error(run("scenarios", "list", "--library", missing)) == (
        f"breachdrill: error: --library {missing}: no such directory")
    # A command that never reads the library is not stopped by it.
    listed = run("results", "list", "--json", env=env)
    assert listed.returncode == 0, listed.stderr


# --- 5. --help lists every command, the nested ones too ---------------------------------------


def test_top_level_help_lists_every_nested_command():
    result = run("--help")
    assert result.returncode == 0, result.stderr
    for line in ("breachdrill scenarios list|validate|show|schema|generate",
                 "breachdrill results list|show|export|correct|rename|archive|restore|delete",
                 "breachdrill play", "breachdrill report", "breachdrill join", "breachdrill serve"):
        assert line in result.stdout, result.stdout


# --- 6. an answers file with no answers is refused, nothing recorded ----------------------------


@pytest.mark.parametrize("text", ["", "# only a comment\n\n", "# spelled as YAML\n{}\n"],
                         ids=["empty", "comments", "empty-mapping"])
def test_an_answers_file_with_no_answers_is_refused_and_nothing_recorded(drill, tmp_path, text):
    folder, _, _ = drill
    db = tmp_path / "other.db"
    answers = tmp_path / "none.yaml"
    answers.write_text(text)
    line = one_line_error(run("--library", folder, "play", "test-ei-records", "--answers", answers, "--db", db))
    assert line.startswith(f"breachdrill: error: {answers}:"), line
    assert line.endswith("no answers in the file") or line.endswith("(no answers in the file)"), line
    listed = run("results", "list", "--json", "--db", db)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == []
