"""The drill service: every operation a front end performs, written once.

The command line and the app (and, next, a player's own terminal) find the library, draw seeds,
start and resume drills and generate scenarios through a `DrillService` and nothing else, so
the same folders are read, the same snapshot is recorded and the same file is saved whichever
front end a trainer uses. Playing a drill (release, answer, mark, correct, end) is the engine's:
`LiveDrill.exercise` checks each command and the store records it before the state changes.

Nothing here imports Textual; pydantic, YAML and SQLite are imported when first needed, so a
front end can build a service before its first frame.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scenarios.errors import BreachdrillError

from .seating import Seating

if TYPE_CHECKING:
    from scenarios.catalog import Row, Scan
    from scenarios.loader import Loaded

    from .live import LiveDrill
    from .store import Store

# Seeds a person is shown: short enough to read aloud to a room and type back in.
SEEDS = range(1, 1_000_000)


def new_seed() -> int:
    import secrets  # here: the app builds a service before its first frame

    return SEEDS.start + secrets.randbelow(len(SEEDS))


class GeneratedFileEdited(BreachdrillError):
    """A generated scenario's file exists with other text: someone edited it; it is kept."""


class GeneratedInvalid(BreachdrillError):
    """The generator wrote a file that does not validate: a bug, said in one line, and the
    file is never handed out."""


@dataclass(frozen=True)
class Generated:
    """A generated scenario's text, validated, and the file name it is saved under."""

    text: str
    name: str
    title: str


@dataclass
class DrillService(Seating):
    """Where drills and scenarios are, and the operations on them. `db` a SQLite file or a
    postgresql:// URL, as given; None means BREACHDRILL_DB, else the user data folder; `library`
    are folders beyond the built-ins."""

    db: str | Path | None = None
    library: list[str] = field(default_factory=list)
    environ: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    clock: Callable[[], float] = time.time
    builtin: bool = True  # read the built-in library (tests turn it off to pin their content)
    cache_dir: Path | None = None  # the library's row cache; None = the user cache folder
    _store: Any = None

    # --- the library ---------------------------------------------------------------------------

    def check_library(self, environment: bool = True) -> None:
        """A folder the user named that is not there is a typo: one line, before anything is read,
        whether named by --library or (with `environment`, for whatever reads the library) in
        BREACHDRILL_LIBRARY. One that is there but cannot be read is not refused here: the
        library lists it as one located line, and the other folders load."""
        from scenarios.folders import ENV_VAR, MISSING_FOLDER, folder_problem

        for folder in self.library:
            if folder_problem(Path(folder)) == MISSING_FOLDER:
                raise BreachdrillError(f"--library {folder}: no such directory")
        if not environment:
            return
        for folder in (d for d in self.environ.get(ENV_VAR, "").split(os.pathsep) if d):
            if folder_problem(Path(folder)) == MISSING_FOLDER:
                raise BreachdrillError(f"{ENV_VAR} names {folder}: no such directory")

    def db_path(self) -> Path | str:
        """The database: the SQLite file's Path, or the PostgreSQL URL (a str, with its password:
        show it through scoring.pgconnect.redact)."""
        from .dbfile import resolve

        return resolve(self.db, self.environ)

    def generated_dir(self) -> Path:
        """Where generated scenarios are saved: `scenarios/` beside the drills database file, or
        in the user data folder when the drills are on a PostgreSQL server."""
        from .dbfile import default_path

        where = self.db_path()
        return (default_path() if isinstance(where, str) else where).parent / "scenarios"

    def library_dirs(self) -> list[Path]:
        """Built-ins, the folders given, BREACHDRILL_LIBRARY's, then the generated folder if
        there is one: the same folders for every command and the app."""
        from scenarios.folders import BUILTIN_DIR, library_dirs

        dirs = library_dirs(self.library, self.environ)
        dirs = dirs if self.builtin else [d for d in dirs if d != BUILTIN_DIR]
        generated = self.generated_dir()
        return dirs + [generated] if generated.is_dir() and generated not in dirs else dirs

    def scan_library(self) -> Scan:
        """The library's rows as cached (standard library only: fit for a first frame)."""
        from scenarios.catalog import scan

        return scan(self.library_dirs(), self.cache_dir)

    def validate_library(self, found: Scan) -> list[Row]:
        """The rows with every new or changed file validated (pydantic: for a worker)."""
        from scenarios.catalog import validate

        return validate(found)

    def discover(self) -> list[Loaded]:
        """Every file of the library, validated now."""
        from scenarios.library import discover

        return discover(self.library_dirs())

    def resolve(self, ref: str) -> Loaded:
        """A scenario by id or path; LookupError says what to try instead."""
        from scenarios.library import resolve

        return resolve(ref, self.library_dirs())

    # --- the store -----------------------------------------------------------------------------

    def store(self) -> Store:
        """The service's own connection, opened on first use (used by one thread at a time: the
        app's writes, each in its worker, one after another)."""
        if self._store is None:
            self._store = self.open_store()
        return self._store

    def open_store(self, read_only: bool = False) -> Store:
        """A connection of its own, for another thread or process (closed by the caller);
        `read_only` for one that only reads (scoring.store.open_store)."""
        from .store import open_store

        return open_store(self.db_path(), read_only=read_only)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    # --- drills --------------------------------------------------------------------------------

    def start(self, entry: Loaded, *, teams: list[str], seed: int, mode: str = "facilitated",
              timed: bool = False, store: Store | None = None) -> LiveDrill:
        """A new drill of a validated scenario, with snapshots of the scenario and its playbook;
        its first event is in the store before this returns."""
        from scenarios.loader import scenario_hash

        from .live import LiveDrill

        drill_id, exercise = (store or self.store()).start(
            entry.scenario, seed=seed, teams=teams, scenario_hash=scenario_hash(entry.scenario),
            playbook=entry.key.playbook.model_dump(mode="json"), mode=mode, timed=timed, clock=self.clock,
        )
        return LiveDrill(drill_id, exercise, entry.key)

    def resume(self, ref: str, store: Store | None = None) -> LiveDrill:
        """A stored drill as it was when its last event was written, ready to go on."""
        from .history import drill_key
        from .live import LiveDrill

        store = store or self.store()
        drill_id = store.find(ref)
        exercise = store.resume(drill_id, clock=self.clock)
        return LiveDrill(drill_id, exercise, drill_key(drill_id, exercise.events[0], exercise.state.scenario))

    # --- generated scenarios -------------------------------------------------------------------

    def generate(self, violation: str, jurisdiction: str, seed: int, difficulty: str) -> Generated:
        """A new scenario's text from a seed (the same seed, the same text), validated: a file
        that would not validate is a generator bug and never handed out."""
        from scenarios.generate import generate, scenario_id
        from scenarios.loader import load_text

        text = generate(violation, jurisdiction, seed, difficulty)
        loaded = load_text("<generated>", text)
        if not loaded.ok:
            raise GeneratedInvalid(f"generated scenario is invalid (a bug, please report it): {loaded.problems[0]}")
        return Generated(text, f"{scenario_id(violation, jurisdiction, seed, difficulty)}.yaml", loaded.scenario.title)

    def save_generated(self, generated: Generated, folder: Path | None = None) -> Path:
        """Save it in the generated folder (made if need be), whole or not at all. The same
        text already there is left as it is; other text there was edited by hand and is kept
        (GeneratedFileEdited)."""
        from scenarios.files import SaveError, save_text

        folder = folder or self.generated_dir()
        path = folder / generated.name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if path.exists():
                if path.read_text(encoding="utf-8") != generated.text:
                    raise GeneratedFileEdited(f"{path} exists and was edited; it is left as it is.")
                return path
        except OSError as exc:
            raise SaveError(f"{path}: cannot write ({exc.strerror or exc})") from None
        try:
            save_text(path, generated.text)
        except FileExistsError:  # written by another app meanwhile: judged as any file already there
            return self.save_generated(generated, folder)
        return path
