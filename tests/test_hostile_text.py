"""Hostile text never reaches a terminal or a file raw (issue 17): C0 and C1 controls, DEL, bidi
controls (a right-to-left override) and the line separators, in a scenario's title, a team's name
or a free answer, come out of every listing and export format as visible escapes (`\\x1b`,
`\\u202e`), escaped for that format, and out of every JSON output as JSON escapes that decode back
to exactly the text that went in. Hypothesis drives the in-process renderers (the CLI's own `main`,
on a drill stored through the real store); the real command line in a subprocess gets a few fixed
payloads, the scenario and the answers read from files as a user's would be."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import tempfile
from contextlib import redirect_stdout
from pathlib import Path

import pytest
import yaml
from _drill_fixtures import as_answers, ei_key, ei_scenario_data
from helpers import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios.guide import answers as guide_answers
from scenarios.model import Scenario
from scenarios.render import render
from scenarios.safe_text import json_dumps, json_string, literal, literal_cell, literal_line
from scoring import history
from scoring.jsontext import scalar
from scoring.report.tabular import finding_rows, safe_cell, to_csv
from scoring.store import Store
from tui.cli import main
from tui.cli.common import print_json
from tui.cli.results import _json_rows
from tui.cli.scorecard_text import format_scorecard

# Written independently of scenarios/safe_text.py: what no output may hold raw.
C0 = [chr(c) for c in range(0x20)]
C1 = [chr(c) for c in range(0x80, 0xA0)]
BIDI = ["\u061c", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
        "\u2066", "\u2067", "\u2068", "\u2069"]
SEPARATORS = ["\u2028", "\u2029"]
DANGEROUS = [*C0, "\x7f", *C1, *BIDI, *SEPARATORS]
RAW = re.compile("[" + "".join(re.escape(c) for c in DANGEROUS) + "]")

# What each format may hold raw of those: its own line breaks (and a kept tab).
TEXT, MARKDOWN, HTML, CSV, JSON = "\t\n", "\n", "\t\n", "\t\n\r", "\n"

TITLE = "\x1b]0;pwned\x07 Records \x9b31m server \u202egpj.exe"
NAMES = ["Red \x1b]0;pwned\x07", "Blue \x9b31m \x85 \u202eeulB \u2066x\u2069"]
ANSWER = "We notify residents by letters \x1b[2J and tell the attorney general \u202e \x9b0m \x07\u2028now."


def raw_in(text: str, allowed: str = "") -> list[str]:
    """The dangerous characters `text` holds raw, apart from `allowed`."""
    return sorted({c for c in RAW.findall(text) if c not in allowed})


def strings(value) -> list[str]:
    """Every string in a decoded JSON value, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


# --- the one sanitiser ---------------------------------------------------------------------------

@pytest.mark.parametrize("char", [c for c in DANGEROUS if c not in "\t\n"])
def test_every_dangerous_character_is_shown_as_a_visible_escape(char):
    shown = literal(f"a{char}b")
    assert raw_in(shown) == [] and shown.startswith("a\\") and shown.endswith("b")
    code = ord(char)
    expected = repr(char)[1:-1] if code < 0x100 else f"\\u{code:04x}"
    assert shown == f"a{expected}b"
    assert literal_line(char) == literal(char)
    assert literal_cell(char) == (char if char == "\r" else literal(char))


def test_the_escapes_read_as_they_always_have():
    assert literal("\x1b]0;pwned\x07") == "\\x1b]0;pwned\\x07"
    assert literal("\x9b31m\u202egpj.exe\r") == "\\x9b31m\\u202egpj.exe\\r"
    assert literal("tab\tline\nÉquipe ✓ 東京 😀 [bold]") == "tab\tline\nÉquipe ✓ 東京 😀 [bold]"
    assert literal_line("tab\tline\n\x1b") == "tab\\tline\\n\\x1b"
    assert literal_cell("a\r\nb\x1b") == "a\r\nb\\x1b"
    assert literal(literal(TITLE)) == literal(TITLE), "shown twice is shown once"


@pytest.mark.parametrize("char", DANGEROUS)
def test_json_escapes_every_dangerous_character_and_decodes_to_it(char):
    value = {"k" + char: ["x" + char + "é"]}
    text = json_dumps(value, indent=2)
    assert raw_in(text, JSON) == []
    assert json.loads(text) == value
    assert "é" in text, "other non-ASCII is kept as it is (ensure_ascii=False)"
    assert json_string("x" + char) == json_dumps("x" + char) == scalar("x" + char)


def test_the_export_cell_keeps_the_formula_rule():
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("\x1b=1") == "\\x1b=1" and safe_cell("\rx") == "'\rx"
    assert safe_cell("\t\u202e") == "'\t\\u202e" and safe_cell(None) == ""


# --- every output of one stored drill, in process ------------------------------------------------

def cli(*args: object) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main([str(a) for a in args]) == 0, args
    return out.getvalue()


def stored_drill(db: Path, title: str, teams: list[str], free: str) -> tuple[str, Scenario]:
    """The small East Independence drill, titled `title`, each team answering as the guide does
    but for the free inject, where it writes `free`; ended, in a store on `db`."""
    data = ei_scenario_data()
    data["title"] = title
    scenario = Scenario.model_validate(data)
    key = ei_key(scenario)
    guide = as_answers(scenario, guide_answers(scenario, key))
    with Store(db) as store:
        drill_id, ex = store.start(scenario, seed=3, teams=teams, scenario_hash="h",
                                   playbook=key.playbook.model_dump(mode="json"))
        for team in ex.state.teams:
            while ex.state.teams[team].next is not None:
                inject = ex.release(team).inject
                ex.submit(team, inject, free if inject == "notice" else guide[inject])
        ex.end()
    return drill_id, scenario


def check_outputs(db: Path, drill_id: str, title: str, teams: list[str], free: str) -> None:
    teams = [t.strip() for t in teams]  # as the engine keeps them
    out = {fmt: cli("report", drill_id, "--format", fmt, "--db", db) for fmt in ("md", "html", "csv", "json")}
    for fmt in ("csv", "json"):
        out[f"export-{fmt}"] = cli("results", "export", "--format", fmt, "--db", db)
    out["list"], out["list-json"] = cli("results", "list", "--db", db), cli("results", "list", "--json", "--db", db)
    out["show"] = cli("results", "show", drill_id, "--db", db)
    out["show-json"] = cli("results", "show", drill_id, "--json", "--db", db)
    with Store(db) as store:
        drill = history.load(store, drill_id)
        listed = store.drills()
    # `breachdrill play` prints the scorecards so (its text and its --json)
    out["play"] = "\n".join(format_scorecard(card) for card in drill.cards.values())
    printed = io.StringIO()
    with redirect_stdout(printed):
        print_json({"drill_id": drill_id, "scorecards": [card.to_dict() for card in drill.cards.values()]})
    out["play-json"] = printed.getvalue()

    allowed = {"md": MARKDOWN, "html": HTML, "csv": CSV, "json": JSON, "export-csv": CSV, "export-json": JSON,
               "list": TEXT, "list-json": JSON, "show": TEXT, "show-json": JSON, "play": TEXT, "play-json": JSON}
    for name, text in out.items():
        assert raw_in(text, allowed[name]) == [], name

    # JSON: lossless.
    aar = json.loads(out["json"])
    # The report names the exercise as the room saw it: a placeholder in the title ("{{date}}")
    # filled for the drill's seed; the listings keep the title as written, the same for every drill.
    shown_title = render(drill.scenario, drill.row.seed).title
    assert aar["overview"]["exercise_name"] == shown_title and aar["overview"]["teams"] == teams
    (notice,) = [i for i in aar["injects"] if i["id"] == "notice"]
    assert {team: r["answer"] for team, r in notice["responses"].items()} == {team: [free] for team in teams}
    rows = json.loads(out["export-json"])
    assert {r["team"] for r in rows} == set(teams) and {r["scenario_title"] for r in rows} == {title}
    (row,) = json.loads(out["list-json"])
    assert row["teams"] == teams and row["title"] == title
    shown = json.loads(out["show-json"])
    assert shown["title"] == title and [c["team"] for c in shown["scorecards"]] == teams
    assert [c["team"] for c in json.loads(out["play-json"])["scorecards"]] == teams
    # The fast paths write what the slow ones do, byte for byte.
    assert out["list-json"] == json_dumps([r.to_dict() for r in listed], indent=2) + "\n"
    assert _json_rows([r.to_dict() for r in listed]) + "\n" == out["list-json"]
    reference = [r for r in finding_rows(drill)]
    assert out["export-csv"] == to_csv(reference) == out["csv"]
    assert out["export-json"] == "[\n  " + ",\n  ".join(
        json_dumps(r, indent=2).replace("\n", "\n  ") for r in reference) + "\n]\n"

    # Everywhere else: the visible escapes, escaped for the format.
    for team in teams:
        assert f"Team {literal(team)}: " in out["show"] and f"Team {literal(team)}: " in out["play"]
        assert html.escape(literal(team), quote=True) in out["html"]
    assert literal(title) in out["show"].splitlines()[0] or "\n" in literal(title)
    cells = list(csv.reader(io.StringIO(out["csv"], newline="")))
    assert {r[6] for r in cells[1:]} == {safe_cell(team) for team in teams}
    assert {r[3] for r in cells[1:]} == {safe_cell(title)}
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")) for r in cells[1:] for cell in r)


def test_every_output_of_a_drill_with_hostile_text():
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "drills.db"
        drill_id, _ = stored_drill(db, TITLE, NAMES, ANSWER)
        check_outputs(db, drill_id, TITLE, NAMES, ANSWER)


HOSTILE_CHARS = [*DANGEROUS, *'[]<>&"\'\\=+-@|*_`#~ ']
# Any character UTF-8 can write (a lone surrogate cannot be stored at all), the dangerous ones often.
hostile_text = st.text(st.one_of(st.sampled_from(HOSTILE_CHARS), st.characters(codec="utf-8")), min_size=1,
                       max_size=20)
named = hostile_text.filter(lambda s: s.strip() != "")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile_text, teams=st.lists(named, min_size=1, max_size=2, unique_by=str.strip), free=named)
def test_every_output_of_any_drill_is_literal_and_its_json_lossless(title, teams, free):
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "drills.db"
        drill_id, _ = stored_drill(db, title, teams, free)
        check_outputs(db, drill_id, title, teams, free)


def test_a_very_long_team_name_does_not_widen_every_row_of_the_listing():
    long_name = "x" * 100_000
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "drills.db"
        stored_drill(db, "Records", [long_name], "We notify residents.")
        stored_drill(db, "Records", ["Blue"], "We notify residents.")
        listed = cli("results", "list", "--db", db)
        assert max(len(line) for line in listed.splitlines()) < 300
        assert "x…" in listed and "Blue" in listed
        assert [r["teams"] for r in json.loads(cli("results", "list", "--json", "--db", db))] == [["Blue"], [long_name]]


def test_a_very_long_scenario_title_is_cut_in_the_scenario_list(tmp_path):
    data = ei_scenario_data()
    data["title"] = "Long " * 2_000
    library = tmp_path / "library"
    library.mkdir()
    (library / "long.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    listed = cli("scenarios", "list", "--library", library)
    (row,) = [line for line in listed.splitlines() if "test-ei-records" in line]
    assert "Long Long" in row and "…" in row and len(row) < 400 and str(library / "long.yaml") in row
    (entry,) = [e for e in json.loads(cli("scenarios", "list", "--library", library, "--json")) if e.get("id")
                == "test-ei-records"]
    assert entry["title"] == data["title"]


# --- the real command line: scenario and answers from files ---------------------------------------

def hostile_library(folder: Path) -> Path:
    data = ei_scenario_data()
    data["title"] = TITLE
    data["summary"] = "A test \x1b[2J scenario \u202e with \x9b controls."
    data["injects"][0]["body"] = "The server \x1b]2;pwned\x07 is \u2066odd\u2069."
    folder.mkdir()
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))  # escapes what YAML cannot hold raw
    return path


def answers_file(path: Path) -> Path:
    scenario = Scenario.model_validate(ei_scenario_data())
    answers = as_answers(scenario, guide_answers(scenario, ei_key(scenario))) | {"notice": ANSWER}
    path.write_text(yaml.safe_dump(answers))
    assert yaml.safe_load(path.read_text())["notice"] == ANSWER
    return path


def run(*args: object, allowed: str = TEXT) -> str:
    result = run_cli(*(str(a) for a in args))
    assert result.returncode == 0, result.stderr
    assert raw_in(result.stdout, allowed) == [], (args, raw_in(result.stdout, allowed))
    assert raw_in(result.stderr, "\n") == [], (args, result.stderr)
    return result.stdout


def test_the_command_line_writes_hostile_text_literally_everywhere(tmp_path):
    scenario = hostile_library(tmp_path / "library")
    answers = answers_file(tmp_path / "answers.yaml")
    db = tmp_path / "drills.db"
    teams = [arg for name in NAMES for arg in ("--team", f"{name}={answers}")]

    played = run("play", scenario, *teams, "--db", db)
    assert literal(TITLE) in played and all(f"Team {literal(name)}: " in played for name in NAMES)
    as_json = json.loads(run("play", scenario, *teams, "--db", db, "--json", allowed=JSON))
    assert [c["team"] for c in as_json["scorecards"]] == NAMES
    drill_id = as_json["drill_id"]

    listed = run("results", "list", "--db", db)
    assert literal(NAMES[0]) in listed  # the cell is cut at 60 characters: the second name ends in "…"
    rows = json.loads(run("results", "list", "--json", "--db", db, allowed=JSON))
    assert [(r["title"], r["teams"]) for r in rows] == [(TITLE, NAMES)] * 2
    assert literal(TITLE) in run("results", "show", drill_id, "--db", db)
    assert json.loads(run("results", "show", drill_id, "--json", "--db", db, allowed=JSON))["title"] == TITLE

    for fmt, allowed in (("md", MARKDOWN), ("html", HTML), ("csv", CSV)):
        report = run("report", drill_id, "--format", fmt, "--db", db, allowed=allowed)
        for shown in ("\\x1b", "pwned", "\\x07", "\\x9b", "\\u202e", "\\u2066"):  # as visible escapes, escaped again
            assert shown in report.replace("\\\\", "\\"), (fmt, shown)  # for Markdown: \\x1b shows \x1b
    aar = json.loads(run("report", drill_id, "--format", "json", "--db", db, allowed=JSON))
    assert aar["overview"]["exercise_name"] == TITLE and aar["overview"]["teams"] == NAMES
    assert ANSWER in strings(aar)
    exported = run("results", "export", "--format", "csv", "--db", db, allowed=CSV)
    assert {r[6] for r in list(csv.reader(io.StringIO(exported, newline="")))[1:]} == {literal(n) for n in NAMES}
    rows = json.loads(run("results", "export", "--format", "json", "--db", db, allowed=JSON))
    assert {r["team"] for r in rows} == set(NAMES) and {r["scenario_title"] for r in rows} == {TITLE}

    library = ("--library", scenario.parent)
    assert literal(TITLE) in run("scenarios", "list", *library)
    assert TITLE in [r.get("title") for r in json.loads(run("scenarios", "list", *library, "--json", allowed=JSON))]
    shown = run("scenarios", "show", scenario)
    assert literal(TITLE) in shown and "\\x1b]2;pwned\\x07" in shown
    data = json.loads(run("scenarios", "show", scenario, "--json", allowed=JSON))
    assert data["title"] == TITLE and data["injects"][0]["body"].startswith("The server \x1b]2;pwned\x07")


def test_a_placeholder_this_version_does_not_know_stays_as_written_in_every_report():
    """Validation refuses '{{ate}}' in a file, but a drill stored by another version may hold a
    placeholder this one lacks: its reports still come out, the text as written, and a known
    placeholder in the same title is filled as the room saw it."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "drills.db"
        title = "Drill of {{date}} on {{ate}}"
        drill_id, scenario = stored_drill(db, title, ["Red"], "free")
        aar = json.loads(cli("report", drill_id, "--format", "json", "--db", db))
        shown = aar["overview"]["exercise_name"]
        assert shown.endswith(" on {{ate}}") and "{{date}}" not in shown
        assert shown == render(scenario, 3).title
        for fmt in ("md", "html", "csv"):
            assert "{{ate}}" in cli("report", drill_id, "--format", fmt, "--db", db)
        assert json.loads(cli("results", "list", "--json", "--db", db))[0]["title"] == title
