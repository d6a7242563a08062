"""JSON text for plain values, byte for byte as json.dumps(..., ensure_ascii=False) writes them,
without json's pure-Python encoder: exports and `results list --json` write millions of them."""

from __future__ import annotations

import json

_string = json.encoder.encode_basestring  # ensure_ascii=False


def scalar(value: object) -> str:
    """A str, number, bool or None as JSON; anything else as json.dumps writes it."""
    if isinstance(value, str):
        return _string(value)
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
    return json.dumps(value, ensure_ascii=False)
