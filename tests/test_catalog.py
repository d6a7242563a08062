"""The library's row cache: the first frame lists the titles from it without pydantic, a file
changed since is validated again, and the rows always say what a full validation says."""

import json
import os
import shutil
import subprocess
import sys
import threading
import time

from helpers import FIXTURES, ROOT
from test_app_support import services, settle, sync
from textual.widgets import DataTable

from scenarios import catalog
from scenarios.folders import BUILTIN_DIR
from scenarios.library import discover
from tui.app.launch import build_app


def _library(tmp_path, copies=3):
    folder = tmp_path / "lib"
    folder.mkdir()
    for i, source in enumerate(sorted(BUILTIN_DIR.glob("*.yaml"))[:copies]):
        shutil.copyfile(source, folder / f"s{i}.yaml")
    return folder


def _age(folder, seconds=60):
    """Files written long enough before the cache that a same-size edit in the same mtime tick
    cannot be mistaken for them (see catalog.RACY_NS)."""
    past = time.time_ns() - seconds * 1_000_000_000
    for path in folder.iterdir():
        os.utime(path, ns=(past, past))


def _as_discover_says(dirs):
    """(path, ok, id, title, problems) of every file, from a full validation."""
    out = []
    for e in discover(dirs):
        s = e.scenario
        out.append((e.path, e.ok, s.id if s else None, s.title if s else "",
                    tuple((p.line, p.col, p.message) for p in e.problems)))
    return out


def _as_rows_say(rows):
    return [(r.path, r.ok, r.scenario_id, r.title, r.problems) for r in rows]


def test_rows_cold_and_warm_say_what_a_full_validation_says(tmp_path):
    folder = _library(tmp_path)
    shutil.copyfile(folder / "s0.yaml", folder / "s9-same-id.yaml")  # a duplicate id: the later file is invalid
    for broken in sorted((FIXTURES / "broken").glob("*.yaml"))[:4]:
        shutil.copyfile(broken, folder / f"z-{broken.name}")
    _age(folder)
    dirs = [folder, tmp_path / "no-such-folder"]
    expected = _as_discover_says(dirs)
    cold = catalog.scan(dirs, tmp_path / "cache")
    assert len(cold.pending) == len(expected) - 1  # every file but the missing folder's row
    assert _as_rows_say(catalog.validate(cold)) == expected
    warm = catalog.scan(dirs, tmp_path / "cache")
    assert warm.pending == []
    assert _as_rows_say(warm.rows) == expected


def test_a_second_start_lists_the_titles_without_importing_pydantic_or_yaml(tmp_path):
    folder = _library(tmp_path)
    _age(folder)
    catalog.validate(catalog.scan([folder], tmp_path / "cache"))
    code = (
        "import sys; from pathlib import Path; from scenarios import catalog\n"
        f"found = catalog.scan([Path({str(folder)!r})], Path({str(tmp_path / 'cache')!r}))\n"
        "print([r.title for r in found.rows], found.pending, "
        "sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'yaml'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    titles = [e.scenario.title for e in discover([folder])]
    assert out.strip() == f"{titles!r} [] []"


def test_a_file_changed_since_is_validated_again_and_its_row_replaced(tmp_path):
    folder = _library(tmp_path)
    _age(folder)
    catalog.validate(catalog.scan([folder], tmp_path / "cache"))
    changed = folder / "s1.yaml"
    text = changed.read_text()
    changed.write_text(text.replace("title: ", "title: Revised - ", 1))
    found = catalog.scan([folder], tmp_path / "cache")
    assert found.pending == [str(changed)]  # the others come from the cache
    rows = catalog.validate(found)
    assert rows[1].title.startswith("Revised - ")
    changed.write_text("id: [unclosed\n")
    rows = catalog.validate(catalog.scan([folder], tmp_path / "cache"))
    assert not rows[1].ok and rows[1].problems  # now invalid: its problems, located


def test_a_same_size_edit_right_after_the_cache_was_written_is_not_trusted(tmp_path):
    folder = _library(tmp_path, copies=1)
    path = folder / "s0.yaml"
    catalog.validate(catalog.scan([folder], tmp_path / "cache"))  # the file is seconds old: racy
    original = path.read_text()
    stat = path.stat()
    path.write_text(original.replace("title: ", "title: X", 1).replace("\n\n", "\n", 1))  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime, as one tick allows
    assert path.stat().st_size == stat.st_size
    rows = catalog.validate(catalog.scan([folder], tmp_path / "cache"))
    assert rows[0].title.startswith("X")


def test_a_damaged_or_foreign_cache_is_ignored_and_rewritten(tmp_path):
    folder = _library(tmp_path, copies=2)
    _age(folder)
    cache = tmp_path / "cache"
    target = catalog._cache_file(cache, str(folder))
    target.parent.mkdir(parents=True)
    for junk in ("{not json", json.dumps({"format": 1, "code": "another breachdrill", "written_ns": 0, "rows": []}),
                 json.dumps({"format": 1, "code": catalog.code_signature(), "written_ns": "x", "rows": [{"path": 1}]})):
        target.write_text(junk)
        found = catalog.scan([folder], cache)
        assert len(found.pending) == 2
        assert [r.ok for r in catalog.validate(found)] == [True, True]
        assert catalog.scan([folder], cache).pending == []


def test_another_library_keeps_its_rows_in_the_cache(tmp_path):
    one, two = _library(tmp_path), tmp_path / "two"
    two.mkdir()
    shutil.copyfile(sorted(BUILTIN_DIR.glob("*.yaml"))[-1], two / "t.yaml")
    _age(one), _age(two)
    cache = tmp_path / "cache"
    catalog.validate(catalog.scan([one], cache))
    catalog.validate(catalog.scan([two], cache))
    assert catalog.scan([one], cache).pending == []  # a start with the other --library lost nothing


@sync
async def test_the_first_frame_lists_the_cached_titles_while_the_files_are_still_being_checked(tmp_path):
    folder = _library(tmp_path)
    _age(folder)
    svc = services(tmp_path, library=[str(folder)], builtin=False)
    catalog.validate(svc.scan_library())  # a previous start
    (folder / "s2.yaml").write_text((folder / "s2.yaml").read_text().replace("title: ", "title: Revised - ", 1))
    release = threading.Event()
    validate = svc.validate_library

    def slow_validate(found):
        release.wait(30)
        return validate(found)

    svc.validate_library = slow_validate
    app = build_app(svc)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        cells = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        titles = [e.scenario.title for e in discover([folder])]
        assert cells[:2] == titles[:2]  # from the cache, before any validation finished
        assert cells[2] == "lib/s2.yaml" and "checking" in str(table.get_row_at(2)[1])
        await pilot.press("down", "down", "n")  # a file still being checked is checked on the spot
        await pilot.pause()
        assert type(app.screen).__name__ == "NewDrillScreen"
        assert app.screen.entry.scenario.title.startswith("Revised - ")
        await pilot.press("escape")
        await pilot.pause()
        release.set()
        await settle(pilot)
        cells = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert cells[2].startswith("Revised - ")
        await pilot.press("n")  # the revised file, validated now, is playable
        await settle(pilot)
        assert type(app.screen).__name__ == "NewDrillScreen"
