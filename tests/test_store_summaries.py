"""Each team's scorecard summary is saved with the event that ends the drill (and with every
later correction), in the same transaction; archived drills leave the statistics; a delete
removes a drill whole. On both backends (the `db` fixture): a new SQLite file or PostgreSQL
database each time."""

from __future__ import annotations

import json

import pytest
import yaml
from _drill_fixtures import as_answers, ei_key, ei_scenario, ei_scenario_data
from _review_store import is_postgres, raw_sql
from helpers import run_cli

from scenarios.guide import answers as guide_answers
from scoring import history
from scoring.score import score
from scoring.store import StoreError

SCENARIO = ei_scenario()
KEY = ei_key(SCENARIO)
GUIDE = as_answers(SCENARIO, guide_answers(SCENARIO, KEY))


def played(store, teams=("blue", "red")):
    drill, ex = store.start(SCENARIO, seed=5, teams=list(teams), scenario_hash="test",
                            playbook=KEY.playbook.model_dump(mode="json"))
    for team in teams:
        while ex.state.teams[team].next is not None:
            inject = ex.release(team).inject
            answer = GUIDE[inject] if team == "blue" or inject != "police" else "wait"
            ex.submit(team, inject, answer)
    return drill, ex


def cached(db, drill):
    rows = dict(raw_sql(db, "SELECT team, overall FROM summaries WHERE drill=?", (drill,)))
    (upto, by, events), = raw_sql(db, "SELECT scored_upto, scored_by, events FROM drills WHERE id=?", (drill,))
    return rows, upto, by, events


def test_ending_a_drill_saves_every_teams_summary(db, open_db):
    with open_db(db) as store:
        drill, ex = played(store)
        assert cached(db, drill)[0] == {}, "nothing is cached while the drill runs"
        ex.end()
    rows, upto, by, events = cached(db, drill)
    cards = score(SCENARIO, KEY, ex.events)
    assert rows == {team: card.overall for team, card in cards.items()}
    assert rows["blue"] > rows["red"]
    assert (upto, by) == (events - 1, history.SCORER_VERSION)
    with open_db(db) as store:
        assert history.stale(store) == []


def test_the_summary_and_the_end_are_one_transaction(db, open_db):
    with open_db(db) as store:
        drill, ex = played(store)
    if is_postgres(db):
        raw_sql(db, "CREATE FUNCTION no_summaries() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'disk says no'; END $$")
        raw_sql(db, "CREATE TRIGGER no_summaries BEFORE INSERT ON summaries "
                    "FOR EACH ROW EXECUTE FUNCTION no_summaries()")
    else:
        raw_sql(db, "CREATE TRIGGER no_summaries BEFORE INSERT ON summaries "
                    "BEGIN SELECT RAISE(ABORT, 'disk says no'); END")
    with open_db(db) as store:
        ex = store.resume(drill)
        with pytest.raises(StoreError, match="disk says no"):
            ex.end()
        assert store.drill(drill).status == "in-progress"
        assert [e.type for e in store.events(drill)][-1] == "response-submitted"
    assert ex.state.status == "running", "the screen is never ahead of the store"


def test_a_correction_after_the_end_saves_the_new_score(db, open_db):
    with open_db(db) as store:
        drill, ex = played(store)
        ex.end()
        before = cached(db, drill)[0]["red"]
        ex.correct("red", "police", "call-police", reason="read the sheet wrong")
    rows, upto, _, events = cached(db, drill)
    assert rows["red"] > before and upto == events - 1


def test_a_rename_reaches_the_drill_row_and_its_summaries(db, open_db):
    with open_db(db) as store:
        drill, ex = played(store)
        ex.end()
        ex.rename("red", "Red Watch")
        assert store.drill(drill).teams == ["blue", "Red Watch"]
        assert {r.team for r in history.results(store)} == {"blue", "Red Watch"}


def test_an_archived_drill_leaves_every_statistic_and_stays_on_disk(db, open_db):
    with open_db(db) as store:
        kept, ex = played(store)
        ex.end()
        test_run, ex2 = played(store, teams=("blue",))
        ex2.end()
        assert history.count(store) == (2, 3)
        ex2.archive("a trial run")
        assert history.count(store) == (1, 2)
        assert {r.drill_id for r in history.results(store)} == {kept}
        assert sum(m.count for m in history.most_missed(store)) == sum(
            m.count for m in history.most_missed(store, history.Filters(scenario=SCENARIO.id)))
        assert store.drill(test_run).archived and len(store.events(test_run)) > 1
        ex2.restore()
        assert history.count(store) == (2, 3)


def test_delete_removes_the_drill_and_all_it_left(db, open_db):
    with open_db(db) as store:
        drill, ex = played(store)
        ex.end()
        other, ex2 = played(store, teams=("blue",))
        store.issue_codes(drill, {0: "a" * 64, 1: "b" * 64}, "2026-11-01T00:00:00+00:00")
        store.take_seat(drill, "tty1", 0, "watching", 1.0)
        assert store.has_codes(drill) and [s.terminal for s in store.seats(drill)] == ["tty1"]
        assert raw_sql(db, "SELECT COUNT(*) FROM exports WHERE drill=?", (drill,))[0][0] > 0
        store.delete(drill)
        with pytest.raises(StoreError, match=f"no drill '{drill}'"):
            store.delete(drill)
        assert [r.id for r in store.drills()] == [other]
    for table in ("events", "summaries", "misses", "exports", "join_codes", "seats"):
        assert raw_sql(db, f"SELECT COUNT(*) FROM {table} WHERE drill=?", (drill,)) == [(0,)]


def test_play_leaves_its_scorecard_saved(db, tmp_path):
    scenario = tmp_path / "records.yaml"
    scenario.write_text(yaml.safe_dump(ei_scenario_data(), sort_keys=False))
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(GUIDE))
    result = run_cli("play", str(scenario), "--answers", str(answers), "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    rows, upto, by, events = cached(db, card["drill_id"])
    assert rows == {"team-1": card["overall"]} and upto == events - 1 and by == history.SCORER_VERSION


def _drill(store, answers: dict[str, dict], scenario=SCENARIO, key=KEY, timed=False, seconds=None):
    """A drill of `scenario` played by each team with its own answers, ended."""
    drill, ex = store.start(scenario, seed=5, teams=list(answers), scenario_hash="test", timed=timed,
                            playbook=key.playbook.model_dump(mode="json"))
    for team, picks in answers.items():
        while ex.state.teams[team].next is not None:
            inject = ex.release(team).inject
            ex.submit(team, inject, picks[inject] if inject in picks else GUIDE[inject], seconds=seconds)
    ex.end()
    return drill


def test_a_step_is_counted_where_it_came_up_only(db, open_db):
    """Blue reaches the evidence inject and leaves the logs; red wipes at once, and its branch
    never asks for the logs; a drill of another scenario asks other things. The logs were missed
    in 1 of the 1 team-drills where they came up, not 1 of 3."""
    from _drill_fixtures import stl_key, stl_scenario

    no_logs = [oid for oid in GUIDE["evidence"] if oid != "export-logs"]
    with open_db(db) as store:
        _drill(store, {"blue": {"evidence": no_logs}, "red": {"detect": "wipe-now"}})
        stl = stl_scenario()
        _drill(store, {"blue": {"first-call": "call-it", "follow-up": ["tell-it", "isolate"]}}, stl, stl_key(stl))
        for filters in (history.Filters(), history.Filters(scenario=SCENARIO.id), history.Filters(team="blue")):
            logs = [m for m in history.most_missed(store, filters, limit=100) if m.miss.subject == "preserve-logs"]
            assert [(m.count, m.of) for m in logs] == [(1, 1)], filters
        red = [m for m in history.most_missed(store, history.Filters(team="red"), limit=100)]
        assert "preserve-logs" not in {m.miss.subject for m in red}
        isolate = [m for m in history.most_missed(store, limit=100) if m.miss.subject == "isolate"]
        assert [(m.count, m.of) for m in isolate] == [(1, 2)]  # red, of blue and red; in St. Louis it was done
    outcomes = raw_sql(db, "SELECT team, how FROM misses WHERE subject = 'preserve-logs'")
    assert outcomes == [("blue", "missed")]


def test_summaries_of_the_previous_scorer_are_rebuilt_with_every_outcome(db, open_db):
    """A store cached by scorer 2 kept misses only: its drills are stale under this scorer,
    and their rebuild keeps the steps done too (Most missed's denominators)."""
    with open_db(db) as store:
        drill = _drill(store, {"blue": {}, "red": {"police": "wait"}})
    done = raw_sql(db, "SELECT COUNT(*) FROM misses WHERE drill = ? AND how = 'done'", (drill,))[0][0]
    assert done > 0
    raw_sql(db, "DELETE FROM misses WHERE how = 'done'")
    raw_sql(db, "UPDATE drills SET scored_by = '2'")
    with open_db(db) as store:
        assert history.stale(store) == [drill]
        assert history.rebuild(store, history.stale(store)) == 1
        assert history.stale(store) == []
        police = [m for m in history.most_missed(store, limit=100) if m.miss.subject == "police"]
        assert [(m.count, m.of) for m in police] == [(1, 2)]
    assert raw_sql(db, "SELECT COUNT(*) FROM misses WHERE how = 'done'")[0][0] == done


def test_timeliness_is_averaged_over_timed_drills_only(db, open_db):
    with open_db(db) as store:
        _drill(store, {"blue": {}}, timed=True, seconds=10_000)  # far over every limit: no credit
        _drill(store, {"red": {}})
        latest = {r.team: r for r in history.compare(store, history.Filters(), SCENARIO.id)}
    assert "timeliness" not in latest["red"].dimensions, "an untimed drill has no timeliness, not a 0"
    assert latest["blue"].dimensions["timeliness"] == 0.0
    overall, dims = history.means(list(latest.values()))
    assert dims["timeliness"] == 0.0 and dims["steps"] == 100.0
    assert overall == round((latest["blue"].overall + latest["red"].overall) / 2, 1)
