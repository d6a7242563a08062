"""The judgments a scorecard carries: one per inject on the path, from the scorer's own verdicts."""

from __future__ import annotations

from _drill_fixtures import ei_key, ei_scenario, ei_scenario_data, inject, option, play

from scenarios.exercise import Exercise
from scenarios.model import Scenario
from scoring.score import score, score_team


def _late_scenario() -> Scenario:
    data = ei_scenario_data() | {"id": "test-judgment", "start": "first"}
    data["injects"] = [
        inject("first", "single", [
            option("isolate", steps=["isolate"]),
            option("call", steps=["isolate"], notifies=["city-it"]),
            option("logs", steps=["preserve-logs"]),
        ], next="second"),
        inject("second", "multi", [
            option("call", notifies=["city-it"]),
            option("code", notifies=["code-enforcement"]),
        ], at=30),
    ]
    return Scenario.model_validate(data)


def test_a_contact_reached_late_is_late_where_reached_and_missed_where_first_asked():
    scenario = _late_scenario()
    key = ei_key(scenario)
    card = score(scenario, key, play(scenario, {"first": ["isolate"], "second": ["call", "code"]}))["blue"]
    first, second = card.judgments["first"], card.judgments["second"]
    assert list(card.judgments) == list(card.path) == ["first", "second"]
    assert [s.step for s in first.honoured] == ["isolate"] and first.matches_guide is False
    assert [(c.contact, c.status, c.inject, c.first) for c in first.missed_contacts] == [
        ("city-it", "late", "second", "first"),
    ]
    assert [c.contact for c in second.late] == ["city-it"] and not second.reached
    assert [c.contact for c in second.needless] == ["code-enforcement"]
    # Its points are the findings at the inject, and together they are every finding placed at one.
    assert second.findings == tuple(f for f in card.findings if f.inject == "second")
    assert second.gained == round(sum(f.points for f in second.findings if f.points > 0), 2)
    assert second.lost == round(sum(f.points for f in second.findings if f.points < 0), 2) < 0
    data = second.to_dict()
    assert data["late"] == ["city-it"] and data["needless"] == ["code-enforcement"] and data["matches_guide"] is False


def test_a_step_done_where_the_path_never_asks_it_is_unasked_and_earns_nothing():
    scenario = _late_scenario()
    key = ei_key(scenario)
    card = score(scenario, key, play(scenario, {"first": ["logs"], "second": ["call"]}))["blue"]
    first = card.judgments["first"]
    assert not first.honoured and [s.step for s in first.unasked_steps] == ["preserve-logs"]
    assert not any(f.subject == "preserve-logs" for f in card.findings)
    assert [s.step for s in first.missed_steps] == ["isolate"]


def test_judgments_do_not_change_the_scorecard_and_keep_to_the_events_scored():
    scenario = ei_scenario()
    key = ei_key(scenario)
    ex = Exercise.start(scenario, seed=1, teams=["blue"], scenario_hash="test")
    ex.submit("blue", ex.release("blue").inject, ["keep-running"])
    now = score_team(scenario, key, ex.state, "blue")
    before = now.to_dict()
    ex.submit("blue", ex.release("blue").inject, ["export-logs"])  # the live state moves on
    judged = now.judgments  # built only now, from what was scored
    assert list(judged) == list(now.path) and judged["evidence"].answered is False
    assert [h.harm for h in judged["detect"].broken] == ["leave-connected"] and judged["detect"].matches_guide is False
    assert now.to_dict() == before and "judgments" not in before
    assert now == score(scenario, key, ex.events[:-1])["blue"]  # judgments are derived: not compared
