"""The PostgreSQL store when the server or the network fails mid-drill: a real server restarted
(tests/_postgres.py restart_server), and a relay on 127.0.0.1 between the store and the server that
drops connections on cue (a reply to COMMIT lost, the server gone for longer than the timeout).

A read or write that meets a dropped connection reconnects and runs again, saying nothing; a write
whose COMMIT went unanswered is never applied twice; past `timeout` it is one line, no password."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from _drill_fixtures import ROOT, as_answers, ei_key, ei_scenario
from _postgres import restart_server
from _review_store import raw_sql

from scenarios.events import InjectReleased
from scenarios.guide import answers as guide_answers
from scoring.pgconnect import connect
from scoring.store import StoreError, open_store

SCENARIO = ei_scenario()
KEY = ei_key(SCENARIO)
GUIDE = as_answers(SCENARIO, guide_answers(SCENARIO, KEY))

APPENDER = """
import sys, time
from scenarios.events import InjectReleased
from scoring.store import open_store
url, drill, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open_store(url) as store:
    for k in range(n):
        print(store.append(drill, InjectReleased(team="blue", inject=f"e{k:03d}")), flush=True)
        time.sleep(0.02)
"""


class Relay:
    """A TCP relay on 127.0.0.1 to the test server: `stop()` is the server gone (every connection
    closed, none accepted), `resume()` back on the same port; `lose_next_commit_reply()` lets the
    next COMMIT through and closes that connection instead of passing the server's answer back."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.port = 0
        self.pairs: list[list] = []
        self.lock = threading.Lock()
        self.losing = False
        self.listener: socket.socket | None = None
        self.resume()

    def resume(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.1)
        self.port, self.listener = listener.getsockname()[1], listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def lose_next_commit_reply(self) -> None:
        self.losing = True

    def stop(self) -> None:
        listener, self.listener = self.listener, None
        try:
            listener.shutdown(socket.SHUT_RDWR)  # no longer listening now, not when accept() next returns
        except OSError:
            pass
        listener.close()
        with self.lock:
            pairs, self.pairs = self.pairs, []
        for pair in pairs:
            _close(pair)

    def _accept(self, listener: socket.socket) -> None:
        while self.listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            pair = [client, server, False]  # [2]: the server's next answer is to be lost
            with self.lock:
                self.pairs.append(pair)
            for src in (0, 1):
                threading.Thread(target=self._pump, args=(pair, src), daemon=True).start()

    def _pump(self, pair: list, src: int) -> None:
        while True:
            try:
                data = pair[src].recv(65536)
            except OSError:
                break
            if not data:
                break
            if src == 0 and self.losing and b"COMMIT" in data:
                self.losing, pair[2] = False, True
            elif src == 1 and pair[2]:
                break  # the server has committed: its answer goes down with the connection
            try:
                pair[1 - src].sendall(data)
            except OSError:
                break
        _close(pair)


def _close(pair: list) -> None:
    for sock in pair[:2]:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()


@pytest.fixture
def relay(postgres_db):
    port = int(postgres_db.rsplit(":", 1)[1].split("/")[0])
    relay = Relay(port)
    yield relay
    if relay.listener is not None:
        relay.stop()


def _through(url: str, relay: Relay) -> str:
    head, _, tail = url.rpartition(":")
    return f"{head}:{relay.port}/{tail.split('/', 1)[1]}?sslmode=disable"


def _start(store):
    return store.start(SCENARIO, seed=5, teams=["blue"], scenario_hash="test",
                       playbook=KEY.playbook.model_dump(mode="json"))


def _log(url: str, drill: str) -> list[tuple[int, str]]:
    return raw_sql(url, "SELECT seq, type FROM events WHERE drill = ? ORDER BY seq", (drill,))


def _password(url: str) -> str:
    return url.split("://", 1)[1].rsplit("@", 1)[0].partition(":")[2]


def test_a_restart_between_two_appends_is_survived_in_silence(postgres_db, capfd):
    with open_store(postgres_db) as console, open_store(postgres_db) as idle:
        drill, ex = _start(console)
        ex.release("blue")
        before = idle.last_seq(drill)
        restart_server()  # every open connection breaks
        ex.submit("blue", "detect", GUIDE["detect"])  # the second append: reconnects, runs again
        assert idle.last_seq(drill) == before + 1  # a read on an idle connection too
        ex.release("blue")
    assert [t for _, t in _log(postgres_db, drill)] == [
        "drill-started", "inject-released", "response-submitted", "inject-released"]
    out, err = capfd.readouterr()
    assert out == err == ""


def test_a_restart_under_a_busy_writer_loses_and_doubles_nothing(postgres_db):
    with open_store(postgres_db) as store:
        drill, _ = _start(store)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-c", APPENDER, postgres_db, drill, "150"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    seqs = [int(proc.stdout.readline()) for _ in range(20)]
    restart_server()
    rest, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and err == "", err
    seqs += [int(line) for line in rest.split()]
    assert seqs == list(range(1, 151))  # each append's own seq, in order
    log = raw_sql(postgres_db, "SELECT seq, payload FROM events WHERE drill = ? ORDER BY seq", (drill,))
    assert [s for s, _ in log] == list(range(151))
    assert [json.loads(p)["inject"] for _, p in log[1:]] == [f"e{k:03d}" for k in range(150)]


def _looked_up(store) -> list[bool]:
    """What each look in the log for a write whose COMMIT went unanswered found."""
    found, look = [], store._in_log
    store._in_log = lambda events: found.append(look(events)) or found[-1]
    return found


def test_a_commit_whose_answer_was_lost_is_not_applied_twice(postgres_db, relay):
    with open_store(_through(postgres_db, relay)) as store:
        drill, ex = _start(store)
        relay.lose_next_commit_reply()
        looks = _looked_up(store)
        assert store.append(drill, InjectReleased(team="blue", inject="detect")) == 1
        assert relay.losing is False and looks == [True], "committed, its answer lost, found in the log"
        assert store.append(drill, InjectReleased(team="blue", inject="evidence")) == 2
    assert _log(postgres_db, drill) == [(0, "drill-started"), (1, "inject-released"), (2, "inject-released")]


def test_a_commit_that_never_reached_the_server_is_applied_once(postgres_db):
    with open_store(postgres_db) as store, connect(postgres_db) as admin:
        drill, _ = _start(store)
        real_commit = store._commit

        def killed_first(conn):  # the server ends this session before the COMMIT arrives
            admin.execute("SELECT pg_terminate_backend(%s, 5000)", (conn.info.backend_pid,))
            admin.commit()
            store._commit = real_commit
            real_commit(conn)

        store._commit = killed_first
        looks = _looked_up(store)
        assert store.append(drill, InjectReleased(team="blue", inject="detect")) == 1
        assert looks == [False], "not in the log: written again, once"
    assert _log(postgres_db, drill) == [(0, "drill-started"), (1, "inject-released")]


def test_a_server_away_longer_than_the_timeout_is_one_line_and_nothing_is_lost(postgres_db, relay):
    url = _through(postgres_db, relay)
    with open_store(url, timeout=2.0) as store:
        drill, _ = _start(store)
        relay.stop()
        began = time.monotonic()
        with pytest.raises(StoreError) as err:
            store.append(drill, InjectReleased(team="blue", inject="detect"))
        waited = time.monotonic() - began
        message = str(err.value)
        assert message.startswith(f"{store.path}: the database server is not answering (")
        assert message.endswith("); nothing was lost, try again") and "\n" not in message
        assert "server not reachable" in message and _password(url) not in message
        assert 1.5 <= waited < 10, waited
        with pytest.raises(StoreError, match="not answering"):
            store.drills()  # a read gives up the same way
        relay.resume()
        assert store.append(drill, InjectReleased(team="blue", inject="evidence")) == 1  # back: it goes on
    assert [json.loads(p)["inject"] for (p,) in raw_sql(
        postgres_db, "SELECT payload FROM events WHERE drill = ? AND seq > 0", (drill,))] == ["evidence"]
