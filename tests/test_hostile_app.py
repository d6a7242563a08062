"""Hostile text in the app (issue 17): a scenario titled "\\x1b]0;pwned\\x1b\\" (OSC 0: set the
window title) and teams named with ESC, a C1 CSI and a right-to-left override. Every screen's
title and sub-title, the notices and every line the screen paints hold only visible escapes, on
the trainer's app (Pilot, practice: console, answer, feedback, debrief) and on a team's own
terminal; and in a real terminal (tmux) the pane's title stays what it was."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
import time
from pathlib import Path

import yaml
from _drill_fixtures import ei_scenario_data
from _tmux import Tmux
from test_app_support import answer_on_screen, painted, services, settle, start_drill, sync
from textual.widgets import Input

from scoring.store import Store
from tui.app.launch import build_app, build_player, build_services
from tui.app.screens.answer import AnswerScreen
from tui.app.screens.console import ConsoleScreen
from tui.app.screens.debrief import DebriefScreen
from tui.app.screens.feedback import FeedbackScreen
from tui.app.screens.prompt import PromptScreen

# OSC 0 and 2 set the window title; ended by ST (ESC \\) they do so in tmux, drawn raw by Textual
# (which drops a BEL, leaving an OSC that swallows what follows it instead).
TITLE = "\x1b]0;pwned\x1b\\Records \x9b31m server \u202egpj.exe \x1b]2;pwned\x07"
SHOWN_TITLE = "\\x1b]0;pwned\\x1b\\Records \\x9b31m server \\u202egpj.exe \\x1b]2;pwned\\x07"
RED = "Red \x1b]2;pwned-by-red\x1b\\"
BLUE = "Blue \x9b31m \u202eeulB"
SHOWN = {RED: "Red \\x1b]2;pwned-by-red\\x1b\\", BLUE: "Blue \\x9b31m \\u202eeulB"}
# Every C0 control (tab and newline too: a title or a painted row is one line), DEL, C1, bidi, separators.
RAW = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def hostile_library(folder: Path) -> Path:
    data = ei_scenario_data()
    data["title"] = TITLE
    data["injects"][0]["title"] = "Detect \x1b]2;pwned-inject\x1b\\ \u202e it"
    data["injects"][0]["body"] = "The server \x1b[2J is \x9b31m odd \u2066."
    folder.mkdir()
    (folder / "hostile.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return folder


def check_screen(app) -> str:
    """Titles, sub-titles, notices and the painted screen: no raw control anywhere."""
    held = {"app.title": app.title, "app.sub_title": app.sub_title}
    for screen in app.screen_stack:
        held[f"{type(screen).__name__}.title"] = screen.title or ""
        held[f"{type(screen).__name__}.sub_title"] = screen.sub_title or ""
        for widget in screen.query(Input):
            held[f"{type(screen).__name__} input"] = widget.value
    for n, notice in enumerate(app._notifications):
        held[f"notice {n}"] = f"{notice.title} {notice.message}"
    shown = painted(app)
    held["painted"] = shown.replace("\n", " ")
    for where, text in held.items():
        assert not RAW.search(str(text)), (where, text)
    return shown


@sync
async def test_every_screen_of_a_practice_drill_shows_hostile_text_literally(tmp_path):
    library = hostile_library(tmp_path / "library")
    app = build_app(services(tmp_path, library=[str(library)], builtin=False))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:  # notices painted too
        await settle(pilot)
        assert SHOWN_TITLE in check_screen(app), "the library's preview"
        await start_drill(pilot, [RED, BLUE], practice=True)
        (console,) = [s for s in app.screen_stack if isinstance(s, ConsoleScreen)]
        assert console.title == SHOWN_TITLE and console.sub_title == "practice drill"
        seen = {AnswerScreen: 0, FeedbackScreen: 0}
        while isinstance(app.screen, (AnswerScreen, FeedbackScreen)):
            screen = app.screen
            seen[type(screen)] += 1
            shown = check_screen(app)
            if isinstance(screen, AnswerScreen):
                assert screen.sub_title.endswith(f" for {SHOWN[screen.team]}"), screen.sub_title
                assert SHOWN[screen.team] in shown  # the header, the head line, the letter's To
                await answer_on_screen(pilot)
            else:
                assert screen.sub_title == f"practice · {SHOWN[screen.team]}"
                await pilot.press("enter")
                await settle(pilot)
        assert seen[AnswerScreen] >= 2 and seen[FeedbackScreen] >= 2, seen
        assert app.screen is console and console.drill.state.finished
        assert SHOWN_TITLE in check_screen(app)
        app.notify(f"A notice quoting {RED} and [bold]{BLUE}[/bold]")
        await settle(pilot)
        assert "A notice quoting" in check_screen(app)  # painted (the toast is on the screen)
        (notice,) = [n for n in app._notifications if "notice quoting" in n.message]
        assert not notice.markup and notice.message.endswith(f"{SHOWN[RED]} and [bold]{SHOWN[BLUE]}[/bold]")
        await pilot.press("e", "y")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        assert SHOWN_TITLE in check_screen(app)
        await pilot.press("t")  # the first team's tab: its choices, its escalation path
        await settle(pilot)
        check_screen(app)
        await pilot.press("r")  # rename: the field holds the name as shown
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one(Input).value == SHOWN[RED]
        check_screen(app)
        await pilot.press("enter")  # left as shown: the name as stored (never renamed to its escapes)
        await settle(pilot)
        assert console.drill.teams == [RED, BLUE]
        assert all(c.after == RED for c in console.drill.state.corrections)
        check_screen(app)
        await pilot.press("escape")
        await settle(pilot)
    with Store(tmp_path / "drills.db") as store:
        (row,) = store.drills()
        assert row.title == TITLE and row.teams == [RED, BLUE], "the store keeps the text as it was given"


@sync
async def test_a_team_terminal_shows_hostile_text_literally(tmp_path):
    library = hostile_library(tmp_path / "library")
    trainer = build_services(db=tmp_path / "drills.db", library=[str(library)], environ={}, builtin=False,
                             cache_dir=tmp_path / "cache")
    drill = trainer.start(trainer.resolve("test-ei-records"), teams=[RED, BLUE], seed=7)
    codes = trainer.issue_codes(drill).teams
    drill.exercise.release(RED)
    player = build_services(db=tmp_path / "drills.db", environ={}, builtin=False, cache_dir=tmp_path / "p-cache")
    app = build_player(player, player.join(codes[RED]))
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert app.title == SHOWN_TITLE and app.sub_title == SHOWN[RED]
            shown = check_screen(app)
            assert SHOWN[RED] in shown and "\\x9b31m" in shown
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, AnswerScreen)
            assert app.screen.sub_title.endswith(f" for {SHOWN[RED]}")
            assert "The server \\x1b[2J is \\x9b31m odd \\u2066." in check_screen(app)
    finally:
        player.close()
        trainer.close()


_tmux = Tmux("hostile")
# A paste that holds ESC reaches Textual as keys (its parser ends the paste there); C1 and bidi
# controls reach the field as pasted.
PASTED = "Team \x9b31m \u202eeulB"


def test_a_scenario_title_never_retitles_the_terminal(tmp_path):
    """The app in tmux on a library with a scenario titled "\\x1b]0;pwned\\x1b\\...": the library's
    preview, the new drill's form (a C1 CSI and a right-to-left override pasted into a team's
    name), the answer screen and the console (its header the scenario's title) leave tmux's pane
    title as it was, and show the controls as escapes."""
    assert shutil.which("tmux"), "tmux is required for this test (apt-get install tmux)"
    command = Path(sys.executable).with_name("breachdrill")
    assert command.exists(), f"{command} is not installed (pip install -e .)"
    library = hostile_library(tmp_path / "library")
    db = tmp_path / "drills.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDRILL_")}
    env.update(BREACHDRILL_DB=str(db), TERM="xterm-256color")
    session = "app"
    shell = (
        f"printf '\\033]2;before\\007'; BREACHDRILL_DB={shlex.quote(str(db))} "
        f"{shlex.quote(str(command))} --library {shlex.quote(str(library))}; echo EXIT=$?; sleep 30"
    )
    _tmux("new-session", "-d", "-s", session, "-x", "110", "-y", "30", shell, env=env)

    def pane_title() -> str:
        return _tmux("display-message", "-p", "-t", session, "#{pane_title}").strip()

    try:
        _tmux.wait_for(session, "New drill")
        assert pane_title() == "before", "the shell's own title, set before the app"
        _tmux.wait_for(session, "Records")  # its row, after the built-in library's
        _tmux("send-keys", "-t", session, "C-End")
        _tmux.wait_for(session, "Opens with: Detect \\x1b]2;pwned-inject\\x1b\\")  # its preview
        assert pane_title() == "before"
        _tmux("send-keys", "-t", session, "n")
        _tmux.wait_for(session, "Start drill")
        time.sleep(0.3)
        _tmux("set-buffer", "-b", "hostile", PASTED)  # over "Team 1" (selected), as a terminal pastes
        _tmux("paste-buffer", "-p", "-d", "-b", "hostile", "-t", session)
        _tmux.wait_for(session, "Team \\x9b31m \\u202eeulB")  # the field shows it literally
        assert pane_title() == "before"
        # A practice drill (Tab, Tab to the mode; Down, Space picks practice): the console opens,
        # then at once the first team's inject over it. Escape goes back to the console.
        for key in ("Tab", "Tab", "Down", "Space", "C-s"):
            time.sleep(0.3)  # each key once the last has moved the focus
            _tmux("send-keys", "-t", session, key)
        _tmux.wait_for(session, "Email for Team \\x9b31m \\u202eeulB")  # the answer screen's sub-title
        assert pane_title() == "before"
        _tmux("send-keys", "-t", session, "Escape")
        screen = _tmux.wait_for(session, "practice drill")  # the console, its header the scenario's title
        assert "\\x1b]0;pwned\\x1b\\Records" in screen and "Timeline" in screen
        assert pane_title() == "before"
        _tmux("send-keys", "-t", session, "C-q")
        _tmux.wait_for(session, "EXIT=0")
        assert pane_title() == "before"
    finally:
        _tmux.kill_server()
    with Store(db) as store:
        (row,) = store.drills()
        assert row.title == TITLE and row.teams == ["Team \\x9b31m \\u202eeulB", "Team 2"]
