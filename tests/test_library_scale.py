"""A big library loads without keeping every file's YAML node tree, and says exactly what it said
when it kept them: the same problems and warnings, at the same path:line:col, in the same order.

The timings (10, 100 and 1,000 files through the real command line) are in
tests/benchmarks/bench_load.py; these are the properties that can break without anyone timing."""

from __future__ import annotations

import gc
import re
import shutil
import tracemalloc
import types
from pathlib import Path

import pytest
import yaml
from helpers import FIXTURES, run_cli

from scenarios import yamlsource
from scenarios.checks import check_warnings
from scenarios.folders import BUILTIN_DIR
from scenarios.library import discover, gc_paused, load_files
from scenarios.loader import ID_LOC, PLAYBOOK_DIR, load_scenario, load_text
from scenarios.yamlsource import Locations, Source

BROKEN = FIXTURES / "broken"
BUILTINS = sorted(BUILTIN_DIR.glob("*.yaml"))
EVERY_YAML = [  # the broken fixtures that are not YAML text at all (bad encoding, binary) are left out
    path for path in (*BUILTINS, *sorted(PLAYBOOK_DIR.glob("*.yaml")), FIXTURES / "minimal.yaml",
                      *sorted(BROKEN.glob("*.yaml")))
    if yamlsource.read_text(path)[1] is None
]


def _copies(folder: Path, count: int) -> list[Path]:
    """Copies of the built-ins with ids of their own, as a real library would have them."""
    folder.mkdir(exist_ok=True)
    paths = []
    for i in range(count):
        source = BUILTINS[i % len(BUILTINS)]
        text, n = re.subn(r"(?m)^id: (\S+)$", rf"id: \1-copy{i:04d}", source.read_text(), count=1)
        assert n == 1, source
        path = folder / f"c{i:04d}-{source.name}"
        path.write_text(text)
        paths.append(path)
    return paths


def _id_position(path: Path) -> tuple[int, int]:
    """Where the file's top-level `id:` value starts, read off the text (not from the loader)."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if line.startswith("id: "):
            return number, len("id: ") + 1
    raise AssertionError(f"no top-level id in {path}")


def _reachable(roots, limit: int = 2_000_000) -> list:
    """Every object reachable from roots (by gc referents), to look for what an entry holds."""
    seen: dict[int, object] = {}
    todo = list(roots)
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, (type, types.ModuleType, types.FunctionType)):
            continue
        seen[id(obj)] = obj
        assert len(seen) < limit
        todo.extend(gc.get_referents(obj))
    return list(seen.values())


# --- no node trees kept ----------------------------------------------------------------------


def test_discovered_entries_hold_no_node_tree(tmp_path):
    _copies(tmp_path / "lib", 12)
    shutil.copy(BROKEN / "syntax.yaml", tmp_path / "lib" / "zz-syntax.yaml")  # invalid, no scenario
    shutil.copy(BROKEN / "unknown-step.yaml", tmp_path / "lib" / "zz-step.yaml")  # invalid, scenario loads
    entries = discover([BUILTIN_DIR, tmp_path / "lib"])
    assert len(entries) == len(BUILTINS) + 14
    assert sum(e.ok for e in entries) == len(BUILTINS) + 12
    for entry in entries:
        assert not isinstance(entry.source, Source), entry.path
        if entry.source is not None:
            assert isinstance(entry.source, Locations)
            # The id and each warning's place: a handful, never the file's ~800 nodes.
            assert len(entry.source.positions) <= 1 + len(entry.warnings)
    held = _reachable(entries)
    nodes = [obj for obj in held if isinstance(obj, yaml.Node)]
    assert nodes == []
    marks = [obj for obj in held if type(obj).__name__ == "Mark"]
    assert marks == []


def test_memory_kept_per_file_is_the_scenario_not_its_tree(tmp_path):
    """With the trees kept, a 45 KB built-in held ~500 KB; the scenario models alone ~120 KB."""
    paths = _copies(tmp_path / "lib", 24)
    discover([tmp_path / "lib"])  # playbooks, schemas and caches: not part of the figure
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        entries = discover([tmp_path / "lib"])
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert all(e.ok for e in entries)
    file_bytes = sum(p.stat().st_size for p in paths)
    per_file_kib = kept / len(paths) / 1024
    assert kept < 5 * file_bytes, f"{per_file_kib:.0f} KiB kept per file of {file_bytes / len(paths) / 1024:.0f} KiB"


def test_a_tree_is_kept_only_when_asked_for():
    assert isinstance(load_scenario(FIXTURES / "minimal.yaml").source, Locations)
    kept = load_scenario(FIXTURES / "minimal.yaml", keep_tree=True)
    assert isinstance(kept.source, Source) and isinstance(kept.source.root, yaml.MappingNode)


def test_an_unrecorded_place_is_a_clear_error_not_a_wrong_position():
    source = load_scenario(FIXTURES / "minimal.yaml").source
    with pytest.raises(LookupError, match="no recorded position"):
        source.problem(("injects", 0, "title"), "x")


# --- the same problems, warnings and positions as with the tree -------------------------------


@pytest.mark.parametrize(
    "path", [*BUILTINS, FIXTURES / "minimal.yaml", *sorted(BROKEN.glob("*.yaml"))], ids=lambda p: p.name
)
def test_compact_load_says_what_the_tree_says(path):
    compact, full = load_scenario(path), load_scenario(path, keep_tree=True)
    assert compact.problems == full.problems
    assert (compact.scenario is None) == (full.scenario is None)
    if full.scenario is None:
        return
    assert compact.source.problem(ID_LOC, "m") == full.source.problem(ID_LOC, "m")
    expected = [full.source.problem(loc, f"warning: {m}", at_key=k) for loc, m, k in check_warnings(full.scenario)]
    assert compact.warnings == full.warnings == expected
    # What tui's `scenarios validate` does today with entry.source: still answered exactly.
    assert [
        compact.source.problem(loc, f"warning: {m}", at_key=k) for loc, m, k in check_warnings(compact.scenario)
    ] == expected


def test_warnings_are_located_while_the_tree_is_alive(minimal_text):
    # The cover-up inject's only option reaches nobody: discussion only, a warning, not a problem.
    text = minimal_text.replace(
        "        text: Call City IT\n        notifies: [city-it]\n", "        text: Call City IT\n"
    )
    assert text != minimal_text
    loaded = load_text("t.yaml", text)
    assert loaded.ok, loaded.problems
    assert [str(w).split(": warning: ")[0] for w in loaded.warnings] == ["t.yaml:40:9"]
    assert "inject 'cover-up' is discussion only" in loaded.warnings[0].message
    (loc, message, at_key), = check_warnings(loaded.scenario)
    assert loaded.source.problem(loc, f"warning: {message}", at_key=at_key) == loaded.warnings[0]


def test_validate_prints_warnings_at_their_place_from_a_compact_load(tmp_path, minimal_text):
    """`scenarios validate` (library and paths) locates warnings through entry.source."""
    lib = tmp_path / "lib"
    lib.mkdir()
    text = minimal_text.replace(
        "        text: Call City IT\n        notifies: [city-it]\n", "        text: Call City IT\n"
    )
    (lib / "talk.yaml").write_text(text)
    expected = f"{lib / 'talk.yaml'}:40:9: warning: inject 'cover-up' is discussion only"
    for args in (["--library", str(lib)], [str(lib)]):
        result = run_cli("scenarios", "validate", *args)
        assert result.returncode == 0, result.stdout + result.stderr
        assert [line for line in result.stdout.splitlines() if "warning" in line] == [
            line for line in result.stdout.splitlines() if line.startswith(expected)
        ] != []
        assert "1 warning" in result.stderr


def test_load_files_loads_each_as_load_scenario_does():
    paths = [FIXTURES / "minimal.yaml", *sorted(BROKEN.glob("*.yaml"))]
    assert [e.problems for e in load_files(paths)] == [load_scenario(p).problems for p in paths]


def test_duplicate_ids_and_invalid_files_keep_their_exact_positions(tmp_path):
    lib = tmp_path / "lib"
    _copies(lib, 6)
    # A copy of a built-in keeps its id: the problem points at the copy's id, naming the built-in.
    twin = lib / "zz-twin.yaml"
    shutil.copy(BUILTINS[0], twin)
    for name in ("cycle.yaml", "syntax.yaml", "unknown-step.yaml"):
        shutil.copy(BROKEN / name, lib / f"zz-{name}")
    entries = {Path(e.path).name: e for e in discover([BUILTIN_DIR, lib])}
    line, col = _id_position(twin)
    sid = load_scenario(BUILTINS[0]).scenario.id
    assert [str(p) for p in entries["zz-twin.yaml"].problems] == [
        f"{twin}:{line}:{col}: scenario id '{sid}' is already used by {BUILTINS[0]}"
    ]
    # The broken files: exactly where they say when loaded on their own (tests/test_validation.py).
    assert [(p.line, p.col) for p in entries["zz-cycle.yaml"].problems] == [(69, 11)]
    assert [(p.line, p.col) for p in entries["zz-syntax.yaml"].problems] == [(28, 4)]
    # cycle.yaml and unknown-step.yaml both load a scenario with the minimal fixture's id: the
    # second is also a duplicate, after its own problem, at its id (line 2, col 5).
    step = entries["zz-unknown-step.yaml"]
    assert [(p.line, p.col) for p in step.problems] == [(65, 17), (2, 5)]
    assert step.problems[1].message == f"scenario id 'fixture-minimal' is already used by {lib / 'zz-cycle.yaml'}"


def test_the_second_of_two_broken_files_with_one_id_is_the_duplicate(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    for name in ("unknown-step.yaml", "unknown-harm.yaml"):  # both load a scenario with the same id
        shutil.copy(BROKEN / name, lib / name)
    entries = discover([lib])
    assert [Path(e.path).name for e in entries] == ["unknown-harm.yaml", "unknown-step.yaml"]
    second = [str(p) for p in entries[1].problems]
    assert second[-1] == (
        f"{lib / 'unknown-step.yaml'}:2:5: scenario id 'fixture-minimal' is already used by {lib / 'unknown-harm.yaml'}"
    )
    assert len(second) == 2 and ":65:17: unknown step 'isolate-system'" in second[0]


# --- what the faster loading must not change -------------------------------------------------


def _tags(node) -> list:
    out, todo = [], [node]
    while todo:
        n = todo.pop()
        out.append((type(n).__name__, n.tag, n.start_mark.line, n.start_mark.column))
        if isinstance(n, yaml.SequenceNode):
            todo.extend(reversed(n.value))
        elif isinstance(n, yaml.MappingNode):
            for k, v in reversed(n.value):
                todo.extend((v, k))
    return out


TRICKY = """\
plain: [yes, No, ON, off, true, FALSE, null, Null, ~, '', "", 0, -1, +2, 0x1F, 0o17, 1_000, 3.5, .inf, -.INF, .nan]
quoted: ["yes", 'null', "1", '~']
dates: [2001-12-14, 2001-12-14t21:59:43.10-05:00]
odd: [=, <<, '<<', 1e3, 6.8523015e+5, 190:20:30, 0b1010, Yes please, nullable, ~tilde, ".5"]
empty:
block: |
  text
"""


@pytest.mark.parametrize("path", EVERY_YAML, ids=lambda p: p.name)
def test_fast_tag_resolution_gives_pyyaml_tags(path):
    text, _ = yamlsource.read_text(path)
    _assert_same_tags(text)


def test_fast_tag_resolution_on_every_kind_of_scalar():
    _assert_same_tags(TRICKY)


def _assert_same_tags(text: str) -> None:
    def compose(loader_class):
        loader = loader_class(text)
        try:
            return loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            return str(exc)
        finally:
            loader.dispose()

    for base, fast_class in ((yamlsource._BaseLoader, yamlsource._Loader),
                             (yaml.SafeLoader, yamlsource._fast_loader(yaml.SafeLoader))):  # without libyaml
        stock, fast = compose(base), compose(fast_class)
        if isinstance(stock, str) or stock is None:
            assert fast == stock
        else:
            assert _tags(fast) == _tags(stock)


@pytest.mark.parametrize("path", [*BUILTINS, *sorted(PLAYBOOK_DIR.glob("*.yaml")), FIXTURES / "minimal.yaml"],
                         ids=lambda p: p.name)
def test_built_data_is_what_pyyaml_loads(path):
    source, problems = yamlsource.load(path)
    assert problems == []
    assert source.data == yaml.load(path.read_text(), Loader=yaml.SafeLoader)


@pytest.mark.parametrize("text", [
    "# only\n# comments\n",
    "\n\n   \n",
    "#" + "x" * 5000 + "\n",
    "# c\n" * 2000,
    "# c\n" * 2000 + "id: late\n",
    "# c\n" * 1023 + "id: x\n",  # content across the 4,096-character head
    "# c\n" * 1024 + "   # indented comment\r\n\x0b\x1c  \n",
    " " * 4095 + "a\n",
    "# c\r" * 1024 + "\nid: x",
])
def test_only_comments_means_what_it_meant(text):
    old = all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())
    assert yamlsource._only_comments(text) == old


def test_gc_is_restored_after_loading_even_on_error(tmp_path):
    was = gc.isenabled()
    try:
        gc.enable()
        with pytest.raises(RuntimeError), gc_paused():
            assert not gc.isenabled()
            with gc_paused():  # nested (or another thread's): the outer one restores
                pass
            assert not gc.isenabled()
            raise RuntimeError
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0  # survivors went to the oldest generation, none left frozen
        gc.disable()
        discover([BUILTIN_DIR])
        assert not gc.isenabled()  # off before: still off
        gc.freeze()  # someone else's frozen objects stay frozen
        frozen = gc.get_freeze_count()
        with gc_paused():
            pass
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
        (gc.enable if was else gc.disable)()
