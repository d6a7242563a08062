"""The PostgreSQL backend: a connection by URL, migrations, transactions, and surviving a restart.

The same reads and writes as SQLite's (drill_reads.py, summary_reads.py, writes.py, joining.py,
their SQL translated by pg_sql.py once per text) on the same schema (pg_schema.py):
- one transaction per event; a write locks the drill's row first (`SELECT ... FOR UPDATE`,
  base.StoreBase.LOCK_ROW), so the next seq is read by one writer at a time and UNIQUE(drill, seq)
  never has to refuse one; a lock waited for longer than `timeout` is "busy", as on SQLite.
  Locks are taken in one order, drill rows (a batch's sorted) before the miss_totals triggers'
  advisory lock, so writers do not deadlock; one PostgreSQL reports anyway is run again;
- reads are single statements in autocommit (each its own snapshot, no transaction left open);
  a streamed read is a named (server-side) cursor in a REPEATABLE READ, READ ONLY transaction:
  one snapshot however long it is read, for the reads made while it is open too;
- a database with tables that is not ours, or from a newer breachdrill, is refused before
  anything is written; migrating takes a transaction-level advisory lock, so two processes
  opening a new database at once migrate it once.

The server restarted, or the connection dropped: the read or write that met it reconnects and
runs again, backing off, for up to `timeout` seconds, silently; then one StoreError line. A write
whose COMMIT went unanswered is looked for first: when its events are in the log (same drill,
seq and payload) it was committed and is not written twice. `path` is the URL without its
password: the only form in which the URL is ever shown.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any

from ..dbfile import SCHEMA_VERSION, StoreError, older
from ..pgconnect import DEFAULT_TIMEOUT, ServerUnavailable, connect, redact, scrub
from . import pg_schema
from .base import Params
from .joining import JoinRecords
from .pg_sql import event_rows, params, translate
from .schema import applied_now
from .summary_reads import SummaryReads
from .writes import DrillWrites

if TYPE_CHECKING:
    import psycopg

    from scenarios.events import DrillStarted, Event

_FIRST_DELAY, _MAX_DELAY = 0.05, 1.0  # seconds between tries while the server is away
_cursor_names = itertools.count()


class _Retry(Exception):  # never leaves this module: the caller sees a result or a StoreError
    """The connection dropped (or the server chose this transaction to abort): run it again.
    `unknown`: it died during COMMIT, so the write may have been committed; `events` what it wrote."""

    def __init__(self, reason: str, unknown: bool = False, events: list | None = None) -> None:
        super().__init__(reason)
        self.reason, self.unknown, self.events = reason, unknown, events or []


class _Transaction:
    """What `_writing` yields: the store's SQL run on the connection, translated, and a note of
    the events each statement writes (for a COMMIT that goes unanswered)."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self._conn = conn
        self.events: list[tuple[str, int, str]] = []

    def execute(self, sql: str, values: Params = ()) -> psycopg.Cursor:
        text, style = translate(sql)
        cursor = self._conn.execute(text, params(style, values))
        self.events += event_rows(sql, values)
        return cursor

    def executemany(self, sql: str, rows: list) -> None:
        text, style = translate(sql)
        with self._conn.cursor() as cursor:
            cursor.executemany(text, [params(style, r) for r in rows])


class PostgresStore(DrillWrites, SummaryReads, JoinRecords):
    """One PostgreSQL database of drills, by URL. Open it, use it, close it (or use `with`)."""

    LOCK_ROW = " FOR UPDATE"
    JOIN_IN_ORDER = "JOIN"

    def __init__(self, url: str, *, timeout: float = 30.0, read_only: bool = False) -> None:
        self._url = url
        self.path = redact(url)
        self.timeout = timeout
        self.read_only = read_only
        self.version = SCHEMA_VERSION  # the schema found (0: none yet), set by _prepare
        self._streams = 0  # streamed reads open on the connection (their transaction is theirs)
        try:
            self._conn = self._connect()
        except _Retry as lost:
            raise StoreError(f"{self.path}: cannot open ({lost.reason})") from None
        try:
            self._prepare(self._conn)
        except BaseException:
            self._conn.close()
            raise

    # --- opening ----------------------------------------------------------------------------

    def _connect(self) -> psycopg.Connection:
        """A new connection (ServerUnavailable when the server is away, _Retry when it went
        away again at once, StoreError for anything else)."""
        import psycopg

        conn = connect(self._url, timeout=min(DEFAULT_TIMEOUT, max(1.0, self.timeout)))
        try:
            conn.autocommit = True  # each read its own statement; a write says BEGIN
            conn.execute("SELECT set_config('lock_timeout', %s, false), set_config('application_name', %s, false), "
                         "set_config('default_transaction_read_only', %s, false)",
                         (f"{max(1, round(self.timeout * 1000))}ms", "breachdrill", "on" if self.read_only else "off"))
        except psycopg.Error as exc:
            _quietly(conn.close)
            raise self._error(exc, "cannot open", conn) from None
        except BaseException:
            conn.close()
            raise
        return conn

    def _prepare(self, conn: psycopg.Connection) -> None:
        import psycopg

        try:  # identified before anything is written
            version = pg_schema.identify(conn, self.path)
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot open ({self._text(exc)})") from None
        self.version = version
        if version == SCHEMA_VERSION:  # opened as it is: no lock, no write
            return
        if self.read_only:  # a reader never migrates: none yet reads as no drills (open_store)
            if version:
                raise older(self.path, version)
            return
        try:
            self._migrate(conn)
        except psycopg.Error as exc:  # not allowed to create tables, another migrating for `timeout`...
            error = self._error(exc, "cannot write here", conn)
            raise (StoreError(f"{self.path}: cannot open ({error})") if isinstance(error, _Retry) else error) from None

    def _migrate(self, conn: psycopg.Connection) -> None:
        conn.execute("BEGIN")
        try:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (pg_schema.MIGRATION_LOCK,))
            version = pg_schema.identify(conn, self.path)  # again: another process may have been first
            if version == 0:
                for statement in pg_schema.VERSION_TABLE:
                    conn.execute(statement)
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in pg_schema.MIGRATIONS[target]:
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_version VALUES (%s, %s)", (target, applied_now()))
        except BaseException:
            _quietly(conn.execute, "ROLLBACK")
            raise
        conn.execute("COMMIT")

    # --- what the reads and writes run on (base.StoreBase) ---------------------------------------

    def _read(self, sql: str, values: Params = ()) -> list[tuple]:
        text, style = translate(sql)
        args = params(style, values)
        return self._again(lambda: self._reading(lambda conn: conn.execute(text, args).fetchall()))

    def _reading(self, run: Callable[[psycopg.Connection], Any]) -> Any:
        import psycopg

        try:
            return run(self._conn)
        except psycopg.Error as exc:
            raise self._error(exc, "cannot read the drills") from None

    def _stream(self, sql: str, values: Params = (), size: int = 256) -> Iterator[tuple]:
        text, style = translate(sql)
        args = params(style, values)
        own = self._streams == 0  # a stream read while another is open shares its transaction
        cursor, rows = self._again(lambda: self._open_cursor(text, args, size, own))
        self._streams += 1
        try:
            while rows:
                yield from rows
                rows = self._reading(lambda _conn: cursor.fetchmany(size))
        except _Retry as lost:  # rows were handed out already: this snapshot cannot be resumed
            raise self._not_answering(lost.reason) from None
        finally:
            self._streams -= 1
            _quietly(cursor.close)
            if own and not self._conn.broken:
                _quietly(self._conn.execute, "COMMIT")

    def _open_cursor(self, text: str, args: Any, size: int, own: bool) -> tuple[Any, list]:
        def run(conn: psycopg.Connection) -> tuple[Any, list]:
            if own:
                conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor = conn.cursor(name=f"breachdrill_stream_{next(_cursor_names)}")
            cursor.itersize = size
            try:
                cursor.execute(text, args)
                return cursor, cursor.fetchmany(size)
            except BaseException:
                _quietly(cursor.close)
                if own:
                    _quietly(conn.execute, "ROLLBACK")
                raise

        return self._reading(run)

    @contextmanager
    def _writing(self) -> Iterator[_Transaction]:
        """BEGIN ... COMMIT; every statement in it is the store's SQL, translated. Runs once: the
        write methods below run it again (`_again`) when the connection dropped."""
        import psycopg

        if self.read_only:
            raise StoreError(f"{self.path}: opened only to read; nothing can be written through it")
        if self._streams:
            raise StoreError(f"{self.path}: cannot write while a read of the drills is still streaming")
        conn = self._conn
        tx = _Transaction(conn)
        try:
            conn.execute("BEGIN")
        except psycopg.Error as exc:
            raise self._error(exc, "cannot write here") from None
        try:
            yield tx
        except psycopg.Error as exc:
            _quietly(conn.execute, "ROLLBACK")
            raise self._error(exc, "cannot write here") from None
        except BaseException:
            _quietly(conn.execute, "ROLLBACK")
            raise
        try:
            self._commit(conn)
        except psycopg.Error as exc:
            error = self._error(exc, "cannot write here")
            if isinstance(error, _Retry) and error.reason.startswith(_LOST):
                raise _Retry(error.reason, unknown=True, events=tx.events) from None
            raise error from None

    def _commit(self, conn: psycopg.Connection) -> None:
        conn.execute("COMMIT")

    # --- the writes, run again after a dropped connection ------------------------------------------

    def create(self, started: DrillStarted) -> str:
        return self._again(partial(super().create, started), logged=lambda rows: rows[0][0])

    def append(self, drill_id: str, event: Event, expect: int | None = None) -> int:
        return self._again(partial(super().append, drill_id, event, expect), logged=lambda rows: rows[0][1])

    def save_summaries(self, batch: dict[str, tuple]) -> None:
        return self._again(partial(super().save_summaries, batch))  # the same rows again: harmless

    def delete(self, drill_id: str) -> None:
        return self._again(partial(super().delete, drill_id), gone=drill_id)

    def issue_codes(self, drill_id: str, digests: dict[int, str], issued: str) -> None:
        return self._again(partial(super().issue_codes, drill_id, digests, issued))

    def take_seat(self, drill_id: str, terminal: str, team: int, doing: str, seen: float) -> None:
        return self._again(partial(super().take_seat, drill_id, terminal, team, doing, seen))

    def _again(self, run: Callable[[], Any], logged: Callable[[list], Any] | None = None,
               gone: str | None = None) -> Any:
        """run(), and once more after each dropped connection (reconnecting, backing off) for up to
        `timeout` seconds. A write whose COMMIT went unanswered is not written twice: `logged(events)`
        is its result when its events are in the log; a delete (`gone`) is done when the drill is."""
        deadline = time.monotonic() + self.timeout
        delay = _FIRST_DELAY
        while True:
            try:
                return run()
            except _Retry as exc:
                lost = exc
            if self._streams:  # the open stream's transaction went with the connection
                raise self._not_answering(lost.reason)
            unknown = lost if lost.unknown else None
            while True:
                if time.monotonic() + delay > deadline:
                    raise self._not_answering(lost.reason, unknown is not None)
                time.sleep(delay)
                delay = min(delay * 2, _MAX_DELAY)
                try:
                    self._reconnect()
                    if unknown is not None and (logged or gone):
                        if logged and unknown.events and self._in_log(unknown.events):
                            return logged(unknown.events)
                        if gone and not self._reading(lambda c: c.execute(
                                "SELECT 1 FROM drills WHERE id = %s", (gone,)).fetchall()):
                            return None
                    break
                except _Retry as again:
                    lost = again
                except ServerUnavailable as away:
                    lost = _Retry(away.reason)

    def _reconnect(self) -> None:
        """A new connection when the one held is gone (else the same: a deadlock needs none)."""
        if not (self._conn.closed or self._conn.broken):
            return
        _quietly(self._conn.close)
        self._conn = self._connect()

    def _in_log(self, events: list[tuple[str, int, str]]) -> bool:
        for drill, seq, payload in events:
            found = self._reading(lambda c, d=drill, s=seq: c.execute(
                "SELECT payload FROM events WHERE drill = %s AND seq = %s", (d, s)).fetchall())
            if not found or found[0][0] != payload:
                return False
        return True

    # --- errors, as one line naming the database (never its password) --------------------------------

    def _error(self, exc: psycopg.Error, doing: str, conn: psycopg.Connection | None = None) -> StoreError | _Retry:
        import psycopg

        conn = conn or self._conn
        state = getattr(exc, "sqlstate", None) or ""
        lost = conn.closed or conn.broken or state.startswith(("08", "57P"))
        if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError) and lost:
            return _Retry(f"{_LOST}{self._text(exc)}")
        if state in ("40P01", "40001"):  # a deadlock or serialization failure: PostgreSQL says run it again
            return _Retry(self._text(exc))
        if state == "55P03":  # lock_timeout: another writer held the drill for `timeout` seconds
            return StoreError(f"{self.path}: the database stayed busy for {self.timeout:.0f} s")
        return StoreError(f"{self.path}: {doing} ({self._text(exc)})")

    def _not_answering(self, reason: str, unknown: bool = False) -> StoreError:
        maybe = "; the last change may have been saved: look before making it again" if unknown else ""
        return StoreError(f"{self.path}: the database server is not answering ({reason}){maybe}; "
                          "nothing was lost, try again")

    def _text(self, exc: BaseException) -> str:
        """The driver's message, its first line (libpq adds hints on more), the password hidden."""
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        return scrub(lines[0].rstrip(".") if lines else type(exc).__name__, self._url)


_LOST = "the connection was lost: "


def check_url(url: str, timeout: float = DEFAULT_TIMEOUT, read_only: bool = False) -> None:
    """The whole check of a database named by URL before a front end opens it: it answers, and it
    is empty, ours and not newer (`read_only`: for a reading command, not older either). Reads only."""
    import psycopg

    conn = connect(url, timeout=timeout)
    try:
        conn.autocommit = True
        version = pg_schema.identify(conn, redact(url))
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise StoreError(f"{redact(url)}: cannot open ({scrub(first, url)})") from None
    finally:
        conn.close()
    if read_only and 0 < version < SCHEMA_VERSION:
        raise older(redact(url), version)


def _quietly(call: Callable, *args: Any) -> None:
    """A clean-up that may meet a connection already gone."""
    try:
        call(*args)
    except Exception:  # the error that matters is being raised already
        pass

