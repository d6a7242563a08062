"""The SQLite backend: the connection, its pragmas, migrations and transactions.

One transaction per event, safe with several writers (WAL, `BEGIN IMMEDIATE` retried while
another holds the lock), resumable. A file that is not ours, or from a newer breachdrill, is
refused before anything is written to it (even switching to WAL would rewrite its header).
A new file is made whole under a name of its own in the same folder (migrated, closed) and then
linked into place, so no process ever finds an empty or half-made database at the path, and
of several processes making it at once the first one's is kept. A store opened `read_only` (the
reading commands) never writes, never migrates and never waits for a writer
(dbfile.connect_reading); where there is no file yet it reads as empty, and nothing is made.
Every SQLite error, at open, in a read or a stream, in a write or its COMMIT, is one line naming
the file (dbfile.sqlite_error). The SQL of every read and write is in drill_reads.py,
summary_reads.py and writes.py.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ..dbfile import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    StoreError,
    check_location,
    check_room,
    connect_reading,
    identify,
    is_busy,
    older,
    resolve_path,
    sqlite_error,
    uri,
)
from .base import Params
from .joining import JoinRecords
from .schema import MIGRATIONS, NEWEST_VERSION, VERSION_APPLIED, VERSION_TABLE, applied_now, statements
from .summary_reads import SummaryReads
from .writes import DrillWrites


class Store(DrillWrites, SummaryReads, JoinRecords):
    """One SQLite file of drills. Open it, use it, close it (or use `with`)."""

    def __init__(self, path: str | os.PathLike | None = None, *, timeout: float = 30.0,
                 read_only: bool = False) -> None:
        self.path = resolve_path(path)
        self.timeout = timeout
        self.read_only = read_only
        self._conn = self._open_reading() if read_only else self._open()

    @classmethod
    def empty(cls, shown: Path | str) -> Store:
        """A read-only store with no drills, for a reading command where none was ever stored
        (no file yet, an empty PostgreSQL database): an in-memory database at the newest schema,
        its messages naming `shown`."""
        store = cls.__new__(cls)
        store.path, store.timeout, store.read_only = shown, 30.0, True
        store._conn = store._memory()
        return store

    # --- opening ----------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        path = self.path
        check_location(path)  # stat() and access() only: see scoring.dbfile for why
        if not path.exists():
            self._create()
        check_room(path)
        try:
            # isolation_level=None: we issue BEGIN ourselves, one transaction per event. mode=rw:
            # SQLite never creates the file (an empty one would be left if anything went wrong).
            conn = sqlite3.connect(uri(path, mode="rw"), uri=True, timeout=self.timeout, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise sqlite_error(path, exc, "cannot open") from None
        try:
            self._prepare(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _open_reading(self) -> sqlite3.Connection:
        path = self.path
        check_location(path, read_only=True)
        if not path.exists():  # nothing stored yet: nothing is made for a reader
            return self._memory()
        conn = connect_reading(path, self.timeout)
        try:
            version = identify(conn, path)
            if version == 0:  # a SQLite file with no tables: no drills in it
                conn.close()
                return self._memory()
            if version != SCHEMA_VERSION:
                raise older(path, version)
        except BaseException:
            conn.close()
            raise
        return conn

    def _memory(self) -> sqlite3.Connection:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        self._migrate(conn)
        conn.execute("PRAGMA query_only=ON")
        return conn

    def _create(self) -> None:
        """Make the new database whole under a name of its own beside `path`, then link it into
        place. A link never replaces a file: when another process put its new database there
        first, that one is kept and this one discarded. Where the file system has no hard links,
        it is renamed into place if the path is still free. Every file made here is removed
        again on any failure (nobody else knows their names)."""
        path = self.path
        made = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.new")
        try:
            conn = sqlite3.connect(uri(made, mode="rwc"), uri=True, timeout=self.timeout, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            _remove(made)
            raise sqlite_error(path, exc, "cannot create the database here") from None
        try:
            try:
                self._setup(conn)
                self._migrate(conn)
            finally:
                conn.close()  # the last connection: its -wal checkpointed into the file and removed
            try:
                os.link(made, path)
            except FileExistsError:
                pass  # another process made it first: theirs is the database
            except OSError:  # no hard links on this file system
                if not path.exists():
                    os.replace(made, path)
            _sync_folder(path.parent)  # the new name on disk before the first answer is
        except sqlite3.Error as exc:
            raise sqlite_error(path, exc, "cannot create the database here") from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the database here ({exc.strerror or exc})") from None
        finally:
            _remove(made)

    def _prepare(self, conn: sqlite3.Connection) -> None:
        # Identify the file before anything is written: even switching to WAL rewrites the header.
        version = identify(conn, self.path)
        try:
            self._setup(conn)
            # A file already at our schema is opened without the write lock: a reader never
            # waits for a writer (opening 100,000 drills costs what opening none does).
            if version != SCHEMA_VERSION:
                self._migrate(conn)
        except sqlite3.Error as exc:
            if is_busy(exc):
                raise StoreError(f"{self.path}: the database stayed busy for {self.timeout:.0f} s") from None
            raise sqlite_error(self.path, exc, "cannot write here") from None

    def _setup(self, conn: sqlite3.Connection) -> None:
        self._wal(conn)
        conn.execute("PRAGMA synchronous=FULL")  # an answer is on disk once submit returns
        conn.execute("PRAGMA foreign_keys=ON")

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
                if not is_busy(exc) or time.monotonic() > deadline:
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
        seq), retried while another writer holds the lock, up to `timeout` seconds. A COMMIT that
        fails (a full disk) is rolled back if SQLite has not already done so itself."""
        conn = conn or self._conn
        try:
            self._when_free(conn, "BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                raise StoreError(f"{self.path}: the database stayed busy for {self.timeout:.0f} s") from None
            raise sqlite_error(self.path, exc, "cannot write here") from None
        try:
            yield conn
        except BaseException:
            _rollback(conn)
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(conn)
            raise sqlite_error(self.path, exc, "cannot write here") from None

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """A write transaction whose every SQLite error is one line naming the file."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened only to read; nothing can be written through it")
        try:
            with self._transaction() as conn:
                yield conn
        except sqlite3.Error as exc:
            raise sqlite_error(self.path, exc, "cannot write here") from None

    def _read(self, sql: str, params: Params = ()) -> list[tuple]:
        """Every read goes through here: a damaged file is one line naming it, never a crash."""
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise sqlite_error(self.path, exc, "cannot read the drills") from None

    def _stream(self, sql: str, params: Params = (), size: int = 256) -> Iterator[tuple]:
        try:
            cursor = self._conn.execute(sql, params)
            while rows := cursor.fetchmany(size):
                yield from rows
        except sqlite3.DatabaseError as exc:
            raise sqlite_error(self.path, exc, "cannot read the drills") from None


def _rollback(conn: sqlite3.Connection) -> None:
    """ROLLBACK, unless SQLite already ended the transaction (it does after some failed COMMITs,
    and a second ROLLBACK would only say "no transaction is active")."""
    if conn.in_transaction:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def _sync_folder(folder: Path) -> None:
    """fsync a folder, so a name just linked into it survives a power cut (a folder's descriptor:
    no lock of the database file is held on it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # a file system that cannot sync a folder: SQLite's own syncs are what remain
    finally:
        os.close(fd)


def _remove(made: Path) -> None:
    """The new database's own files, made under its private name."""
    for name in (made, Path(f"{made}-wal"), Path(f"{made}-shm"), Path(f"{made}-journal")):
        with suppress(FileNotFoundError):
            name.unlink()
