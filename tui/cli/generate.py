"""`breachdrill scenarios generate`: a fresh scenario file for a violation and a city, from a seed.

`add_generate(inner)` adds the action to `breachdrill scenarios`. Nothing heavy is imported
here: the generator (pydantic models, playbooks) loads only when the command runs, so every other
command keeps its start-up time.
"""

from __future__ import annotations

import argparse
import difflib

from .common import CliError, add_output_options, seed_option, service, write_output

# Spelled out for --help without importing the generator; checked against it when the command runs.
VIOLATIONS_HELP = "access-control | unpatched-system | unsecured-pii"
JURISDICTIONS_HELP = "a playbook id: east-independence | st-louis"
DIFFICULTIES_HELP = "introductory | intermediate | advanced"


def add_generate(inner) -> None:
    p = inner.add_parser(
        "generate",
        help="write a new scenario for a violation and a city; the same seed gives the same file",
        description="Generate a scenario file. It validates, plays and can be edited like a built-in.",
    )
    # Values are read as text and checked in cmd_generate, so a bad one is one line naming its flag.
    p.add_argument("--violation", metavar="V", help=VIOLATIONS_HELP)
    p.add_argument("--jurisdiction", metavar="J", help=JURISDICTIONS_HELP)
    p.add_argument(
        "--seed", metavar="N", help="the seed (default: a random one, written into the file's header and id)"
    )
    p.add_argument("--difficulty", metavar="D", help=f"{DIFFICULTIES_HELP} (default intermediate)")
    add_output_options(p)
    p.set_defaults(func=cmd_generate)


def _choice(flag: str, value: str | None, known: tuple[str, ...], default: str | None = None) -> str:
    if value is None:
        if default is not None:
            return default
        raise CliError(f"{flag} is required (one of: {', '.join(known)})")
    if value not in known:
        close = difflib.get_close_matches(value, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f" (one of: {', '.join(known)})"
        raise CliError(f"{flag} {value}: unknown value{hint}")
    return value


def cmd_generate(args: argparse.Namespace) -> int:
    from scenarios.generate import DEFAULT_DIFFICULTY, DIFFICULTIES, VIOLATIONS, jurisdictions

    violation = _choice("--violation", args.violation, VIOLATIONS)
    jurisdiction = _choice("--jurisdiction", args.jurisdiction, jurisdictions())
    difficulty = _choice("--difficulty", args.difficulty, DIFFICULTIES, DEFAULT_DIFFICULTY)
    # Validated before it is handed out: a generator bug stops here (GeneratedInvalid), not in a drill.
    generated = service(args).generate(violation, jurisdiction, seed_option(args.seed), difficulty)
    write_output(generated.text, args.output, args.force)
    return 0
