"""Where the drills database lives, and whether the file there is breachdrill's.

A database is a SQLite file (a path) or a PostgreSQL database (a postgresql:// URL, scoring.store.
postgres): `resolve` says which, `check_named` checks either before a front end opens it.

Nothing here opens the database file except through SQLite. Closing any other descriptor on
it would drop every POSIX lock the process holds on the file, including the locks of its open
connections (SQLite's "How To Corrupt An SQLite Database File", section 2.2): another process
closing its connection would then take itself for the last one, checkpoint, and delete the
WAL that this process is still writing to. So the location is checked with stat() and
access() only, and the content through SQLite's own pragmas.

Every SQLite error becomes words here (`sqlite_error`): a damaged file, a full disk, a read-only
place, a busy one. A file is a regular file or absent (a FIFO or a device would hang or read
forever), and never empty: breachdrill makes a new database under a name of its own and links it
into place whole (scoring.store.sqlite), so an empty file was never one of ours. A reading
command's connection (`connect_reading`) writes nothing and never waits for a writer.

Kept free of pydantic and the engine: the app checks its --db with this before its first frame.
"""

from __future__ import annotations

import json
import os
import shlex
import sqlite3
import stat
from pathlib import Path

from scenarios.errors import BreachdrillError

ENV_VAR = "BREACHDRILL_DB"
APPLICATION_ID = 0x42445231  # "BDR1" in the SQLite header marks the file as breachdrill's
SCHEMA_VERSION = 5  # the newest schema this breachdrill writes (scoring.store.schema.MIGRATIONS reach it)

# Free space below which a disk counts as full: less than SQLite needs to open a database whose
# -shm is not there yet (its 32 KiB, and the first pages of a -wal).
ROOM_TO_OPEN = 64 * 1024
# An I/O error with less than this free is the full disk it almost surely is.
FULL_BELOW = 1024 * 1024


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


# --- SQLite's errors, in words -------------------------------------------------------------------

# SQLite's primary result codes (an extended code's low byte).
_BUSY, _LOCKED, _NOMEM, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN = 5, 6, 7, 8, 10, 11, 13, 14
_PERM, _NOTADB, _AUTH = 3, 26, 23
DISK_FULL = "the disk is full: free some space, then try again"


def damaged(path: Path | str) -> str:
    """What to say of a damaged file, and how to save what it still holds."""
    where = Path(path)
    saved = where.with_name(f"{where.stem}-recovered{where.suffix or '.db'}")
    return (f"the file is damaged: run `sqlite3 {shlex.quote(str(where))} .recover | sqlite3 "
            f"{shlex.quote(str(saved))}` to save what it still holds")


def _free(folder: Path) -> int | None:
    """Bytes free to this process in `folder`'s file system, None when it cannot be told."""
    try:
        found = os.statvfs(folder)
    except (OSError, AttributeError):
        return None
    return found.f_bavail * found.f_frsize


def disk_full(path: Path | str, below: int = FULL_BELOW) -> bool:
    free = _free(Path(path).parent)
    return free is not None and free < below


def cause(path: Path | str, exc: sqlite3.Error) -> str:
    """An SQLite error as words (by its result code, the message where the code is missing)."""
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == _CORRUPT or (primary is None and "malformed" in text):
        return damaged(path)
    if primary == _NOTADB:
        return "not a database file"
    if primary == _FULL or (primary is None and "full" in text):
        return DISK_FULL
    if primary in (_IOERR, _CANTOPEN) and disk_full(path):
        return DISK_FULL  # an I/O error on a full disk: SQLite's -shm on a full tmpfs is one
    if primary == _IOERR:
        return "a disk I/O error: the disk or its connection failed"
    if primary == _READONLY:
        return "the file or its folder is read-only"
    if primary == _CANTOPEN:
        return "cannot open the file or the -wal and -shm files beside it"
    if primary in (_BUSY, _LOCKED) or "locked" in text or "busy" in text:
        return "the database is busy (another breachdrill is writing); try again"
    if primary in (_PERM, _AUTH):
        return "permission denied"
    if primary == _NOMEM:
        return "out of memory"
    return text


def sqlite_error(path: Path | str, exc: sqlite3.Error, doing: str) -> StoreError:
    """The one line for an SQLite error met `doing` something ("cannot read the drills")."""
    return StoreError(f"{path}: {doing} ({cause(path, exc)})")


def is_busy(exc: sqlite3.Error) -> bool:
    """Another connection holds the lock the statement needs."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_BUSY, _LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


# --- the location --------------------------------------------------------------------------------

def _stat(path: Path) -> os.stat_result | None:
    """The file's stat (symlinks followed), None when there is none."""
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:  # a folder on the way that cannot be searched, a symlink loop
        raise StoreError(f"{path}: cannot open ({exc.strerror or exc})") from None


def check_location(path: Path, read_only: bool = False) -> None:
    """Refuse a place the store cannot use, by stat() and access() alone. Only the default
    location's folder is created, and only to write: a folder the user named that is not there
    is a typo. `read_only`: for reading, where a missing file is an empty store (nothing is made)."""
    found = _stat(path)
    if found is not None:
        if stat.S_ISDIR(found.st_mode):
            raise StoreError(f"{path}: is a directory, not a breachdrill database")
        if not stat.S_ISREG(found.st_mode):
            from scenarios.files import kind_of

            raise StoreError(f"{path}: is {kind_of(found.st_mode)}, not a breachdrill database "
                             "(a database is a regular file)")
        if not os.access(path, os.R_OK):
            raise StoreError(f"{path}: cannot read (permission denied)")
        if found.st_size == 0:
            raise StoreError(f"{path}: an empty file (0 bytes), not a breachdrill database (breachdrill never "
                             "leaves one): delete it to start a new database there, or choose another")
        if read_only:
            return
        # WAL keeps -wal and -shm files beside the database, so its folder must be writable too.
        if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            raise StoreError(f"{path}: cannot write here (the file or its folder is read-only)")
        return
    folder = path.parent
    if not folder.exists():
        if path != default_path():
            raise StoreError(f"{path}: no such folder {folder} (create it first, or choose another database)")
        if read_only:
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the database here ({exc.strerror or exc})") from None
    if not folder.is_dir():
        raise StoreError(f"{path}: cannot create the database here ({folder} is not a folder)")
    if read_only:
        return
    if not os.access(folder, os.W_OK):
        raise StoreError(f"{path}: cannot create the database here ({folder} is read-only)")


def check_room(path: Path) -> None:
    """A connection that would create the -shm beside the file needs room for it: on a full
    disk SQLite would leave an empty -wal and a stub -shm behind and say "disk I/O error"."""
    if not Path(f"{path}-shm").exists() and disk_full(path, ROOM_TO_OPEN):
        raise StoreError(f"{path}: cannot open ({DISK_FULL})")


def uri(path: Path, **params: str) -> str:
    """The file as an SQLite URI (percent-encoded, absolute) with its query parameters."""
    return path.resolve().as_uri() + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def _size(path: Path) -> int | None:
    """A file's size, None when there is none (stat() only)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return None


def connect_reading(path: Path, timeout: float = 30.0) -> sqlite3.Connection:
    """A connection that reads the existing file `path` and writes nothing to it, never waiting
    for a writer (WAL readers do not). Where the file and its folder can be written it is an
    ordinary connection with query_only set: as the last one closed it removes the -wal and -shm
    it made. Where they cannot, SQLite's read-only mode; and in a read-only folder with no -wal
    (so no other process can be writing: it would need one) the file is read as immutable, since
    SQLite cannot make the -shm there. A -wal with changes in it beside no -shm in a read-only
    folder cannot be read: said so."""
    wal, shm = _size(Path(f"{path}-wal")), _size(Path(f"{path}-shm"))
    folder_writable = os.access(path.parent, os.W_OK)
    if os.access(path, os.W_OK) and folder_writable:
        mode = {"mode": "rw"}
    elif folder_writable or (wal is not None and shm is not None):  # SQLite reads a -wal through its -shm
        mode = {"mode": "ro"}
    elif wal:
        raise StoreError(f"{path}: cannot read (its folder is read-only and its -wal file holds changes that "
                         "only a connection able to write its -shm there can read: open it once where it can "
                         "be written)")
    else:
        mode = {"mode": "ro", "immutable": "1"}
    if "immutable" not in mode:
        check_room(path)
    try:
        conn = sqlite3.connect(uri(path, **mode), uri=True, timeout=timeout, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error as exc:
        raise sqlite_error(path, exc, "cannot open") from None
    try:
        conn.execute("PRAGMA query_only=ON")
    except sqlite3.Error as exc:
        conn.close()
        raise sqlite_error(path, exc, "cannot open") from None
    return conn


# --- the content ---------------------------------------------------------------------------------

def identify(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version of an open file, 0 for a new one; StoreError when it is not ours.
    Reads only: nothing is written to a file that is refused. A file marked as ours whose pages
    cannot be read is damaged, and said so with how to recover what it holds."""
    try:
        # One statement, so one snapshot: another process may be committing the first migration
        # (its tables and its application id together) between two separate reads.
        app_id, names = conn.execute(
            "SELECT (SELECT application_id FROM pragma_application_id), "
            "(SELECT json_group_array(name) FROM sqlite_master WHERE type='table')").fetchone()
        tables = set(json.loads(names))
    except sqlite3.OperationalError as exc:  # could not open or lock it: not the file's fault
        raise sqlite_error(path, exc, "cannot open") from None
    except sqlite3.DatabaseError as exc:  # "file is not a database", "disk image is malformed"
        raise _unreadable(conn, path, exc) from None
    if not tables:
        return 0
    if app_id != APPLICATION_ID or "schema_version" not in tables:
        raise StoreError(f"{path}: not a breachdrill database")
    try:
        version = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
    except sqlite3.OperationalError as exc:
        raise sqlite_error(path, exc, "cannot open") from None
    except sqlite3.DatabaseError as exc:
        raise _unreadable(conn, path, exc) from None
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path}: made by a newer breachdrill (schema {version}); upgrade breachdrill to open it")
    return version


def _unreadable(conn: sqlite3.Connection, path: Path, exc: sqlite3.DatabaseError) -> StoreError:
    """A file SQLite cannot read: damaged when its header says it is breachdrill's (the plain
    pragma reads the header alone), else not ours."""
    try:
        ours = conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    except sqlite3.Error:
        ours = False
    return sqlite_error(path, exc, "cannot open") if ours else StoreError(f"{path}: not a breachdrill database")


def older(shown: Path | str, version: int) -> StoreError:
    """A reading command met a database at an older schema, which only a writer upgrades."""
    return StoreError(f"{shown}: made by an older breachdrill (schema {version}; this one reads {SCHEMA_VERSION}): "
                      "open it once with a command that writes (the app, or `breachdrill play`) to upgrade it, "
                      "then read it")


def check_file(path: Path, read_only: bool = False) -> None:
    """The whole check, for a process with no connection open yet (the app before it starts):
    the location, then the content read through SQLite, writing nothing (`read_only`: for a
    reading command, which never writes and reads an older schema not at all)."""
    check_location(path, read_only)
    if not path.exists():
        return
    conn = connect_reading(path)
    try:
        version = identify(conn, path)
    finally:
        conn.close()
    if read_only and 0 < version < SCHEMA_VERSION:
        raise older(path, version)


def check_named(path: str, flag: str = "--db", read_only: bool = False) -> None:
    """check_file for a database the user named, the one line naming the flag (or variable)
    too: a folder that is not there is refused, never created. A PostgreSQL URL is connected to
    and its database identified the same way, read-only (the URL shown without its password)."""
    from .pgconnect import is_postgres_url

    try:
        if is_postgres_url(path):
            from .store.postgres import check_url

            check_url(path, read_only=read_only)
        else:
            check_file(Path(path).expanduser(), read_only)
    except StoreError as exc:
        raise StoreError(f"{flag} {exc}") from None
