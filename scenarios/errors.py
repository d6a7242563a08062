"""The one base of every error a user can act on."""

from __future__ import annotations


class BreachdrillError(Exception):
    """A problem the user can fix (a file, a flag, an id, a database): its message is the one
    line they see, saying where. Front ends print or show it as it is, never a traceback."""


class Behind(BreachdrillError):
    """A drill's log has events the writer has not seen (another terminal wrote first): the
    writer catches up and checks its command again; nothing was written."""


class ExerciseError(BreachdrillError, ValueError):
    """A command that does not fit the drill's state; the message names the team and inject."""
