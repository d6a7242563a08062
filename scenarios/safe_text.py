"""The one rule for text from a scenario file, a team or an answer on its way to a terminal or a
file: a character that can drive a terminal or reorder what a reader sees is never written raw.

Those characters are the C0 controls (ESC, BEL, CR, ...), DEL, the C1 controls (0x9b, CSI, is
ESC [ in one character to many terminals), the bidirectional controls (U+061C, U+200E, U+200F,
U+202A-U+202E, U+2066-U+2069: a right-to-left override makes `gpj.exe` read as `exe.jpg`) and the
line and paragraph separators (U+2028, U+2029: line breaks to some viewers, none to others).

- `literal`: shown as visible escapes, `\\x1b`, `\\x9b`, `\\u202e`, like Python's repr (`\\r` for
  CR); tab and newline are kept. For the terminal, the app's widgets, Markdown and HTML.
- `literal_line`: the same on one line (tab and newline shown as `\\t`, `\\n`): a title.
- `literal_cell`: `literal`, but a CSV cell keeps its carriage returns too (a quoted cell holds
  line breaks; the formula rule quotes a cell starting with one).
- `json_text` / `json_string` / `json_dumps`: JSON, lossless: json escapes C0 itself; DEL, C1,
  the bidi controls and the separators become `\\u009b`-style escapes too, and every other
  character stays as it is (ensure_ascii=False).

No dependencies beyond the standard library: every layer, and the CLI's start-up, reads this.
"""

from __future__ import annotations

import json
import re

# The characters no output writes raw: C0 (tab and newline apart), DEL, C1, bidi, separators.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SEPARATORS = "\u2028\u2029"
_SHOWN = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}{_SEPARATORS}]")
_SHOWN_IN_CELL = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI}{_SEPARATORS}]")
# What json.dumps(..., ensure_ascii=False) leaves raw of those: it escapes C0 itself.
_JSON_RAW = re.compile(f"[\\x7f-\\x9f{_BIDI}{_SEPARATORS}]")

def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return repr(char)[1:-1]  # \x1b, \r, \x9b: as Python and `results show` have always written them
    return f"\\u{code:04x}"


_ESCAPES = {chr(c): _escape(chr(c)) for c in [*range(0x20), *range(0x7F, 0xA0)]}
_ESCAPES.update((chr(c), _escape(chr(c))) for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F),
                                                     *range(0x2066, 0x206A), 0x2028, 0x2029))
_JSON_ESCAPES = {char: f"\\u{ord(char):04x}" for char in _ESCAPES if ord(char) >= 0x7F}


def _shown(match: re.Match) -> str:
    return _ESCAPES[match.group()]


def _json_shown(match: re.Match) -> str:
    return _JSON_ESCAPES[match.group()]


def literal(text: str) -> str:
    """`text` with every control, bidi control and separator shown as a visible escape (tab and
    newline kept), so it can neither drive a terminal nor reorder what is read."""
    return _SHOWN.sub(_shown, text)


def literal_line(text: str) -> str:
    """`literal` on one line: tab and newline shown as `\\t`, `\\n` too. For what a terminal
    holds on one row: a screen's title and sub-title, a one-line field."""
    text = _SHOWN.sub(_shown, text)
    return text.replace("\t", "\\t").replace("\n", "\\n") if "\t" in text or "\n" in text else text


def literal_cell(text: str) -> str:
    """`literal` for a CSV cell: carriage returns are kept as well, as part of line breaks."""
    return _SHOWN_IN_CELL.sub(_shown, text)


def json_text(text: str) -> str:
    """JSON text as json writes it with ensure_ascii=False, with DEL, C1, the bidi controls and
    the separators escaped as well (`\\u009b`): they only ever occur inside its strings, where an
    escape means the same character, so the document decodes to exactly what it did."""
    if text.isascii() and "\x7f" not in text:  # isascii is a flag on the str: the usual text costs nothing
        return text
    return _JSON_RAW.sub(_json_shown, text)


_encode_string = json.encoder.encode_basestring  # the C encoder of ensure_ascii=False


def json_string(value: str) -> str:
    """A str as a JSON string, byte for byte as `json_dumps(value)`."""
    return json_text(_encode_string(value))


def json_dumps(value: object, **options) -> str:
    """json.dumps(value, ensure_ascii=False, **options), made safe by `json_text`."""
    return json_text(json.dumps(value, ensure_ascii=False, **options))
