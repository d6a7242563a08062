"""Stores full of drills for Review: played through the real engine into a real SQLite file.

Teams improve over time (each drill follows the guide a little more often), so the trend chart
and the "most missed" list have something true to show. Everything is seeded: same store, same
screen.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from unittest import mock
from pathlib import Path

from _drill_fixtures import as_answers, library

from scenarios.guide import answers as guide_answers
from scenarios.loader import scenario_hash
from scoring.store import Store

TEAMS = ("Blue", "Red", "Gold", "Green [bold]Crew[/bold]")
START = 1_788_000_000.0  # 2026-08-29, a fixed day: the dates on screen never move
DAY = 86_400.0


def build(path: Path, drills: int = 50, seed: int = 0) -> Path:
    rng = random.Random(seed)
    entries = [(s, k) for _, s, k in library()]
    # Drill ids are random UUIDs; seeded here so that screens showing an id repeat exactly.
    ids = random.Random(seed + 1)
    with mock.patch("scoring.store.uuid.uuid4", lambda: uuid.UUID(int=ids.getrandbits(128))), Store(path) as store:
        for i in range(drills):
            scenario, key = entries[i % len(entries)]
            teams = [TEAMS[(i + j) % len(TEAMS)] for j in range(1 + i % 2)]
            good = guide_answers(scenario, key)
            bad = guide_answers(scenario, key, harmful=True)
            skill = min(0.95, 0.3 + i / max(drills, 1))
            clock = iter(START + i * DAY + n for n in range(10_000)).__next__
            _, ex = store.start(
                scenario, seed=i, teams=teams, scenario_hash=scenario_hash(scenario),
                playbook=key.playbook.model_dump(mode="json"), clock=clock,
            )
            for team in teams:
                picks = {iid: (good if rng.random() < skill else bad)[iid] for iid in good}
                answers = as_answers(scenario, picks)
                while ex.state.teams[team].next is not None:
                    released = ex.release(team)
                    ex.submit(team, released.inject, answers[released.inject])
            ex.end()  # the store saves each team's scorecard summary with the end event
    return path


def multiply(template: Path, path: Path, total: int) -> Path:
    """A store of `total` drills cloned from a template's, with new ids and later dates.

    Writing 10,000 drills one event per transaction (as the app does) would take minutes of
    fsyncs; the copy holds the same rows the engine wrote, so Review reads exactly what it would."""
    import shutil

    shutil.copyfile(template, path)
    conn = sqlite3.connect(path)
    originals = [r[0] for r in conn.execute("SELECT id FROM drills")]
    with conn:
        for n in range(total - len(originals)):
            src = originals[n % len(originals)]
            new = f"c{n:011d}"
            conn.execute(
                """INSERT INTO drills SELECT ?, scenario_id, title, scenario_hash, seed, teams, mode, timed,
                   strftime('%Y-%m-%dT%H:%M:%S+00:00', created, ?), status, events, violation, jurisdiction,
                   scored_upto, scored_by, archived FROM drills WHERE id = ?""", (new, f"+{n // 50 + 1} days", src))
            for table in ("events", "summaries", "misses"):
                columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")][1:]
                conn.execute(f"INSERT INTO {table} SELECT ?, {', '.join(columns)} FROM {table} WHERE drill = ?", (new, src))
    conn.close()
    return path
