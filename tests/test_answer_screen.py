"""The answer screen at 80x24 and its text, driven by keyboard through Pilot on a real SQLite store
with the built-in scenarios: every option and the whole message reached, the highlighted option
painted, a multi answered "none of these", a free answer on several lines, single and multi told
apart without colour, and a countdown past zero. The body's layout (`lay_out`) is tested on the
built-in bodies themselves."""

from __future__ import annotations

import re
from pathlib import Path

from test_app_support import FakeClock, answer_on_screen, painted, painted_with, services, settle, start_drill, sync
from textual import events

from scenarios.folders import BUILTIN_DIR
from scenarios.loader import load_scenario
from scenarios.render import render
from scoring.store import Store
from tui.app.launch import build_app
from tui.app.screens.answer import AnswerScreen
from tui.app.screens.confirm import ConfirmScreen
from tui.app.session import describe_answer
from tui.app.widgets.inject_view import lay_out

SMALL = (80, 24)
DRAWING = re.compile(r"[\u2500-\u259f\u25a0-\u25ff\u2800-\u28ff]")  # borders and scrollbars


def body(scenario: str, inject: str, seed: int = 1) -> str:
    """A built-in inject's body as a drill shows it (placeholders filled)."""
    return render(load_scenario(BUILTIN_DIR / f"{scenario}.yaml").scenario, seed).inject(inject).body


def words(text: str) -> str:
    return " ".join(DRAWING.sub(" ", text).split())


def stored_answer(db: Path, team: str, inject: str):
    with Store(db) as store:
        (row,) = store.drills()
        (event,) = [e for e in store.events(row.id)
                    if e.type == "response-submitted" and e.team == team and e.inject == inject]
        return event.answer


async def open_first_inject(pilot, *, timed: bool = False) -> AnswerScreen:
    """The built-in library's first scenario (East Independence, access control) for Red: its first
    inject (a phone call with an emailed artifact and four long options) on the answer screen."""
    await start_drill(pilot, ["Red"], timed=timed)
    await pilot.press("n")
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AnswerScreen), screen
    assert (screen.drill.scenario.id, screen.inject_id) == ("ei-access-control", "resident-call")
    return screen


# --- the body's line breaks, on the built-in bodies --------------------------------------------


def test_a_transcript_keeps_each_speakers_turn_on_its_own_line():
    text = lay_out(body("stl-access-control", "i01-scam-call"))
    lines = text.split("\n")
    turns = [line.split(":")[0] for line in lines if re.match(r"[A-Z][a-z]+ [A-Z][a-z]+: ", line)]
    assert len(turns) == 3, text  # caller, clerk, caller: three turns, each starting its own line
    # A turn's own wrapped lines are joined to it: its last words are on the turn's line.
    assert any(line.startswith(turns[0]) and line.endswith("gift cards.") for line in lines), text
    assert any(line.startswith(turns[2]) and line.endswith("on the application.") for line in lines), text


def test_a_numbered_list_keeps_its_items_and_the_signature_its_lines():
    raw = body("stl-access-control", "i02-it-intake")
    text = lay_out(raw)
    items = [line.strip()[:2] for line in text.split("\n") if re.match(r"\s*\d\. ", line)]
    assert items == ["1.", "2.", "3."], text
    item1 = next(line for line in text.split("\n") if line.strip().startswith("1."))
    assert item1.rstrip().endswith("court-web-24."), "the item's wrapped line joins the item"
    assert text.endswith("Robert Miller\nCity of St. Louis IT/security office"), "the signature keeps its lines"
    assert "From: Robert Miller\nTo: Heather Myers\nCc: Charles Thomas" in text, "the mail's header lines"


def test_plain_prose_is_joined_and_text_after_a_list_is_not():
    prose = lay_out(body("ei-access-control", "resident-call"))
    last = prose.split("\n\n")[-1]
    assert "\n" not in last and last.startswith("You log in") and last.endswith("starts on Monday."), prose
    dash = lay_out(body("ei-unpatched-system", "patch-gap"))
    assert "\n- The appliance's" in dash and "\n- The backup server" in dash, dash
    items = lay_out(body("stl-access-control", "i10-reopen"))
    assert "Melinda Evans.\nTell me when each is done" in items, "a line back at the margin leaves the item"
    quoted = lay_out(body("stl-access-control", "i06-forensics"))
    assert "\n---\n> From: Robert Miller\n> Our security team" in quoted, "a quoted reply keeps its lines"
    headline = lay_out(body("ei-access-control", "story-runs"))
    assert "SOCIAL SECURITY NUMBERS\nA billing supervisor" in headline, "a headline stands on its own line"


def test_a_closing_keeps_the_lines_after_it():
    text = lay_out("We have put the share back as it was, and logged the time we did it in the ticket.\n"
                   "Thanks,\nRobert Miller\nCity IT")
    assert text.split("\n") == [
        "We have put the share back as it was, and logged the time we did it in the ticket.",
        "Thanks,", "Robert Miller", "City IT",
    ]


# --- reaching everything at 80x24 ------------------------------------------------------------------


@sync
async def test_at_80x24_every_option_comes_on_screen_as_the_highlight_moves(tmp_path):
    app = build_app(services(tmp_path))
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_first_inject(pilot)
        options = screen.inject.options
        assert any(len(o.text) > 200 for o in options), "a long option: the case reported"
        first = words(painted(app))
        assert "Call from:" in first, "the screen opens on the message's headers"
        assert "(•)" not in first, "nothing chosen, nothing highlighted out of sight"
        for number, option in enumerate(options, 1):
            await pilot.press("down")
            await pilot.pause()
            shown = words(painted(app))
            assert f"(•) {number}. {words(option.text)}" in shown, f"option {number} in full, marked chosen"
        assert screen.query_one("#choices").highlighted == len(options) - 1
        # Back up to the first option: the question above it comes along.
        await pilot.press(*["up"] * (len(options) - 1))
        await pilot.pause()
        shown = words(painted(app))
        assert f"(•) 1. {words(options[0].text)}" in shown and words(screen.inject.question) in shown


@sync
async def test_at_80x24_page_down_reaches_the_end_of_the_message_and_home_its_top(tmp_path):
    app = build_app(services(tmp_path))
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_first_inject(pilot)
        last_body_line = lay_out(screen.inject.body).split("\n")[-1]
        last_artifact_line = screen.inject.artifacts[-1].content.rstrip().split("\n")[-1]
        assert words(last_artifact_line) not in words(painted(app)), "below the fold at first"
        seen = [words(painted(app))]
        for _ in range(8):  # the options keep the focus all along
            await pilot.press("pagedown")
            await pilot.pause()
            seen.append(words(painted(app)))
        assert screen.focused is screen.query_one("#choices")
        assert any(" ".join(last_body_line.split()[-3:]) in s for s in seen), "the body's last line"
        assert any(words(last_artifact_line) in s for s in seen), "the artifact's last line"
        assert words(screen.inject.options[-1].text) in seen[-1], "the end of the column: the last option"
        await pilot.press("home")
        await pilot.pause()
        assert "Call from:" in words(painted(app)), "Home: back to the message's headers"
        await pilot.press("end")
        await pilot.pause()
        assert "PgUp/PgDn, Home/End scroll the message" in words(painted(app)), "the how-line says so"


# --- markers, none of these, free text, the countdown --------------------------------------------


@sync
async def test_single_and_multi_choices_look_different_without_colour(tmp_path):
    app = build_app(services(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_inject(pilot)
        await pilot.press("down", "end")
        await pilot.pause()
        single = painted(app)
        assert single.count("(•) ") == 1 and single.count("( ) ") == len(screen.inject.options) - 1
        assert "[ ]" not in single and "[x]" not in single
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        await answer_on_screen(pilot, option="a")  # the guide's answer leads to the multi (it-triage)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        multi = app.screen
        assert multi.inject.kind == "multi"
        await pilot.press("end", "2")
        await pilot.pause()
        shown = painted(app)
        assert shown.count("[x] ") == 1 and shown.count("[ ] ") == len(multi.inject.options)  # + None of these
        assert "(•)" not in shown and "( )" not in shown
        assert "[ ] 0. None of these" in shown


@sync
async def test_a_multi_can_be_answered_none_of_these_and_is_stored_as_no_option(tmp_path):
    app = build_app(services(tmp_path))
    async with app.run_test(size=SMALL) as pilot:
        await open_first_inject(pilot)
        await answer_on_screen(pilot, option="a")
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnswerScreen) and screen.inject.kind == "multi"
        await pilot.press("ctrl+s")  # nothing ticked yet: refused, saying so in the screen
        await pilot.pause()
        assert app.screen is screen
        assert "Choose an option (or None of these) first." in words(painted(app))
        await pilot.press("1", "0")  # ticking None of these clears the other ticks
        await pilot.pause()
        assert screen.query_one("#choices").answer() == []
        assert "[x] 0. None of these" in painted(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "none of these" in words(painted(app))
        await pilot.press("y")
        await settle(pilot)
        assert stored_answer(tmp_path / "drills.db", "Red", "it-triage") == []
        assert describe_answer(screen.inject, []) == "none of these"


@sync
async def test_a_free_answer_is_typed_on_several_lines_and_stored_with_them(tmp_path):
    from test_app_flows import markup_scenario

    library = markup_scenario(tmp_path / "lib")  # its second inject, 'lock', is free text
    app = build_app(services(tmp_path, library=[str(library)], builtin=False))
    async with app.run_test(size=SMALL) as pilot:
        await start_drill(pilot, ["Red"])
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        await answer_on_screen(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnswerScreen) and screen.inject.kind == "free"
        assert "Enter makes a new line, Ctrl+S submits" in words(painted(app))
        await pilot.press(*"Isolate the server", "enter", *"Then call City IT: 2 steps")
        await pilot.pause()
        assert app.screen is screen, "Enter made a new line; it did not submit"
        shown = painted(app)
        assert "Isolate the server" in shown and "Then call City IT: 2 steps" in shown, "digits are text here"
        app.post_message(events.Paste("\r\nand \x1b]0;owned\x07"))  # a paste from the terminal, with ESC
        await pilot.pause()
        assert "and \\x1b]0;owned\\x07" in painted(app), "pasted controls shown as escapes"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        stored = stored_answer(tmp_path / "drills.db", "Red", "lock")
        assert stored == "Isolate the server\nThen call City IT: 2 steps\nand \\x1b]0;owned\\x07"


@sync
async def test_a_countdown_past_zero_says_time_is_up_and_rings_once(tmp_path):
    clock = FakeClock()
    app = build_app(services(tmp_path, clock=clock))
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_first_inject(pilot, timed=True)
        rings = []
        app.bell = lambda: rings.append(1)
        head = screen.query_one("#answer-head")
        assert re.search(r"\d\d:\d\d left", words(painted(app)))
        clock.advance(screen.drill.scenario.inject("resident-call").limit + 6)
        await pilot.pause(1.2)  # the countdown's own tick
        shown = words(await painted_with(pilot, "time is up 00:06 ago", "Time is up: answer now"))
        assert "time is up 00:06 ago" in shown and "-00:0" not in shown
        assert "Time is up: answer now" in shown, "said in the screen, where no notice covers it"
        assert head.has_class("-overdue"), "on the error band"
        clock.advance(5)
        await pilot.pause(1.2)
        assert "time is up 00:1" in words(painted(app))
        assert rings == [1], "one bell, as it crossed zero"


@sync
async def test_the_teams_own_terminal_says_time_is_up_too(tmp_path):
    import yaml
    from _drill_fixtures import ei_scenario_data

    from tui.app.launch import build_player, build_services
    from tui.app.screens.player import PlayerScreen

    library = tmp_path / "library"
    library.mkdir()
    (library / "records.yaml").write_text(yaml.safe_dump(ei_scenario_data(), sort_keys=False))
    clock = FakeClock()  # one clock for the facilitator's service and the team's terminal
    trainer = build_services(db=tmp_path / "drills.db", library=[str(library)], environ={}, builtin=False,
                             cache_dir=tmp_path / "cache", clock=clock)
    drill = trainer.start(trainer.resolve("test-ei-records"), teams=["Red"], seed=7, timed=True)
    code = trainer.issue_codes(drill).teams["Red"]
    player = build_services(db=tmp_path / "drills.db", environ={}, builtin=False,
                            cache_dir=tmp_path / "player-cache", clock=clock)
    app = build_player(player, player.join(code))
    try:
        async with app.run_test(size=SMALL) as pilot:
            rings = []
            app.bell = lambda: rings.append(1)
            drill.exercise.release("Red")
            for _ in range(40):
                if " left" in painted(app):
                    break
                await pilot.pause(0.05)
            state = app.screen.query_one("#player-state")
            assert isinstance(app.screen, PlayerScreen) and not state.has_class("-overdue")
            inject = drill.exercise.state.scenario.inject(drill.exercise.state.teams["Red"].current)
            clock.advance((inject.limit or 300) + 6)
            await pilot.pause(1.2)
            assert "time is up 00:06 ago" in words(painted(app)) and state.has_class("-overdue")
            clock.advance(5)
            await pilot.pause(1.2)
            assert "time is up 00:1" in words(painted(app)) and rings == [1], "one bell, as it crossed zero"
    finally:
        player.close()
        trainer.close()
