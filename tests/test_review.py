"""The Review screen under Pilot, on a real store of 50 drills played through the engine."""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from datetime import date

import pytest
from _review_store import build
from test_app_support import open_review, services, settle, sync, widget_text
from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from scoring import history
from scoring.store import Store
from tui.app.launch import build_app
from tui.app.screens.debrief import DebriefScreen
from tui.app.screens.drills import local_time
from tui.app.screens.export import ExportScreen, slug
from tui.app.screens.review import ReviewScreen


@pytest.fixture(scope="module")
def store_50(tmp_path_factory):
    return build(tmp_path_factory.mktemp("review") / "drills.db", drills=50)


@pytest.fixture
def app(tmp_path, store_50, monkeypatch):
    shutil.copyfile(store_50, tmp_path / "drills.db")
    monkeypatch.chdir(tmp_path)  # where the export dialog proposes to save
    return build_app(services(tmp_path))




@sync
async def test_review_lists_every_drill_newest_first(app, tmp_path):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        assert widget_text(screen.query_one("#review-summary", Static)) == "50 drills, 75 team results."
        assert screen.trend_teams == []  # the Trend pane is read when it is first opened
        await pilot.press("t")
        await settle(pilot)
        # The highlighted (newest) drill's scenario, a line for each team name that played it.
        with Store(tmp_path / "drills.db") as store:
            newest = history.results(store, limit=1)[0]
            on_it = {r.team for r in history.results(store, history.Filters(scenario=newest.scenario_id))}
        assert sorted(screen.trend_teams) == sorted(on_it)
        caption = widget_text(screen.query_one("#review-trend-caption", Static))
        assert caption.startswith(f"{newest.title} (the highlighted drill's")
        await pilot.press("t", "t", "t")
        await settle(pilot)
        table = screen.query_one("#review-drills", DataTable)
        assert table.row_count == 75
        dates = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert dates == sorted(dates, reverse=True)
        with Store(tmp_path / "drills.db") as store:
            newest = history.results(store, limit=1)[0]
        assert f"{newest.overall:5.1f}" == table.get_row_at(0)[3]


@sync
async def test_filtering_by_team_narrows_every_pane(app, tmp_path):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        screen.query_one("#review-team", Select).value = "Red"
        await settle(pilot)
        with Store(tmp_path / "drills.db") as store:
            red = history.results(store, history.Filters(team="Red"))
            missed = history.most_missed(store, history.Filters(team="Red"), limit=20)
        table = screen.query_one("#review-drills", DataTable)
        assert table.row_count == len(red) and {str(table.get_row_at(i)[2]) for i in range(table.row_count)} == {"Red"}
        screen.query_one(TabbedContent).active = "tab-missed"
        await settle(pilot)
        missed_table = screen.query_one("#review-missed", DataTable)
        assert missed_table.row_count == len(missed)
        assert str(missed_table.get_row_at(0)[2]).startswith(f"{missed[0].count} of {missed[0].of} ")
        assert missed[0].of < len(red), "counted where it came up, not against every drill of the team"
        screen.query_one(TabbedContent).active = "tab-drills"
        await settle(pilot)
        # The trend chart, opened now, is drawn for the team's own line only.
        await pilot.press("t")
        await settle(pilot)
        assert screen.trend_teams == ["Red"]
        assert screen.query("#review-plot")
        screen.query_one(TabbedContent).active = "tab-drills"
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert table.row_count == 75


@sync
async def test_most_missed_names_the_step_and_its_source(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("t", "t")
        await settle(pilot)
        assert screen.query_one(TabbedContent).active == "tab-missed"
        table = screen.query_one("#review-missed", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await settle(pilot)
        detail = widget_text(screen.query_one("#review-missed-detail", Static))
        label, source = str(table.get_row_at(0)[0]), str(table.get_row_at(0)[3])
        assert detail.startswith(label) and f"Source: {source}" in detail
        assert "Breach" in source and '"' in source  # a guide title and a quoted section


@sync
async def test_compare_shows_each_teams_latest_on_one_scenario(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        screen.query_one("#review-scenario", Select).value = "stl-unpatched-system"
        await settle(pilot)
        await pilot.press("t", "t", "t")
        await settle(pilot)
        table = screen.query_one("#review-compare", DataTable)
        teams = [str(table.get_row_at(i)[0]) for i in range(table.row_count - 1)]
        assert len(teams) == len(set(teams)) >= 2
        assert str(table.get_row_at(table.row_count - 1)[0]) == "Mean"
        overall = [float(table.get_row_at(i)[1]) for i in range(table.row_count - 1)]
        assert overall == sorted(overall, reverse=True)
        title = widget_text(screen.query_one("#review-compare-title", Static))
        assert title == "Each team's latest result on Skimmer on the payment portal (chosen in the filters)"


@sync
async def test_enter_opens_the_scorecard_and_escape_comes_back(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        debrief = pilot.app.screen
        assert isinstance(debrief, DebriefScreen)
        assert debrief.drill.id == screen.rows[1].drill_id
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen


@sync
async def test_export_writes_the_report_and_asks_before_replacing(app, tmp_path):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        newest = screen.rows[0]
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ExportScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        target = tmp_path / f"aar-{slug(newest.title)}-{local_time(newest.created)[:10]}.html"
        assert target.read_text().startswith("<!DOCTYPE html>")
        assert pilot.app.screen is screen
        target.write_text("keep me")
        await pilot.press("e")
        await settle(pilot)
        # That name is taken now: the drill's short id tells this export apart.
        assert pilot.app.screen.target() == target.with_name(f"{target.stem}-{newest.drill_id[:8]}.html")
        pilot.app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert target.read_text() == "keep me"
        assert "exists" in widget_text(pilot.app.screen.query_one("#export-status", Static))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert target.read_text().startswith("<!DOCTYPE html>")


@sync
async def test_stale_summaries_are_rebuilt_from_the_events(app, tmp_path):
    db = tmp_path / "drills.db"
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT drill, team, overall FROM summaries ORDER BY 1, 2").fetchall()
        conn.execute("DELETE FROM summaries")
        conn.execute("DELETE FROM misses")
        conn.execute("UPDATE drills SET scored_upto = -1")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        assert screen.query_one("#review-drills", DataTable).row_count == 75
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT drill, team, overall FROM summaries ORDER BY 1, 2").fetchall() == before


@sync
async def test_review_is_in_the_command_palette(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = [c.title for c in pilot.app.get_system_commands(pilot.app.screen)]
        assert "Review drills" in titles
        next(c for c in pilot.app.get_system_commands(pilot.app.screen) if c.title == "Review drills").callback()
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReviewScreen)


@sync
async def test_empty_store_says_how_to_start(tmp_path):
    async with build_app(services(tmp_path)).run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        assert widget_text(screen.query_one("#review-summary", Static)).startswith("No drills in the store yet")


@sync
async def test_review_shows_the_cache_at_once_and_rescores_in_the_background(app, tmp_path, monkeypatch):
    """A new scorer version makes every summary stale: Review lists the drills from the cache
    without waiting, says it is rescoring, and shows the rebuilt rows when it is done."""
    import threading

    release = threading.Event()
    rebuild = history.rebuild

    def held(*args, **kwargs):
        assert release.wait(30), "the test never let the rebuild go"
        return rebuild(*args, **kwargs)

    monkeypatch.setattr(history, "SCORER_VERSION", "next")
    monkeypatch.setattr(history, "rebuild", held)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        screen = pilot.app.screen
        table = screen.query_one("#review-drills", DataTable)
        for _ in range(200):
            await pilot.pause(0.02)
            if table.row_count and "Rescoring" in widget_text(screen.query_one("#review-summary", Static)):
                break
        assert table.row_count == 75, "rows came from the cache while the rebuild was held"
        assert "Rescoring 50 drills in the background" in widget_text(screen.query_one("#review-summary", Static))
        release.set()
        await settle(pilot)
        assert widget_text(screen.query_one("#review-summary", Static)) == "50 drills, 75 team results."
        assert table.row_count == 75
    with sqlite3.connect(tmp_path / "drills.db") as conn:
        assert conn.execute("SELECT DISTINCT scored_by FROM drills").fetchall() == [("next",)]


def _came_up(store, filters) -> Counter:
    """The team-drills whose scorecard asked each step and required contact, counted from the
    scorecards themselves (their findings and judgments), not from the cache."""
    counts: Counter = Counter()
    for drill_id, teams in history.team_drills(store, filters).items():
        drill = history.load(store, drill_id)
        for team in teams:
            card = drill.cards[team]
            steps = {f.subject for f in card.findings if f.dimension == "steps" and f.subject}
            contacts = {c.contact for j in card.judgments.values()
                        for c in (*j.reached, *j.late, *j.missed_contacts) if c.required}
            counts.update([("steps", s) for s in steps] + [("escalation", c) for c in contacts])
    return counts


def test_most_missed_counts_each_step_against_the_drills_where_it_came_up(store_50):
    """A step's denominator is the team-drills whose path asked it: never the drills of another
    scenario, nor a branch that did not ask it."""
    with Store(store_50) as store:
        scenarios = [value for value, _ in history.choices(store)["scenario"]]
        for scenario in scenarios:
            for filters in (history.Filters(scenario=scenario), history.Filters(scenario=scenario, team="Red")):
                came_up = _came_up(store, filters)
                missed = history.most_missed(store, filters, limit=1000)
                assert missed or filters.team, filters
                for item in missed:
                    assert item.of == came_up[(item.miss.dimension, item.miss.subject)], (filters, item)
                    assert 0 < item.count <= item.of
        every = history.most_missed(store, limit=1000)
        assert every == history.most_missed(store, history.Filters(until=date.max), limit=1000)
        results = history.count(store)[1]
        assert any(item.of < results for item in every), "a step of one scenario is not asked in every drill"
        counts = [m.count for m in every]
        assert counts == sorted(counts, reverse=True)
