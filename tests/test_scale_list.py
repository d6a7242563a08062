"""`results list` of a big store prints what it printed before it was made fast: the same table
(cells made literal, columns as wide as their widest cell) and the same JSON, for names that
need escaping, archived drills and drills still running. Real SQLite files."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout

import pytest
from _drill_fixtures import ei_scenario

from scoring.store import Store
from tui.cli import main
from tui.cli.results import _json_rows, _team_names
from tui.text import literal

SCENARIO = ei_scenario()
NAMES = [["Blue"], ["Red", "Gold"], ['quote"d', "back\\slash"], ["comma, space", '", "'], ["Équipe ✓", "東京"],
         ["esc\x1b[31mred", "bell\x07"], ["tab\there", "line\nbreak"], ["[bold]x[/bold]"]]
STATUS_TEXT = {"in-progress": "in progress", "ended": "ended"}


def old_list(store: Store) -> str:
    """The table as `results list` printed it before (kept verbatim)."""
    rows = store.drills()
    headers = ("DRILL", "CREATED", "STATUS", "SCENARIO", "TEAMS", "EVENTS")
    table = [
        [row.id, row.created, STATUS_TEXT.get(row.status, row.status) + (", archived" if row.archived else ""),
         row.scenario_id, ", ".join(row.teams), str(row.events)]
        for row in rows
    ]
    table = [[literal(cell) for cell in line] for line in table]
    widths = [max([len(h)] + [len(line[i]) for line in table]) for i, h in enumerate(headers)]
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    out += ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in table]
    return "\n".join(out) + "\n"


def listed(*args: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["results", "list", *args]) == 0
    return out.getvalue()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "drills.db"
    with Store(path) as store:
        for n, teams in enumerate(NAMES):
            clock = iter(1_790_000_000.0 + n * 3600 + k for k in range(100)).__next__
            drill, ex = store.start(SCENARIO, seed=n, teams=teams, scenario_hash="t", clock=clock)
            if n % 3:
                ex.end()
            if n % 4 == 1:
                ex.archive()
            if n == 2:
                ex.rename("back\\slash", "renamed \\ again")
    return path


def test_the_table_is_the_one_printed_before(db):
    with Store(db) as store:
        expected = old_list(store)
    assert listed("--db", str(db)) == expected
    assert "\\x1b" in expected and "archived" in expected and "in progress" in expected


def test_a_table_without_control_characters_is_the_same_too(tmp_path):
    path = tmp_path / "plain.db"
    with Store(path) as store:
        for n, teams in enumerate(NAMES[:5]):
            store.start(SCENARIO, seed=n, teams=teams, scenario_hash="t")
        expected = old_list(store)
    assert listed("--db", str(path)) == expected


def test_the_json_is_the_one_printed_before(db):
    with Store(db) as store:
        expected = json.dumps([row.to_dict() for row in store.drills()], indent=2, ensure_ascii=False) + "\n"
    assert listed("--db", str(db), "--json") == expected


def test_an_empty_store_says_so(tmp_path):
    assert listed("--db", str(tmp_path / "none.db")).startswith("no drills yet in ")
    assert listed("--db", str(tmp_path / "none.db"), "--json") == "[]\n"


@pytest.mark.parametrize("teams", [
    '["a", "b"]', '["a","b"]', '[ "a" , "b" ]', '["a",  "b"]', "[]", '[""]', '["a\\"b", "c"]', '["\\u00e9"]',
    json.dumps(["x", "y, z", '", "']), json.dumps(["é"], ensure_ascii=False), '["a", "b"]\n',
])
def test_team_names_are_the_json_list_joined(teams):
    assert _team_names(teams) == ", ".join(json.loads(teams))


@pytest.mark.parametrize("rows", [
    [], [{}], [{"a": 1, "b": [], "c": ["x", "y"], "d": None, "e": True, "f": False, "g": 1.5, "h": "é\n\"",
               "i": float("nan"), "j": -0.0, "k": {"nested": [1, {"x": 2}]}, "l": [[1], []]}],
])
def test_json_rows_are_json_dumps_with_an_indent_of_2(rows):
    assert _json_rows(rows) == json.dumps(rows, indent=2, ensure_ascii=False)
