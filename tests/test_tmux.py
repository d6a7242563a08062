"""The real `breachdrill` command in a real terminal (tmux): it draws the library, starts a drill
and quits cleanly. tmux is a test requirement: without it this test fails, it is not skipped."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from _tmux import Tmux

from scoring.store import Store

_tmux = Tmux("test")
_wait_for = _tmux.wait_for


def test_breachdrill_in_tmux_starts_a_drill_and_quits(tmp_path):
    assert shutil.which("tmux"), "tmux is required for this test (apt-get install tmux)"
    command = Path(sys.executable).with_name("breachdrill")
    assert command.exists(), f"{command} is not installed (pip install -e .)"
    db = tmp_path / "drills.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDRILL_")}
    env.update(BREACHDRILL_DB=str(db), TERM="xterm-256color")
    session = "app"
    # The variables go on the command line too: a tmux server keeps the environment it started with.
    shell = (
        f"env -u BREACHDRILL_LIBRARY BREACHDRILL_DB={shlex.quote(str(db))} {shlex.quote(str(command))}; "
        "echo EXIT=$?; sleep 30"
    )
    _tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", shell, env=env)
    try:
        screen = _wait_for(session, "New drill")  # the footer: it may be painted a frame after the rows
        screen = _wait_for(session, "Violation")
        assert "Scenario" in screen and "New drill" in screen
        _tmux("send-keys", "-t", session, "n")
        _wait_for(session, "Start drill")
        _tmux("send-keys", "-t", session, "C-s")
        _wait_for(session, "Timeline")
        screen = _wait_for(session, "Join codes")  # a facilitated drill opens on its teams' codes
        assert "Team 1" in screen and "breachdrill join" in screen
        _tmux("send-keys", "-t", session, "Enter")
        _tmux("send-keys", "-t", session, "n")
        screen = _wait_for(session, "WAIT")
        assert "Team 1" in screen and "Team 2" in screen
        _tmux("send-keys", "-t", session, "C-q")
        _wait_for(session, "EXIT=0")
    finally:
        _tmux.kill_server()
    with Store(db) as store:
        (drill,) = store.drills()
        assert drill.teams == ["Team 1", "Team 2"] and drill.status == "in-progress"
        assert [e.type for e in store.events(drill.id)] == ["drill-started", "inject-released", "inject-released"]
