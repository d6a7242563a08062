"""The debrief read whole at 80x24 and at 120x40, driven by keyboard through Pilot on a real
SQLite store: each inject's full team choice beside (or above) the guide's full answer, every
option of a multi answer, the whole order of an order answer, the escalation trees to their last
line, and columns that fit the terminal.

The scenario is the fixture's with long option texts and a multi inject between 'found' and
'lock' (an order of three), so that nothing fits a cell unless it wraps."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from test_app_support import FIXTURES, painted_text, services, settle, shown_number, start_drill, sync
from textual.widgets import DataTable

from tui.app.launch import build_app
from tui.app.screens.answer import AnswerScreen
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.debrief import DebriefScreen
from tui.app.widgets.escalation import EscalationTree

FOUND_A = "Tell City IT at once and keep the folder's access logs exactly as they are, noting who exported them"
SECURE = {
    "a": "Export the share's access log and permission history as they are now and keep the exports unaltered",
    "b": "Keep the clerk's original email and screenshots in a restricted folder rather than deleting them",
    "c": "Start the incident timeline: when the permission changed, the first report and who opened what",
    "d": "Clear the share's audit log, which is full of duplicate entries and is slowing the file server",
}
LOCK = {
    "a": "Isolate the file server from the network, leaving it powered on for City IT",
    "b": "Preserve the nightly backups of the billing share before anything is changed",
    "c": "Restore normal access to the billing share only as City IT instructs, once it has assessed",
}
MULTI = textwrap.dedent(
    f"""\
      - id: secure
        at: 10
        title: Secure what the share holds before the permission is changed back
        sender: City IT
        channel: ticket
        body: City IT asks the billing team to secure what it holds first.
        question: Which of these do you do now? Choose all that apply.
        kind: multi
        options:
          - id: a
            text: "{SECURE['a']}"
            steps: [preserve-logs]
          - id: b
            text: "{SECURE['b']}"
            steps: [keep-originals]
          - id: c
            text: "{SECURE['c']}"
            steps: [document-timeline]
          - id: d
            text: "{SECURE['d']}"
            harms: [delete-logs]
        next: lock
      - id: lock
        at: 20
        title: Lock it down
        sender: City IT
        channel: phone
        body: City IT asks what you will do with the folder.
        question: Put these in the documented order.
        kind: order
        key: [a, b, c]
        options:
          - id: a
            text: "{LOCK['a']}"
            steps: [isolate]
          - id: b
            text: "{LOCK['b']}"
            steps: [preserve-backups]
          - id: c
            text: "{LOCK['c']}"
            steps: [restore-on-instruction]
    """
)


def long_scenario(folder: Path) -> Path:
    text = (FIXTURES / "minimal.yaml").read_text()
    text = text.replace("text: Tell City IT and keep the folder's access logs", f"text: \"{FOUND_A}\"")
    text = text.replace("        next: cover-up\n    next: lock\n", "        next: cover-up\n    next: secure\n")
    text = text.replace("        notifies: [city-it]\n    next: lock\n",
                        "        notifies: [city-it]\n    next: secure\n")
    text = text[: text.index("  - id: lock")] + textwrap.indent(MULTI, "  ")
    folder.mkdir()
    (folder / "long.yaml").write_text(text)
    return folder


def long_app(tmp_path):
    return build_app(services(tmp_path, library=[str(long_scenario(tmp_path / "lib"))], builtin=False))


# What each team answers, by the file's option ids: Red ticks two of the guide's three and the
# harmful one, and orders the lock-down last step first; Blue answers as the guide does.
PLAYS = {
    "Red": {"found": ["a"], "secure": ["a", "c", "d"], "lock": ["c", "a", "b"]},
    "Blue": {"found": ["a"], "secure": ["a", "b", "c"], "lock": ["a", "b", "c"]},
}


async def answer(pilot, options: list[str]) -> None:
    """On the answer screen: these options (by the file's ids) by their shown numbers; an
    order typed in full; confirmed."""
    screen = pilot.app.screen
    assert isinstance(screen, AnswerScreen), screen
    numbers = [shown_number(screen, oid) for oid in options]
    if screen.inject.kind == "single":
        await pilot.press(numbers[0], "enter")
    else:
        await pilot.press(*numbers, "ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ConfirmScreen), pilot.app.screen
    await pilot.press("y")
    await settle(pilot)


async def to_debrief(pilot, teams=("Red", "Blue")) -> DebriefScreen:
    """A facilitated drill: each round releases the next inject (n) to every team, and the
    answer (a) of each waiting team is recorded from PLAYS; then end (e, y)."""
    await start_drill(pilot, list(teams))
    drill = pilot.app.screen.drill
    while not drill.state.finished:
        await pilot.press("n")
        await settle(pilot)
        while any(t.awaiting for t in drill.state.teams.values()):
            await pilot.press("a")
            await pilot.pause()
            screen = pilot.app.screen
            await answer(pilot, PLAYS[screen.team][screen.inject_id])
    await pilot.press("e", "y")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DebriefScreen)
    return pilot.app.screen


def painted(pilot) -> str:
    return painted_text(pilot.app)


def column(screen: str, table: DataTable, index: int) -> str:
    """What a screen shows in one column of the table: each painted line cut at the column's
    edges (so that words of the columns beside it do not come between its own)."""
    left = table.region.x + sum(c.get_render_width(table) for c in table.ordered_columns[:index])
    right = left + table.ordered_columns[index].get_render_width(table)
    return "\n".join(line[left:right] for line in screen.splitlines())


def contains(text: str, sentence: str) -> bool:
    """The sentence's words in order in the text, whatever the wrapping put between them."""
    return " ".join(sentence.split()) in " ".join(text.split())


async def read_page(pilot, page) -> list[str]:
    """The focused page read down to its end by keyboard (down, a line at a time): its lines as
    painted, each once, in order."""
    view = page.scrollable_content_region  # where the page's lines are on the screen
    lines = painted(pilot).splitlines()[view.y:view.bottom]
    for _ in range(500):
        was = page.scroll_y
        await pilot.press("down")
        await pilot.pause()
        moved = round(page.scroll_y - was)
        if moved <= 0:
            break
        lines += painted(pilot).splitlines()[view.bottom - moved:view.bottom]
    return lines


def rows(lines: list[str], table: DataTable, index: int = 1) -> list[tuple[str, str]]:
    """Narrow: the (team's, guide's) answers of each row, from the stacked column as painted."""
    text = "\n".join(column(line, table, index) for line in lines)
    found = []
    for part in re.split(r"^\s*The team chose\s*$", text, flags=re.M)[1:]:
        team, _, guide = part.partition("The guide's answer")
        found.append((team, guide))
    return found


async def read_rows(pilot, debrief: DebriefScreen, number: int) -> tuple[list[str], list[str]]:
    """Tab to the choices table and press down to its end (down reads a row taller than the page
    to its end before it moves on): the rows highlighted on the way, and the page's lines as
    painted, each once, in order."""
    table = debrief.query_one(f"#debrief-{number} .choices", DataTable)
    page = debrief.query_one(f"#debrief-{number}")
    while debrief.focused is not table:
        await pilot.press("tab")
        await pilot.pause()
    view = page.scrollable_content_region
    lines = painted(pilot).splitlines()[view.y:view.bottom]
    visited = []
    for _ in range(300):
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if not visited or visited[-1] != key:
            visited.append(key)
        before = (table.cursor_row, page.scroll_y)
        await pilot.press("down")
        await pilot.pause()
        moved = round(page.scroll_y - before[1])
        if moved > 0:
            lines += painted(pilot).splitlines()[view.bottom - moved:view.bottom]
        if (table.cursor_row, page.scroll_y) == before:
            break  # the end of the last row
    return visited, lines


def in_column(screens: list[str], table: DataTable, index: int) -> str:
    return "\n".join(column(screen, table, index) for screen in screens)


OPTIONS = {"found": {"a": FOUND_A}, "secure": SECURE, "lock": LOCK}
GUIDE = {"found": ["a"], "secure": ["a", "b", "c"], "lock": ["a", "b", "c"]}


@sync
async def test_at_80x24_every_answer_and_the_guides_are_read_whole_row_by_row(tmp_path):
    async with long_app(tmp_path).run_test(size=(80, 24)) as pilot:
        debrief = await to_debrief(pilot)
        await pilot.press("t")  # Red's tab
        await settle(pilot)
        visited, lines = await read_rows(pilot, debrief, 0)
        assert visited == ["found", "secure", "lock"]
        table = debrief.query_one("#debrief-0 .choices", DataTable)
        for inject, (team, guide) in zip(visited, rows(lines, table), strict=True):  # narrow: one above the other
            for option in PLAYS["Red"][inject]:
                assert contains(team, OPTIONS[inject][option]), (inject, option, team)
            for option in GUIDE[inject]:
                assert contains(guide, OPTIONS[inject][option]), (inject, option, guide)
        marks = in_column(lines, table, 2)
        assert contains(marks, "✓ same as the guide") and contains(marks, "✗ not the guide's")
        (_, (secure, _), _) = rows(lines, table)
        assert contains(secure, f"✗ {shown(debrief, 'secure', 'd')}. {SECURE['d']}"), "the harmful pick is marked"


def shown(debrief: DebriefScreen, inject: str, option: str) -> int:
    return [o.id for o in debrief.drill.inject(inject).options].index(option) + 1


@sync
async def test_a_multi_answer_shows_every_chosen_option_and_an_order_the_whole_order(tmp_path):
    async with long_app(tmp_path).run_test(size=(80, 24)) as pilot:
        debrief = await to_debrief(pilot)
        await pilot.press("t")
        await settle(pilot)
        table = debrief.query_one("#debrief-0 .choices", DataTable)
        page = await read_page(pilot, debrief.query_one("#debrief-0"))
        (_, (team, guide), (team_order, guide_order)) = rows(page, table)
        for option, mark in (("a", "✓"), ("c", "✓"), ("d", "✗")):  # all three the team ticked, as numbered
            assert contains(team, f"{mark} {shown(debrief, 'secure', option)}. {SECURE[option]}"), (option, team)
        for option, mark in (("a", "✓"), ("b", "○"), ("c", "✓")):
            assert contains(guide, f"{mark} {shown(debrief, 'secure', option)}. {SECURE[option]}"), (option, guide)
        assert contains(guide, f"{SECURE['b']} (not chosen)"), "the guide's option the team left out"
        # The team's order, every place numbered and marked against the guide's; then the guide's.
        assert contains(team_order, f"✗ 1. {LOCK['c']} (the guide's 3rd) ✗ 2. {LOCK['a']} (the guide's 1st) "
                                    f"✗ 3. {LOCK['b']} (the guide's 2nd)"), team_order
        assert contains(guide_order, f"1. {LOCK['a']} 2. {LOCK['b']} 3. {LOCK['c']}"), guide_order


@sync
async def test_the_escalation_trees_last_line_is_reached_by_keyboard_at_80x24(tmp_path):
    async with long_app(tmp_path).run_test(size=(80, 24)) as pilot:
        debrief = await to_debrief(pilot)
        await pilot.press("t")
        await settle(pilot)
        page = debrief.query_one("#debrief-0")
        assert debrief.focused is page, "the page takes the keys"
        labels = [label for tree in page.query(EscalationTree) for label in tree.labels()]
        last = labels[-1]
        assert last not in painted(pilot), "below the fold at first"
        lines = await read_page(pilot, page)
        for label in labels:  # each tree whole, each line whole, down to the last
            assert any(label in line for line in lines), (label, lines)
        assert lines.index(next(line for line in lines if last in line)) < len(lines) - 1, "the page goes on past it"
        # The findings below name injects and options as the room saw them, never by their ids.
        text = "\n".join(lines)
        assert "inject '" not in text and not re.search(r"'[a-d]' \(", text), text
        assert contains(text, "inject “Lock it down”"), text
        assert contains(text, f"“{LOCK['a']}”"), "an option of the order finding, by its text"


@sync
async def test_at_120x40_the_answers_are_side_by_side_whole_and_the_columns_fill_the_width(tmp_path):
    async with long_app(tmp_path).run_test(size=(120, 40)) as pilot:
        debrief = await to_debrief(pilot)
        summary = debrief.query_one("#summary-table", DataTable)
        assert summary.virtual_size.width >= summary.size.width - 2, "the summary fills the width"
        await pilot.press("t")
        await settle(pilot)
        table = debrief.query_one("#debrief-0 .choices", DataTable)
        assert [str(c.label) for c in table.ordered_columns][1:3] == ["The team chose", "The guide's answer"]
        assert table.virtual_size.width <= table.size.width, "no column runs past the edge"
        assert table.virtual_size.width >= table.size.width - 2, "and none leaves the width empty"
        lines = await read_page(pilot, debrief.query_one("#debrief-0"))
        team, guide = in_column(lines, table, 1), in_column(lines, table, 2)
        for inject in ("found", "secure", "lock"):
            for option in PLAYS["Red"][inject]:
                assert contains(team, OPTIONS[inject][option]), (inject, option)
            for option in GUIDE[inject]:
                assert contains(guide, OPTIONS[inject][option]), (inject, option)
        assert not any("…" in line for line in lines), "nothing cut"
        await pilot.press("t")  # Blue answered as the guide did
        await settle(pilot)
        blue = debrief.query_one("#debrief-1 .choices", DataTable)
        assert contains(column(painted(pilot), blue, 3), "✓ same as the guide ✓ same as the guide")


@sync
async def test_the_columns_follow_the_terminal_when_it_is_resized(tmp_path):
    async with long_app(tmp_path).run_test(size=(120, 40)) as pilot:
        debrief = await to_debrief(pilot)
        await pilot.press("t")
        await settle(pilot)
        table = debrief.query_one("#debrief-0 .choices", DataTable)
        assert len(table.ordered_columns) == 4
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert len(table.ordered_columns) == 3, "stacked: the team's answer above the guide's"
        assert table.virtual_size.width <= table.size.width
        await pilot.press("s")  # a tab out of view is laid out (and refilled) when it is shown
        await settle(pilot)
        summary = debrief.query_one("#summary-table", DataTable)
        assert 0 < summary.virtual_size.width <= summary.size.width
        await pilot.press("t")
        await settle(pilot)
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert len(table.ordered_columns) == 4
        assert table.virtual_size.width >= table.size.width - 2


@sync
async def test_practice_mode_debrief_is_read_whole_at_80x24(tmp_path):
    async with long_app(tmp_path).run_test(size=(80, 24)) as pilot:
        await start_drill(pilot, ["Solo"], practice=True)
        from tui.app.screens.feedback import FeedbackScreen

        while isinstance(pilot.app.screen, AnswerScreen):  # practice paces itself
            await answer(pilot, PLAYS["Red"][pilot.app.screen.inject_id])
            assert isinstance(pilot.app.screen, FeedbackScreen)
            await pilot.press("enter")
            await settle(pilot)
        await pilot.press("e", "y")
        await settle(pilot)
        debrief = pilot.app.screen
        assert isinstance(debrief, DebriefScreen), debrief
        await pilot.press("t")
        await settle(pilot)
        table = debrief.query_one("#debrief-0 .choices", DataTable)
        (_, (team, _), (team_order, guide_order)) = rows(await read_page(pilot, debrief.query_one("#debrief-0")), table)
        for option in ("a", "c", "d"):
            assert contains(team, SECURE[option]), option
        for option in "abc":
            assert contains(team_order, LOCK[option]) and contains(guide_order, LOCK[option]), option


@sync
async def test_page_down_on_the_choices_turns_the_page_and_the_cursor_follows(tmp_path):
    async with long_app(tmp_path).run_test(size=(80, 24)) as pilot:
        debrief = await to_debrief(pilot)
        await pilot.press("t", "tab")  # Red's page, then its choices table
        await settle(pilot)
        table = debrief.query_one("#debrief-0 .choices", DataTable)
        page = debrief.query_one("#debrief-0")
        assert debrief.focused is table and table.cursor_row == 0
        top = page.scroll_y
        await pilot.press("pagedown")
        await pilot.pause()
        assert page.scroll_y - top == page.scrollable_content_region.height, "a whole page on"
        assert table.cursor_row == 1, "the highlight is on the row now at the top"
        await pilot.press("pageup")
        await pilot.pause()
        assert page.scroll_y == top
        await pilot.press("up")  # back at the first row's top: up stays there
        await pilot.pause()
        assert table.cursor_row == 0 and contains(painted(pilot), "+0 Clerk finds")
