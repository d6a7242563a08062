"""Databases that cannot be used as they are, met by the real command line and the app: a file
whose pages are damaged, an empty file, a FIFO or a device named as --db, a full disk. Each is one
line naming the file and saying what is wrong in words, exit 2, the file as it was and nothing
left beside it; the app shows the line and stays up; an answer recorded before is never lost.
(Read-only databases and reading while another process writes: test_db_readonly.py.)"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from _db_files import (
    damage,
    digest,
    names,
    one_line,
    play,
    root_page,
    run_on,
    scenario_files,
    small_disk,
    start_running,
)
from helpers import ROOT, run_cli
from test_app_support import services, settle, sync
from textual.widgets import OptionList

from scoring.store import SCHEMA_VERSION, Store, StoreError
from tui.app.launch import build_app
from tui.app.screens.drills import DrillsScreen
from tui.app.screens.library import LibraryScreen
from tui.app.screens.review import ReviewScreen


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    """Two drills played by the real command line and one left running: (folder, db, ended ids,
    running id, scenario file, answers file)."""
    folder = tmp_path_factory.mktemp("played")
    scenario, answers = scenario_files(folder)
    db = folder / "drills.db"
    ended = [play(db, scenario, answers, team) for team in ("Red", "Blue")]
    running = start_running(db)
    assert names(folder) == ["answers.yaml", "drills.db", "records.yaml"]
    return folder, db, ended, running, scenario, answers


def _notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


# --- a damaged file --------------------------------------------------------------------------------

COMMANDS = {
    "list": ("results", "list"),
    "list-json": ("results", "list", "--json"),
    "show": ("results", "show", "{drill}"),
    "report": ("report", "{drill}"),
    "report-html": ("report", "{drill}", "--format", "html"),
    "export": ("results", "export"),
    "export-json": ("results", "export", "--format", "json"),
    "play": ("play", "{scenario}", "--answers", "{answers}"),
    "correct": ("results", "correct", "{drill}", "--team", "Red", "--inject", "detect", "--answer", "wipe-now"),
}


def _args(command: str, played, db: Path) -> list[str]:
    _, _, ended, _, scenario, answers = played
    given = {"drill": ended[0], "scenario": str(scenario), "answers": str(answers)}
    return [a.format(**given) for a in COMMANDS[command]] + ["--db", str(db)]


def _is_damaged_line(line: str, db: Path) -> None:
    assert str(db) in line
    assert "the file is damaged: run `sqlite3 " in line and " .recover" in line, line


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_on_a_damaged_file_is_one_line_and_leaves_it_as_it_was(played, tmp_path, command):
    """Every page but the first overwritten with garbage (the header, with breachdrill's mark, kept)."""
    db = damage(played[1], tmp_path / "drills.db")
    before = digest(db)
    line = one_line(run_cli(*_args(command, played, db)))
    _is_damaged_line(line, db)
    assert digest(db) == before
    assert names(tmp_path) == ["drills.db"], "no -wal or -shm left beside it"


def test_a_damaged_file_named_by_the_environment_is_the_same_line(played, tmp_path):
    db = damage(played[1], tmp_path / "drills.db")
    before = digest(db)
    _is_damaged_line(one_line(run_cli("results", "list", env={"BREACHDRILL_DB": str(db)})), db)
    _is_damaged_line(one_line(run_cli("results", "show", played[2][0], env={"BREACHDRILL_DB": str(db)})), db)
    assert digest(db) == before and names(tmp_path) == ["drills.db"]


def test_damaged_events_leave_the_list_and_refuse_what_reads_them(played, tmp_path):
    """Only the events table's root page damaged: the drills are listed; showing, reporting or
    recording one meets the damage in a later read or write, and says so the same way."""
    source = played[1]
    db = damage(source, tmp_path / "drills.db", pages=[root_page(source, "events")])
    before = digest(db)
    listed = run_cli("results", "list", "--db", str(db))
    assert listed.returncode == 0 and all(d in listed.stdout for d in played[2]), listed.stderr
    for command in ("show", "report", "play", "correct"):
        line = one_line(run_cli(*_args(command, played, db)))
        _is_damaged_line(line, db)
        assert ("cannot write here (" if command == "play" else "cannot read the drills (") in line
    assert digest(db) == before and names(tmp_path) == ["drills.db"]


@sync
async def test_the_app_shows_a_damaged_file_and_stays_up(played, tmp_path):
    db = damage(played[1], tmp_path / "drills.db")
    before = digest(db)
    app = build_app(services(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen), "Review opens, and says why it shows nothing"
        assert any("the file is damaged" in n and ".recover" in n and str(db) in n for n in _notes(app))
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, DrillsScreen)
        options = app.screen.query_one("#drills", OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("the file is damaged" in text for text in shown), shown
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, LibraryScreen)
    assert app.return_code in (None, 0)
    assert digest(db) == before
    assert sorted(n for n in names(tmp_path) if n.startswith("drills.db")) == ["drills.db"]


@sync
async def test_resuming_a_drill_whose_events_are_damaged_says_so_and_the_app_stays_up(played, tmp_path):
    source, running = played[1], played[3]
    db = damage(source, tmp_path / "drills.db", pages=[root_page(source, "events")])
    before = digest(db)
    app = build_app(services(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DrillsScreen), "the interrupted drill is listed: the drills table is sound"
        await pilot.press("enter")
        await settle(pilot)
        assert any(n.startswith(f"Cannot open drill {running}: {db}: cannot read the drills (the file is damaged")
                   for n in _notes(app)), _notes(app)
        assert isinstance(app.screen, LibraryScreen) and app.is_running
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, DrillsScreen)
        await pilot.press("enter")  # again: the same line, still up
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, LibraryScreen)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.is_running
    assert digest(db) == before


def test_a_cell_sqlite_reads_whole_but_that_holds_garbage_is_one_line(played, tmp_path):
    """Damage SQLite cannot see (a page intact, a value in it not what breachdrill wrote)."""
    import shutil

    from _review_store import raw_sql

    from scoring import history

    db = tmp_path / "drills.db"
    shutil.copyfile(played[1], db)
    drill = played[2][0]
    raw_sql(db, "UPDATE drills SET teams = '[not json' WHERE id = ?", (drill,))
    raw_sql(db, "UPDATE summaries SET summary = 'garbage' WHERE drill = ?", (drill,))
    line = one_line(run_cli("results", "show", drill, "--db", str(db)))
    assert line == f"breachdrill: error: {db}: drill '{drill}' has an unreadable row (its teams)"
    assert one_line(run_cli("results", "list", "--json", "--db", str(db))) == line
    with Store(db, read_only=True) as store, pytest.raises(StoreError) as err:
        history.results(store)  # what Review shows
    assert str(err.value).startswith(f"{db}: drill '{drill}' has an unreadable summary (team ")


# --- an empty file -----------------------------------------------------------------------------------

EMPTY = "an empty file (0 bytes), not a breachdrill database"


@pytest.mark.parametrize("command", ["list", "show", "report", "export", "play"])
def test_an_empty_file_is_refused_and_left_empty(played, tmp_path, command):
    db = tmp_path / "drills.db"
    db.write_bytes(b"")
    line = one_line(run_cli(*_args(command, played, db)))
    assert line.startswith(f"breachdrill: error: --db {db}: {EMPTY}") and "delete it" in line, line
    assert db.stat().st_size == 0 and names(tmp_path) == ["drills.db"]


def test_an_empty_file_is_refused_by_the_app_before_it_starts_and_from_the_environment(tmp_path):
    db = tmp_path / "drills.db"
    db.write_bytes(b"")
    line = one_line(run_cli("--db", str(db), timeout=30))
    assert line.startswith(f"breachdrill: error: --db {db}: {EMPTY}"), line
    line = one_line(run_cli("results", "list", env={"BREACHDRILL_DB": str(db)}))
    assert line.startswith(f"breachdrill: error: {db}: {EMPTY}"), line
    assert db.stat().st_size == 0 and names(tmp_path) == ["drills.db"]


@sync
async def test_the_app_on_an_empty_file_says_so_and_stays_up(tmp_path):
    db = tmp_path / "drills.db"
    db.write_bytes(b"")
    app = build_app(services(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.is_running
        assert any(n == f"{db}: {EMPTY} (breachdrill never leaves one): delete it to start a new database there, "
                   "or choose another" for n in _notes(app)), _notes(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("n")  # a new drill cannot be recorded there either: said, and the app stays
        await settle(pilot)
        assert app.is_running
    assert db.stat().st_size == 0


CREATING = textwrap.dedent("""
    import sys, time
    import scoring.store.sqlite as sqlite
    real = sqlite.statements

    def slow(script):
        for statement in real(script):
            yield statement
            print("migrating", flush=True)
            time.sleep(3600)

    sqlite.statements = slow
    sqlite.Store(sys.argv[1])
""")


def test_a_new_database_is_never_an_empty_file_even_when_killed_making_it(tmp_path):
    """The file is made under a name of its own and linked into place whole: a process killed
    while it migrates leaves nothing at the path, and the next one makes the database."""
    db = tmp_path / "drills.db"
    proc = subprocess.Popen([sys.executable, "-c", CREATING, str(db)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout.readline().strip() == "migrating"
        assert not db.exists(), "nothing at the path while the new database is being made"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert not db.exists()
    with Store(db) as store:
        assert store.drills() == []
    assert db.stat().st_size > 0
    assert [n for n in names(tmp_path) if n.startswith("drills.db")] == ["drills.db"]
    with Store(db) as store:  # whole: at the newest schema, and used as it is
        assert store._read("SELECT MAX(version) FROM schema_version") == [(SCHEMA_VERSION,)]


def test_a_new_database_appears_whole_at_its_path(tmp_path, monkeypatch):
    """While the schema is written the path is still free; the file that appears there is whole."""
    import scoring.store.sqlite as sqlite

    db = tmp_path / "new.db"
    seen = []
    real = sqlite.Store._migrate

    def migrate(self, conn):
        seen.append(db.exists())
        real(self, conn)

    monkeypatch.setattr(sqlite.Store, "_migrate", migrate)
    Store(db).close()
    assert seen == [False] and db.stat().st_size > 0
    assert names(tmp_path) == ["new.db"]


# --- a FIFO or a device named as the database ----------------------------------------------------------

@pytest.fixture(params=["fifo", "/dev/zero", "/dev/null"])
def not_a_file(request, tmp_path) -> tuple[Path, str]:
    if request.param == "fifo":
        path = tmp_path / "drills.db"
        os.mkfifo(path)
        return path, "a named pipe (FIFO)"
    return Path(request.param), "a character device"


@pytest.mark.parametrize("command", ["list", "show", "export", "play", "app"])
def test_a_fifo_or_a_device_as_the_database_is_refused_at_once(played, not_a_file, command):
    path, kind = not_a_file
    args = ["--db", str(path)] if command == "app" else _args(command, played, path)
    began = time.monotonic()
    line = one_line(run_cli(*args, timeout=30))
    assert time.monotonic() - began < 20
    assert line == f"breachdrill: error: --db {path}: is {kind}, not a breachdrill database (a database is a " \
                   "regular file)"


def test_a_fifo_named_by_the_environment_is_refused_at_once(tmp_path):
    path = tmp_path / "drills.db"
    os.mkfifo(path)
    for args in (("results", "list"), ("results", "export")):
        line = one_line(run_cli(*args, env={"BREACHDRILL_DB": str(path)}, timeout=30))
        assert line == f"breachdrill: error: {path}: is a named pipe (FIFO), not a breachdrill database " \
                       "(a database is a regular file)"


# --- a full disk ---------------------------------------------------------------------------------------

FULL = "the disk is full: free some space, then try again"


def test_a_full_disk_is_said_so_and_no_drill_is_lost(played, tmp_path):
    _, _, _, _, scenario, answers = played
    with small_disk(tmp_path) as disk:
        db = disk.path / "drills.db"
        first = play(db, scenario, answers, "Red")
        assert disk.others() == ["drills.db"]
        disk.fill()
        before = digest(db)
        for args in (("play", str(scenario), "--answers", str(answers), "--team", "Blue"), ("results", "list"),
                     ("results", "correct", first, "--team", "Red", "--inject", "detect", "--answer", "wipe-now")):
            line = one_line(run_on(disk, *args, "--db", str(db)))
            assert line == f"breachdrill: error: --db {db}: cannot open ({FULL})", line
            assert disk.others() == ["drills.db"], "nothing left on the full disk"
        assert digest(db) == before
        disk.free()
        shown = run_on(disk, "results", "show", first, "--db", str(db), "--json")
        assert shown.returncode == 0, shown.stderr
        listed = run_on(disk, "results", "list", "--db", str(db), "--json")
        assert [d["drill_id"] for d in json.loads(listed.stdout)] == [first]
        assert disk.others() == ["drills.db"]


ANSWERING = textwrap.dedent("""
    import sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from _db_files import GUIDE, KEY, SCENARIO
    from scoring.store import Store, StoreError

    store = Store(Path(sys.argv[1]))
    drill, ex = store.start(SCENARIO, seed=3, teams=["Blue"], scenario_hash="t",
                            playbook=KEY.playbook.model_dump(mode="json"))
    inject = ex.release("Blue").inject
    ex.submit("Blue", inject, GUIDE[inject])
    print("answered", drill, inject, flush=True)
    sys.stdin.readline()  # the disk fills meanwhile
    try:
        while ex.state.teams["Blue"].next is not None:
            inject = ex.release("Blue").inject
            ex.submit("Blue", inject, GUIDE[inject])
        print("all saved", flush=True)
    except StoreError as exc:
        print("refused", exc, flush=True)
    print("held", ",".join(ex.state.teams["Blue"].answers), flush=True)
    store.close()
""")


def test_an_answer_recorded_before_the_disk_filled_is_kept(tmp_path):
    with small_disk(tmp_path) as disk:
        db = disk.path / "drills.db"
        proc = subprocess.Popen([sys.executable, "-c", ANSWERING, str(db), str(ROOT / "tests")], cwd=ROOT,
                                env={**os.environ, **disk.env()}, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            _, drill, inject = proc.stdout.readline().split()
            disk.fill()
            out, err = proc.communicate("go\n", timeout=120)
        finally:
            proc.kill()
        assert proc.returncode == 0, err
        assert out.splitlines() == [f"refused {db}: cannot write here ({FULL})", f"held {inject}"], out
        disk.free()
        with Store(db) as store:
            assert [e.inject for e in store.events(drill) if e.type == "response-submitted"] == [inject]
            assert store._read("PRAGMA integrity_check") == [("ok",)]
        assert disk.others() == ["drills.db"], "once closed with room again, nothing is left beside it"


APP_ON_A_FULL_DISK = textwrap.dedent("""
    import asyncio, sys
    from pathlib import Path
    sys.path[:0] = [sys.argv[2], sys.argv[3]]
    from test_app_support import FakeClock, answer_on_screen, settle, start_drill
    from tui.app.launch import build_app, build_services
    from tui.app.screens.answer import AnswerScreen
    from tui.app.screens.feedback import FeedbackScreen

    app = build_app(build_services(db=Path(sys.argv[1]) / "drills.db", environ={}, seed=42, clock=FakeClock(),
                                   cache_dir=sys.argv[4]))

    async def script(pilot):
        await start_drill(pilot, ["Red"], practice=True)  # practice: the first inject is open
        drill = app.screen.drill
        await answer_on_screen(pilot)
        assert isinstance(app.screen, FeedbackScreen), app.screen
        await pilot.press("enter")  # the next inject, released and open
        await settle(pilot)
        assert isinstance(app.screen, AnswerScreen), app.screen
        print("ready", drill.id, ",".join(drill.state.teams["Red"].answers), flush=True)
        await asyncio.to_thread(sys.stdin.readline)  # the disk fills meanwhile
        await answer_on_screen(pilot)
        print("notes", repr([str(n.message) for n in app._notifications]), flush=True)
        print("screen", type(app.screen).__name__, app.is_running, flush=True)
        print("held", ",".join(drill.state.teams["Red"].answers), flush=True)

    async def main():
        async with app.run_test(size=(120, 40)) as pilot:
            await script(pilot)

    asyncio.run(main())
""")


def test_the_app_on_a_full_disk_says_so_keeps_the_answer_typed_and_stays_up(tmp_path):
    import ast

    with small_disk(tmp_path) as disk:
        db = disk.path / "drills.db"
        proc = subprocess.Popen(
            [sys.executable, "-c", APP_ON_A_FULL_DISK, str(disk.path), str(ROOT), str(ROOT / "tests"),
             str(tmp_path / "cache")],
            cwd=ROOT, env={**os.environ, **disk.env()}, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        try:
            ready = proc.stdout.readline().split()
            assert ready[:1] == ["ready"], ready + [proc.stderr.read() if proc.poll() is not None else ""]
            _, drill, first = ready
            disk.fill()
            out, err = proc.communicate("go\n", timeout=120)
        finally:
            proc.kill()
        assert proc.returncode == 0, err
        notes, screen, held = out.splitlines()
        assert any(n.endswith(f"{db}: cannot write here ({FULL})") for n in ast.literal_eval(notes[6:])), notes
        assert screen == "screen AnswerScreen True", "the answer stays on screen, to save once there is room"
        assert held == f"held {first}"
        disk.free()
        with Store(db) as store:
            assert [e.inject for e in store.events(drill) if e.type == "response-submitted"] == [first]
        assert disk.others() == ["drills.db"]
