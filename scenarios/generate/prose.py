"""Tidy text after the templates are filled: substituted names make lines uneven, so prose
paragraphs and numbered lists are re-wrapped, while headers, logs and code keep their lines."""

from __future__ import annotations

import re
import textwrap

WIDTH = 92
_KEEP = re.compile(r"^(\s|-|>|\d|(From|To|Cc|Sent|Subject):)")
_ITEM = re.compile(r"^\d+\. ")


def one_line(text: str) -> str:
    return " ".join(text.split())


def _fill(text: str, indent: str = "") -> str:
    return textwrap.fill(one_line(text), WIDTH, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)


def _list(lines: list[str]) -> str | None:
    """A numbered list (items, and continuation lines indented under them), each item re-wrapped."""
    items: list[str] = []
    for line in lines:
        if _ITEM.match(line):
            items.append(line)
        elif line.startswith(" ") and items:
            items[-1] += " " + line.strip()
        else:
            return None
    return "\n".join(_fill(item, " " * len(_ITEM.match(item).group())) for item in items)


def paragraphs(text: str) -> str:
    out = []
    for para in text.split("\n\n"):
        lines = para.splitlines()
        if lines and not any(_KEEP.match(line) for line in lines):
            para = _fill(para)
        elif lines and _ITEM.match(lines[0]):
            para = _list(lines) or para
        out.append(para)
    return "\n\n".join(out)
