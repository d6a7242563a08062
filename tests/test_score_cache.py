"""The caches behind scoring a stored drill: keyed by content, never by a name or an object.

A drill's `scenario_hash` is only a hint (tests set dummies like "test" for every scenario), so
two scenarios or playbooks under one hint must each get their own snapshot, key and plan; and
scoring many stored drills of one scenario validates its playbook once.
"""

from __future__ import annotations

import pytest
from _drill_fixtures import as_answers, ei_key, ei_scenario, ei_scenario_data, playbook, stl_scenario

from scenarios import events, scenario_index
from scenarios.content_cache import CACHE_SIZE
from scenarios.events import DrillStarted, event_json, parse_event
from scenarios.guide import answers as guide_answers
from scenarios.model import Playbook, Scenario
from scenarios.scenario_index import snapshot_scenario
from scoring import history
from scoring.score import score
from scoring.store import Store, StoreError

EI = ei_scenario()
EI_KEY = ei_key(EI)
STL = stl_scenario()
STL_KEY = ei_key(STL).__class__(playbook("missouri", "st-louis"), STL.facts)


def _store_drill(store: Store, scenario: Scenario, key, seed: int, *, harmful: bool = False, playbook_json=None):
    picks = guide_answers(scenario, key, harmful=harmful)
    answers = as_answers(scenario, picks)
    drill, ex = store.start(
        scenario, seed=seed, teams=["blue"], scenario_hash="test",
        playbook=playbook_json if playbook_json is not None else key.playbook.model_dump(mode="json"),
    )
    while ex.state.teams["blue"].next is not None:
        released = ex.release("blue")
        ex.submit("blue", released.inject, answers[released.inject])
    ex.end()
    return drill, ex.events


@pytest.fixture
def counted(monkeypatch):
    """How many times a playbook and a scenario are validated."""
    calls = {"playbook": 0, "scenario": 0}
    real_pb, real_sc = Playbook.model_validate, Scenario.model_validate

    def pb(data, *a, **kw):
        calls["playbook"] += 1
        return real_pb(data, *a, **kw)

    def sc(data, *a, **kw):
        calls["scenario"] += 1
        return real_sc(data, *a, **kw)

    monkeypatch.setattr(Playbook, "model_validate", pb)
    monkeypatch.setattr(Scenario, "model_validate", sc)
    return calls


def test_two_scenarios_under_one_dummy_hash_each_score_as_in_memory(tmp_path):
    with Store(tmp_path / "d.db") as store:
        ei_id, ei_events = _store_drill(store, EI, EI_KEY, 1)
        stl_id, stl_events = _store_drill(store, STL, STL_KEY, 2)
        for drill_id, scenario, key, events in ((ei_id, EI, EI_KEY, ei_events), (stl_id, STL, STL_KEY, stl_events),
                                                (ei_id, EI, EI_KEY, ei_events)):
            loaded = history.load(store, drill_id)
            assert loaded.scenario.id == scenario.id
            assert loaded.key.playbook.id == key.playbook.id
            assert loaded.cards == score(scenario, key, events)


def test_a_changed_scenario_under_the_same_hash_gets_its_own_snapshot():
    data = ei_scenario_data()
    other = ei_scenario_data()
    other["title"] = "Another title"
    a = snapshot_scenario(DrillStarted(scenario=data, scenario_hash="test", seed=1, teams=["t"]))
    b = snapshot_scenario(DrillStarted(scenario=other, scenario_hash="test", seed=1, teams=["t"]))
    again = snapshot_scenario(DrillStarted(scenario=ei_scenario_data(), scenario_hash="test", seed=2, teams=["u"]))
    assert (a.title, b.title) == (EI.title, "Another title")
    assert again is a


def test_a_playbook_snapshot_that_differs_gets_its_own_key(tmp_path, counted):
    changed = EI_KEY.playbook.model_dump(mode="json")
    step = next(s for s in changed["steps"] if s["id"] == "isolate")
    step["title"] = "Unplug it"
    with Store(tmp_path / "d.db") as store:
        plain, _ = _store_drill(store, EI, EI_KEY, 1)
        edited, _ = _store_drill(store, EI, EI_KEY, 2, playbook_json=changed)
        plain_again, _ = _store_drill(store, EI, EI_KEY, 3)
        history._KEYS.clear()
        counted.update(playbook=0)
        keys = [history.load(store, d).key for d in (plain, edited, plain_again)]
    assert keys[0] is keys[2] and keys[1] is not keys[0]
    assert keys[0].steps["isolate"].title == EI_KEY.steps["isolate"].title
    assert keys[1].steps["isolate"].title == "Unplug it"
    assert counted["playbook"] == 2


def test_other_facts_get_their_own_key():
    pb = EI_KEY.playbook.model_dump(mode="json")
    data = ei_scenario_data()
    data["facts"]["criminal_activity_suspected"] = False
    other = Scenario.model_validate(data)
    started = DrillStarted(scenario=data, scenario_hash="test", playbook=pb, seed=1, teams=["t"])
    a = history.drill_key("x", started, EI)
    b = history.drill_key("x", started, other)
    assert a is not b and a.facts == EI.facts and b.facts == other.facts
    assert history.drill_key("x", started, EI) is a


def test_scoring_many_stored_drills_validates_each_playbook_and_scenario_once(tmp_path, counted):
    with Store(tmp_path / "d.db") as store:
        ids = [_store_drill(store, s, k, n, harmful=n % 3 == 0)[0]
               for n in range(12) for s, k in ((EI, EI_KEY), (STL, STL_KEY))]
        scenario_index._SNAPSHOTS.clear()
        events._SNAPSHOT_TEXTS.clear()
        history._KEYS.clear()
        counted.update(playbook=0, scenario=0)
        loaded = [history.load(store, d) for d in ids]
    assert counted == {"playbook": 2, "scenario": 2}
    assert len({id(d.key) for d in loaded}) == 2 and len({id(d.scenario) for d in loaded}) == 2
    assert all(d.cards["blue"].overall == score(d.scenario, d.key, d.events)["blue"].overall for d in loaded)


def test_the_caches_are_bounded():
    for n in range(CACHE_SIZE + 10):
        data = ei_scenario_data()
        data["title"] = f"Title {n}"
        assert snapshot_scenario(
            DrillStarted(scenario=data, scenario_hash="test", seed=1, teams=["t"])
        ).title == f"Title {n}"
    assert len(scenario_index._SNAPSHOTS) == CACHE_SIZE
    assert len(events._SNAPSHOT_TEXTS) <= 2 * CACHE_SIZE


def test_a_drill_started_read_through_the_text_cache_equals_a_full_decode():
    started = DrillStarted(at=12.5, scenario=ei_scenario_data(), scenario_hash='we"ird\\',
                           playbook=EI_KEY.playbook.model_dump(mode="json"),
                           seed=3, teams=["Blue", '"scenario_hash":"x"'], timed=True)
    text = event_json(started)
    first, second = parse_event(text), parse_event(text)  # the second is served from the cache
    assert first == second == started
    other = started.model_copy(update={"seed": 9, "teams": ["Red"], "playbook": None})
    assert parse_event(event_json(other)) == other
    assert parse_event(event_json(other)) == other


def test_load_reads_the_row_and_events_once_by_prefix_and_says_what_is_missing(tmp_path):
    with Store(tmp_path / "d.db") as store:
        drill, events = _store_drill(store, EI, EI_KEY, 1)
        loaded = history.load(store, drill[:8])
        assert loaded.row.id == drill and loaded.events == events
        with pytest.raises(StoreError, match="no drill"):
            history.load(store, "zzzz")
