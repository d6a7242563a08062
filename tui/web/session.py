"""One browser session's process: the app a `breachdrill join` terminal runs, on the database
the server was started with (`BREACHDRILL_DB`, set by server.py for its sessions), driven by
textual-serve's web driver instead of a terminal. The app sees the driver (`App.is_web`) and
sends the page its title; everything else is the terminal's join screen and team screen."""

from __future__ import annotations

import sys


def main() -> int:
    from scenarios.errors import BreachdrillError
    from tui.app.launch import run_player

    try:
        return run_player(None, None)
    except BreachdrillError as exc:  # the database went away since the server checked it
        from tui.text import literal

        print(literal(f"breachdrill: error: {exc}"), file=sys.stderr)  # the server's log, not the page
        return 2


if __name__ == "__main__":
    sys.exit(main())
