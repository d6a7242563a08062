"""Every screen's content can be reached by keyboard at 80x24.

A person at a small terminal goes through a screen with Tab, Page Down and the arrows. `explore`
does that, collecting every word the screen paints on the way; each test then names what the
screen holds, from the data behind it (every option of the inject in full, every team, every
help line), and checks that each was painted whole at some point. A text cut at the edge
("3. Take the web…"), a box that does not scroll or a widget that cannot take focus fails here.
"""

from __future__ import annotations

import re

from test_app_support import KINDS, answer_on_screen, painted, play_every_inject, services, settle, start_drill, sync
from textual.widgets import Input, Select

from tui.app.launch import build_app

SMALL = (80, 24)
# Borders, block elements and scrollbars: what a screen draws around words, never words itself.
DRAWING = re.compile(r"[\u2500-\u259f\u25a0-\u25ff\u2800-\u28ff]")
TEAMS8 = [f"Team {n}" for n in range(1, 9)]


def words(text: str) -> str:
    return " ".join(DRAWING.sub(" ", text).split())


def painted_whole(phrase: str, frame: str) -> bool:
    """Whether one painted frame (as words) holds the phrase whole: its words in order, where a
    wrapped line may put a few words of the column beside it between two of them."""
    if phrase in frame:
        return True
    gap = r"(?:\s+\S+){0,4}?\s+"
    return re.search(gap.join(map(re.escape, phrase.split())), frame) is not None


async def explore(pilot, expected: list[str], *, tabs: int = 8, downs: int = 40, sideways: int = 0) -> list[str]:
    """Tab through the screen; at each stop arrow down, then page down, painting as a person
    sees it (and, with `sideways`, arrow right, for a table wider than the screen). Selects and
    text fields only take Tab (an arrow would open or edit them). Stops once every expected
    phrase has been painted whole; returns those never painted."""
    app, screen = pilot.app, pilot.app.screen
    left = {words(text) for text in expected}

    def look() -> None:
        frame = words(painted(app))
        left.difference_update([phrase for phrase in left if painted_whole(phrase, frame)])

    look()
    for _ in range(tabs):
        if not left:
            break
        if not isinstance(app.focused, (Select, Input)):
            for key in ["down"] * downs + ["pagedown"] * 6 + ["right"] * sideways:
                await pilot.press(key)
                await pilot.pause()  # what the key changes elsewhere (a preview) is painted next
                look()
                assert app.screen is screen, f"{key} left {type(screen).__name__} for {app.screen!r}"
                if not left:
                    break
        await pilot.press("tab")
        await pilot.pause()
        look()
    return [text for text in expected if words(text) in left]


async def check(pilot, expected: list[str], **explore_options) -> None:
    assert expected, "nothing to look for"
    missing = await explore(pilot, expected, **explore_options)
    assert not missing, f"{type(pilot.app.screen).__name__} at 80x24: never painted whole: {missing}"


def app_on(tmp_path, **options):
    return build_app(services(tmp_path, seed=42, **options))


# --- the library, its dialogs, help ---------------------------------------------------------------


@sync
async def test_the_library_shows_every_scenario_title_whole(tmp_path):
    app = app_on(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        titles = [row.title for row in app.screen.rows if row.ok]
        await check(pilot, titles)


@sync
async def test_the_new_drill_form_reaches_eight_teams_and_start(tmp_path):
    app = app_on(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        while len(app.screen.team_names()) < 8:
            await pilot.press("ctrl+n")
        await pilot.pause()
        await check(pilot, [*TEAMS8, "Start drill", "Practice: feedback after every answer"])


@sync
async def test_the_join_codes_dialog_lists_eight_teams_and_the_observers(tmp_path):
    app = app_on(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        codes = await start_drill(pilot, TEAMS8, close_codes=False)
        await check(pilot, [f"{team} {code}" for team, code in codes.items()] + ["Observers"])


@sync
async def test_help_shows_every_flow_and_key(tmp_path):
    from tui.app.screens.help import FLOWS

    app = app_on(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        flows = [f"{name}: {text}" for name, text in FLOWS]
        await check(pilot, flows)


# --- a drill: answering, the console, the debrief -------------------------------------------------


def option_texts(inject) -> list[str]:
    return [" ".join(option.text.split()) for option in inject.options]


@sync
async def test_the_answer_screen_reaches_the_whole_message_and_every_option(tmp_path):
    from tui.app.screens.answer import AnswerScreen

    app = app_on(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await start_drill(pilot, ["Red", "Blue"])
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnswerScreen)
        inject = screen.inject
        body = inject.body.split("\n\n")  # paragraphs: line breaks within may be kept or joined
        await check(pilot, [*body, inject.question, *option_texts(inject)])


@sync
async def test_the_resume_dialog_reaches_every_interrupted_drill(tmp_path):
    app = app_on(tmp_path)
    teams = [f"Shift {n}" for n in range(1, 13)]
    async with app.run_test(size=SMALL) as pilot:
        for team in teams:  # twelve interrupted drills, more than the dialog shows at once
            app.go_library()
            await start_drill(pilot, [team], practice=True)
        app.go_library()
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await check(pilot, teams)


def shown_texts(root) -> list[str]:
    """The paragraphs every Static under `root` holds: what the screen has to show."""
    from textual.widgets import Static

    texts = []
    for static in root.query(Static):
        if static.display and str(static.content).strip():
            texts += [p for p in str(static.content).split("\n\n") if p.strip()]
    return texts


@sync
async def test_the_console_with_eight_teams_reaches_every_team_and_inject(tmp_path):
    app = app_on(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await start_drill(pilot, TEAMS8)
        await pilot.press("n")
        await settle(pilot)
        scenario = app.screen.drill.scenario
        scores = [f"{team} 0/" for team in TEAMS8]  # each team's scoreboard row
        await check(pilot, [*scores, *TEAMS8, *(inject.title for inject in scenario.injects)], sideways=12)


@sync
async def test_feedback_in_practice_is_reached_whole(tmp_path):
    from tui.app.screens.feedback import FeedbackScreen

    app = app_on(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await start_drill(pilot, ["Solo"], practice=True)
        await answer_on_screen(pilot)
        assert isinstance(app.screen, FeedbackScreen), app.screen
        await check(pilot, shown_texts(app.screen.query_one("#feedback-scroll")))


@sync
async def test_the_debrief_reaches_every_answer_and_both_trees(tmp_path):
    """Red's tab after a drill of every kind of inject (tests/fixtures/kinds): each option the
    team chose and each of the guide's, in full, and every line of both escalation trees."""
    from tui.app.widgets.escalation import EscalationTree

    app = app_on(tmp_path, library=[str(KINDS)], builtin=False)
    async with app.run_test(size=SMALL) as pilot:
        await start_drill(pilot, ["Red", "Blue"])
        await play_every_inject(pilot)
        await pilot.press("e", "y")
        await settle(pilot)
        await pilot.press("t")  # Red's tab
        await settle(pilot)
        drill = app.screen.drill
        red = drill.state.teams["Red"]
        chosen = [" ".join(o.text.split()) for i, a in red.answers.items() if isinstance(a.answer, list)
                  for o in drill.inject(i).options if o.id in a.answer]
        order = option_texts(drill.inject("lock"))
        trees = [label for tree in app.screen.query_one("#debrief-0").query(EscalationTree) for label in tree.labels()]
        assert len(chosen) >= 5 and trees
        await check(pilot, [*chosen, *order, *trees], downs=150)


@sync
async def test_the_generate_dialog_reaches_every_choice(tmp_path):
    from tui.app.screens.generate import CITIES, LEVELS, VIOLATIONS

    app = app_on(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await check(pilot, [*VIOLATIONS, *(name for _, name in CITIES), *LEVELS, "Seed"])


@sync
async def test_review_reaches_every_tab_and_the_export_dialog(tmp_path):
    import shutil

    from _review_store import build

    build(tmp_path / "store.db", drills=12)
    shutil.copyfile(tmp_path / "store.db", tmp_path / "drills.db")
    app = app_on(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        teams = sorted({row.team for row in app.screen.rows})
        assert len(teams) > 1
        await check(pilot, teams, tabs=2)  # the Drills table lists every team result
        for _ in range(3):  # Trend, Most missed, Compare: each pane's content whole
            await pilot.press("t")
            await settle(pilot)
            pane = app.screen.query_one("TabbedContent").active_pane
            texts = shown_texts(pane)
            if texts:
                await check(pilot, texts, tabs=2)
        await pilot.press("escape", "t")  # back to Drills (focus in a pane: Escape leaves it first)
        await settle(pilot)


@sync
async def test_the_observers_screen_reaches_every_team_and_inject(tmp_path):
    from test_player_app import Trainer, player_services, until

    from tui.app.launch import build_player
    from tui.app.screens.observer import ObserverScreen

    trainer = Trainer(tmp_path)
    try:
        issued = trainer.service.issue_codes(trainer.drill)
        for team in trainer.drill.state.teams:
            trainer.ex.release(team)
        app = build_player(player_services(tmp_path))
        async with app.run_test(size=SMALL) as pilot:
            app.screen.query_one("#join-code", Input).value = issued.observer
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ObserverScreen), 3)
            await settle(pilot)
            for team, state in trainer.drill.state.teams.items():  # t: each team's tab in turn
                await pilot.press("t")
                await settle(pilot)
                body = trainer.drill.state.scenario.inject(state.current).body.strip()
                await check(pilot, [team, body], tabs=2)
    finally:
        trainer.close()
