"""The app driven by keyboard through Pilot: whole drills, practice, pause, resume, literal text."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from test_app_support import FakeClock, answer_on_screen, services, settle, start_drill, sync
from textual.widgets import DataTable, Static, TabbedContent

from scoring.store import Store
from tui.app.launch import build_app
from tui.app.screens.answer import AnswerScreen
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.console import ConsoleScreen
from tui.app.screens.debrief import DebriefScreen
from tui.app.screens.drills import DrillsScreen
from tui.app.screens.feedback import FeedbackScreen

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def stored_events(db: Path) -> list:
    with Store(db) as store:
        (row,) = store.drills()
        return store.events(row.id)


async def play_round(pilot, drill) -> None:
    """Release the next inject to every ready team, then record each waiting team's answer."""
    await pilot.press("n")
    await settle(pilot)
    while any(t.awaiting for t in drill.state.teams.values()):
        await pilot.press("a")
        await pilot.pause()
        await answer_on_screen(pilot)
        assert isinstance(pilot.app.screen, ConsoleScreen)


@sync
async def test_two_teams_play_to_the_debrief(tmp_path):
    app = build_app(services(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await start_drill(pilot, ["Red", "Blue"])
        console = pilot.app.screen
        assert isinstance(console, ConsoleScreen)
        drill = console.drill
        await play_round(pilot, drill)
        # The first answer of each team is in the store the moment it was confirmed.
        answered = [e for e in stored_events(tmp_path / "drills.db") if e.type == "response-submitted"]
        assert {e.team for e in answered} == {"Red", "Blue"}
        while not drill.state.finished:
            await play_round(pilot, drill)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        debrief = pilot.app.screen
        assert isinstance(debrief, DebriefScreen)
        summary = debrief.query_one("#summary-table", DataTable)
        assert summary.row_count == 2
        for number, team in enumerate(["Red", "Blue"]):
            debrief.query_one(TabbedContent).active = f"tab-debrief-{number}"
            await settle(pilot)
            pane = debrief.query_one(f"#debrief-{number}")
            assert pane.query("EscalationTree"), "the escalation trees are drawn"
            assert pane.query_one(".choices", DataTable).row_count == len(drill.state.teams[team].path)
        events = stored_events(tmp_path / "drills.db")
        assert events[-1].type == "ended"
        total = sum(len(t.path) for t in drill.state.teams.values())
        assert sum(e.type == "response-submitted" for e in events) == total


@sync
async def test_practice_mode_gives_feedback_after_each_answer(tmp_path):
    app = build_app(services(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await start_drill(pilot, ["Solo"], practice=True)
        # Practice paces itself: the first inject is already open.
        assert isinstance(pilot.app.screen, AnswerScreen)
        drill = pilot.app.screen.drill
        seen = 0
        while isinstance(pilot.app.screen, AnswerScreen):
            await answer_on_screen(pilot)
            feedback = pilot.app.screen
            assert isinstance(feedback, FeedbackScreen)
            text = str(feedback.query_one("#feedback", Static).render())
            assert "Your answer" in text
            assert "guide's answer" in text
            seen += 1
            await pilot.press("enter")
            await settle(pilot)
        assert drill.state.finished and seen == len(drill.state.teams["Solo"].path)
        assert isinstance(pilot.app.screen, ConsoleScreen)
        await pilot.press("e", "y")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DebriefScreen)


@sync
async def test_feedback_names_the_broken_step_and_its_source(tmp_path):
    app = build_app(services(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await start_drill(pilot, ["Solo"], practice=True)
        screen = pilot.app.screen
        harmful = next(n for n, o in enumerate(screen.inject.options, 1) if o.harms)
        await pilot.press(str(harmful), "enter", "y")
        await settle(pilot)
        text = str(pilot.app.screen.query_one("#feedback", Static).render())
        assert "Not the guide's answer" in text and "Broke" in text
        assert "Guide" in text  # the cited source section


@sync
async def test_pause_blocks_answers_until_resumed(tmp_path):
    clock = FakeClock()
    app = build_app(services(tmp_path, clock=clock))
    async with app.run_test(size=(120, 40)) as pilot:
        await start_drill(pilot, ["Red", "Blue"], timed=True)
        drill = pilot.app.screen.drill
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)  # recorded in a worker
        assert drill.state.status == "paused"
        assert "PAUSED" in str(pilot.app.screen.query_one("#status-bar", Static).render())
        clock.advance(600)  # ten paused minutes do not count against the teams
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConsoleScreen), "no answering while paused"
        await pilot.press("p")
        await settle(pilot)
        assert drill.state.status == "running"
        assert drill.remaining("Red", clock()) > 0
        await pilot.press("a")
        await pilot.pause()
        await answer_on_screen(pilot)
        assert "Red" in {e.team for e in stored_events(tmp_path / "drills.db") if e.type == "response-submitted"}
    types = [e.type for e in stored_events(tmp_path / "drills.db")]
    assert types.index("paused") < types.index("resumed") < types.index("response-submitted")


@sync
async def test_a_fresh_app_offers_the_interrupted_drill_with_its_answers(tmp_path):
    first = build_app(services(tmp_path))
    async with first.run_test(size=(120, 40)) as pilot:
        await start_drill(pilot, ["Red", "Blue"])
        drill = pilot.app.screen.drill
        await play_round(pilot, drill)
        before = {n: dict(t.answers) for n, t in drill.state.teams.items()}
    # No end, no goodbye: the next start finds the drill in the same SQLite file.
    second = build_app(services(tmp_path))
    async with second.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, DrillsScreen), "interrupted drills are offered at start"
        await pilot.press("enter")
        await settle(pilot)
        console = pilot.app.screen
        assert isinstance(console, ConsoleScreen)
        after = {n: dict(t.answers) for n, t in console.drill.state.teams.items()}
        assert after == before
        await play_round(pilot, console.drill)  # and the drill goes on from there


KILLED_APP = textwrap.dedent(
    """
    import sys, time, asyncio
    from pathlib import Path
    sys.path[:0] = [{root!r}, {tests!r}]
    from test_app_support import answer_on_screen, services, settle, start_drill
    from tui.app.launch import build_app

    async def script(pilot):
        await start_drill(pilot, ["Red", "Blue"])
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        await answer_on_screen(pilot)
        print("ANSWERED", flush=True)
        await asyncio.sleep(3600)

    build_app(services(Path({tmp!r}))).run(headless=True, size=(100, 30), auto_pilot=script)
    """
)


@sync
async def test_resume_after_the_app_is_killed(tmp_path):
    code = KILLED_APP.format(root=str(ROOT), tests=str(ROOT / "tests"), tmp=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        line = ""
        while "ANSWERED" not in line and time.monotonic() < deadline and proc.poll() is None:
            line = proc.stdout.readline()
        assert "ANSWERED" in line, "the app in the subprocess never got to answer"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    app = build_app(services(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, DrillsScreen)
        await pilot.press("enter")
        await settle(pilot)
        drill = pilot.app.screen.drill
        assert len(drill.state.teams["Red"].answers) == 1, "the killed app's confirmed answer is intact"
        assert drill.state.teams["Blue"].awaiting


@sync
async def test_markup_in_a_team_name_is_shown_literally(tmp_path):
    name = "[bold]Red[/bold] [link=http://evil.example]x[/link] \x1b[31m"
    app = build_app(services(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await start_drill(pilot, [name, "Blue"])
        console = pilot.app.screen
        drill = console.drill
        (stored,) = [t for t in drill.teams if t.startswith("[bold]")]
        shown = "[bold]Red[/bold] [link=http://evil.example]x[/link] \\x1b[31m"
        tab = console.query_one(TabbedContent).get_tab("tab-team-0")
        assert tab.label.plain == shown
        assert not tab.label.spans, "no style came from the name"
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        head = str(pilot.app.screen.query_one("#answer-head", Static).render())
        assert shown in head
        await answer_on_screen(pilot)
        board = console.query_one("#scoreboard", DataTable)
        cells = [str(board.get_cell_at((r, 0))) for r in range(board.row_count)]
        assert shown in cells
        assert stored == name.strip(), "the store keeps the name as typed"


def markup_scenario(folder: Path) -> Path:
    """The fixture scenario with markup and an escape sequence in its text, and a free inject."""
    text = (FIXTURES / "minimal.yaml").read_text()
    text = text.replace("title: Shared folder open to everyone", 'title: "[bold]Shared[/bold] folder \\e[31m open"')
    text = text.replace("records in it.", "records in it. [link=https://evil.example]Click[/link]")
    free = textwrap.dedent(
        """\
          - id: lock
            at: 20
            title: Lock it down
            sender: City IT
            channel: phone
            body: City IT asks what you will do with the folder.
            question: In your own words, what now?
            kind: free
            options:
              - id: a
                text: Isolate the file server
                steps: [isolate]
                keywords: [isolate]
              - id: b
                text: Restore normal access as City IT instructs
                steps: [restore-on-instruction]
                keywords: [restore]
        """
    )
    text = text[: text.index("  - id: lock")] + textwrap.indent(free, "  ")
    folder.mkdir()
    (folder / "markup.yaml").write_text(text)
    return folder


@sync
async def test_markup_in_scenario_text_and_answers_is_shown_literally(tmp_path):
    library = markup_scenario(tmp_path / "lib")
    app = build_app(services(tmp_path, library=[str(library)], builtin=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        preview = str(pilot.app.screen.query_one("#preview", Static).render())
        assert "[bold]Shared[/bold] folder \\x1b[31m open" in preview
        await start_drill(pilot, ["Red"])
        console = pilot.app.screen
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        body = " ".join(str(s.render()) for s in pilot.app.screen.query("InjectView Static").results(Static))
        assert "[link=https://evil.example]Click[/link]" in body
        await answer_on_screen(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        answer = "[bold]isolate[/bold] it \x1b[2J now"
        shown = "[bold]isolate[/bold] it \\x1b[2J now"
        await answer_on_screen(pilot, text=answer)
        panel = str(console.query_one("#panel-0", Static).render())
        assert shown in panel
        assert console.drill.state.teams["Red"].answers["lock"].answer == answer, "stored as typed"
        await pilot.press("e", "y")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        table = pilot.app.screen.query_one("#debrief-0 .choices", DataTable)
        cells = [str(table.get_cell_at((r, 1))) for r in range(table.row_count)]
        assert any(cell.startswith(shown[:20]) for cell in cells), cells


@sync
async def test_facilitator_marks_a_free_answer_in_the_debrief(tmp_path):
    library = markup_scenario(tmp_path / "lib")
    app = build_app(services(tmp_path, library=[str(library)], builtin=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await start_drill(pilot, ["Red"])
        drill = pilot.app.screen.drill
        for text in (None, "we would restore it"):
            await pilot.press("n")
            await settle(pilot)
            await pilot.press("a")
            await pilot.pause()
            await answer_on_screen(pilot, text=text or "")
        assert drill.state.teams["Red"].answers["lock"].credited == ("b",)  # matched "restore"
        await pilot.press("e", "y")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        table = pilot.app.screen.query_one("#debrief-0 .choices", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("lock"))
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("1", "2", "ctrl+s")  # tick "isolate", untick "restore"
        await settle(pilot)
        assert drill.state.teams["Red"].answers["lock"].credited == ("a",)
        assert drill.state.teams["Red"].answers["lock"].method == "facilitator"
    assert stored_events(tmp_path / "drills.db")[-1].type == "free-marked"


@sync
async def test_the_mark_dialog_never_ticks_a_harmful_keyword_match_for_the_facilitator(tmp_path):
    """"Nobody will shred the notes" matches the keyword of a harmful rubric entry: that is no
    judgment, so the dialog leaves it for the facilitator to tick (and saving does not commit it)."""
    library = markup_scenario(tmp_path / "lib")
    path = library / "markup.yaml"
    path.write_text(path.read_text().replace(
        "        keywords: [restore]\n",
        "        keywords: [restore]\n"
        "      - id: c\n"
        "        text: Shred the call notes\n"
        "        harms: [discard-communications]\n"
        "        keywords: [shred]\n"))
    assert "Shred the call notes" in path.read_text()
    app = build_app(services(tmp_path, library=[str(library)], builtin=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await start_drill(pilot, ["Red"])
        drill = pilot.app.screen.drill
        for text in (None, "we restore it; nobody will shred the notes"):
            await pilot.press("n")
            await settle(pilot)
            await pilot.press("a")
            await pilot.pause()
            await answer_on_screen(pilot, text=text or "")
        assert set(drill.state.teams["Red"].answers["lock"].credited) == {"b", "c"}  # the words match both
        await pilot.press("e", "y")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        table = pilot.app.screen.query_one("#debrief-0 .choices", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("lock"))
        await pilot.press("m")
        await pilot.pause()
        from tui.app.widgets.choices import MultiChoice

        ticked = set(pilot.app.screen.query_one(MultiChoice).answer())
        assert ticked == {"b"}, "only the harmless match is ticked"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert drill.state.teams["Red"].answers["lock"].credited == ("b",)
        assert not [f for f in drill.scorecards()["Red"].findings if f.subject == "discard-communications"
                    and f.effect == "deducted"]
