"""The report's sentences as a person would write them: no internal ids, articles and plurals
by count, times in the local time zone with its name.

The scorer's finding messages name injects and options by id (they are also what `results
export` writes, byte for byte); `Reader.text` rewrites them for a reader, with the inject's
title and the option's text from the rendered scenario. Every text stays literal: the renderers
escape it as they always did.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from ..scorecard import Finding

_INJECT = re.compile(r"\b([Ii])nject '([^'\n]+)'")
_OPTION = re.compile(r"'([^'\n]+)' \(([^()\n]*)\)")
_RUBRIC = re.compile(r"rubric entry '([^'\n]+)'")
_UNDOES = re.compile(r"; it undoes ([^.;]+)\.$")
_NOT_DONE = re.compile(r"^Not done: (.+?), so (.+?) before it was not shown\. ?")
_OUT_OF_ORDER = re.compile(r"^Out of order: (.+?) without (.+?) before it\. ?")


def article(phrase: str) -> str:
    """`a` or `an` before a phrase, by its first sound as spelled (an access control breach)."""
    first = phrase.strip()[:1].lower()
    return "an" if first and first in "aeiou" else "a"


def _moment(value: float | str | None) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_time(value: float | str | None) -> str | None:
    """A time (epoch seconds or ISO text) in the local time zone with its name: `2026-12-01 14:05 CST`.
    None when there is none; text that is not a time is returned as it is."""
    moment = _moment(value)
    if moment is None:
        return None if value in (None, "") else str(value)
    local = moment.astimezone()
    return local.strftime("%Y-%m-%d %H:%M ") + (local.tzname() or local.strftime("%z"))


def iso(value: float | str | None) -> str | None:
    moment = _moment(value)
    return None if moment is None else moment.isoformat(timespec="seconds")


def quote(text: str) -> str:
    return f"“{text}”"


class Reader:
    """Finding messages rewritten for a reader of `scenario` (the rendered one) and `key`."""

    def __init__(self, scenario, key) -> None:
        self.key = key
        self.titles = {i.id: i.title for i in scenario.injects}
        self.options = {i.id: {o.id: o.text for o in i.options} for i in scenario.injects}

    def inject(self, inject_id: str | None) -> str:
        """An inject as a reader knows it: its title, quoted."""
        if inject_id is None:
            return ""
        return quote(self.titles.get(inject_id, inject_id))

    def option(self, inject_id: str | None, option_id: str) -> str:
        return quote(self.options.get(inject_id or "", {}).get(option_id, option_id))

    def _step(self, step_id: str) -> str:
        step = self.key.steps.get(step_id)
        return quote(step.title) if step else step_id

    def text(self, f: Finding) -> str:
        message = f.message
        m = _NOT_DONE.match(message)
        if m:
            then, first = m.group(1), m.group(2)
            message = f"{then} was not done, so {first} could not be shown to come before it. " + message[m.end():]
        m = _OUT_OF_ORDER.match(message)
        if m:
            message = f"Out of order: {m.group(1)} was done without {m.group(2)} before it. " + message[m.end():]
        message = message.replace("whom the guide has reached first", "who the guide says must be reached first")
        message = message.replace("whom the guide gives no cause to reach here",
                                  "though the guide gives no cause to reach them here")
        if f.dimension == "sequence" and f.inject in self.options:
            known = self.options[f.inject]
            message = _OPTION.sub(
                lambda m: self.option(f.inject, m.group(1)) if m.group(1) in known else m.group(0), message)
        if f.inject in self.options:
            known = self.options[f.inject]
            message = _RUBRIC.sub(
                lambda m: "rubric entry " + self.option(f.inject, m.group(1)) if m.group(1) in known
                else m.group(0), message)
        message = _INJECT.sub(
            lambda m: f"{m.group(1)}nject {self.inject(m.group(2))}" if m.group(2) in self.titles else m.group(0),
            message)
        message = _UNDOES.sub(
            lambda m: "; it undoes " + "; ".join(self._step(s.strip()) for s in m.group(1).split(",")) + ".",
            message)
        return message.strip()
