"""`breachdrill report DRILL --format md|html|csv|json [-o FILE]`: the after-action report."""

from __future__ import annotations

import argparse

from .common import add_db_option, add_output_options, open_store, write_output
from .results import load_drill


def register(sub) -> None:
    from scoring.report import FORMATS

    p = sub.add_parser("report", help="a drill's after-action report (HSEEP AAR/IP)")
    p.add_argument("drill", metavar="DRILL", help="a drill id (or a unique start of one)")
    p.add_argument("--format", choices=FORMATS, default="md", help="md (default), html, csv or json")
    add_output_options(p)
    add_db_option(p)
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from scoring.report import render_report

    with open_store(args) as store:
        drill = load_drill(store, args.drill)
    write_output(render_report(drill, args.format), args.output, args.force)
    return 0
