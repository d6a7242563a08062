"""The store's SQL (written with SQLite's placeholders) as psycopg takes it, translated once per text.

    translate(sql)      (text for psycopg, how its parameters are passed): `?` becomes `%s`, `?N`
                        `%(pN)s` and `:name` `%(name)s`; every literal `%` is doubled, so the text is
                        always sent with parameters (an empty tuple when it has none). Quoted strings,
                        quoted names and comments are copied as they are (but for their `%`).
    params(style, p)    the parameters in that form: `?N`'s tuple becomes {"p1": ..., ...}.
    event_rows(sql, p)  the (drill, seq, payload) of each row an `INSERT INTO events VALUES (...)`
                        writes: what a write whose COMMIT went unanswered looks for in the log.

One statement mixing the three styles is a bug in the store's SQL: ValueError when translated.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Quoted text first, so that nothing inside it is taken for a placeholder.
_TOKEN = re.compile(
    r"""(?P<quoted>'(?:[^']|'')*'|"(?:[^"]|"")*")"""
    r"""|(?P<comment>--[^\n]*|/\*.*?\*/)"""
    r"""|(?P<numbered>\?(?P<n>\d+))"""
    r"""|(?P<positional>\?)"""
    r"""|(?P<named>(?<![:\w]):(?P<name>[A-Za-z_]\w*))"""
    r"""|(?P<percent>%)""",
    re.DOTALL,
)

POSITIONAL, NUMBERED, NAMED = "positional", "numbered", "named"


@lru_cache(maxsize=2048)
def translate(sql: str) -> tuple[str, str]:
    styles: set[str] = set()

    def one(m: re.Match) -> str:
        if m.group("quoted") is not None or m.group("comment") is not None:
            return m.group(0).replace("%", "%%")
        if m.group("numbered") is not None:
            styles.add(NUMBERED)
            return f"%(p{int(m.group('n'))})s"
        if m.group("positional") is not None:
            styles.add(POSITIONAL)
            return "%s"
        if m.group("named") is not None:
            styles.add(NAMED)
            return f"%({m.group('name')})s"
        return "%%"  # the only other token

    text = _TOKEN.sub(one, sql)
    if len(styles) > 1:
        raise ValueError(f"one statement mixes placeholder styles {sorted(styles)}: {sql[:80]!r}")
    return text, styles.pop() if styles else POSITIONAL


def params(style: str, values: Any) -> Any:
    """The parameters as psycopg takes them for a statement of `style`."""
    if style == NUMBERED:
        return {f"p{i}": v for i, v in enumerate(values, 1)}
    return values if values is not None else ()


_EVENT_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+events\s+VALUES\s*\((?P<values>[^()]*)\)\s*;?\s*$", re.IGNORECASE)


@lru_cache(maxsize=64)
def _event_columns(sql: str) -> tuple[int | None, ...] | None:
    """The VALUES of an `INSERT INTO events VALUES (...)`, each None for a `?` or its integer
    literal; None for any other statement."""
    m = _EVENT_INSERT.match(sql)
    if m is None:
        return None
    return tuple(None if item.strip() == "?" else int(item) for item in m.group("values").split(","))


def event_rows(sql: str, values: Any) -> list[tuple[str, int, str]]:
    """[(drill, seq, payload)] of the event an `INSERT INTO events VALUES (...)` writes (the
    columns in the table's order: drill, seq, type, at, payload), [] for any other statement."""
    columns = _event_columns(sql)
    if columns is None:
        return []
    given = iter(values)
    row = [next(given) if c is None else c for c in columns]
    return [(row[0], row[1], row[4])]
