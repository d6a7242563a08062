"""The drills database: an event log with the scorecard caches Review reads, and its queries.

The store owns its schema and every statement sent to it: front ends and scoring.history call
its named reads and writes, never SQL. schema.py holds the migrations; drill_reads.py and
writes.py the log (drills and their events); summary_reads.py the queries over the cached
scorecards; sqlite.py the connection and transactions they run on (base.py says what a backend
supplies).
"""

from ..dbfile import APPLICATION_ID, ENV_VAR, SCHEMA_VERSION, StoreError, default_path, resolve_path
from .drill_reads import DrillRow
from .joining import Joined, Seat
from .schema import MIGRATIONS, statements
from .sqlite import Store
from .summary_reads import NO_FILTERS, Filters
from .writes import Behind

__all__ = [
    "APPLICATION_ID", "Behind", "ENV_VAR", "MIGRATIONS", "NO_FILTERS", "SCHEMA_VERSION", "DrillRow", "Filters",
    "Joined", "Seat", "Store", "StoreError", "default_path", "resolve_path", "statements",
]
