"""The incidents a generated scenario can be about: a `Story` (story.py) per incident, a
handful per violation, each with its system, its data and its own words for every block.

    access, accounts   access-control: a permission that exposed data; a sign-in that should have failed
    unpatched          unpatched-system
    pii                unsecured-pii
"""

from __future__ import annotations

from . import access, accounts, pii, unpatched
from .story import Story

# The stories each violation draws from. The order is part of the output: a seed picks a story by
# its position here, so appending is safe and reordering changes every generated scenario.
BY_VIOLATION: dict[str, tuple[Story, ...]] = {
    "access-control": access.STORIES + accounts.STORIES,
    "unpatched-system": unpatched.STORIES,
    "unsecured-pii": pii.STORIES,
}
