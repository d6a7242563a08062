"""The SQLite backend: the connection, its pragmas, migrations and transactions.

One transaction per event, safe with several writers (WAL, `BEGIN IMMEDIATE` retried while
another holds the lock), resumable. A file that is not ours, or from a newer breachdrill, is
refused before anything is written to it (even switching to WAL would rewrite its header).
The SQL of every read and write is in drill_reads.py, summary_reads.py and writes.py.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..dbfile import APPLICATION_ID, SCHEMA_VERSION, StoreError, check_location, identify, resolve_path
from .base import Params
from .joining import JoinRecords
from .schema import MIGRATIONS, NEWEST_VERSION, VERSION_APPLIED, VERSION_TABLE, applied_now, statements
from .summary_reads import SummaryReads
from .writes import DrillWrites


class Store(DrillWrites, SummaryReads, JoinRecords):
    """One SQLite file of drills. Open it, use it, close it (or use `with`)."""

    def __init__(self, path: str | os.PathLike | None = None, *, timeout: float = 30.0) -> None:
        self.path = resolve_path(path)
        self.timeout = timeout
        self._conn = self._open()

    # --- opening ----------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        path = self.path
        check_location(path)  # stat() and access() only: see scoring.dbfile for why
        try:
            # isolation_level=None: we issue BEGIN ourselves, one transaction per event.
            conn = sqlite3.connect(path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open ({exc})") from None
        try:
            self._prepare(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        # Identify the file before anything is written: even switching to WAL rewrites the header.
        version = identify(conn, self.path)
        try:
            self._wal(conn)
            conn.execute("PRAGMA synchronous=FULL")  # an answer is on disk once submit returns
            conn.execute("PRAGMA foreign_keys=ON")
            # A file already at our schema is opened without the write lock: a reader never
            # waits for a writer (opening 100,000 drills costs what opening none does).
            if version != SCHEMA_VERSION:
                self._migrate(conn)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: cannot write here ({exc})") from None

    def _wal(self, conn: sqlite3.Connection) -> None:
        """Switch to WAL, retried while another process holds the file: SQLite answers a change of
        journal mode "locked" at once, without waiting (several processes opening a new file)."""
        self._when_free(conn, "PRAGMA journal_mode=WAL")

    def _when_free(self, conn: sqlite3.Connection, statement: str) -> None:
        """Run `statement`, again and again while another process holds the file, for up to
        `timeout` seconds; then, or for any other error, the OperationalError is raised."""
        deadline = time.monotonic() + self.timeout
        delay = 0.005
        while True:
            try:
                conn.execute(statement)
                return
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)

    def _migrate(self, conn: sqlite3.Connection) -> None:
        with self._transaction(conn):
            exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name='schema_version'").fetchone()
            if not exists:
                conn.execute(VERSION_TABLE)
                conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            version = conn.execute(NEWEST_VERSION).fetchone()[0] or 0
            if version > SCHEMA_VERSION:  # another process upgraded it while we waited
                raise StoreError(f"{self.path}: made by a newer breachdrill (schema {version})")
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in statements(MIGRATIONS[target]):
                    conn.execute(statement)
                conn.execute(VERSION_APPLIED, (target, applied_now()))

    # --- what the reads and writes run on (base.StoreBase) ---------------------------------------

    @contextmanager
    def _transaction(self, conn: sqlite3.Connection | None = None) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE (the write lock up front, so two writers never both read the same next
        seq), retried while another writer holds the lock, up to `timeout` seconds."""
        conn = conn or self._conn
        try:
            self._when_free(conn, "BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _busy(exc):
                raise StoreError(f"{self.path}: the database stayed busy for {self.timeout:.0f} s") from None
            raise _write_error(self.path, exc) from None
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise _write_error(self.path, exc) from None

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """A write transaction whose every SQLite error is one line naming the file."""
        try:
            with self._transaction() as conn:
                yield conn
        except sqlite3.Error as exc:
            raise _write_error(self.path, exc) from None

    def _read(self, sql: str, params: Params = ()) -> list[tuple]:
        """Every read goes through here: a damaged file is one line naming it, never a crash."""
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot read the drills ({exc})") from None

    def _stream(self, sql: str, params: Params = (), size: int = 256) -> Iterator[tuple]:
        try:
            cursor = self._conn.execute(sql, params)
            while rows := cursor.fetchmany(size):
                yield from rows
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot read the drills ({exc})") from None


def _busy(exc: sqlite3.Error) -> bool:
    """Another connection holds the lock the statement needs."""
    return "locked" in str(exc) or "busy" in str(exc)


def _write_error(path: Path, exc: sqlite3.Error) -> StoreError:
    if _busy(exc):
        return StoreError(f"{path}: the database is busy (another breachdrill is writing); try again")
    return StoreError(f"{path}: cannot write here ({exc})")


