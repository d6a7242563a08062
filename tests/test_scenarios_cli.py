"""`breachdrill scenarios ...` through the real command line."""

import json
import os
import shutil

from helpers import FIXTURES, run_cli


def _user_library(tmp_path, *names):
    folder = tmp_path / "mine"
    folder.mkdir()
    for name in names:
        shutil.copy(FIXTURES / name if "/" not in name else FIXTURES / name, folder / os.path.basename(name))
    return folder


def test_list_json_includes_user_folder_with_source_path(tmp_path):
    folder = _user_library(tmp_path, "minimal.yaml")
    result = run_cli("scenarios", "list", "--json", "--library", str(folder))
    assert result.returncode == 0, result.stderr
    rows = {row["id"]: row for row in json.loads(result.stdout) if row["valid"]}
    mine = rows["fixture-minimal"]
    assert mine == {
        "id": "fixture-minimal",
        "title": "Shared folder open to everyone",
        "violation": "access-control",
        "jurisdiction": "east-independence",
        "difficulty": "introductory",
        "injects": 3,
        "path": str(folder / "minimal.yaml"),
        "valid": True,
    }


def test_environment_variable_adds_folders(tmp_path):
    folder = _user_library(tmp_path, "minimal.yaml")
    without = run_cli("scenarios", "list", "--json")
    with_env = run_cli("scenarios", "list", "--json", env={"BREACHDRILL_LIBRARY": str(folder)})
    ids = lambda r: {row.get("id") for row in json.loads(r.stdout)}  # noqa: E731
    assert "fixture-minimal" not in ids(without)
    assert "fixture-minimal" in ids(with_env)


def test_invalid_user_scenarios_are_listed_not_fatal(tmp_path):
    folder = _user_library(tmp_path, "minimal.yaml", "broken/cycle.yaml")
    cycle = folder / "cycle.yaml"
    cycle.write_text(cycle.read_text().replace("id: fixture-minimal", "id: fixture-cycle"))
    result = run_cli("scenarios", "list", "--json", "--library", str(folder))
    assert result.returncode == 0
    rows = json.loads(result.stdout)
    invalid = [row for row in rows if not row["valid"]]
    assert [row["path"] for row in invalid] == [str(folder / "cycle.yaml")]
    assert "leads back to 'found'" in invalid[0]["problems"][0]
    assert f"invalid: {folder / 'cycle.yaml'}" in result.stderr


def test_a_second_list_reads_the_row_cache_and_a_changed_file_is_read_again(tmp_path):
    # `scenarios list` reads the library as the app does: a file whose size and mtime are those
    # the cache holds is not parsed again (a 1,000-file library lists in a fraction of the time),
    # and a file changed since is validated and listed as it is now.
    folder = _user_library(tmp_path, "minimal.yaml")
    path = folder / "minimal.yaml"
    old = 1_600_000_000
    os.utime(path, (old, old))  # written long before the cache: never "racy"
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}

    def listed():
        result = run_cli("scenarios", "list", "--json", "--library", str(folder), env=env)
        assert result.returncode == 0, result.stderr
        return result, {row["path"]: row for row in json.loads(result.stdout)}[str(path)]

    first, row = listed()
    assert row["title"] == "Shared folder open to everyone"
    assert list((tmp_path / "cache").rglob("*.json")), "the first list left the row cache"
    # The same size and mtime, other bytes: the row comes from the cache, so it is the one listed.
    path.write_text(path.read_text().replace("open to everyone", "open to EVERYONE"))
    os.utime(path, (old, old))
    second, row = listed()
    assert second.stdout == first.stdout and row["title"] == "Shared folder open to everyone"
    # Changed as an editor changes it (a new mtime): read again, as it is now.
    path.write_text(path.read_text().replace("title: Shared folder", "title: Shared drive"))
    _, row = listed()
    assert row["title"] == "Shared drive open to EVERYONE"
    path.write_text(path.read_text().replace("violation: access-control", "violation: nonsense"))
    result, row = listed()
    assert row["valid"] is False and row["problems"][0].startswith(f"{path}:")
    assert f"invalid: {path} (1 problem; see `breachdrill scenarios validate`)" in result.stderr


def test_same_id_in_two_files_is_a_problem(tmp_path):
    folder = _user_library(tmp_path, "minimal.yaml")
    shutil.copy(folder / "minimal.yaml", folder / "zz-copy.yaml")
    result = run_cli("scenarios", "validate", "--library", str(folder))
    assert result.returncode == 1
    assert (
        f"{folder / 'zz-copy.yaml'}:2:5: scenario id 'fixture-minimal' is already used by {folder / 'minimal.yaml'}"
    ) in result.stdout


def test_missing_library_folder_is_a_one_line_error(tmp_path):
    result = run_cli("scenarios", "list", "--library", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert result.stderr == f"breachdrill: error: --library {tmp_path / 'nowhere'}: no such directory\n"


def test_show_unknown_id_suggests(tmp_path):
    folder = _user_library(tmp_path, "minimal.yaml")
    result = run_cli("scenarios", "show", "fixture-minimum", "--library", str(folder))
    assert result.returncode == 2
    assert "no scenario with id 'fixture-minimum'; did you mean 'fixture-minimal'?" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_show_text_marks_guide_answers_and_prints_escapes_literally(tmp_path):
    folder = _user_library(tmp_path, "minimal.yaml")
    hostile = (folder / "minimal.yaml").read_text().replace(
        "What do you do first?", '"What do you do first? \\e[31m[bold]red[/bold]"'
    )
    (folder / "minimal.yaml").write_text(hostile)
    result = run_cli("scenarios", "show", str(folder / "minimal.yaml"))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "\\x1b[31m[bold]red[/bold]" in result.stdout
    # Seed 1 (the default, said on stderr) shows the harmful option first: numbers are as shown.
    assert "seed 1 (no --seed given)" in result.stderr
    assert "   * 2. a) Tell City IT and keep the folder's access logs" in result.stdout
    assert "     1. b) Delete the folder's audit log so nobody panics -> cover-up" in result.stdout
    assert "        key: step preserve-logs, notify city-it" in result.stdout


def test_schema_is_json_schema_of_the_format():
    result = run_cli("scenarios", "schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"id", "title", "violation", "jurisdiction", "facts", "start", "injects"} <= set(schema["required"])
    inject = schema["$defs"]["Inject"]
    assert inject["properties"]["kind"]["enum"] == ["single", "multi", "order", "free"]
    assert inject["additionalProperties"] is False
