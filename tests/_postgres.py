"""A real PostgreSQL server for the tests (no tests here), through .ci/postgres.

    session_server()        context manager, the session's server: the one BREACHDRILL_TEST_POSTGRES
                            names (CI starts it with .ci/postgres start), else a throwaway one started
                            here and stopped at the end; PostgresUnavailable when there is none
    fresh_database(url)     context manager: a new empty database on that server, its URL; dropped after
    restart_server()        stop and start the session's server (same port, same data): "the database
                            server restarted mid-drill"
    failing_clearly()       context manager for the fixtures: PostgresUnavailable becomes a plain failure
                            of the test, its one message, no traceback

Never a skip: a test that needs PostgreSQL and has none fails, saying why.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring.dbfile import StoreError
from scoring.pgconnect import connect, redact

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / ".ci" / "postgres"
URL_VAR = "BREACHDRILL_TEST_POSTGRES"
STATE_VAR = "BREACHDRILL_TEST_POSTGRES_STATE"  # the state file `.ci/postgres start STATE` wrote
SCRIPT_TIMEOUT = 900  # seconds: a first start may install Debian's postgresql package


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server for the tests: the message says why and what to do."""


@contextlib.contextmanager
def failing_clearly() -> Iterator[None]:
    try:
        yield
    except PostgresUnavailable as exc:
        raise pytest.fail.Exception(str(exc), pytrace=False) from None


def _run(command: str, state: Path) -> str:
    try:
        done = subprocess.run(
            ["bash", str(SCRIPT), command, str(state)],
            capture_output=True,
            text=True,
            timeout=SCRIPT_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PostgresUnavailable(f".ci/postgres {command}: {exc}") from None
    if done.returncode != 0:
        detail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise PostgresUnavailable(f".ci/postgres {command} failed (exit {done.returncode}):\n{detail}")
    return done.stdout


def _state_url(state: Path) -> str | None:
    """The URL recorded in a state file of .ci/postgres, None when there is none."""
    try:
        lines = state.read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        key, _, value = line.partition("=")
        if key == "URL":
            return value.strip("'")
    return None


class Server:
    """A server known by its URL and, when this run can restart it, the state file of .ci/postgres."""

    def __init__(self, url: str, state: Path | None, owned: bool) -> None:
        self.url, self.state, self.owned = url, state, owned

    @classmethod
    def start(cls) -> Server:
        fd, name = tempfile.mkstemp(prefix="breachdrill-test-postgres-", suffix=".env")
        os.close(fd)
        state = Path(name)
        try:
            out = _run("start", state)
        except PostgresUnavailable:
            state.unlink(missing_ok=True)
            raise
        url = next((line.partition("=")[2] for line in out.splitlines() if line.startswith(URL_VAR + "=")), "")
        server = cls(url or _state_url(state) or "", state, owned=True)
        if not server.url:
            server.stop()
            raise PostgresUnavailable(f".ci/postgres start printed no {URL_VAR}= line")
        return server

    @classmethod
    def from_env(cls, url: str) -> Server:
        """The server BREACHDRILL_TEST_POSTGRES names; restartable when a state file of .ci/postgres
        (BREACHDRILL_TEST_POSTGRES_STATE) records that same URL."""
        state = Path(os.environ[STATE_VAR]) if os.environ.get(STATE_VAR) else None
        return cls(url, state if state and _state_url(state) == url else None, owned=False)

    def check(self) -> None:
        try:
            connect(self.url, timeout=10).close()
        except StoreError as exc:
            raise PostgresUnavailable(f"{URL_VAR}: {exc}") from None

    def restart(self) -> None:
        if self.state is None:
            raise PostgresUnavailable(
                f"cannot restart the server at {redact(self.url)}: set {STATE_VAR} to the state file that "
                f"`.ci/postgres start STATE` wrote for it (or unset {URL_VAR} to let the tests start their own)"
            )
        _run("restart", self.state)

    def stop(self) -> None:
        if self.owned and self.state is not None and self.state.exists():
            _run("stop", self.state)
        if self.owned and self.state is not None:
            self.state.unlink(missing_ok=True)


_current: Server | None = None


@contextlib.contextmanager
def session_server() -> Iterator[Server]:
    """The session's server, checked to accept the URL's user and password."""
    global _current
    env_url = os.environ.get(URL_VAR, "").strip()
    if env_url:
        server = Server.from_env(env_url)
    else:
        try:
            server = Server.start()
        except PostgresUnavailable as exc:
            raise PostgresUnavailable(
                f"no PostgreSQL server for the tests: {URL_VAR} is not set and starting one failed: {exc}"
            ) from None
        atexit.register(server.stop)  # a session torn down abruptly still stops it
    try:
        server.check()
        _current = server
        yield server
    finally:
        _current = None
        server.stop()


def restart_server() -> None:
    """Stop and start the session's server: every open connection to it breaks; same URL after."""
    if _current is None:
        raise PostgresUnavailable("restart_server(): no session server (use the postgres_url fixture)")
    _current.restart()


def _with_database(url: str, name: str) -> str:
    """The URL with its path (the database) replaced by name."""
    scheme, _, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    _, question, query = path.partition("?")
    return f"{scheme}://{authority}/{name}" + (question + query if slash else "")


@contextlib.contextmanager
def fresh_database(url: str) -> Iterator[str]:
    """A new empty database on the server of `url`, owned by its user; its URL. Dropped afterwards,
    with any connection a test left open to it."""
    name = f"breachdrill_test_{uuid.uuid4().hex[:16]}"
    _admin(url, f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(url, name)
    finally:
        _drop(url, name)


def _drop(url: str, name: str) -> None:
    """DROP ... WITH (FORCE) ends the test's own connections, but not a backend of another role
    (an autovacuum worker that has just started on the new database): that one finishes in a
    moment, so the drop is tried again for a few seconds before it counts as a failure."""
    import time

    for attempt in range(20):
        try:
            _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except PostgresUnavailable as exc:
            if "must be a member of the role" not in str(exc) or attempt == 19:
                raise
            time.sleep(0.25)


def _admin(url: str, sql: str) -> None:
    import psycopg

    try:
        conn = connect(url, timeout=10)
    except StoreError as exc:
        raise PostgresUnavailable(f"{sql}: {exc}") from None
    try:
        conn.autocommit = True  # CREATE and DROP DATABASE cannot run in a transaction
        conn.execute(sql)
    except psycopg.Error as exc:
        raise PostgresUnavailable(f"{sql}: {exc} (on {redact(url)})") from None
    finally:
        conn.close()
