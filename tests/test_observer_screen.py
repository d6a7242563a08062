"""An observer's screen (tui/app/screens/observer.py) on a player's app, driven through Pilot against
a real SQLite file that the facilitator's own drill service writes to at the same time, as the
console on another terminal would.

What is checked is what a person watching would notice: the painted screen (the compositor's
frame as text) and every widget's text on the screen, scrolled out of view or not. Before the
facilitator opens the debrief to the players, none of it is a score, a point or a judgment.
"""

from __future__ import annotations

import re
import time
from functools import partial
from pathlib import Path

import pytest
from test_app_support import painted_text as painted
from test_app_support import settle, sync
from test_player_app import Trainer
from test_player_app import until as wait_until
from textual.widgets import Static, TabbedContent

from tui.app.launch import build_player, build_services
from tui.app.screens.observer import ENDED, PAUSED, SHARED, ObserverScreen
from tui.app.session import Drill

HOSTILE = "\x1b]0;pwned\x07[bold]x"
SHOWN_HOSTILE = "\\x1b]0;pwned\\x07[bold]x"  # as literal() shows it: escapes, and the brackets as typed
UNRELEASED = ("pressure", "police", "recovery", "notice")  # titles (and so bodies) of injects no team was sent
SCORE_WORDS = ("Overall", "/ 100", "points", "weight", "Findings", "correct", "guide", "best", "scorecard")
POINTS = re.compile(r"[+-]\d+\.\d")  # a finding's points, "+7.0"


@pytest.fixture
def trainer(tmp_path):
    t = Trainer(tmp_path, teams=("Red", HOSTILE))  # the team player's tests' trainer, with a hostile name
    yield t
    t.close()


def observer_services(tmp_path: Path):
    """The observer's terminal: no library of its own, the facilitator's database."""
    return build_services(db=tmp_path / "drills.db", environ={}, builtin=False, cache_dir=tmp_path / "observer-cache")


async def open_observer(pilot, services, drill_id: str) -> ObserverScreen:
    await settle(pilot)
    screen = ObserverScreen(Drill.of(services.resume(drill_id)))
    await pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


def seen_text(app) -> str:
    """Everything the observer's screen shows or holds ready to show: the painted screen, every
    Static's content (tab labels included) scrolled out of view or on a tab not open, titles and
    notices."""
    parts = [painted(app), str(app.title), str(app.sub_title)]
    parts += [str(n.message) + " " + str(n.title or "") for n in app._notifications]
    parts += [str(widget.render()) for widget in app.screen.query(Static)]
    return "\n".join(parts).replace("\xa0", " ")


def assert_no_scores(app) -> None:
    text = seen_text(app)
    for word in SCORE_WORDS:
        assert word not in text, f"{word!r} shown before the debrief was opened"
    assert not POINTS.search(text), POINTS.search(text)


def assert_nothing_unreleased(app) -> None:
    text = seen_text(app)
    for inject in UNRELEASED:
        assert inject not in text, f"{inject!r} shown though no team was sent it"


def state_line(app) -> str:
    return str(app.screen.query_one("#observer-state", Static).render())


def wall(at: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(at))


# The team screen's wait, given two seconds: an observer's rows wait on a poll and a repaint.
until = partial(wait_until, timeout=2.0)


async def to_tab(pilot, tab: str) -> None:
    """Press t until `tab` is the open one (t goes round the tabs)."""
    for _ in range(6):
        if pilot.app.screen.query_one(TabbedContent).active == tab:
            await settle(pilot)
            return
        await pilot.press("t")
        await pilot.pause()
    raise AssertionError(f"t never reached {tab}")


@sync
async def test_the_observer_follows_the_drill_and_sees_no_score_until_the_debrief(trainer, tmp_path):
    ex = trainer.ex
    ex.release("Red")
    ex.release(HOSTILE)
    ex.submit("Red", "detect", ["isolate-and-call"])
    ex.release("Red")  # Red's branch: evidence; the other team has detect in front of it
    app = build_player(observer_services(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_observer(pilot, app.services, trainer.drill.id)
        assert app.sub_title == "observer"
        assert "Running" in state_line(app) and "+15 min" in state_line(app)

        # The timeline: every release and the answer, with its time, team and choice; newest in view.
        text = painted(app)
        assert "Red was sent “detect”" in text and "Red was sent “evidence”" in text
        assert f"{SHOWN_HOSTILE} was sent “detect”" in text, "a hostile name, shown literally"
        red_answer = next(e for e in ex.events if e.type == "response-submitted")
        number = [o.id for o in screen.drill.inject("detect").options].index("isolate-and-call") + 1
        assert f"{wall(red_answer.at)} +0 min  Red answered “detect”: {number}. isolate and call" in text
        seen = seen_text(app)
        assert "\x1b" not in seen and "\x07" not in seen, "no raw control character reaches the screen"
        assert SHOWN_HOSTILE in str(screen.query_one(TabbedContent).get_tab("tab-observer-team-1").render())
        assert "Body of detect." in seen and "Body of evidence." in seen
        assert_nothing_unreleased(app)
        assert_no_scores(app)

        # Each team's tab: its injects as they reached it, the question, the answer or none yet.
        await to_tab(pilot, "tab-observer-team-0")
        text = painted(app)
        assert "Subject:  evidence" in text and "Body of evidence." in text and "Not answered yet." in text
        await to_tab(pilot, "tab-observer-team-1")
        text = painted(app)
        assert "Body of detect." in text and f"To:       {SHOWN_HOSTILE}" in text and "Not answered yet." in text
        assert "evidence" not in text, "only the team's own path on its tab"

        # Another terminal answers (a service of its own on the file): on the timeline within a poll.
        other = build_services(db=trainer.db, environ={}, builtin=False, cache_dir=tmp_path / "other-cache")
        try:
            other.resume(trainer.drill.id).exercise.submit(HOSTILE, "detect", ["wipe-now"])
        finally:
            other.close()
        wipe = [o.id for o in screen.drill.inject("detect").options].index("wipe-now") + 1
        took = await until(pilot, lambda: "Answered at" in painted(app) and f"{wipe}. wipe now" in painted(app))
        assert took < 2.0
        await to_tab(pilot, "tab-observer-timeline")
        assert f"{SHOWN_HOSTILE} answered “detect”: {wipe}. wipe now" in painted(app)
        assert_nothing_unreleased(app)  # its branch now leads to pressure: still not released

        # Pause, resume, a rename: each a row, and the state line says it.
        assert trainer.drill.catch_up() == 1
        ex.pause()
        await until(pilot, lambda: PAUSED in state_line(app))
        assert "Paused by the facilitator" in painted(app)
        ex.resume()
        ex.rename(HOSTILE, "Blue")
        tabs = screen.query_one(TabbedContent)
        await until(pilot, lambda: "Blue" in str(tabs.get_tab("tab-observer-team-1").render()))
        await settle(pilot)
        assert f"Team {SHOWN_HOSTILE} renamed Blue" in painted(app)
        assert "Resumed" in painted(app)

        # Ended: still nothing of a score.
        ex.end()
        await until(pilot, lambda: ENDED in state_line(app))
        await settle(pilot)
        assert "The drill ended" in painted(app)
        assert not screen.query("#tab-observer-scores")
        assert_no_scores(app)
        assert_nothing_unreleased(app)

        # The debrief opened to the players: every team's scorecard, as the facilitator scores it.
        ex.share_debrief()
        await until(pilot, lambda: SHARED in state_line(app))
        cards = trainer.drill.scorecards()
        board = screen.query_one("#observer-scores", Static)
        await until(pilot, lambda: all(f"Overall {cards[t].overall:.1f} / 100" in str(board.render())
                                       for t in ("Red", "Blue")), timeout=3.0)
        await to_tab(pilot, "tab-observer-scores")
        text = painted(app)
        assert "Red's scorecard" in text and f"Overall {cards['Red'].overall:.1f} / 100" in text
        assert "Blue's scorecard" in str(board.render())


@sync
async def test_every_part_is_reached_by_keyboard_at_80x24(trainer, tmp_path):
    ex = trainer.ex
    for inject, answer in (("detect", ["isolate-and-call"]), ("evidence", ["export-logs"]), ("police", ["wait"])):
        ex.release("Red")
        for _ in range(2):  # rows enough for a timeline longer than the screen
            ex.pause()
            ex.resume()
        ex.submit("Red", inject, answer)
    ex.release("Red")  # recovery, the fourth, in front of Red
    app = build_player(observer_services(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_observer(pilot, app.services, trainer.drill.id)

        # The timeline shows its newest row; Home goes back to the first.
        assert "Red was sent “recovery”" in painted(app)
        assert "Drill started" not in painted(app), "the test needs a timeline longer than the screen"
        await pilot.press("home")
        await until(pilot, lambda: "Drill started" in painted(app))

        # Red's tab opens on the inject in front of the team; from the top, arrows reach it again.
        await to_tab(pilot, "tab-observer-team-0")
        assert "Body of recovery." in painted(app) and "Not answered yet." in painted(app)
        await pilot.press("home")
        await until(pilot, lambda: "Body of detect." in painted(app))
        assert "Body of recovery." not in painted(app)
        for _ in range(200):
            if "Body of recovery." in painted(app) and "Not answered yet." in painted(app):
                break
            await pilot.press("down")
            await pilot.pause()
        else:
            raise AssertionError("the arrows never reached the last inject")
        for body in ("Body of evidence.", "Body of police."):
            assert body in seen_text(app)

        # Tab moves the keys to the tab bar, whose arrows go from tab to tab; Tab again, the content.
        await pilot.press("tab")
        await pilot.press("right")
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "tab-observer-team-1"
        assert "Nothing released to this team yet." in painted(app)

        # Scores, once open, scroll to their end too.
        ex.end()
        ex.share_debrief()
        await until(pilot, lambda: bool(app.screen.query("#tab-observer-scores")), timeout=3.0)
        await to_tab(pilot, "tab-observer-scores")
        await until(pilot, lambda: "Overall" in painted(app), timeout=3.0)
        assert "Overall" in painted(app) and "not answered: counted as missed" not in painted(app)
        await pilot.press("tab", "end")  # the keys back to the tab's content (they were on the tab bar)
        await until(pilot, lambda: "not answered: counted as missed" in painted(app))


@pytest.mark.parametrize("size", [(45, 30), (120, 40)])
@sync
async def test_narrow_and_wide_terminals_show_every_part(trainer, tmp_path, size):
    ex = trainer.ex
    ex.release("Red")
    ex.submit("Red", "detect", ["isolate-and-call"])
    ex.release("Red")
    app = build_player(observer_services(tmp_path))
    async with app.run_test(size=size) as pilot:
        await open_observer(pilot, app.services, trainer.drill.id)
        text = painted(app)
        assert "Observer, read-only" in text and "Red was sent “evidence”" in text
        assert "Red answered “detect”" in text
        await to_tab(pilot, "tab-observer-team-0")
        text = painted(app)
        assert "Body of evidence." in text and "Not answered yet." in text
        assert all(len(line.rstrip()) <= size[0] for line in text.splitlines())
        assert_no_scores(app)
        assert_nothing_unreleased(app)
