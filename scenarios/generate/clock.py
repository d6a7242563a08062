"""Times in generated text, filled in once the scenario clock is known.

Blocks are written before the assembler gives each inject its minute (`at`), so a block that
shows a time writes a token, and `resolve_tokens` turns it into the renderer's placeholder for that
inject. The renderer counts `{{time:N}}` and `{{timestamp:N}}` in minutes after the incident
starts; the incident is discovered `LEAD` minutes after it starts, so what happened before the
discovery can be logged before it, and nothing an inject shows is later than the inject itself.

    [[found]]    the clock time of the discovery                      {{time:LEAD}}
    [[now]]      the clock time this inject arrives                   {{time:LEAD + at}}
    [[ts:-N]]    a log timestamp N minutes before this inject arrives  {{timestamp:LEAD + at - N}}
                 (an event since the discovery: never before it)
    [[pre:-N]]   a log timestamp N minutes before the discovery       {{timestamp:LEAD - N}}
    [[since]]    the time since the discovery, in words: "twelve minutes", "an hour and five minutes"
    [[Since]]    the same, capitalised
"""

from __future__ import annotations

import re

from .draft import GenerationError

LEAD = 45  # minutes from the incident's start to its discovery

TOKEN = re.compile(r"\[\[(found|now|since|Since|ts|pre)(?::(-?\d+))?\]\]")

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen").split()
_TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty"}


def number(n: int) -> str:
    """0..59 in words."""
    if n < 20:
        return _UNITS[n]
    tens, units = divmod(n, 10)
    return _TENS[tens] + (f"-{_UNITS[units]}" if units else "")


def words(minutes: int) -> str:
    """A duration as prose: "one minute", "twelve minutes", "an hour", "two hours and five minutes"."""
    hours, mins = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append("an hour" if hours == 1 else f"{number(hours)} hours")
    if mins or not hours:
        parts.append("one minute" if mins == 1 else f"{number(mins)} minutes")
    return " and ".join(parts)


class ClockError(GenerationError):
    """A block asked for a time the clock cannot give (an event since the discovery before it)."""


def resolve_tokens(text: str, at: int) -> str:
    def one(m: re.Match) -> str:
        name, arg = m.group(1), int(m.group(2) or 0)
        if arg > 0:
            raise ClockError(f"{m.group(0)}: an inject shows nothing later than itself")
        if name == "found":
            return f"{{{{time:{LEAD}}}}}"
        if name == "now":
            return f"{{{{time:{LEAD + at}}}}}"
        if name in ("since", "Since"):
            if at <= 0:
                raise ClockError(f"{m.group(0)} in the discovery itself")
            said = words(at)
            return said[:1].upper() + said[1:] if name == "Since" else said
        if name == "ts":
            if at + arg < 0:
                raise ClockError(f"{m.group(0)} at minute {at} falls before the discovery")
            return f"{{{{timestamp:{LEAD + at + arg}}}}}"
        if LEAD + arg < 0:
            raise ClockError(f"{m.group(0)} falls before the incident starts")
        return f"{{{{timestamp:{LEAD + arg}}}}}"

    return TOKEN.sub(one, text)


def resolve_tokens_in(value, at: int):
    """Every string in an inject's data, resolved for an inject at minute `at`."""
    if isinstance(value, str):
        return resolve_tokens(value, at) if "[[" in value else value
    if isinstance(value, list):
        return [resolve_tokens_in(v, at) for v in value]
    if isinstance(value, dict):
        return {k: resolve_tokens_in(v, at) for k, v in value.items()}
    return value
