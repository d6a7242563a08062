"""Eight teams answering from their own terminals at once, as separate processes, while the
console (this test) follows the store and releases: on SQLite and on a real PostgreSQL server.
Nothing lost, doubled or out of order; a killed terminal rejoins with its code where it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from _drill_fixtures import ei_scenario_data
from _fault_support import clean_env

from scoring.drills import DrillService

WORKER = Path(__file__).parent / "_player_worker.py"
TEAMS = [f"Team {n}" for n in range(1, 9)]


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "drills.db")
    return request.getfixturevalue("postgres_db")


@pytest.fixture
def console(db, tmp_path):
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "records.yaml").write_text(yaml.safe_dump(ei_scenario_data(), sort_keys=False))
    service = DrillService(db=db, library=[str(folder)], builtin=False, cache_dir=tmp_path / "cache")
    drill = service.start(service.resolve("test-ei-records"), teams=TEAMS, seed=3)
    codes = service.issue_codes(drill).teams
    yield service, drill, codes
    service.close()


def _player(db: str, code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WORKER), db, code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=clean_env())


def _run_console(service: DrillService, drill, players: dict, deadline: float, on_poll=None) -> None:
    """The facilitator's side: follow the store, release to every team ready for its next inject,
    until every team has finished its branch."""
    while time.monotonic() < deadline:
        drill.catch_up()
        if on_poll is not None:
            on_poll()
        ready = [name for name, team in drill.state.teams.items() if not team.awaiting and team.next is not None]
        for name in ready:
            drill.exercise.release(name)
        if drill.state.finished:
            return
        time.sleep(0.02)
    raise AssertionError(f"the teams did not finish: {[(n, t.path) for n, t in drill.state.teams.items()]}")


def _saved(output: str) -> list[tuple[str, str]]:
    return [tuple(line.split(" ", 1)[1].rsplit(" ", 1)) for line in output.splitlines() if line.startswith("saved ")]


def _check_log(db: str, drill_id: str, saved: list[tuple[str, str]]) -> None:
    events = DrillService(db=db).store().events(drill_id)
    answers = [(e.team, e.inject) for e in events if e.type == "response-submitted"]
    assert len(answers) == len(set(answers)), "an answer was recorded twice"
    assert sorted(set(saved)) == sorted(answers), "an answer a terminal showed as saved is not in the log"
    from scenarios.drillstate import state

    folded = state(events)
    assert folded.skipped == [], folded.skipped  # every event fitted the drill as it then was
    for name, team in folded.teams.items():
        own = [e.inject for e in events if getattr(e, "team", None) == name and e.type == "response-submitted"]
        assert own == team.path, f"{name}: answers out of order"


def test_eight_terminals_answer_at_once_and_nothing_is_lost_doubled_or_reordered(console, db):
    service, drill, codes = console
    start = time.time() + 2.0
    players = {team: _player(db, codes[team], "--start-at", str(start)) for team in TEAMS}
    try:
        _run_console(service, drill, players, time.monotonic() + 120)
        outputs = {team: p.communicate(timeout=60) for team, p in players.items()}
    finally:
        for p in players.values():
            p.kill()
    for team, (out, err) in outputs.items():
        assert players[team].returncode == 0, f"{team}: {err}"
        assert out.splitlines()[-1] == "done", out
    saved = [pair for out, _ in outputs.values() for pair in _saved(out)]
    assert len(saved) == 8 * 5  # five injects on each team's branch, every one answered from its terminal
    _check_log(db, drill.id, saved)
    assert service.seats(drill) == dict.fromkeys(TEAMS, "left")


def test_a_killed_terminal_rejoins_with_its_code_where_it_was(console, db):
    service, drill, codes = console
    slow = _player(db, codes["Team 1"], "--delay", "30")  # answers once, then dawdles
    others = {team: _player(db, codes[team]) for team in TEAMS[1:]}
    killed: list[str] = []
    lines: list[str] = []

    def kill_after_first_answer() -> None:
        if killed or drill.state.teams["Team 1"].answers == {}:
            return
        os.kill(slow.pid, signal.SIGKILL)
        out, _ = slow.communicate(timeout=10)
        lines.extend(out.splitlines())
        killed.append("Team 1")
        players["again"] = _player(db, codes["Team 1"])

    players = dict(others)
    try:
        _run_console(service, drill, players, time.monotonic() + 120, on_poll=kill_after_first_answer)
        outputs = {team: p.communicate(timeout=60) for team, p in players.items()}
    finally:
        for p in [slow, *players.values()]:
            p.kill()
    assert killed, "Team 1 never answered before the kill"
    again, _ = outputs["again"]
    assert again.startswith("joined Team 1 at "), again  # back on the drill as the store has it
    saved = _saved("\n".join(lines)) + [pair for out, _ in outputs.values() for pair in _saved(out)]
    assert [i for t, i in saved if t == "Team 1"] == drill.state.teams["Team 1"].path  # none twice, none lost
    _check_log(db, drill.id, saved)
