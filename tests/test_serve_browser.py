"""`breachdrill serve` end to end, in a real browser: Debian's Chromium under Playwright (the
`browser` fixture, tests/_browser.py), the real server in a subprocess, and the trainer's real
console in another (tmux), all on one SQLite file.

A player opens the page, a wrong code is refused, the team's code opens the team's screen (the
page's title names the team and the drill), the player answers, and the console shows the
answer; an observer sees the inject but no score; a phone-width page shows the join screen and
the team's inject whole. Screenshots of every page are saved when a test fails.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import time
from pathlib import Path

import pytest
import yaml
from _browser import served
from _drill_fixtures import ei_scenario_data
from _tmux import Tmux

from scoring.drills import DrillService

TITLE = "Records server intrusion (test)"


@pytest.fixture
def drill(tmp_path):
    """A facilitated drill of Red and Blue, its codes issued (as the console does when it starts)."""
    library = tmp_path / "library"
    library.mkdir()
    (library / "records.yaml").write_text(yaml.safe_dump(ei_scenario_data(), sort_keys=False))
    service = DrillService(db=tmp_path / "drills.db", library=[str(library)], builtin=False,
                           cache_dir=tmp_path / "cache")
    live = service.start(service.resolve("test-ei-records"), teams=["Red", "Blue"], seed=7)
    codes = service.issue_codes(live)
    yield tmp_path / "drills.db", library, codes, live
    service.close()


def _console(tmux: Tmux, db: Path, library: Path) -> None:
    """The trainer's app in tmux, the drill resumed from the library (r, Enter), the first inject
    released to both teams (n)."""
    command = Path(sys.executable).with_name("breachdrill")
    assert command.exists() and shutil.which("tmux"), "the installed breachdrill and tmux are required"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDRILL_")}
    env.update(TERM="xterm-256color", BREACHDRILL_THEME="breachdrill-dark")
    shell = (f"{shlex.quote(str(command))} --db {shlex.quote(str(db))} --library {shlex.quote(str(library))}; "
             "echo EXIT=$?; sleep 30")
    tmux("new-session", "-d", "-s", "console", "-x", "120", "-y", "40", shell, env=env)
    tmux.wait_for("console", "New drill")
    tmux("send-keys", "-t", "console", "r")
    tmux.wait_for("console", TITLE)
    tmux("send-keys", "-t", "console", "Enter")
    tmux.wait_for("console", "Timeline")
    tmux("send-keys", "-t", "console", "n")  # at once: a resumed console takes keys as soon as it shows
    tmux.wait_for("console", "WAIT")


def test_a_player_answers_in_the_browser_and_the_console_shows_it(browser, drill):
    db, library, codes, _ = drill
    tmux = Tmux("serve")
    try:
        _console(tmux, db, library)
        with served(db) as (url, _):
            red = browser.open(url, "red")
            red.wait_for("Join your team's drill")
            assert red.title == "Join a drill · breachdrill"
            red.type("QQQQQ-QQQQQ")
            red.press("Enter")
            red.wait_for("that join code opens no drill")
            red.press(*["Backspace"] * 11)
            red.wait_gone("QQQQQ")
            red.type(codes.teams["Red"].lower())  # as typed from a projector: case does not matter
            red.wait_for(codes.teams["Red"].lower())
            red.press("Enter")
            screen = red.wait_for("Enter to answer")
            assert "Body of detect." in screen and "Blue" not in screen
            assert red.title == f"Red — {TITLE} · breachdrill"
            red.press("Enter")
            red.wait_for("Choose one")
            red.press("1", "Enter")
            red.wait_for("Submit for")
            red.press("y")
            red.wait_for("Answer saved")
            console = tmux.wait_for("console", "answered", timeout=10)
            assert "Own terminal" in console or "terminals" in console

            observer = browser.open(url, "observer")
            observer.wait_for("Join your team's drill")
            observer.type(codes.observer)
            observer.wait_for(codes.observer)
            observer.press("Enter")
            screen = observer.wait_for("read-only")
            assert "detect" in screen
            for score in ("Overall", "/ 100", "scorecard"):
                assert score not in screen
            assert observer.title == f"observer — {TITLE} · breachdrill"
    finally:
        tmux.kill_server()


def test_a_phone_width_page_shows_the_join_screen_and_the_inject_whole(browser, drill):
    db, _, codes, live = drill
    live.exercise.release("Blue")
    with served(db) as (url, _):
        phone = browser.open(url, "phone", width=390, height=844)
        screen = phone.wait_for("Join your team's drill")
        columns = phone.page.evaluate("() => window.__screen.filter(e => e[0] === 'size').pop()[1]")
        assert 30 <= columns <= 60, columns  # a phone's width, in a font that can be read
        assert "Type the join code" in screen and "ABCDE-FGHJK" in screen  # the field's placeholder
        phone.type(codes.teams["Blue"])
        phone.wait_for(codes.teams["Blue"])
        phone.press("Enter")
        screen = phone.wait_for("An inject is in front of your team")  # wrapped at this width
        assert "Body of detect." in screen and "Question:" in screen
        assert phone.title == f"Blue — {TITLE} · breachdrill"
    # The server stopped (SIGTERM) with the page still open: its session's process went with it.
    deadline = time.monotonic() + 10
    while _sessions_on(db) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _sessions_on(db) == [], "a browser session's process outlived the server"


def _sessions_on(db: Path) -> list[int]:
    """The session processes (tui.web.session) running on this database."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if b"tui.web.session" in (proc / "cmdline").read_bytes() and \
                    f"BREACHDRILL_DB={db}".encode() in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found
