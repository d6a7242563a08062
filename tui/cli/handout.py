"""`breachdrill scenarios handout`: a scenario as printable pages for a drill run on paper.

`add_handout(inner)` adds the action to `breachdrill scenarios`; the handout code (and faker,
for the seed's details) loads only when it runs."""

from __future__ import annotations

import argparse
import sys

from .common import add_library_option, add_output_options, check_output, parse_seed, resolve_scenario, write_output

DEFAULT_SEED = 1  # as `scenarios show`: the seed the packs are made with when none is given


def add_handout(inner) -> None:
    p = inner.add_parser(
        "handout", help="printable HTML: the players' pack, one page per inject (or --facilitator: the key)",
        description="Write a scenario as printable HTML for a drill run on paper. The players' pack has a\n"
                    "title page, then one page per inject as a drill with this seed shows it: sender,\n"
                    "channel, message, artifacts, the question and its options numbered in the drill's\n"
                    "order, with circles, boxes, blanks or lines to mark. --facilitator writes the\n"
                    "facilitator's copy instead: per inject the guide's answer by the same numbers, what\n"
                    "each option does with the guide section it cites, which inject each answer leads to,\n"
                    "and the debrief. Make both with the same --seed. Print from a browser.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("ref", metavar="ID|PATH", help="a scenario id from the library, or a scenario file")
    p.add_argument("--seed", type=parse_seed, default=None,
                   help=f"the drill's seed: its details and the order of its options (default {DEFAULT_SEED})")
    p.add_argument("--facilitator", action="store_true",
                   help="write the facilitator's copy (the key, the routes, the debrief) instead of the players' pack")
    p.add_argument("--paper", choices=("letter", "a4"), default="letter", help="page size (default letter)")
    add_output_options(p)
    add_library_option(p)
    p.set_defaults(func=cmd_handout)


def cmd_handout(args: argparse.Namespace) -> int:
    from datetime import date

    from scenarios import handout

    check_output(args)
    loaded = resolve_scenario(args.ref, args)
    seed = DEFAULT_SEED if args.seed is None else args.seed
    make = handout.facilitator if args.facilitator else handout.players
    write_output(make(loaded.scenario, loaded.key, seed, date.today(), args.paper), args.output, args.force)
    if args.seed is None:  # the numbers on the pages are the seed's: say which one this is
        print(f"seed {seed} (no --seed given): make the other pack with the same seed", file=sys.stderr)
    return 0
