"""Safe YAML with positions: data for pydantic, and a way back from a data path to line:col.

PyYAML's C parser composes the node tree (libyaml is fast); we build plain data from it
ourselves in one walk, which also catches what PyYAML would let through silently: duplicate
keys (the last one silently wins) and aliases (which can blow a small file up exponentially).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

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

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


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
            text_lines = mark.buffer.splitlines() if mark.buffer else []
            indent = 0
            if line < len(text_lines):
                indent = len(text_lines[line]) - len(text_lines[line].lstrip(" "))
            col = indent + len(before) - (before.rfind("\n") + 1)
            return Problem(self.path, line + 1, col + 1, message)
        if "\n" not in before and node.style in (None, "", "'", '"'):
            quote = 1 if node.style in ("'", '"') else 0
            return Problem(self.path, mark.line + 1, mark.column + 1 + quote + offset, message)
        return Problem(self.path, mark.line + 1, mark.column + 1, message)

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


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """The file's text, or the one problem that stops it being a YAML text file."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, Problem(name, 1, 1, f"file is {size:,} bytes; scenario files are limited to {MAX_BYTES:,}")
        raw = path.read_bytes()
    except IsADirectoryError:
        return None, Problem(name, 1, 1, "is a directory, not a YAML file")
    except OSError as exc:
        return None, Problem(name, 1, 1, f"cannot read file: {exc.strerror or exc}")
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
        return None, [_mark_problem(name, mark, f"YAML syntax: {what}")]
    except yaml.YAMLError as exc:
        return None, [Problem(name, 1, 1, f"YAML syntax: {exc}")]
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
    return Source(name, data, root), problems


_ScalarNode = yaml.ScalarNode


def _build(node: yaml.Node, seen: set[int], problems: list[Problem], name: str) -> Any:
    # Most nodes are plain text: those are taken inline (`child.__class__ is _ScalarNode and
    # child.tag == STR`, exactly the first case below) rather than by a call each. Same walk,
    # same order, same errors.
    if isinstance(node, yaml.ScalarNode):
        if node.tag == STR:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            raise _Invalid(node, f"unsupported YAML value of type {node.tag!r}; use plain text")
        # Straight to the constructor function: construct_object would cache every node forever.
        return _constructor.yaml_constructors[node.tag](_constructor, node)
    if id(node) in seen:
        raise _Invalid(node, "YAML anchors and aliases are not supported; write the value out")
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        items = []
        for child in node.value:
            if child.__class__ is _ScalarNode and child.tag == STR:
                items.append(child.value)
            else:
                items.append(_build(child, seen, problems, name))
        return items
    if node.tag != "tag:yaml.org,2002:map":
        raise _Invalid(node, f"unsupported YAML value of type {node.tag!r}")
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            raise _Invalid(key_node, "mapping keys must be plain names (no merge keys or complex keys)")
        key = key_node.value if key_node.tag == STR else str(_build(key_node, seen, problems, name))
        if key in result:
            problems.append(_mark_problem(name, key_node.start_mark, f"duplicate key '{key}'"))
            continue
        if value_node.__class__ is _ScalarNode and value_node.tag == STR:
            result[key] = value_node.value
        else:
            result[key] = _build(value_node, seen, problems, name)
    return result


def load(path: Path) -> tuple[Source | None, list[Problem]]:
    text, problem = read_text(path)
    if problem is not None:
        return None, [problem]
    return parse(str(path), text)
