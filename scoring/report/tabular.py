"""Rows for spreadsheets: one per team, drill and finding; CSV cells that can never run as formulas."""

from __future__ import annotations

import csv
import io
import zlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import groupby
from typing import TYPE_CHECKING

from scenarios.safe_text import json_string, literal_cell

from ..jsontext import scalar
from ..scorecard import Finding
from .aar import ARCHIVED_NOTICE, capability_of, corrections, team_responses

if TYPE_CHECKING:
    from scenarios.model import Scenario
    from scenarios.playbook import Key

    from ..history import Filters, ScoredDrill
    from ..scorecard import Scorecard
    from ..store import Store

COLUMNS = (
    "drill_id", "created", "scenario_id", "scenario_title", "violation", "jurisdiction", "team", "overall",
    "dimension", "effect", "points_gained", "points_lost", "inject", "subject", "capability", "finding", "source",
)
CORRECTION_COLUMNS = ("corrected_at", "kind", "team", "inject", "before", "after", "reason")
COVER_COLUMNS = ("item", "detail")
RESPONSE_COLUMNS = ("team", "inject", "inject_title", "minute", "status", "response", "seconds", "method")
# OWASP CSV injection: a cell starting with one of these may be read as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


# The export's layout: bump it whenever COLUMNS, safe_cell, the rows or their CSV or JSON text
# change, and every team's cached export rows (scoring.store's exports table) are rebuilt.
# 2: control and bidi characters written as visible escapes in CSV cells, as \u escapes in JSON.
LAYOUT = "2"


def safe_cell(value: object) -> str:
    """The cell's text, its terminal and bidi controls shown as escapes (`\\x1b`, `\\u202e`; tab,
    newline and carriage return kept: a quoted cell holds them), prefixed with a single quote
    when a spreadsheet could run it as a formula."""
    text = "" if value is None else literal_cell(str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def _head(drill_id: str, created: str, scenario: Scenario, team: str, card: Scorecard) -> tuple:
    """A row's drill columns (drill_id .. overall), in COLUMNS order."""
    return (drill_id, created, scenario.id, scenario.title, scenario.violation, scenario.jurisdiction, team,
            card.overall)


def _tail(f: Finding, capability: str) -> tuple:
    """A row's finding columns (dimension .. source), in COLUMNS order."""
    # Points lost are written as a positive number in their own column, so no number
    # in the export ever starts with "-" (which the formula rule would have to quote).
    return (f.dimension, f.effect, f.points if f.points > 0 else 0.0, -f.points if f.points < 0 else 0.0,
            f.inject, f.subject, capability, f.message, f.source)


def _team_values(drill_id: str, created: str, scenario: Scenario, key: Key, cards: dict[str, Scorecard]
                 ) -> Iterator[tuple[str, tuple, list[tuple]]]:
    """(team, its drill columns, each finding's other columns): what every export row is made of."""
    for team, card in cards.items():
        tails = [_tail(f, capability_of(f, key)) for f in card.findings]
        yield team, _head(drill_id, created, scenario, team, card), tails


def finding_rows(drill: ScoredDrill) -> Iterable[dict]:
    row = drill.row
    for _, head, tails in _team_values(row.id, row.created, drill.scenario, drill.key, drill.cards):
        for tail in tails:
            yield dict(zip(COLUMNS, head + tail, strict=True))


# --- the export's text, a team at a time ------------------------------------------------------
# Byte for byte what csv_lines (csv.writer, QUOTE_ALL, CRLF) and json_dumps(row, indent=2) (from
# scenarios.safe_text: ensure_ascii=False, controls escaped) write of finding_rows
# (tests/test_scale_export.py holds them to it), at a fraction of the cost: the drill's columns
# are written once per team, not once per row.

def _csv_cell(value: object) -> str:
    return '"' + safe_cell(value).replace('"', '""') + '"'


_json_str = json_string  # ensure_ascii=False and controls escaped, as the export writes
_json_value = scalar


_JSON_KEYS = tuple(f"\n    {_json_str(c)}: " for c in COLUMNS)


def _json_item(values: tuple, keys: tuple[str, ...]) -> str:
    return "".join([k + _json_value(v) + "," for k, v in zip(keys, values, strict=True)])


def _tail_texts(f: Finding, capability: str) -> tuple[str, str]:
    """A finding's columns as CSV cells and as JSON members."""
    tail = _tail(f, capability)
    return ",".join([_csv_cell(v) for v in tail]) + "\r\n", _json_item(tail, _JSON_KEYS[8:])[:-1] + "\n  }"


_shared_tail_texts = lru_cache(maxsize=8192)(lambda f, capability, points_type: _tail_texts(f, capability))


def _finding_texts(f: Finding, capability: str) -> tuple[str, str]:
    """_tail_texts, each distinct finding written once: the scorer shares one Finding among
    every team and drill it describes alike (`type(points)` is in the key: 1 == 1.0, but the
    two are written differently; a finding that cannot be a key is written every time)."""
    try:
        return _shared_tail_texts(f, capability, type(f.points))
    except TypeError:
        return _tail_texts(f, capability)


def team_texts(drill_id: str, created: str, scenario: Scenario, key: Key, cards: dict[str, Scorecard]
               ) -> dict[str, dict[str, str]]:
    """{team: {"csv": its rows as CSV lines, "json": its rows as JSON array items joined by
    ",\n  "}}, in the scorecards' order: what `results export` writes of each team."""
    out = {}
    for team, card in cards.items():
        head = _head(drill_id, created, scenario, team, card)
        csv_head = ",".join([_csv_cell(v) for v in head]) + ","
        json_head = "{" + _json_item(head, _JSON_KEYS[:8])
        tails = [_finding_texts(f, capability_of(f, key)) for f in card.findings]
        out[team] = {"csv": "".join([csv_head + c for c, _ in tails]),
                     "json": ",\n  ".join([json_head + j for _, j in tails])}
    return out


def packed(texts: dict[str, str]) -> dict[str, bytes]:
    """A team's export texts as the store keeps them (about a sixth of their size)."""
    return {fmt: zlib.compress(text.encode("utf-8"), 6) for fmt, text in texts.items()}


def _unpacked(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


def export_chunks(store: Store, filters: Filters, fmt: str = "csv") -> Iterator[str]:
    """`results export`: one row per team, drill and finding, oldest drill first, as CSV text or
    one JSON array, in chunks of about 64 KiB as they come (memory stays flat). Each team's rows
    are the text cached with its summary; a drill whose cache is stale (call
    history.refresh_stale first) is loaded and scored from its events instead, so a drill that
    cannot be read stops the export (StoreError) rather than being left out."""
    from ..history import export_teams, load

    if fmt == "csv":
        pending, size, sep, first = [to_csv([])], 0, "", ""
    else:
        pending, size, sep, first = [], 0, ",\n  ", "[\n  "
    started = False
    for drill_id, teams in groupby(export_teams(store, filters, fmt), key=lambda r: r[0]):
        teams = [(team, blob) for _, team, blob in teams]
        if all(blob is not None for _, blob in teams):
            texts = [_unpacked(blob) for _, blob in teams]
        else:
            drill = load(store, drill_id)
            wanted = {team for team, _ in teams}
            made = team_texts(drill.row.id, drill.row.created, drill.scenario, drill.key, drill.cards)
            texts = [t[fmt] for team, t in made.items() if team in wanted]
        for text in texts:
            if not text:
                continue
            if fmt == "json":
                pending.append(sep if started else first)
                size += 4
            started = True
            pending.append(text)
            size += len(text)
        if size > 65_536:
            yield "".join(pending)
            pending, size = [], 0
    if fmt == "json":
        pending.append("\n]\n" if started else "[]\n")
    yield "".join(pending)


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


def _cover_rows(drill: ScoredDrill, meta: dict | None) -> list[dict]:
    """The report's cover information (HSEEP AAR): what the metadata gave, "not given" otherwise."""
    from .aar import _meta
    from .tables import cover

    overview = {"overview": _meta(meta)}
    return [{"item": item, "detail": detail} for item, detail in cover(overview)[1]]


def response_rows(drill: ScoredDrill) -> Iterator[dict]:
    """Each team's answer to each inject on its path: the options' texts as the team saw them
    (the rendered scenario), joined by "; ", or the free text as typed."""
    from scenarios.drillstate import state
    from scenarios.render import render

    scenario = render(drill.scenario, drill.row.seed)
    fold = state(drill.events, drill.scenario)
    for team in drill.cards:
        for inject in scenario.injects:
            given = team_responses(inject, fold, team)
            if given is None:
                continue
            yield {"team": team, "inject": inject.id, "inject_title": inject.title, "minute": inject.at,
                   "status": given["status"], "response": "; ".join(given["answer"]),
                   "seconds": "" if given["seconds"] is None else f"{given['seconds']:.0f}",
                   "method": given["method"] or ""}


def report_csv(drill: ScoredDrill, meta: dict | None = None, responses: bool = False) -> str:
    """The report as CSV tables, one blank line between them: the cover information (item,
    detail) when any metadata is given, the finding rows (exactly the rows `results export`
    gives), each team's responses when `responses`, then, for a drill corrected since it was
    recorded, the archived notice when it applies and the corrections. With none of these, the
    report is byte for byte `results export` of the drill (tests/test_hostile_text.py)."""
    from scenarios.drillstate import state
    from scenarios.render import render

    from .aar import META_FIELDS

    parts = []
    if meta and any(meta.get(k) for k in META_FIELDS):
        parts.append(to_csv(_cover_rows(drill, meta), COVER_COLUMNS))
    parts.append(to_csv(finding_rows(drill)))
    if responses:
        parts.append(to_csv(response_rows(drill), RESPONSE_COLUMNS))
    fold = state(drill.events, drill.scenario)
    if fold.corrections:
        rows = [r | {"corrected_at": r["at"]} for r in corrections(fold, render(drill.scenario, drill.row.seed))]
        notice = to_csv([], (ARCHIVED_NOTICE,)) if fold.archived else ""
        parts.append(notice + to_csv(rows, CORRECTION_COLUMNS))
    return "\r\n".join(parts)
