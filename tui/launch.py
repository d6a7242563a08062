"""One factory builds the app's settings and services; `run_app` and the tests both use it.

Nothing heavy is imported here: the library, the store and faker are reached through
`Services` methods that import them when first called, inside workers, so the first frame is
not kept waiting for pydantic or SQLite.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scenarios.loader import Loaded

    from .app import BreachdrillApp

ENV_PREFIX = "BREACHDRILL_"
THEMES = ("breachdrill-dark", "breachdrill-light")


@dataclass
class Settings:
    """What the app reads from flags and the environment (BREACHDRILL_DB, BREACHDRILL_THEME,
    BREACHDRILL_LIBRARY, BREACHDRILL_KEYMAP); flags win."""

    db: Path | None  # the SQLite event store; None = BREACHDRILL_DB, else the XDG data folder
    library: list[str] = field(default_factory=list)  # scenario folders beyond the built-ins
    builtin: bool = True  # read the built-in library (tests turn it off to pin their content)
    theme: str = THEMES[0]
    seed: int | None = None  # every new drill's proposed seed; None = a fresh random one each time
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> keys, e.g. {"console.release": "r"}


@dataclass
class Services:
    """The app's way out to the domain: scenario discovery, the event store, clock and seeds."""

    settings: Settings
    environ: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    clock: Callable[[], float] = time.time
    _store: Any = None

    def library_dirs(self) -> list[Path]:
        from scenarios.library import BUILTIN_DIR, library_dirs

        dirs = library_dirs(self.settings.library, self.environ)
        dirs = dirs if self.settings.builtin else [d for d in dirs if d != BUILTIN_DIR]
        generated = self.generated_dir()
        return dirs + [generated] if generated.is_dir() and generated not in dirs else dirs

    def generated_dir(self) -> Path:
        """Where the app saves generated scenarios: `scenarios/` beside the drills database."""
        from scoring.dbfile import resolve_path

        return resolve_path(self.settings.db, self.environ).parent / "scenarios"

    def discover(self) -> list[Loaded]:
        from scenarios.library import discover

        return discover(self.library_dirs())

    def store(self):
        """The event store of the UI thread, opened on first use. Every write goes through it."""
        if self._store is None:
            self._store = self.open_store()
        return self._store

    def open_store(self):
        """A connection of its own, for a worker thread (closed by the caller)."""
        from scoring.store import Store, resolve_path

        return Store(resolve_path(self.settings.db, self.environ))

    def new_seed(self) -> int:
        return self.settings.seed if self.settings.seed is not None else random.randrange(1, 1_000_000)

    def close(self) -> None:
        if self._store is not None and hasattr(self._store, "close"):
            self._store.close()
            self._store = None


def parse_keymap(text: str) -> dict[str, str]:
    """BREACHDRILL_KEYMAP="console.release=r;app.help=f2": binding ids (see F1) to new keys."""
    keymap = {}
    for item in text.split(";"):
        binding, _, keys = item.partition("=")
        if binding.strip() and keys.strip():
            keymap[binding.strip()] = keys.strip()
    return keymap


def build_services(
    *,
    db: str | os.PathLike | None = None,
    library: list[str] | None = None,
    environ: dict[str, str] | None = None,
    builtin: bool = True,
    seed: int | None = None,
    clock: Callable[[], float] = time.time,
) -> Services:
    env = dict(os.environ if environ is None else environ)
    theme = env.get(ENV_PREFIX + "THEME", THEMES[0])
    settings = Settings(
        db=Path(db).expanduser() if db else None,
        library=list(library or []),
        builtin=builtin,
        theme=theme if theme in THEMES else THEMES[0],
        seed=seed,
        keymap=parse_keymap(env.get(ENV_PREFIX + "KEYMAP", "")),
    )
    return Services(settings, env, clock)


def build_app(services: Services) -> BreachdrillApp:
    from .app import BreachdrillApp

    return BreachdrillApp(services)


def _check_db(path: Path) -> None:
    """A --db that cannot be ours is a one-line error before the app opens, not a toast after.
    No connection is open yet in this process, and the file is read through SQLite only."""
    from scoring.dbfile import StoreError, check_file

    from .commands.common import CliError

    try:
        check_file(path)
    except StoreError as exc:
        raise CliError(f"--db {exc}") from None


def run_app(args) -> int:
    """`breachdrill` with no command: the app on the scenario library."""
    library = getattr(args, "app_library", None) or []
    for folder in library:
        if not Path(folder).is_dir():
            from .commands.common import CliError

            raise CliError(f"--library {folder}: no such directory")
    db = getattr(args, "app_db", None)
    if db:
        _check_db(Path(db))
    services = build_services(db=db, library=library)
    app = build_app(services)
    try:
        app.run()
    finally:
        services.close()
    return app.return_code or 0
