"""`breachdrill join`: a wrong code is one line and exit 2 with nothing written; the real command in
a real terminal (tmux, 80x24) shows the inject the facilitator releases, answers it with Enter,
and a killed terminal joined again with the same code is back where it was.

The facilitator is a drill service in this process, on the same SQLite file, as the console would
be in another terminal. tmux is a test requirement: without it the tmux test fails, it is not skipped."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import sqlite3
import sys
from pathlib import Path

import pytest
import yaml
from _drill_fixtures import ei_scenario_data
from _tmux import Tmux
from helpers import run_cli

from scoring.drills import DrillService
from scoring.store import Store

QUIET = {"BREACHDRILL_THEME": "breachdrill-dark", "BREACHDRILL_KEYMAP": ""}


@pytest.fixture
def console(tmp_path):
    """The facilitator's side: a facilitated drill of Red and Blue on drills.db, and its codes."""
    library = tmp_path / "library"
    library.mkdir()
    (library / "records.yaml").write_text(yaml.safe_dump(ei_scenario_data(), sort_keys=False))
    service = DrillService(db=tmp_path / "drills.db", library=[str(library)], builtin=False,
                           cache_dir=tmp_path / "cache")
    drill = service.start(service.resolve("test-ei-records"), teams=["Red", "Blue"], seed=7)
    codes = service.issue_codes(drill).teams
    yield service, drill, codes
    service.close()


def rows(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("drills", "events", "seats", "join_codes")}


def one_line_error(result) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    return lines[0]


@pytest.mark.parametrize("args", [
    ("join", "ABCDE-FGHJK", "--db", "{db}"),  # well formed, opens nothing
    ("join", "WRONGCODE", "--db", "{db}"),  # not a code at all
    ("--db", "{db}", "join", "abcde fghjk"),
])
def test_a_wrong_code_is_one_line_exit_2_and_writes_nothing(console, tmp_path, args):
    db = tmp_path / "drills.db"
    before = rows(db)
    line = one_line_error(run_cli(*(str(db) if a == "{db}" else a for a in args), env=QUIET))
    assert line.startswith("breachdrill: error: that ")
    assert "join code" in line
    assert rows(db) == before


def test_a_code_of_an_ended_drill_is_refused(console, tmp_path):
    service, drill, codes = console
    drill.exercise.end()
    db = tmp_path / "drills.db"
    before = rows(db)
    line = one_line_error(run_cli("join", codes["Red"], "--db", str(db), env=QUIET))
    assert line == "breachdrill: error: that drill has ended: its join codes no longer work"
    assert rows(db) == before


def test_a_database_that_is_not_there_is_refused_not_made(tmp_path):
    db = tmp_path / "nothing-here.db"
    line = one_line_error(run_cli("join", "ABCDE-FGHJK", "--db", str(db), env=QUIET))
    assert line.startswith(f"breachdrill: error: --db {db}: no drills database here")
    assert not db.exists()


def test_join_takes_no_library(tmp_path):
    line = one_line_error(run_cli("--library", str(tmp_path), "join", "ABCDE-FGHJK", env=QUIET))
    assert line == "breachdrill: error: --library: 'join' does not read the scenario library"


# --- the real app in a real terminal -----------------------------------------------------------------


_tmux = Tmux("join")
_wait_for = _tmux.wait_for


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc: the pane's shell runs breachdrill)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _join_in_tmux(session: str, command: Path, code: str, db: Path, env: dict) -> None:
    shell = (f"env -u BREACHDRILL_LIBRARY -u BREACHDRILL_DB -u BREACHDRILL_KEYMAP {shlex.quote(str(command))} "
             f"join {shlex.quote(code)} --db {shlex.quote(str(db))}; echo EXIT=$?; sleep 30")
    _tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", shell, env=env)


def _answers(db: Path, team: str) -> list:
    with Store(db) as store:
        (row,) = store.drills()
        return [e for e in store.events(row.id) if e.type == "response-submitted" and e.team == team]


def test_breachdrill_join_in_tmux_answers_and_rejoins_where_it_was(console, tmp_path):
    assert shutil.which("tmux"), "tmux is required for this test (apt-get install tmux)"
    command = Path(sys.executable).with_name("breachdrill")
    assert command.exists(), f"{command} is not installed (pip install -e .)"
    service, drill, codes = console
    db = tmp_path / "drills.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDRILL_")}
    env.update(TERM="xterm-256color")
    try:
        _join_in_tmux("red", command, codes["Red"], db, env)
        screen = _wait_for("red", "Waiting for the facilitator to release the first inject")
        assert "Records server intrusion (test)" in screen and "Red" in screen
        drill.exercise.release("Red")
        drill.exercise.release("Blue")
        _wait_for("red", "Body of detect.", timeout=5)
        _tmux("send-keys", "-t", "red", "Enter")
        _wait_for("red", "Choose one")
        from tui.app.session import Drill

        shown = [o.id for o in Drill.of(drill).inject("detect").options]
        _tmux("send-keys", "-t", "red", str(shown.index("isolate-and-call") + 1), "Enter")
        _wait_for("red", "Submit for")
        _tmux("send-keys", "-t", "red", "y")
        screen = _wait_for("red", "Answer saved")
        assert "Blue" not in screen
        (answer,) = _answers(db, "Red")
        assert answer.inject == "detect" and answer.answer == ["isolate-and-call"]
        assert service.seats(drill) == {"Red": "joined"}

        drill.catch_up()
        drill.exercise.release("Red")
        _wait_for("red", "Body of evidence.", timeout=5)
        (pane,) = _tmux("list-panes", "-t", "red", "-F", "#{pane_pid}").split()
        (player,) = _children(int(pane))
        os.kill(player, signal.SIGKILL)  # the terminal killed: no goodbye written
        _wait_for("red", "EXIT=137")
        assert service.seats(drill) == {"Red": "joined"}, "a killed terminal looks joined until it is not seen"

        _join_in_tmux("again", command, codes["Red"], db, env)
        screen = _wait_for("again", "Body of evidence.")
        assert "Enter to answer" in screen and "isolate and call" in screen, "where it was, its answer so far"
        _tmux("send-keys", "-t", "again", "C-q")
        _wait_for("again", "EXIT=0")
    finally:
        _tmux.kill_server()
    # The killed terminal last said it was watching; the one closed with Ctrl+Q said it left.
    assert sorted(seat.doing for seat in service.store().seats(drill.id)) == ["left", "watching"]
    assert len(_answers(db, "Red")) == 1


def test_a_wrong_code_on_a_postgresql_store_is_one_line_and_writes_nothing(postgres_db, tmp_path):
    from scoring.store import open_store

    library = tmp_path / "library"
    library.mkdir()
    (library / "records.yaml").write_text(yaml.safe_dump(ei_scenario_data(), sort_keys=False))
    service = DrillService(db=postgres_db, library=[str(library)], builtin=False, cache_dir=tmp_path / "cache")
    drill = service.start(service.resolve("test-ei-records"), teams=["Red", "Blue"], seed=7)
    service.issue_codes(drill)
    service.close()

    def held():
        with open_store(postgres_db) as store:
            return len(store.events(drill.id)), store.seats(drill.id)

    before = held()
    line = one_line_error(run_cli("join", "ABCDE-FGHJK", "--db", postgres_db, env=QUIET))
    assert line.startswith("breachdrill: error: that join code opens no drill")
    assert held() == before
