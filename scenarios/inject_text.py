"""How an inject's words reach the players, wherever they are shown: the app's inject view,
the observer's timeline and the printed handout name the channels alike and break a body's
lines by one rule (`lay_out`). No Textual here: the handout is made without the app."""

from __future__ import annotations

import re

# A multi-select's "None of these": the answer [] (no option), numbered 0 on screen and on paper.
NONE_NUMBER = 0
NONE_TEXT = "None of these"

CHANNEL_LABEL = {
    "email": "Email",
    "phone": "Phone call",
    "ticket": "Help-desk ticket",
    "log": "Log alert",
    "news": "News",
}


# Where a line break in a scenario body is the author's and not their editor's (see `lay_out`).
_ITEM = re.compile(r"\s*(?:\d{1,2}[.)]|[-*\u2022])\s")  # "1. ", "2) ", "- ", "* "
# A speaker's turn or a mail header: one to four capitalised words, then a colon ("Erica Harvey:",
# "From:", "PS:"). Wrapped prose starts a line so only by chance, and lower-case words stop it.
_TURN = re.compile(r"\s*[A-Z][\w.'\u2019-]*(?: (?:[A-Z][\w.'\u2019()-]*|of|de|van|von|la)){0,3}: ")
_CLOSING = re.compile(
    r"(?:thanks|many thanks|thank you|regards|best|best regards|kind regards|sincerely|cheers|yours(?: truly)?)[,.!]?",
    re.IGNORECASE,
)
_SHORT = 50  # a paragraph whose lines are all shorter than this is lines: a signature, an address


def _headline(line: str) -> bool:
    words = line.split()
    return len(words) >= 2 and not any(c.islower() for c in line) and sum(c.isupper() for c in line) >= 4


def _stands_alone(line: str, before: str) -> bool:
    """Whether `line` starts a line of its own rather than continuing `before`."""
    if _ITEM.match(line) or _TURN.match(line) or line.lstrip().startswith(">") or line.strip() == "---":
        return True
    if _CLOSING.fullmatch(line.strip()):
        return True  # "Thanks," ends the prose before it
    if before.lstrip().startswith(">") or before.strip() == "---" or _headline(line) or _headline(before):
        return True
    indent, indent_before = len(line) - len(line.lstrip()), len(before) - len(before.lstrip())
    if indent < indent_before:
        return True  # back out of an indented item or quote: the text after it
    return before.rstrip().endswith(":") and indent > indent_before  # an indented quote after "says:"


def _paragraph(block: str) -> str:
    lines = [line.rstrip() for line in block.split("\n") if line.strip()]
    if len(lines) > 1 and all(len(line.strip()) < _SHORT for line in lines):
        return "\n".join(lines)
    out: list[str] = []
    closed = False  # after "Thanks," / "Regards," every line is the sender's own (a name, a title)
    for before, line in zip([None, *lines[:-1]], lines, strict=True):
        if before is not None and not closed and not _stands_alone(line, before):
            out[-1] += " " + " ".join(line.split())
        else:
            out.append(line)  # with its indent, as the author set it (a list item's, a quote's)
        closed = closed or bool(_CLOSING.fullmatch(line.strip()))
    return "\n".join(out)


def lay_out(text: str) -> str:
    """A scenario body as the terminal shows it. Authors wrap YAML at their editor's width, so a
    paragraph's lines are joined into prose the terminal wraps to its own width; but a break the
    reader needs is kept: before a list item (1. / - / *), a speaker's turn or a header line
    ("Name:" at the start of a line), a quoted line (>) or a rule (---), around an all-capitals
    headline, before an indented quote introduced by a colon or a line indented less than the one
    before it (the text after an indented item), after a closing ("Thanks,",
    "Regards,"), and in a paragraph of short lines only (a signature, an address). A turn's or an
    item's own continuation lines are joined to it."""
    paragraphs = (_paragraph(block) for block in text.strip().split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)
