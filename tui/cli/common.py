"""What every subcommand shares: one-line errors, library folders, finding a scenario."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import Any


class CliError(Exception):
    """A user's mistake: printed as one line, exit status 2, never a traceback."""


def add_library_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--library",
        action="append",
        default=[],
        metavar="DIR",
        help="also read scenarios from DIR (repeatable; BREACHDRILL_LIBRARY adds more, separated by ':')",
    )


def library_dirs(args: argparse.Namespace):
    from pathlib import Path

    from scenarios.library import library_dirs as dirs

    for folder in args.library:
        if not Path(folder).is_dir():
            raise CliError(f"--library {folder}: no such directory")
    return dirs(args.library)


def resolve_scenario(ref: str, args: argparse.Namespace):
    """The loaded scenario a user named by id or path; invalid ones are an error with its problems."""
    from scenarios.library import resolve

    try:
        loaded = resolve(ref, library_dirs(args))
    except LookupError as exc:
        raise CliError(str(exc)) from None
    if not loaded.ok:
        raise CliError("\n".join(str(p) for p in loaded.problems) or f"{ref}: invalid scenario")
    return loaded


def check_db(path: str, flag: str = "--db") -> None:
    """A --db that cannot be ours is one line naming the flag (or the variable), before anything is opened: a
    folder that is not there is refused, never created. Only for a process with no database
    connection open yet, as at start-up: the file is read through SQLite alone (scoring.dbfile)."""
    from pathlib import Path

    from scoring.dbfile import StoreError, check_file

    try:
        check_file(Path(path).expanduser())
    except StoreError as exc:
        raise CliError(f"{flag} {exc}") from None


def parse_seed(text: str) -> int:
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= seed < 2**63:
        raise argparse.ArgumentTypeError(f"must be between 0 and {2**63 - 1}")
    return seed


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def _chunks(text: str | Iterable[str]) -> Iterable[str]:
    return (text,) if isinstance(text, str) else text


def save_text(path: str, text: str | Iterable[str], force: bool = False) -> None:
    """Write FILE whole (never half a file, never over one unasked): FileExistsError when it is
    there and not `force`, CliError for any other reason it cannot be written. `text` may be a
    stream of chunks, written as they come, so a long export never sits whole in memory."""
    from pathlib import Path

    target = Path(path).expanduser()
    if target.exists() and not force:
        raise FileExistsError(path)
    if not target.parent.is_dir():
        raise CliError(f"{path}: no such folder {target.parent}")
    partial = target.with_name(f".{target.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            for chunk in _chunks(text):
                handle.write(chunk)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise CliError(f"{path}: cannot write ({exc.strerror or exc})") from None
    except BaseException:  # the stream failed (a damaged drill): no half file is left behind
        partial.unlink(missing_ok=True)
        raise


def write_output(text: str | Iterable[str], path: str | None, force: bool = False) -> None:
    """Print to stdout, or write FILE (see save_text); text or a stream of chunks."""
    if path is None:
        for chunk in _chunks(text):
            sys.stdout.write(chunk)
        return
    try:
        save_text(path, text, force)
    except FileExistsError:
        raise CliError(f"-o {path}: file exists (add --force to replace it)") from None
    except CliError as exc:
        raise CliError(f"-o {exc}") from None
    print(f"wrote {path}", file=sys.stderr)


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
