"""Options are honoured or refused, never ignored: --db/--library before the command, a database
folder that is not there, and the app's BREACHDRILL_THEME / BREACHDRILL_KEYMAP settings."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import yaml
from _drill_fixtures import ei_scenario_data
from helpers import ROOT, one_line_error, run_cli

from tui.app.launch import binding_ids, env_warnings

# The developer's own app settings must not leak into what these tests see.
QUIET = {"BREACHDRILL_THEME": "breachdrill-dark", "BREACHDRILL_KEYMAP": ""}


def run(*args, env=None):
    return run_cli(*map(str, args), env={**QUIET, **(env or {})})


@pytest.fixture
def drill(tmp_path):
    return played_drill(tmp_path)


def played_drill(tmp_path):
    """A folder with the test scenario in it, and a database holding one drill of it."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "records.yaml").write_text(yaml.safe_dump(ei_scenario_data(), sort_keys=False))
    answers = tmp_path / "answers.yaml"
    answers.write_text("detect: wipe-now\n")
    db = tmp_path / "drills.db"
    result = run("--db", db, "--library", folder, "play", "test-ei-records", "--answers", answers, "--json")
    assert result.returncode == 0, result.stderr
    return folder, db, json.loads(result.stdout)["drill_id"]


# --- options before the command ------------------------------------------------------------------


def test_a_db_before_the_command_is_the_one_every_drill_command_uses(drill, tmp_path):
    _, db, drill_id = drill  # the fixture played into --db given before `play`, by id from --library
    assert db.exists()
    listed = json.loads(run("--db", db, "results", "list", "--json").stdout)
    assert [d["drill_id"] for d in listed] == [drill_id]
    shown = json.loads(run("--db", db, "results", "show", drill_id, "--json").stdout)
    assert shown["scorecards"][0]["team"] == "team-1"
    report = run("--db", db, "report", drill_id, "--format", "json")
    assert report.returncode == 0, report.stderr
    assert drill_id in report.stdout
    exported = run("--db", db, "results", "export", "--format", "json")
    assert exported.returncode == 0 and json.loads(exported.stdout)
    # The user data folder's database was never consulted: an empty one says so.
    other = tmp_path / "other.db"
    assert json.loads(run("--db", other, "results", "list", "--json").stdout) == []


def test_the_same_db_before_and_after_the_command_is_accepted(drill, tmp_path):
    _, db, drill_id = drill
    result = run("--db", db, "results", "list", "--db", f"{tmp_path}/./{db.name}", "--json")
    assert result.returncode == 0, result.stderr
    assert [d["drill_id"] for d in json.loads(result.stdout)] == [drill_id]


def test_two_different_dbs_are_refused_naming_both(drill, tmp_path):
    _, db, _ = drill
    other = tmp_path / "other.db"
    line = one_line_error(run("--db", db, "results", "list", "--db", other))
    assert line == (
        f"breachdrill: error: --db {db} (before 'results list') and --db {other} (after it) "
        "name different databases"
    )
    assert not other.exists()


def test_two_different_database_urls_are_refused_without_their_passwords():
    first, second = "postgresql://coach:s3cret-one@127.0.0.1:1/a", "postgresql://coach:s3cret-two@127.0.0.1:1/b"
    line = one_line_error(run("--db", first, "results", "list", "--db", second))
    assert "s3cret" not in line
    assert "postgresql://coach:***@127.0.0.1:1/a" in line and "postgresql://coach:***@127.0.0.1:1/b" in line


@pytest.mark.parametrize(
    "command",
    [
        ("scenarios", "list"),
        ("scenarios", "validate"),
        ("scenarios", "show", "ei-access-control"),
        ("scenarios", "schema"),
        ("scenarios", "generate", "--violation", "access-control", "--jurisdiction", "st-louis"),
    ],
)
def test_a_db_is_refused_by_a_command_without_a_database(tmp_path, command):
    line = one_line_error(run("--db", tmp_path / "d.db", *command))
    assert line == f"breachdrill: error: --db: '{command[0]} {command[1]}' does not use a database"


@pytest.mark.parametrize(
    "command",
    [("results", "list"), ("results", "show", "abc"), ("results", "export"), ("report", "abc")],
)
def test_a_library_is_refused_by_a_command_that_reads_no_scenarios(tmp_path, command):
    line = one_line_error(run("--library", tmp_path, *command, "--db", tmp_path / "d.db"))
    name = " ".join(c for c in command if c != "abc")
    assert line == f"breachdrill: error: --library: '{name}' does not read the scenario library"
    assert not (tmp_path / "d.db").exists()


def test_a_library_before_the_command_is_read_first(drill, tmp_path):
    folder, _, _ = drill
    later = tmp_path / "later"
    later.mkdir()
    (later / "copy.yaml").write_text((folder / "records.yaml").read_text())
    result = run("--library", folder, "scenarios", "list", "--library", later, "--json")
    rows = {row["path"]: row for row in json.loads(result.stdout)}
    # Both folders are read; the top-level one first, so the later folder's copy is the duplicate.
    assert rows[str(folder / "records.yaml")]["valid"] is True
    (problem,) = rows[str(later / "copy.yaml")]["problems"]
    assert f"scenario id 'test-ei-records' is already used by {folder / 'records.yaml'}" in problem


def test_a_missing_library_before_the_command_names_the_flag(tmp_path):
    line = one_line_error(run("--library", tmp_path / "nope", "scenarios", "list"))
    assert line == f"breachdrill: error: --library {tmp_path / 'nope'}: no such directory"


# --- a database folder that is not there -----------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ("results", "list", "--db", "{db}"),
        ("--db", "{db}", "results", "list"),
        ("results", "show", "abc", "--db", "{db}"),
        ("report", "abc", "--db", "{db}"),
        ("--db", "{db}"),  # the app: refused before its first frame, so this returns at once
    ],
)
def test_a_database_folder_that_is_not_there_is_refused_not_created(tmp_path, command):
    db = tmp_path / "no-such-folder" / "drills.db"
    line = one_line_error(run(*(str(db) if a == "{db}" else a for a in command)))
    assert line == (
        f"breachdrill: error: --db {db}: no such folder {db.parent} "
        "(create it first, or choose another database)"
    )
    assert not db.parent.exists()


# --- the app's settings from the environment ---------------------------------------------------------


def test_an_unknown_theme_is_a_warning():
    assert env_warnings({"BREACHDRILL_THEME": "neon"}) == [
        "BREACHDRILL_THEME=neon: unknown theme (themes: breachdrill-dark, breachdrill-light); using breachdrill-dark"
    ]
    assert env_warnings({"BREACHDRILL_THEME": "breachdrill-light"}) == []


def test_keymap_problems_are_one_warning_each():
    keymap = "console.release=r; console.relase=x ;oops;;app.help=f2;zzz.nothing=q;=k;library.review="
    assert env_warnings({"BREACHDRILL_KEYMAP": keymap}) == [
        "BREACHDRILL_KEYMAP: unknown binding id 'console.relase' (did you mean 'console.release'?); ignored",
        "BREACHDRILL_KEYMAP: 'oops' is not binding-id=keys; ignored",
        "BREACHDRILL_KEYMAP: unknown binding id 'zzz.nothing' (F1 in the app lists each screen's ids); ignored",
        "BREACHDRILL_KEYMAP: '=k' is not binding-id=keys; ignored",
        "BREACHDRILL_KEYMAP: 'library.review=' is not binding-id=keys; ignored",
    ]
    assert env_warnings({"BREACHDRILL_KEYMAP": "console.release=r;app.help=f2;"}) == []


def test_a_warning_prints_the_setting_literally():
    (line,) = env_warnings({"BREACHDRILL_THEME": "neon\x1b[2J"})
    assert "\x1b" not in line and "neon\\x1b[2J" in line


def test_the_known_binding_ids_are_every_binding_in_the_source():
    """A Binding added anywhere the keymap can reach must be known, or it would be warned about."""
    files = [*(ROOT / "tui" / "app").rglob("*.py")]
    in_source = {m for f in files for m in re.findall(r'Binding\((?:[^()]|\([^()]*\))*?\bid="([^"]+)"', f.read_text())}
    assert len(in_source) > 40  # the pattern still finds them
    assert binding_ids() == in_source


def test_no_keymap_costs_no_screen_imports():
    code = (
        "import sys\nfrom tui.app.launch import env_warnings\n"
        "assert env_warnings({'BREACHDRILL_THEME': 'neon'})\n"
        "print(sorted(m for m in sys.modules if m.startswith(('tui.app.screens.', 'textual'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_app_prints_its_warnings_before_it_starts(tmp_path):
    db = tmp_path / "no-such-folder" / "drills.db"
    result = run("--db", db, env={"BREACHDRILL_THEME": "neon", "BREACHDRILL_KEYMAP": "console.relase=r;oops"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        (
            "breachdrill: warning: BREACHDRILL_THEME=neon: unknown theme "
            "(themes: breachdrill-dark, breachdrill-light); using breachdrill-dark"
        ),
        (
            "breachdrill: warning: BREACHDRILL_KEYMAP: unknown binding id 'console.relase' "
            "(did you mean 'console.release'?); ignored"
        ),
        "breachdrill: warning: BREACHDRILL_KEYMAP: 'oops' is not binding-id=keys; ignored",
        f"breachdrill: error: --db {db}: no such folder {db.parent} (create it first, or choose another database)",
    ]


def test_the_app_shows_its_warnings_on_screen(tmp_path):
    """stderr is hidden behind the app's screen, so each warning is also a notification."""
    from test_app_support import services, settle, sync

    from tui.app.launch import build_app

    app_services = services(tmp_path)
    app_services.settings.warnings = env_warnings({"BREACHDRILL_THEME": "neon"})

    @sync
    async def run():
        app = build_app(app_services)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            shown = [n.message for n in app._notifications]
            assert shown == [app_services.settings.warnings[0]]
            assert "BREACHDRILL_THEME=neon: unknown theme" in shown[0]

    run()


def test_the_app_refuses_a_database_folder_from_the_environment_that_is_not_there(tmp_path):
    missing = tmp_path / "nope" / "drills.db"
    result = run_cli(env={**QUIET, "BREACHDRILL_DB": str(missing)}, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        f"breachdrill: error: BREACHDRILL_DB {missing}: no such folder {missing.parent} "
        "(create it first, or choose another database)")
    assert not missing.parent.exists()


def test_the_app_fast_path_reads_the_app_options_as_the_full_parser_does():
    """`breachdrill --db X --library D` skips building every command's parser; it must read
    exactly what the parser would, and leave anything else to it."""
    from tui.cli import _app_options, build_parser

    for argv in ([], ["--db", "a.db"], ["--db=a.db", "--library", "x", "--library=y"], ["--library", "x", "--db", "b"],
                 ["--playbooks", "p", "--db", "c", "--playbooks=q"]):
        args = build_parser().parse_args(argv)
        assert _app_options(argv) == (args.app_db, args.app_library, args.app_playbooks), argv
    for argv in (["--db"], ["--db", "--library", "x"], ["--help"], ["scenarios", "list"], ["--lib", "x"], ["--db="]):
        assert _app_options(argv) is None, argv
