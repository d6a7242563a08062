"""YAML files to models, every problem located as path:line:col in one pass."""

from __future__ import annotations

import hashlib
import itertools
import json
import typing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import yamlsource
from .checks import check_playbook, check_scenario, check_warnings, hint
from .files import ReadRefused, read_limited
from .model import Playbook, Scenario
from .playbook import Key, merge
from .yamlsource import Locations, Problem, Source

PLAYBOOK_DIR = Path(__file__).parent / "playbooks"


# A file is judged to its first MAX_PROBLEMS problems: a hostile or mangled file of 1 MiB can hold
# 100,000 mistakes, and locating (and hinting) each would take minutes for a list nobody reads.
MAX_PROBLEMS = 100


def _capped(name: str, problems: list[Problem]) -> list[Problem]:
    """The problems sorted, at most MAX_PROBLEMS of them, and a last line saying when there were more."""
    problems = sorted(set(problems))
    if len(problems) <= MAX_PROBLEMS:
        return problems
    last = problems[MAX_PROBLEMS - 1]
    more = Problem(name, last.line, last.col, f"more than {MAX_PROBLEMS} problems: only the first {MAX_PROBLEMS} "
                                               "are listed; fix them and validate again")
    return [*problems[:MAX_PROBLEMS], more]


# Where a loaded scenario may still be named after loading: its id (a duplicate across the
# library is found only once every file is loaded; see library.discover).
ID_LOC: tuple = ("id",)


@dataclass
class Loaded:
    """One scenario file, loaded.

    `source` locates places in the file. It is the whole node tree (`yamlsource.Source`) only
    when loaded with keep_tree=True; otherwise a `yamlsource.Locations` of the few places that
    can be named later: the id (`ID_LOC`) and each warning's place, so `source.problem(...)`
    still answers with the exact line:col for those. `warnings` are the located warnings of a
    file whose scenario loaded (never a reason to fail). `unread`: the file was not read at all
    (not a regular file, too big, or refused by the system): what it says may change without
    its content changing (a chmod), so the library's row cache never keeps it."""

    path: str
    scenario: Scenario | None = None
    key: Key | None = None
    problems: list[Problem] = field(default_factory=list)
    source: Source | Locations | None = None
    warnings: list[Problem] = field(default_factory=list)
    unread: bool = False

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not self.problems


def scenario_hash(scenario: Scenario) -> str:
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- pydantic errors, located ------------------------------------------------------------------


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that owns the last element of a data path (for "did you mean")."""
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        if info is None:
            return None
        inner = _find_model(info.annotation)
        if inner is None:
            return None
        model = inner
    return model


def _find_model(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if (found := _find_model(arg)) is not None:
            return found
    return None


def _validation_problems(source: Source, model: type[BaseModel], exc: ValidationError) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False)[: MAX_PROBLEMS + 1]:
        loc, kind = tuple(err["loc"]), err["type"]
        name = loc[-1] if loc else ""
        if kind == "extra_forbidden":
            owner = _model_at(model, loc[:-1])
            suggestion = hint(str(name), owner.model_fields) if owner else ""
            problems.append(source.problem(loc, f"unknown field {yamlsource.quoted(str(name))}{suggestion}",
                                           at_key=True))
        elif kind == "missing":
            problems.append(source.problem(loc[:-1], f"missing field '{name}'"))
        else:
            label = f"{name}: " if isinstance(name, str) and name else ""
            problems.append(source.problem(loc, f"{label}{err['msg']}"))
    return problems


def _strip(data, loc: tuple) -> None:
    """Drop one unknown field so the rest of the file can still be checked in this pass."""
    for part in loc[:-1]:
        data = data[part]
    data.pop(loc[-1], None)


def _validate(source: Source, model: type[BaseModel]) -> tuple[BaseModel | None, list[Problem]]:
    if not isinstance(source.data, dict):
        return None, [
            source.problem((), f"expected a mapping of {model.__name__.lower()} fields at the top of the file")
        ]
    try:
        return model.model_validate(source.data), []
    except ValidationError as exc:
        problems = _validation_problems(source, model, exc)
        errors = exc.errors()
        if not all(e["type"] == "extra_forbidden" for e in errors):
            return None, problems
    for err in errors:
        _strip(source.data, tuple(err["loc"]))
    try:
        return model.model_validate(source.data), problems
    except ValidationError:
        return None, problems


# --- playbooks ----------------------------------------------------------------------------------


@dataclass
class _PlaybookFile:
    model: Playbook | None
    source: Source | None
    problems: list[Problem]


def _read_playbook(path: Path) -> _PlaybookFile:
    source, problems = yamlsource.load(path)
    if source is None:
        return _PlaybookFile(None, None, problems)
    model, more = _validate(source, Playbook)
    return _PlaybookFile(model, source, problems + more)


@lru_cache(maxsize=1)
def _playbooks() -> tuple[dict[str, Playbook], tuple[Problem, ...]]:
    files = [_read_playbook(p) for p in sorted(PLAYBOOK_DIR.glob("*.yaml"))]
    problems = [p for f in files for p in f.problems]
    layers = {f.model.id: f for f in files if f.model is not None}
    bases = {f.model.extends for f in layers.values()}
    merged: dict[str, Playbook] = {}
    for pid, top in layers.items():
        if pid in bases:
            continue  # a base layer is checked as part of each jurisdiction that extends it
        chain, seen = [top], {pid}
        while (parent := chain[-1].model.extends) is not None:
            if parent not in layers or parent in seen:
                problems.append(
                    top.source.problem(("extends",), f"cannot extend unknown or circular playbook '{parent}'")
                )
                break
            seen.add(parent)
            chain.append(layers[parent])
        else:
            merged[pid] = merge([f.model for f in reversed(chain)])
            # Check every layer against the merged whole: a base layer may name a step that only
            # the cities define, and each problem still points into the file that has it.
            key = Key(merged[pid], facts=None)  # type: ignore[arg-type]
            for layer in chain:
                for loc, message, at_key in check_playbook(layer.model, key):
                    problems.append(layer.source.problem(loc, message, at_key=at_key))
    return merged, tuple(sorted(set(problems)))


def playbooks() -> dict[str, Playbook]:
    """The jurisdictions' playbooks, each merged with the layers it extends."""
    return dict(_playbooks()[0])


def playbook_problems() -> list[Problem]:
    return list(_playbooks()[1])


def load_playbook(jurisdiction: str) -> Playbook:
    found = playbooks().get(jurisdiction)
    if found is None:
        raise LookupError(f"unknown jurisdiction '{jurisdiction}'{hint(jurisdiction, playbooks())}")
    return found


# --- scenarios ----------------------------------------------------------------------------------


def load_scenario(path: Path | str, *, keep_tree: bool = False) -> Loaded:
    """One scenario file; keep_tree=True keeps its node tree on `source` (see `Loaded`). Only a
    regular file is read (see files.read_limited): anything else is one problem at 1:1."""
    name = str(path)
    try:
        raw = read_limited(path, yamlsource.MAX_BYTES, "scenario files")
    except ReadRefused as exc:
        return Loaded(name, problems=[Problem(name, 1, 1, str(exc))], unread=True)
    text, problem = yamlsource.decode(name, raw)
    if problem is not None:
        return Loaded(name, problems=[problem])
    source, problems = yamlsource.parse(name, text)
    return _finish(name, source, problems, keep_tree)


def load_text(name: str, text: str, *, keep_tree: bool = False) -> Loaded:
    """Validate scenario text that is not (yet) a file, e.g. a generated one."""
    decoded, problem = yamlsource.decode(name, text.encode("utf-8", "surrogatepass"))
    if problem is not None:
        return Loaded(name, problems=[problem])
    source, problems = yamlsource.parse(name, decoded)
    return _finish(name, source, problems, keep_tree)


def _finish(name: str, source: Source | None, problems: list[Problem], keep_tree: bool = False) -> Loaded:
    if source is None:
        return Loaded(name, problems=problems)
    scenario, more = _validate(source, Scenario)
    problems = problems + more
    key = None
    if scenario is not None:
        try:
            key = Key(load_playbook(scenario.jurisdiction), scenario.facts)
        except LookupError as exc:
            problems.append(source.problem(("jurisdiction",), str(exc)))
        for loc, message, where in itertools.islice(check_scenario(scenario, key), MAX_PROBLEMS + 1):
            if isinstance(where, bool):
                problems.append(source.problem(loc, message, at_key=where))
            else:
                problems.append(source.problem_in_text(loc, where, message))
    warned = list(check_warnings(scenario)) if scenario is not None else []
    warnings = [source.problem(loc, f"warning: {message}", at_key=at_key) for loc, message, at_key in warned]
    kept: Source | Locations = source
    if not keep_tree:
        # Locate now, while the tree is alive, what may be named later; then let the tree go.
        wanted = [(ID_LOC, False)] if scenario is not None else []
        kept = source.locations(wanted + [(loc, at_key) for loc, _, at_key in warned])
    return Loaded(name, scenario, key, _capped(name, problems), kept, warnings)
