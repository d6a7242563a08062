"""`breachdrill join [CODE] [--db PATH|URL]`: a team's own terminal, joined with the code the
facilitator's console gave the team. The app opens on that team's screen only (tui/app/player.py);
a wrong or expired code is one line and exit 2, with nothing written and no screen opened."""

from __future__ import annotations

import argparse


def register(sub) -> None:
    p = sub.add_parser(
        "join", help="a team's own terminal: join a drill with the team's code",
        description="Open a team's own screen on a drill the facilitator runs: the inject in front of the team, "
                    "its answers, and its scorecard once the facilitator opens the debrief. The observers' code "
                    "opens the drill read-only; the facilitator's opens its console. Without CODE, the app asks "
                    "for it.",
    )
    p.add_argument("code", nargs="?", metavar="CODE",
                   help="the join code, as the console shows it: a team's, the observers' or the "
                        "facilitator's (like ABCDE-FGHJK; case, spaces and dashes do not matter)")
    p.add_argument("--db", metavar="PATH|URL", default=None,
                   help="the facilitator's drills database (default: $BREACHDRILL_DB, else breachdrill.db "
                        "in the user data folder)")
    p.set_defaults(func=cmd_join)


def cmd_join(args: argparse.Namespace) -> int:
    from . import _open_player  # tui.app.launch.run_player, through the one module allowed to reach it

    return _open_player(args.db, args.code)
