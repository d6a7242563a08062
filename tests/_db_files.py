"""Real database files for the tests of damaged, empty, full and read-only databases (no tests
here): drills played by the real command line, copies damaged page by page, the one line a
refused command prints, a small disk that fills up (a tmpfs where this machine may mount one,
else a file-size limit that makes SQLite's writes fall short as on a full disk)."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import yaml
from _drill_fixtures import as_answers, ei_key, ei_scenario, ei_scenario_data
from helpers import run_cli

from scenarios.guide import answers as guide_answers

SCENARIO = ei_scenario()
KEY = ei_key(SCENARIO)
GUIDE = as_answers(SCENARIO, guide_answers(SCENARIO, KEY))
FORCE_SIMULATED = "BREACHDRILL_TEST_SIMULATE_FULL_DISK"  # set: the small disk is simulated even as root


def scenario_files(folder: Path) -> tuple[Path, Path]:
    """The test scenario's file and a team's answers file (the guide's answers)."""
    scenario, answers = folder / "records.yaml", folder / "answers.yaml"
    scenario.write_text(yaml.safe_dump(ei_scenario_data(), sort_keys=False))
    answers.write_text(yaml.safe_dump(GUIDE))
    return scenario, answers


def play(db: Path, scenario: Path, answers: Path, team: str, **kwargs) -> str:
    """One whole drill played by the real command line; its id."""
    result = run_cli("play", str(scenario), "--answers", str(answers), "--team", team, "--db", str(db), "--json",
                     **kwargs)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)["drill_id"]


def start_running(db: Path) -> str:
    """A drill left in progress, one inject released: what the app offers to resume."""
    from scoring.store import Store

    with Store(db) as store:
        drill, exercise = store.start(SCENARIO, seed=3, teams=["Blue"], scenario_hash="test",
                                      playbook=KEY.playbook.model_dump(mode="json"))
        exercise.release("Blue")
    return drill


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def page_size(path: Path) -> int:
    size = int.from_bytes(path.read_bytes()[16:18], "big")
    return 65536 if size == 1 else size


def damage(source: Path, target: Path, pages: list[int] | None = None, seed: int = 17) -> Path:
    """A copy of `source` (no -wal beside it: everything is in the file) with pages overwritten
    by garbage: `pages` (numbered from 1), else every page after the first. Page 1, the header
    with breachdrill's mark, is kept."""
    assert not Path(f"{source}-wal").exists(), "the source has changes in its -wal"
    raw = bytearray(source.read_bytes())
    size = page_size(source)
    rng = random.Random(seed)
    for page in pages if pages is not None else range(2, len(raw) // size + 1):
        assert page > 1
        raw[(page - 1) * size:page * size] = rng.randbytes(size)
    target.write_bytes(bytes(raw))
    return target


def root_page(path: Path, table: str) -> int:
    """A table's root page, read without making any file beside `path`."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    finally:
        conn.close()


def one_line(result: subprocess.CompletedProcess) -> str:
    """The one line a refused command prints: exit 2, nothing else on stderr, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("breachdrill: error: "), lines[0]
    return lines[0]


# --- a small disk ----------------------------------------------------------------------------------

# Where no tmpfs can be mounted: a preloaded library that makes one folder's file system full.
FULL_DISK_C = r"""
/* A full disk for one folder, for tests where no tmpfs can be mounted: while the file named by
   BREACHDRILL_TEST_FULL_FLAG exists, every write to a file under BREACHDRILL_TEST_FULL_DIR fails
   with ENOSPC, and statvfs() there says nothing is free, as on a full file system. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <unistd.h>

typedef ssize_t (*write_f)(int, const void *, size_t);
typedef ssize_t (*pwrite_f)(int, const void *, size_t, off_t);
typedef ssize_t (*pwrite64_f)(int, const void *, size_t, off64_t);
typedef int (*statvfs_f)(const char *, struct statvfs *);
typedef int (*statvfs64_f)(const char *, struct statvfs64 *);

static int armed(void) {
    const char *flag = getenv("BREACHDRILL_TEST_FULL_FLAG");
    struct stat st;
    return flag && stat(flag, &st) == 0;
}

static int under(const char *path) {
    const char *dir = getenv("BREACHDRILL_TEST_FULL_DIR");
    size_t n;
    if (!dir || !path) return 0;
    n = strlen(dir);
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static int full_fd(int fd) {
    char link[64], path[PATH_MAX];
    ssize_t got;
    if (fd <= 2 || !armed()) return 0;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    got = readlink(link, path, sizeof path - 1);
    if (got <= 0) return 0;
    path[got] = '\0';
    return under(path);
}

static int full_path(const char *path) {
    char real[PATH_MAX];
    return armed() && realpath(path, real) && under(real);
}

ssize_t write(int fd, const void *buf, size_t n) {
    static write_f real;
    if (!real) real = (write_f)dlsym(RTLD_NEXT, "write");
    if (full_fd(fd)) { errno = ENOSPC; return -1; }
    return real(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) {
    static pwrite_f real;
    if (!real) real = (pwrite_f)dlsym(RTLD_NEXT, "pwrite");
    if (full_fd(fd)) { errno = ENOSPC; return -1; }
    return real(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off) {
    static pwrite64_f real;
    if (!real) real = (pwrite64_f)dlsym(RTLD_NEXT, "pwrite64");
    if (full_fd(fd)) { errno = ENOSPC; return -1; }
    return real(fd, buf, n, off);
}

int statvfs(const char *path, struct statvfs *out) {
    static statvfs_f real;
    int rc;
    if (!real) real = (statvfs_f)dlsym(RTLD_NEXT, "statvfs");
    rc = real(path, out);
    if (rc == 0 && full_path(path)) { out->f_bfree = 0; out->f_bavail = 0; }
    return rc;
}

int statvfs64(const char *path, struct statvfs64 *out) {
    static statvfs64_f real;
    int rc;
    if (!real) real = (statvfs64_f)dlsym(RTLD_NEXT, "statvfs64");
    rc = real(path, out);
    if (rc == 0 && full_path(path)) { out->f_bfree = 0; out->f_bavail = 0; }
    return rc;
}
"""


class SmallDisk:
    """A folder on a small file system that `fill()` fills and `free()` empties again; `env()`
    is what the processes run meanwhile need to meet it.

    Mounted: a tmpfs of `size` bytes (root, or wherever mount is allowed), filled by a file
    written until ENOSPC. Simulated (no mount here, or FORCE_SIMULATED set): an ordinary folder
    and FULL_DISK_C preloaded into those processes: while the disk is "filled" every write to a
    file in the folder fails with ENOSPC and statvfs() says nothing is free there, as the kernel
    does on a full file system (the test process itself never meets it)."""

    def __init__(self, path: Path, mounted: bool, shim: Path | None) -> None:
        self.path = path
        self.mounted = mounted
        self._shim = shim
        self._flag = path.with_name(path.name + ".full")

    def fill(self) -> None:
        if not self.mounted:
            self._flag.touch()
            return
        fd = os.open(self.path / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
        finally:
            os.close(fd)
        assert os.statvfs(self.path).f_bavail == 0

    def free(self) -> None:
        for made in (self.path / "filler", self._flag):
            with contextlib.suppress(FileNotFoundError):
                made.unlink()

    def env(self) -> dict[str, str]:
        if self.mounted:
            return {}
        return {"LD_PRELOAD": str(self._shim), "BREACHDRILL_TEST_FULL_DIR": str(self.path.resolve()),
                "BREACHDRILL_TEST_FULL_FLAG": str(self._flag)}

    def others(self) -> list[str]:
        """What is in the folder besides the filler."""
        return [n for n in names(self.path) if n != "filler"]


def _shim(parent: Path) -> Path:
    source, built = parent / "full_disk.c", parent / "full_disk.so"
    source.write_text(FULL_DISK_C)
    compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if compiler is None:
        import pytest

        pytest.fail("no full disk to test on: this machine mounts no tmpfs here and has no C compiler for the "
                    "simulated one (tests/_db_files.py FULL_DISK_C)", pytrace=False)
    done = subprocess.run([compiler, "-shared", "-fPIC", "-O1", "-o", str(built), str(source), "-ldl"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return built


@contextlib.contextmanager
def small_disk(parent: Path, size: int = 2 * 1024 * 1024) -> Iterator[SmallDisk]:
    folder = Path(tempfile.mkdtemp(prefix="disk-", dir=parent))
    mounted = False
    if not os.environ.get(FORCE_SIMULATED):
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)],
                              capture_output=True, check=False)
        mounted = done.returncode == 0
    try:
        yield SmallDisk(folder, mounted, None if mounted else _shim(parent))
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)


def run_on(disk: SmallDisk, *args: str, **kwargs) -> subprocess.CompletedProcess:
    """The real command line, meeting the disk as it is (full, once filled)."""
    return run_cli(*args, env=disk.env(), **kwargs)
