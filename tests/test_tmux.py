"""The real `breachdrill` command in a real terminal (tmux): it draws the library, starts a drill
and quits cleanly. tmux is a test requirement: without it this test fails, it is not skipped."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

from scoring.store import Store

SOCKET = f"breachdrill-test-{uuid.uuid4().hex[:8]}"  # a server of our own, never the user's


def _tmux(*args: str, env: dict | None = None) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=True, env=env).stdout


def _wait_for(session: str, text: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


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
        screen = _wait_for(session, "AWAITING")
        assert "Team 1" in screen and "Team 2" in screen
        _tmux("send-keys", "-t", session, "C-q")
        _wait_for(session, "EXIT=0")
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
    with Store(db) as store:
        (drill,) = store.drills()
        assert drill.teams == ["Team 1", "Team 2"] and drill.status == "in-progress"
        assert [e.type for e in store.events(drill.id)] == ["drill-started", "inject-released", "inject-released"]
