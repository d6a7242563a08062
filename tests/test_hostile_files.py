"""Files that are not what they claim, as a user's machine has them: FIFOs, devices, symlinks,
folders and files the user may not read, and YAML that hides control characters or tags.

- Only regular files are read as scenarios, answers or playbooks, with their size checked before
  reading: /dev/zero is one line (it used to grow to gigabytes), a FIFO is one line (it used to
  hang forever).
- `-o FILE` writes into a character device or a FIFO (/dev/null, /dev/stdout, a pipe) as a shell's
  `>` does, follows a symlink and replaces what it points to (the link stays), and refuses a
  folder, a socket or a block device. It never replaces anything but a regular file.
- A library folder or file the user cannot read is one located line, and the rest still loads:
  `scenarios list`, `validate`, `play` and the app. The tests run as root, for whom permission
  bits mean nothing: those processes run with root's two file-permission overrides dropped
  (setpriv --bounding-set -dac_override,-dac_read_search), so the PermissionErrors are real.
- YAML: a control character is named at its own line:col in one line, the end of a file with no
  final line break is on its last line, and a tag on a list or a mapping is refused where it is.

Every command runs as a real process with a timeout, so a hang fails the test instead of the run.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, one_line_error

from scenarios.loader import load_scenario, load_text
from scenarios.yamlsource import MAX_BYTES

MINIMAL = (FIXTURES / "minimal.yaml").read_text()
GENERATE = ("scenarios", "generate", "--violation", "access-control", "--jurisdiction", "st-louis", "--seed", "7")
TIMEOUT = 60


def cli(*args, prefix: list[str] | None = None, env: dict | None = None, cwd=None, timeout: float = TIMEOUT,
        text: bool = True) -> subprocess.CompletedProcess:
    """The real command line in a process of its own (this checkout's code), with a timeout."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDRILL_")}
    environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    environ.update(env or {})
    return subprocess.run([*(prefix or []), sys.executable, "-m", "tui.cli", *map(str, args)], capture_output=True,
                          text=text, env=environ, cwd=cwd or ROOT, timeout=timeout, check=False)


def minimal(sid: str = "fixture-minimal") -> str:
    return MINIMAL.replace("id: fixture-minimal", f"id: {sid}", 1)


@pytest.fixture
def generated() -> str:
    """What `scenarios generate` prints for GENERATE: what every -o below must write."""
    result = cli(*GENERATE)
    assert result.returncode == 0, result.stderr
    return result.stdout


# --- reading: only regular files ----------------------------------------------------------------


def test_validate_dev_zero_is_one_line_not_gigabytes():
    result = cli("scenarios", "validate", "/dev/zero", timeout=20)
    assert result.returncode == 1, result.stderr
    assert result.stdout == "/dev/zero:1:1: is a character device, not a regular file\n"


def test_a_fifo_as_a_scenario_is_one_line_and_never_waits_for_a_writer(tmp_path):
    fifo = tmp_path / "drill.yaml"
    os.mkfifo(fifo)
    result = cli("scenarios", "validate", fifo, timeout=20)
    assert result.returncode == 1, result.stderr
    assert result.stdout == f"{fifo}:1:1: is a named pipe (FIFO), not a regular file\n"
    (tmp_path / "answers.yaml").write_text("found: a\n")
    line = one_line_error(cli("play", fifo, "--answers", tmp_path / "answers.yaml", "--db", tmp_path / "d.db",
                              timeout=20))
    assert line == f"breachdrill: error: {fifo}:1:1: is a named pipe (FIFO), not a regular file"
    assert not (tmp_path / "d.db").exists()
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_fifo_and_a_link_to_nothing_in_a_library_are_named_and_the_rest_loads(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "good.yaml").write_text(minimal("good-one"))
    os.mkfifo(lib / "pipe.yaml")
    (lib / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    env = {"BREACHDRILL_DB": str(tmp_path / "d.db")}
    listed = cli("scenarios", "list", "--library", lib, "--json", env=env, timeout=30)
    assert listed.returncode == 0, listed.stderr
    rows = {Path(r["path"]).name: r for r in json.loads(listed.stdout) if Path(r["path"]).parent == lib}
    assert rows["good.yaml"]["valid"] and rows["good.yaml"]["id"] == "good-one"
    assert rows["pipe.yaml"]["problems"] == [f"{lib / 'pipe.yaml'}:1:1: is a named pipe (FIFO), not a regular file"]
    assert rows["gone.yaml"]["problems"] == [f"{lib / 'gone.yaml'}:1:1: cannot read file: No such file or directory"]
    validated = cli("scenarios", "validate", lib, timeout=30)
    assert validated.returncode == 1
    assert validated.stdout.splitlines() == [
        f"{lib / 'gone.yaml'}:1:1: cannot read file: No such file or directory",
        f"{lib / 'pipe.yaml'}:1:1: is a named pipe (FIFO), not a regular file",
    ]


@pytest.fixture
def scenario(tmp_path) -> Path:
    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL)
    return path


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "folder", "huge"])
def test_an_answers_file_that_is_not_a_small_regular_file_is_one_line_and_records_nothing(tmp_path, scenario, kind):
    if kind == "dev-zero":
        answers, why = Path("/dev/zero"), "is a character device, not a regular file"
    elif kind == "fifo":
        answers, why = tmp_path / "answers.yaml", "is a named pipe (FIFO), not a regular file"
        os.mkfifo(answers)
    elif kind == "folder":
        answers, why = tmp_path, "is a directory, not a regular file"
    else:
        answers = tmp_path / "answers.yaml"
        answers.write_text("found: a\n" + "#" * MAX_BYTES)
        why = f"file is {answers.stat().st_size:,} bytes; answers files are limited to {MAX_BYTES:,}"
    db = tmp_path / "d.db"
    for how in (("--answers", answers), ("--team", f"Red={answers}")):
        line = one_line_error(cli("play", scenario, *how, "--db", db, timeout=20))
        assert line == f"breachdrill: error: {answers}:1:1: {why}"
    assert not db.exists()  # nothing recorded: no drill to resume


def test_a_symlink_to_a_regular_file_is_read_through(tmp_path, scenario):
    link = tmp_path / "elsewhere.yaml"
    link.symlink_to(scenario)
    assert load_scenario(link).ok
    (tmp_path / "answers-target.yaml").write_text("found: a\n")
    (tmp_path / "answers.yaml").symlink_to(tmp_path / "answers-target.yaml")
    result = cli("play", link, "--answers", tmp_path / "answers.yaml", "--db", tmp_path / "d.db")
    assert result.returncode == 0, result.stderr


# --- writing: -o -------------------------------------------------------------------------------


def test_o_dev_null_writes_into_it(tmp_path):
    result = cli(*GENERATE, "-o", "/dev/null")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "wrote /dev/null\n" and result.stdout == ""
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_o_dev_full_is_one_line_the_disk_is_full():
    line = one_line_error(cli(*GENERATE, "-o", "/dev/full"))
    assert line == "breachdrill: error: -o /dev/full: cannot write (the disk is full)"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_o_dev_stdout_writes_into_the_pipe_it_is(generated):
    result = cli(*GENERATE, "-o", "/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert result.stdout == generated


def test_o_a_fifo_writes_into_it_for_its_reader(tmp_path, generated):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as reader:
            got.append(reader.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = cli(*GENERATE, "-o", fifo)
    reader.join(TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert got == [generated.encode()]
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # written into, not replaced


def test_o_a_symlink_replaces_what_it_points_to_and_the_link_stays(tmp_path, generated):
    target_dir, link_dir = tmp_path / "target", tmp_path / "links"
    target_dir.mkdir(), link_dir.mkdir()
    target = target_dir / "kept.yaml"
    target.write_text("the old text\n")
    link = link_dir / "out.yaml"
    link.symlink_to(target)
    line = one_line_error(cli(*GENERATE, "-o", link))
    assert line == f"breachdrill: error: -o {link}: file exists (add --force to replace it)"
    assert target.read_text() == "the old text\n"
    result = cli(*GENERATE, "-o", link, "--force")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == generated
    assert sorted(p.name for p in target_dir.iterdir()) == ["kept.yaml"]  # written beside it, renamed over it
    assert sorted(p.name for p in link_dir.iterdir()) == ["out.yaml"]


def test_o_a_symlink_to_nothing_yet_creates_what_it_points_to(tmp_path, generated):
    link = tmp_path / "out.yaml"
    link.symlink_to(tmp_path / "new.yaml")
    result = cli(*GENERATE, "-o", link)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and (tmp_path / "new.yaml").read_text() == generated


def test_o_a_folder_a_socket_or_a_block_device_is_refused_and_left_as_it_is(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    line = one_line_error(cli(*GENERATE, "-o", folder, "--force"))
    assert line == f"breachdrill: error: -o {folder}: is a directory; give a file name"
    assert folder.is_dir() and not any(folder.iterdir())

    sock_path = tmp_path / "sock"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(sock_path))
        line = one_line_error(cli(*GENERATE, "-o", sock_path, "--force"))
        assert line == (f"breachdrill: error: -o {sock_path}: is a socket; only a regular file, a character device "
                        "or a FIFO is written")
        assert stat.S_ISSOCK(sock_path.stat().st_mode)
    finally:
        sock.close()

    block = tmp_path / "block"
    try:  # a device number nothing uses: were it ever opened, nothing would be written anywhere
        os.mknod(block, stat.S_IFBLK | 0o600, os.makedev(240, 99))
    except (PermissionError, OSError):
        pytest.skip("no block device node can be made here")
    line = one_line_error(cli(*GENERATE, "-o", block, "--force"))
    assert line.endswith(f"-o {block}: is a block device; only a regular file, a character device or a FIFO is written")
    assert stat.S_ISBLK(block.stat().st_mode)


def test_a_left_over_partial_file_that_is_a_link_is_never_written_through(tmp_path, generated):
    precious = tmp_path / "precious.txt"
    precious.write_text("twenty years of minutes\n")
    (tmp_path / ".out.yaml.partial").symlink_to(precious)
    result = cli(*GENERATE, "-o", tmp_path / "out.yaml")
    assert result.returncode == 0, result.stderr
    assert precious.read_text() == "twenty years of minutes\n"
    assert (tmp_path / "out.yaml").read_text() == generated
    assert not (tmp_path / ".out.yaml.partial").exists() and not (tmp_path / ".out.yaml.partial").is_symlink()


# --- a library the user may not read ------------------------------------------------------------

DROP = ["--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]


def _unprivileged(tmp_path: Path) -> list[str]:
    """The prefix that runs a command with permission bits applying to it: nothing for a user,
    setpriv without root's overrides for root; checked on a folder nobody may read."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permission bits cannot be made to apply")
    probe = tmp_path / "probe"
    probe.mkdir(mode=0o000)
    try:
        result = subprocess.run([setpriv, *DROP, sys.executable, "-c", "import os, sys; os.listdir(sys.argv[1])",
                                 str(probe)], capture_output=True, text=True, timeout=TIMEOUT)
    finally:
        probe.rmdir()
    if "PermissionError" not in result.stderr:
        pytest.skip(f"cannot drop root's permission overrides here: {result.stderr.strip()[-200:]}")
    return [setpriv, *DROP]


@pytest.fixture
def locked(tmp_path):
    """Folders of a library: one fine, one nobody may open, one inside a folder nobody may enter,
    one that can be listed but not entered, and one with a file nobody may read."""
    prefix = _unprivileged(tmp_path)
    good, closed, shut, listable, mixed = (tmp_path / n for n in ("good", "closed", "shut", "listable", "mixed"))
    for folder in (good, closed, shut / "inner", listable, mixed):
        folder.mkdir(parents=True)
    (good / "a.yaml").write_text(minimal("good-one"))
    (closed / "b.yaml").write_text(minimal("closed-one"))
    (shut / "inner" / "c.yaml").write_text(minimal("shut-one"))
    (listable / "d.yaml").write_text(minimal("listable-one"))
    (mixed / "e.yaml").write_text(minimal("mixed-one"))
    (mixed / "secret.yaml").write_text(minimal("secret-one"))
    (tmp_path / "answers.yaml").write_text("found: a\n")
    (tmp_path / "secret-answers.yaml").write_text("found: a\n")
    modes = {closed: 0o000, shut: 0o600, listable: 0o644, mixed / "secret.yaml": 0o000,
             tmp_path / "secret-answers.yaml": 0o000}
    for path, mode in modes.items():
        path.chmod(mode)
    folders = [good, closed, shut / "inner", listable, mixed]
    yield prefix, folders, tmp_path
    for path in modes:
        path.chmod(0o755)


def _expected_lines(tmp_path: Path) -> list[str]:
    denied = "Permission denied"
    return sorted([
        f"{tmp_path / 'closed'}:1:1: cannot read library folder: {denied}",
        f"{tmp_path / 'shut' / 'inner'}:1:1: cannot read library folder: {denied}",
        f"{tmp_path / 'listable' / 'd.yaml'}:1:1: cannot read file: {denied}",
        f"{tmp_path / 'mixed' / 'secret.yaml'}:1:1: cannot read file: {denied}",
    ])


def _library_args(folders) -> list[str]:
    return [arg for folder in folders for arg in ("--library", str(folder))]


def test_validate_names_each_unreadable_folder_and_file_in_one_line(locked):
    prefix, folders, tmp = locked
    env = {"BREACHDRILL_DB": str(tmp / "d")}
    result = cli("scenarios", "validate", *_library_args(folders), prefix=prefix, env=env)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1
    problems = [line for line in result.stdout.splitlines() if ": warning: " not in line]
    assert sorted(problems) == _expected_lines(tmp)
    assert result.stderr.strip().startswith("4 problems in 4 of ")
    explicit = cli("scenarios", "validate", tmp / "closed", tmp / "good", prefix=prefix)
    assert explicit.returncode == 1 and "Traceback" not in explicit.stderr
    assert explicit.stdout.splitlines() == [f"{tmp / 'closed'}:1:1: cannot read library folder: Permission denied"]


def test_list_shows_the_readable_scenarios_and_one_line_per_unreadable_entry(locked):
    prefix, folders, tmp = locked
    result = cli("scenarios", "list", *_library_args(folders), prefix=prefix, env={"BREACHDRILL_DB": str(tmp / "d")})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    ids = [line.split()[0] for line in result.stdout.splitlines()[1:]]
    assert "good-one" in ids and "mixed-one" in ids and "ei-access-control" in ids  # and the built-ins
    assert not {"closed-one", "shut-one", "listable-one", "secret-one"} & set(ids)
    invalid = sorted(line for line in result.stderr.splitlines() if line.startswith("invalid: "))
    assert [line.split(" (")[0] for line in invalid] == sorted(
        f"invalid: {tmp / p}" for p in ("closed", "shut/inner", "listable/d.yaml", "mixed/secret.yaml"))
    assert len(result.stderr.splitlines()) == 4


def test_play_by_id_works_beside_unreadable_folders_and_an_unreadable_file_is_one_line(locked):
    prefix, folders, tmp = locked
    env = {"BREACHDRILL_DB": str(tmp / "d.db")}
    played = cli("play", "good-one", *_library_args(folders), "--answers", tmp / "answers.yaml", "--json",
                 prefix=prefix, env=env)
    assert played.returncode == 0, played.stderr
    assert json.loads(played.stdout)["scenario_id"] == "good-one"
    secret = tmp / "mixed" / "secret.yaml"
    line = one_line_error(cli("play", secret, "--answers", tmp / "answers.yaml", prefix=prefix, env=env))
    assert line == f"breachdrill: error: {secret}:1:1: cannot read file: Permission denied"
    line = one_line_error(cli("play", "good-one", *_library_args(folders), "--answers", tmp / "secret-answers.yaml",
                              prefix=prefix, env=env))
    assert line == f"breachdrill: error: {tmp / 'secret-answers.yaml'}:1:1: cannot read file: Permission denied"
    listed = cli("results", "list", "--json", prefix=prefix, env=env)
    assert [d["scenario_id"] for d in json.loads(listed.stdout)] == ["good-one"]  # the refused ones recorded nothing


APP = """
import asyncio, json, sys
from pathlib import Path
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
from test_app_support import services, settle
from textual.widgets import DataTable
from tui.app.launch import build_app

async def main():
    svc = services(Path(sys.argv[2]), library=sys.argv[3:], builtin=False)
    svc.check_library()  # as the launcher does before the first frame
    app = build_app(svc)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        cells = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        rows = [[r.path, r.ok, [list(p) for p in r.problems]] for r in app.screen.rows]
        print(json.dumps({"screen": type(app.screen).__name__, "cells": cells, "rows": rows}))

asyncio.run(main())
"""


def test_the_app_lists_the_library_with_each_unreadable_entry_as_one_invalid_row(locked):
    prefix, folders, tmp = locked
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDRILL_")}
    result = subprocess.run([*prefix, sys.executable, "-c", APP, str(ROOT), str(tmp), *map(str, folders)],
                            capture_output=True, text=True, env=environ, cwd=ROOT, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["screen"] == "LibraryScreen"
    rows = {Path(path).relative_to(tmp).as_posix(): (ok, problems) for path, ok, problems in shown["rows"]}
    assert rows["good/a.yaml"][0] and rows["mixed/e.yaml"][0]
    unreadable = {name: problems for name, (ok, problems) in rows.items() if not ok}
    assert unreadable == {
        "closed": [[1, 1, "cannot read library folder: Permission denied"]],
        "shut/inner": [[1, 1, "cannot read library folder: Permission denied"]],
        "listable/d.yaml": [[1, 1, "cannot read file: Permission denied"]],
        "mixed/secret.yaml": [[1, 1, "cannot read file: Permission denied"]],
    }
    titles = [cells[0] for cells in shown["cells"]]
    assert titles.count("Shared folder open to everyone") == 2  # the two readable scenarios
    assert sum(1 for cells in shown["cells"] if cells[1] == "INVALID") == 4


ROWS = """
import json, sys
from pathlib import Path
from scenarios import catalog
found = catalog.scan([Path(sys.argv[1])], Path(sys.argv[2]))
print(json.dumps([[Path(r.path).name, r.ok, [p[2] for p in r.problems]] for r in catalog.validate(found)]))
"""


def test_an_unreadable_file_is_never_cached_so_a_chmod_is_seen_at_the_next_start(locked):
    prefix, _, tmp = locked
    mixed, cache = tmp / "mixed", tmp / "row-cache"
    past = 1_700_000_000_000_000_000  # long before the cache is written: a row the cache would trust
    for path in mixed.iterdir():
        os.utime(path, ns=(past, past))

    def rows():
        result = subprocess.run([*prefix, sys.executable, "-c", ROWS, str(mixed), str(cache)], capture_output=True,
                                text=True, cwd=ROOT, timeout=TIMEOUT, check=False)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    assert rows() == [["e.yaml", True, []], ["secret.yaml", False, ["cannot read file: Permission denied"]]]
    (mixed / "secret.yaml").chmod(0o644)  # the same size and mtime: only its ctime says it changed
    assert rows() == [["e.yaml", True, []], ["secret.yaml", True, []]]


# --- YAML: where the problem is, in one line ---------------------------------------------------


def only(text: str):
    loaded = load_text("t.yaml", text)
    assert len(loaded.problems) == 1, loaded.problems
    problem = loaded.problems[0]
    assert "\n" not in str(problem) and "\r" not in str(problem)
    return problem


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x9b", "\x08"])
def test_a_control_character_is_named_at_its_own_line_and_column(char):
    text = MINIMAL.replace("title: Shared folder open to everyone", f"title: Shared folder é{char} open", 1)
    problem = only(text)
    line = text.count("\n", 0, text.index(char)) + 1
    col = text.index(char) - text.rfind("\n", 0, text.index(char))
    assert (problem.line, problem.col) == (line, col) == (3, 23)  # characters, not bytes (é is two)
    assert problem.message == (f"YAML syntax: control character U+{ord(char):04X} is not allowed; remove it "
                               "(in a double-quoted string it can be written as an escape)")


def test_the_cli_prints_a_control_character_problem_as_one_line(tmp_path):
    path = tmp_path / "ctl.yaml"
    path.write_text("id: x\ntitle: a\x01b\n")
    result = cli("scenarios", "validate", path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{path}:2:9: YAML syntax: control character U+0001 is not allowed; remove it "
        "(in a double-quoted string it can be written as an escape)"]


@pytest.mark.parametrize(
    ("text", "where"),
    [("id: [a", (1, 7)), ("id: x\ntitle: [a, b", (2, 13)), ("id: x\r\ntitle: {a: b", (2, 13)),
     ("id: [a\n", (2, 1)), ('id: "open', (1, 10))],
)
def test_the_end_of_a_file_is_on_its_last_line(text, where):
    problem = only(text)
    assert (problem.line, problem.col) == where, problem
    assert problem.message.startswith("YAML syntax: ")


@pytest.mark.parametrize(
    "tagged",
    ["!!python/object/apply:os.system [\"touch {marker}\"]", "!custom [a]", "!!omap [a: 1]", "!custom {{a: 1}}",
     "!!python/object/new:subprocess.Popen [[touch, {marker}]]", "!!set {{a: null}}"],
)
def test_a_tag_on_a_list_or_a_mapping_is_refused_where_it_is(tmp_path, tagged):
    marker = tmp_path / "ran"
    value = tagged.format(marker=marker)
    text = MINIMAL.replace("objectives:\n  - Report to City IT at once\n", f"objectives: {value}\n", 1)
    problem = only(text)
    assert (problem.line, problem.col) == (8, 13)
    tag = value.split()[0]
    assert problem.message.startswith(f"unsupported YAML value of type '{tag}': YAML tags are refused; write a plain ")
    assert not marker.exists()


def test_a_tag_on_text_is_still_refused_as_before():
    problem = only(MINIMAL.replace("title: Shared folder open to everyone", "title: !custom Shared", 1))
    assert (problem.line, problem.col) == (3, 8)
    assert problem.message == "unsupported YAML value of type '!custom': YAML tags are refused; use plain text"
    problem = only(MINIMAL.replace("title: Shared folder open to everyone", "title: 2024-01-01", 1))
    assert problem.message == "unsupported YAML value of type '!!timestamp'; quote it to make it text"


def test_a_name_with_a_line_break_is_quoted_on_one_line():
    problem = only(MINIMAL.replace("difficulty: introductory\n", 'difficulty: introductory\n"col\\nour": red\n', 1))
    assert problem.message == "unknown field 'col\\nour'"
    loaded = load_text("t.yaml", MINIMAL.replace('difficulty: introductory\n', '"t\\r": x\n"t\\r": y\n', 1))
    assert [p.message for p in loaded.problems] == ["unknown field 't\\r'", "duplicate key 't\\r'"]
    assert all("\r" not in str(p) for p in loaded.problems)


def test_a_placeholder_in_a_literal_block_is_named_at_its_column():
    text = MINIMAL.replace("      It has {{records}} residents' records in it.\n",
                           "      It has {{records}} residents' records in it.\n        Also {{nope}} here.\n", 1)
    problem = only(text)
    offset = text.index("{{nope}}")
    assert (problem.line, problem.col) == (text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset))
    assert problem.message == "unknown placeholder '{{nope}}'"
