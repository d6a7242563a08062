"""The reading commands (`results list`, `results show`, `report`, `results export`) open the
database read-only: they work on a file or a folder that cannot be written, answer at once while
another process holds a write transaction, make no database where there is none, and never
migrate an older one. Real files and the real command line; on PostgreSQL, a read-only session.
(Damaged, empty and full databases: test_damaged_db.py.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from _db_files import digest, names, one_line, play, scenario_files, start_running
from _review_store import raw_sql
from helpers import ROOT, run_cli

from scoring.store import SCHEMA_VERSION, StoreError, open_store

READING = {
    "list": ("results", "list"),
    "list-json": ("results", "list", "--json"),
    "show": ("results", "show", "{drill}"),
    "show-running": ("results", "show", "{running}", "--json"),
    "report": ("report", "{drill}"),
    "report-html": ("report", "{running}", "--format", "html"),
    "export": ("results", "export"),
    "export-json": ("results", "export", "--format", "json", "--team", "Blue"),
}


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    """Two drills played by the real command line and one left running (its summaries stale):
    (db, ended ids, running id, scenario file, answers file)."""
    folder = tmp_path_factory.mktemp("played")
    scenario, answers = scenario_files(folder)
    db = folder / "drills.db"
    ended = [play(db, scenario, answers, team) for team in ("Red", "Blue")]
    running = start_running(db)
    return db, ended, running, scenario, answers


@pytest.fixture(scope="module")
def expected(played):
    """What each reading command prints on the file where it can be written."""
    out = {}
    for name in READING:
        result = run_cli(*_args(name, played, played[0]))
        assert result.returncode == 0, result.stderr
        out[name] = result.stdout
    assert played[2] in out["export"] and played[2] in out["show-running"]
    return out


def _args(name: str, played, db: Path) -> list[str]:
    _, ended, running, _, _ = played
    return [a.format(drill=ended[0], running=running) for a in READING[name]] + ["--db", str(db)]


# --- a read-only file and folder -----------------------------------------------------------------------

@pytest.fixture
def read_only_copy(played, tmp_path):
    """A copy of the played database in a folder that cannot be written, nor the file: by its
    permissions for a normal user, by a read-only bind mount for root (whom permissions do not stop)."""
    source = tmp_path / "src"
    source.mkdir()
    shutil.copyfile(played[0], source / "drills.db")
    if os.geteuid() != 0:
        (source / "drills.db").chmod(0o444)
        source.chmod(0o555)
        yield source / "drills.db"
        source.chmod(0o755)
        return
    target = tmp_path / "ro"
    target.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(source), str(target)], capture_output=True, check=False)
    assert mounted.returncode == 0, f"root cannot bind-mount here: {mounted.stderr!r}"
    try:
        remount = subprocess.run(["mount", "-o", "remount,ro,bind", str(target)], capture_output=True, check=False)
        assert remount.returncode == 0, f"root cannot remount read-only here: {remount.stderr!r}"
        assert not os.access(target, os.W_OK) and not os.access(target / "drills.db", os.W_OK)
        yield target / "drills.db"
    finally:
        subprocess.run(["umount", str(target)], capture_output=True, check=False)


@pytest.mark.parametrize("name", READING)
def test_a_read_only_database_is_read_by_every_reading_command(played, expected, read_only_copy, name):
    db = read_only_copy
    before = digest(db)
    result = run_cli(*_args(name, played, db))
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected[name]
    assert digest(db) == before and names(db.parent) == ["drills.db"]


def test_a_read_only_database_refuses_a_write_in_one_line(played, read_only_copy):
    db, (_, ended, _, scenario, answers) = read_only_copy, played
    for args in (("play", str(scenario), "--answers", str(answers)),
                 ("results", "archive", ended[0])):
        line = one_line(run_cli(*args, "--db", str(db)))
        assert line == f"breachdrill: error: --db {db}: cannot write here (the file or its folder is read-only)"
    assert run_cli("results", "list", "--db", str(db.parent / "none.db")).stdout == \
        f"no drills yet in {db.parent / 'none.db'}\n"


def _python_for(uid: int) -> list[str] | None:
    """A Python the user `uid` may run, with this environment's packages: this interpreter, or
    the system's of the same version (this one may live under a folder only root enters)."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    for python in (sys.executable, shutil.which(f"python{version}"), f"/usr/bin/python{version}"):
        if not python or not os.path.exists(python):
            continue
        try:
            probe = subprocess.run([python, "-c", "import pydantic, yaml, platformdirs"], capture_output=True,
                                   env=_env_for(None), preexec_fn=_as(uid), check=False)
        except OSError:  # it may not even be started by that user
            continue
        if probe.returncode == 0:
            return [python]
    return None


def _env_for(home: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BREACHDRILL_", "XDG_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), sysconfig.get_paths()["purelib"],
                                         sysconfig.get_paths()["platlib"]])
    if home is not None:
        env.update(HOME=str(home), XDG_CACHE_HOME=str(home / "cache"), XDG_DATA_HOME=str(home / "data"))
    return env


def _as(uid: int):
    def drop() -> None:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)

    return drop


NOBODY = 65534


@pytest.mark.skipif(os.geteuid() != 0, reason="the read_only_copy tests are this test for a normal user")
def test_a_chmod_444_file_in_a_555_folder_is_read_by_a_user_who_cannot_write_it(played, expected):
    """As root permissions stop nothing: the commands run as `nobody`, on a file of mode 0444 in
    a folder of mode 0555 (nobody's own is their home, for the caches)."""
    python = _python_for(NOBODY)
    if python is None:
        pytest.skip("no Python interpreter that the user nobody may run with this environment's packages")
    base = Path(tempfile.mkdtemp(prefix="breachdrill-ro-", dir="/tmp"))
    try:
        base.chmod(0o755)
        home = base / "home"
        home.mkdir()
        os.chown(home, NOBODY, NOBODY)
        folder = base / "drills"
        folder.mkdir()
        db = folder / "drills.db"
        shutil.copyfile(played[0], db)
        db.chmod(0o444)
        folder.chmod(0o555)
        before = digest(db)
        for name in READING:
            result = subprocess.run([*python, "-m", "tui.cli", *_args(name, played, db)], capture_output=True,
                                    text=True, cwd=ROOT, env=_env_for(home), preexec_fn=_as(NOBODY), timeout=120)
            assert result.returncode == 0, (name, result.stderr)
            assert result.stdout == expected[name], name
        refused = subprocess.run([*python, "-m", "tui.cli", "results", "archive", played[1][0], "--db", str(db)],
                                 capture_output=True, text=True, cwd=ROOT, env=_env_for(home),
                                 preexec_fn=_as(NOBODY), timeout=120)
        assert one_line(refused) == f"breachdrill: error: --db {db}: cannot write here (the file or its folder " \
                                    "is read-only)"
        assert digest(db) == before and names(folder) == ["drills.db"]
    finally:
        (base / "drills").chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


KILLED_WRITER = textwrap.dedent("""
    import os, sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("UPDATE drills SET title = 'Changed in the -wal' WHERE id = ?", (sys.argv[2],))
    os._exit(0)  # killed, say: the change is committed in the -wal, never checkpointed
""")


def test_a_read_only_folder_with_changes_left_in_the_wal(played, tmp_path):
    """A writer died with a committed change still in the -wal. With its -shm beside it, a reader
    in a read-only folder reads the change; without the -shm, SQLite cannot read it there, and
    says so in one line rather than showing the file without it."""
    drill = played[1][0]
    source = tmp_path / "src"
    source.mkdir()
    db = source / "drills.db"
    shutil.copyfile(played[0], db)
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(db), drill], check=True)
    assert names(source) == ["drills.db", "drills.db-shm", "drills.db-wal"]
    kept = {name: (source / name).read_bytes() for name in names(source)}
    target = tmp_path / "ro"
    target.mkdir()

    def read_only(run):
        if os.geteuid() != 0:
            source.chmod(0o555)
            try:
                return run(source)
            finally:
                source.chmod(0o755)
        assert subprocess.run(["mount", "--bind", str(source), str(target)], check=False).returncode == 0
        try:
            assert subprocess.run(["mount", "-o", "remount,ro,bind", str(target)], check=False).returncode == 0
            return run(target)
        finally:
            subprocess.run(["umount", str(target)], check=False)

    shown = read_only(lambda folder: run_cli("results", "list", "--json", "--db", str(folder / "drills.db")))
    assert shown.returncode == 0, shown.stderr
    assert {r["drill_id"]: r["title"] for r in json.loads(shown.stdout)}[drill] == "Changed in the -wal"
    assert {name: (source / name).read_bytes() for name in names(source)} == kept
    (source / "drills.db-shm").unlink()
    refused = read_only(lambda folder: (folder, run_cli("results", "list", "--db", str(folder / "drills.db"))))
    folder, result = refused
    line = one_line(result)
    assert line.startswith(f"breachdrill: error: --db {folder / 'drills.db'}: cannot read (its folder is read-only "
                           "and its -wal file holds changes"), line
    # A -shm left without its -wal: nothing waits in a -wal, and nobody can be writing there.
    (source / "drills.db-wal").unlink()
    (source / "drills.db-shm").write_bytes(kept["drills.db-shm"])
    shown = read_only(lambda folder: run_cli("results", "list", "--json", "--db", str(folder / "drills.db")))
    assert shown.returncode == 0, shown.stderr
    assert {r["drill_id"]: r["title"] for r in json.loads(shown.stdout)}[drill] != "Changed in the -wal"


# --- another process writing meanwhile ------------------------------------------------------------------

HOLDER = textwrap.dedent("""
    import sys
    from scoring.store import Store
    store = Store(sys.argv[1])
    with store._writing() as conn:  # a drill being recorded: its write transaction held open
        conn.execute("UPDATE drills SET title = title")
        print("holding", flush=True)
        sys.stdin.readline()
    store.close()
""")


def test_reading_commands_answer_at_once_while_another_process_holds_a_write(played, expected, tmp_path):
    """Nothing a reading command does waits for the writer: no cache is saved (results show and
    report used to, and results export rebuilt the stale summaries first: 30 s, then an error)."""
    db = tmp_path / "drills.db"
    shutil.copyfile(played[0], db)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    timings = {}
    try:
        assert holder.stdout.readline().strip() == "holding"
        for name in READING:
            began = time.monotonic()
            result = run_cli(*_args(name, played, db), timeout=60)
            timings[name] = time.monotonic() - began
            assert result.returncode == 0, (name, result.stderr)
            assert result.stdout == expected[name], name
        assert max(timings.values()) < 5.0, timings  # a process of its own each: well under the writer's 30 s
        began = time.monotonic()
        with open_store(db, read_only=True) as store:  # the same, without a process to start
            from scoring import history
            from scoring.report.tabular import export_chunks

            assert len(store.listing()) == 3
            assert history.load(store, played[2]).row.id == played[2]
            exported = "".join(export_chunks(store, history.Filters(), "csv"))
            assert exported.replace("\r\n", "\n") == expected["export"]  # as the text-mode pipe reads it
        timings["in-process"] = time.monotonic() - began
    finally:
        holder.communicate("done\n", timeout=60)
    assert holder.returncode == 0
    assert timings["in-process"] < 2.0, timings


def test_a_read_only_store_never_writes(played, tmp_path):
    db = tmp_path / "drills.db"
    shutil.copyfile(played[0], db)
    before = digest(db)
    with open_store(db, read_only=True) as store:
        assert store.read_only
        with pytest.raises(StoreError, match="opened only to read"):
            store.append(played[1][0], _released())
        from scoring import history

        assert history.refresh_stale(store) == 0 and history.stale(store) == [played[2]]
    assert digest(db) == before and names(tmp_path) == ["drills.db"]


def _released():
    from scenarios.events import InjectReleased

    return InjectReleased(team="Red", inject="detect")


def test_a_reading_command_makes_no_database(tmp_path):
    missing = tmp_path / "none.db"
    for args in (("results", "list"), ("results", "export"), ("results", "list", "--json")):
        result = run_cli(*args, "--db", str(missing))
        assert result.returncode == 0, result.stderr
    assert run_cli("report", "abc", "--db", str(missing)).stderr.startswith("breachdrill: error: no drill 'abc' in ")
    assert names(tmp_path) == []
    data = tmp_path / "data"  # the default file, in a user data folder not made yet: not made either
    listed = run_cli("results", "list", env={"XDG_DATA_HOME": str(data)})
    assert listed.returncode == 0 and listed.stdout.startswith("no drills yet in "), listed.stderr
    assert not data.exists()


def test_an_older_database_is_not_migrated_by_a_reading_command(played, tmp_path):
    db = tmp_path / "drills.db"
    shutil.copyfile(played[0], db)
    raw_sql(db, "DELETE FROM schema_version WHERE version = ?", (SCHEMA_VERSION,))
    before = digest(db)
    for args in (("results", "list"), ("results", "show", played[1][0]), ("results", "export")):
        line = one_line(run_cli(*args, "--db", str(db)))
        assert line == (f"breachdrill: error: --db {db}: made by an older breachdrill (schema {SCHEMA_VERSION - 1}; "
                        f"this one reads {SCHEMA_VERSION}): open it once with a command that writes (the app, or "
                        "`breachdrill play`) to upgrade it, then read it")
    assert digest(db) == before and names(tmp_path) == ["drills.db"]


# --- PostgreSQL ---------------------------------------------------------------------------------------

def test_reading_a_postgresql_database_reads_only(postgres_db, tmp_path):
    scenario, answers = scenario_files(tmp_path)
    empty = run_cli("results", "list", "--db", postgres_db)
    assert empty.returncode == 0 and empty.stdout.startswith("no drills yet in postgresql://"), empty.stderr
    assert raw_sql(postgres_db, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)], \
        "a reading command makes no schema"
    drill = play(postgres_db, scenario, answers, "Red")
    with open_store(postgres_db, read_only=True) as store:
        assert store.read_only and [r.id for r in store.drills()] == [drill]
        with pytest.raises(StoreError, match="opened only to read"):
            store.append(drill, _released())
        assert store._read("SHOW default_transaction_read_only") == [("on",)]
    import psycopg

    with psycopg.connect(postgres_db) as writer:  # a write holding the drill's row meanwhile
        writer.execute("SELECT 1 FROM drills WHERE id = %s FOR UPDATE", (drill,))
        began = time.monotonic()
        for args in (("results", "list"), ("results", "show", drill), ("report", drill), ("results", "export")):
            result = run_cli(*args, "--db", postgres_db, timeout=60)
            assert result.returncode == 0, (args, result.stderr)
            assert drill in result.stdout
        assert time.monotonic() - began < 20
        writer.rollback()
