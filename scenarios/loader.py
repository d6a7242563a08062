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

from . import playbook_folders, yamlsource
from .checks import check_layer_ids, check_playbook, check_scenario, check_warnings, hint
from .files import ReadRefused, read_limited
from .model import Playbook, Scenario
from .playbook import Key, merge
from .plural import counted
from .yamlsource import Locations, Problem, Source

PLAYBOOK_DIR = playbook_folders.BUILTIN_DIR


# A file is judged to its first MAX_PROBLEMS problems: a hostile or mangled file of 1 MiB can hold
# 100,000 mistakes, and locating (and hinting) each would take minutes for a list nobody reads.
MAX_PROBLEMS = 100


def _located(source: Source, loc: tuple, message: str, where: bool | int) -> Problem:
    """A check's finding at its place: the key or value (`where` a bool), or a spot in a text."""
    if isinstance(where, bool):
        return source.problem(loc, message, at_key=where)
    return source.problem_in_text(loc, where, message)


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
# The built-ins (scenarios/playbooks/) and the organisations' own (scenarios/playbook_folders.py):
# one format, one set of checks, each problem located in the file that has it.

STATE_LAYER = "missouri"  # every user playbook is layered over it, directly or through another


@dataclass
class _PlaybookFile:
    path: Path
    model: Playbook | None
    source: Source | None
    problems: list[Problem]


@dataclass(frozen=True)
class PlaybookEntry:
    """One playbook file as `breachdrill playbooks` lists it. `playbook` is the file merged with
    the layers it extends, None when it cannot be used (its problems say why); `jurisdiction`:
    a scenario may name it (a base layer such as the state layer only keys those of its cities)."""

    id: str
    name: str
    extends: str | None
    path: str
    builtin: bool
    playbook: Playbook | None
    problems: tuple[Problem, ...]
    jurisdiction: bool = True


@dataclass(frozen=True)
class _PlaybookSet:
    layers: dict[str, _PlaybookFile]
    merged: dict[str, Playbook]  # the usable jurisdictions
    entries: dict[str, PlaybookEntry]
    problems: tuple[Problem, ...]


def _read_playbook(path: Path) -> _PlaybookFile:
    source, problems = yamlsource.load(path, "playbook files")
    if source is None:
        return _PlaybookFile(path, None, None, problems)
    model, more = _validate(source, Playbook)
    return _PlaybookFile(path, model, source, problems + more)


def _layer_problems(layer: _PlaybookFile, merged: Playbook) -> list[Problem]:
    """One layer's references checked against the merged whole, located in the layer's file."""
    key = Key(merged, facts=None)  # type: ignore[arg-type]
    found = itertools.chain(check_layer_ids(layer.model), check_playbook(layer.model, key))
    return [layer.source.problem(loc, message, at_key=at_key) for loc, message, at_key in found]


@lru_cache(maxsize=1)
def _builtin_set() -> _PlaybookSet:
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
            for layer in chain:
                problems += _layer_problems(layer, merged[pid])
    problems = sorted(set(problems))
    entries = {
        pid: PlaybookEntry(pid, f.model.name, f.model.extends, str(f.path), True,
                           merged.get(pid) or (merge([f.model]) if pid in bases else None),
                           tuple(p for p in problems if p.path == str(f.path)), jurisdiction=pid not in bases)
        for pid, f in layers.items()
    }
    return _PlaybookSet(layers, merged, entries, tuple(problems))


def _builtin_chain(pid: str, builtin: _PlaybookSet) -> list[_PlaybookFile]:
    chain = [builtin.layers[pid]]
    while (parent := chain[-1].model.extends) is not None and parent in builtin.layers:
        chain.append(builtin.layers[parent])
    return chain


def _chain_of(top: _PlaybookFile, users: dict[str, _PlaybookFile],
              builtin: _PlaybookSet) -> tuple[list[_PlaybookFile], str | None]:
    """The layers from `top` down to the state layer, and what is wrong with them (None: nothing)."""
    chain, seen = [top], {top.model.id}
    while (parent := chain[-1].model.extends) is not None:
        if parent in builtin.layers:
            chain += _builtin_chain(parent, builtin)
            break
        if parent in seen:
            return chain, f"circular: {' -> '.join([*(f.model.id for f in chain), parent])}"
        if parent not in users:
            if chain[-1] is top:
                return chain, f"cannot extend unknown playbook '{parent}'{hint(parent, [*builtin.layers, *users])}"
            return chain, f"extends '{chain[-1].model.id}', which extends unknown playbook '{parent}'"
        seen.add(parent)
        chain.append(users[parent])
    if chain[-1].model.id != STATE_LAYER:
        return chain, (f"a user playbook must extend '{STATE_LAYER}' (the state layer), directly or through "
                       "another playbook")
    return chain, None


def _user_set(paths: tuple[Path, ...], folder_problems: tuple[Problem, ...] = ()) -> _PlaybookSet:
    """User playbook files, each layered over the built-ins (and any other user file it extends).
    A file with any problem, or extending one, is listed but never used: a drill is scored
    against a whole key or not at all."""
    builtin = _builtin_set()
    files = [_read_playbook(p) for p in paths]
    problems = {f.path: list(f.problems) for f in files}
    users: dict[str, _PlaybookFile] = {}
    for f in files:
        if f.model is None:
            continue
        pid = f.model.id
        if pid in builtin.layers:
            problems[f.path].append(f.source.problem(("id",), (
                f"'{pid}' is the id of the built-in playbook {builtin.layers[pid].path.name}: a user playbook "
                f"cannot replace it; give yours an id of its own (and `extends: {pid}` to build on it)")))
        elif pid in users:
            used = f"playbook id '{pid}' is already used by {users[pid].path}"
            problems[f.path].append(f.source.problem(("id",), used))
        else:
            users[pid] = f
    chains: dict[str, list[_PlaybookFile]] = {}
    for pid, f in users.items():
        chain, wrong = _chain_of(f, users, builtin)
        if wrong is not None:
            where = ("extends",) if f.model.extends is not None else ("id",)
            problems[f.path].append(f.source.problem(where, wrong, at_key=f.model.extends is None))
            continue
        chains[pid] = chain
        problems[f.path] += _layer_problems(f, merge([layer.model for layer in reversed(chain)]))
    merged: dict[str, Playbook] = {}
    for pid, chain in chains.items():
        broken = next((layer for layer in chain[1:] if problems.get(layer.path)), None)
        if broken is not None:
            f = users[pid]
            problems[f.path].append(f.source.problem(("extends",), (
                f"extends '{broken.model.id}' ({broken.path}), which has problems")))
        elif not problems[users[pid].path]:
            merged[pid] = merge([layer.model for layer in reversed(chain)])
    entries = {}
    for f in files:
        shown = _capped(str(f.path), problems[f.path])
        if f.model is not None and f.model.id not in entries and users.get(f.model.id) is f:
            pid = f.model.id
            entries[pid] = PlaybookEntry(pid, f.model.name, f.model.extends, str(f.path), False, merged.get(pid),
                                         tuple(shown))
        elif f.model is None and (named := _named(f)) is not None and named[0] not in entries:
            # Not a playbook, but it says whose: a scenario on it is told where to look.
            entries[named[0]] = PlaybookEntry(*named, str(f.path), False, None, tuple(shown))
    every = [*folder_problems, *(p for path in problems for p in _capped(str(path), problems[path]))]
    return _PlaybookSet(users, merged, entries, tuple(sorted(set(every))))


def _named(f: _PlaybookFile) -> tuple[str, str, str | None] | None:
    """The id, name and extends a file that did not validate gives, when its id is one."""
    data = f.source.data if f.source is not None else None
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or data["id"] in _builtin_set().layers:
        return None
    text = {k: v if isinstance(v := data.get(k), str) else None for k in ("name", "extends")}
    return data["id"], text["name"] or "", text["extends"]


def _folder_files(dirs: tuple[Path, ...]) -> tuple[tuple[Path, ...], tuple[Problem, ...]]:
    from .folders import folder_problem, scenario_files

    paths, problems = [], []
    for folder in dirs:
        problem = folder_problem(folder)
        if problem is None:
            try:
                paths += scenario_files(folder)
            except OSError as exc:
                problem = f"cannot read playbook folder: {exc.strerror or exc}"
        if problem is not None:
            problems.append(Problem(str(folder), 1, 1, problem.replace("library folder", "playbook folder")))
    return tuple(paths), tuple(problems)


@lru_cache(maxsize=4)
def _user_playbooks(dirs: tuple[Path, ...], signature: str) -> _PlaybookSet:
    del signature  # part of the cache key only: a file added or edited is read again
    return _user_set(*_folder_files(dirs))


def _users() -> _PlaybookSet:
    dirs = playbook_folders.in_use()
    return _user_playbooks(dirs, playbook_folders.signature(dirs))


def playbooks() -> dict[str, Playbook]:
    """The built-in jurisdictions' playbooks, each merged with the layers it extends (the ones
    the generator writes scenarios for; `load_playbook` finds the user ones too)."""
    return dict(_builtin_set().merged)


def playbook_entries() -> list[PlaybookEntry]:
    """Every playbook file: the built-ins, then those of the user folders in use."""
    return [*_builtin_set().entries.values(), *_users().entries.values()]


def playbook_problems() -> list[Problem]:
    """The built-ins' problems (none, shipped) and those of the user folders in use."""
    return sorted({*_builtin_set().problems, *_users().problems})


def validate_playbook_files(paths: list[Path]) -> tuple[list[PlaybookEntry], list[Problem]]:
    """These files judged as user playbooks, beside those of the folders in use (which they may
    extend): their entries and their problems only."""
    given = {p.resolve() for p in paths}
    others = tuple(p for p in _folder_files(playbook_folders.in_use())[0] if p.resolve() not in given)
    found = _user_set((*paths, *others))
    names = {str(p) for p in paths}
    entries = [e for e in found.entries.values() if e.path in names]
    return entries, [p for p in found.problems if p.path in names]


def load_playbook(jurisdiction: str) -> Playbook:
    found = _builtin_set().merged.get(jurisdiction)
    if found is not None:
        return found
    users = _users()
    if (found := users.merged.get(jurisdiction)) is not None:
        return found
    if (entry := users.entries.get(jurisdiction)) is not None:
        raise LookupError(f"jurisdiction '{jurisdiction}': its playbook {entry.path} has "
                          f"{counted(len(entry.problems), 'problem')} "
                          f"(see `breachdrill playbooks validate {entry.path}`)")
    known = [*_builtin_set().merged, *users.merged]
    raise LookupError(f"unknown jurisdiction '{jurisdiction}'{hint(jurisdiction, known)}")


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
    return load_source(name, source, problems, keep_tree)


def load_text(name: str, text: str, *, keep_tree: bool = False) -> Loaded:
    """Validate scenario text that is not (yet) a file, e.g. a generated one."""
    decoded, problem = yamlsource.decode(name, text.encode("utf-8", "surrogatepass"))
    if problem is not None:
        return Loaded(name, problems=[problem])
    source, problems = yamlsource.parse(name, decoded)
    return load_source(name, source, problems, keep_tree)


def load_source(name: str, source: Source | None, problems: list[Problem], keep_tree: bool = False) -> Loaded:
    """A scenario from a source of positions (a YAML file's, or a spreadsheet's cells: msel),
    validated and checked against its playbook; every problem located through the source."""
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
            problems.append(_located(source, loc, message, where))
    warned = list(check_warnings(scenario)) if scenario is not None else []
    warnings = [_located(source, loc, f"warning: {message}", where) for loc, message, where in warned]
    kept: Source | Locations = source
    if not keep_tree:
        # Locate now, while the tree is alive, what may be named later; then let the tree go.
        wanted = [(ID_LOC, False)] if scenario is not None else []
        kept = source.locations(wanted + [(loc, where is True) for loc, _, where in warned])
    return Loaded(name, scenario, key, _capped(name, problems), kept, warnings)
