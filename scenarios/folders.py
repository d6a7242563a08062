"""Which files make the library: the built-in folder, `--library DIR` folders and
BREACHDRILL_LIBRARY, and the rule that a scenario id counts once. Light on purpose (os and
pathlib only): the app lists its cached rows with it before pydantic or YAML is imported."""

from __future__ import annotations

import os
import stat
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


def folder_problem(folder: Path) -> str | None:
    """Why a library folder cannot be read, or None: MISSING_FOLDER when it is not there (or
    not a folder), else what the system said (a folder the user may not open)."""
    try:
        st = os.stat(folder)
    except (FileNotFoundError, NotADirectoryError):
        return MISSING_FOLDER
    except OSError as exc:
        return f"cannot read library folder: {exc.strerror or exc}"
    return None if stat.S_ISDIR(st.st_mode) else MISSING_FOLDER


def list_folder(folder: Path) -> tuple[list[Path], str | None]:
    """The folder's scenario files, or why it cannot be listed (one line, said at folder:1:1)."""
    problem = folder_problem(folder)
    if problem is not None:
        return [], problem
    try:
        return scenario_files(folder), None
    except OSError as exc:
        return [], f"cannot read library folder: {exc.strerror or exc}"


def scenario_files(folder: Path) -> list[Path]:
    """Every entry with a YAML suffix that is not a folder, by name (OSError when the folder
    cannot be listed). One that is not a regular file (a FIFO, a device, a link to nothing) or
    cannot be read is listed all the same: reading refuses it, so it is named, never skipped."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if os.path.splitext(entry.name)[1] not in SUFFIXES:
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:  # a folder we may not look into: what it is, reading will say
                is_dir = False
            if not is_dir:
                found.append(folder / entry.name)
    return sorted(found)


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
