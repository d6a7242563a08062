"""Which files make the library: the built-in folder, `--library DIR` folders and
BREACHDRILL_LIBRARY, and the rule that a scenario id counts once. Light on purpose (os and
pathlib only): the app lists its cached rows with it before pydantic or YAML is imported."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

BUILTIN_DIR = Path(__file__).parent / "library"
ENV_VAR = "BREACHDRILL_LIBRARY"
SUFFIXES = (".yaml", ".yml")
MISSING_FOLDER = "library folder does not exist"


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


def duplicates(ids: Iterable[tuple[str | None, str]]) -> dict[int, str]:
    """For (scenario id or None, path) in library order: {position: path of the first file with
    that id} for every later file that reuses an id. The first file keeps it."""
    first: dict[str, str] = {}
    later: dict[int, str] = {}
    for position, (sid, path) in enumerate(ids):
        if sid is None:
            continue
        if sid in first:
            later[position] = first[sid]
        else:
            first[sid] = path
    return later


def duplicate_message(sid: str, first_path: str) -> str:
    return f"scenario id '{sid}' is already used by {first_path}"
