"""What a backend supplies to the store's SQL, which is written once over it.

The reads (drill_reads.py, summary_reads.py) and the writes (writes.py, joining.py) hold every
statement and call only these: a backend (sqlite.py, postgres.py) opens the connection, runs a
statement, streams a big read and holds a write transaction, and turns its driver's errors into
a StoreError naming the database. The SQL uses SQLite's placeholders (`?`, `?1`, `:name`):
postgres.py translates them (pg_sql.py). Where PostgreSQL cannot run SQLite's text, the backend
supplies the piece that differs (LOCK_ROW, JOIN_IN_ORDER): the rest is one text for both.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Self

Params = tuple | dict[str, Any]


class StoreBase:
    path: Path | str  # what messages name: the file, or the URL without its password
    _conn: Any  # the backend's connection
    # Opened for a reading command: it never writes (no migration, no cache saved) and never
    # waits for a writer; `_writing` refuses, and scoring.history computes instead of caching.
    read_only: bool = False

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Appended to the SELECT of the drill row a write is about to change, first in its transaction:
    # PostgreSQL's " FOR UPDATE" makes writers to one drill wait their turn (the next seq is read
    # by one at a time); SQLite's writers already hold the whole file (BEGIN IMMEDIATE).
    LOCK_ROW = ""
    # An inner join that keeps its left table the outer loop: SQLite's CROSS JOIN (its planner
    # never reorders it); PostgreSQL has no such hint, and no CROSS JOIN ... ON: a plain JOIN.
    JOIN_IN_ORDER = "CROSS JOIN"

    def _read(self, sql: str, params: Params = ()) -> list[tuple]:
        """Every row of one statement."""
        raise NotImplementedError

    def _stream(self, sql: str, params: Params = (), size: int = 256) -> Iterator[tuple]:
        """One statement's rows a few at a time, for reads too big to hold (an export of every
        drill): one statement, so one consistent snapshot however long it is read."""
        raise NotImplementedError

    def _writing(self) -> AbstractContextManager[Any]:
        """One write transaction, the write lock taken first: yields the connection to `execute`
        (and `executemany`) on; commits when the block ends, rolls back if it raises."""
        raise NotImplementedError
