"""A team's own terminal (tui/app/player.py), driven through Pilot against a real SQLite file that
a trainer's drill service writes to at the same time, as the facilitator's console would.

The player sees its own team only: every text the app shows (the screen as painted, every
widget's content on every screen of the stack, the titles and the notices) is searched for the
other team's name and for the text of the inject only the other team was sent.
"""

from __future__ import annotations

import html
import re
import sqlite3
import time
from pathlib import Path

import pytest
import yaml
from _drill_fixtures import ei_scenario_data
from test_app_support import settle, sync
from textual.widgets import Input, OptionList, Static

from scoring.store import Store
from tui.app.launch import build_player, build_services
from tui.app.screens.answer import AnswerScreen
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.join import JoinScreen
from tui.app.screens.player import ENDED, PAUSED, SAVED, WAITING_FIRST, PlayerScreen

BLUE_ONLY = ("Blue", "Body of pressure", "restore now", "wait for it")  # Blue's name, Blue's own branch


class Trainer:
    """The facilitator's side: a drill service of its own on the file, a facilitated drill of
    Red and Blue, and the teams' join codes."""

    def __init__(self, tmp_path: Path, teams: tuple[str, ...] = ("Red", "Blue")) -> None:
        library = tmp_path / "library"
        library.mkdir()
        (library / "records.yaml").write_text(yaml.safe_dump(ei_scenario_data(), sort_keys=False))
        self.db = tmp_path / "drills.db"
        self.service = build_services(db=self.db, library=[str(library)], environ={}, builtin=False,
                                      cache_dir=tmp_path / "cache")
        self.drill = self.service.start(self.service.resolve("test-ei-records"), teams=list(teams), seed=7)
        self.codes = self.service.issue_codes(self.drill).teams
        self.ex = self.drill.exercise

    def seats(self) -> dict[str, str]:
        return self.service.seats(self.drill)

    def close(self) -> None:
        self.service.close()


@pytest.fixture
def trainer(tmp_path):
    t = Trainer(tmp_path)
    yield t
    t.close()


def player_services(tmp_path: Path):
    """A player's terminal: no library of its own, the facilitator's database."""
    return build_services(db=tmp_path / "drills.db", environ={}, builtin=False, cache_dir=tmp_path / "player-cache")


def rows(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("drills", "events", "seats", "join_codes")}


def stored(db: Path, kind: str, team: str | None = None) -> list:
    with Store(db) as store:
        (row,) = store.drills()
        return [e for e in store.events(row.id) if e.type == kind and (team is None or e.team == team)]


def seen_text(app) -> str:
    """Everything the app shows or holds ready to show: the painted screen, every widget's
    content on every screen in the stack (scrolled out of view too), titles and notices."""
    svg = app.export_screenshot()
    parts = [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)]
    parts += [str(app.title), str(app.sub_title)]
    parts += [str(n.message) + " " + str(n.title or "") for n in app._notifications]
    for screen in app.screen_stack:
        parts += [str(screen.title or ""), str(screen.sub_title or "")]
        for widget in screen.query("*"):
            if isinstance(widget, Static):
                parts.append(str(widget.render()))
            elif isinstance(widget, OptionList):
                parts += [str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count)]
            elif isinstance(widget, Input):
                parts += [widget.value, str(widget.placeholder)]
    return "\n".join(parts).replace("\xa0", " ")


def assert_nothing_of_blue(app) -> None:
    text = seen_text(app)
    for blue in BLUE_ONLY:
        assert blue not in text, f"{blue!r} shown on Red's terminal"


async def until(pilot, check, timeout: float = 1.0) -> float:
    """Wait, letting the app run, until `check()` holds; how long that took (fails after `timeout`)."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"not within {timeout} s")
        await pilot.pause(0.05)
    return time.monotonic() - start


def state_line(app) -> str:
    return str(app.screen.query_one("#player-state", Static).render())


def player_screen(app) -> PlayerScreen:
    (screen,) = [s for s in app.screen_stack if isinstance(s, PlayerScreen)]
    return screen


async def join_on_screen(pilot, code: str) -> None:
    assert isinstance(pilot.app.screen, JoinScreen), pilot.app.screen
    pilot.app.screen.query_one("#join-code", Input).value = code
    await pilot.press("enter")
    await settle(pilot)


async def answer(pilot, option: str) -> None:
    """On the team's screen: Enter, the option (by its shown number), Enter, y."""
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, AnswerScreen), screen
    number = [o.id for o in screen.inject.options].index(option) + 1
    await pilot.press(str(number), "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ConfirmScreen), pilot.app.screen
    await pilot.press("y")
    await settle(pilot)


@sync
async def test_red_plays_from_its_own_terminal_and_never_sees_blue(trainer, tmp_path):
    app = build_player(player_services(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.ENABLE_COMMAND_PALETTE is False
        await join_on_screen(pilot, trainer.codes["Red"].lower())
        assert isinstance(app.screen, PlayerScreen)
        assert app.title == "Records server intrusion (test)" and app.sub_title == "Red"
        assert WAITING_FIRST in state_line(app)
        assert trainer.seats() == {"Red": "joined"}
        assert_nothing_of_blue(app)

        # The facilitator releases: Red's inject is on Red's screen within a poll.
        trainer.ex.release("Red")
        trainer.ex.release("Blue")
        took = await until(pilot, lambda: "Body of detect." in seen_text(app))
        assert took < 1.0
        assert "Enter to answer" in state_line(app)
        assert_nothing_of_blue(app)

        # Red answers: one event in the store, and the console's drill catches it up.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AnswerScreen)
        assert trainer.seats() == {"Red": "answering"}
        await pilot.press("escape")
        await settle(pilot)
        await answer(pilot, "isolate-and-call")
        assert isinstance(app.screen, PlayerScreen)
        assert SAVED in state_line(app)
        assert len(stored(trainer.db, "response-submitted", "Red")) == 1
        assert trainer.drill.catch_up() == 1
        assert trainer.drill.state.teams["Red"].answers["detect"].answer == ["isolate-and-call"]
        assert trainer.seats() == {"Red": "joined"}, "watching again"

        # Blue (at the console) goes down another branch: none of it reaches Red.
        trainer.ex.submit("Blue", "detect", "wipe-now")
        trainer.ex.release("Red")
        trainer.ex.release("Blue")
        await until(pilot, lambda: "Body of evidence." in seen_text(app))
        assert trainer.drill.state.teams["Blue"].current == "pressure"
        assert "isolate and call" in seen_text(app), "Red's own answer so far"
        assert_nothing_of_blue(app)

        # Paused: said within a poll, and Enter opens no answer screen.
        trainer.ex.pause()
        await until(pilot, lambda: PAUSED in state_line(app))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen)
        await until(pilot, lambda: any("Paused by the facilitator" in str(n.message) for n in app._notifications))

        # An answer screen open when the facilitator pauses is closed, saying why.
        trainer.ex.resume()
        await until(pilot, lambda: "Enter to answer" in state_line(app))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen)
        await pilot.press("1")
        trainer.ex.pause()
        await until(pilot, lambda: isinstance(app.screen, PlayerScreen))
        assert PAUSED in state_line(app)
        assert not stored(trainer.db, "response-submitted", "Red")[1:], "nothing answered while paused"

        # Ended, then the debrief opened to the players: Red's own scorecard only.
        trainer.ex.end()
        await until(pilot, lambda: ENDED in state_line(app))
        assert not app.screen.query_one("#player-scorecard").display
        trainer.ex.share_debrief()
        await until(pilot, lambda: bool(app.screen.query_one("#player-scorecard").display), timeout=3.0)
        cards = trainer.drill.scorecards()
        board = str(app.screen.query_one("#player-scorecard", Static).render())
        assert f"Overall {cards['Red'].overall:.1f} / 100" in board
        assert cards["Red"].overall != cards["Blue"].overall
        assert f"Overall {cards['Blue'].overall:.1f}" not in seen_text(app)
        assert_nothing_of_blue(app)
    assert trainer.seats() == {"Red": "left"}, "the closed app's seat says it left"
    assert len(stored(trainer.db, "response-submitted", "Red")) == 1


@sync
async def test_a_wrong_code_on_the_join_screen_is_one_line_and_writes_nothing(trainer, tmp_path):
    before = rows(trainer.db)
    app = build_player(player_services(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for wrong in ("ABCDE-FGHJK", "not a code"):
            await join_on_screen(pilot, wrong)
            assert isinstance(app.screen, JoinScreen)
            line = str(app.screen.query_one("#join-error", Static).render())
            assert line and "\n" not in line
            assert app.screen.query_one("#join-code", Input).value == wrong, "kept, to correct it"
        assert "opens no drill" in seen_text(app) or "not a join code" in seen_text(app)
        assert rows(trainer.db) == before
        await join_on_screen(pilot, trainer.codes["Blue"])
        assert isinstance(app.screen, PlayerScreen) and app.sub_title == "Blue"
    after = rows(trainer.db)
    assert after["seats"] == before["seats"] + 1 and after["events"] == before["events"]


@sync
async def test_a_killed_terminal_joined_again_is_where_it_was(trainer, tmp_path):
    first = player_services(tmp_path)
    app = build_player(first, first.join(trainer.codes["Red"]))  # as `breachdrill join CODE` does
    async with app.run_test(size=(80, 24)) as pilot:
        trainer.ex.release("Red")
        await until(pilot, lambda: "Body of detect." in seen_text(app))
        await answer(pilot, "wipe-now")
        trainer.drill.catch_up()  # as the console's poll does: a release is checked against the drill as held
        trainer.ex.release("Red")
        await until(pilot, lambda: "Body of pressure." in seen_text(app))
    first.close()
    again = player_services(tmp_path)
    app = build_player(again, again.join(trainer.codes["Red"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen)
        text = seen_text(app)
        assert "Body of pressure." in text and "Enter to answer" in state_line(app)
        assert "wipe now" in text, "its answer so far"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen) and app.screen.inject_id == "pressure"
    again.close()


@sync
async def test_an_answer_keyed_at_the_console_closes_the_team_answer_screen(trainer, tmp_path):
    services = player_services(tmp_path)
    app = build_player(services, services.join(trainer.codes["Red"]))
    async with app.run_test(size=(80, 24)) as pilot:
        trainer.ex.release("Red")
        await until(pilot, lambda: "Enter to answer" in state_line(app))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen)
        trainer.ex.submit("Red", "detect", "keep-running")
        await until(pilot, lambda: isinstance(app.screen, PlayerScreen))
        assert SAVED in state_line(app)
        assert "keep running" in seen_text(app)
        # A notice is a message to the app (App.notify posts it): it is listed a moment after the screen closes.
        await until(pilot, lambda: any("answered at another terminal" in str(n.message) for n in app._notifications))
    services.close()
    assert [e.answer for e in stored(trainer.db, "response-submitted", "Red")] == [["keep-running"]]


@sync
async def test_a_stale_answer_is_refused_already_answered_never_shown_saved(trainer, tmp_path):
    """The console keys Red's answer between two polls of Red's terminal: Red's own submit is
    refused with the reason (the engine catches up first), and the store holds one answer."""
    services = player_services(tmp_path)
    app = build_player(services, services.join(trainer.codes["Red"]))
    async with app.run_test(size=(80, 24)) as pilot:
        trainer.ex.release("Red")
        await until(pilot, lambda: "Enter to answer" in state_line(app))
        screen = player_screen(app)
        screen.stop_following()
        screen._polling = True  # no more polls: this terminal does not know yet
        await pilot.press("enter")
        await pilot.pause()
        trainer.ex.submit("Red", "detect", "keep-running")
        await pilot.press("1", "enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, PlayerScreen)
        assert any("already answered" in str(n.message) for n in app._notifications)
        assert not any(str(n.message) == "Answer saved." for n in app._notifications)
        assert SAVED in state_line(app)
    services.close()
    assert len(stored(trainer.db, "response-submitted", "Red")) == 1


@sync
async def test_a_timed_drill_shows_the_team_its_own_countdown(tmp_path):
    trainer = Trainer(tmp_path)
    try:
        timed = trainer.service.start(trainer.service.resolve("test-ei-records"), teams=["Red", "Blue"],
                                      seed=7, timed=True)
        codes = trainer.service.issue_codes(timed).teams
        services = player_services(tmp_path)
        app = build_player(services, services.join(codes["Red"]))
        async with app.run_test(size=(80, 24)) as pilot:
            timed.exercise.release("Red")
            await until(pilot, lambda: " left" in state_line(app))
            assert re.search(r"\d\d:\d\d left", state_line(app))
            assert_nothing_of_blue(app)
        services.close()
    finally:
        trainer.close()


@sync
async def test_player_help_is_the_player_own_and_palette_is_off(trainer, tmp_path):
    services = player_services(tmp_path)
    app = build_player(services, services.join(trainer.codes["Red"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen), "no command palette"
        await pilot.press("f1")
        await pilot.pause()
        flows = str(app.screen.query_one("#help-flows", Static).render())
        assert "join code" in flows and "Library" not in flows and "Review" not in flows
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen)
    services.close()


@sync
async def test_team_names_and_scenario_text_are_literal(tmp_path):
    data = ei_scenario_data()
    data["injects"][0]["body"] = "Read [bold]this[/bold] \x1b[31m now."
    library = tmp_path / "library"
    library.mkdir()
    (library / "records.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    service = build_services(db=tmp_path / "drills.db", library=[str(library)], environ={}, builtin=False,
                             cache_dir=tmp_path / "cache")
    name = "[b]Red[/b] \x1b[2J"
    drill = service.start(service.resolve("test-ei-records"), teams=[name, "Blue"], seed=7)
    codes = service.issue_codes(drill).teams
    drill.exercise.release(name)
    player = player_services(tmp_path)
    app = build_player(player, player.join(codes[name]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.sub_title == "[b]Red[/b] \\x1b[2J"
        body = " ".join(str(s.render()) for s in app.screen.query("InjectView Static").results(Static))
        assert "Read [bold]this[/bold] \\x1b[31m now." in body
    player.close()
    service.close()


@sync
async def test_a_team_terminal_on_a_postgresql_store(postgres_db, tmp_path):
    """`--db postgresql://…`: the facilitator and the team's terminal share a server, not a file."""
    library = tmp_path / "library"
    library.mkdir()
    (library / "records.yaml").write_text(yaml.safe_dump(ei_scenario_data(), sort_keys=False))
    console = build_services(db=postgres_db, library=[str(library)], environ={}, builtin=False,
                             cache_dir=tmp_path / "cache")
    drill = console.start(console.resolve("test-ei-records"), teams=["Red", "Blue"], seed=7)
    codes = console.issue_codes(drill).teams
    player = build_services(db=postgres_db, environ={}, builtin=False, cache_dir=tmp_path / "player-cache")
    app = build_player(player)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await join_on_screen(pilot, "ABCDE-FGHJK")
        assert isinstance(app.screen, JoinScreen) and "opens no drill" in seen_text(app)
        await join_on_screen(pilot, codes["Red"])
        assert isinstance(app.screen, PlayerScreen)
        drill.exercise.release("Red")
        await until(pilot, lambda: "Body of detect." in seen_text(app))
        await answer(pilot, "isolate-and-call")
        assert SAVED in state_line(app)
        assert drill.catch_up() == 1 and "detect" in drill.state.teams["Red"].answers
        assert_nothing_of_blue(app)
    player.close()
    assert console.seats(drill) == {"Red": "left"}
    console.close()


@sync
async def test_the_seat_is_said_again_while_the_terminal_is_open(trainer, tmp_path, monkeypatch):
    """The console gives up on a terminal not heard from for 15 s: an open one keeps saying so."""
    import tui.app.player

    monkeypatch.setattr(tui.app.player, "HEARTBEAT", 0.2)
    services = player_services(tmp_path)
    app = build_player(services, services.join(trainer.codes["Red"]))

    def seen() -> float:
        (seat,) = trainer.service.store().seats(trainer.drill.id)
        return seat.seen

    async with app.run_test(size=(80, 24)) as pilot:
        first = seen()
        await until(pilot, lambda: seen() > first, timeout=2.0)
        assert trainer.seats() == {"Red": "joined"}
    services.close()
    assert trainer.seats() == {"Red": "left"}
