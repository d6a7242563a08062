"""The library's rows (what the library screen lists and previews), cached between runs.

Validating a scenario needs pydantic and YAML (a quarter of a second to import, ~2 ms a file
after that), so the rows of files already validated are kept in a JSON file in the user cache
folder, keyed by each file's path, size and mtime and by breachdrill's own code. `scan()` reads
them with the standard library alone, for the first frame; `validate()` then checks the files
that are new or changed since (in a worker) and saves the rows again. A cache is only a cache:
a damaged or foreign one is ignored, and a file's row is trusted only while its stat matches.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .files import ReadRefused, read_limited
from .folders import duplicate_message, duplicates, list_folder

if TYPE_CHECKING:
    from .loader import Loaded

FORMAT = 1
# A file modified this close to the cache's writing may change again within the same mtime tick
# with the same size: such rows are validated again rather than trusted.
RACY_NS = 2_000_000_000
# A cache file is read only when it is a regular file of at most this (a 1,000-file folder's rows
# are ~2 MB): a FIFO or a device put in its place is ignored, never waited on.
MAX_CACHE_BYTES = 256 << 20


@dataclass(frozen=True)
class Row:
    """One file of the library as listed: a playable scenario, an invalid file with its
    problems, or (until `validate()`) a file not checked yet."""

    path: str
    size: int = -1
    mtime_ns: int = -1
    scenario_id: str | None = None
    title: str = ""
    violation: str = ""
    jurisdiction: str = ""
    difficulty: str = ""
    injects: int = 0
    problems: tuple[tuple[int, int, str], ...] = ()  # (line, col, message), as `validate` prints them
    id_at: tuple[int, int] = (1, 1)  # where the id is, for a duplicate-id problem
    preview: dict[str, str] = field(default_factory=dict)  # summary, facts, objectives, opens
    pending: bool = False  # new or changed since the cache: being validated

    @property
    def ok(self) -> bool:
        return self.scenario_id is not None and not self.problems and not self.pending


def _cache_file(cache_folder: Path | None, folder: str) -> Path:
    """One file per library folder, so a start reads the rows of its own folders only (the
    built-ins' few rows are not kept waiting by a 1,000-file folder used another day)."""
    if cache_folder is None:
        from platformdirs import user_cache_dir

        cache_folder = Path(user_cache_dir("breachdrill"))
    name = hashlib.sha256(os.path.abspath(folder).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return cache_folder / "library-rows" / f"{name}.json"


def code_signature() -> str:
    """What validation depends on besides the file: breachdrill's version, the stat of its
    scenario code and playbooks (so an upgrade, or an edit in a checkout, revalidates all) and of
    the organisations' playbooks in use (one added, edited or removed revalidates all too)."""
    from . import __version__
    from .playbook_folders import signature

    here = Path(__file__).parent
    parts = [__version__]
    for path in sorted([*here.glob("*.py"), *(here / "playbooks").glob("*.yaml")]):
        st = path.stat()
        parts.append(f"{path.name}:{st.st_size}:{st.st_mtime_ns}")
    parts.append(signature())
    return "|".join(parts)


def _read_cache(path: Path, signature: str) -> tuple[dict[str, Row], int]:
    """The cached rows by path, and when they were written; nothing when the file is missing,
    damaged, of another format or from other code."""
    try:
        data = json.loads(read_limited(path, MAX_CACHE_BYTES).decode("utf-8"))
        if data.get("format") != FORMAT or data.get("code") != signature:
            return {}, 0
        rows = {}
        for raw in data["rows"]:
            raw["problems"] = tuple(tuple(p) for p in raw["problems"])
            raw["id_at"] = tuple(raw["id_at"])
            rows[raw["path"]] = Row(**raw)
        return rows, int(data["written_ns"])
    except (ReadRefused, OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}, 0


def _listing(dirs: list[Path]) -> list[tuple[str, str, os.stat_result | None, str | None]]:
    """(folder, path, stat, problem) of every file of the library in order. A folder that is
    missing or cannot be read is (folder, folder, None, why); a file that cannot be stat'ed (a
    link to nothing, a folder we may not look into) is (folder, path, None, None): reading it
    will say why."""
    out = []
    for folder in dirs:
        files, problem = list_folder(folder)
        if problem is not None:
            out.append((str(folder), str(folder), None, problem))
            continue
        for path in files:
            try:
                out.append((str(folder), str(path), path.stat(), None))
            except OSError:
                if not _gone(path):  # else removed between the listing and the stat
                    out.append((str(folder), str(path), None, None))
    return out


def _gone(path: str | Path) -> bool:
    """Whether nothing is at `path` any more (not even a link to nothing)."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False


def _dedupe(rows: list[Row]) -> list[Row]:
    """The library's rule on the rows: a later file reusing an id is invalid, located at its id."""
    later = duplicates([(r.scenario_id, r.path) for r in rows])
    out = list(rows)
    for position, first_path in later.items():
        r = rows[position]
        problem = (*r.id_at, duplicate_message(r.scenario_id, first_path))
        out[position] = replace(r, problems=(*r.problems, problem))  # last, as discover() adds it
    return out


@dataclass
class Scan:
    """The rows as far as the cache knows them, and what `validate()` still has to check."""

    cache_files: dict[str, Path]  # each library folder's cache file
    signature: str
    files: list[Row]  # each file's own row, before the duplicate-id rule

    @property
    def rows(self) -> list[Row]:
        return _dedupe(self.files)

    @property
    def pending(self) -> list[str]:
        return [r.path for r in self.files if r.pending]


def scan(dirs: list[Path], cache_folder: Path | None = None) -> Scan:
    """Every file of the library, each from the cache when its stat still matches, else pending."""
    signature = code_signature()
    cache_files = {str(d): _cache_file(cache_folder, str(d)) for d in dirs}
    caches = {d: _read_cache(f, signature) for d, f in cache_files.items()}
    rows = []
    for folder, path, st, problem in _listing(dirs):
        if problem is not None:
            rows.append(Row(path, problems=((1, 1, problem),)))
            continue
        if st is None:  # never cached: validated (and refused) on every start
            rows.append(Row(path, title=Path(path).name, pending=True))
            continue
        cached, written_ns = caches[folder]
        hit = cached.get(path)
        if (
            hit is not None
            and (hit.size, hit.mtime_ns) == (st.st_size, st.st_mtime_ns)
            and st.st_mtime_ns < written_ns - RACY_NS
        ):
            rows.append(hit)
        else:
            rows.append(Row(path, st.st_size, st.st_mtime_ns, title=Path(path).name, pending=True))
    return Scan(cache_files, signature, rows)


def row_of(entry: Loaded, st: os.stat_result | None) -> Row:
    """A loaded file as its row (before the duplicate-id rule, which needs the whole library).
    A file that was not read, or not stat'ed, gets no size: its row is never cached."""
    s = entry.scenario
    problems = tuple((p.line, p.col, p.message) for p in entry.problems)
    if st is None or entry.unread:
        return Row(entry.path, problems=problems)
    if s is None:
        return Row(entry.path, st.st_size, st.st_mtime_ns, problems=problems)
    from .loader import ID_LOC

    at = entry.source.problem(ID_LOC, "") if entry.source is not None else None
    return Row(
        entry.path, st.st_size, st.st_mtime_ns, s.id, s.title, s.violation, s.jurisdiction, s.difficulty,
        len(s.injects), problems, (at.line, at.col) if at is not None else (1, 1), preview_of(s),
    )


def preview_of(s) -> dict[str, str]:
    """The preview's text, before a drill has a seed: the record count filled, other details named."""
    from .render import PLACEHOLDER

    def unfilled(text: str) -> str:
        def token(match) -> str:
            if match.group(1) == "records" and s.facts.residents_affected:
                return f"{s.facts.residents_affected:,}"
            return f"<{match.group(1)}>"

        return PLACEHOLDER.sub(token, text)

    facts = [f"{name.replace('_', ' ')}: {value}" for name, value in s.facts.model_dump().items()]
    first = s.injects[0]
    return {
        "summary": " ".join(unfilled(s.summary).split()),
        "facts": "; ".join(facts),
        "objectives": "; ".join(s.objectives),
        "opens": f"{unfilled(first.title)} ({first.channel})",
    }


def validate(found: Scan) -> list[Row]:
    """Check the pending files (pydantic and YAML are imported here), apply the duplicate-id
    rule to the whole library, and save the rows for the next start (best effort)."""
    import time

    from .library import gc_paused
    from .loader import load_scenario

    if not found.pending:
        return found.rows
    rows = []
    with gc_paused():
        for r in found.files:
            if r.pending:
                try:
                    st = os.stat(r.path)
                except OSError:
                    if _gone(r.path):
                        continue  # removed meanwhile
                    st = None  # there, but not to be stat'ed: reading it says why
                r = row_of(load_scenario(r.path), st)
            rows.append(r)
    _save(found, rows, time.time_ns())
    return _dedupe(rows)


def _save(found: Scan, rows: list[Row], now_ns: int) -> None:
    """Each folder's rows in its own cache file, whole or not at all (whichever app writes last)."""
    by_folder: dict[str, list[dict]] = {folder: [] for folder in found.cache_files}
    for r in rows:
        folder = str(Path(r.path).parent)
        if not r.pending and r.size >= 0 and folder in by_folder:
            by_folder[folder].append(asdict(r))
    for folder, kept in by_folder.items():
        data = {"format": FORMAT, "code": found.signature, "folder": folder, "written_ns": now_ns, "rows": kept}
        target = found.cache_files[folder]
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
            partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            partial.replace(target)
        except OSError:
            pass  # a read-only cache folder: the next start validates again
