"""The report's metadata (HSEEP AAR cover information and the improvement plan's owners and due
dates), from a small YAML file and/or the command line; nothing here is ever invented.

    organisation: City of St. Louis, Department of Streets
    location: City Hall, room 208
    facilitators: [A. Rivera]
    evaluators: [J. Chen, M. Okafor]
    contact: A. Rivera, 314-555-0100
    actions:            # the improvement plan's rows, by the number the report shows
      3: {owner: Payments supervisor, due: 2027-01-15}

Every problem is reported as `file:line:col: message`; unknown keys are refused.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from scenarios.errors import BreachdrillError

TEXT_KEYS = ("organisation", "location", "contact")
LIST_KEYS = ("facilitators", "evaluators")
ACTION_KEYS = ("owner", "due")
KEYS = (*TEXT_KEYS, *LIST_KEYS, "actions")
MAX_TEXT = 500
_DATE = re.compile(r"\d{4}-\d\d-\d\d")


class MetaError(BreachdrillError):
    """A report metadata file that cannot be used: one located line."""


def _fail(path: str, node, message: str):
    from scenarios.yamlsource import Problem

    mark = node.start_mark
    raise MetaError(str(Problem(path, mark.line + 1, mark.column + 1, message)))


def _text(path: str, node, what: str) -> str:
    import yaml

    if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null" or node.value == "":
        _fail(path, node, f"{what}: expected text")
    if len(node.value) > MAX_TEXT:
        _fail(path, node, f"{what}: at most {MAX_TEXT} characters")
    return node.value  # as written: a date, a number or `yes` stays the text the author typed


def due_date(text: str) -> str | None:
    """`text` when it is a real date written YYYY-MM-DD, else None."""
    if not _DATE.fullmatch(text):
        return None
    try:
        date.fromisoformat(text)
    except ValueError:
        return None
    return text


def load_meta(path: Path) -> dict:
    """The metadata file as {organisation, location, contact: str; facilitators, evaluators:
    [str]; actions: {number: {owner, due}}}, only what it gives."""
    import yaml

    from scenarios.yamlsource import read_text

    name = str(path)
    text, problem = read_text(path, "report metadata files")
    if problem is not None:
        raise MetaError(str(problem))
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise MetaError(f"{where}: not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise MetaError(f"{name}: not valid YAML: {exc}") from None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        _fail(name, root, "expected a mapping of keys: " + ", ".join(KEYS))
    out: dict = {}
    for key_node, value in root.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in KEYS:
            _fail(name, key_node, f"unknown key {key_node.value!r}; the keys are: " + ", ".join(KEYS)
                  if isinstance(key_node, yaml.ScalarNode) else "a key must be text")
        if key in out:
            _fail(name, key_node, f"{key}: given twice")
        if key in TEXT_KEYS:
            out[key] = _text(name, value, key)
        elif key in LIST_KEYS:
            if isinstance(value, yaml.ScalarNode):
                out[key] = [_text(name, value, key)]
            elif isinstance(value, yaml.SequenceNode):
                out[key] = [_text(name, item, key) for item in value.value]
            else:
                _fail(name, value, f"{key}: expected a name or a list of names")
        else:
            out[key] = _actions(name, value)
    return out


def _actions(name: str, node) -> dict:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        _fail(name, node, "actions: expected a mapping of improvement-plan row numbers to {owner, due}")
    out: dict = {}
    for key_node, value in node.value:
        raw = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
        if not raw.isdigit() or int(raw) < 1:
            _fail(name, key_node, f"actions: {raw!r} is not an improvement-plan row number (1, 2, ...)")
        number = int(raw)
        if number in out:
            _fail(name, key_node, f"actions: row {number} given twice")
        if not isinstance(value, yaml.MappingNode):
            _fail(name, value, f"actions: row {number}: expected owner and/or due")
        entry: dict = {}
        for k_node, v_node in value.value:
            k = k_node.value if isinstance(k_node, yaml.ScalarNode) else None
            if k not in ACTION_KEYS:
                _fail(name, k_node, f"actions: row {number}: unknown key {str(k_node.value)!r}; "
                      "the keys are: owner, due")
            if k in entry:
                _fail(name, k_node, f"actions: row {number}: {k} given twice")
            v = _text(name, v_node, f"actions: row {number}: {k}")
            if k == "due" and due_date(v) is None:
                _fail(name, v_node, f"actions: row {number}: due: expected a date as YYYY-MM-DD, got {v!r}")
            entry[k] = v
        out[number] = entry
    return out


def merged(from_file: dict | None, **flags) -> dict:
    """The file's metadata with the command line's over it (a flag given replaces the file's value)."""
    out = dict(from_file or {})
    for key, value in flags.items():
        if value:
            out[key] = list(value) if key in LIST_KEYS else value
    return out
