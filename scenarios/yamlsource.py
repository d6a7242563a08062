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

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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


class _Invalid(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node = node


@dataclass
class Source:
    """A parsed YAML document: its data and the node tree that locates it."""

    path: str
    data: Any
    root: yaml.Node

    def problem(self, loc: tuple, message: str, *, at_key: bool = False) -> Problem:
        node = self.node_at(loc, at_key=at_key)
        return Problem(self.path, node.start_mark.line + 1, node.start_mark.column + 1, message)

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
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, Problem(name, 1, 1, "file is empty")
    return text, None


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


def _build(node: yaml.Node, seen: set[int], problems: list[Problem], name: str) -> Any:
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
        return [_build(child, seen, problems, name) for child in node.value]
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
        result[key] = _build(value_node, seen, problems, name)
    return result


def load(path: Path) -> tuple[Source | None, list[Problem]]:
    text, problem = read_text(path)
    if problem is not None:
        return None, [problem]
    return parse(str(path), text)
