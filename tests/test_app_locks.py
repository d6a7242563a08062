"""The lock regression through the real app: Review's own connection, another process, SIGKILL.

The app (in a process of its own, driven by tests/_app_driver.py under Pilot) holds its store;
Review's worker opens and closes a second connection in the same process; then the real CLI,
another process, opens and closes the store. If anything in the app's process had closed a
descriptor on the database outside SQLite (the old header read), the app's POSIX locks would be
gone, the CLI would take itself for the last user, checkpoint and delete the WAL, and every
answer after it would go to a deleted file: lost when the app is killed.
"""

from __future__ import annotations

import json

import pytest
from _fault_support import AppProcess, check_store, write_library
from helpers import run_cli


@pytest.mark.parametrize(("mode", "teams"), [("facilitated", "Red,Blue"), ("practice", "Solo")])
def test_answers_after_review_and_another_process_survive_a_kill(tmp_path, mode, teams):
    db = tmp_path / "drills.db"
    app = AppProcess(db, write_library(tmp_path / "lib"), tmp_path / "app.err")
    per_round = len(teams.split(","))
    try:
        app.send(f"start {mode} {teams}")
        app.until("ok start")
        for _ in range(per_round):  # inject 1, each team
            app.send("answer")
            app.until("ok answer")
        app.send("review")  # Review's worker: a second connection, opened and closed
        lines = app.until("ok review")
        assert "reviewing" in lines
        other = run_cli("results", "list", "--db", str(db), "--json")  # another process opens and closes the store
        assert other.returncode == 0, other.stderr
        (listed,) = json.loads(other.stdout)
        drill = app.confirmed()[0][0]
        assert (listed["drill_id"], listed["events"]) == (drill, 1 + 2 * per_round)  # started, released, answered
        app.send("open")  # back to the drill, through the app's own store
        app.until("ok open")
        for _ in range(per_round):  # inject 2, each team
            app.send("answer")
            app.until("ok answer")
    finally:
        app.kill()  # SIGKILL with the store open
    assert app.proc.returncode == -9
    confirmed = app.confirmed()
    assert len(confirmed) == 2 * per_round, app.lines
    assert len({drill for drill, _, _ in confirmed}) == 1
    _, answers = check_store(db, f"after the {mode} app was killed")
    lost = [a for a in confirmed if answers[a] == 0]
    assert not lost, f"confirmed answers lost after the kill: {lost}"
    assert set(answers) == set(confirmed) and set(answers.values()) == {1}, answers
