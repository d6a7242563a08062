"""Corrections in the debrief, driven by keyboard through Pilot on a real SQLite store: an answer
corrected with the answer screen's widgets, a team renamed, the drill archived and restored."""

from __future__ import annotations

from test_app_flows import play_round
from test_app_support import FIXTURES, answer_on_screen, services, settle, start_drill, sync
from textual.widgets import DataTable, Input, Static, TabbedContent

from scoring.store import Store
from tui.app.launch import build_app
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.correct import CorrectScreen
from tui.app.screens.debrief import DebriefScreen
from tui.app.screens.prompt import PromptScreen
from tui.app.widgets.choices import FreeText


def fixture_app(tmp_path):
    """The fixture scenario only: 'found' (a is the guide's answer, b deletes the audit log; the
    seed decides which is shown as 1), then 'lock' (an order)."""
    return build_app(services(tmp_path, library=[str(FIXTURES)], builtin=False))


async def to_debrief(pilot, teams: list[str]) -> DebriefScreen:
    """Every team answers the file's first option (a), then the order as shown; the drill ends
    in the debrief."""
    await start_drill(pilot, teams)
    drill = pilot.app.screen.drill
    while not drill.state.finished:
        await play_round(pilot, drill)
    await pilot.press("e", "y")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DebriefScreen)
    return pilot.app.screen


def overall(debrief: DebriefScreen, row: int) -> float:
    return float(str(debrief.query_one("#summary-table", DataTable).get_cell_at((row, 1))))


def text_of(debrief: DebriefScreen, selector: str) -> str:
    return str(debrief.query_one(selector, Static).render())


def stored(tmp_path):
    with Store(tmp_path / "drills.db") as store:
        (row,) = store.drills()
        return row, store.events(row.id)


@sync
async def test_correcting_an_answer_changes_the_score_and_is_listed(tmp_path):
    async with fixture_app(tmp_path).run_test(size=(120, 40)) as pilot:
        debrief = await to_debrief(pilot, ["Red", "Blue"])
        before = overall(debrief, 0)
        await pilot.press("t")  # Red's tab
        await settle(pilot)
        table = debrief.query_one("#debrief-0 .choices", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("found"))
        await pilot.press("c")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, CorrectScreen)
        assert screen.query_one("#choices").answer() == ["a"], "the recorded answer is preset"
        number = {o.id: str(n) for n, o in enumerate(screen.inject.options, 1)}  # as shown
        await pilot.press(number["b"], "tab")
        await pilot.press(*"[bold]keyed[/bold] =cmd|")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        question = str(pilot.app.screen.query_one("#confirm-question", Static).render())
        assert f"Was: {number['a']}. Tell City IT" in question
        assert f"Now: {number['b']}. Delete the folder's audit log" in question
        await pilot.press("y")
        await settle(pilot)
        assert pilot.app.screen is debrief
        red = debrief.drill.state.teams["Red"]
        assert red.answers["found"].answer == ["b"]
        assert red.path == ["found", "lock"], "the path already walked stays as played"
        assert overall(debrief, 0) < before and overall(debrief, 1) == before
        assert table.is_attached is False and debrief.focused.has_class("choices"), "the pane is redrawn, focus kept"
        listed = text_of(debrief, "#debrief-corrections")
        assert f"Red · Clerk finds open folder: {number['a']}. Tell City IT" in listed
        assert f"→ {number['b']}. Delete the folder's audit log" in listed
        assert "([bold]keyed[/bold] =cmd|)" in listed, "the reason is shown literally"
    row, events = stored(tmp_path)
    assert events[-1].type == "answer-corrected" and events[-1].reason == "[bold]keyed[/bold] =cmd|"
    assert [e.answer for e in events if e.type == "response-submitted" and e.team == "Red"][0] == ["a"], \
        "the first recording stays in the log"


@sync
async def test_the_same_answer_is_not_a_correction(tmp_path):
    async with fixture_app(tmp_path).run_test(size=(120, 40)) as pilot:
        debrief = await to_debrief(pilot, ["Red"])
        await pilot.press("c")  # on the summary tab: nothing highlighted yet
        await pilot.pause()
        assert pilot.app.screen is debrief
        await pilot.press("t")
        await settle(pilot)
        debrief.query_one("#debrief-0 .choices", DataTable).focus()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CorrectScreen)
        await pilot.press("ctrl+s")  # unchanged: refused, the dialog stays
        await pilot.pause()
        assert isinstance(pilot.app.screen, CorrectScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is debrief
    _, events = stored(tmp_path)
    assert events[-1].type == "ended"


@sync
async def test_renaming_a_team_in_the_debrief(tmp_path):
    async with fixture_app(tmp_path).run_test(size=(120, 40)) as pilot:
        debrief = await to_debrief(pilot, ["Red", "Blue"])
        await pilot.press("t", "r")
        await pilot.pause()
        prompt = pilot.app.screen
        assert isinstance(prompt, PromptScreen)
        field = prompt.query_one("#prompt-input", Input)
        assert field.value == "Red"
        field.value = "blue"  # another team's name, whatever its case: refused in the dialog
        await pilot.press("enter")
        await settle(pilot)  # the engine refuses it in the app's write worker
        assert pilot.app.screen is prompt
        assert "there is already a team 'Blue'" in str(prompt.query_one("#prompt-error", Static).render())
        field.value = "[i]Red[/i] Team"
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is debrief
        assert debrief.drill.teams == ["[i]Red[/i] Team", "Blue"]
        tab = debrief.query_one(TabbedContent).get_tab("tab-debrief-0")
        assert tab.label.plain == "[i]Red[/i] Team" and not tab.label.spans
        summary = debrief.query_one("#summary-table", DataTable)
        assert str(summary.get_cell_at((0, 0))) == "[i]Red[/i] Team"
        assert "team renamed: Red → [i]Red[/i] Team" in text_of(debrief, "#debrief-corrections")
    row, events = stored(tmp_path)
    assert row.teams == ["[i]Red[/i] Team", "Blue"]
    assert [e.type for e in events[-1:]] == ["team-renamed"]


@sync
async def test_archiving_and_restoring_the_drill(tmp_path):
    async with fixture_app(tmp_path).run_test(size=(120, 40)) as pilot:
        debrief = await to_debrief(pilot, ["Red"])
        bindings = {b.binding.id for b in debrief.active_bindings.values()}
        assert "debrief.archive" in bindings and "debrief.restore" not in bindings
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PromptScreen)
        await pilot.press("escape")  # Back: nothing recorded
        await pilot.pause()
        assert not debrief.drill.state.archived
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"test run", "enter")
        await settle(pilot)
        assert debrief.drill.state.archived
        assert "ARCHIVED" in text_of(debrief, "#debrief-head")
        assert "drill archived: left out of every statistic  (test run)" in text_of(debrief, "#debrief-corrections")
        assert stored(tmp_path)[0].archived
        bindings = {b.binding.id for b in debrief.active_bindings.values()}
        assert "debrief.restore" in bindings and "debrief.archive" not in bindings
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert not debrief.drill.state.archived and "ARCHIVED" not in text_of(debrief, "#debrief-head")
    row, events = stored(tmp_path)
    assert not row.archived and [e.type for e in events[-2:]] == ["archived", "restored"]


@sync
async def test_a_corrected_free_answer_is_matched_afresh(tmp_path):
    from test_app_flows import markup_scenario

    library = markup_scenario(tmp_path / "lib")  # its 'lock' inject is free text
    app = build_app(services(tmp_path, library=[str(library)], builtin=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await start_drill(pilot, ["Red"])
        drill = pilot.app.screen.drill
        for text in ("", "we would restore it"):
            await pilot.press("n")
            await settle(pilot)
            await pilot.press("a")
            await pilot.pause()
            await answer_on_screen(pilot, text=text)
        await pilot.press("e", "y")
        await settle(pilot)
        debrief = pilot.app.screen
        await pilot.press("t")
        await settle(pilot)
        table = debrief.query_one("#debrief-0 .choices", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("lock"))
        await pilot.press("c")
        await pilot.pause()
        field = pilot.app.screen.query_one("#choices", FreeText)
        assert field.text == "we would restore it", "the recorded text is preset"
        field.text = "isolate the server first"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        answer = drill.state.teams["Red"].answers["lock"]
        assert (answer.answer, answer.credited, answer.method) == ("isolate the server first", ("a",), "keywords")
        assert "we would restore it → isolate the server first" in text_of(debrief, "#debrief-corrections")
