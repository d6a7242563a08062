"""`breachdrill serve [--host 127.0.0.1] [--port 8000] [--db PATH|URL]`: the join screen in a
browser, for participants without a terminal (tui/web). Each browser runs its own session on
the server; the database stays on this machine and a browser never holds its address."""

from __future__ import annotations

import argparse

from .common import CliError, add_db_option


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (1 to 65535)")
    return port


def register(sub) -> None:
    p = sub.add_parser(
        "serve", help="the join screen in a browser, for players and observers without a terminal",
        description="Serve the join screen to browsers: each participant opens the page and types the code the "
                    "console gave them. Listens on 127.0.0.1 unless --host says otherwise.",
    )
    p.add_argument("--host", default="127.0.0.1", metavar="ADDRESS",
                   help="the address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 is every "
                        "network interface)")
    p.add_argument("--port", type=_port, default=8000, help="the port to listen on (default 8000)")
    add_db_option(p)
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    from scoring.dbfile import resolve

    from . import _serve  # tui.web, through the one module that launches front ends

    where = resolve(args.db)
    if not isinstance(where, str) and not where.exists():
        raise CliError(f"{'--db ' if args.db else ''}{where}: no drills database here: serve the one the "
                       "console uses (--db PATH|URL, or BREACHDRILL_DB)")
    # Each session's process reads the database from its environment: never from the page.
    os.environ["BREACHDRILL_DB"] = str(where)
    try:
        _serve(args.host, args.port)
    except OSError as exc:
        import errno

        if exc.errno == errno.EADDRINUSE:
            raise CliError(f"--port {args.port}: port {args.port} on {args.host} is in use (another server?)") from None
        raise CliError(f"--host {args.host}: cannot listen there ({exc.strerror or exc})") from None
    return 0
