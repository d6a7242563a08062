"""The parent's side of the lock and fault tests (no tests here): the app driver as a process
(tests/_app_driver.py) and the checks a store must pass after any SIGKILL.

    AppProcess(db, library, stderr)  spawn the driver; send() commands, until()/watch() lines, kill() it
    check_store(db)                  integrity, seqs 0..n-1, drills.events, no event the fold skipped;
                                     returns {drill: [events]}, Counter of (drill, team, inject) answers
    write_library(folder)            a library of one test scenario for the app
"""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import yaml
from _drill_fixtures import ROOT, ei_scenario_data, stl_scenario

from scenarios.drillstate import state
from scenarios.events import parse_event

DRIVER = Path(__file__).parent / "_app_driver.py"


def write_library(folder: Path, short: bool = False) -> Path:
    """A library of one scenario: the test East Independence drill (five injects on each branch),
    or, `short`, the St. Louis one of two injects, so that kills land in ended and new drills too."""
    folder.mkdir(parents=True, exist_ok=True)
    data = stl_scenario().model_dump(mode="json", exclude_none=True) if short else ei_scenario_data()
    (folder / "records.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return folder


def clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDRILL_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    return env


class AppProcess:
    """The app in its own process: every line it prints is kept in `lines`, in order."""

    def __init__(self, db: Path, library: Path, stderr: Path, on_line=None) -> None:
        self._err = stderr.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, str(DRIVER), str(db), str(library)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._err, text=True, cwd=ROOT, env=clean_env(),
        )
        self.stderr = stderr
        self.lines: list[str] = []
        self._on_line = on_line  # called in the reader thread with each line as it arrives
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            if self._on_line is not None:
                self._on_line(line.rstrip("\n"))
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def send(self, *commands: str) -> None:
        self.proc.stdin.write("".join(c + "\n" for c in commands))
        self.proc.stdin.flush()

    def until(self, wanted: str, timeout: float = 60.0) -> list[str]:
        """Lines up to and including `wanted`; AssertionError with the app's stderr if it never comes."""
        return self.watch(wanted, 1, timeout, exact=True)

    def watch(self, prefix: str, nth: int, timeout: float = 60.0, exact: bool = False) -> list[str]:
        """Lines up to the nth that starts with `prefix` (or is `prefix`, exact)."""
        deadline = time.monotonic() + timeout
        got: list[str] = []
        while True:
            try:
                line = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                self._queue.put(None)  # for kill(), which reads to the end
                raise AssertionError(f"the app never printed {prefix!r}; it printed {got}\n{self.stderr_text()}")
            self.lines.append(line)
            got.append(line)
            nth -= line == prefix if exact else line.startswith(prefix)
            if nth == 0:
                return got

    def kill(self) -> None:
        """SIGKILL, then every line it had printed before it died."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        while (line := self._queue.get(timeout=30)) is not None:
            self.lines.append(line)
        self.proc.stdin.close()
        self.proc.stdout.close()
        self._err.close()

    def stderr_text(self) -> str:
        self._err.flush()
        return self.stderr.read_text(errors="replace")[-3000:]

    def confirmed(self) -> list[tuple[str, str, str]]:
        """(drill, team, inject) of every answer the app said was saved."""
        out, drill = [], None
        for line in self.lines:
            words = line.split()
            if words[0] == "drill":
                drill = words[1]
            elif words[0] == "saved":
                out.append((drill, words[1], words[2]))
        return out


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def check_store(db: Path, context: str = "") -> tuple[dict[str, list], Counter]:
    """What every store must be after a kill; AssertionError naming `context` when it is not."""
    if not db.exists():  # killed before the store was first opened: nothing to check, nothing made
        return {}, Counter()
    assert integrity(db) == "ok", f"integrity_check failed {context}"
    conn = sqlite3.connect(db)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'drills'").fetchone():
            return {}, Counter()  # killed before its first migration committed
        counts = dict(conn.execute("SELECT id, events FROM drills"))
        seqs = {d: (n, low, top) for d, n, low, top in
                conn.execute("SELECT drill, COUNT(*), MIN(seq), MAX(seq) FROM events GROUP BY drill")}
        payloads: dict[str, list] = {}
        for drill, payload in conn.execute("SELECT drill, payload FROM events ORDER BY drill, seq"):
            payloads.setdefault(drill, []).append(parse_event(payload))
    finally:
        conn.close()
    assert set(counts) == set(seqs), f"a drill without events or events without a drill {context}: {counts} {seqs}"
    answers: Counter = Counter()
    for drill, (n, low, top) in seqs.items():  # UNIQUE(drill, seq): n seqs from 0 to n-1 are all of them
        assert (low, top) == (0, n - 1), f"drill {drill}: {n} events with seqs {low}..{top} {context}"
        assert counts[drill] == n, f"drill {drill}: the drills row says {counts[drill]} events, there are {n} {context}"
        assert state(payloads[drill]).skipped == [], f"drill {drill}: events the fold skipped {context}"
        for e in payloads[drill]:
            if e.type == "response-submitted":
                answers[(drill, e.team, e.inject)] += 1
    return payloads, answers
