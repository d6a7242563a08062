"""The report a manager files as it is: each improvement-plan row its own team's, the responsible
organisation from the playbook (or "to be assigned"), sentences with no internal ids, local
times, each team's responses in the CSV, and the cover information from --meta and flags."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from _drill_fixtures import GUIDE_TEXT, ei_key, ei_scenario
from helpers import run_cli

from scenarios.plural import counted
from scenarios.render import render
from scoring.history import load
from scoring.report.aar import build
from scoring.report.words import Reader, article
from scoring.store import Store

CHICAGO = {"TZ": "America/Chicago"}
FREE = "=SUM(A1) we tell the attorney general & <b>press</b>"
# Three teams answering differently: every figure of one team's rows is its own.
TEAMS = {
    "Red": ({"detect": ["isolate-and-call"], "evidence": ["export-logs", "keep-originals", "timeline"],
             "police": ["call-police"], "recovery": ["image", "verify", "restore"], "notice": GUIDE_TEXT},
            {"detect": 30, "evidence": 40, "police": 20, "recovery": 50, "notice": 60}),
    "Blue": ({"detect": ["isolate-and-call"], "evidence": ["export-logs"],
              "police": ["wait"], "recovery": ["verify", "image", "restore"], "notice": FREE},
             {"detect": 30, "evidence": 500, "police": 20, "recovery": 50, "notice": 60}),
    "Green": ({"detect": ["isolate-and-call"], "evidence": ["export-logs", "clear-logs"],
               "police": ["call-code-enforcement"], "recovery": ["restore", "verify", "image"]},
              {"detect": 30, "evidence": 40, "police": 450, "recovery": 200}),
}


@pytest.fixture(scope="module")
def drill(tmp_path_factory):
    scenario = ei_scenario()
    key = ei_key(scenario)
    db = tmp_path_factory.mktemp("plan") / "drills.db"
    with Store(db) as store:
        drill_id, ex = store.start(scenario, seed=5, teams=list(TEAMS), scenario_hash="h", timed=True,
                                   playbook=key.playbook.model_dump(mode="json"), mode="facilitated")
        for team, (answers, seconds) in TEAMS.items():
            while ex.state.teams[team].next is not None:
                inject = ex.release(team).inject
                if inject in answers:
                    ex.submit(team, inject, answers[inject], seconds=seconds.get(inject))
        ex.end()
        drill = load(store, drill_id)
    return db, drill_id, drill


def _cli(db, drill_id, *args, env=CHICAGO):
    result = run_cli("report", drill_id, "--db", str(db), *args, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_each_plan_row_carries_its_own_teams_figures(drill):
    db, drill_id, scored = drill
    aar = json.loads(_cli(db, drill_id, "--format", "json"))
    reader = Reader(render(scored.scenario, scored.row.seed), scored.key)
    plan = aar["improvement_plan"]
    assert [p["number"] for p in plan] == list(range(1, len(plan) + 1))
    for team, card in scored.cards.items():
        expected = {(f.dimension, f.subject, f.points, reader.text(f)) for f in card.findings
                    if f.effect in ("missed", "deducted")}
        rows = {(p["dimension"], p["subject"], p["points"], p["issue"]) for p in plan if p["team"] == team}
        assert rows == expected, team
    # The figures differ by team, and each row shows its own: the order inject's pairs, the slow inject.
    order = {p["team"]: p["issue"] for p in plan if p["dimension"] == "sequence" and p["subject"] == "recovery"}
    assert "Red" not in order
    assert order["Blue"].startswith("Order: 1 of 3 pairs") and order["Green"].startswith("Order: 3 of 3 pairs")
    slow = {(p["team"], p["inject"]) for p in plan if p["dimension"] == "timeliness"}
    assert slow == {("Blue", "evidence"), ("Green", "police"), ("Green", "recovery"), ("Green", "notice")}
    assert all(t != "Red" for t, _ in slow)


def test_responsible_comes_from_the_playbook_and_actions_say_what_to_do(drill):
    db, drill_id, scored = drill
    key = scored.key
    aar = build(scored)
    offices = {esc.by for esc in key.escalations.values()}
    for p in aar["improvement_plan"]:
        esc = key.escalations.get(p["subject"]) if p["dimension"] == "escalation" else None
        if esc is not None and not p["issue"].startswith("Needless"):
            assert p["responsible"] == esc.by
        else:
            assert p["responsible"] == "to be assigned", p
        assert p["responsible"] in offices | {"to be assigned"}
        assert p["owner"] == "to be assigned" and p["due"] == "to be assigned"
        assert p["issue"] not in p["corrective_action"] and p["corrective_action"] != p["issue"]
        if p["dimension"] == "steps":
            step = key.steps[p["subject"]]
            assert step.title in p["corrective_action"] and step.source.section in p["corrective_action"]
    needless = next(p for p in aar["improvement_plan"] if p["issue"].startswith("Needless"))
    assert needless["team"] == "Green" and needless["responsible"] == "to be assigned"


def test_sentences_read_as_written_with_no_internal_ids(drill):
    db, drill_id, scored = drill
    text = _cli(db, drill_id, "--format", "md")
    html = _cli(db, drill_id, "--format", "html")
    for doc in (text, html):
        assert "3 teams exercised" in doc and "an access control breach" in doc
        assert "(s)" not in doc and "when always" not in doc and "whom the guide" not in doc
        assert not re.search(r"inject '[^']+'", doc), "an inject named by its id"
        assert not re.search(r"'[a-z0-9-]+' \(", doc), "an option named by its id"
        for oid in ("isolate-and-call", "call-code-enforcement", "export-logs"):
            assert oid not in doc
        assert "Records server intrusion (test)" in doc and "“recovery”" in doc  # the inject's title
    assert "&amp;" not in text and "&lt;" not in text and "\\&" in text and "\\<b\\>" in text
    assert re.search(r"\| Started \| \d{4}-\d\d-\d\d \d\d:\d\d C[SD]T \|", text)
    assert "+00:00" not in text.split("## Scores")[0]
    aar = json.loads(_cli(db, drill_id, "--format", "json"))
    assert aar["overview"]["started"].endswith("+00:00") and aar["overview"]["started_local"][-3:] in ("CST", "CDT")
    assert aar["overview"]["ended_local"][-3:] in ("CST", "CDT")


def test_words():
    assert (article("access control"), article("unpatched system"), article("ransomware")) == ("an", "an", "a")
    assert (counted(1, "team"), counted(3, "team"), counted(12000, "drill")) == ("1 team", "3 teams", "12,000 drills")


def test_csv_has_each_teams_responses(drill):
    db, drill_id, scored = drill
    text = _cli(db, drill_id, "--format", "csv", "--responses")
    tables = text.split("\n\n")
    assert len(tables) == 2  # the findings, then the responses
    rows = list(csv.DictReader(io.StringIO(tables[1])))
    scenario = render(scored.scenario, scored.row.seed)
    for team, (answers, _) in TEAMS.items():
        mine = {r["inject"]: r for r in rows if r["team"] == team}
        assert list(mine) == [i for i in scored.cards[team].path]
        for inject_id, answer in answers.items():
            if inject_id not in mine:
                continue
            inject = scenario.inject(inject_id)
            if isinstance(answer, str):
                shown = ("'" + answer) if answer.startswith("=") else answer
            else:
                texts = {o.id: o.text for o in inject.options}
                shown = "; ".join(texts[o] for o in answer)
            assert mine[inject_id]["response"] == shown and mine[inject_id]["inject_title"] == inject.title
    assert any(r["response"] == "'" + FREE for r in rows)
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")), row


META = """\
organisation: City of East Independence, Records Division
location: City Hall, room 208
facilitators: [A. Rivera, "=B. Stone"]
evaluators: J. Chen
contact: A. Rivera, 555-0100
actions:
  2: {owner: Records supervisor, due: 2027-01-15}
"""


def test_meta_file_and_flags_fill_the_cover_in_every_format(drill, tmp_path):
    db, drill_id, _ = drill
    meta = tmp_path / "meta.yaml"
    meta.write_text(META)
    aar = json.loads(_cli(db, drill_id, "--format", "json", "--meta", str(meta), "--evaluator", "M. Okafor",
                          "--evaluator", "K. Lee"))
    o = aar["overview"]
    assert o["organisation"] == "City of East Independence, Records Division" and o["location"] == "City Hall, room 208"
    assert o["facilitators"] == ["A. Rivera", "=B. Stone"] and o["evaluators"] == ["M. Okafor", "K. Lee"]
    assert o["contact"] == "A. Rivera, 555-0100"
    row = aar["improvement_plan"][1]
    assert (row["owner"], row["due"]) == ("Records supervisor", "2027-01-15")
    assert {(p["owner"], p["due"]) for p in aar["improvement_plan"][2:]} == {("to be assigned", "to be assigned")}
    md = _cli(db, drill_id, "--format", "md", "--meta", str(meta))
    assert "| Organisation | City of East Independence, Records Division |" in md
    assert "| Point of contact | A. Rivera, 555-0100 |" in md and "| Records supervisor | 2027-01-15 |" in md
    html = _cli(db, drill_id, "--format", "html", "--meta", str(meta))
    assert "<td>City Hall, room 208</td>" in html and "<td>A. Rivera, =B. Stone</td>" in html
    cover = list(csv.reader(io.StringIO(_cli(db, drill_id, "--format", "csv", "--meta", str(meta),
                                             "--location", "+Annex").split("\n\n")[0])))
    assert ["Location", "'+Annex"] in cover and ["Facilitators", "'=B. Stone"] not in cover
    assert ["Facilitators", "A. Rivera, =B. Stone"] in cover


def test_absent_cover_information_reads_not_given(drill):
    db, drill_id, _ = drill
    md = _cli(db, drill_id, "--format", "md")
    for item in ("Organisation", "Location", "Facilitators", "Evaluators", "Point of contact"):
        assert f"| {item} | not given |" in md
    aar = json.loads(_cli(db, drill_id, "--format", "json", "--organisation", "City of East Independence"))
    assert aar["overview"]["organisation"] == "City of East Independence" and aar["overview"]["location"] is None


@pytest.mark.parametrize(("text", "where", "words"), [
    ("organisation: x\nvenue: y\n", ":2:1:", "unknown key 'venue'"),
    ("actions:\n  1: {owner: x, due: 15/01/2027}\n", ":2:22:", "expected a date as YYYY-MM-DD"),
    ("actions:\n  1: {due: 2027-02-30}\n", ":2:12:", "expected a date as YYYY-MM-DD"),
    ("actions:\n  one: {owner: x}\n", ":2:3:", "not an improvement-plan row number"),
    ("actions:\n  1: {who: x}\n", ":2:7:", "unknown key 'who'"),
    ("facilitators: {a: 1}\n", ":1:15:", "expected a name or a list of names"),
    ("- a\n", ":1:1:", "expected a mapping"),
    ("organisation: [x\n", ":2:1:", "not valid YAML"),
])
def test_a_bad_meta_file_is_one_located_line(drill, tmp_path, text, where, words):
    db, drill_id, _ = drill
    meta = tmp_path / "meta.yaml"
    meta.write_text(text)
    result = run_cli("report", drill_id, "--db", str(db), "--meta", str(meta))
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert f"{meta}{where}" in result.stderr and words in result.stderr, result.stderr
