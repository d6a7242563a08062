"""SIGKILL at random moments: `breachdrill play` with several teams, and the app.

After every kill the store must be whole: integrity_check ok, each drill's seqs 0..n-1, the drills
row's event count right, no event the fold skipped, no answer twice; every answer that was
confirmed (the app printed it saved, or `play` exited 0) is there once; a killed `play` left a
prefix of what an uncut run with the same --seed records. The kill moments come from a seeded
random (BREACHDRILL_FAULT_SEED to replay one; BREACHDRILL_FAULT_SCALE=N for N times the kills).
Run with -s to see the figures.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from _fault_support import ROOT, AppProcess, check_store, clean_env, write_library

SEED = int(os.environ.get("BREACHDRILL_FAULT_SEED", "20261201"))
SCALE = max(1, int(os.environ.get("BREACHDRILL_FAULT_SCALE", "1")))
PLAY_KILLS = 22 * SCALE  # a run is about 0.2 s
APP_KILLS = 10 * SCALE  # a run is about 2 s: the app's start-up and resume, then Pilot's keys

TEAMS = {  # three teams on three branches; C leaves injects unanswered
    "A": 'detect: isolate-and-call\nevidence: [export-logs, keep-originals, timeline]\npolice: call-police\n'
         'recovery: [image, verify, restore]\n'
         'notice: "We notify residents by letters and tell the attorney general."\n',
    "B": 'detect: wipe-now\npressure: wait-for-it\npolice: call-code-enforcement\nrecovery: [verify, image, restore]\n'
         'notice: "We issue a press release."\n',
    "C": "detect: keep-running\npolice: wait\n",
}


def without_time(events: list) -> list[dict]:
    return [e.model_dump(mode="json", exclude={"at"}) for e in events]


def play_command(tmp: Path, db: Path, seed: int) -> list[str]:
    scenario = write_library(tmp / "lib") / "records.yaml"
    teams = []
    for name, text in TEAMS.items():
        (tmp / f"{name}.yaml").write_text(text)
        teams += ["--team", f"{name}={tmp / f'{name}.yaml'}"]
    return [sys.executable, "-m", "tui.cli", "play", str(scenario), *teams, "--db", str(db), "--seed", str(seed)]


def drill_events(conn: sqlite3.Connection) -> dict[str, int]:
    return dict(conn.execute("SELECT id, events FROM drills"))


def test_play_with_several_teams_survives_kills_at_random_moments(tmp_path):
    rng = random.Random(SEED)
    db = tmp_path / "drills.db"
    command = play_command(tmp_path, db, seed=5)
    started = time.monotonic()
    uncut = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=clean_env(), timeout=60)
    took = time.monotonic() - started
    assert uncut.returncode == 0, uncut.stderr
    payloads, _ = check_store(db, "after the uncut run")
    ((first, events),) = payloads.items()
    reference = without_time(events)
    assert reference[-1]["type"] == "ended" and {e.get("team") for e in reference} >= set(TEAMS)

    landed: Counter = Counter()
    runs, kills, finished = 0, 0, [first]  # finished: drills of runs that exited 0: their answers were confirmed
    while kills < PLAY_KILLS:
        runs += 1
        assert runs <= PLAY_KILLS + 15, f"too many runs finished before their kill: {dict(landed)} (seed {SEED})"
        plan = PLAY_PLANS[runs % len(PLAY_PLANS)]
        context = f"(run {runs}, {plan}, seed {SEED}; replay with BREACHDRILL_FAULT_SEED={SEED})"
        watch = sqlite3.connect(db)
        known = set(drill_events(watch))
        proc = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=clean_env()
        )
        if plan == "anywhere":  # mostly start-up (imports, loading), now and then later
            time.sleep(rng.uniform(0, 1.1 * took))
        else:  # once it has recorded k events, within a few milliseconds (the end: scoring, printing)
            k = len(reference) if plan == "end" else rng.randint(1, len(reference) - 1)
            delay = rng.uniform(0, 0.03) if plan == "end" else rng.uniform(0, 0.004)
            deadline = time.monotonic() + 60
            while proc.poll() is None and time.monotonic() < deadline:
                if any(n >= k for d, n in drill_events(watch).items() if d not in known):
                    break
                time.sleep(0.0005)
            time.sleep(delay)
        proc.kill()
        proc.wait(timeout=30)
        watch.close()
        payloads, answers = check_store(db, context)
        assert all(n == 1 for n in answers.values()), f"answers doubled {context}: {answers}"
        new = [d for d in payloads if d not in known]
        assert len(new) <= 1, f"one run made drills {new} {context}"
        recorded = without_time(payloads[new[0]]) if new else []
        assert recorded == reference[: len(recorded)], f"drill {new} is not a prefix of the uncut run {context}"
        if proc.returncode == 0:
            assert recorded == reference, f"play exited 0 without its whole drill {context}"
            finished += new
            landed["too late: it had exited 0"] += 1
        else:
            assert proc.returncode == -9, f"play failed by itself {context}"
            kills += 1
            if not recorded:
                landed["before it recorded anything"] += 1
            elif len(recorded) < len(reference):
                landed["mid-drill"] += 1
            else:
                landed["after its last event, before exit"] += 1

    payloads, answers = check_store(db, f"at the end (seed {SEED})")
    for drill, events in payloads.items():  # no later kill touched an earlier drill
        got = without_time(events)
        assert got == reference[: len(got)] and (drill not in finished or got == reference), f"{drill} (seed {SEED})"
    confirmed = [(d, e["team"], e["inject"]) for d in finished for e in reference if e["type"] == "response-submitted"]
    lost = [a for a in confirmed if answers[a] == 0]
    doubled = sum(n - 1 for n in answers.values() if n > 1)
    print(f"\nplay fault test, seed {SEED}: runs {runs + 1}, kills {kills}, drills {len(payloads)} "
          f"({len(finished)} finished), answers stored {sum(answers.values())}, confirmed (exit 0) {len(confirmed)}, "
          f"lost {len(lost)}, doubled {doubled}; landed: {dict(landed)}")
    assert not lost and doubled == 0, (lost, doubled)
    assert landed["mid-drill"] >= PLAY_KILLS // 3, f"too few kills mid-drill: {dict(landed)} (seed {SEED})"


PLAY_PLANS = ("anywhere", "mid", "mid", "end", "mid")


def app_commands(rng: random.Random, review_at: int | None) -> list[str]:
    """What one app run is asked to do: resume, then answers with Review now and then."""
    commands = ["open"]
    for step in range(40):
        if step == review_at or (review_at is None and rng.random() < 0.15):
            commands += ["review", "open"]
        commands.append("answer")
    return commands


def test_the_app_survives_kills_while_saving_between_answers_and_in_review(tmp_path):
    rng = random.Random(SEED + 1)
    db, library = tmp_path / "drills.db", write_library(tmp_path / "lib", short=True)
    plans = [("save", "review", "between", "start-up", "running")[n % 5] for n in range(APP_KILLS)]
    rng.shuffle(plans)
    confirmed: list[tuple[str, str, str]] = []
    landed: Counter = Counter()
    extra = resumed = cli_runs = 0
    in_save = Counter()  # kills while an answer was being saved: True = it had been committed
    seen: set[str] = set()  # the drills of earlier runs
    for kill, plan in enumerate(plans):
        context = f"(app kill {kill}, {plan}, seed {SEED}; replay with BREACHDRILL_FAULT_SEED={SEED})"
        others: list[subprocess.Popen] = []  # another process opening and closing the store

        def after_review(line: str, others: list[subprocess.Popen] = others) -> None:
            if line == "reviewed":  # as in test_app_locks, while the app goes on answering
                others.append(subprocess.Popen(
                    [sys.executable, "-m", "tui.cli", "results", "list", "--db", str(db)], stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE, cwd=ROOT, env=clean_env()))

        app = AppProcess(db, library, tmp_path / f"app-{kill}.err", on_line=after_review)
        died = None  # the app failing by itself: reported after the store is checked, which says more
        try:
            app.send(*app_commands(rng, rng.randint(0, 1) if plan == "review" else None))
            if plan == "save":  # while the n-th answer is being saved (y pressed, committed, settling)
                app.watch("saving", rng.randint(1, 4))
                time.sleep(rng.uniform(0, 0.006))  # the commit is 2-3 ms after y
            elif plan == "between":  # just after the n-th answer was saved, before the next is chosen
                app.watch("saved", rng.randint(1, 3))
                time.sleep(rng.uniform(0, 0.06))
            elif plan == "review":  # Review opening, its workers reading and rescoring, leaving it
                app.watch("opening review", 1)
                time.sleep(rng.uniform(0, 0.4))
            elif plan == "start-up":  # the app starting, opening its store, resuming the drill
                time.sleep(rng.uniform(0.05, 1.0))
            else:  # once the drill is open: choosing, saving, between answers, ending, starting anew
                app.until("ok open")
                time.sleep(rng.uniform(0, 2.0))
        except AssertionError as exc:
            died = exc
        finally:
            app.kill()
        for other in others:
            assert other.wait(timeout=60) == 0, other.stderr.read()
            other.stderr.close()
        cli_runs += len(others)
        last = app.lines[-1] if app.lines else "start-up"
        last = last if last in LANDING else last.split()[0]
        landed[LANDING.get(last, last)] += 1
        confirmed += app.confirmed()
        opened = [line.split()[1] for line in app.lines if line.startswith("drill ")]
        resumed += bool(opened) and opened[0] in seen
        seen.update(opened)
        payloads, answers = check_store(db, context)
        lost = [a for a in confirmed if answers[a] == 0]
        doubled = [a for a, n in answers.items() if n > 1]
        assert not lost and not doubled, f"lost {lost}, doubled {doubled} {context}"
        assert died is None and app.proc.returncode == -9, f"the app failed by itself {context}: {died}"
        extra = sum(answers.values()) - len(confirmed)
        if last == "saving":  # did the kill come before the answer's commit, or after it?
            drill = [line.split()[1] for line in app.lines if line.startswith("drill ")][-1]
            _, team, inject = app.lines[-1].split()
            in_save[answers[(drill, team, inject)] == 1] += 1
    assert len(set(confirmed)) == len(confirmed), "the app confirmed one answer twice"
    lost = [a for a in confirmed if answers[a] == 0]
    doubled = sum(n - 1 for n in answers.values() if n > 1)
    ended = sum(events[-1].type == "ended" for events in payloads.values())
    print(f"\napp fault test, seed {SEED}: kills {len(plans)} ({resumed} in a resumed drill), drills {len(payloads)} "
          f"({ended} ended), {cli_runs} CLI runs beside it after Review, answers confirmed {len(confirmed)}, "
          f"saved but not yet confirmed when killed {extra} (kills while saving: {in_save[True]} after the commit, "
          f"{in_save[False]} before), lost {len(lost)}, doubled {doubled}; landed: {dict(landed)}")
    assert not lost and doubled == 0, (lost, doubled)
    assert all(landed[where] for where in ("saving an answer", "between answers", "in Review")), (
        f"{dict(landed)} (seed {SEED})"
    )
    assert resumed >= APP_KILLS // 3, f"only {resumed} kills landed in a resumed drill (seed {SEED})"


LANDING = {  # the last line the app printed -> where the kill landed
    "start-up": "start-up", "opening": "resuming the drill", "drill": "between answers",
    "answering": "choosing an answer", "saving": "saving an answer", "saved": "between answers",
    "ended": "between answers", "ok": "between answers", "opening review": "in Review",
    "reviewing": "in Review", "reviewed": "resuming the drill",
}
