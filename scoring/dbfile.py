"""Where the drills database lives, and whether the file there is breachdrill's.

A database is a SQLite file (a path) or a PostgreSQL database (a postgresql:// URL, scoring.store.
postgres): `resolve` says which, `check_named` checks either before a front end opens it.

Nothing here opens the database file except through SQLite. Closing any other descriptor on
it would drop every POSIX lock the process holds on the file, including the locks of its open
connections (SQLite's "How To Corrupt An SQLite Database File", section 2.2): another process
closing its connection would then take itself for the last one, checkpoint, and delete the
WAL that this process is still writing to. So the location is checked with stat() and
access() only, and the content through SQLite's own pragmas.

Kept free of pydantic and the engine: the app checks its --db with this before its first frame.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from scenarios.errors import BreachdrillError

ENV_VAR = "BREACHDRILL_DB"
APPLICATION_ID = 0x42445231  # "BDR1" in the SQLite header marks the file as breachdrill's
SCHEMA_VERSION = 5  # the newest schema this breachdrill writes (scoring.store.schema.MIGRATIONS reach it)


class StoreError(BreachdrillError):
    """A database problem, as one line that names the file."""


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("breachdrill")) / "breachdrill.db"


def resolve(db: str | os.PathLike | None = None, environ: dict[str, str] | None = None) -> Path | str:
    """--db PATH or URL, else BREACHDRILL_DB, else the user data directory: the SQLite file's
    Path, or a PostgreSQL URL as it was given (a str)."""
    from .pgconnect import is_postgres_url, redact

    named = db or (environ if environ is not None else os.environ).get(ENV_VAR)
    if not named:
        return default_path()
    if isinstance(named, os.PathLike) and str(named).lower().startswith(("postgresql:/", "postgres:/")):
        # Path("postgresql://...") is "postgresql:/...": never a file to create, nor a password to show
        raise StoreError(f"{redact(str(named).replace(':/', '://', 1))}: a PostgreSQL URL made into a file path "
                         "(its '//' lost): pass the URL as text")
    return named if is_postgres_url(named) else Path(named).expanduser()


def resolve_path(path: str | os.PathLike | None = None, environ: dict[str, str] | None = None) -> Path:
    """--db PATH, else BREACHDRILL_DB, else the user data directory: a SQLite file (a URL there
    is refused, without its password: scoring.store.open_store opens either)."""
    found = resolve(path, environ)
    if isinstance(found, str):
        from .pgconnect import redact

        raise StoreError(f"{redact(found)}: a PostgreSQL database, not a SQLite file (open it with open_store)")
    return found


def check_location(path: Path) -> None:
    """Refuse a place the store cannot use, by stat() and access() alone. Only the default
    location's folder is created: a folder the user named that is not there is a typo."""
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a breachdrill database")
    if path.exists():
        if not os.access(path, os.R_OK):
            raise StoreError(f"{path}: cannot read (permission denied)")
        # WAL keeps -wal and -shm files beside the database, so its folder must be writable too.
        if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            raise StoreError(f"{path}: cannot write here (the file or its folder is read-only)")
        return
    folder = path.parent
    if not folder.exists():
        if path != default_path():
            raise StoreError(f"{path}: no such folder {folder} (create it first, or choose another database)")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the database here ({exc.strerror or exc})") from None
    if not folder.is_dir():
        raise StoreError(f"{path}: cannot create the database here ({folder} is not a folder)")
    if not os.access(folder, os.W_OK):
        raise StoreError(f"{path}: cannot create the database here ({folder} is read-only)")


def identify(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version of an open file, 0 for a new one; StoreError when it is not ours.
    Reads only: nothing is written to a file that is refused."""
    try:
        # One statement, so one snapshot: another process may be committing the first migration
        # (its tables and its application id together) between two separate reads.
        app_id, names = conn.execute(
            "SELECT (SELECT application_id FROM pragma_application_id), "
            "(SELECT json_group_array(name) FROM sqlite_master WHERE type='table')").fetchone()
        tables = set(json.loads(names))
    except sqlite3.OperationalError as exc:  # could not open or lock it: not the file's fault
        raise StoreError(f"{path}: cannot open ({exc})") from None
    except sqlite3.DatabaseError:  # "file is not a database", "disk image is malformed"
        raise StoreError(f"{path}: not a breachdrill database") from None
    if not tables:
        return 0
    if app_id != APPLICATION_ID or "schema_version" not in tables:
        raise StoreError(f"{path}: not a breachdrill database")
    try:
        version = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
    except sqlite3.DatabaseError:
        raise StoreError(f"{path}: not a breachdrill database") from None
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path}: made by a newer breachdrill (schema {version}); upgrade breachdrill to open it")
    return version


def check_file(path: Path) -> None:
    """The whole check, for a process with no connection open yet (the app before it starts):
    the location, then the content read through SQLite, read-only."""
    check_location(path)
    if not path.exists():
        return
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        identify(conn, path)
    finally:
        conn.close()


def check_named(path: str, flag: str = "--db") -> None:
    """check_file for a database the user named, the one line naming the flag (or variable)
    too: a folder that is not there is refused, never created. A PostgreSQL URL is connected to
    and its database identified the same way, read-only (the URL shown without its password)."""
    from .pgconnect import is_postgres_url

    try:
        if is_postgres_url(path):
            from .store.postgres import check_url

            check_url(path)
        else:
            check_file(Path(path).expanduser())
    except StoreError as exc:
        raise StoreError(f"{flag} {exc}") from None
