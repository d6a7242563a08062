"""The drills database: an event log with the scorecard caches Review reads, and its queries.

The store owns its schema and every statement sent to it: front ends and scoring.history call
its named reads and writes, never SQL. schema.py holds the migrations; drill_reads.py and
writes.py the log (drills and their events); summary_reads.py the queries over the cached
scorecards; sqlite.py the connection and transactions they run on, postgres.py the same on a
PostgreSQL server (its DDL in pg_schema.py, its placeholders in pg_sql.py; base.py says what a
backend supplies). `open_store` opens either: every front end goes through it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ..dbfile import APPLICATION_ID, ENV_VAR, SCHEMA_VERSION, StoreError, default_path, resolve, resolve_path
from .drill_reads import DrillRow
from .joining import Joined, Seat
from .schema import MIGRATIONS, statements
from .sqlite import Store
from .summary_reads import NO_FILTERS, Filters
from .writes import Behind

if TYPE_CHECKING:
    from .postgres import PostgresStore


def open_store(db: str | os.PathLike | None = None, environ: dict[str, str] | None = None,
               timeout: float = 30.0, read_only: bool = False) -> Store | PostgresStore:
    """The store `db` names: a SQLite file (a path) or a PostgreSQL database (a postgresql://
    URL); None means BREACHDRILL_DB (from `environ`, else the process's), else the default file.
    `timeout`: how long a write waits for another writer, and on PostgreSQL how long a read or
    write keeps trying while the server is away, before one StoreError line. `read_only`: for a
    command that only reads: nothing is written, migrated or made, no writer is waited for, and
    a database not made yet reads as one with no drills."""
    where = resolve(db, environ)
    if isinstance(where, str):
        from .postgres import PostgresStore

        server = PostgresStore(where, timeout=timeout, read_only=read_only)
        if read_only and server.version == 0:  # no schema yet: no drills, and none is made
            server.close()
            return Store.empty(server.path)
        return server
    return Store(where, timeout=timeout, read_only=read_only)


__all__ = [
    "APPLICATION_ID", "Behind", "ENV_VAR", "MIGRATIONS", "NO_FILTERS", "SCHEMA_VERSION", "DrillRow", "Filters",
    "Joined", "Seat", "Store", "StoreError", "default_path", "open_store", "resolve", "resolve_path", "statements",
]
