"""`breachdrill`: the app with no arguments, the subcommands otherwise.

Subcommands import only what they use, so `breachdrill scenarios list` never pays for Textual.
"""

from __future__ import annotations

import argparse
import sys

from .commands import common

# Each module adds its own subcommand; order here is the order `--help` lists them.
_COMMAND_MODULES = ("scenarios", "play", "results", "report")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="breachdrill",
        description="Tabletop breach drills for Missouri municipalities, scored against the city's guide.",
        epilog="Run with no command to open the app.",
    )
    # The app's own options (no command given); own dests so a subcommand's --db/--library never clobber them.
    parser.add_argument(
        "--db", dest="app_db", metavar="PATH",
        help="the app's drills database (default: BREACHDRILL_DB, else the user data folder)",
    )
    parser.add_argument(
        "--library", dest="app_library", action="append", default=[], metavar="DIR",
        help="the app also reads scenarios from DIR (repeatable; BREACHDRILL_LIBRARY adds more)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import importlib

    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(f"tui.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"tui.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if getattr(args, "func", None) is None:
            if args.command:
                parser.parse_args([args.command, "--help"])
            from .launch import run_app

            return run_app(args)
        return args.func(args)
    except common.CliError as exc:
        print(f"breachdrill: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
