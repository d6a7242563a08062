"""The scenario clock of a timed drill, in the engine, on a real SQLite file: each inject goes
out at its `at` along each team's branch, waits for the answer to the one before (then goes out
at once), stops while paused, waits while held (n still releases), and is never released twice,
by two terminals at once or by a terminal resumed after a restart, in one process or two."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from test_app_support import FakeClock

from scenarios.clock import due_teams, next_up
from scenarios.drillstate import state
from scenarios.errors import ExerciseError
from scenarios.events import ClockHeld, parse_event
from scenarios.loader import load_text
from scoring.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent


def quick_scenario():
    """minimal.yaml with its injects at 0, 1 and 2 minutes: 'found' (option a leads to 'lock',
    option b to 'cover-up'), 'cover-up' at +1, 'lock' at +2."""
    text = (FIXTURES / "minimal.yaml").read_text().replace("at: 10", "at: 1").replace("at: 20", "at: 2")
    loaded = load_text("quick.yaml", text)
    assert loaded.scenario is not None, loaded.problems
    return loaded.scenario


def start(tmp_path: Path, clock: FakeClock, teams=("Red", "Blue"), timed=True, mode="facilitated"):
    store = Store(tmp_path / "d.db")
    drill, exercise = store.start(quick_scenario(), seed=1, teams=list(teams), scenario_hash="h", timed=timed,
                                  mode=mode, clock=clock)
    return store, drill, store.resume(drill, clock=clock)  # resumed: it catches up with other terminals


def releases(store: Store, drill: str) -> list[tuple[str, str]]:
    return [(e.team, e.inject) for e in store.events(drill) if e.type == "inject-released"]


def test_a_timed_drill_releases_each_inject_on_time_along_each_teams_branch(tmp_path):
    clock = FakeClock()
    store, drill, ex = start(tmp_path, clock)
    assert [(e.team, e.inject) for e in ex.run_clock()] == [("Red", "found"), ("Blue", "found")]  # at 0
    ex.submit("Red", "found", ["a"])  # leads to 'lock', at +2
    ex.submit("Blue", "found", ["b"])  # leads to 'cover-up', at +1
    clock.advance(59)
    assert ex.run_clock() == []
    assert next_up(ex.state, "Blue", clock()).wait == "in"
    assert round(next_up(ex.state, "Blue", clock()).seconds) == 1
    clock.advance(1)
    assert [(e.team, e.inject) for e in ex.run_clock()] == [("Blue", "cover-up")]
    clock.advance(59)
    assert ex.run_clock() == []
    clock.advance(1)
    assert [(e.team, e.inject) for e in ex.run_clock()] == [("Red", "lock")]
    assert releases(store, drill) == [("Red", "found"), ("Blue", "found"), ("Blue", "cover-up"), ("Red", "lock")]
    stored = [e.at - store.events(drill)[0].at for e in store.events(drill) if e.type == "inject-released"]
    assert stored == [0, 0, 60, 120]  # stamped when released: decision time counts from there


def test_an_inject_due_while_the_team_answers_waits_for_the_answer_then_goes_out_at_once(tmp_path):
    clock = FakeClock()
    store, drill, ex = start(tmp_path, clock, teams=["Red"])
    ex.run_clock()
    clock.advance(200)  # 'lock' (+2) is due; Red is still on 'found'
    assert ex.run_clock() == []
    up = next_up(ex.state, "Red", clock())
    assert (up.inject, up.wait, round(up.seconds)) == ("lock", "behind", -80)
    clock.advance(5)
    ex.submit("Red", "found", ["a"])
    assert [(e.team, e.inject) for e in ex.run_clock()] == [("Red", "lock")]  # at once, on the answer
    assert ex.state.teams["Red"].current == "lock"
    assert releases(store, drill) == [("Red", "found"), ("Red", "lock")]


def test_pause_stops_the_clock_and_a_held_clock_releases_nothing_but_n_still_does(tmp_path):
    clock = FakeClock()
    store, drill, ex = start(tmp_path, clock)
    ex.run_clock()
    ex.submit("Red", "found", ["b"])  # next: 'cover-up' at +1
    ex.submit("Blue", "found", ["b"])
    clock.advance(30)
    ex.pause()
    clock.advance(600)  # ten paused minutes are not drill time
    assert ex.run_clock() == [] and due_teams(ex.state, clock()) == []
    assert next_up(ex.state, "Red", clock()).wait == "paused"
    ex.resume()
    assert round(next_up(ex.state, "Red", clock()).seconds) == 30
    ex.hold_clock()
    clock.advance(45)  # 'cover-up' is due, but the clock is held
    assert ex.run_clock() == []
    assert next_up(ex.state, "Red", clock()).wait == "held"
    assert ex.release_ready("Red").inject == "cover-up"  # n, by hand
    # A terminal that opens the drill now holds the clock too: it is an event of the drill.
    again = store.resume(drill, clock=clock)
    assert again.state.clock_held and again.run_clock() == []
    ex.hold_clock(False)
    again.catch_up()
    assert [(e.team, e.inject) for e in again.run_clock()] == [("Blue", "cover-up")]
    assert releases(store, drill).count(("Red", "cover-up")) == 1
    held = [e for e in store.events(drill) if e.type == "clock-held"]
    assert [e.held for e in held] == [True, False]


def test_holding_is_refused_where_there_is_no_clock_and_twice_in_a_row(tmp_path):
    clock = FakeClock()
    for name in "abc":
        (tmp_path / name).mkdir()
    _, _, untimed = start(tmp_path / "a", clock, timed=False)
    with pytest.raises(ExerciseError, match="not timed"):
        untimed.hold_clock()
    assert untimed.run_clock() == []  # and never releases on its own: n does
    _, _, practice = start(tmp_path / "b", clock, mode="practice")
    assert practice.run_clock() == [] and next_up(practice.state, "Red", clock()) is None
    _, _, timed = start(tmp_path / "c", clock)
    timed.hold_clock()
    with pytest.raises(ExerciseError, match="already held"):
        timed.hold_clock()


def test_two_terminals_and_a_restart_release_each_inject_once(tmp_path):
    clock = FakeClock()
    store, drill, first = start(tmp_path, clock)
    second = store.resume(drill, clock=clock)  # a second console on the same file
    first.run_clock()
    # The second has not polled: it thinks both teams are due; its writes are decided against
    # the store's drill, where 'found' is already out.
    assert due_teams(second.state, clock()) == ["Red", "Blue"]
    assert second.run_clock() == []
    assert second.release_ready("Red") is None  # n raced the clock: nothing twice
    assert releases(store, drill) == [("Red", "found"), ("Blue", "found")]
    second.submit("Red", "found", ["a"])
    second.submit("Blue", "found", ["a"])
    clock.advance(150)
    # The console "crashes" (dropped) and is resumed from the store: it catches up, once.
    restarted = store.resume(drill, clock=clock)
    assert sorted(e.team for e in restarted.run_clock()) == ["Blue", "Red"]
    assert first.run_clock() == [] and second.run_clock() == []
    assert Counter(releases(store, drill)) == Counter(
        {("Red", "found"): 1, ("Blue", "found"): 1, ("Red", "lock"): 1, ("Blue", "lock"): 1})
    assert state(store.events(drill)).skipped == []


def test_a_drill_recorded_before_the_clock_loads_and_the_held_event_reads_back(tmp_path):
    clock = FakeClock()
    store, drill, ex = start(tmp_path, clock)
    assert not ex.state.clock_held  # no clock-held event: a drill from before the clock
    ex.hold_clock()
    event = parse_event(store.events(drill)[-1].model_dump_json())
    assert isinstance(event, ClockHeld) and event.held


# Each process opens the drill and, until every team has finished, runs the clock on what it
# has seen (as a console does between polls: stale), catches up, and answers for its own teams
# (a team's terminal): the two race for every release, and each says which ones it lost.
RACER = """
import sys, time
sys.path[:0] = [sys.argv[1]]
from scenarios.clock import due_teams
from scenarios.errors import BreachdrillError
from scoring.store import Store
store = Store(sys.argv[2])
ex = store.resume(sys.argv[3])
start, mine = float(sys.argv[4]), sys.argv[5].split(",")
pace = float(sys.argv[6]) if len(sys.argv) > 6 else 0.02
while time.time() < start:
    time.sleep(0.005)
deadline = time.time() + 30
while not ex.state.finished and time.time() < deadline:
    try:
        due = due_teams(ex.state, time.time())
        won = [event.team for event in ex.run_clock()]
        for team in won:
            print("released", team, ex.state.teams[team].current, flush=True)
        for team in due:
            if team not in won:
                print("lost", team, flush=True)
        ex.catch_up()
        for name in mine:
            team = ex.state.teams[name]
            if team.awaiting:
                inject = ex.state.index.injects[team.current].inject
                ex.submit(name, team.current, [o.id for o in inject.options][:None if inject.kind == "order" else 1])
    except BreachdrillError:
        pass
    time.sleep(pace)
print("finished" if ex.state.finished else "timed out", flush=True)
"""


def test_two_processes_running_the_clock_on_one_file_release_each_inject_once(tmp_path):
    store = Store(tmp_path / "d.db")
    teams = ["Red", "Blue", "Green", "Gold"]
    # Started three minutes ago on the wall clock: every inject is due, so both race from the start.
    drill, _ = store.start(quick_scenario(), seed=1, teams=teams, scenario_hash="h", timed=True,
                           clock=lambda: time.time() - 180)
    begin = time.time() + 1.5
    racers = [subprocess.Popen([sys.executable, "-c", RACER, str(ROOT), str(tmp_path / "d.db"), drill,
                                str(begin), mine], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for mine in ("Red,Green", "Blue,Gold")]
    outputs = [r.communicate(timeout=120) for r in racers]
    for out, err in outputs:
        assert out.strip().endswith("finished"), (out, err)
    said = [line.split()[1:] for out, _ in outputs for line in out.splitlines() if line.startswith("released")]
    counted = Counter(releases(store, drill))
    assert set(counted.values()) == {1}, counted  # never twice
    assert set(counted) == {(t, i) for t in teams for i in ("found", "lock")}
    assert Counter(tuple(s) for s in said) == counted  # each release claimed by exactly one process
    # Both began with every team due: whichever wrote second found each release made already.
    assert sum(out.count("lost ") for out, _ in outputs) >= len(teams), outputs
    assert state(store.events(drill)).skipped == []
