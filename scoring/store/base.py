"""What a backend supplies to the store's SQL, which is written once over it.

The reads (drill_reads.py, summary_reads.py) and the writes (writes.py) hold every statement
and call only these: a backend (sqlite.py) opens the connection, runs a statement, streams a
big read and holds a write transaction, and turns its driver's errors into a StoreError naming
the file. The SQL uses SQLite's placeholders (`?`, `?1`, `:name`): another backend translates them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

Params = tuple | dict[str, Any]


class StoreBase:
    path: Path

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
