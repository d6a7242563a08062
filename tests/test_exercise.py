"""The exercise engine: branches, validation, pauses and the fold over events."""

from __future__ import annotations

import pytest
from _drill_fixtures import GUIDE_TEXT, ei_scenario, play

from scenarios.drillstate import state
from scenarios.errors import ExerciseError
from scenarios.events import InjectReleased, ResponseSubmitted, event_json, parse_event
from scenarios.exercise import Exercise


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def scenario():
    return ei_scenario()


def start(scenario, teams=("blue",), **kw):
    return Exercise.start(scenario, seed=1, teams=list(teams), scenario_hash="h", **kw)


def test_each_team_follows_its_own_branch(scenario):
    ex = start(scenario, teams=("blue", "red"))
    assert ex.release("blue").inject == "detect"
    assert ex.release("red").inject == "detect"
    ex.submit("blue", "detect", "isolate-and-call")
    ex.submit("red", "detect", "wipe-now")
    assert ex.state.teams["blue"].next == "evidence"
    assert ex.state.teams["red"].next == "pressure"  # the option's `next` wins over the inject's
    assert ex.release("red").inject == "pressure"
    assert ex.inject_for("red").id == "pressure"
    assert ex.inject_for("blue").id == "detect"


def test_state_is_a_fold_over_the_events(scenario):
    ex = start(scenario, teams=("blue", "red"))
    ex.release("blue")
    ex.submit("blue", "detect", ["isolate-and-call"])
    ex.release("blue")
    folded = state(ex.events)
    assert folded.teams["blue"].path == ["detect", "evidence"]
    assert folded.teams["blue"].answers["detect"].answer == ["isolate-and-call"]
    assert folded.teams["red"].path == []
    assert folded.teams["red"].next == "detect"
    assert folded.clock == 15  # the scenario clock: the latest released inject's `at`
    assert folded.status == "running"
    assert folded.scenario == scenario  # rebuilt from the snapshot in drill-started


def test_a_drill_runs_to_the_end_of_each_branch(scenario):
    events = play(scenario, {"detect": "isolate-and-call"})
    final = state(events)
    team = final.teams["blue"]
    assert team.path == ["detect", "evidence", "police", "recovery", "notice"]
    assert set(team.answers) == {"detect"}  # the rest were released and left unanswered
    assert team.next is None and final.status == "ended"


@pytest.mark.parametrize(
    ("inject", "answer", "message"),
    [
        ("detect", ["isolate-and-call", "wipe-now"], "inject 'detect' takes exactly one option id, got 2"),
        (
            "detect", "reboot",
            "inject 'detect': unknown option 'reboot' (options: isolate-and-call, keep-running, wipe-now)",
        ),
        ("detect", 3, "inject 'detect' takes option ids, not int"),
    ],
)
def test_single_answers_are_checked_and_the_error_names_the_inject(scenario, inject, answer, message):
    ex = start(scenario)
    ex.release("blue")
    with pytest.raises(ExerciseError) as err:
        ex.submit("blue", inject, answer)
    assert str(err.value) == message
    assert len(ex.events) == 2 and ex.state.teams["blue"].answers == {}


def test_multi_order_and_free_answers_are_checked(scenario):
    ex = start(scenario)
    ex.release("blue")
    ex.submit("blue", "detect", "isolate-and-call")
    ex.release("blue")
    with pytest.raises(ExerciseError, match="inject 'evidence': option 'timeline' is given twice"):
        ex.submit("blue", "evidence", ["timeline", "timeline"])
    with pytest.raises(ExerciseError, match="inject 'evidence': unknown option 'shred'"):
        ex.submit("blue", "evidence", ["timeline", "shred"])
    ex.submit("blue", "evidence", [])  # choosing none of a multi's options is an answer
    ex.release("blue")
    ex.submit("blue", "police", "wait")
    ex.release("blue")
    with pytest.raises(ExerciseError, match="inject 'recovery' asks for an order of all its options; missing: restore"):
        ex.submit("blue", "recovery", ["image", "verify"])
    ex.submit("blue", "recovery", ["restore", "verify", "image"])
    ex.release("blue")
    with pytest.raises(ExerciseError, match="inject 'notice' is a free-text question"):
        ex.submit("blue", "notice", ["tell-ag"])
    with pytest.raises(ExerciseError, match="inject 'notice': the answer is empty"):
        ex.submit("blue", "notice", "   ")
    ex.submit("blue", "notice", GUIDE_TEXT)
    assert ex.state.teams["blue"].finished


def test_commands_out_of_turn_are_refused(scenario):
    ex = start(scenario)
    with pytest.raises(ExerciseError, match="inject 'detect' is not in front of team 'blue' \\(it has nothing yet\\)"):
        ex.submit("blue", "detect", "wipe-now")
    with pytest.raises(ExerciseError, match="team 'blue' is due inject 'detect', not 'notice'"):
        ex.release("blue", "notice")
    with pytest.raises(ExerciseError, match="unknown team 'green' \\(teams: blue\\)"):
        ex.release("green")
    ex.release("blue")
    ex.submit("blue", "detect", "wipe-now")
    with pytest.raises(ExerciseError, match="team 'blue' has already answered inject 'detect'"):
        ex.submit("blue", "detect", "isolate-and-call")


def test_pause_resume_and_end(scenario):
    ex = start(scenario)
    ex.release("blue")
    ex.pause()
    with pytest.raises(ExerciseError, match="the drill is paused: resume it first"):
        ex.submit("blue", "detect", "wipe-now")
    with pytest.raises(ExerciseError, match="already paused"):
        ex.pause()
    ex.resume()
    ex.submit("blue", "detect", "wipe-now")
    ex.end()
    assert ex.state.status == "ended"
    with pytest.raises(ExerciseError, match="the drill has ended"):
        ex.release("blue")


def test_timed_drill_records_decision_time_without_pauses(scenario):
    clock = FakeClock()
    ex = start(scenario, timed=True, clock=clock)
    clock.now += 5
    ex.release("blue")
    clock.now += 30
    ex.pause()
    clock.now += 600  # a long coffee break does not count against the team
    ex.resume()
    clock.now += 10
    submitted = ex.submit("blue", "detect", "isolate-and-call")
    assert submitted.seconds == 40
    assert state(ex.events).teams["blue"].answers["detect"].seconds == 40


def test_given_seconds_are_kept(scenario):
    ex = start(scenario, timed=True)
    ex.release("blue")
    assert ex.submit("blue", "detect", "wipe-now", seconds=12.5).seconds == 12.5


def test_free_answers_match_keywords_as_whole_words_and_marks_replace_them(scenario):
    ex = start(scenario)
    for inject, answer in [
        ("detect", "isolate-and-call"), ("evidence", []), ("police", "wait"),
        ("recovery", ["image", "verify", "restore"]),
    ]:
        ex.release("blue")
        ex.submit("blue", inject, answer)
    ex.release("blue")
    ex.submit("blue", "notice", "Call the ATTORNEY\nGENERAL; the press-release-ish plan waits. No letterses.")
    answer = ex.state.teams["blue"].answers["notice"]
    assert answer.credited == ("tell-ag",) and answer.method == "keywords"
    ex.end()
    ex.mark("blue", "notice", ["tell-ag", "tell-residents"])  # marks may come in the hot wash
    answer = state(ex.events).teams["blue"].answers["notice"]
    assert answer.credited == ("tell-ag", "tell-residents") and answer.method == "facilitator"
    with pytest.raises(ExerciseError, match="inject 'detect' is single, not free text"):
        ex.mark("blue", "detect", [])
    with pytest.raises(ExerciseError, match="inject 'notice': unknown option 'nope'"):
        ex.mark("blue", "notice", ["nope"])


def test_a_failed_record_leaves_the_state_unchanged(scenario):
    def refuse(event):
        if event.type == "response-submitted":
            raise OSError("disk full")

    ex = start(scenario, record=refuse)
    ex.release("blue")
    with pytest.raises(OSError):
        ex.submit("blue", "detect", "wipe-now")
    assert ex.state.teams["blue"].awaiting and len(ex.events) == 2


def test_the_fold_skips_an_answer_that_lost_a_race(scenario):
    # Two terminals answered the same inject for one team: the first in the log counts.
    ex = start(scenario)
    ex.release("blue")
    events = ex.events + [
        ResponseSubmitted(team="blue", inject="detect", answer=["isolate-and-call"]),
        ResponseSubmitted(team="blue", inject="detect", answer=["wipe-now"]),
        InjectReleased(team="blue", inject="pressure"),
    ]
    folded = state(events)
    assert folded.teams["blue"].answers["detect"].answer == ["isolate-and-call"]
    assert folded.teams["blue"].path == ["detect"]
    assert [pos for pos, _ in folded.skipped] == [3, 4]
    assert "already answered inject 'detect'" in folded.skipped[0][1]
    assert state(events).skipped == folded.skipped  # and the same every time


def test_events_round_trip_through_json(scenario):
    for event in play(scenario, {"detect": "wipe-now", "notice": GUIDE_TEXT}):
        assert parse_event(event_json(event)) == event


def test_a_drill_must_begin_with_drill_started(scenario):
    with pytest.raises(ExerciseError, match="must begin with drill-started"):
        state([InjectReleased(team="blue", inject="detect")])


def test_team_names_must_be_unique(scenario):
    with pytest.raises(ExerciseError, match="team 'blue' is named twice"):
        start(scenario, teams=("blue", "blue"))
