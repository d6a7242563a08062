"""The library, the new-drill form, the drills dialog and the footer at 80x24 and 120x40: the real
app under Pilot, a real SQLite file, and the real CLI in a subprocess for the team-name rule."""

from __future__ import annotations

import pytest
import yaml
from _drill_fixtures import ei_scenario_data
from helpers import one_line_error, run_cli
from test_app_support import painted_lines as painted
from test_app_support import services, settle, start_drill, sync
from textual.widgets import DataTable, Input, Static
from textual.widgets._footer import FooterKey

from scenarios.errors import ExerciseError
from scenarios.exercise import Exercise
from scenarios.loader import load_text
from scoring.store import Store
from tui.app.launch import build_app
from tui.app.screens.answer import AnswerScreen
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.console import ConsoleScreen
from tui.app.screens.debrief import DebriefScreen
from tui.app.screens.drills import DrillsScreen
from tui.app.screens.help import HelpScreen
from tui.app.screens.library import LibraryScreen
from tui.app.screens.new_drill import NewDrillScreen
from tui.app.screens.review import ReviewScreen


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


def library_titles(app) -> list[str]:
    assert isinstance(app.screen, LibraryScreen)
    return [r.title for r in app.screen.rows if r.ok]


# --- the table's columns --------------------------------------------------------------------


@sync
async def test_every_built_in_title_is_whole_at_120x40_after_a_resize_from_80x24(tmp_path):
    app = build_app(services(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = library_titles(pilot.app)
        assert len(titles) >= 6
        table_lines = painted(pilot.app)[4:4 + len(titles) + 1]
        for title in titles:
            # At 80 columns a long title is cut with an ellipsis, never mid-word without a sign.
            assert any(title in line or (f"{title[:30]}" in line and "…" in line) for line in table_lines), title
        assert all(len(line) <= 80 for line in table_lines)
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        screen = painted(pilot.app)
        for title in titles:
            assert any(title in line for line in screen), f"{title!r} is cut at 120x40"
        # The title column takes what the others leave: no column runs past the table's edge.
        table = pilot.app.screen.query_one(DataTable)
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= table.size.width


# --- the preview ----------------------------------------------------------------------------


@sync
async def test_the_preview_names_placeholders_in_words_and_facts_as_a_person_reads_them(tmp_path):
    app = build_app(services(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        table = screen.query_one(DataTable)
        seen_words = False
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await pilot.pause()
            await pilot.pause()
            text = screen.query_one("#preview", Static).render().plain
            shown = "\n".join(painted(pilot.app))
            title = screen.highlighted().title
            assert title in text  # the whole title, however the table cuts it
            for raw in ("<", "{{", "False", "True", "criminal activity suspected"):
                assert raw not in text, (raw, text)
                assert raw not in shown, (raw, shown)
            assert "Criminal activity suspected: no" in text or "Criminal activity suspected: yes" in text
            assert "Vendor involved: " in text
            seen_words |= "[a date]" in text
        assert seen_words, "the built-in summaries' <date> is named in words"


# --- the resume banner ----------------------------------------------------------------------


def banner(app) -> str:
    """The banner's text as painted, or '' when it is hidden."""
    library = app.screen
    widget = library.query_one("#resume-banner", Static)
    return widget.render().plain if widget.display else ""


@sync
async def test_the_resume_banner_follows_the_store_when_the_library_is_shown_again(tmp_path):
    first = build_app(services(tmp_path))
    async with first.run_test(size=(80, 24)) as pilot:
        await start_drill(pilot, ["Red", "Blue"])
        await start_drill_again(pilot)  # a second interrupted drill, ended by another terminal below
    second = build_app(services(tmp_path))
    async with second.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, DrillsScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert "2 interrupted drills" in banner(pilot.app)
        assert any("2 interrupted drills" in line for line in painted(pilot.app))

        # Another terminal ends one of them; the library shown again (after the dialog) says so.
        with Store(tmp_path / "drills.db") as store:
            older = store.drills(status="in-progress")[-1].id
        other = services(tmp_path)
        other.resume(older).exercise.end()
        other.close()
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "1 interrupted drill:" in banner(pilot.app)

        # This terminal ends the other one, and goes back to the library.
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConsoleScreen)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DebriefScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert banner(pilot.app) == ""
        assert not any("interrupted" in line for line in painted(pilot.app))


async def start_drill_again(pilot) -> None:
    await pilot.press("escape")  # the console, back to the library
    await settle(pilot)
    await start_drill(pilot, ["Green"])


# --- the footer -----------------------------------------------------------------------------


def check_footer(app) -> str:
    """The painted last line is the shown keys, each whole, one space apart, within 80 cells."""
    last = painted(app)[-1].rstrip()
    keys = [k for k in app.screen.query(FooterKey) if k.display]
    assert keys, type(app.screen).__name__
    expected = " ".join(f"{k.key_display} {k.description}" if k.description else k.key_display for k in keys)
    assert last == expected, (type(app.screen).__name__, last, expected)
    assert len(last) <= 80
    if not app.screen.is_modal:  # a dialog's keys are its own (the app's are not active there)
        assert "f1 Help" in last
    return last


@sync
async def test_every_screen_s_footer_shows_whole_keys_at_80x24(tmp_path):
    app = build_app(services(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        library = check_footer(pilot.app)
        assert "n New drill" in library and "^t Theme" not in library
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        help_keys = pilot.app.screen.query_one("#help-keys", Static).render().plain
        assert "Theme" in help_keys and "Commands" in help_keys  # left out of the footer, not of help
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NewDrillScreen)
        assert "^s Start drill" in check_footer(pilot.app)
        await pilot.press("escape")
        await settle(pilot)

        await start_drill(pilot, ["Red", "Blue"])
        assert isinstance(pilot.app.screen, ConsoleScreen)
        assert "n Release" in check_footer(pilot.app)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AnswerScreen)
        check_footer(pilot.app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DebriefScreen)
        check_footer(pilot.app)
        await pilot.press("t")
        await settle(pilot)
        check_footer(pilot.app)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("v")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReviewScreen)
        check_footer(pilot.app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DrillsScreen)
        assert "⏎ Open" in check_footer(pilot.app)


# --- team names -----------------------------------------------------------------------------


async def open_form(pilot, size_teams: int = 2) -> NewDrillScreen:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, NewDrillScreen)
    while len(screen.team_names()) < size_teams:
        await pilot.press("ctrl+n")
    await pilot.pause()
    return screen


@sync
async def test_teams_named_alike_but_for_case_and_spaces_are_refused_by_the_form(tmp_path):
    app = build_app(services(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(pilot, 3)
        fields = list(screen.query(".team").results(Input))
        fields[0].value, fields[1].value, fields[2].value = "Bravo", "Alpha", " alpha "
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NewDrillScreen), "no drill was started"
        assert notices(pilot.app)[-1] == (
            "Teams 2 and 3 are named 'Alpha' and 'alpha' (names are compared without case)."
        )
        fields[2].value = "Alpha"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert notices(pilot.app)[-1] == "Teams 2 and 3 are both named 'Alpha' (names are compared without case)."
        assert not (tmp_path / "drills.db").exists() or not Store(tmp_path / "drills.db").drills()
        fields[2].value = "[b]Charlie[/b]"  # different: accepted, and shown as typed
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, NewDrillScreen)
    with Store(tmp_path / "drills.db") as store:
        (row,) = store.drills()
        assert row.teams == ["Bravo", "Alpha", "[b]Charlie[/b]"]


def test_the_engine_refuses_teams_named_alike_but_for_case_and_names_both():
    scenario = load_text("s.yaml", yaml.safe_dump(ei_scenario_data())).scenario
    with pytest.raises(ExerciseError) as refused:
        Exercise.start(scenario, seed=1, teams=["Alpha", "Bravo", "ALPHA "], scenario_hash="x")
    assert "teams 1 and 3 are named 'Alpha' and 'ALPHA'" in str(refused.value)
    started = Exercise.start(scenario, seed=1, teams=["Alpha", "Alphas"], scenario_hash="x")
    assert list(started.state.teams) == ["Alpha", "Alphas"]


def test_the_cli_refuses_teams_named_alike_but_for_case_in_one_line(tmp_path):
    scenario = tmp_path / "records.yaml"
    scenario.write_text(yaml.safe_dump(ei_scenario_data(), sort_keys=False))
    (tmp_path / "a.yaml").write_text("detect: wipe-now\n")
    db = tmp_path / "drills.db"
    result = run_cli("play", str(scenario), "--team", f"Alpha={tmp_path / 'a.yaml'}",
                     "--team", f" alpha ={tmp_path / 'a.yaml'}", "--db", str(db))
    line = one_line_error(result)
    assert "alpha" in line and "named twice" in line, line
    assert not db.exists()


# --- the new-drill form at 80x24 ------------------------------------------------------------


@sync
async def test_an_eight_team_form_is_reachable_by_tab_at_80x24(tmp_path):
    app = build_app(services(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(pilot, 8)
        assert len(screen.team_names()) == 8
        box = screen.query_one("#new-drill")
        screen.query_one("#team-1", Input).focus()
        await pilot.pause()
        visited = []
        for _ in range(14):
            focused = pilot.app.focused
            await pilot.pause()
            await pilot.pause()
            assert box.region.contains_region(focused.region), f"{focused.id} is off screen"
            visited.append(focused.id)
            await pilot.press("tab")
            await pilot.pause()
        wanted = [f"team-{n}" for n in range(1, 9)] + ["mode", "timed", "seed", "start", "back"]
        assert all(w in visited for w in wanted), visited
        # The seed's hint is whole on screen (wrapped beside the field, not cut).
        screen.query_one("#seed", Input).focus()
        await pilot.pause()
        await pilot.pause()
        text = " ".join(line.strip() for line in painted(pilot.app))
        assert "Ctrl+G draws a new one" in " ".join(text.split())
