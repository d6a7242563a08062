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
    p.add_argument("--meta", metavar="FILE",
                   help="a YAML file of the report's cover information (organisation, location, facilitators, "
                        "evaluators, contact) and the improvement plan's owners and due dates (actions)")
    p.add_argument("--organisation", help="the organisation that ran the exercise")
    p.add_argument("--location", help="where the exercise took place")
    p.add_argument("--facilitator", action="append", default=[], metavar="NAME",
                   help="a facilitator (repeat for each)")
    p.add_argument("--evaluator", action="append", default=[], metavar="NAME", help="an evaluator (repeat for each)")
    p.add_argument("--contact", help="the exercise's point of contact")
    p.add_argument("--responses", action="store_true",
                   help="csv: add each team's response to each inject as a table (without it and without "
                        "cover information, the CSV is exactly `results export`'s rows for the drill)")
    add_output_options(p)
    add_db_option(p)
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from scoring.report import render_report
    from scoring.report.meta import load_meta, merged

    from_file = load_meta(Path(args.meta)) if args.meta else None
    meta = merged(from_file, organisation=args.organisation, location=args.location,
                  facilitators=args.facilitator, evaluators=args.evaluator, contact=args.contact)
    with open_store(args) as store:
        drill = load_drill(store, args.drill)
    write_output(render_report(drill, args.format, meta, args.responses), args.output, args.force)
    return 0
