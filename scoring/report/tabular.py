"""Rows for spreadsheets: one per team, drill and finding; CSV cells that can never run as formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from ..history import ScoredDrill
from .aar import capability_of

COLUMNS = (
    "drill_id", "created", "scenario_id", "scenario_title", "violation", "jurisdiction", "team", "overall",
    "dimension", "effect", "points_gained", "points_lost", "inject", "subject", "capability", "finding", "source",
)
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


def to_csv(rows: Iterable[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([safe_cell(r[c]) for c in COLUMNS])
    return out.getvalue()
