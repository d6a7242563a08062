"""`breachdrill scenarios export | import`: a scenario as an HSEEP MSEL spreadsheet, and back.

`add_msel(inner)` adds both actions to `breachdrill scenarios`; the spreadsheet code (and
openpyxl) loads only when one of them runs."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..text import counted, literal
from .common import CliError, add_library_option, add_output_options, resolve_scenario, write_output

FORMATS = ("msel-csv", "msel-xlsx")

LAYOUT_HELP = """\
The sheet: one header row, the HSEEP columns first (Scenario time, Event
synopsis, Inject, Responsible controller, Intended player, Expected player
response, Objective or capability, Delivery method, Evaluator notes), then the
key by id (Row type, ID, Subject, Question, Answer kind, Time limit (s), Steps,
Notifies, Harms, Keywords, Next, Order key).

Row type: one inject row per inject, its artifact and option rows beneath it.
The scenario's own fields (title, summary, objectives, facts ...) are scenario
rows, the name under Event synopsis and the value under Inject: a CSV's first
rows, an xlsx's "Scenario" sheet (columns Field and Value).
Steps, Notifies, Harms, Order key: ids separated by commas. Keywords: one a
line. Scenario time: whole minutes (or H:MM). Facts: yes or no."""


def add_msel(inner) -> None:
    p = inner.add_parser(
        "export", help="write a scenario as an HSEEP MSEL spreadsheet (CSV or xlsx)",
        description="Write a scenario as a Master Scenario Events List (HSEEP MSEL): one row per\n"
                    "inject, its artifacts and options beneath it. `scenarios import` reads it\n"
                    "back into the same scenario. Cells that a spreadsheet would run as formulas\n"
                    "are written as text.",
        epilog=LAYOUT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("ref", metavar="ID|PATH", help="a scenario id from the library, or a scenario file")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="msel-csv or msel-xlsx (default: from -o's extension, else msel-csv)")
    add_output_options(p)
    add_library_option(p)
    p.set_defaults(func=cmd_export)

    p = inner.add_parser(
        "import", help="read an MSEL spreadsheet (CSV or xlsx) back into a scenario file",
        description="Read a Master Scenario Events List into a scenario file, checked as\n"
                    "`scenarios validate` checks one. Every problem is one line,\n"
                    "FILE:ROW:COLUMN: message (FILE[SHEET] for an xlsx's Scenario sheet), all\n"
                    "in one pass; nothing is written when there is any (exit 1).",
        epilog=LAYOUT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("path", metavar="FILE", help="an .xlsx or .csv MSEL")
    add_output_options(p)
    p.set_defaults(func=cmd_import)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    return "msel-xlsx" if args.output and Path(args.output).suffix.lower() == ".xlsx" else "msel-csv"


def cmd_export(args: argparse.Namespace) -> int:
    from scenarios.msel import write

    loaded = resolve_scenario(args.ref, args)
    if _format(args) == "msel-csv":
        write_output(write.csv_text(loaded.scenario, loaded.key), args.output, args.force)
        return 0
    if args.output is None and sys.stdout.isatty():
        raise CliError("msel-xlsx is a binary file: give -o FILE.xlsx, or redirect standard output")
    write_output(write.xlsx_bytes(loaded.scenario, loaded.key), args.output, args.force)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from scenarios.msel.read import read, scenario_yaml

    if not os.path.lexists(args.path):
        raise CliError(f"{args.path}: no such file or directory")
    imported = read(args.path)
    for line in [*imported.problems, *imported.warnings]:
        print(literal(str(line)), file=sys.stderr)  # cells quote the sheet: shown literally
    if not imported.ok:
        print(f"{counted(len(imported.problems), 'problem')} in {literal(args.path)}; nothing written", file=sys.stderr)
        return 1
    write_output(scenario_yaml(imported.scenario, args.path), args.output, args.force)
    return 0
