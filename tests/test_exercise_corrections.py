"""Corrections, archiving and the scoreboard's visibility are events: the log keeps what was
first recorded, the fold applies each correction at its place, and the score follows."""

from __future__ import annotations

import pytest
from _drill_fixtures import ei_key, ei_scenario

from scenarios.drillstate import state
from scenarios.errors import ExerciseError
from scenarios.events import parse_event
from scenarios.exercise import Exercise
from scoring.score import score

SCENARIO = ei_scenario()
KEY = ei_key(SCENARIO)


def started(teams=("blue",)) -> Exercise:
    ex = Exercise.start(SCENARIO, seed=1, teams=list(teams), scenario_hash="h")
    return ex


def answer_police(ex: Exercise, team: str, police: str) -> None:
    for inject, answer in (("detect", "isolate-and-call"), ("evidence", ["export-logs"]), ("police", police)):
        ex.release(team)
        ex.submit(team, inject, answer)


def test_a_corrected_answer_is_scored_and_the_first_one_stays_in_the_log():
    ex = started()
    answer_police(ex, "blue", "wait")
    wrong = score(SCENARIO, KEY, ex.events)["blue"].overall
    ex.correct("blue", "police", "call-police", reason="keyed the wrong line")
    assert ex.state.teams["blue"].answers["police"].answer == ["call-police"]
    assert score(SCENARIO, KEY, ex.events)["blue"].overall > wrong
    assert [e.answer for e in ex.events if e.type == "response-submitted" and e.inject == "police"] == [["wait"]]
    (fix,) = ex.state.corrections
    assert (fix.kind, fix.team, fix.inject, fix.before, fix.after, fix.reason) == (
        "answer-corrected", "blue", "police", ["wait"], ["call-police"], "keyed the wrong line")
    # The fold from the stored JSON gives the same state.
    again = state([parse_event(e.model_dump_json()) for e in ex.events])
    assert again.teams["blue"].answers["police"].answer == ["call-police"]
    assert again.corrections == ex.state.corrections


def test_a_correction_after_the_end_keeps_the_path_as_played():
    ex = started()
    ex.release("blue")
    ex.submit("blue", "detect", "wipe-now")  # leads to "pressure"
    ex.release("blue")
    ex.end()
    ex.correct("blue", "detect", "isolate-and-call")  # would have led to "evidence"
    team = ex.state.teams["blue"]
    assert team.path == ["detect", "pressure"]
    assert team.answers["detect"].answer == ["isolate-and-call"]
    assert ex.state.skipped == []


def test_corrections_are_checked_like_answers():
    ex = started()
    ex.release("blue")
    with pytest.raises(ExerciseError, match="has not answered inject 'detect'"):
        ex.correct("blue", "detect", "wipe-now")
    ex.submit("blue", "detect", "wipe-now")
    with pytest.raises(ExerciseError, match="unknown option 'nope'"):
        ex.correct("blue", "detect", "nope")
    with pytest.raises(ExerciseError, match="unknown team 'green'"):
        ex.correct("green", "detect", "wipe-now")
    with pytest.raises(ExerciseError, match="unknown inject 'later'"):
        ex.correct("blue", "later", "x")
    assert ex.state.corrections == []


def test_a_rename_carries_the_team_its_answers_and_its_score():
    ex = started(("blue", "red"))
    answer_police(ex, "blue", "call-police")
    before = score(SCENARIO, KEY, ex.events)["blue"].overall
    ex.rename("blue", "  Blue Watch ")
    assert list(ex.state.teams) == ["Blue Watch", "red"]
    ex.release("Blue Watch")  # later commands use the new name
    cards = score(SCENARIO, KEY, ex.events)
    assert set(cards) == {"Blue Watch", "red"} and cards["Blue Watch"].overall == before
    with pytest.raises(ExerciseError, match="there is already a team 'red'"):
        ex.rename("Blue Watch", "RED")
    with pytest.raises(ExerciseError, match="a team needs a name"):
        ex.rename("red", "  ")
    assert [c.after for c in ex.state.corrections] == ["Blue Watch"]


def test_archive_and_restore_are_recorded_once_each():
    ex = started()
    ex.end()
    ex.archive("a test run")
    assert ex.state.archived
    with pytest.raises(ExerciseError, match="already archived"):
        ex.archive()
    ex.restore()
    assert not ex.state.archived
    with pytest.raises(ExerciseError, match="not archived"):
        ex.restore()
    assert [(c.kind, c.reason) for c in ex.state.corrections] == [("archived", "a test run"), ("restored", "")]


def test_the_hidden_scoreboard_is_part_of_the_drill():
    ex = started()
    assert not ex.state.scoreboard_hidden
    ex.set_scoreboard(True)
    ex.pause()
    ex.set_scoreboard(True)  # allowed while paused and after the end: it changes no score
    assert state(ex.events).scoreboard_hidden
    ex.end()
    ex.set_scoreboard(False)
    assert not state(ex.events).scoreboard_hidden
