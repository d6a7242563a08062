"""`breachdrill`: the app with no arguments, the subcommands otherwise.

Subcommands import only what they use, so `breachdrill scenarios list` never pays for Textual.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from scenarios.errors import BreachdrillError

if TYPE_CHECKING:
    import argparse

# Each module adds its own subcommand; order here is the order `--help` lists them.
_COMMAND_MODULES = ("scenarios", "playbooks", "play", "results", "report", "join", "serve")


def build_parser() -> argparse.ArgumentParser:
    import argparse  # here, not above: `breachdrill` alone opens the app without it

    parser = _parser_class()(
        prog="breachdrill",
        description="Tabletop breach drills for Missouri municipalities, scored against the city's guide.",
        formatter_class=argparse.RawDescriptionHelpFormatter,  # the epilog's list keeps its lines
    )
    # Own dests, so a subcommand's --db/--library never clobber them; main() hands them on.
    parser.add_argument(
        "--db", dest="app_db", metavar="PATH|URL",
        help="the drills database (a SQLite file or a postgresql:// URL), for the app and for any command "
             "that keeps drills (default: BREACHDRILL_DB, else the user data folder)",
    )
    parser.add_argument(
        "--library", dest="app_library", action="append", default=[], metavar="DIR",
        help="also read scenarios from DIR, in the app and in any command that reads scenarios "
             "(repeatable; BREACHDRILL_LIBRARY adds more)",
    )
    parser.add_argument(
        "--playbooks", dest="app_playbooks", action="append", default=[], metavar="DIR",
        help="also read organisations' playbooks from DIR, in the app and in any command that reads scenarios "
             "or playbooks (repeatable; BREACHDRILL_PLAYBOOKS adds more)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import importlib

    for name in _COMMAND_MODULES:
        importlib.import_module(f"tui.cli.{name}").register(sub)
    parser.epilog = _commands_epilog(sub)
    return parser


def _parser_class():
    """The one ArgumentParser every command's parser is made of (add_subparsers hands its own
    class on to each subparser): a mistake is one line naming the flag, and a pointer to the
    command's --help rather than its whole usage."""
    import argparse

    class Parser(argparse.ArgumentParser):
        argv: list[str] = []  # what was parsed, to name the command an unknown argument was given to

        def error(self, message: str):  # type: ignore[override]
            from ..text import literal

            # "argument --since: expected a date ..." names the flag as "--since: ...".
            message = message.removeprefix("argument ")
            prog = _command_prog(self, self.argv)
            self.exit(2, literal(f"breachdrill: error: {message}") + f"\nusage: {prog} --help\n")

    return Parser


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _command_prog(parser: argparse.ArgumentParser, argv: list[str]) -> str:
    """The deepest command the arguments name, from `parser` down ("breachdrill results export")."""
    for word in argv:
        inner = _subcommands(parser)
        if word in inner:
            parser = inner[word]
    return parser.prog


def _commands_epilog(sub) -> str:
    """Every command, the nested ones by their actions, so `breachdrill --help` shows them all."""
    lines = ["commands:"]
    for name, parser in sub.choices.items():
        actions = _subcommands(parser)
        lines.append(f"  breachdrill {name} {'|'.join(actions)}" if actions else f"  breachdrill {name}")
    lines += ["", "Run `breachdrill COMMAND --help` for a command's options; run with no command to open the app."]
    return "\n".join(lines)


def _where(db: str) -> str:
    """The database a --db names: a file's absolute path, a server's URL as given."""
    import os

    from scoring.pgconnect import is_postgres_url

    return db if is_postgres_url(db) else os.path.abspath(os.path.expanduser(db))


def use_top_level_options(args: argparse.Namespace) -> None:
    """`breachdrill --db X --library D COMMAND`: the options given before the command are handed
    to it when it has them (it says so by having `db`/`library` in its namespace), and refused
    when it has not, so none is ever silently ignored. Then a --db is checked before it is used."""
    from .common import CliError

    command = " ".join(v for k, v in vars(args).items() if (k == "command" or k.endswith("_command")) and v)
    if args.app_db:
        if not hasattr(args, "db"):
            raise CliError(f"--db: '{command}' does not use a database")
        if args.db and _where(args.db) != _where(args.app_db):
            from scoring.pgconnect import redact  # a URL's password is never printed back

            raise CliError(f"--db {redact(args.app_db)} (before '{command}') and --db {redact(args.db)} "
                           "(after it) name different databases")
        args.db = args.db or args.app_db
    if args.app_library:
        if not hasattr(args, "library"):
            raise CliError(f"--library: '{command}' does not read the scenario library")
        args.library = [*args.app_library, *args.library]  # a new list: argparse shares the default
    if args.app_playbooks:
        if not hasattr(args, "playbooks"):
            raise CliError(f"--playbooks: '{command}' does not read playbooks")
        from .common import use_playbooks

        args.playbooks = [*args.app_playbooks, *args.playbooks]
        use_playbooks(args)  # in use now: some commands read a file without a service
    if getattr(args, "db", None):
        from scoring.dbfile import check_named

        from .common import reads_only

        check_named(args.db, read_only=reads_only(args))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # `breachdrill [--db X] [--library D ...] [--playbooks D ...]` opens the app without building every command's
    # parser (and importing every command) first.
    app_only = _app_options(argv)
    return _guarded(lambda: _open_app(*app_only) if app_only is not None else _run(build_parser(), argv))


def _app_options(argv: list[str]) -> tuple[str | None, list[str], list[str]] | None:
    """(db, library folders, playbook folders) when the arguments are only the app's own
    options, each with its value; None for anything else (a command, --help, a missing value),
    which the full parser handles and reports."""
    db, library, playbooks, i = None, [], [], 0
    while i < len(argv):
        flag, eq, value = argv[i].partition("=")
        if flag not in ("--db", "--library", "--playbooks"):
            return None
        if not eq:
            if i + 1 >= len(argv) or argv[i + 1].startswith("-"):
                return None
            value, i = argv[i + 1], i + 1
        if not value:
            return None
        if flag == "--db":
            db = value
        else:
            (library if flag == "--library" else playbooks).append(value)
        i += 1
    return db, library, playbooks


def _run(parser: argparse.ArgumentParser, argv: list[str]) -> int:
    type(parser).argv = argv  # a class attribute, so every subparser's error() sees it too
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        if args.command:
            parser.parse_args([args.command, "--help"])
        return _open_app(args.app_db, args.app_library, args.app_playbooks)
    use_top_level_options(args)
    from .common import check_output

    check_output(args)
    return args.func(args)


def _open_app(db: str | None, library: list[str], playbooks: list[str] | None = None) -> int:
    from tui.app.launch import run_app  # the one call from the command line into the app

    return run_app(db, library, playbooks)


def _open_player(db: str | None, code: str | None) -> int:
    """`breachdrill join`: a team's own terminal (here, beside `_open_app`: the one module of the
    command line that may reach into the app, and only its launcher)."""
    from tui.app.launch import run_player

    return run_player(db, code)


def _serve(host: str, port: int) -> None:
    """`breachdrill serve`: the web server whose sessions each run `_open_player`'s app."""
    from tui.web.server import serve

    serve(host, port)


def _guarded(run) -> int:
    """One line and exit 2 for anything a user can fix; never a traceback for it."""
    try:
        return run()
    except BreachdrillError as exc:  # CliError, StoreError, ExerciseError, SaveError...
        from ..text import literal

        # Messages quote file text and team names: printed literally, never as terminal controls.
        print(literal(f"breachdrill: error: {exc}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
