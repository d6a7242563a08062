"""What every subcommand shares: one-line errors, library folders, finding a scenario."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import Any

from scenarios.errors import BreachdrillError

from ..text import SaveError, chunks, json_dumps, save_text


class CliError(BreachdrillError):
    """A user's mistake: printed as one line, exit status 2, never a traceback."""


def add_library_option(parser: argparse.ArgumentParser) -> None:
    """--library, and --playbooks with it: a command that reads scenarios validates each against
    its jurisdiction's playbook, which may be an organisation's own."""
    parser.add_argument(
        "--library",
        action="append",
        default=[],
        metavar="DIR",
        help="also read scenarios from DIR (repeatable; BREACHDRILL_LIBRARY adds more, separated by ':')",
    )
    add_playbooks_option(parser)


class _PlaybookFolders(argparse.Action):
    """--playbooks DIR, repeatable. The folders are put in use as the option is read (and again,
    with BREACHDRILL_PLAYBOOKS checked, by `service`): a command that loads a scenario file
    without a service (`scenarios validate PATH`) reads them all the same."""

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, [*(getattr(namespace, self.dest, None) or []), values])
        use_playbooks(namespace)


def add_playbooks_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--playbooks",
        action=_PlaybookFolders,
        default=[],
        metavar="DIR",
        help="also read organisations' playbooks from DIR (repeatable; BREACHDRILL_PLAYBOOKS adds more, "
             "separated by ':')",
    )


def use_playbooks(args: argparse.Namespace) -> None:
    """Make this command's --playbooks and BREACHDRILL_PLAYBOOKS the user playbook folders.
    Checked as --library is, by the commands that have the option: a named folder that is not
    there is one line. Any other command (one that scores stored drills, each against its own
    playbook snapshot) reads the environment's folders that exist, for drills recorded without one."""
    from scenarios import playbook_folders

    if hasattr(args, "playbooks"):
        playbook_folders.check(args.playbooks)
        playbook_folders.use(playbook_folders.playbook_dirs(args.playbooks))
    else:
        playbook_folders.use(playbook_folders.existing(playbook_folders.playbook_dirs()))


def service(args: argparse.Namespace):
    """The drill service for this command's --db (a file or a postgresql:// URL, handed on as
    given: the service resolves it) and --library (the app's folders and store), with the
    user playbook folders in use (`use_playbooks`)."""
    from scoring.drills import DrillService

    drills = DrillService(db=getattr(args, "db", None) or None, library=list(getattr(args, "library", [])))
    # BREACHDRILL_LIBRARY is checked as --library is, by the commands that read the library
    # (those with a --library): a `results list` does not fail for a folder it never reads.
    drills.check_library(environment=hasattr(args, "library"))
    use_playbooks(args)
    return drills


def resolve_scenario(ref: str, args: argparse.Namespace):
    """The loaded scenario a user named by id or path; invalid ones are an error with its problems."""
    try:
        loaded = service(args).resolve(ref)
    except LookupError as exc:
        raise CliError(str(exc)) from None
    if not loaded.ok:
        raise CliError("\n".join(str(p) for p in loaded.problems) or f"{ref}: invalid scenario")
    return loaded


def seed_option(text: str | None, flag: str = "--seed") -> int:
    """The seed given, else a new one (the one range every front end draws from)."""
    if text is None:
        from scoring.drills import new_seed

        return new_seed()
    try:
        return parse_seed(text)
    except argparse.ArgumentTypeError as exc:
        raise CliError(f"{flag} {text}: {exc}") from None


def parse_seed(text: str) -> int:
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= seed < 2**63:
        raise argparse.ArgumentTypeError(f"must be between 0 and {2**63 - 1}")
    return seed


def print_json(value: Any) -> None:
    """JSON as json.dumps(value, indent=2, ensure_ascii=False) lays it out, with the terminal and
    bidi controls json leaves raw (DEL, C1, U+202E, ...) as \\u escapes too: it decodes to exactly
    the value, and prints nothing a terminal would act on (scenarios.safe_text)."""
    sys.stdout.write(json_dumps(value, indent=2) + "\n")


def write_output(text: str | Iterable[str] | bytes, path: str | None, force: bool = False) -> None:
    """Print to stdout, or write FILE (see save_text); text, a stream of chunks, or bytes."""
    if path is None and isinstance(text, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(text)
        sys.stdout.buffer.flush()
        return
    if path is None:
        for chunk in chunks(text):
            sys.stdout.write(chunk)
        return
    try:
        save_text(path, text, force)
    except FileExistsError:
        raise CliError(f"-o {path}: file exists (add --force to replace it)") from None
    except SaveError as exc:
        raise CliError(f"-o {exc}") from None
    print(f"wrote {path}", file=sys.stderr)


def check_output(args: argparse.Namespace) -> None:
    """An -o that names a folder is refused before the command does its work (a report rendered
    only to be thrown away); save_text refuses it too, for a folder made meanwhile."""
    import os

    path = getattr(args, "output", None)
    if path and os.path.isdir(path):
        raise CliError(f"-o {path}: is a directory; give a file name")


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        default=None,
        help="the drill database: a SQLite file, or postgresql://user:password@host:port/db "
             "(default: $BREACHDRILL_DB, else breachdrill.db in the user data folder)",
    )


# The commands that only read the store: they open it read-only (nothing written, migrated or
# made, no writer waited for), so they work on a read-only file and answer while a drill is
# being recorded. (command, its results action): every other command may write.
READING_COMMANDS = frozenset({("results", "list"), ("results", "show"), ("results", "export"), ("report", None)})


def reads_only(args: argparse.Namespace) -> bool:
    """The command only reads the store (READING_COMMANDS)."""
    return (getattr(args, "command", None), getattr(args, "results_command", None)) in READING_COMMANDS


def open_store(args: argparse.Namespace):
    """A connection to the store this command's --db names (closed by the caller: `with`),
    read-only for a reading command."""
    return service(args).open_store(read_only=reads_only(args))


STATUS_TEXT = {"in-progress": "in progress", "ended": "ended"}
