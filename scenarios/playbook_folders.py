"""Where organisations' own playbooks are: `--playbooks DIR` folders and BREACHDRILL_PLAYBOOKS.

A user playbook is one YAML file in such a folder, in the built-ins' format (see
scenarios/playbooks/), layered over the Missouri state layer. The folders in use are one setting
for the whole process, like the environment it comes from: a scenario is validated wherever its
jurisdiction is looked up (the loader, the library's worker, the generator), and each front end
says once, when it starts, which folders those are (`use`). Light on purpose (os and pathlib):
the app's launcher imports it before its first frame.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .errors import BreachdrillError
from .folders import MISSING_FOLDER, folder_problem

ENV_VAR = "BREACHDRILL_PLAYBOOKS"
FLAG = "--playbooks"

BUILTIN_DIR = Path(__file__).parent / "playbooks"

# None until a front end says which (`use`); meanwhile the environment's folders that are there
# are read, so a script, or a process a server starts, still finds what BREACHDRILL_PLAYBOOKS names.
_in_use: tuple[Path, ...] | None = None


class MissingPlaybookFolder(BreachdrillError):
    """A playbook folder the user named is not there: a typo, said in one line."""


def playbook_dirs(extra: Iterable[str | os.PathLike] = (), environ: dict[str, str] | None = None) -> list[Path]:
    """The folders given on the command line, then the environment's, each once."""
    env = (environ if environ is not None else os.environ).get(ENV_VAR, "")
    dirs: list[Path] = []
    for d in [*(Path(d) for d in extra), *(Path(d) for d in env.split(os.pathsep) if d)]:
        if d not in dirs:
            dirs.append(d)
    return dirs


def check(extra: Iterable[str | os.PathLike] = (), environ: dict[str, str] | None = None) -> None:
    """Refuse a named folder that is not there, before anything is read (as --library is). One
    that is there but cannot be read is not refused here: validating says so, located at it."""
    for folder in extra:
        if folder_problem(Path(folder)) == MISSING_FOLDER:
            raise MissingPlaybookFolder(f"{FLAG} {folder}: no such directory")
    env = (environ if environ is not None else os.environ).get(ENV_VAR, "")
    for folder in (d for d in env.split(os.pathsep) if d):
        if folder_problem(Path(folder)) == MISSING_FOLDER:
            raise MissingPlaybookFolder(f"{ENV_VAR} names {folder}: no such directory")


def use(dirs: Iterable[str | os.PathLike]) -> None:
    """Make these the folders every later jurisdiction lookup reads (after the built-ins)."""
    global _in_use
    _in_use = tuple(Path(d) for d in dirs)


def in_use() -> tuple[Path, ...]:
    return existing(playbook_dirs()) if _in_use is None else _in_use


def existing(dirs: Iterable[Path]) -> tuple[Path, ...]:
    """The folders that are there: what a command that names none reads of the environment's."""
    return tuple(d for d in dirs if folder_problem(d) != MISSING_FOLDER)


def builtin_ids() -> frozenset[str]:
    """The built-in playbooks' ids, without reading them: each file is named after its id (a
    test holds them to it), so a cache can tell a scenario keyed by a user playbook from the
    others before pydantic is imported."""
    return frozenset(p.stem for p in BUILTIN_DIR.glob("*.yaml"))


def signature(dirs: Iterable[Path] | None = None) -> str:
    """What a scenario's validation depends on in these folders (by default those in use): each
    file's name, size and modification time. A cache of validated scenarios (the library's row
    cache) that keeps this beside its rows sees a playbook added, edited or removed."""
    from .folders import scenario_files

    parts = []
    for folder in in_use() if dirs is None else dirs:
        parts.append(os.path.abspath(folder))
        try:
            files = scenario_files(folder)
        except OSError:
            continue
        for path in files:
            try:
                st = path.stat()
            except OSError:
                continue
            parts.append(f"{path.name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)
