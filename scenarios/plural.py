"""Counts in words, for every front end and report: never "inject(s)"."""

from __future__ import annotations


def counted(count: int, thing: str, many: str | None = None) -> str:
    """`1 inject`, `3 injects`, `12,000 drills`, `2 boxes` (with many="boxes")."""
    return f"{count:,} {thing if count == 1 else (many or thing + 's')}"
