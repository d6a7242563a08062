"""`breachdrill results list | show | export`: drills in the store and their scorecards."""

from __future__ import annotations

import argparse

from ..text import CELL_WIDTH, cut, literal
from .common import STATUS_TEXT, CliError, add_db_option, add_output_options, open_store, print_json, write_output
from .scorecard_text import format_scorecard


def register(sub) -> None:
    parser = sub.add_parser("results", help="drills recorded in the database, and their scorecards")
    inner = parser.add_subparsers(dest="results_command", metavar="ACTION", required=True)

    p = inner.add_parser("list", help="every drill, newest first, in progress or ended")
    add_db_option(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_list)

    p = inner.add_parser("show", help="a drill's scorecard for each team")
    p.add_argument("drill", metavar="DRILL", help="a drill id (or a unique start of one)")
    add_db_option(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_show)

    p = inner.add_parser("export", help="one row per team, drill and finding, for spreadsheets")
    p.add_argument("--format", choices=("csv", "json"), default="csv", help="csv (default) or json")
    p.add_argument("--scenario", metavar="ID", help="only drills of this scenario")
    p.add_argument("--violation", choices=("access-control", "unpatched-system", "unsecured-pii"))
    p.add_argument("--jurisdiction", metavar="ID", help="east-independence or st-louis")
    p.add_argument("--team", metavar="NAME", help="only this team's rows")
    p.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="drills started on or after this day")
    p.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="drills started on or before this day")
    add_output_options(p)
    add_db_option(p)
    p.set_defaults(func=cmd_export)

    from .corrections import register as register_corrections  # correct, rename, archive, restore, delete
    register_corrections(inner)


def cmd_list(args: argparse.Namespace) -> int:
    import sys

    if args.json:
        with open_store(args) as store:
            rows = store.drills()
        sys.stdout.write(_json_rows([row.to_dict() for row in rows]) + "\n")
        return 0

    with open_store(args) as store:
        rows = store.listing()
    if not rows:
        print(f"no drills yet in {literal(str(store.path))}")
        return 0
    headers = ("DRILL", "CREATED", "STATUS", "SCENARIO", "TEAMS", "EVENTS")
    # 100,000 drills in well under a second: the cells as tuples, made literal all at once
    # when none holds a control character (one scan of the whole text), then one format a line.
    table = [
        (drill_id, created, STATUS_TEXT.get(status, status) + (", archived" if archived else ""), scenario,
         _team_names(teams), str(events))
        for drill_id, created, status, archived, scenario, teams, events in rows
    ]
    every = "\n".join(["\n".join(line) for line in table])
    if literal(every) != every:
        table = [tuple(literal(cell) for cell in line) for line in table]
    widths = [max(len(h), max(map(len, column))) for h, column in zip(headers, zip(*table, strict=True), strict=True)]
    if max(widths) > CELL_WIDTH:  # one long team name must not pad every row to its width (--json keeps it all)
        table = [tuple(cut(cell) for cell in line) for line in table]
        widths = [min(w, CELL_WIDTH) for w in widths]
    line_format = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [line_format.format(*headers).rstrip()]
    out += [line_format.format(*line).rstrip() for line in table]
    out.append("")
    sys.stdout.write("\n".join(out))
    return 0


def _json_rows(rows: list[dict]) -> str:
    """json_dumps(rows, indent=2) (ensure_ascii=False, controls and bidi escaped) for rows of
    plain values and lists of them, as print_json lays them out, without json's pure-Python
    indenting encoder (100,000 drills in a fraction of a second rather than seconds)."""
    from scenarios.safe_text import json_dumps, json_string
    from scoring.jsontext import scalar

    encode = json_string

    def value(v, indent: str) -> str:
        if isinstance(v, list):
            inner = indent + "  "
            return "[\n" + ",\n".join(inner + value(x, inner) for x in v) + "\n" + indent + "]" if v else "[]"
        if isinstance(v, dict):
            return json_dumps(v, indent=2).replace("\n", "\n" + indent)
        return scalar(v)

    if not rows:
        return "[]"
    items = ("  {\n" + ",\n".join(f"    {encode(k)}: {value(v, '    ')}" for k, v in row.items()) + "\n  }"
             if row else "  {}" for row in rows)
    return "[\n" + ",\n".join(items) + "\n]"


def _team_names(teams: str) -> str:
    """The store's teams column (a JSON list) as `", ".join(json.loads(teams))`, without json
    for the usual text: in json.dumps' default layout, names with no escape (no backslash, so
    no quote inside a name) are the text between '", "'. Any other layout leaves a quote
    behind, and is decoded."""
    if "\\" not in teams and teams.startswith('["') and teams.endswith('"]'):
        names = teams[2:-2].replace('", "', ", ")
        if '"' not in names:
            return names
    import json

    return ", ".join(json.loads(teams))


def load_drill(store, ref: str):
    """A stored drill, scored against its own snapshots; its summary cache refreshed."""
    from scoring.history import load, refresh

    drill = load(store, ref)
    refresh(store, drill)
    return drill


def cmd_show(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        drill = load_drill(store, args.drill)
    row, cards = drill.row, drill.cards
    if args.json:
        print_json(row.to_dict() | {"scorecards": [card.to_dict() for card in cards.values()]})
        return 0
    print(literal(f"Drill {row.id}: {row.title} [{row.scenario_id}], seed {row.seed}, "
                  f"{STATUS_TEXT.get(row.status, row.status)}{', timed' if row.timed else ''}"))
    for card in cards.values():
        print()
        print(format_scorecard(card))
    return 0


def _day(text: str):
    import re
    from datetime import date

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:  # 2026-13-40: the shape of a date, but no such day
        raise argparse.ArgumentTypeError(f"{text!r} is not a day ({exc})") from None


def _check_filters(args: argparse.Namespace, store) -> None:
    """A filter that can match nothing because it is mistyped is one line naming its flag, not an
    empty export: an unknown scenario or jurisdiction (neither a stored drill's nor the
    library's)."""
    if args.scenario is None and args.jurisdiction is None:
        return
    from scoring.history import choices

    stored = choices(store)
    rows = None
    for flag, value, kind in (("--scenario", args.scenario, "scenario"),
                              ("--jurisdiction", args.jurisdiction, "jurisdiction")):
        known = {v for v, _ in stored[kind]}
        if value is None or value in known:
            continue
        if rows is None:  # the library is read only when the stored drills do not know the value
            rows = _library_rows(args)
        known |= {r.scenario_id if kind == "scenario" else r.jurisdiction for r in rows}
        if kind == "jurisdiction":
            from scenarios.loader import playbooks

            known |= set(playbooks())
        known.discard(None)
        known.discard("")
        if value in known:
            continue
        import difflib

        close = difflib.get_close_matches(value, sorted(known), n=3, cutoff=0.5)
        hint = (f"; did you mean {', '.join(close)}?" if close
                else f" (known: {', '.join(sorted(known))})" if kind == "jurisdiction"
                else " (see `breachdrill results list` and `breachdrill scenarios list`)")
        raise CliError(f"{flag} {value}: no drill or library scenario has this {kind}{hint}")


def _library_rows(args: argparse.Namespace) -> list:
    from scoring.drills import DrillService

    drills = DrillService(db=args.db or None)
    return [r for r in drills.validate_library(drills.scan_library()) if r.scenario_id]


def cmd_export(args: argparse.Namespace) -> int:
    from scoring.history import Filters, refresh_stale
    from scoring.report.tabular import export_chunks
    if args.since and args.until and args.since > args.until:
        raise CliError(f"--since {args.since} is after --until {args.until}")
    filters = Filters(args.scenario, args.violation, args.jurisdiction, args.team, args.since, args.until)
    with open_store(args) as store:
        _check_filters(args, store)
        refresh_stale(store)  # summaries behind their events, and export rows never cached
        # Each team's rows as cached with its summary, streamed from one query and written as
        # they come: memory stays flat, time is the text's. A drill that cannot be read leaves
        # no half file (save_text).
        write_output(export_chunks(store, filters, args.format), args.output, args.force)
    return 0
