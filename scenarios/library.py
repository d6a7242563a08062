"""Where scenarios live: the built-in library, `--library DIR` folders and BREACHDRILL_LIBRARY."""

from __future__ import annotations

import os
from pathlib import Path

from .checks import hint
from .loader import Loaded, load_scenario
from .yamlsource import Problem

BUILTIN_DIR = Path(__file__).parent / "library"
ENV_VAR = "BREACHDRILL_LIBRARY"
SUFFIXES = (".yaml", ".yml")


def library_dirs(extra: list[str] | None = None, environ: dict[str, str] | None = None) -> list[Path]:
    """Built-ins first, then the folders given on the command line, then the environment's."""
    env = (environ if environ is not None else os.environ).get(ENV_VAR, "")
    dirs = [BUILTIN_DIR, *(Path(d) for d in extra or []), *(Path(d) for d in env.split(os.pathsep) if d)]
    unique: list[Path] = []
    for d in dirs:
        if d not in unique:
            unique.append(d)
    return unique


def scenario_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file())


def discover(dirs: list[Path]) -> list[Loaded]:
    """Every scenario file in the folders, loaded; a scenario id used twice is a problem."""
    loaded: list[Loaded] = []
    for folder in dirs:
        if not folder.is_dir():
            loaded.append(Loaded(str(folder), problems=[Problem(str(folder), 1, 1, "library folder does not exist")]))
            continue
        loaded.extend(load_scenario(path) for path in scenario_files(folder))
    first: dict[str, str] = {}
    for entry in loaded:
        if entry.scenario is None:
            continue
        sid = entry.scenario.id
        if sid in first:
            entry.problems.append(entry.source.problem(("id",), f"scenario id '{sid}' is already used by {first[sid]}"))
        else:
            first[sid] = entry.path
    return loaded


def looks_like_path(ref: str) -> bool:
    return ref.endswith(SUFFIXES) or os.sep in ref or "/" in ref or Path(ref).is_file()


def resolve(ref: str, dirs: list[Path]) -> Loaded:
    """A scenario by file path or by id; LookupError says what to try instead."""
    if looks_like_path(ref):
        if not Path(ref).exists():
            raise LookupError(f"{ref}: no such scenario file")
        return load_scenario(ref)
    found = [entry for entry in discover(dirs) if entry.scenario is not None and entry.scenario.id == ref]
    if not found:
        ids = [e.scenario.id for e in discover(dirs) if e.scenario is not None]
        raise LookupError(f"no scenario with id '{ref}'{hint(ref, ids)} (see `breachdrill scenarios list`)")
    return found[0]
