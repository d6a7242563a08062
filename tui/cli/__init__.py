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
    # Own dests, so a subcommand's --db/--library never clobber them; main() hands them on.
    parser.add_argument(
        "--db", dest="app_db", metavar="PATH",
        help="the drills database, for the app and for any command that keeps drills "
             "(default: BREACHDRILL_DB, else the user data folder)",
    )
    parser.add_argument(
        "--library", dest="app_library", action="append", default=[], metavar="DIR",
        help="also read scenarios from DIR, in the app and in any command that reads scenarios "
             "(repeatable; BREACHDRILL_LIBRARY adds more)",
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


def _where(path: str) -> str:
    import os

    return os.path.abspath(os.path.expanduser(path))


def use_top_level_options(args: argparse.Namespace) -> None:
    """`breachdrill --db X --library D COMMAND`: the options given before the command are handed
    to it when it has them (it says so by having `db`/`library` in its namespace), and refused
    when it has not, so none is ever silently ignored. Then a --db is checked before it is used."""
    command = " ".join(v for k, v in vars(args).items() if (k == "command" or k.endswith("_command")) and v)
    if args.app_db:
        if not hasattr(args, "db"):
            raise common.CliError(f"--db: '{command}' does not use a database")
        if args.db and _where(args.db) != _where(args.app_db):
            raise common.CliError(
                f"--db {args.app_db} (before '{command}') and --db {args.db} (after it) name different databases")
        args.db = args.db or args.app_db
    if args.app_library:
        if not hasattr(args, "library"):
            raise common.CliError(f"--library: '{command}' does not read the scenario library")
        args.library = [*args.app_library, *args.library]  # a new list: argparse shares the default
    if getattr(args, "db", None):
        common.check_db(args.db)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if getattr(args, "func", None) is None:
            if args.command:
                parser.parse_args([args.command, "--help"])
            from .launch import run_app

            return run_app(args)
        use_top_level_options(args)
        return args.func(args)
    except common.CliError as exc:
        from .commands.safe import literal

        # Messages quote file text and team names: printed literally, never as terminal controls.
        print(literal(f"breachdrill: error: {exc}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
