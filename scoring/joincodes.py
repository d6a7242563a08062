"""Join codes: what a team types on its own terminal to answer for itself, and nothing else.

A code is 10 characters drawn by `secrets` from the 29 of `ALPHABET`, which leaves out those
misread aloud or on a projector (0/O, 1/I/L, 5/S): about 48 bits, so guessing one is hopeless.
Only its SHA-256 is stored: a code is random, so a plain digest (no salt) can be looked up and
still reveals nothing; whoever reads the database cannot join. It is shown when it is issued,
grouped as `ABCDE-FGHJK`.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"  # no 0 O, 1 I L, 5 S: misread aloud or in print
LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    """The code as a person reads it: two groups of five."""
    return f"{code[:5]}-{code[5:]}"


def typed(text: str) -> str | None:
    """What a person typed, as a code (case, spaces and dashes ignored), or None if it cannot be one."""
    code = "".join(ch for ch in text.upper() if ch not in " -\t")
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()
