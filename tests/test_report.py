"""After-action reports and exports, from drills played through the real engine and store."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from _drill_fixtures import as_answers, library
from helpers import run_cli

from scenarios.guide import answers as guide_answers
from scenarios.loader import scenario_hash
from scenarios.safe_text import literal_cell
from scoring.history import load
from scoring.store import Store

HOSTILE = {
    "=HYPERLINK(\"http://evil.example\",\"x\")": "'=HYPERLINK",
    "+1 Crew": "'+1 Crew",
    "@SUM(A1:A9)": "'@SUM(A1:A9)",
    "-2+3": "'-2+3",
}
HTML_NAME = "<script>alert(1)</script> [bold]Red[/bold] & \x1b[31m"


def _play(store: Store, scenario, key, teams_answers: dict[str, dict]) -> str:
    drill_id, ex = store.start(
        scenario, seed=5, teams=list(teams_answers), scenario_hash=scenario_hash(scenario),
        playbook=key.playbook.model_dump(mode="json"), mode="facilitated",
    )
    for team, answers in teams_answers.items():
        team = team.strip()  # the engine trims names as a facilitator types them
        while ex.state.teams[team].next is not None:
            released = ex.release(team)
            if released.inject in answers:
                ex.submit(team, released.inject, answers[released.inject])
    ex.end()
    return drill_id


@pytest.fixture(scope="module")
def drill_db(tmp_path_factory):
    """One built-in drill: a guide team, a harmful team, hostile team names."""
    _, scenario, key = next(entry for entry in library() if entry[1].id == "stl-unpatched-system")
    good = as_answers(scenario, guide_answers(scenario, key))
    bad = as_answers(scenario, guide_answers(scenario, key, harmful=True))
    names = list(HOSTILE)
    db = tmp_path_factory.mktemp("report") / "drills.db"
    with Store(db) as store:
        teams = {names[0]: good, names[1]: bad, names[2]: good, names[3]: bad, HTML_NAME: bad, "\tTabbed": good}
        drill_id = _play(store, scenario, key, teams)
        drill = load(store, drill_id)
    return db, drill_id, drill


def _report(db, drill_id, fmt) -> str:
    result = run_cli("report", drill_id, "--format", fmt, "--db", str(db))
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_json_report_numbers_equal_the_scorecards(drill_db):
    db, drill_id, drill = drill_db
    aar = json.loads(_report(db, drill_id, "json"))
    assert aar["report"] == "After-Action Report / Improvement Plan"
    o = aar["overview"]
    assert (o["drill_id"], o["scenario_id"], o["jurisdiction"], o["violation"]) == (
        drill_id, "stl-unpatched-system", "St. Louis, Missouri", "unpatched-system")
    assert o["seed"] == 5 and o["scenario_hash"] == drill.row.scenario_hash and o["teams"] == list(drill.cards)
    assert {s["team"]: s["overall"] for s in aar["scores"]} == {t: c.overall for t, c in drill.cards.items()}
    for cap in aar["capabilities"]:
        for team, rating in cap["ratings"].items():
            assert rating["rating"] == drill.cards[team].ratings[cap["capability"]].rating
    # Every improvement item comes from a finding of its own team that lost points.
    lost = {(t, f.dimension, f.subject, f.points) for t, c in drill.cards.items() for f in c.findings
            if f.effect in ("missed", "deducted")}
    assert aar["improvement_plan"]
    for item in aar["improvement_plan"]:
        assert item["due"] == "to be assigned" and item["owner"] == "to be assigned"
        assert (item["team"], item["dimension"], item["subject"], item["points"]) in lost
    # The appendix holds every inject on a team's path with that team's response.
    for team, card in drill.cards.items():
        on_path = [i["id"] for i in aar["injects"] if team in i["responses"]]
        assert on_path == [i for i in card.path]
    guide_team = list(HOSTILE)[0]
    timeline = {r["contact"]: r for r in aar["escalations"][guide_team]}
    assert timeline["city-it"]["status"] == "reached" and timeline["city-it"]["minute"] == 0
    assert {r["contact"] for r in aar["escalations"][guide_team] if r["required"]} == set(drill.key.required_contacts)
    # Every team's timeline says what its scorecard says: not reached, late, needless.
    for team, card in drill.cards.items():
        status = {r["contact"]: r["status"] for r in aar["escalations"][team]}
        for f in card.findings:
            if f.dimension == "escalation" and f.message.startswith("Not reached"):
                assert status[f.subject] == "not reached", (team, f.subject)
            if f.dimension == "escalation" and f.message.startswith("Late"):
                assert status[f.subject] == "late", (team, f.subject)
            if f.dimension == "escalation" and f.message.startswith("Needless"):
                assert status[f.subject] == "needless", (team, f.subject)
    bad_team = "+1 Crew"
    assert "not reached" in {r["status"] for r in aar["escalations"][bad_team]}


def test_markdown_report_has_every_aar_section(drill_db):
    db, drill_id, drill = drill_db
    text = _report(db, drill_id, "md")
    for heading in ("## Exercise overview", "## Executive summary", "## Analysis of core capabilities",
                    "## Appendix A: Improvement plan", "## Appendix B: Participants",
                    "## Appendix C: Injects and responses", "## Appendix D: Escalation timeline"):
        assert heading in text
    for _team, card in drill.cards.items():
        assert f"{card.overall:.1f}" in text
    assert "<script>" not in text and "\\<script\\>" in text and "&lt;" not in text
    assert "\\[bold\\]Red\\[/bold\\] \\&" in text


def test_html_report_is_self_contained_and_escaped(drill_db):
    db, drill_id, drill = drill_db
    text = _report(db, drill_id, "html")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert "<script" not in text.lower()
    assert not re.search(r"""(src|href)=["']?https?:""", text), "the report must not load anything"
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [bold]Red[/bold] &amp;" in text
    assert "@media print" in text
    for card in drill.cards.values():
        assert f"<td>{card.overall:.1f}</td>" in text


def test_csv_report_cells_never_start_a_formula(drill_db):
    db, drill_id, drill = drill_db
    text = _report(db, drill_id, "csv")
    findings = text
    rows = list(csv.reader(io.StringIO(findings)))
    header, body = rows[0], rows[1:]
    assert header[:8] == [
        "drill_id", "created", "scenario_id", "scenario_title", "violation", "jurisdiction", "team", "overall",
    ]
    assert len(body) == sum(len(c.findings) for c in drill.cards.values())
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")), row
    teams = {row[6] for row in body}
    for name, shown in HOSTILE.items():
        assert any(t.startswith(shown) for t in teams), (name, teams)
    assert "Tabbed" in teams  # a pasted leading tab never reaches the store
    # Every field is quoted, inner quotes doubled.
    assert findings.splitlines()[1].startswith('"') and '""http://evil.example""' in text
    # Points add up to the scorecard, gained minus lost.
    for team, card in drill.cards.items():
        cell = literal_cell(team)  # a team's name as its cell shows it: \x1b, never a raw ESC
        gained = sum(float(r[10]) for r in body if r[6].lstrip("'") == cell)
        lost = sum(float(r[11]) for r in body if r[6].lstrip("'") == cell)
        deducted = sum(-f.points for f in card.findings if f.effect == "deducted")
        assert round(gained - deducted, 1) == pytest.approx(card.overall, abs=0.2), team
        assert lost >= deducted


def test_export_filters_and_formats(drill_db, tmp_path):
    db, drill_id, drill = drill_db
    out = tmp_path / "export.json"
    result = run_cli("results", "export", "--format", "json", "--db", str(db), "--team", "+1 Crew", "-o", str(out))
    assert result.returncode == 0, result.stderr
    rows = json.loads(out.read_text())
    assert rows and {r["team"] for r in rows} == {"+1 Crew"} and {r["drill_id"] for r in rows} == {drill_id}
    assert len(rows) == len(drill.cards["+1 Crew"].findings)
    again = run_cli("results", "export", "--db", str(db), "-o", str(out))
    assert again.returncode == 2 and "file exists (add --force to replace it)" in again.stderr
    none = run_cli("results", "export", "--db", str(db), "--violation", "access-control")
    assert none.returncode == 0 and none.stdout.count("\n") == 1  # the header only
    bad = run_cli("results", "export", "--db", str(db), "--since", "last week")
    assert bad.returncode == 2 and "--since: expected a date as YYYY-MM-DD, got 'last week'" in bad.stderr


def test_report_of_unknown_drill_is_a_one_line_error(drill_db):
    db, _, _ = drill_db
    result = run_cli("report", "nope", "--db", str(db))
    assert result.returncode == 2
    assert result.stderr.startswith("breachdrill: error: no drill 'nope'") and result.stderr.count("\n") == 1


def test_csv_writer_quotes_every_formula_start():
    from scoring.report.tabular import COLUMNS, to_csv

    hostile = ["=1+1", "+1", "-1", "@SUM(A1)", "\tTabbed", "\rReturn", "\nNewline", 'say "hi"', "plain"]
    rows = [{c: value for c in COLUMNS} for value in hostile]
    parsed = list(csv.reader(io.StringIO(to_csv(rows))))[1:]
    assert [r[0] for r in parsed] == [
        "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tTabbed", "'\rReturn", "'\nNewline", 'say "hi"', "plain",
    ]


# --- corrections and archiving ----------------------------------------------------------------

REASON = "=cmd|' /C calc'!A0 <script>alert(1)</script> [bold]x[/bold]"
RENAMED = "+Crew <b>[i]x[/i]</b>"


@pytest.fixture(scope="module")
def corrected_db(tmp_path_factory):
    """A drill whose first answer was corrected, a team renamed, then archived: hostile text in each."""
    _, scenario, key = next(entry for entry in library() if entry[1].id == "stl-unpatched-system")
    good = as_answers(scenario, guide_answers(scenario, key))
    db = tmp_path_factory.mktemp("corrected") / "drills.db"
    with Store(db) as store:
        drill_id = _play(store, scenario, key, {"Red": good, "Blue": good})
        ex = store.resume(drill_id)
        first = scenario.inject(scenario.start)
        wrong = next(o.id for o in first.options if [o.id] != good[first.id])
        ex.correct("Red", first.id, [wrong], REASON)
        ex.rename("Blue", RENAMED)
        ex.archive("-test <b>run</b>")
        drill = load(store, drill_id)
    return db, drill_id, drill, first, good[first.id][0], wrong


def test_json_report_lists_every_correction_and_says_archived(corrected_db):
    db, drill_id, drill, first, right, wrong = corrected_db
    aar = json.loads(_report(db, drill_id, "json"))
    assert aar["overview"]["archived"] is True and "archived" in aar["notice"] and "statistic" in aar["notice"]
    assert [c["kind"] for c in aar["corrections"]] == ["answer-corrected", "team-renamed", "archived"]
    answer, rename, archive = aar["corrections"]
    texts = {o.id: o.text for o in drill.scenario.inject(first.id).options}  # no placeholders in these
    assert answer | {"at": None, "at_local": None} == {
        "at": None, "at_local": None, "kind": "answer-corrected", "team": "Red", "inject": first.id,
        "inject_title": first.title, "before": texts[right], "after": texts[wrong], "reason": REASON}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", answer["at"])
    assert (rename["team"], rename["before"], rename["after"]) == ("Blue", "Blue", RENAMED)
    assert (archive["team"], archive["inject"], archive["reason"]) == (None, None, "-test <b>run</b>")
    # The scores are the corrected ones, under the new name.
    assert {s["team"]: s["overall"] for s in aar["scores"]} == {t: c.overall for t, c in drill.cards.items()}
    assert set(drill.cards) == {"Red", RENAMED} and drill.cards["Red"].overall < drill.cards[RENAMED].overall
    assert aar["injects"][0]["responses"]["Red"]["answer"] == [texts[wrong]]


def test_markdown_report_has_the_corrections_appendix_escaped(corrected_db):
    db, drill_id, *_ = corrected_db
    text = _report(db, drill_id, "md")
    assert text.index("**Archived.** This drill is archived") < text.index("## Exercise overview")
    assert "| Archived | yes: left out of every statistic |" in text
    appendix = text[text.index("## Appendix E: Corrections"):]
    assert "| answer corrected | Red |" in appendix and "| team renamed | Blue |" in appendix
    assert "<script>" not in text and "<b>" not in text
    assert "\\<script\\>alert(1)\\</script\\> \\[bold\\]x\\[/bold\\]" in appendix
    assert "\\[i\\]x\\[/i\\]" in appendix


def test_html_report_has_the_corrections_appendix_escaped(corrected_db):
    db, drill_id, *_ = corrected_db
    text = _report(db, drill_id, "html")
    assert '<p class="notice"><strong>Archived.</strong> This drill is archived' in text
    assert "<h2>Appendix E: Corrections</h2>" in text
    assert "<script" not in text.lower() and "<b>" not in text and "<i>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [bold]x[/bold]" in text
    assert "<td>+Crew &lt;b&gt;[i]x[/i]&lt;/b&gt;</td>" in text


def test_csv_report_appends_the_corrections_with_no_formula(corrected_db):
    db, drill_id, drill, first, right, wrong = corrected_db
    text = _report(db, drill_id, "csv")
    findings, rest = text.split("\n\n")  # one blank line between the two tables (newlines read as text)
    rows = list(csv.reader(io.StringIO(rest)))
    assert rows[0] == [
        "This drill is archived: it is kept on record but left out of every statistic "
        "(Review's trends, most-missed steps, comparisons and exports)."]
    assert rows[1] == ["corrected_at", "kind", "team", "inject", "before", "after", "reason"]
    answer, rename, archive = rows[2:]
    assert answer[1:4] == ["answer-corrected", "Red", first.id] and answer[6] == "'" + REASON
    assert rename[1:] == ["team-renamed", "Blue", "", "Blue", "'" + RENAMED, ""]
    assert archive[1:] == ["archived", "", "", "", "", "'-test <b>run</b>"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")), row
    body = list(csv.reader(io.StringIO(findings)))[1:]
    assert len(body) == sum(len(c.findings) for c in drill.cards.values())


def test_an_uncorrected_report_says_so(drill_db):
    db, drill_id, _ = drill_db
    aar = json.loads(_report(db, drill_id, "json"))
    assert aar["corrections"] == [] and aar["notice"] is None and aar["overview"]["archived"] is False
    assert "## Appendix E: Corrections\n\nNone: every answer is as first recorded." in _report(db, drill_id, "md")
    assert "Archived" not in _report(db, drill_id, "html")
    assert "\n\n" not in _report(db, drill_id, "csv"), "the CSV is the finding rows alone"
