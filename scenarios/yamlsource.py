"""Safe YAML with positions: data for pydantic, and a way back from a data path to line:col.

PyYAML's C parser composes the node tree (libyaml is fast); we build plain data from it
ourselves in one walk, which also catches what PyYAML would let through silently: duplicate
keys (the last one silently wins) and aliases (which can blow a small file up exponentially).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .files import ReadRefused, read_limited

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.constructor.SafeConstructor()

MAX_BYTES = 1024 * 1024  # a scenario of 50 long injects is ~100 KB; past 1 MiB it is not a scenario
STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null")
)


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    message: str

    def __post_init__(self) -> None:
        # One line, always: a message quoting a name from the file ("a\nb": x) keeps its breaks as escapes.
        if "\n" in self.message or "\r" in self.message:
            object.__setattr__(self, "message", self.message.replace("\r", "\\r").replace("\n", "\\n"))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


MAX_NAME_SHOWN = 80


def quoted(name: str) -> str:
    """A name from a file (a key, an id) quoted for a one-line message: cut when long, and with
    anything unprintable (a line break, a control) written as an escape."""
    shown = name if len(name) <= MAX_NAME_SHOWN else name[: MAX_NAME_SHOWN - 1] + "…"
    return f"'{shown}'" if shown.isprintable() else repr(shown)


def _fast_loader(base: type) -> type:
    """`base` with PyYAML's tag resolution done the same way in fewer steps.

    The composer asks `resolve` for the tag of every node (a scenario file has ~800): the stock
    method concatenates two lists per call and walks the path-resolver machinery, which the safe
    loader never uses. Here the per-first-character resolver lists are joined once, from the same
    table and in the same order, so every node gets exactly the tag the stock method gives it
    (tests/test_library_scale.py compares the two on every scenario file). A loader that has path
    resolvers keeps the stock methods."""
    if base.yaml_path_resolvers:
        return base
    implicit = base.yaml_implicit_resolvers
    wildcard = list(implicit.get(None, []))
    table = {first: tuple(resolvers + wildcard) for first, resolvers in implicit.items() if first is not None}
    fallback = tuple(wildcard)
    scalar, sequence, mapping = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode

    def resolve(self, kind, value, implicit_flags):
        if kind is scalar:
            if implicit_flags[0]:
                for tag, regexp in table.get(value[:1], fallback):  # value[:1] is '' for ''
                    if regexp.match(value):
                        return tag
            return base.DEFAULT_SCALAR_TAG
        if kind is sequence:
            return base.DEFAULT_SEQUENCE_TAG
        if kind is mapping:
            return base.DEFAULT_MAPPING_TAG
        return None

    def descend_resolver(self, current_node, current_index):
        return None  # path resolvers only: there are none

    def ascend_resolver(self):
        return None

    return type(f"_Fast{base.__name__}", (base,), {
        "resolve": resolve, "descend_resolver": descend_resolver, "ascend_resolver": ascend_resolver,
    })


_Loader = _fast_loader(_BaseLoader)


class _Invalid(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node = node


@dataclass
class Source:
    """A parsed YAML document: its data and the node tree that locates it.

    The tree is ~800 objects for a scenario file: keep a `Locations` (see `locations`) rather
    than the Source when only a few places will ever be named."""

    path: str
    data: Any
    root: yaml.Node
    text: str | None = field(default=None, repr=False)  # the parsed text (the C parser's marks hold none)
    _lines: list[str] | None = field(default=None, init=False, repr=False, compare=False)

    def problem(self, loc: tuple, message: str, *, at_key: bool = False) -> Problem:
        line, col = self.position(loc, at_key=at_key)
        return Problem(self.path, line, col, message)

    def position(self, loc: tuple, *, at_key: bool = False) -> tuple[int, int]:
        """line, col (from 1) of what a data path points at: the place `problem` names."""
        mark = self.node_at(loc, at_key=at_key).start_mark
        return mark.line + 1, mark.column + 1

    def locations(self, wanted) -> Locations:
        """The positions of just these (loc, at_key) places, for after the tree is gone."""
        return Locations(self.path, {(tuple(loc), bool(at_key)): self.position(tuple(loc), at_key=at_key)
                                     for loc, at_key in wanted})

    def problem_in_text(self, loc: tuple, offset: int, message: str) -> Problem:
        """A problem at a character offset inside a text value: the line the author sees."""
        node = self.node_at(loc)
        mark = node.start_mark
        value = node.value if isinstance(node, yaml.ScalarNode) else ""
        before = value[:offset]
        if node.style == "|":
            # Literal block: content starts on the line after the indicator, at its indentation.
            line = mark.line + 1 + before.count("\n")
            text_lines = self._file_lines(mark)
            # The file's line is the block's indentation and then the value's line, so the
            # indentation is what the file's line has more (spaces beyond it are content).
            value_line = value.split("\n")[before.count("\n")]
            indent = 0
            if line < len(text_lines):
                indent = max(0, len(text_lines[line]) - len(value_line))
            col = indent + len(before) - (before.rfind("\n") + 1)
            return Problem(self.path, line + 1, col + 1, message)
        if node.style == ">":
            found = self._in_folded(node, offset)
            if found is not None:
                return Problem(self.path, found[0], found[1], message)
        if "\n" not in before and node.style in (None, "", "'", '"'):
            quote = 1 if node.style in ("'", '"') else 0
            return Problem(self.path, mark.line + 1, mark.column + 1 + quote + offset, message)
        return Problem(self.path, mark.line + 1, mark.column + 1, message)

    def _in_folded(self, node: yaml.ScalarNode, offset: int) -> tuple[int, int] | None:
        """line, col (from 1) of a value offset in a folded block: each file line's words appear
        in the value in order, joined by the spaces folding made of the line breaks."""
        text_lines = self._file_lines(node.start_mark)
        at = 0
        for number in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(text_lines))):
            content = text_lines[number].strip()
            if not content:
                continue
            start = node.value.find(content, at)
            if start < 0:
                return None
            if offset < start + len(content):
                indent = len(text_lines[number]) - len(text_lines[number].lstrip())
                return number + 1, indent + max(0, offset - start) + 1
            at = start + len(content)
        return None

    def _file_lines(self, mark) -> list[str]:
        """The parsed text's lines as YAML breaks them, split once for every problem in a text."""
        if self._lines is None:
            whole = self.text if self.text is not None else mark.buffer
            self._lines = _BREAK.split(whole) if whole else []
        return self._lines

    def node_at(self, loc: tuple, *, at_key: bool = False) -> yaml.Node:
        """The node a data path points at, or the deepest one that exists on the way."""
        node = self.root
        for depth, part in enumerate(loc):
            last = depth == len(loc) - 1
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == part:
                        node = key_node if (last and at_key) else value_node
                        break
                else:
                    return node
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
            else:
                return node
        return node


@dataclass(frozen=True)
class Locations:
    """The few positions of a file that may still be named once its node tree is dropped: what
    `Source.problem` would have said for each (loc, at_key) recorded, and nothing else."""

    path: str
    positions: dict[tuple[tuple, bool], tuple[int, int]]

    def problem(self, loc: tuple, message: str, *, at_key: bool = False) -> Problem:
        try:
            line, col = self.positions[(tuple(loc), bool(at_key))]
        except KeyError:
            raise LookupError(
                f"{self.path}: no recorded position for {loc!r} (at_key={at_key}); "
                "load with keep_tree=True to locate arbitrary places"
            ) from None
        return Problem(self.path, line, col, message)


def _mark_problem(path: str, mark: Any, message: str) -> Problem:
    if mark is None:
        return Problem(path, 1, 1, message)
    return Problem(path, mark.line + 1, mark.column + 1, message)


def read_text(path: Path, what: str = "scenario files") -> tuple[str | None, Problem | None]:
    """The file's text, or the one problem that stops it being a YAML text file: only a regular
    file of at most MAX_BYTES is read (see files.read_limited), so a FIFO or a device never
    blocks or floods a load."""
    name = str(path)
    try:
        raw = read_limited(path, MAX_BYTES, what)
    except ReadRefused as exc:
        return None, Problem(name, 1, 1, str(exc))
    return decode(name, raw)


def decode(name: str, raw: bytes) -> tuple[str | None, Problem | None]:
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        line = raw.count(b"\n", 0, offset) + 1
        return None, Problem(name, line, 1, "binary content (NUL byte); expected a YAML text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, Problem(name, line, col, "not UTF-8 text; save the file as UTF-8")
    if not text.strip() or _only_comments(text):
        return None, Problem(name, 1, 1, "file is empty")
    return text, None


_HEAD = 4096


def _is_comment_or_blank(line: str) -> bool:
    return not line.strip() or line.lstrip().startswith("#")


def _only_comments(text: str) -> bool:
    """Whether every line is blank or a comment, without splitting a whole file into lines when
    (as nearly always) a line of content comes early: only lines complete within the head are
    judged there (the head's last line may be cut short), then the whole text, as before."""
    if len(text) <= _HEAD:
        return all(_is_comment_or_blank(ln) for ln in text.splitlines())
    if not all(_is_comment_or_blank(ln) for ln in text[:_HEAD].splitlines()[:-1]):
        return False
    return all(_is_comment_or_blank(ln) for ln in text.splitlines())


# What YAML 1.1 allows in a stream (libyaml's test): the first character outside it is named.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# YAML's line breaks, as libyaml counts lines.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """line, col (from 1) of a character offset, lines broken as YAML breaks them."""
    line, start = 1, 0
    for match in _BREAK.finditer(text, 0, offset):
        line, start = line + 1, match.end()
    return line, offset - start + 1


def _syntax_problem(name: str, text: str, mark: Any, message: str) -> Problem:
    """A parser's mark as a problem. libyaml reads a text that has no final line break as if it
    had one, and names its end on the line after the last: such a mark is named where the text
    ends."""
    if mark is None:
        return Problem(name, 1, 1, message)
    line, col = mark.line + 1, mark.column + 1
    if line > len(_BREAK.findall(text)) + 1:
        line, col = _line_col(text, len(text))
    return Problem(name, line, col, message)


def _reader_problem(name: str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML does not allow, named at its line:col (libyaml says a byte offset)."""
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return Problem(name, 1, 1, f"YAML syntax: {exc.reason}")
    line, col = _line_col(text, found.start())
    code = ord(found.group())
    what = "control character" if code < 0x20 or 0x7F <= code < 0xA0 else "character"
    return Problem(name, line, col, f"YAML syntax: {what} U+{code:04X} is not allowed; remove it "
                                    "(in a double-quoted string it can be written as an escape)")


def parse(name: str, text: str) -> tuple[Source | None, list[Problem]]:
    """Parse one YAML document into data, or report located problems."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            what = f"{exc.context}, {exc.problem}"
        return None, [_syntax_problem(name, text, mark, f"YAML syntax: {what}")]
    except yaml.reader.ReaderError as exc:
        return None, [_reader_problem(name, text, exc)]
    except yaml.YAMLError as exc:
        return None, [Problem(name, 1, 1, f"YAML syntax: {' '.join(str(exc).split())}")]
    except RecursionError:
        return None, [Problem(name, 1, 1, "YAML nesting is too deep")]
    finally:
        loader.dispose()
    if root is None:
        return None, [Problem(name, 1, 1, "file is empty")]
    problems: list[Problem] = []
    try:
        data = _build(root, set(), problems, name)
    except _Invalid as exc:
        return None, [_mark_problem(name, exc.node.start_mark, str(exc))]
    except RecursionError:
        return None, [Problem(name, 1, 1, "YAML nesting is too deep")]
    return Source(name, data, root, text), problems


_ScalarNode = yaml.ScalarNode
_YAML_TAG = "tag:yaml.org,2002:"
_NUMBER_TAGS = frozenset((_YAML_TAG + "int", _YAML_TAG + "float"))
# Tags YAML gives plain text by itself (a date, `=`, `<<`): quoting the text makes it text.
_IMPLICIT_TAGS = frozenset(_YAML_TAG + t for t in ("timestamp", "value", "merge"))
MAX_NUMBER_CHARS = 100  # no number of a scenario or an answers file is near; Python's int() has a 4,300-digit limit


def _tag_text(tag: str) -> str:
    return "!!" + tag[len(_YAML_TAG):] if tag.startswith(_YAML_TAG) else tag


def _refused_tag(node: yaml.Node, what: str) -> _Invalid:
    if node.tag in _IMPLICIT_TAGS:
        return _Invalid(node, f"unsupported YAML value of type {_tag_text(node.tag)!r}; quote it to make it text")
    return _Invalid(node, f"unsupported YAML value of type {_tag_text(node.tag)!r}: YAML tags are refused; {what}")


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag
    if tag not in _SCALAR_TAGS:
        raise _refused_tag(node, "use plain text")
    if tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
        raise _Invalid(node, f"a number of {len(node.value):,} characters; numbers are at most {MAX_NUMBER_CHARS}")
    try:
        # Straight to the constructor function: construct_object would cache every node forever.
        return _constructor.yaml_constructors[tag](_constructor, node)
    except (ValueError, TypeError, KeyError, ArithmeticError, yaml.YAMLError):  # e.g. `!!int ten`
        raise _Invalid(node, f"not a valid {_tag_text(tag)[2:]}: {node.value[:40]!r}") from None


def _build(node: yaml.Node, seen: set[int], problems: list[Problem], name: str) -> Any:
    # Most nodes are plain text: those are taken inline (`child.__class__ is _ScalarNode and
    # child.tag == STR`, exactly the first case below) rather than by a call each. Same walk,
    # same order, same errors.
    if isinstance(node, yaml.ScalarNode):
        if node.tag == STR:
            return node.value
        return _scalar(node)
    if id(node) in seen:
        raise _Invalid(node, "YAML anchors and aliases are not supported; write the value out")
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            raise _refused_tag(node, "write a plain list")
        items = []
        for child in node.value:
            if child.__class__ is _ScalarNode and child.tag == STR:
                items.append(child.value)
            else:
                items.append(_build(child, seen, problems, name))
        return items
    if node.tag != _MAP:
        raise _refused_tag(node, "write a plain mapping")
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            raise _Invalid(key_node, "mapping keys must be plain names (no merge keys or complex keys)")
        key = key_node.value if key_node.tag == STR else str(_build(key_node, seen, problems, name))
        if key in result:
            problems.append(_mark_problem(name, key_node.start_mark, f"duplicate key {quoted(key)}"))
            continue
        if value_node.__class__ is _ScalarNode and value_node.tag == STR:
            result[key] = value_node.value
        else:
            result[key] = _build(value_node, seen, problems, name)
    return result


_SEQ = _YAML_TAG + "seq"
_MAP = _YAML_TAG + "map"


def load(path: Path, what: str = "scenario files") -> tuple[Source | None, list[Problem]]:
    """`what` names the kind of file in a refusal for size ("answers files are limited to ...")."""
    text, problem = read_text(path, what)
    if problem is not None:
        return None, [problem]
    return parse(str(path), text)
