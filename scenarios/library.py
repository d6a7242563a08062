"""The library loaded: every scenario file of its folders (see folders.py), validated."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .checks import hint
from .folders import (
    SUFFIXES,
    duplicate_message,
    duplicates,
    list_folder,
)
from .loader import ID_LOC, Loaded, load_scenario
from .yamlsource import Problem

_gc_lock = threading.Lock()
_gc_depth = 0
_gc_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Cyclic GC off while loading, as it was before afterwards (also on error, and with loads
    overlapping in threads: the last one out restores it).

    Loading a file makes ~2,000 short-lived objects and no garbage cycles worth collecting
    mid-load, while every scenario already loaded stays alive: each automatic collection walks
    what has survived so far, and that made the collector ~70% of a 1,000-file discover (with
    the node trees dropped and the GC left on, still ~50%; gc.freeze() at the start, ~45%).

    On the way out, what is alive is handed to the oldest generation (freeze, then unfreeze:
    two list splices, no scan) instead of leaving ~600,000 objects of a 1,000-file library in
    the youngest, where the first collection after re-enabling would walk them all, and the
    next one again (~0.2 s each). Cycles that became garbage meanwhile are collected by the next
    full collection, as anything long-lived is. Skipped when something else has frozen objects
    (unfreeze would thaw those too)."""
    global _gc_depth, _gc_was_enabled
    with _gc_lock:
        if _gc_depth == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0:
                if gc.get_freeze_count() == 0:
                    gc.freeze()
                    gc.unfreeze()
                if _gc_was_enabled:
                    gc.enable()


def load_files(paths: Iterable[Path | str]) -> list[Loaded]:
    """These scenario files, loaded in order, as `load_scenario` loads each (no duplicate-id
    check: that is the library's, see `discover`), with the GC paused as in `discover`."""
    with gc_paused():
        return [load_scenario(path) for path in paths]


def discover(dirs: list[Path]) -> list[Loaded]:
    """Every scenario file in the folders, loaded; a scenario id used twice is a problem.

    No entry keeps its file's node tree: each `source` is a `Locations` of the id and the
    warnings (see loader.Loaded), which is all that is located after loading."""
    loaded: list[Loaded] = []
    with gc_paused():
        for folder in dirs:
            files, problem = list_folder(folder)
            if problem is not None:  # missing or unreadable: one line, and the other folders load
                loaded.append(Loaded(str(folder), problems=[Problem(str(folder), 1, 1, problem)]))
                continue
            loaded.extend(load_files(files))
    ids = [(e.scenario.id if e.scenario is not None else None, e.path) for e in loaded]
    for position, first_path in duplicates(ids).items():
        entry = loaded[position]
        entry.problems.append(entry.source.problem(ID_LOC, duplicate_message(entry.scenario.id, first_path)))
    return loaded


def _exists(ref: str) -> bool:
    """Whether something is at `ref` (a file that cannot be read is there: reading says why)."""
    try:
        os.stat(ref)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


def looks_like_path(ref: str) -> bool:
    return ref.endswith(SUFFIXES) or os.sep in ref or "/" in ref or (_exists(ref) and not os.path.isdir(ref))


def resolve(ref: str, dirs: list[Path]) -> Loaded:
    """A scenario by file path or by id; LookupError says what to try instead."""
    if looks_like_path(ref):
        if not _exists(ref):
            raise LookupError(f"{ref}: no such scenario file")
        return load_scenario(ref)
    entries = discover(dirs)
    found = [entry for entry in entries if entry.scenario is not None and entry.scenario.id == ref]
    if not found:
        ids = [e.scenario.id for e in entries if e.scenario is not None]
        raise LookupError(f"no scenario with id '{ref}'{hint(ref, ids)} (see `breachdrill scenarios list`)")
    return found[0]
