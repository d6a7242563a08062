"""One factory builds the app's settings and services; `run_app` and the tests both use it.

Nothing heavy is imported here: the library, the store and faker are reached through
`Services` methods that import them when first called, inside workers, so the first frame is
not kept waiting for pydantic or SQLite.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from scoring.drills import DrillService, new_seed

from .themes import THEMES

if TYPE_CHECKING:
    from textual.app import App

    from .main import BreachdrillApp

ENV_PREFIX = "BREACHDRILL_"


@dataclass
class Settings:
    """What the app reads from flags and the environment besides where drills and scenarios are
    (BREACHDRILL_THEME, BREACHDRILL_KEYMAP); flags win."""

    theme: str = THEMES[0]
    seed: int | None = None  # every new drill's proposed seed; None = a fresh random one each time
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> keys, e.g. {"console.release": "r"}
    warnings: list[str] = field(default_factory=list)  # settings that could not be honoured, shown at start


@dataclass
class Services(DrillService):
    """The app's way out to the domain: the drill service (library, store, drills, generated
    scenarios, clock) and the app's own settings."""

    settings: Settings = field(default_factory=Settings)
    playbooks: list[str] = field(default_factory=list)  # --playbooks folders (BREACHDRILL_PLAYBOOKS adds more)

    def new_seed(self) -> int:
        return self.settings.seed if self.settings.seed is not None else new_seed()

    def check_playbooks(self) -> None:
        """A playbook folder named by --playbooks or BREACHDRILL_PLAYBOOKS that is not there: one
        line (MissingPlaybookFolder), before anything is read."""
        from scenarios import playbook_folders

        playbook_folders.check(self.playbooks, self.environ)


def parse_keymap(text: str) -> dict[str, str]:
    """BREACHDRILL_KEYMAP="console.release=r;app.help=f2": binding ids (see F1) to new keys.
    Malformed items are left out here and reported by `env_warnings`."""
    keymap = {}
    for item in text.split(";"):
        binding, _, keys = item.partition("=")
        if binding.strip() and keys.strip():
            keymap[binding.strip()] = keys.strip()
    return keymap


def binding_ids() -> set[str]:
    """Every id a keymap can name: the `Binding`s of the app's, screens' and widgets' classes.
    It imports every screen, which start-up must not pay for: called only when a keymap is set."""
    import importlib
    import pkgutil

    from textual.binding import Binding

    from . import main, screens, widgets

    modules = [main] + [importlib.import_module(m.name) for pkg in (screens, widgets)
                       for m in pkgutil.walk_packages(pkg.__path__, f"{pkg.__name__}.")]
    return {
        b.id for module in modules for cls in vars(module).values()
        if isinstance(cls, type) and cls.__module__ == module.__name__
        for b in getattr(cls, "BINDINGS", ()) if isinstance(b, Binding) and b.id
    }


def env_warnings(environ: dict[str, str]) -> list[str]:
    """What the app would otherwise drop in silence: an unknown BREACHDRILL_THEME, keymap items
    that are not `binding-id=keys`, and binding ids no screen has. One line each."""
    from ..text import literal

    out = []
    theme = environ.get(ENV_PREFIX + "THEME")
    if theme is not None and theme not in THEMES:
        out.append(f"{ENV_PREFIX}THEME={theme}: unknown theme (themes: {', '.join(THEMES)}); using {THEMES[0]}")
    text = environ.get(ENV_PREFIX + "KEYMAP", "")
    known = binding_ids() if text.strip() else set()
    for item in filter(str.strip, text.split(";")):
        binding, _, keys = (part.strip() for part in item.partition("="))
        if not (binding and keys):
            out.append(f"{ENV_PREFIX}KEYMAP: '{item.strip()}' is not binding-id=keys; ignored")
        elif binding not in known:
            import difflib

            close = difflib.get_close_matches(binding, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "F1 in the app lists each screen's ids"
            out.append(f"{ENV_PREFIX}KEYMAP: unknown binding id '{binding}' ({hint}); ignored")
    return [literal(line) for line in out]


def build_services(
    *,
    db: str | os.PathLike | None = None,
    library: list[str] | None = None,
    environ: dict[str, str] | None = None,
    builtin: bool = True,
    seed: int | None = None,
    clock: Callable[[], float] = time.time,
    cache_dir: str | os.PathLike | None = None,
    playbooks: list[str] | None = None,
) -> Services:
    """The app's services. The user playbook folders (`playbooks`, then BREACHDRILL_PLAYBOOKS of
    `environ`) are made the process's (scenarios.playbook_folders.use): the library's worker,
    a drill's start and the generator all look jurisdictions up there."""
    from scenarios import playbook_folders

    env = dict(os.environ if environ is None else environ)
    playbook_folders.use(playbook_folders.playbook_dirs(playbooks or [], env))
    theme = env.get(ENV_PREFIX + "THEME", THEMES[0])
    settings = Settings(
        theme=theme if theme in THEMES else THEMES[0],
        seed=seed,
        keymap=parse_keymap(env.get(ENV_PREFIX + "KEYMAP", "")),
    )
    from scoring.pgconnect import is_postgres_url

    # A postgresql:// URL as given (Path would make its '//' one '/'); a file's path expanded.
    where = db if is_postgres_url(db) else Path(db).expanduser() if db else None
    return Services(db=where, library=list(library or []), environ=env, clock=clock,
                    builtin=builtin, cache_dir=Path(cache_dir) if cache_dir else None, settings=settings,
                    playbooks=list(playbooks or []))


def build_app(services: Services) -> BreachdrillApp:
    from .main import BreachdrillApp

    return BreachdrillApp(services)


def _prepared(db: str | None, library: list[str] | None = None,
              playbooks: list[str] | None = None) -> tuple[Services, str | None, str]:
    """The services for a front end about to open, with everything it cannot use said first, as
    one line (BreachdrillError): a --library or --playbooks folder, the database named by --db or
    BREACHDRILL_DB. Settings it cannot honour are warned about on stderr (a log) and kept for
    the app to show (the screen hides stderr); they do not keep it from starting. Returns the
    services, the database as named (None for the default) and the flag that named it."""
    import sys

    from scoring.dbfile import check_named

    warnings = env_warnings(dict(os.environ))
    for line in warnings:
        print(f"breachdrill: warning: {line}", file=sys.stderr)
    services = build_services(db=db, library=library, playbooks=playbooks)
    services.check_library()
    services.check_playbooks()
    named, flag = (db, "--db") if db else (os.environ.get(ENV_PREFIX + "DB"), f"{ENV_PREFIX}DB")
    if named:
        check_named(named, flag)  # one line now rather than a toast after the first frame
    services.settings.warnings = warnings
    return services, named, flag


def _run(services: Services, build: Callable[[], App]) -> int:
    """Build the app and run it; the services' connection closed however it ends."""
    try:
        app = build()
        # Everything imported so far (Textual, Rich, our modules: most of the process's objects)
        # lives as long as the app. Frozen, the cyclic GC stops walking it again and again while
        # the first screen is built: one full collection fewer before the titles are painted.
        gc.freeze()
        app.run()
    finally:
        services.close()
    return app.return_code or 0


def run_app(db: str | None = None, library: list[str] | None = None, playbooks: list[str] | None = None) -> int:
    """`breachdrill` with no command: the app on the scenario library."""
    services, _, _ = _prepared(db, library, playbooks)
    return _run(services, lambda: build_app(services))


def build_player(services: Services, seat=None):
    """A team's own terminal: the join screen, or the team's screen on a seat already taken."""
    from .player import PlayerApp

    return PlayerApp(services, seat)


def run_player(db: str | None = None, code: str | None = None) -> int:
    """`breachdrill join [CODE]`: a team's own terminal on the facilitator's database. A code
    given is checked before the screen opens: a wrong or expired one is one line (NotJoined) and
    writes nothing; without one the app opens on the join screen. A database that is not there
    holds no drill to join: one line, and no empty database is made for it."""
    from scoring.dbfile import StoreError

    services, named, flag = _prepared(db)
    where = services.db_path()
    if isinstance(where, Path) and not where.exists():
        shown = f"{flag} {where}" if named else str(where)
        raise StoreError(f"{shown}: no drills database here: join the facilitator's "
                         "(--db PATH|URL, or BREACHDRILL_DB)")
    return _run(services, lambda: build_player(services, services.join(code) if code is not None else None))
