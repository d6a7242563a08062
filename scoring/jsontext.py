"""JSON text for plain values, byte for byte as json.dumps(..., ensure_ascii=False) writes them
made safe (scenarios.safe_text.json_dumps: DEL, C1 and bidi controls escaped too), without json's
pure-Python encoder: exports and `results list --json` write millions of them."""

from __future__ import annotations

from scenarios.safe_text import json_dumps, json_string


def scalar(value: object) -> str:
    """A str, number, bool or None as JSON; anything else as json_dumps writes it."""
    if isinstance(value, str):
        return json_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    return json_dumps(value)
