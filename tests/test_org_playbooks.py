"""Organisations' own playbooks (`--playbooks DIR`, BREACHDRILL_PLAYBOOKS), run as a user runs them.

The organisation here is a TEST FIXTURE written from scratch below: "Riverbend County Water
District" and its "Incident Response Plan" do not exist, and nothing in them is guidance. It is
never shipped (scenarios/playbooks/ holds only what the guides in shared/seeds/ say).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import one_line_error
from test_app_support import FIXTURES, FakeClock, answer_on_screen, settle, start_drill, sync

from scenarios.loader import PLAYBOOK_DIR, playbook_entries

ROOT = Path(__file__).resolve().parents[1]

RIVERBEND = """\
# TEST FIXTURE ONLY: "Riverbend County Water District" and its incident response plan are
# invented for breachdrill's tests. No such district or plan exists; nothing here is guidance.
id: riverbend-water
name: Riverbend County Water District (fictional test fixture)
extends: missouri
summary: >-
  An invented utility district's own written plan, layered over the Missouri state layer, used
  only to test organisation playbooks.
documents:
  - id: rcwd-irp
    title: Riverbend County Water District Incident Response Plan (fictional)
    citation: Invented for breachdrill's tests, version 0 (not a real document)
contacts:
  - id: duty-engineer
    name: Duty systems engineer
    role: Takes every report of a suspected incident, day or night.
    when: []
    source: {doc: rcwd-irp, section: "2.1 Who to call first"}
  - id: district-counsel
    name: District counsel
    role: Advises on notices; reached when the engineer asks.
    source: {doc: rcwd-irp, section: "2.3 Legal advice"}
steps:
  - id: rb-disconnect
    title: Unplug the affected workstation from the district network
    phase: containment-eradication-recovery
    capability: Cybersecurity
    source: {doc: rcwd-irp, section: "3.2 Containment"}
  - id: rb-save-logs
    title: Copy the access logs to the incident share before anything changes
    phase: detection-analysis
    capability: Forensics and Attribution
    source: {doc: rcwd-irp, section: "3.1 Keep the evidence"}
  - id: rb-restore
    title: Restore access only when the duty engineer says so
    phase: containment-eradication-recovery
    capability: Cybersecurity
    source: {doc: rcwd-irp, section: "3.4 Recovery"}
escalations:
  - contact: duty-engineer
    by: whoever finds the incident
    urgency: immediately
    source: {doc: rcwd-irp, section: "2.1 Who to call first"}
order:
  - first: rb-disconnect
    then: rb-restore
    why: The plan restores access only after the workstation is off the network.
    source: {doc: rcwd-irp, section: "3.4 Recovery"}
harms:
  - id: rb-wipe-logs
    title: Clear the access logs
    severity: major
    breaks: [rb-save-logs]
    source: {doc: rcwd-irp, section: "3.1 Keep the evidence"}
"""
PLAN = 'Riverbend County Water District Incident Response Plan (fictional)'

# tests/fixtures/minimal.yaml on the new playbook: its jurisdiction, and each step, contact and
# harm id the district's (the minimal scenario's own text is kept).
RENAMED = {
    "id: fixture-minimal": "id: riverbend-open-share",
    "jurisdiction: east-independence": "jurisdiction: riverbend-water",
    "[preserve-logs]": "[rb-save-logs]",
    "[city-it]": "[duty-engineer]",
    "[delete-logs]": "[rb-wipe-logs]",
    "[isolate]": "[rb-disconnect]",
    "[restore-on-instruction]": "[rb-restore]",
}


def riverbend_scenario() -> str:
    text = (FIXTURES / "minimal.yaml").read_text()
    for old, new in RENAMED.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def run(*args, env=None):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDRILL_")}
    environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "tui.cli", *map(str, args)],
                          capture_output=True, text=True, env=environ, timeout=120, check=False)


@pytest.fixture
def org(tmp_path):
    """A playbook folder with the district's plan, a library with a scenario on it, a database."""
    playbooks, library = tmp_path / "playbooks", tmp_path / "library"
    playbooks.mkdir()
    library.mkdir()
    (playbooks / "riverbend.yaml").write_text(RIVERBEND)
    (library / "riverbend-share.yaml").write_text(riverbend_scenario())
    # BREACHDRILL_DB too: the generated folder is looked for beside it, never in the user's data.
    env = {"BREACHDRILL_DB": str(tmp_path / "drills.db")}
    return tmp_path, playbooks, library, env


# --- the playbook: validated, listed, shown ------------------------------------------------------


def test_a_third_organisations_playbook_validates_lists_and_shows_its_citations(org):
    tmp, playbooks, _, env = org
    result = run("playbooks", "validate", playbooks / "riverbend.yaml", env=env)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "ok: 1 playbook file valid\n")

    listed = json.loads(run("playbooks", "list", "--playbooks", playbooks, "--json", env=env).stdout)
    by_id = {row["id"]: row for row in listed}
    assert by_id["riverbend-water"] | {"problems": None} == {
        "id": "riverbend-water", "name": "Riverbend County Water District (fictional test fixture)",
        "extends": "missouri", "path": str(playbooks / "riverbend.yaml"), "kind": "user",
        "jurisdiction": True, "valid": True, "problems": None,
    }
    assert {by_id[p]["kind"] for p in ("missouri", "east-independence", "st-louis")} == {"builtin"}
    table = run("playbooks", "list", "--playbooks", playbooks, env=env).stdout.splitlines()
    assert table[0].split() == ["ID", "NAME", "EXTENDS", "KIND", "FILE"]
    row = next(line for line in table if line.startswith("riverbend-water "))
    assert row.split()[-3:] == ["missouri", "user", str(playbooks / "riverbend.yaml")]
    assert "riverbend-water" not in run("playbooks", "list", env=env).stdout  # only where it is named

    shown = run("playbooks", "show", "riverbend-water", "--playbooks", playbooks, env=env).stdout
    assert "  rb-disconnect: Unplug the affected workstation from the district network" in shown
    assert f'      source: {PLAN}, "3.2 Containment"' in shown
    assert "  duty-engineer: immediately, by whoever finds the incident" in shown
    # Layered over the state layer: its duties come with it, cited to the statute.
    assert '      source: Missouri breach notification law, RSMo 407.1500, "Notice to affected residents' in shown
    as_json = json.loads(run("playbooks", "show", "riverbend-water", "--playbooks", playbooks, "--json",
                             env=env).stdout)
    assert [s["id"] for s in as_json["steps"]][-3:] == ["rb-disconnect", "rb-save-logs", "rb-restore"]
    assert "notify-residents" in [s["id"] for s in as_json["steps"]]
    assert as_json["harms"][-1]["source"] == {"doc": "rcwd-irp", "section": "3.1 Keep the evidence"}


def test_show_of_an_unknown_playbook_is_one_line(org):
    _, playbooks, _, env = org
    line = one_line_error(run("playbooks", "show", "riverbend-watr", "--playbooks", playbooks, env=env))
    assert line.startswith("breachdrill: error: no playbook with id 'riverbend-watr'; did you mean 'riverbend-water'?")


# --- a scenario on it: validated, played, scored -------------------------------------------------


def test_a_scenario_on_it_validates_and_plays_and_is_scored_by_the_districts_steps(org):
    tmp, playbooks, library, env = org
    scenario = library / "riverbend-share.yaml"
    result = run("scenarios", "validate", scenario, "--playbooks", playbooks, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    result = run("scenarios", "validate", "--library", library, "--playbooks", playbooks, env=env)
    assert result.returncode == 0, result.stdout + result.stderr

    answers = tmp / "answers.yaml"
    answers.write_text("found: a\nlock: [a, b]\n")
    result = run("play", "riverbend-open-share", "--library", library, "--playbooks", playbooks,
                 "--answers", answers, "--team", "Pumps", "--seed", 3, "--json", env=env)
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    assert card["overall"] == 100.0
    performed = [(f["dimension"], f["subject"], f["source"]) for f in card["findings"] if f["effect"] == "gained"]
    assert ("steps", "rb-save-logs", f'{PLAN}, "3.1 Keep the evidence"') in performed
    assert ("escalation", "duty-engineer", f'{PLAN}, "2.1 Who to call first"') in performed

    answers.write_text("found: b\ncover-up: a\nlock: [b, a]\n")
    text = run("play", scenario, "--playbooks", playbooks, "--answers", answers, "--db", tmp / "d.db",
               env=env).stdout
    assert "Harmful action (major): Clear the access logs" in text
    assert f'source: {PLAN}, "3.1 Keep the evidence"' in text
    assert "Undone: Copy the access logs to the incident share before anything changes" in text
    assert "put 'b' (rb-restore) before 'a' (rb-disconnect)" in text  # the district's order rule


def test_without_its_folder_the_scenario_names_an_unknown_jurisdiction_at_its_line(org):
    _, _, library, env = org
    result = run("scenarios", "validate", library / "riverbend-share.yaml", env=env)
    assert result.returncode == 1
    assert result.stdout == f"{library / 'riverbend-share.yaml'}:5:15: unknown jurisdiction 'riverbend-water'\n"


def test_a_second_list_follows_the_playbook_folders_in_use_not_the_row_cache(org):
    # `scenarios list` reads the library's row cache, which also records the playbooks in use:
    # listed without the district's folder the scenario is invalid, with it valid again.
    _, playbooks, library, env = org
    path = str(library / "riverbend-share.yaml")

    def valid(*extra) -> bool:
        result = run("scenarios", "list", "--json", "--library", library, *extra, env=env)
        assert result.returncode == 0, result.stderr
        return {row["path"]: row for row in json.loads(result.stdout)}[path]["valid"]

    assert [valid("--playbooks", playbooks), valid(), valid("--playbooks", playbooks)] == [True, False, True]
    (playbooks / "riverbend.yaml").write_text(RIVERBEND.replace("riverbend-water", "riverbend-sewer"))
    assert valid("--playbooks", playbooks) is False  # the playbook edited: its scenario read again


def test_breachdrill_playbooks_names_the_folders_too(org):
    tmp, playbooks, library, env = org
    other = tmp / "other"
    other.mkdir()
    answers = tmp / "answers.yaml"
    answers.write_text("found: a\nlock: [a, b]\n")
    env = env | {"BREACHDRILL_PLAYBOOKS": os.pathsep.join([str(other), str(playbooks)])}
    result = run("play", library / "riverbend-share.yaml", "--answers", answers, "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["overall"] == 100.0
    assert "riverbend-water" in run("playbooks", "list", env=env).stdout


def test_a_missing_playbook_folder_is_one_line(org):
    tmp, playbooks, library, env = org
    missing = tmp / "no-such-folder"
    for args in (("playbooks", "list"), ("scenarios", "list"), ("scenarios", "validate"),
                 ("play", library / "riverbend-share.yaml", "--answers", tmp / "a.yaml")):
        line = one_line_error(run(*args, "--playbooks", missing, env=env))
        assert line == f"breachdrill: error: --playbooks {missing}: no such directory"
    named = env | {"BREACHDRILL_PLAYBOOKS": os.pathsep.join([str(playbooks), str(missing)])}
    line = one_line_error(run("scenarios", "list", env=named))
    assert line == f"breachdrill: error: BREACHDRILL_PLAYBOOKS names {missing}: no such directory"
    # A command that only reads stored drills (each scored against its own snapshot) reads no folder.
    assert run("results", "list", "--db", tmp / "d.db", env=named).returncode == 0


# --- a drill keeps the playbook it started with ---------------------------------------------------


def test_a_drill_is_scored_against_the_playbook_as_it_was_when_it_started(org):
    tmp, playbooks, library, env = org
    answers = tmp / "answers.yaml"
    answers.write_text("found: a\nlock: [a, b]\n")
    db = tmp / "d.db"
    first = json.loads(run("play", library / "riverbend-share.yaml", "--playbooks", playbooks,
                           "--answers", answers, "--db", db, "--json", env=env).stdout)
    old = "Copy the access logs to the incident share before anything changes"
    new = "Export the access logs to the evidence drive"
    path = playbooks / "riverbend.yaml"
    path.write_text(path.read_text().replace(old, new).replace('"3.1 Keep the evidence"', '"3.1 Evidence"'))

    for args in (("results", "show", first["drill_id"]), ("report", first["drill_id"], "--format", "md")):
        out = run(*args, "--db", db, env=env | {"BREACHDRILL_PLAYBOOKS": str(playbooks)})
        assert out.returncode == 0, out.stderr
        assert old in out.stdout and f'{PLAN}, "3.1 Keep the evidence"' in out.stdout
        assert new not in out.stdout and '"3.1 Evidence"' not in out.stdout
    second = json.loads(run("play", library / "riverbend-share.yaml", "--playbooks", playbooks,
                            "--answers", answers, "--db", db, "--json", env=env).stdout)
    messages = " ".join(f["message"] for f in second["findings"])
    assert new in messages and old not in messages


# --- broken playbooks: located lines --------------------------------------------------------------


def _broken(old: str, new: str) -> str:
    assert old in RIVERBEND, old
    return RIVERBEND.replace(old, new, 1)


BROKEN = [
    pytest.param(_broken('doc: rcwd-irp, section: "3.2 Containment"', 'doc: rcwd-plan, section: "3.2 Containment"'),
                 "28:19: unknown document 'rcwd-plan'; did you mean 'rcwd-irp'? (documents here and in the "
                 "layers extended: rsmo-407-1500, nist-sp-800-61r2, nist-csf-2, cisa-ransomware, rcwd-irp)",
                 id="unknown-document"),
    pytest.param(_broken('{doc: rcwd-irp, section: "3.2 Containment"}', "{doc: rcwd-irp}"),
                 "28:13: missing field 'section'", id="missing-section"),
    pytest.param(_broken('{doc: rcwd-irp, section: "3.2 Containment"}', '{doc: rcwd-irp, section: ""}'),
                 "28:38: section: String should have at least 1 character", id="empty-section"),
    pytest.param(_broken("escalations:\n", "  - id: rb-disconnect\n    title: Pull the plug\n    phase: preparation\n"
                         "    capability: Cybersecurity\n    source: {doc: rcwd-irp, section: \"3.2 Containment\"}\n"
                         "escalations:\n"),
                 "39:9: duplicate step id 'rb-disconnect' (first used by steps[0])", id="duplicate-step"),
    pytest.param(_broken("extends: missouri", "extends: misouri"),
                 "5:10: cannot extend unknown playbook 'misouri'; did you mean 'missouri'?", id="unknown-layer"),
    pytest.param(_broken("extends: missouri\n", ""),
                 "3:1: a user playbook must extend 'missouri' (the state layer), directly or through another "
                 "playbook", id="no-state-layer"),
    pytest.param(_broken("id: riverbend-water", "id: st-louis"),
                 "3:5: 'st-louis' is the id of the built-in playbook st-louis.yaml: a user playbook cannot replace "
                 "it; give yours an id of its own (and `extends: st-louis` to build on it)", id="builtin-id"),
    pytest.param(_broken("breaks: [rb-save-logs]", "breaks: [rb-save-log]"),
                 "53:14: unknown step 'rb-save-log'; did you mean 'rb-save-logs'?", id="unknown-step"),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN)
def test_a_broken_playbook_is_one_located_line(org, text, expected):
    tmp, playbooks, library, env = org
    path = playbooks / "riverbend.yaml"
    path.write_text(text)
    result = run("playbooks", "validate", path, env=env)
    assert result.returncode == 1
    assert result.stdout == f"{path}:{expected}\n"
    assert result.stderr == "1 problem in 1 of 1 file\n"
    # Found through the folder too, and a scenario on it says where to look, at its jurisdiction.
    whole = run("playbooks", "validate", "--playbooks", playbooks, env=env)
    assert (whole.returncode, whole.stdout) == (1, f"{path}:{expected}\n")
    if "st-louis" in expected:
        return
    listed = run("playbooks", "list", "--playbooks", playbooks, env=env)
    assert f"invalid: {path} (1 problem; see `breachdrill playbooks validate`)\n" in listed.stderr
    assert one_line_error(run("playbooks", "show", "riverbend-water", "--playbooks", playbooks, env=env)) == (
        f"breachdrill: error: playbook 'riverbend-water' ({path}) has 1 problem: run "
        f"`breachdrill playbooks validate {path}`")
    scenario = run("scenarios", "validate", library / "riverbend-share.yaml", "--playbooks", playbooks, env=env)
    assert scenario.returncode == 1
    assert scenario.stdout == (
        f"{library / 'riverbend-share.yaml'}:5:15: jurisdiction 'riverbend-water': its playbook {path} has "
        f"1 problem (see `breachdrill playbooks validate {path}`)\n")


def test_every_problem_of_a_playbook_is_found_in_one_pass(org):
    _, playbooks, _, env = org
    path = playbooks / "riverbend.yaml"
    text = _broken('doc: rcwd-irp, section: "3.2 Containment"', 'doc: nope, section: "3.2 Containment"')
    text = text.replace("breaks: [rb-save-logs]", "breaks: [rb-save-log]").replace(
        "  - contact: duty-engineer", "  - contact: duty-enginer").replace(
        "    then: rb-restore", "    then: notify:counsel")
    path.write_text(text)
    result = run("playbooks", "validate", path, env=env)
    assert result.returncode == 1
    assert [line.split(": ", 1)[0].removeprefix(f"{path}:") for line in result.stdout.splitlines()] == [
        "28:19", "40:14", "46:11", "53:14"]
    assert "unknown contact 'duty-enginer'; did you mean 'duty-engineer'?" in result.stdout
    assert "unknown action 'notify:counsel'" in result.stdout
    assert result.stderr == "4 problems in 1 of 1 file\n"


def test_the_same_id_in_two_user_files_is_refused_at_the_second(org):
    tmp, playbooks, _, env = org
    second = tmp / "more"
    second.mkdir()
    (second / "copy.yaml").write_text(RIVERBEND)
    result = run("playbooks", "validate", "--playbooks", playbooks, "--playbooks", second, env=env)
    assert result.returncode == 1
    assert result.stdout == (f"{second / 'copy.yaml'}:3:5: playbook id 'riverbend-water' is already used by "
                             f"{playbooks / 'riverbend.yaml'}\n")


def test_a_playbook_extending_a_broken_one_says_so_at_its_extends(org):
    _, playbooks, _, env = org
    (playbooks / "riverbend.yaml").write_text(_broken("extends: missouri", "extends: misouri"))
    (playbooks / "treatment.yaml").write_text(
        "id: riverbend-treatment\nname: The district's treatment plant (fictional)\nextends: riverbend-water\n"
        "summary: A test fixture's second layer.\n")
    result = run("playbooks", "validate", "--playbooks", playbooks, env=env)
    assert result.returncode == 1
    assert f"{playbooks / 'treatment.yaml'}:3:10: extends 'riverbend-water', which extends unknown playbook " \
           "'misouri'\n" in result.stdout


def test_the_builtin_playbooks_are_named_after_their_ids():
    """scenarios.playbook_folders.builtin_ids reads the ids from the file names (before pydantic)."""
    from scenarios.playbook_folders import builtin_ids

    builtins = {e.id: Path(e.path) for e in playbook_entries() if e.builtin}
    assert builtin_ids() == set(builtins) == {p.stem for p in PLAYBOOK_DIR.glob("*.yaml")}
    assert all(path.stem == pid for pid, path in builtins.items())


# --- the app --------------------------------------------------------------------------------------


def _app(tmp_path, library, playbooks):
    from tui.app.launch import build_app, build_services

    return build_app(build_services(
        db=tmp_path / "drills.db", library=[str(library)], playbooks=[str(p) for p in playbooks], environ={},
        builtin=False, seed=42, clock=FakeClock(), cache_dir=tmp_path / "cache"))


def _library_text(pilot) -> str:
    from textual.widgets import DataTable

    table = pilot.app.screen.query_one("#scenarios", DataTable)
    return " ".join(str(table.get_cell_at((r, c))) for r in range(table.row_count)
                    for c in range(len(table.columns)))


@pytest.fixture
def folders_kept(monkeypatch):
    """The app's services make their folders the process's: put back what was in use before."""
    from scenarios import playbook_folders

    monkeypatch.setattr(playbook_folders, "_in_use", playbook_folders._in_use)


@sync
async def test_the_app_lists_and_plays_a_scenario_on_a_user_playbook(org, folders_kept):
    tmp, playbooks, library, _ = org
    # First without the folder (its row cached as invalid), then with it: never a stale row. The
    # file an hour old, so the row cache trusts its stat (a file changed just now is read again).
    scenario = library / "riverbend-share.yaml"
    os.utime(scenario, (scenario.stat().st_atime - 3600, scenario.stat().st_mtime - 3600))
    async with _app(tmp, library, []).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Shared folder open to everyone" not in _library_text(pilot)
    async with _app(tmp, library, [playbooks]).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "Shared folder open to everyone" in _library_text(pilot)
        assert "riverbend-water" in pilot.app.export_screenshot()
        await start_drill(pilot, ["Pumps"])
        console = pilot.app.screen
        assert console.drill.key.playbook.id == "riverbend-water"
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        await answer_on_screen(pilot, option="a")
        card = console.drill.scorecards()["Pumps"]
        gained = {(f.dimension, f.subject, f.source) for f in card.findings if f.effect == "gained"}
        assert ("steps", "rb-save-logs", f'{PLAN}, "3.1 Keep the evidence"') in gained
