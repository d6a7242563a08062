"""Several terminals on one drill: each catches up with the events the others recorded
(`Exercise.sync`) and ends with the state a fresh fold of the whole log gives; the debrief is
opened to players by one event."""

from __future__ import annotations

import pytest
from _drill_fixtures import ei_scenario

from scenarios.drillstate import state
from scenarios.errors import ExerciseError
from scenarios.exercise import Exercise

SCENARIO = ei_scenario()


def _log():
    """A shared log, as the store keeps it: every terminal's events in one order."""
    log = []
    console = Exercise.start(SCENARIO, seed=1, teams=["blue", "red"], scenario_hash="h", record=log.append)
    return log, console


def _terminal(log):
    return Exercise(list(log), SCENARIO, record=log.append)


def test_a_terminal_catches_up_with_the_console_and_another_team():
    log, console = _log()
    blue = _terminal(log)
    console.release("blue")
    console.release("red")
    blue.sync(log[len(blue.events):])
    assert blue.state.teams["blue"].current == "detect"
    blue.submit("blue", "detect", "isolate-and-call")
    console.sync(log[len(console.events):])
    assert console.state.teams["blue"].answers["detect"].answer == ["isolate-and-call"]
    console.submit("red", "detect", "wipe-now")
    blue.sync(log[len(blue.events):])
    fresh = state(log)
    for terminal in (console, blue):
        assert terminal.events == log
        for name in ("blue", "red"):
            assert terminal.state.teams[name].answers == fresh.teams[name].answers
            assert terminal.state.teams[name].next == fresh.teams[name].next


def test_an_answer_that_lost_the_race_is_skipped_as_the_fold_skips_it():
    log, console = _log()
    console.release("blue")
    a, b = _terminal(log), _terminal(log)
    a.submit("blue", "detect", "isolate-and-call")
    b.submit("blue", "detect", "wipe-now")  # b had not seen a's answer: both are in the log
    a.sync(log[len(a.events):])
    assert a.state.teams["blue"].answers["detect"].answer == ["isolate-and-call"]
    assert a.state.skipped == state(log).skipped
    assert "already answered" in a.state.skipped[0][1]


def test_the_debrief_is_shared_once_and_stays_shared():
    log, console = _log()
    assert not console.state.debrief_shared
    console.end()
    console.share_debrief()
    assert state(log).debrief_shared
    with pytest.raises(ExerciseError, match="already open"):
        console.share_debrief()
