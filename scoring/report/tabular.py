"""Rows for spreadsheets: one per team, drill and finding; CSV cells that can never run as formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from ..history import ScoredDrill
from .aar import ARCHIVED_NOTICE, capability_of, corrections

COLUMNS = (
    "drill_id", "created", "scenario_id", "scenario_title", "violation", "jurisdiction", "team", "overall",
    "dimension", "effect", "points_gained", "points_lost", "inject", "subject", "capability", "finding", "source",
)
CORRECTION_COLUMNS = ("corrected_at", "kind", "team", "inject", "before", "after", "reason")
# OWASP CSV injection: a cell starting with one of these may be read as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> str:
    """The cell's text, prefixed with a single quote when a spreadsheet could run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def finding_rows(drill: ScoredDrill) -> Iterable[dict]:
    row, scenario, key = drill.row, drill.scenario, drill.key
    for team, card in drill.cards.items():
        for f in card.findings:
            # Points lost are written as a positive number in their own column, so no number
            # in the export ever starts with "-" (which the formula rule would have to quote).
            yield {
                "drill_id": row.id,
                "created": row.created,
                "scenario_id": scenario.id,
                "scenario_title": scenario.title,
                "violation": scenario.violation,
                "jurisdiction": scenario.jurisdiction,
                "team": team,
                "overall": card.overall,
                "dimension": f.dimension,
                "effect": f.effect,
                "points_gained": f.points if f.points > 0 else 0.0,
                "points_lost": -f.points if f.points < 0 else 0.0,
                "inject": f.inject,
                "subject": f.subject,
                "capability": capability_of(f, key),
                "finding": f.message,
                "source": f.source,
            }


def csv_lines(rows: Iterable[dict], columns: tuple[str, ...] = COLUMNS) -> Iterator[str]:
    """The header and the rows as CSV text, in chunks of about 64 KiB as the rows come: an
    export streams these to its file instead of holding every row."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([safe_cell(r[c]) for c in columns])
        if out.tell() > 65_536:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def to_csv(rows: Iterable[dict], columns: tuple[str, ...] = COLUMNS) -> str:
    return "".join(csv_lines(rows, columns))


def report_csv(drill: ScoredDrill) -> str:
    """The report as CSV: the finding rows, then, for a drill corrected since it was recorded, a
    blank line, the archived notice when it applies, and the corrections as a second table (a
    drill never corrected gives exactly the rows `results export` gives)."""
    from scenarios.exercise import state
    from scenarios.render import render

    text = to_csv(finding_rows(drill))
    fold = state(drill.events, drill.scenario)
    if not fold.corrections:
        return text
    rows = [r | {"corrected_at": r["at"]} for r in corrections(fold, render(drill.scenario, drill.row.seed))]
    notice = to_csv([], (ARCHIVED_NOTICE,)) if fold.archived else ""
    return text + "\r\n" + notice + to_csv(rows, CORRECTION_COLUMNS)
