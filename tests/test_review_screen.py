"""Review as a person uses it, at 80x24 and 120x40: the date filters refuse what is not a date,
command keys never fire from a text field, the opened row keeps the focus, Trend keeps
scenarios apart on an axis of whole drills, Compare says what was not timed, Most missed says
where a step came up, the export dialog proposes a name that says what the file is, and every
tab's content is reached from the keyboard. The real app on a real SQLite file, its drills
played through the engine as the app and `breachdrill play` record them."""

from __future__ import annotations

import re
import shutil
from unittest import mock

import pytest
from _drill_fixtures import as_answers, library
from test_app_support import open_review, services, settle, sync
from test_app_support import painted_lines as painted
from test_app_support import widget_text as text
from textual.widgets import DataTable, Input, RadioSet, Select, Static, Tabs

from scenarios.guide import answers as guide_answers
from scenarios.loader import scenario_hash
from scoring.store import Store
from tui.app.launch import build_app
from tui.app.screens.debrief import DebriefScreen
from tui.app.screens.drills import local_time
from tui.app.screens.export import ExportScreen

START = 1_788_000_000.0  # 2026-08-29
DAY = 86_400.0
A, B = "ei-access-control", "stl-unsecured-pii"
# (scenario, teams, timed): "Team 1" plays both scenarios, as default names do; on A, Team 1's
# latest drill is timed and Team 2's is not.
DRILLS = [(A, ["Team 1", "Team 2"], False), (B, ["Team 1"], False), (A, ["Team 1", "Team 2"], False),
          (B, ["Team 1"], False), (A, ["Team 1"], True), (B, ["Team 1"], False)]


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    path = tmp_path_factory.mktemp("review-screen") / "drills.db"
    entries = {s.id: (s, k) for _, s, k in library()}
    with Store(path) as store:
        for i, (scenario_id, teams, timed) in enumerate(DRILLS):
            scenario, key = entries[scenario_id]
            good, bad = guide_answers(scenario, key), guide_answers(scenario, key, harmful=True)
            clock = iter(START + i * DAY + n for n in range(10_000)).__next__
            _, ex = store.start(scenario, seed=i, teams=teams, scenario_hash=scenario_hash(scenario), timed=timed,
                                playbook=key.playbook.model_dump(mode="json"), clock=clock)
            for t, team in enumerate(teams):
                picks = {iid: (good if (n + i + t) % 3 else bad)[iid] for n, iid in enumerate(good)}
                answers = as_answers(scenario, picks)
                while ex.state.teams[team].next is not None:
                    released = ex.release(team)
                    ex.submit(team, released.inject, answers[released.inject], seconds=30 if timed else None)
            ex.end()
    return path


@pytest.fixture
def app(tmp_path, played, monkeypatch):
    shutil.copyfile(played, tmp_path / "drills.db")
    monkeypatch.chdir(tmp_path)  # where the export dialog proposes to save
    return build_app(services(tmp_path))




async def type_into(pilot, field: Input, typed: str) -> None:
    field.focus()
    await pilot.pause()
    await pilot.press(*typed)
    await settle(pilot)


# --- 1. dates -------------------------------------------------------------------------------


@sync
async def test_an_impossible_date_is_refused_at_its_field_and_filters_nothing(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one("#review-drills", DataTable)
        every = table.row_count
        since = screen.query_one("#review-since", Input)
        await type_into(pilot, since, "2026-13-40")
        note = "Since: 2026-13-40 is not a date (no month 13); not applied."
        assert since.has_class("-invalid")
        assert any(line.strip() == note for line in painted(pilot.app)), "one line, painted under the filters"
        assert table.row_count == every and screen.filters().since is None
        # Half a date is no filter and, while it is typed, no error; leaving the field judges it.
        since.value = ""
        await type_into(pilot, since, "2026-09")
        assert not since.has_class("-invalid") and screen.filters().since is None
        assert not any("not a date" in line for line in painted(pilot.app))
        await pilot.press("tab")
        await settle(pilot)
        assert since.has_class("-invalid")
        assert any(line.strip() == 'Since: "2026-09" is not a date (write YYYY-MM-DD); not applied.'
                   for line in painted(pilot.app))
        assert table.row_count == every
        # February has no 30th; a real date filters at once, and the note goes.
        since.value = "2026-02-30"
        await settle(pilot)
        assert any("Since: 2026-02-30 is not a date (February 2026 has 28 days)" in line for line in painted(pilot.app))
        since.value = "2026-09-02"
        await settle(pilot)
        assert not since.has_class("-invalid") and not any("not a date" in line for line in painted(pilot.app))
        assert 0 < table.row_count < every


@sync
async def test_a_since_after_the_until_is_said_and_neither_applies(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one("#review-drills", DataTable)
        every = table.row_count
        screen.query_one("#review-since", Input).value = "2026-09-02"
        screen.query_one("#review-until", Input).value = "2026-08-30"
        await settle(pilot)
        assert any(line.strip() == "Since 2026-09-02 is after until 2026-08-30; neither applied."
                   for line in painted(pilot.app))
        assert all(screen.query_one(f"#review-{name}", Input).has_class("-invalid") for name in ("since", "until"))
        assert table.row_count == every


# --- 2. command keys and text fields --------------------------------------------------------


@sync
async def test_command_keys_type_into_a_focused_field_and_escape_leaves_it(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        screen.query_one("#review-team", Select).value = "Team 2"
        await settle(pilot)
        until = screen.query_one("#review-until", Input)
        await type_into(pilot, until, "xtef")
        assert until.value == "xtef", "the letters went to the field"
        assert pilot.app.screen is screen and screen.query_one("#review-tabs").active == "tab-drills"
        assert screen.query_one("#review-team", Select).value == "Team 2", "x did not clear the filters"
        await pilot.press("enter")  # the field's own Enter: no scorecard opens
        await settle(pilot)
        assert pilot.app.screen is screen
        await pilot.press("escape")  # leaves the field, not Review
        await settle(pilot)
        assert pilot.app.screen is screen and screen.focused is screen.query_one("#review-drills", DataTable)
        await pilot.press("x")  # and now x clears the filters
        await settle(pilot)
        assert until.value == "" and screen.query_one("#review-team", Select).value == Select.NULL
        # From a dropdown, too, Escape goes back to the table.
        await pilot.press("f")
        assert isinstance(screen.focused, Select)
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen and isinstance(screen.focused, DataTable)
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is not screen, "Escape from the table is back to the library"


# --- 3. back from a scorecard ---------------------------------------------------------------


@sync
async def test_back_from_a_scorecard_the_opened_row_has_the_focus(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one("#review-drills", DataTable)
        await pilot.press("down", "down", "down", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DebriefScreen)
        opened = screen.rows[3]
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen and screen.focused is table
        assert table.cursor_row == 3 and screen.rows[3] == opened
        await pilot.press("down")
        assert table.cursor_row == 4, "Down goes on from the row opened, at once"


# --- 4. most missed -------------------------------------------------------------------------


@sync
async def test_most_missed_says_where_each_step_came_up(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("t", "t")
        await settle(pilot)
        table = screen.query_one("#review-missed", DataTable)
        assert screen.focused is table, "t from the Drills table goes on to the next table"
        first = screen.missed[0]
        assert first.of < 8, "8 team results in all: a step of one scenario is asked in that scenario's only"
        assert str(table.get_row_at(0)[2]) == f"{first.count} of {first.of} ({100 * first.count / first.of:.0f}%)"
        lines = painted(pilot.app)
        said = f"Missed in {first.count} of the {first.of} team-drills where it came up"
        assert any(said in line for line in lines), lines
        # Every row is reached by the keyboard at 80x24, its detail painted under the table.
        for _ in range(table.row_count):
            await pilot.press("down")
        await settle(pilot)
        last = screen.missed[-1]
        lines = painted(pilot.app)
        table_lines = "\n".join(lines[6:6 + table.size.height])
        assert last.miss.label[:20] in table_lines, (table.cursor_row, table.scroll_y, table.max_scroll_y, table.size)
        detail = " ".join(" ".join(lines[6 + table.size.height:]).split())
        assert f"{last.miss.label} " in detail and f"Source: {last.miss.source}" in detail, detail


# --- 5. trend -------------------------------------------------------------------------------


def x_axis(lines: list[str]) -> str:
    """The chart's tick labels: the line above its axis title."""
    at = next(i for i, line in enumerate(lines) if "drill on this scenario, oldest to newest" in line)
    return lines[at - 1]


@sync
async def test_trend_keeps_scenarios_apart_on_an_axis_of_whole_drills(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        newest = screen.rows[0]
        assert newest.scenario_id == B
        await pilot.press("t")
        await settle(pilot)
        # Team 1 played both scenarios: on the newest drill's scenario only its drills of that one.
        assert screen.trend_teams == ["Team 1"]
        caption = text(screen.query_one("#review-trend-caption", Static))
        assert caption.startswith(f"{newest.title} (the highlighted drill's; f to choose another). One line per "
                                  "team name on this scenario")
        assert "Drills 1 to 3, 2026-08-30 to 2026-09-03." in caption
        ticks = x_axis(painted(pilot.app))
        assert ticks.split() == ["1", "2", "3"], ticks
        # The scenario chosen in the filters: both its team names, over its own three drills.
        screen.query_one("#review-scenario", Select).value = A
        await settle(pilot)
        assert sorted(screen.trend_teams) == ["Team 1", "Team 2"]
        caption = text(screen.query_one("#review-trend-caption", Static))
        assert "(chosen in the filters)" in caption and "Drills 1 to 3, 2026-08-29 to 2026-09-02." in caption
        ticks = x_axis(painted(pilot.app))
        assert ticks.split() == ["1", "2", "3"] and "." not in ticks, ticks


# --- 6. timeliness --------------------------------------------------------------------------


@sync
async def test_compare_shows_untimed_as_not_scored_and_leaves_it_out_of_the_mean(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        screen.query_one("#review-scenario", Select).value = A
        await settle(pilot)
        await pilot.press("t", "t", "t")
        await settle(pilot)
        table = screen.query_one("#review-compare", DataTable)
        heads = [str(c.label) for c in table.columns.values()]
        time = heads.index("timeliness")
        rows = {str(table.get_row_at(i)[0]): table.get_row_at(i) for i in range(table.row_count)}
        assert set(rows) == {"Team 1", "Team 2", "Mean"}
        assert str(rows["Team 2"][time]) == "—", "Team 2's latest drill was not timed"
        assert str(rows["Mean"][time]) == str(rows["Team 1"][time]), "the mean of the timed drills only"
        assert float(str(rows["Team 1"][time])) > 0
        lines = painted(pilot.app)
        assert any("— not scored: timeliness only in timed drills (left out of its mean)" in line for line in lines)
        assert not any(" 0.0 " in line and "Team 2" in line for line in lines)


# --- 7. export ------------------------------------------------------------------------------


@sync
async def test_export_starts_on_the_format_names_the_file_for_the_drill_and_rechecks_it(app, tmp_path):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("down")  # a drill of "Wrong Permissions - the Billing Portal ..."
        row = screen.rows[1]
        assert row.scenario_id == A
        await pilot.press("e")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ExportScreen)
        assert isinstance(dialog.focused, RadioSet), "the first decision is the format"
        day = local_time(row.created)[:10]
        html = tmp_path / f"aar-wrong-permissions-{day}.html"
        path = dialog.query_one("#export-path", Input)
        assert path.value == str(html)
        status = dialog.query_one("#export-status", Static)
        assert text(status) == ""
        # The Markdown name is taken: switching to it says so; switching back, no more.
        html.with_suffix(".md").write_text("an older report")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert path.value == str(html.with_suffix(".md"))
        assert text(status) == f"{html.stem}.md exists: saving asks before replacing it."
        await pilot.press("up", "enter")
        await settle(pilot)
        assert path.value == str(html) and text(status) == ""
        # A relative name is saved in the folder the dialog names, and it says where.
        path.value = "mine.html"
        await settle(pilot)
        assert text(status) == f"Saves to {tmp_path / 'mine.html'}."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (tmp_path / "mine.html").read_text().startswith("<!DOCTYPE html>")
        assert pilot.app.screen is screen
        assert html.with_suffix(".md").read_text() == "an older report"


# --- 8. 80x24 and 120x40 --------------------------------------------------------------------


@sync
async def test_columns_size_to_the_terminal(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        title = next(r.title for r in screen.rows if r.scenario_id == A)
        assert len(title) > 50
        assert any(title in line for line in painted(pilot.app)), "whole at 120 columns"
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        lines = painted(pilot.app)
        assert not any(title in line for line in lines)
        row = next(line for line in lines if "Wrong Permissions" in line)
        assert re.search(r"Team [12]\s+\d+\.\d\s+[PSMU ]+\s+ended", row), row
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert any(title in line for line in painted(pilot.app))


@sync
async def test_every_tab_is_reached_by_keyboard_at_80x24(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        tabs = screen.query_one("#review-tabs")
        await pilot.press("t")
        await settle(pilot)
        assert tabs.active == "tab-trend" and isinstance(screen.focused, Tabs)
        assert x_axis(painted(pilot.app)).split()[0] == "1"
        await pilot.press("t")
        await settle(pilot)
        assert tabs.active == "tab-missed" and screen.focused is screen.query_one("#review-missed", DataTable)
        await pilot.press("t")
        await settle(pilot)
        compare = screen.query_one("#review-compare", DataTable)
        assert tabs.active == "tab-compare" and screen.focused is compare
        lines = "\n".join(painted(pilot.app))
        for i in range(compare.row_count):
            assert str(compare.get_row_at(i)[0]) in lines
        await pilot.press("t")
        await settle(pilot)
        assert tabs.active == "tab-drills" and screen.focused is screen.query_one("#review-drills", DataTable)
        with mock.patch.object(pilot.app, "open_drill") as opened:
            await pilot.press("enter")
        assert opened.called, "Enter opens the highlighted drill"


@sync
async def test_after_moving_on_a_return_from_help_keeps_the_cursor_where_it_is(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one("#review-drills", DataTable)
        await pilot.press("down", "enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert table.cursor_row == 1
        await pilot.press("down", "down", "f1")
        await settle(pilot)
        assert pilot.app.screen is not screen
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen and table.cursor_row == 3
